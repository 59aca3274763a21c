//! Runs the Spark jobs of `tests/spark/jobs/` with real PySpark before and after `sparkfix --write`:
//! the fixed job must give the same result, and Spark must execute it the way the rule says.
//!
//! The first run installs PySpark in `target/spark-venv` (see `support/pyspark.rs`); it needs
//! python3, Java 17 and network access to PyPI.

#[path = "support/pyspark.rs"]
mod pyspark;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread;

use similar::{ChangeTag, TextDiff};

/// A job of `tests/spark/jobs/`.
fn job(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/spark/jobs")
        .join(name)
}

/// Runs `sparkfix --write --select <rule>` on `file` (only the rule a test is about) and returns
/// its exit code and output.
fn sparkfix_write(file: &Path, rule: &str) -> (i32, String) {
    // These jobs prove what a fix does to Spark (same rows, the promised plan or files); some
    // of their fixes rest on names or unknown input sizes, which makes them unsafe: apply them.
    let output = Command::new(env!("CARGO_BIN_EXE_sparkfix"))
        // The jobs run on PySpark 4.3: the fixes are those for that version.
        .args([
            "--write",
            "--unsafe-fixes",
            "--target-spark",
            "4.3",
            "--select",
            rule,
        ])
        .arg(file)
        .current_dir(file.parent().unwrap())
        .output()
        .expect("the sparkfix binary runs");
    (
        output.status.code().expect("sparkfix exits normally"),
        pyspark::show(&output),
    )
}

/// What a job prints as its last line: `{"rows": [...], "joins": ["SortMergeJoin Inner", ...]}`.
#[derive(Debug)]
struct JobResult {
    /// The JSON text of the sorted result rows (compared as text: the job sorts them and
    /// `json.dumps` is deterministic).
    rows: String,
    /// `<join operator> <join type>` for each join of the executed plan, outermost first.
    joins: Vec<String>,
}

impl JobResult {
    /// Parses the job's last stdout line. Only this fixed shape is accepted: the job's join
    /// names are plain words, so no JSON parser is needed.
    fn parse(stdout: &[u8]) -> JobResult {
        let stdout = String::from_utf8_lossy(stdout);
        let line = stdout
            .lines()
            .rev()
            .find(|line| !line.trim().is_empty())
            .unwrap_or_else(|| panic!("the job printed nothing on stdout"));
        let shape_error = || -> ! { panic!("not a job result line: {line}") };
        let body = line
            .strip_prefix(r#"{"rows": "#)
            .and_then(|rest| rest.strip_suffix("]}"))
            .unwrap_or_else(|| shape_error());
        let (rows, joins) = body
            .rsplit_once(r#", "joins": ["#)
            .unwrap_or_else(|| shape_error());
        let joins = joins
            .split(", ")
            .filter(|join| !join.is_empty())
            .map(|join| {
                join.strip_prefix('"')
                    .and_then(|join| join.strip_suffix('"'))
                    .unwrap_or_else(|| shape_error())
                    .to_owned()
            })
            .collect();
        JobResult {
            rows: rows.to_owned(),
            joins,
        }
    }
}

/// Runs `script` with a fresh base folder next to it and parses its result.
fn run(script: &Path) -> JobResult {
    let base = script.with_file_name("data");
    let output = pyspark::run_job(script, &[base.to_str().expect("a UTF-8 temporary path")]);
    JobResult::parse(&output.stdout)
}

/// SPK002 hints the product and customer dimensions (an inner and a left join) and leaves the
/// right outer join alone: with Spark's automatic broadcast off, as for dimensions over 10 MB,
/// the original job sort-merge joins all three, the fixed one broadcasts the two hinted
/// dimensions, and both give the same rows.
#[test]
fn broadcast_fix_keeps_results_and_broadcasts() {
    let source = fs::read_to_string(job("broadcast_dimensions.py")).unwrap();
    let original_dir = tempfile::tempdir().unwrap();
    let fixed_dir = tempfile::tempdir().unwrap();
    let original_job = original_dir.path().join("broadcast_dimensions.py");
    let fixed_job = fixed_dir.path().join("broadcast_dimensions.py");
    fs::write(&original_job, &source).unwrap();
    fs::write(&fixed_job, &source).unwrap();

    // Without --exit-non-zero-on-fix, a --write that fixed everything it could exits 0.
    let (code, output) = sparkfix_write(&fixed_job, "SPK002");
    assert_eq!(code, 0, "sparkfix --write failed\n{output}");
    let fixed = fs::read_to_string(&fixed_job).unwrap();
    assert_ne!(fixed, source, "sparkfix changed nothing\n{output}");
    for join in [
        r#".join(broadcast(products), "product_id")"#,
        r#".join(broadcast(customers), "customer_id", "left")"#,
        r#".join(regions, "region_id", "right")"#,
    ] {
        assert!(
            fixed.contains(join),
            "no `{join}` in the fixed job:\n{fixed}"
        );
    }
    // Only the two hinted joins and the functions import changed.
    let diff = TextDiff::from_lines(&source, &fixed);
    for change in diff.iter_all_changes() {
        let line = change.value().trim();
        match change.tag() {
            ChangeTag::Equal => {}
            ChangeTag::Delete => assert!(
                line.starts_with("from pyspark.sql.functions import ")
                    || line.starts_with(".join(products,")
                    || line.starts_with(".join(customers,"),
                "the fix changed `{line}`:\n{}",
                diff.unified_diff()
            ),
            ChangeTag::Insert => assert!(
                (line.starts_with("from pyspark.sql.functions import ")
                    && line.contains("broadcast"))
                    || line.starts_with(".join(broadcast("),
                "the fix wrote `{line}`:\n{}",
                diff.unified_diff()
            ),
        }
    }

    // Each job starts its own JVM; running both at once saves about a third of the wall time
    // on two cores.
    // The bootstrap first, on this thread, so that its failure is this test's message.
    pyspark::python();
    let (original, fixed) = thread::scope(|scope| {
        let original = scope.spawn(|| run(&original_job));
        let fixed = scope.spawn(|| run(&fixed_job));
        let join = |job: thread::ScopedJoinHandle<'_, JobResult>| {
            job.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        };
        (join(original), join(fixed))
    });

    assert_eq!(
        original.rows, fixed.rows,
        "the fix changed the job's result"
    );
    // The rows show all three joins at work: a region without sales (right outer join) and
    // guest customers without a segment (left join).
    let guest_rows = original
        .rows
        .split("], [")
        .filter(|row| !row.contains("islands") && row.split(", ").nth(2) == Some("null"))
        .count();
    assert!(
        original
            .rows
            .contains(r#"["islands", null, null, 0, null]"#)
            && guest_rows > 0,
        "unexpected result rows: {}",
        original.rows
    );
    assert_eq!(
        original.joins,
        [
            "SortMergeJoin RightOuter",
            "SortMergeJoin LeftOuter",
            "SortMergeJoin Inner"
        ],
        "joins of the original plan"
    );
    assert_eq!(
        fixed.joins,
        [
            "SortMergeJoin RightOuter",
            "BroadcastHashJoin LeftOuter",
            "BroadcastHashJoin Inner"
        ],
        "joins of the fixed plan"
    );
}

/// Copies `name` into two temporary folders, fixes one copy with `rule`, and runs both with
/// PySpark at once. Returns the fixed source and both jobs' stdout.
fn run_original_and_fixed(name: &str, rule: &str) -> (String, String, String) {
    let source = fs::read_to_string(job(name)).unwrap();
    let original_dir = tempfile::tempdir().unwrap();
    let fixed_dir = tempfile::tempdir().unwrap();
    let original_job = original_dir.path().join(name);
    let fixed_job = fixed_dir.path().join(name);
    fs::write(&original_job, &source).unwrap();
    fs::write(&fixed_job, &source).unwrap();
    let (code, output) = sparkfix_write(&fixed_job, rule);
    assert_eq!(code, 0, "sparkfix --write failed\n{output}");
    let fixed = fs::read_to_string(&fixed_job).unwrap();

    pyspark::python();
    let stdout = |script: &Path| {
        let base = script.with_file_name("data");
        let output = pyspark::run_job(script, &[base.to_str().expect("a UTF-8 temporary path")]);
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        text.lines()
            .rev()
            .find(|line| !line.trim().is_empty())
            .unwrap_or_default()
            .to_owned()
    };
    let (original, after) = thread::scope(|scope| {
        let original = scope.spawn(|| stdout(&original_job));
        let after = scope.spawn(|| stdout(&fixed_job));
        let join = |job: thread::ScopedJoinHandle<'_, String>| {
            job.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        };
        (join(original), join(after))
    });
    (fixed, original, after)
}

/// `key=value` pairs of a job's result line.
fn figures(line: &str) -> Vec<(String, u64)> {
    line.split_whitespace()
        .map(|pair| {
            let (key, value) = pair
                .split_once('=')
                .unwrap_or_else(|| panic!("not a result line: {line}"));
            (
                key.to_owned(),
                value
                    .parse()
                    .unwrap_or_else(|_| panic!("not a number in: {line}")),
            )
        })
        .collect()
}

fn figure(figures: &[(String, u64)], key: &str) -> u64 {
    figures
        .iter()
        .find(|(k, _)| k == key)
        .unwrap_or_else(|| panic!("no {key} in {figures:?}"))
        .1
}

/// SPK003 on 16 input tasks writing 30 dates: the plain partitioned write leaves one file per
/// task per date (480, as spark-facts.md measured), the rebalanced one a file per date; the
/// map-only write goes from one file per input split to what AQE's rebalance makes of the small
/// output. The rows written are the same.
#[test]
fn output_files_fix_writes_one_file_per_date() {
    let (fixed, original, after) = run_original_and_fixed("partitioned_output.py", "SPK003");
    assert!(
        fixed.contains(r#"clean.hint("rebalance", "transaction_date").write.mode("overwrite").partitionBy("transaction_date")"#)
            && fixed.contains(r#"clean.hint("rebalance").write.mode("overwrite").parquet("#),
        "the fix:\n{fixed}"
    );
    let (original, after) = (figures(&original), figures(&after));
    eprintln!("partitioned_output.py: original {original:?}, fixed {after:?}");
    assert_eq!(figure(&original, "dates"), 30);
    assert_eq!(figure(&after, "dates"), 30);
    assert_eq!(
        figure(&original, "rows"),
        figure(&after, "rows"),
        "same rows written"
    );
    assert_eq!(
        figure(&original, "by_date_files"),
        16 * 30,
        "plain partitionBy: one file per task per date"
    );
    assert_eq!(
        figure(&after, "by_date_files"),
        30,
        "rebalanced by the date: one file per date"
    );
    assert_eq!(
        figure(&original, "flat_files"),
        16,
        "map-only: one file per input split"
    );
    assert!(
        figure(&after, "flat_files") < 16,
        "rebalanced map-only write: fewer files ({after:?})"
    );
}

/// SPK009 on tests that only ask whether a DataFrame has rows: the same answers, and fewer tasks
/// where the map-only frame has rows (a count or collect reads all 16 input splits, `head(1)` the
/// first one; `limit(1).count()` runs a task per split and a shuffle); an empty frame is read in
/// full either way, never more. After the aggregation the test becomes `isEmpty()`.
#[test]
fn emptiness_fix_keeps_answers_and_reads_less() {
    let (fixed, original, after) = run_original_and_fixed("emptiness_checks.py", "SPK009");
    for test in [
        "has_errors = len(errors.head(1)) > 0",
        "none_missing = len(missing.head(1)) == 0",
        "no_events = len(events.head(1)) == 0",
        "has_rows = len(events.head(1)) > 0",
        "rdd_empty = len(errors.head(1)) == 0",
        "has_kinds = not kinds.isEmpty()",
    ] {
        assert!(fixed.contains(test), "{test} in the fix:\n{fixed}");
    }
    let (original, after) = (figures(&original), figures(&after));
    eprintln!("emptiness_checks.py: original {original:?}, fixed {after:?}");
    for answer in [
        "has_errors",
        "none_missing",
        "no_events",
        "has_rows",
        "rdd_empty",
        "has_kinds",
    ] {
        assert_eq!(
            figure(&original, answer),
            figure(&after, answer),
            "{answer}: the same answer"
        );
    }
    assert_eq!(
        figure(&original, "errors_tasks"),
        17,
        "a count: 16 splits and a merge"
    );
    assert_eq!(
        figure(&after, "errors_tasks"),
        1,
        "head(1): the first split has a row"
    );
    assert_eq!(
        figure(&original, "limited_tasks"),
        17,
        "limit(1).count(): 16 splits and a merge"
    );
    assert_eq!(figure(&after, "limited_tasks"), 1);
    assert_eq!(figure(&original, "collected_tasks"), 16);
    assert_eq!(figure(&after, "collected_tasks"), 1);
    assert!(figure(&after, "missing_tasks") <= figure(&original, "missing_tasks"));
    assert!(figure(&after, "rdd_tasks") <= figure(&original, "rdd_tasks"));
}

/// SPK010 on loops that add, cast, flag and rename columns one at a time, and on a chain of five
/// `withColumn` calls: the one-call version gives the same rows with one projection per loop or
/// chain instead of one per column.
#[test]
fn column_loop_fix_keeps_rows_with_fewer_projections() {
    let (fixed, original, after) = run_original_and_fixed("column_loops.py", "SPK010");
    assert_eq!(
        fixed.matches(".withColumns(").count(),
        4,
        "the fix:\n{fixed}"
    );
    assert_eq!(
        fixed.matches(".withColumnsRenamed(").count(),
        1,
        "the fix:\n{fixed}"
    );
    assert!(
        !fixed
            .lines()
            .any(|line| line.trim_start().starts_with("for ")),
        "no loop left:\n{fixed}"
    );
    let split = |line: &str| -> (u64, String) {
        let (projects, rows) = line
            .strip_prefix("projects=")
            .and_then(|rest| rest.split_once(" rows="))
            .unwrap_or_else(|| panic!("not a result line: {line}"));
        (projects.parse().unwrap(), rows.to_owned())
    };
    let ((before, rows_before), (after, rows_after)) = (split(&original), split(&after));
    eprintln!("column_loops.py: projections {before} -> {after}");
    assert_eq!(rows_before, rows_after, "the same rows");
    assert_eq!(before, 14, "one projection per column");
    assert_eq!(after, 5, "one per loop or chain");
}

/// SPK011 on a UDF-scored export written as one file with `coalesce(1)`: the repartitioned job
/// writes the same rows in one file, and the UDF runs on the 16 input splits instead of one task
/// (plus the one task that writes the file).
#[test]
fn coalesce_fix_keeps_rows_and_runs_the_stage_on_every_split() {
    let (fixed, original, after) = run_original_and_fixed("coalesced_export.py", "SPK011");
    assert!(
        fixed.contains("scored.repartition(1).write"),
        "the fix:\n{fixed}"
    );
    let (original, after) = (figures(&original), figures(&after));
    eprintln!("coalesced_export.py: original {original:?}, fixed {after:?}");
    for same in ["rows", "files", "checksum"] {
        assert_eq!(figure(&original, same), figure(&after, same), "{same}");
    }
    assert_eq!(figure(&after, "files"), 1);
    assert_eq!(
        figure(&original, "tasks"),
        1,
        "coalesce(1): the whole stage on one task"
    );
    assert_eq!(
        figure(&after, "tasks"),
        17,
        "repartition(1): 16 splits, then one writer"
    );
}

/// SPK011 with `--profile`: nothing in the code proves the coalesced scan costly, the event log
/// of the job's run does (the scan ran on one task for seconds while the run had two slots). The
/// fix is measured and safe, and the repartitioned job writes the same rows in one file.
#[test]
fn coalesce_measured_by_the_jobs_log_is_repartitioned() {
    let name = "coalesced_scan.py";
    let work = tempfile::tempdir().unwrap();
    let script = work.path().join(name);
    fs::write(&script, fs::read_to_string(job(name)).unwrap()).unwrap();
    let base = work.path().join("data");
    let events = work.path().join("events");
    fs::create_dir_all(&events).unwrap();
    let event_dir = format!("spark.eventLog.dir=file://{}", events.display());
    let submit = [
        "--conf",
        "spark.eventLog.enabled=true",
        "--conf",
        &event_dir,
    ];
    pyspark::python();
    let original = pyspark::run_job_with(&script, &[base.to_str().unwrap()], &submit);
    let original = String::from_utf8_lossy(&original.stdout).into_owned();

    let check = Command::new(env!("CARGO_BIN_EXE_sparkfix"))
        .args(["--target-spark", "4.3", "--select", "SPK011", "--profile"])
        .arg(&events)
        .arg(&script)
        .current_dir(work.path())
        .output()
        .expect("the sparkfix binary runs");
    let finding = String::from_utf8_lossy(&check.stdout).into_owned();
    eprintln!("{finding}");
    assert!(
        finding.contains("SPK011 Use `repartition(1)` instead of `coalesce(1)`: the write's stage ran on 1 task(s)")
            && finding.contains("(measured: event log "),
        "{finding}"
    );
    let output = Command::new(env!("CARGO_BIN_EXE_sparkfix"))
        .args([
            "--write",
            "--target-spark",
            "4.3",
            "--select",
            "SPK011",
            "--profile",
        ])
        .arg(&events)
        .arg(&script)
        .current_dir(work.path())
        .output()
        .expect("the sparkfix binary runs");
    let shown = pyspark::show(&output);
    let fixed = fs::read_to_string(&script).unwrap();
    assert!(
        fixed.contains("matching.repartition(1).write"),
        "the fix:\n{fixed}\n{shown}"
    );
    let after = pyspark::run_job(&script, &[base.to_str().unwrap()]);
    let after = String::from_utf8_lossy(&after.stdout).into_owned();
    let last = |text: &str| {
        text.lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default()
            .to_owned()
    };
    let (original, after) = (figures(&last(&original)), figures(&last(&after)));
    eprintln!("coalesced_scan.py: original {original:?}, fixed {after:?}");
    assert_eq!(figure(&original, "rows"), figure(&after, "rows"));
    assert_eq!(figure(&after, "files"), 1);
}
