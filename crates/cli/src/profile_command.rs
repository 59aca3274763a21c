//! `sparkfix profile LOG...`: prints what the event logs measured, as tables a user can check
//! against the Spark UI: the run and its settings, inputs with their sizes, joins with their
//! strategy and sides, writes with files and bytes, the slowest stages, the relations
//! scanned more than once, and the run's duration modelled at other executor counts.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use sparkfix_eventlog::{Relation, Run, replay};
use sparkfix_transform::measured::matching;
use sparkfix_transform::{RelationUse, SpelledRelation, human_bytes, spelled_relations};

use crate::args::ProfileInvocation;
use crate::config::Resolver;
use crate::exclude::Exclude;
use crate::output::Output;
use crate::test_files::TestFiles;
use crate::{discover, eventlogs, paths};

/// How many stages the "slowest stages" table lists.
const SLOWEST_STAGES: usize = 5;

/// Runs the subcommand.
pub fn run(invocation: &ProfileInvocation) -> ExitCode {
    let loaded = eventlogs::load(&invocation.logs);
    let mut output = Output::new();
    let (code, code_failed) = spelled_in(&invocation.code, &mut output);
    let mut text = String::new();
    for run in &loaded.profile.runs {
        push_run(&mut text, run, code.as_deref());
    }
    output.out(text.as_bytes());
    for problem in &loaded.problems {
        output.err(&format!("{}: {}\n", problem.file, problem.message));
    }
    if loaded.failed || code_failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// A path or table a job file spells, and where.
struct Spelled {
    file: String,
    relation: SpelledRelation,
}

/// The reads and writes of the job files under `paths` (`None` when no `--code` was given), and
/// whether some file could not be read.
fn spelled_in(paths: &[PathBuf], output: &mut Output) -> (Option<Vec<Spelled>>, bool) {
    if paths.is_empty() {
        return (None, false);
    }
    let cwd = std::env::current_dir().ok();
    let root = cwd.clone().unwrap_or_default();
    let exclude = Exclude::new(&[], &root).expect("no globs to refuse");
    // Named job files are matched whatever their folder: skipping test files is for findings.
    let tests = TestFiles::new(&root);
    let resolver = std::sync::Arc::new(Resolver::without_configuration(&root));
    let mut spelled = Vec::new();
    let mut failed = false;
    // Notebooks are not read here (yet): only Python files.
    let python = crate::language::Extensions::default();
    for target in discover::discover(paths, &exclude, &tests, &python, &resolver)
        .into_iter()
        .filter(|target| target.language == crate::language::Language::Python)
    {
        let file = paths::display(&target.path, cwd.as_deref());
        let relations = match &target.problem {
            Some(problem) => Err(problem.to_string()),
            None => std::fs::read_to_string(&target.path)
                .map_err(|error| format!("cannot read: {error}"))
                .and_then(|text| spelled_relations(&text).map_err(|error| error.to_string())),
        };
        match relations {
            Ok(relations) => spelled.extend(relations.into_iter().map(|relation| Spelled {
                file: file.clone(),
                relation,
            })),
            Err(reason) => {
                failed = true;
                output.err(&format!("{file}: {reason}\n"));
            }
        }
    }
    (Some(spelled), failed)
}

/// `file:line` of each place in the code that reads (or writes) `relation`.
fn code_lines(code: &[Spelled], relation: &Relation, usage: RelationUse) -> String {
    let places: Vec<String> = code
        .iter()
        .filter(|spelled| {
            spelled.relation.usage == usage && matching::matches(&spelled.relation.source, relation)
        })
        .map(|spelled| format!("{}:{}", spelled.file, spelled.relation.line))
        .collect();
    if places.is_empty() {
        "-".to_string()
    } else {
        places.join(", ")
    }
}

/// The report of one run; with `code`, each input and write names the lines that match it.
fn push_run(out: &mut String, run: &Run, code: Option<&[Spelled]>) {
    let name = run.app_name.as_deref().unwrap_or("?");
    let version = run.spark_version.as_deref().unwrap_or("?");
    let duration = run.duration_ms().map_or("?".to_string(), seconds);
    let _ = writeln!(
        out,
        "run {} ({name}): Spark {version}, {duration}, log {}",
        run.label(),
        run.log
    );
    push_settings(out, run);

    // Without `--code` the last column stays empty and its header blank: trimmed away.
    let code_header = if code.is_some() { "code" } else { "" };
    let mut inputs = Table::new([
        "query",
        "relation",
        "format",
        "read",
        "files",
        "rows",
        "in memory",
        code_header,
    ]);
    let mut joins = Table::new([
        "query",
        "strategy",
        "type",
        "left",
        "left size",
        "right",
        "right size",
    ]);
    let mut writes = Table::new([
        "query",
        "target",
        "files",
        "bytes",
        "rows",
        "partitions",
        code_header,
    ]);
    let lines = |relation: &Relation, usage| {
        code.map_or(String::new(), |code| code_lines(code, relation, usage))
    };
    for query in &run.queries {
        for scan in &query.scans {
            inputs.row([
                query.id.to_string(),
                scan.relation.display(),
                scan.format.clone().unwrap_or_default(),
                bytes(scan.bytes_read),
                count(scan.files_read),
                count(scan.rows),
                bytes(scan.exchange_bytes),
                lines(&scan.relation, RelationUse::Read),
            ]);
        }
        for join in &query.joins {
            joins.row([
                query.id.to_string(),
                join.strategy.name().to_string(),
                join.join_type.clone().unwrap_or_default(),
                relations(&join.left.relations),
                bytes(join.left.bytes),
                relations(&join.right.relations),
                bytes(join.right.bytes),
            ]);
        }
        for write in &query.writes {
            writes.row([
                query.id.to_string(),
                write.target.display(),
                count(write.files),
                bytes(write.bytes),
                count(write.rows),
                count(write.dynamic_partitions),
                lines(&write.target, RelationUse::Write),
            ]);
        }
    }
    inputs.push(out, "inputs");
    joins.push(out, "joins");
    writes.push(out, "writes");

    let mut stages: Vec<_> = run.stages.iter().filter(|stage| stage.tasks > 0).collect();
    stages.sort_by_key(|stage| std::cmp::Reverse(stage.task_time_ms));
    let mut slowest = Table::new([
        "stage",
        "tasks",
        "task time",
        "max/median task",
        "input",
        "shuffle read",
        "shuffle write",
        "spill",
        "gc",
    ]);
    for stage in stages.into_iter().take(SLOWEST_STAGES) {
        slowest.row([
            format!("{}.{}", stage.id, stage.attempt),
            stage.tasks.to_string(),
            seconds(stage.task_time_ms),
            format!(
                "{} / {}",
                seconds(stage.max_task_ms),
                seconds(stage.median_task_ms)
            ),
            human_bytes(stage.input_bytes),
            human_bytes(stage.shuffle_read_bytes),
            human_bytes(stage.shuffle_write_bytes),
            human_bytes(stage.memory_spill_bytes + stage.disk_spill_bytes),
            seconds(stage.gc_time_ms),
        ]);
    }
    slowest.push(out, "slowest stages");

    let mut rescans = Table::new(["relation", "scans", "re-read", "re-scan task time"]);
    for rescan in run.rescans() {
        rescans.row([
            rescan.relation.display(),
            rescan.scans.to_string(),
            human_bytes(rescan.extra_bytes),
            seconds(rescan.extra_task_ms),
        ]);
    }
    rescans.push(out, "relations scanned more than once");

    let mut aggregates = Table::new([
        "query",
        "operator",
        "keys",
        "rows in",
        "rows out",
        "out/in",
        "build time",
        "spill",
    ]);
    for query in &run.queries {
        for aggregate in &query.partial_aggregates {
            aggregates.row([
                query.id.to_string(),
                aggregate.operator.clone(),
                aggregate.keys.join(", "),
                count(aggregate.input_rows),
                count(aggregate.output_rows),
                aggregate
                    .output_ratio()
                    .map_or("-".to_string(), |ratio| format!("{:.0}%", ratio * 100.0)),
                aggregate.build_time_ms.map_or("-".to_string(), seconds),
                bytes(aggregate.spill_bytes),
            ]);
        }
    }
    aggregates.push(out, "partial aggregations (before a shuffle)");
    push_cluster_sizes(out, run);
    out.push('\n');
}

/// The run's duration modelled at other executor counts (replay of its measured tasks), with
/// the model's error on the measured run.
fn push_cluster_sizes(out: &mut String, run: &Run) {
    let Some(measured) = replay::on_measured_slots(run) else {
        let _ = writeln!(
            out,
            "\ncluster size: not modelled (the log lacks job times, executor cores or the run's end)"
        );
        return;
    };
    let peak = run.executors.peak_count.max(1);
    let sized = replay::at_executor_counts(run, &replay::candidate_executors(peak));
    let mut table = Table::new(["executors", "slots", "duration", "utilization", ""]);
    for (count, modelled) in &sized {
        let mark = if *count == peak { "measured run" } else { "" };
        table.row([
            count.to_string(),
            modelled.slots.to_string(),
            seconds(modelled.total_ms()),
            format!(
                "{:.0}%",
                100.0 * replay::utilization(run, modelled.slots, modelled.total_ms())
            ),
            mark.to_string(),
        ]);
    }
    table.push(
        out,
        &format!(
            "cluster size (modelled: the measured tasks replayed on the stage graph, {} outside \
             jobs kept; {:+.0}% against the measured {})",
            seconds(measured.replay.driver_ms),
            100.0 * measured.error(),
            seconds(measured.measured_ms)
        ),
    );
}

/// The settings that decide the rules' figures, each marked `(default)` when the log does not
/// set it.
fn push_settings(out: &mut String, run: &Run) {
    let setting = |key: &str, default: &str| match run.property(key) {
        Some(value) => value.to_string(),
        None => format!("{default} (default)"),
    };
    let executors = &run.executors;
    let _ = writeln!(
        out,
        "settings: shuffle partitions {}, AQE {}, broadcast threshold {}, dynamic allocation {}",
        setting("spark.sql.shuffle.partitions", "200"),
        setting("spark.sql.adaptive.enabled", "true"),
        setting("spark.sql.autoBroadcastJoinThreshold", "10MB"),
        setting("spark.dynamicAllocation.enabled", "false"),
    );
    let _ = writeln!(
        out,
        "executors: {} at most ({} requested) x {} cores, executor memory {}{}",
        executors.peak_count,
        run.property("spark.executor.instances").unwrap_or("none"),
        executors
            .cores
            .map_or("?".to_string(), |cores| cores.to_string()),
        executors
            .memory_bytes
            .map_or("1 GiB (default)".to_string(), human_bytes),
        executors
            .peak_heap_bytes
            .map_or(String::new(), |peak| format!(
                ", peak JVM heap {}",
                human_bytes(peak)
            )),
    );
}

fn relations(relations: &[Relation]) -> String {
    relations
        .iter()
        .map(Relation::display)
        .collect::<Vec<_>>()
        .join(" + ")
}

fn bytes(value: Option<u64>) -> String {
    value.map_or("-".to_string(), human_bytes)
}

fn count(value: Option<u64>) -> String {
    value.map_or("-".to_string(), |value| value.to_string())
}

fn seconds(ms: u64) -> String {
    format!("{:.1} s", ms as f64 / 1000.0)
}

/// A text table with left-aligned columns.
struct Table<const N: usize> {
    headers: [&'static str; N],
    rows: Vec<[String; N]>,
}

impl<const N: usize> Table<N> {
    fn new(headers: [&'static str; N]) -> Self {
        Table {
            headers,
            rows: Vec::new(),
        }
    }

    fn row(&mut self, row: [String; N]) {
        self.rows.push(row);
    }

    /// Appends the table under `title`, or a line saying there is nothing.
    fn push(&self, out: &mut String, title: &str) {
        if self.rows.is_empty() {
            let _ = writeln!(out, "\n{title}: none");
            return;
        }
        let _ = writeln!(out, "\n{title}:");
        let mut widths = self.headers.map(|header| header.chars().count());
        for row in &self.rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let mut line = |cells: Vec<&str>| {
            let mut text = String::from(" ");
            for (cell, width) in cells.iter().zip(widths) {
                let _ = write!(text, " {cell:<width$}");
            }
            let _ = writeln!(out, "{}", text.trim_end());
        };
        line(self.headers.to_vec());
        for row in &self.rows {
            line(row.iter().map(String::as_str).collect());
        }
    }
}
