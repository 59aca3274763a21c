//! SPK001 `cache-reused-dataframe`: cache the topmost DataFrame that several actions recompute.
//!
//! See `rules/cache-reused-dataframe.yaml` for what it does, why, and the fix.

use sparkfix_eventlog::replay::Change;
use sparkfix_syntax::SyntaxNode;
use sparkfix_syntax::views::Block;

use super::adaptive::{Adaptive, shuffle_partitions};
use super::cheap_emptiness_test::becomes_limited;
use super::control_output_files::{ControlOutputFiles, Measured};
use super::count_in_passing::{CountInPassing, OBSERVATION};
use super::{Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Evidence, Impact};
use crate::edit::Edit;
use crate::edits::{append_method_call, insert_after_statement};
use crate::measured::RescanCost;
use crate::model::{ActionId, Costly, Frame, FrameId, FrameOrigin, Shape, Source};
use crate::units::human_bytes;

pub struct CacheReusedDataframe;

impl Rule for CacheReusedDataframe {
    fn code(&self) -> &'static str {
        "SPK001"
    }

    fn name(&self) -> &'static str {
        "cache-reused-dataframe"
    }

    fn check(&self, ctx: &RuleContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        let model = ctx.model;
        let mut chosen: Vec<FrameId> = Vec::new();
        // With `--unsafe-fixes`, count-in-passing folds the logging counts first: they will not
        // recompute anything, so they do not call for a cache.
        let folded: Vec<ActionId> = if folds_first(ctx) {
            ctx.folds.iter().map(|fold| fold.count).collect()
        } else {
            Vec::new()
        };
        for id in model.frame_ids() {
            let frame = model.frame(id);
            if frame.streaming
                || frame.assumed
                || frame.cached
                || frame.literal
                || matches!(frame.origin, FrameOrigin::LoopCarried { .. })
            {
                continue;
            }
            // A cache reads every column once and pays only where recomputing is costly.
            let Some(costly) = frame.recompute.costly else {
                continue;
            };
            let counted: Vec<ActionId> = ctx
                .lineage
                .reaching(id)
                .iter()
                .copied()
                .filter(|a| model.action(*a).passes_over(frame) > 0 && !folded.contains(a))
                // A count that cheap-emptiness-test turns into `head(1)` reads one split.
                .filter(|a| !becomes_limited(ctx, model.action(*a)))
                .collect();
            let passes: u32 = counted
                .iter()
                .map(|a| model.action(*a).passes_over(frame))
                .sum();
            if passes < 2 {
                continue;
            }
            // All counted actions through one child: that child is the better place.
            let through_one_child = ctx.lineage.children(id).iter().any(|child| {
                counted
                    .iter()
                    .all(|a| ctx.lineage.reaching(*child).contains(a))
            });
            if through_one_child {
                continue;
            }
            let ancestors = ctx.lineage.ancestors(model, id);
            let descendants = ctx.lineage.descendants(id);
            let lineage_cached = ancestors
                .iter()
                .any(|a| model.frame(*a).cached || chosen.contains(a))
                || descendants.iter().any(|d| model.frame(*d).cached);
            if lineage_cached || self.data_changes_between(ctx, id, &ancestors, &counted) {
                continue;
            }
            let measured = ctx.settings.measurements.rescans(&frame.reads);
            if let Some(cost) = &measured
                && !self.worth_caching(ctx, cost)
            {
                continue;
            }
            chosen.push(id);
            out.push(self.diagnostic(ctx, id, frame, &counted, costly, measured));
        }
    }
}

/// With a run whose SQL executions are the file's actions (`RuleContext::action_queries`):
/// every counted action after the first reads the cache, so the stages of its execution that
/// scanned the frame's inputs no longer run.
fn cache_impact(
    ctx: &RuleContext<'_, '_>,
    frame: &Frame<'_>,
    counted: &[ActionId],
) -> Option<Impact> {
    ctx.job_runs().into_iter().find_map(|run| {
        let queries = ctx.action_queries(run)?;
        let mut later: Vec<(usize, ActionId)> = counted
            .iter()
            .map(|&id| (ctx.model.action(id).node.start(), id))
            .collect();
        later.sort_unstable();
        let mut changes = Vec::new();
        let mut named = Vec::new();
        for (_, id) in later.iter().skip(1) {
            let (_, query) = queries.iter().find(|(action, _)| action == id)?;
            let before = changes.len();
            for scan in query.scans.iter().filter(|scan| {
                frame
                    .reads
                    .iter()
                    .any(|source| crate::measured::matching::matches(source, &scan.relation))
            }) {
                changes.extend(scan.stage_ids.iter().map(|&stage| Change::Skip { stage }));
            }
            if changes.len() > before {
                named.push(format!("query {}", query.id));
            }
        }
        changes.sort_unstable_by_key(|change| change.stage());
        changes.dedup();
        (!changes.is_empty()).then(|| Impact {
            run: run.label().to_string(),
            method: format!(
                "in {} (the later passes over the frame: the run's SQL executions are the file's \
                 actions, in order and kind), the {} stages that scanned the frame's inputs \
                 skipped, then the run replayed; an upper bound: the cache's fill and reads are \
                 not counted",
                named.join(", "),
                changes.len()
            ),
            changes,
        })
    })
}

/// Whether count-in-passing runs with its fix: unsafe fixes on, the rule selected, and Spark
/// with `Observation`.
fn folds_first(ctx: &RuleContext<'_, '_>) -> bool {
    let counts = CountInPassing;
    ctx.settings.unsafe_fixes
        && ctx.settings.rules.enables(counts.code(), counts.name())
        && ctx.settings.target_spark >= OBSERVATION
}

impl CacheReusedDataframe {
    /// With a measured recomputation: whether the cache pays. Not when the re-scans took under
    /// `min_rescan_ms` of task time, nor when the relations under the frame hold more than the
    /// cluster's storage memory (the cache would spill or evict).
    fn worth_caching(&self, ctx: &RuleContext<'_, '_>, cost: &RescanCost) -> bool {
        let min_ms = ctx
            .parameter(self, "min_rescan_ms")
            .as_integer()
            .unwrap_or(1000)
            .max(0) as u64;
        if cost.extra_task_ms < min_ms {
            return false;
        }
        match (
            cost.in_memory_bytes,
            ctx.settings.measurements.storage_memory(),
        ) {
            (Some(size), Some((storage, _))) => size <= storage,
            _ => true,
        }
    }

    /// Whether a statement between the first and the last counted action deletes, moves or
    /// overwrites data: a cache would serve the old rows where the job reads the new ones. A
    /// frame that leaves its function (returned, stored, passed on) is used at unknown places:
    /// then any later such statement counts, and so does a write whose target is not spelled.
    fn data_changes_between(
        &self,
        ctx: &RuleContext<'_, '_>,
        id: FrameId,
        ancestors: &[FrameId],
        counted: &[ActionId],
    ) -> bool {
        let model = ctx.model;
        let starts = counted.iter().map(|a| model.action(*a).node.start());
        let (Some(first), Some(last)) = (starts.clone().min(), starts.max()) else {
            return false;
        };
        let sources: Vec<&Source> = std::iter::once(id)
            .chain(ancestors.iter().copied())
            .flat_map(|f| model.frame(f).reads.iter())
            .collect();
        let leaves = std::iter::once(id)
            .chain(ctx.lineage.descendants(id))
            .any(|f| model.frame(f).escapes || model.frame(f).returned);
        let last = if leaves { usize::MAX } else { last };
        let changes = model.side_effects.iter().any(|effect| {
            let at = effect.node.start();
            let between = first <= at && at < last;
            between
                && match &effect.target {
                    None => true,
                    Some(target) => sources.iter().any(|s| s.same_as(target)),
                }
        });
        changes
            || (leaves
                && model
                    .writes
                    .iter()
                    .any(|w| w.target.is_none() && w.terminal.syntax().start() >= first))
    }

    fn diagnostic(
        &self,
        ctx: &RuleContext<'_, '_>,
        id: FrameId,
        frame: &Frame<'_>,
        counted: &[ActionId],
        costly: Costly,
        measured: Option<RescanCost>,
    ) -> Diagnostic {
        let model = ctx.model;
        let mut lines: Vec<(crate::cells::LineRef, bool)> = counted
            .iter()
            .map(|a| {
                let action = model.action(*a);
                (ctx.line(action.node.start()), action.repeats_over(frame))
            })
            .collect();
        lines.sort();
        lines.dedup();
        let places: Vec<String> = lines
            .iter()
            .map(|(line, in_loop)| {
                if *in_loop {
                    format!("{line} (in a loop)")
                } else {
                    line.to_string()
                }
            })
            .collect();
        let sites: u32 = counted.iter().map(|a| model.action(*a).count).sum();
        let actions = if sites == 1 {
            "a full pass in every iteration of a loop"
        } else {
            &format!("{sites} full passes")
        };
        let places: Vec<String> = if sites == 1 {
            lines.iter().map(|(line, _)| line.to_string()).collect()
        } else {
            places
        };
        let noun = if places.len() == 1 { "line" } else { "lines" };
        let remedy = if matches!(frame.origin, FrameOrigin::Parameter { .. }) {
            "cache it where the caller builds it (caching a parameter pins the caller's frame)"
        } else {
            "cache it"
        };
        let message = format!(
            "DataFrame `{}` is recomputed by {actions} at {noun} {}: {remedy}",
            frame.name,
            places.join(", ")
        );
        let rerun = format!(
            "each pass runs {} at line {} again",
            costly.kind.describe(),
            ctx.line(costly.at)
        );
        let impact = cache_impact(ctx, frame, counted).or_else(|| {
            measured.as_ref().map(|cost| Impact {
                run: cost.run.clone(),
                changes: cost
                    .extra_stage_ids
                    .iter()
                    .map(|&stage| Change::Skip { stage })
                    .collect(),
                method: format!(
                    "the {} stages that re-scanned the frame's inputs after their first scan \
                     skipped (whole stages: the log does not split a stage's time between its \
                     scan and the rest; some may belong to actions on other frames), then the \
                     run replayed; an upper bound: the cache's own fill and reads are not counted",
                    cost.extra_stage_ids.len()
                ),
            })
        });
        let evidence = match measured {
            Some(cost) => Evidence::Measured(format!(
                "{rerun}; the relations it reads were scanned {} times in a run, the re-scans \
                 taking {:.1} s of task time and {} ({})",
                cost.scans,
                cost.extra_task_ms as f64 / 1000.0,
                human_bytes(cost.extra_bytes),
                cost.evidence
            )),
            None => Evidence::Proven(rerun),
        };
        let frozen = self.frozen_write(ctx, id, frame);
        let evidence = match &frozen {
            Some(frozen @ FrozenWrite { coalesce: None, .. }) => Evidence::Guessed {
                what: format!(
                    "{}, but a cache freezes its {} shuffle partitions for the write at line {}, \
                     which AQE merges today: up to {} files, small unless the frame is large",
                    evidence_text(&evidence),
                    frozen.partitions,
                    frozen.line,
                    frozen.partitions,
                ),
                confirm: "the written size, measured (a Spark event log of the job)".to_owned(),
            },
            Some(FrozenWrite {
                line,
                partitions,
                coalesce: Some(coalesce),
                ..
            }) => Evidence::Measured(format!(
                "{}; a cache freezes its {partitions} shuffle partitions, so the write at line \
                 {line} gets `{}` ({})",
                evidence_text(&evidence),
                coalesce.call,
                coalesce.method
            )),
            None => evidence,
        };
        let mut edits = self.cache_edits(ctx, frame);
        if !edits.is_empty()
            && let Some(edit) = self.unpersist_edit(ctx, id, frame)
        {
            edits.push(edit);
        }
        if !edits.is_empty()
            && let Some(FrozenWrite {
                frame: written,
                coalesce: Some(coalesce),
                ..
            }) = frozen
        {
            edits.extend(append_method_call(ctx.file, written, &coalesce.call));
        }
        let range = match frame.origin {
            FrameOrigin::Assignment { stmt, .. } => stmt.start()..stmt.start() + frame.name.len(),
            FrameOrigin::Parameter { parameter, .. } => parameter.range(),
            FrameOrigin::Merge { stmt } | FrameOrigin::LoopCarried { stmt } => {
                stmt.start()..stmt.start() + first_word_len(stmt.text())
            }
        };
        let mut diagnostic = ctx.diagnostic(self, range, message, evidence, edits);
        diagnostic.impact = impact;
        diagnostic
    }

    /// The first file write whose partitions come from the frame's own last shuffle, where AQE
    /// would merge them: a cache keeps the cached plan's `spark.sql.shuffle.partitions`
    /// partitions (`canChangeCachedPlanOutputPartitioning` is off by default), so the write
    /// would make up to that many files where it makes few today. `None` when no such write
    /// reads the frame, when the write sets its own partitions or is partitioned (the
    /// partitioned write is repartitioned by its columns: control-output-files), or when the
    /// logs measured it large enough that the frozen partitions make files of at least
    /// control-output-files' `small_file_bytes`. A measured write smaller than that gets a
    /// `.coalesce(N)` with N from its bytes, as control-output-files computes it.
    fn frozen_write<'t>(
        &self,
        ctx: &RuleContext<'_, 't>,
        id: FrameId,
        frame: &Frame<'_>,
    ) -> Option<FrozenWrite<'t>> {
        let layout = frame.layout;
        if layout.shape != Shape::Shuffled
            || layout.controlled
            || layout.cached_shuffle
            || !Adaptive::of(ctx).coalesces
        {
            return None;
        }
        let shuffled_at = layout.shuffled_at?;
        let family: Vec<FrameId> = std::iter::once(id)
            .chain(ctx.lineage.descendants(id))
            .collect();
        let write = ctx.model.writes.iter().find(|w| {
            w.layout.shape == Shape::Shuffled
                && !w.layout.controlled
                && !w.layout.cached_shuffle
                && w.layout.shuffled_at == Some(shuffled_at)
                && w.writes_files()
                && !w.assumed
                && !w.literal
                && w.partition_arguments().is_empty()
                && w.frames.iter().any(|f| family.contains(f))
        })?;
        let partitions = shuffle_partitions(ctx);
        let coalesce = match write
            .target_pattern
            .as_ref()
            .and_then(|target| ctx.settings.measurements.write(target))
        {
            Some(size) => {
                // control-output-files' notion of a small file and of the count a write needs.
                let measured = Measured::of(&ControlOutputFiles, ctx, size);
                let frozen = partitions.parse::<u64>().unwrap_or(200).max(1);
                if measured.size.bytes / frozen >= measured.small_file_bytes {
                    return None;
                }
                Some(Coalesce {
                    call: format!(".coalesce({})", measured.files),
                    method: format!("{}, {}", measured.method, measured.size.evidence),
                })
            }
            None => None,
        };
        Some(FrozenWrite {
            frame: write.frame,
            line: ctx.line(write.terminal.syntax().start()),
            partitions: partitions.to_owned(),
            coalesce,
        })
    }

    /// `.cache()` on the assigned expression, or `name = name.cache()` right after the `if` or
    /// loop after which the name holds one of several frames. Never on a parameter: the caller
    /// owns that frame, and caching it in place pins it for the rest of the session.
    fn cache_edits(&self, ctx: &RuleContext<'_, '_>, frame: &Frame<'_>) -> Vec<Edit> {
        match frame.origin {
            FrameOrigin::Assignment { value, .. } => {
                append_method_call(ctx.file, value, ".cache()")
            }
            FrameOrigin::Merge { stmt } => vec![insert_after_statement(
                ctx.file,
                stmt,
                &format!("{0} = {0}.cache()", frame.name),
            )],
            FrameOrigin::Parameter { .. } | FrameOrigin::LoopCarried { .. } => Vec::new(),
        }
    }

    /// `name.unpersist()` after the statement of the frame's block that contains the last action
    /// reaching it; `None` when the frame escapes, is not this code's own (a parameter, an alias),
    /// or the name is rebound before that point.
    fn unpersist_edit(
        &self,
        ctx: &RuleContext<'_, '_>,
        id: FrameId,
        frame: &Frame<'_>,
    ) -> Option<Edit> {
        if !frame.owns_plan() {
            return None;
        }
        let model = ctx.model;
        let family: Vec<FrameId> = std::iter::once(id)
            .chain(ctx.lineage.descendants(id))
            .collect();
        if family
            .iter()
            .any(|f| model.frame(*f).escapes || model.frame(*f).returned)
        {
            return None;
        }
        let block = Block::cast(frame.block?)?;
        let last = ctx
            .lineage
            .reaching(id)
            .iter()
            .map(|a| model.action(*a).node)
            .max_by_key(|n| n.start())?;
        let stmt = block
            .statements()
            .find(|s| s.syntax().start() <= last.start() && last.end() <= s.syntax().end())?;
        if stmt.always_exits() {
            // Nothing after it runs: a return, a raise, a block that always leaves.
            return None;
        }
        let stmt = stmt.syntax();
        let rebound = model.frames.iter().any(|other| {
            other.name == frame.name
                && other.scope == frame.scope
                && other.definition().start() > frame.definition().start()
                && other.definition().start() <= stmt.end()
        });
        if rebound {
            return None;
        }
        Some(insert_after_statement(
            ctx.file,
            stmt,
            &format!("{}.unpersist()", frame.name),
        ))
    }
}

/// A write whose partitions a cache of the frame would freeze.
struct FrozenWrite<'t> {
    /// The DataFrame expression the write writes.
    frame: SyntaxNode<'t>,
    /// The 1-based line of the write's terminal call.
    line: crate::cells::LineRef,
    /// The shuffle partitions the file runs with.
    partitions: String,
    /// With a measured write too small for the frozen partitions: the coalesce that keeps its
    /// files few (it reads the cache, so it shrinks no costly stage).
    coalesce: Option<Coalesce>,
}

/// `.coalesce(N)` for a measured write, and how N was computed.
struct Coalesce {
    call: String,
    method: String,
}

/// The text of a proven or measured evidence, without its level.
fn evidence_text(evidence: &Evidence) -> &str {
    match evidence {
        Evidence::Proven(what) | Evidence::Measured(what) => what,
        Evidence::Guessed { what, .. } => what,
    }
}

/// The length of the first word of a statement (`if`, `for`, `while`), to point at it.
fn first_word_len(text: &str) -> usize {
    text.find(|c: char| !c.is_alphanumeric())
        .unwrap_or(text.len())
}
