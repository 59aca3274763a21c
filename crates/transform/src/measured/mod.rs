//! What the event logs given with `--profile` measured of the sources and targets one file
//! spells: the bridge between a [`Profile`] (runs, scans, joins, writes) and the code.
//!
//! Matching is by path or table name ([`matching`]); a log that matches nothing in a file changes
//! nothing in it. Where several runs measured the same relation, the largest figure is used and
//! the evidence says how many runs there were.

pub mod matching;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use sparkfix_eventlog::replay::Change;
use sparkfix_eventlog::{Join, JoinStrategy, Profile, Query, Relation, Run};

use crate::diagnostic::Impact;
use crate::model::Source;
use crate::units::human_count;

/// The size of a relation the code reads, as the logs measured it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationSize {
    /// Bytes in memory: the largest `data size` of a shuffle or broadcast right above a scan of
    /// it (after pruning and filters), else the largest number of bytes read.
    pub bytes: u64,
    /// Whether [`RelationSize::bytes`] is an exchange's `data size` (else bytes read).
    pub in_memory: bool,
    /// Where the figure comes from: `event log local-1795890117054, query 4`.
    pub evidence: String,
}

/// A write the code makes, as the logs measured it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteSize {
    pub files: u64,
    pub bytes: u64,
    /// Partition values written (0 for an unpartitioned write).
    pub partitions: u64,
    pub evidence: String,
}

/// The stage of a measured write that ran on as many tasks as a coalesce left it, while the
/// run had more task slots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NarrowStage {
    pub tasks: u64,
    /// The stage's task time (the sum of its tasks' durations).
    pub task_time_ms: u64,
    /// The task slots the run had (executors x cores).
    pub slots: u64,
    pub evidence: String,
}

/// A join the logs ran between relations the code joins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinRun {
    pub strategy: JoinStrategy,
    /// The bytes each side carried into the join, when measured.
    pub left_bytes: Option<u64>,
    pub right_bytes: Option<u64>,
    pub evidence: String,
}

/// What re-reading the relations under a frame cost in a run: the scans after the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RescanCost {
    /// Scans of those relations in the run, the first included.
    pub scans: usize,
    pub extra_bytes: u64,
    /// Task time of the stages that ran the re-scans (whole stages: a scan's own share of its
    /// stage is not in the log).
    pub extra_task_ms: u64,
    /// Those stages (each once).
    pub extra_stage_ids: Vec<u64>,
    /// The run's label (its application id).
    pub run: String,
    /// Bytes in memory of those relations, when every one of them was measured.
    pub in_memory_bytes: Option<u64>,
    pub evidence: String,
}

/// The mark of a run that matched something in the code.
struct Used<'a>(&'a AtomicBool);

impl Used<'_> {
    fn set(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Spark's reserved system memory per executor (300 MiB), outside the unified memory pool.
const RESERVED_MEMORY: u64 = 300 << 20;

/// The measurements of a run of sparkfix: shared by every file (and thread).
#[derive(Debug, Clone, Default)]
pub struct Measurements {
    profile: Arc<Profile>,
    /// For each run, whether some source or target of a checked file matched it.
    used: Arc<Vec<AtomicBool>>,
}

impl PartialEq for Measurements {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.profile, &other.profile)
    }
}

impl Eq for Measurements {}

impl Measurements {
    pub fn new(profile: Profile) -> Self {
        let used = profile
            .runs
            .iter()
            .map(|_| AtomicBool::new(false))
            .collect();
        Measurements {
            profile: Arc::new(profile),
            used: Arc::new(used),
        }
    }

    /// The logs of the runs that no source or target of the files checked so far matched: they
    /// changed nothing (an unrelated application's log, or the wrong files).
    pub fn unused_logs(&self) -> Vec<&str> {
        self.profile
            .runs
            .iter()
            .zip(self.used.iter())
            .filter(|(_, used)| !used.load(Ordering::Relaxed))
            .map(|(run, _)| run.log.as_str())
            .collect()
    }

    /// Marks the runs whose scans or writes one of `sources` (the reads and write targets of a
    /// file) names.
    pub fn note_code<'s>(&self, sources: impl IntoIterator<Item = &'s Source>) {
        let sources: Vec<&Source> = sources.into_iter().collect();
        for (run, used) in self.runs() {
            let relations = run.queries.iter().flat_map(|query| {
                query
                    .scans
                    .iter()
                    .map(|scan| &scan.relation)
                    .chain(query.writes.iter().map(|write| &write.target))
            });
            if relations.into_iter().any(|relation| {
                sources
                    .iter()
                    .any(|source| matching::matches(source, relation))
            }) {
                used.set();
            }
        }
    }

    /// The runs, each with a mark to set when something in the code matched it.
    fn runs(&self) -> impl Iterator<Item = (&Run, Used<'_>)> {
        self.profile.runs.iter().zip(self.used.iter().map(Used))
    }

    pub fn is_empty(&self) -> bool {
        self.profile.runs.is_empty()
    }

    /// The runs of the job `model` is the file of: [`Measurements::job_runs`] with the app
    /// names of its session builders and the relations it reads and writes.
    pub fn job_runs_of(&self, model: &crate::model::SparkModel<'_>) -> Vec<&Run> {
        let app_names: Vec<&str> = model.sessions.iter().filter_map(|s| s.app_name).collect();
        let sources = model.read_sites.iter().map(|site| &site.source).chain(
            model
                .writes
                .iter()
                .filter_map(|w| w.target_pattern.as_ref()),
        );
        self.job_runs(&app_names, sources)
    }

    /// The runs of a file's own job: those whose application name is one the file gives its
    /// session (`appName("..")`), or, when the file names none, those that read or wrote what
    /// the file spells: a literal path or table, or, for paths built from templates, at least
    /// two matching templates with two literal segments or more (`f"{VOL}/customers"` matches
    /// any folder named `customers`) and at least half of the file's relations. A log of
    /// another job matches neither and changes nothing.
    pub fn job_runs<'s>(
        &self,
        app_names: &[&str],
        sources: impl IntoIterator<Item = &'s Source>,
    ) -> Vec<&Run> {
        if !app_names.is_empty() {
            return self
                .runs()
                .filter(|(run, _)| {
                    run.app_name
                        .as_deref()
                        .is_some_and(|name| app_names.contains(&name))
                })
                .map(|(run, used)| {
                    used.set();
                    run
                })
                .collect();
        }
        let mut sources: Vec<&Source> = sources.into_iter().collect();
        sources.sort_by_key(|source| source.identifier());
        sources.dedup();
        self.runs()
            .filter(|(run, _)| {
                let matched: Vec<&&Source> = sources
                    .iter()
                    .filter(|source| {
                        run.queries.iter().any(|query| {
                            query
                                .scans
                                .iter()
                                .map(|scan| &scan.relation)
                                .chain(query.writes.iter().map(|write| &write.target))
                                .any(|relation| matching::matches(source, relation))
                        })
                    })
                    .collect();
                let literal = matched
                    .iter()
                    .any(|source| !source.identifier().contains("{}"));
                // A template with fewer than two literal segments (`{VOL}/{name}`,
                // `{VOL}/customers`) matches too much to tell one job from another.
                let telling = matched
                    .iter()
                    .filter(|source| {
                        source
                            .segments()
                            .iter()
                            .filter(|s| !s.contains("{}"))
                            .count()
                            >= 2
                    })
                    .count();
                literal || (telling >= 2 && 2 * matched.len() >= sources.len())
            })
            .map(|(run, used)| {
                used.set();
                run
            })
            .collect()
    }

    /// The measured size of the relation `source` names: the largest over every scan of it in
    /// every run.
    pub fn relation(&self, source: &Source) -> Option<RelationSize> {
        let mut best: Option<RelationSize> = None;
        let mut runs = 0;
        for (run, used) in self.runs() {
            let mut measured_here = false;
            for query in &run.queries {
                for scan in query
                    .scans
                    .iter()
                    .filter(|scan| matching::matches(source, &scan.relation))
                {
                    used.set();
                    let Some(bytes) = scan.in_memory_bytes() else {
                        continue;
                    };
                    measured_here = true;
                    let size = RelationSize {
                        bytes,
                        in_memory: scan.exchange_bytes.is_some(),
                        evidence: format!("event log {}, query {}", run.label(), query.id),
                    };
                    // An in-memory size beats bytes read; then the larger figure wins.
                    let better = best.as_ref().is_none_or(|current| {
                        (size.in_memory, size.bytes) > (current.in_memory, current.bytes)
                    });
                    if better {
                        best = Some(size);
                    }
                }
            }
            runs += usize::from(measured_here);
        }
        best.map(|mut size| {
            if runs > 1 {
                size.evidence = format!("{}, the largest of {runs} runs", size.evidence);
            }
            size
        })
    }

    /// The stage that read input and ran on `tasks` tasks in a query writing `target`, where the
    /// run had more task slots than that: what a `coalesce(tasks)` before the write left the
    /// stage. The one with the most task time over the runs.
    pub fn narrow_write_stage(&self, target: &Source, tasks: u64) -> Option<NarrowStage> {
        let mut best: Option<NarrowStage> = None;
        for (run, used) in self.runs() {
            let Some(slots) = sparkfix_eventlog::replay::measured_slots(run).map(u64::from) else {
                continue;
            };
            for query in run.queries.iter().filter(|query| {
                query
                    .writes
                    .iter()
                    .any(|write| matching::matches(target, &write.target))
            }) {
                used.set();
                let narrow = run.stages.iter().filter(|stage| {
                    query.stage_ids.contains(&stage.id)
                        && stage.tasks == tasks
                        && stage.input_bytes > 0
                        && slots > tasks
                });
                for stage in narrow {
                    if best
                        .as_ref()
                        .is_none_or(|current| stage.task_time_ms > current.task_time_ms)
                    {
                        best = Some(NarrowStage {
                            tasks,
                            task_time_ms: stage.task_time_ms,
                            slots,
                            evidence: format!(
                                "event log {}, query {}, stage {}",
                                run.label(),
                                query.id,
                                stage.id
                            ),
                        });
                    }
                }
            }
        }
        best
    }

    /// The measured write to `target`: the run that wrote the most bytes to it.
    pub fn write(&self, target: &Source) -> Option<WriteSize> {
        let mut best: Option<WriteSize> = None;
        let mut runs = 0;
        for (run, used) in self.runs() {
            let mut measured_here = false;
            for query in &run.queries {
                for write in query
                    .writes
                    .iter()
                    .filter(|write| matching::matches(target, &write.target))
                {
                    used.set();
                    let (Some(files), Some(bytes)) = (write.files, write.bytes) else {
                        continue;
                    };
                    measured_here = true;
                    if best.as_ref().is_none_or(|current| bytes > current.bytes) {
                        best = Some(WriteSize {
                            files,
                            bytes,
                            partitions: write.dynamic_partitions.unwrap_or(0),
                            evidence: format!("event log {}, query {}", run.label(), query.id),
                        });
                    }
                }
            }
            runs += usize::from(measured_here);
        }
        best.map(|mut size| {
            if runs > 1 {
                size.evidence = format!("{}, the largest of {runs} runs", size.evidence);
            }
            size
        })
    }

    /// The SQL executions of `run` that ran the file's actions, given as their methods in the
    /// order they run (each exactly once): the run's executions must be exactly as many, each
    /// described after its action (`count at ..`, `parquet at ..`, `showString at ..` for a
    /// `show`). `None` when they are not: the log then says nothing about one action.
    pub fn action_queries<'r>(run: &'r Run, methods: &[&str]) -> Option<Vec<&'r Query>> {
        let mut queries: Vec<&Query> = run.queries.iter().collect();
        queries.sort_by_key(|query| query.id);
        if methods.is_empty() || queries.len() != methods.len() {
            return None;
        }
        let described_as = |method: &str, query: &Query| {
            let word = query.description.split_whitespace().next().unwrap_or("");
            word == method
                || matches!(
                    (method, word),
                    ("show", "showString") | ("take" | "head" | "first", "collect")
                )
        };
        methods
            .iter()
            .zip(&queries)
            .all(|(method, query)| described_as(method, query))
            .then_some(queries)
    }

    /// What re-scanning the relations `sources` name cost in the run where it cost most.
    pub fn rescans(&self, sources: &[Source]) -> Option<RescanCost> {
        let mut best: Option<RescanCost> = None;
        for run in &self.profile.runs {
            let rescans: Vec<_> = run
                .rescans()
                .into_iter()
                .filter(|rescan| {
                    sources
                        .iter()
                        .any(|source| matching::matches(source, &rescan.relation))
                })
                .collect();
            if rescans.is_empty() {
                continue;
            }
            let sizes: Vec<Option<u64>> = sources
                .iter()
                .map(|source| self.relation(source).map(|size| size.bytes))
                .collect();
            let mut extra_stage_ids: Vec<u64> = rescans
                .iter()
                .flat_map(|rescan| rescan.extra_stage_ids.iter().copied())
                .collect();
            extra_stage_ids.sort_unstable();
            extra_stage_ids.dedup();
            let cost = RescanCost {
                scans: rescans.iter().map(|rescan| rescan.scans).max().unwrap_or(0),
                extra_bytes: rescans.iter().map(|rescan| rescan.extra_bytes).sum(),
                // Each stage once: the re-scans of two relations often share their stages.
                extra_task_ms: extra_stage_ids
                    .iter()
                    .filter_map(|&id| run.stage(id))
                    .map(|stage| stage.task_time_ms)
                    .sum(),
                extra_stage_ids,
                run: run.label().to_string(),
                in_memory_bytes: sizes.iter().copied().sum::<Option<u64>>(),
                evidence: format!("event log {}", run.label()),
            };
            if best
                .as_ref()
                .is_none_or(|current| cost.extra_task_ms > current.extra_task_ms)
            {
                best = Some(cost);
            }
        }
        best
    }

    /// The memory a cache may fill on the cluster of the run with the most: executors x
    /// (`spark.executor.memory` - 300 MiB reserved) x `spark.memory.fraction` (0.6 by default;
    /// storage may take the whole unified pool when execution leaves it free).
    pub fn storage_memory(&self) -> Option<(u64, String)> {
        self.profile
            .runs
            .iter()
            .filter_map(|run| {
                let executors = &run.executors;
                let memory = executors.memory_bytes?;
                let fraction: f64 = run
                    .property("spark.memory.fraction")
                    .and_then(|value| value.parse().ok())
                    .unwrap_or(0.6);
                let count = u64::from(executors.peak_count.max(1));
                let bytes =
                    (memory.saturating_sub(RESERVED_MEMORY) as f64 * fraction) as u64 * count;
                Some((
                    bytes,
                    format!(
                        "{count} executors x ({} - 300 MiB) x {fraction} in event log {}",
                        crate::units::human_bytes(memory),
                        run.label()
                    ),
                ))
            })
            .max_by_key(|(bytes, _)| *bytes)
    }

    /// The task time an impact's changes add to its run less what they remove (a skipped
    /// stage removes its measured tasks): above zero, the fix makes the run do more work.
    pub fn added_task_ms(&self, impact: &Impact) -> i64 {
        let Some(run) = self
            .profile
            .runs
            .iter()
            .find(|run| run.label() == impact.run)
        else {
            return 0;
        };
        let changed = sparkfix_eventlog::replay::changed(run, &impact.changes);
        sparkfix_eventlog::replay::task_time_ms(&changed) as i64
            - sparkfix_eventlog::replay::task_time_ms(run) as i64
    }

    /// What broadcasting `right` would change in the first run that joined it to one of `left`
    /// with both sides shuffled (every such join of that run, in each execution that ran it):
    /// the other side's shuffle write off the stages that wrote it; a join that ran alone in
    /// its stage (both inputs and its output shuffled) skips that stage, its output's shuffle
    /// write moved into the other side's stage; any other join has both sides' fetch wait and
    /// sort taken off its stages and gets what an aggregation that relied on its partitioning
    /// then needs ([`regrouping_cost`]). `None` when no run has such a join.
    pub fn broadcast_impact(&self, left: &[Source], right: &Source) -> Option<Impact> {
        let names = |relations: &[Relation], source: &Source| {
            relations
                .iter()
                .any(|relation| matching::matches(source, relation))
        };
        self.profile.runs.iter().find_map(|run| {
            let mut changes = Vec::new();
            let (mut write_ms, mut join_ms, mut joins) = (0, 0, 0);
            let (mut alone, mut alone_ms, mut moved_ms) = (0, 0, 0);
            let mut regrouped: Vec<String> = Vec::new();
            for join in run
                .queries
                .iter()
                .flat_map(|query| &query.joins)
                .filter(|join| {
                    join.strategy.shuffles_both_sides()
                        && names(&join.right.relations, right)
                        && left
                            .iter()
                            .any(|source| names(&join.left.relations, source))
                })
            {
                joins += 1;
                let shorten = |stages: &[u64], ms: u64, changes: &mut Vec<Change>| {
                    if stages.is_empty() || ms == 0 {
                        return;
                    }
                    let share = ms / stages.len() as u64;
                    changes.extend(stages.iter().map(|&stage| Change::Shorten {
                        stage,
                        task_ms: share,
                    }));
                };
                let other = join.left.shuffle_write_ms.unwrap_or(0);
                let at_join = [
                    join.left.fetch_wait_ms,
                    join.left.sort_ms,
                    join.right.fetch_wait_ms,
                    join.right.sort_ms,
                ]
                .iter()
                .flatten()
                .sum::<u64>();
                shorten(&join.left.map_stage_ids, other, &mut changes);
                write_ms += other;
                if join.alone_in_stage() && !join.stage_ids.is_empty() {
                    // The join's stage goes; its output's shuffle write moves into the stage
                    // that now scans and joins the larger side.
                    alone += 1;
                    alone_ms += join
                        .stage_ids
                        .iter()
                        .filter_map(|&id| run.stage(id))
                        .map(|stage| stage.task_time_ms)
                        .sum::<u64>();
                    changes.extend(join.stage_ids.iter().map(|&stage| Change::Skip { stage }));
                    let moved = join.output_shuffle_write_ms.unwrap_or(0);
                    if moved > 0 && !join.left.map_stage_ids.is_empty() {
                        let share = moved / join.left.map_stage_ids.len() as u64;
                        changes.extend(join.left.map_stage_ids.iter().map(|&stage| {
                            Change::Lengthen {
                                stage,
                                task_ms: share,
                            }
                        }));
                        moved_ms += moved;
                    }
                    continue;
                }
                shorten(&join.stage_ids, at_join, &mut changes);
                join_ms += at_join;
                if let Some((added_ms, how)) = regrouping_cost(join)
                    && added_ms > 0
                    && !join.stage_ids.is_empty()
                {
                    let share = added_ms / join.stage_ids.len() as u64;
                    changes.extend(join.stage_ids.iter().map(|&stage| Change::Lengthen {
                        stage,
                        task_ms: share,
                    }));
                    regrouped.push(how);
                }
            }
            (!changes.is_empty()).then(|| Impact {
                run: run.label().to_string(),
                changes,
                method: format!(
                    "the {joins} sort-merge join{} of the run: the other side's measured shuffle \
                     write ({:.1} s) taken off the stages that wrote it{}{}{}, then the run \
                     replayed; the hash probes that replace them and the broadcast itself are \
                     not counted",
                    if joins == 1 { "" } else { "s" },
                    write_ms as f64 / 1000.0,
                    if alone == 0 {
                        String::new()
                    } else {
                        format!(
                            "; {} ran alone in {} stage (both inputs and the output \
                             shuffled): skipped ({:.1} s of task time), the output's shuffle \
                             write ({:.1} s) moved into the stage that scans the other side",
                            match (joins, alone) {
                                (1, _) => "the join".to_string(),
                                (all, alone) if all == alone => format!("each of the {all}"),
                                (all, alone) => format!("{alone} of the {all}"),
                            },
                            if joins == 1 { "its" } else { "its own" },
                            alone_ms as f64 / 1000.0,
                            moved_ms as f64 / 1000.0
                        )
                    },
                    if joins == alone {
                        String::new()
                    } else {
                        format!(
                            "; both sides' fetch wait and sort ({:.1} s) off the stages of the \
                             other join{}",
                            join_ms as f64 / 1000.0,
                            if joins - alone == 1 { "" } else { "s" }
                        )
                    },
                    if regrouped.is_empty() {
                        String::new()
                    } else {
                        format!("; added to those stages: {}", regrouped.join("; "))
                    }
                ),
            })
        })
    }

    /// A join the logs ran with `right` on its right side and one of `left` on its left.
    pub fn join(&self, left: &[Source], right: &Source) -> Option<JoinRun> {
        let names = |relations: &[Relation], source: &Source| {
            relations
                .iter()
                .any(|relation| matching::matches(source, relation))
        };
        self.profile.runs.iter().find_map(|run| {
            run.queries.iter().find_map(|query| {
                let join = query.joins.iter().find(|join| {
                    names(&join.right.relations, right)
                        && left
                            .iter()
                            .any(|source| names(&join.left.relations, source))
                })?;
                Some(JoinRun {
                    strategy: join.strategy,
                    left_bytes: join.left.bytes,
                    right_bytes: join.right.bytes,
                    evidence: format!("event log {}, query {}", run.label(), query.id),
                })
            })
        })
    }
}

/// What broadcasting a shuffled join adds to the aggregation that ran on the join's output
/// partitioning ([`AggregateOnJoin`]): that aggregation now needs a shuffle of its own, and
/// when it ran in one phase, a partial phase before the shuffle. In ms of task time, with the
/// arithmetic as text; `None` when no aggregation relied on the join.
///
/// The shuffle is costed at the join's own measured rate (the left side's shuffle write and
/// fetch wait per record written). A partial phase already in the plan keeps its measured
/// output rows, which are what the new shuffle carries. A one-phase aggregation of N rows into
/// O groups in B ms becomes a partial phase over the N rows, which does about the work of the
/// phase it replaces, and a final phase that builds the same O groups again: about B more,
/// since a grouped aggregation's time goes to its groups (in the committed Spark 3.5 log of the
/// example job, the final phase over 1.45M rows took 4.1 s against 3.5 s for the partial phase
/// over 3.0M rows), and at least O rows shuffled.
pub(crate) fn regrouping_cost(join: &Join) -> Option<(u64, String)> {
    let aggregate = join.aggregate_above.as_ref()?;
    let side = &join.left;
    let per_record = side.shuffle_records.filter(|&n| n > 0).map(|records| {
        (side.shuffle_write_ms.unwrap_or(0) + side.fetch_wait_ms.unwrap_or(0)) as f64
            / records as f64
    });
    let rate = |rows: u64| per_record.map_or(0.0, |per| per * rows as f64);
    let shuffle_text = |rows: u64| {
        per_record.map_or_else(
            || "not counted: no shuffle rate measured".to_string(),
            |per| {
                format!(
                    "{:.1} s at the join's {:.2} us per row",
                    rate(rows) / 1000.0,
                    per * 1000.0
                )
            },
        )
    };
    let output = aggregate.output_rows?;
    if aggregate.partial {
        return Some((
            rate(output).round() as u64,
            format!(
                "the partial aggregation above the join loses the join's partitioning: a shuffle \
                 of its {} output rows ({})",
                human_count(output),
                shuffle_text(output)
            ),
        ));
    }
    let input = aggregate.input_rows?;
    let build = aggregate.build_time_ms?;
    Some((
        build + rate(output).round() as u64,
        format!(
            "the one-phase aggregation above the join ({} rows into {} groups, {:.1} s of build \
             time) loses the join's partitioning: a partial phase (about the work of the phase \
             it replaces), then a final phase that builds the {} groups again (about {:.1} s) \
             and a shuffle of at least as many rows ({})",
            human_count(input),
            human_count(output),
            build as f64 / 1000.0,
            human_count(output),
            build as f64 / 1000.0,
            shuffle_text(output)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use sparkfix_eventlog::{Query, Scan, Write};

    use super::*;

    fn run(id: &str, products_bytes: u64, files: u64) -> Run {
        let scan = Scan {
            relation: Relation::Paths(vec!["s3a://lake/dim/products".into()]),
            format: None,
            bytes_read: Some(products_bytes / 2),
            files_read: Some(1),
            rows: None,
            exchange_bytes: Some(products_bytes),
            stage_ids: Vec::new(),
        };
        let write = Write {
            target: Relation::Table("spark_catalog.sales.daily".into()),
            command: "InsertIntoHadoopFsRelationCommand".into(),
            files: Some(files),
            bytes: Some(files << 20),
            rows: None,
            dynamic_partitions: Some(0),
        };
        Run {
            log: format!("logs/{id}"),
            app_id: Some(id.into()),
            queries: vec![Query {
                id: 7,
                scans: vec![scan],
                writes: vec![write],
                ..Query::default()
            }],
            ..Run::default()
        }
    }

    #[test]
    fn a_job_is_its_app_name_else_what_it_spells() {
        let mut named = run("app-1", 5 << 20, 40);
        named.app_name = Some("daily_sales".into());
        let measurements = Measurements::new(Profile { runs: vec![named] });
        let path = |p: &str| Source::Path(p.into());
        let table = Source::Table("sales.daily".into());
        assert_eq!(measurements.job_runs(&["daily_sales"], []).len(), 1);
        assert!(measurements.job_runs(&["nightly"], [&table]).is_empty());
        // No app name: a literal table or path is enough.
        assert_eq!(measurements.job_runs(&[], [&table]).len(), 1);
        assert_eq!(
            measurements
                .job_runs(&[], [&path("s3://lake/dim/products/")])
                .len(),
            1
        );
        // Templates that say little match any job: `{}/{}` matches every path, `{}/products`
        // every folder of that name.
        let anything = path("{}/{}");
        let products = path("{}/products");
        assert!(
            measurements
                .job_runs(&[], [&anything, &products])
                .is_empty()
        );
        // Two templates with two literal segments each, half of the file's relations.
        let dim = path("{}/dim/products");
        let daily = path("{}/lake/dim/products/");
        let other = path("s3://elsewhere/{}/raw/x");
        assert_eq!(measurements.job_runs(&[], [&dim, &daily, &other]).len(), 1);
    }

    #[test]
    fn the_largest_of_several_runs_is_used_and_said() {
        let measurements = Measurements::new(Profile {
            runs: vec![run("app-1", 5 << 20, 40), run("app-2", 9 << 20, 10)],
        });
        let size = measurements
            .relation(&Source::Path("s3://lake/dim/products/".into()))
            .unwrap();
        assert_eq!(size.bytes, 9 << 20);
        assert_eq!(
            size.evidence,
            "event log app-2, query 7, the largest of 2 runs"
        );
        let write = measurements
            .write(&Source::Table("sales.daily".into()))
            .unwrap();
        assert_eq!(
            (write.files, write.evidence.as_str()),
            (40, "event log app-1, query 7, the largest of 2 runs")
        );
        assert!(
            measurements
                .relation(&Source::Path("s3://lake/dim/customers/".into()))
                .is_none()
        );
        assert!(measurements.unused_logs().is_empty());
    }

    #[test]
    fn runs_no_code_matched_are_reported_unused() {
        let measurements = Measurements::new(Profile {
            runs: vec![run("app-1", 1, 1), run("app-2", 1, 1)],
        });
        assert_eq!(measurements.unused_logs(), ["logs/app-1", "logs/app-2"]);
        measurements.note_code([&Source::Path("{}/dim/products".into())]);
        assert!(measurements.unused_logs().is_empty());
    }
}
