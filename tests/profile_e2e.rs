//! `--profile` end to end, with real PySpark: a job runs with its event log on (set outside
//! the job, as a user would), `sparkfix --write --profile <that log>` fixes it, and the fixed job
//! runs again. The fixed run must write the same rows, and its own event log must show what the
//! fixes promised: the broadcasts and the cache in the new plan, the number of files predicted
//! from the measured bytes.
//!
//! The data is made by `tests/eventlogs/make_data.py` (the generator of the committed logs):
//! a fact table of 3 million rows, small dimensions, 300 tiny landing files. Like the committed
//! logs, the runs set `spark.sql.autoBroadcastJoinThreshold` to 1 KiB so that the KB-sized
//! dimensions stand in for dimensions above Spark's 10 MB default.

#[path = "support/pyspark.rs"]
mod pyspark;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use sparkfix_eventlog::{JoinStrategy, LogReader, Run, layout};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `script BASE` with event logging into `events`, on two local cores; returns its stdout.
fn run_logged(script: &Path, base: &Path, events: &Path, extra: &str) -> Vec<u8> {
    fs::create_dir_all(events).unwrap();
    let submit = format!(
        "--master local[2] --conf spark.eventLog.enabled=true --conf spark.eventLog.dir=file://{} \
         --conf spark.ui.enabled=false {extra} pyspark-shell",
        events.display()
    );
    pyspark::run_job_with_env(
        script,
        &[base.to_str().unwrap()],
        &[("PYSPARK_SUBMIT_ARGS", &submit)],
    )
    .stdout
}

/// Reads the one Spark 4 rolled log Spark wrote into `events`.
fn read_log(events: &Path) -> Run {
    let rolled = fs::read_dir(events)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| layout::is_rolled_folder(path.file_name().unwrap().to_str().unwrap()))
        .unwrap_or_else(|| panic!("no eventlog_v2_ folder in {}", events.display()));
    let names: Vec<String> = fs::read_dir(&rolled)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut reader = LogReader::new(rolled.display().to_string());
    for part in layout::rolled_parts(&names) {
        reader.read_file(part, fs::File::open(rolled.join(part)).unwrap());
    }
    let (run, problems) = reader.finish();
    assert!(problems.is_empty(), "{problems:?}");
    run
}

/// `sparkfix --write --profile events job`, asserting it processed the job; returns its
/// stdout+stderr.
fn sparkfix_write(job: &Path, events: &Path) -> String {
    sparkfix_write_with(job, events, &[])
}

/// `sparkfix --write --profile events [extra...] job`, asserting it processed the job: exit 0,
/// or 1 when proven or measured findings are left (their fixes unsafe), never 2.
fn sparkfix_write_with(job: &Path, events: &Path, extra: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_sparkfix"))
        .arg("--write")
        .arg("--profile")
        .arg(events)
        .args(extra)
        .arg(job)
        .output()
        .unwrap();
    let shown = pyspark::show(&output);
    assert!(matches!(output.status.code(), Some(0 | 1)), "{shown}");
    shown
}

/// Whether two parquet folders hold the same rows (compared sorted, with PySpark).
fn assert_same_rows(before: &Path, after: &Path) {
    let script = repo().join("tests/spark/same_rows.py");
    let output = pyspark::run_job(
        &script,
        &[before.to_str().unwrap(), after.to_str().unwrap()],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("same rows"), "{}", pyspark::show(&output));
}

fn part_files(folder: &Path) -> usize {
    fs::read_dir(folder)
        .unwrap()
        .filter(|entry| {
            entry
                .as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("part-")
        })
        .count()
}

/// Makes the data once for both tests (they run one after the other: one Spark job at a time).
fn data(work: &Path) -> PathBuf {
    let base = work.join("data");
    pyspark::run_job(
        &repo().join("tests/eventlogs/make_data.py"),
        &[base.to_str().unwrap()],
    );
    base
}

#[test]
fn jobs_fixed_by_their_own_event_logs() {
    let work = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let base = data(work.path());
    example_job(work.path(), &base);
    small_files_job(work.path(), &base);
    cached_aggregate_job(work.path(), &base);
    counts_folded(work.path(), &base);
}

/// The example job: the log measures the dimensions small against the fact table, so the
/// products join gets a safe broadcast, and the joined frame its cache. The customers join
/// stays a sort-merge join: the aggregation after it ran in one phase on that join's shuffle
/// partitioning, and the log shows a broadcast would add a partial phase, a shuffle and a
/// second build of its groups, more than the broadcast removes.
fn example_job(work: &Path, base: &Path) {
    let job = work.join("customer_purchase_analytics.py");
    let source =
        fs::read_to_string(repo().join("examples/customer_purchase_analytics.py")).unwrap();
    let local = format!("file://{}/bucket/", base.display());
    fs::write(&job, source.replace("s3://bucket/", &local)).unwrap();
    let threshold = "--conf spark.sql.autoBroadcastJoinThreshold=1024";
    let output = base.join("bucket/summaries/customer_purchase_summary");

    let before = work.join("events-before");
    let _ = run_logged(&job, base, &before, threshold);
    let first = read_log(&before);
    let joins: Vec<_> = first
        .queries
        .iter()
        .flat_map(|q| &q.joins)
        .map(|j| j.strategy)
        .collect();
    assert!(
        joins.iter().all(|&s| s == JoinStrategy::SortMerge),
        "{joins:?}"
    );
    let kept = work.join("summary-before");
    fs::rename(&output, &kept).unwrap();

    let report = sparkfix_write(&job, &before);
    let fixed = fs::read_to_string(&job).unwrap();
    assert!(
        fixed.contains(".join(broadcast(products_df), \"product_id\")"),
        "{report}\n{fixed}"
    );
    assert!(
        fixed.contains(".join(customers_df, \"customer_id\")"),
        "{report}\n{fixed}"
    );
    assert!(
        fixed.contains(".cache()") && fixed.contains("enriched_df.unpersist()"),
        "{fixed}"
    );

    let after = work.join("events-after");
    let _ = run_logged(&job, base, &after, threshold);
    assert_same_rows(&kept, &output);
    let second = read_log(&after);
    let write = second
        .queries
        .iter()
        .find(|q| !q.writes.is_empty())
        .expect("the write");
    let strategies: Vec<_> = write.joins.iter().map(|j| j.strategy).collect();
    // The joins ran once, into the cache; the write reads the cached join.
    assert!(write.cache_reads > 0, "{write:?}");
    let all: Vec<_> = second
        .queries
        .iter()
        .flat_map(|q| &q.joins)
        .map(|j| j.strategy)
        .collect();
    let customers = |join: &&sparkfix_eventlog::Join| {
        join.right
            .relations
            .iter()
            .any(|relation| relation.display().contains("customers"))
    };
    let joins: Vec<_> = second.queries.iter().flat_map(|q| &q.joins).collect();
    assert!(
        joins
            .iter()
            .any(|j| j.strategy == JoinStrategy::BroadcastHash)
            && joins
                .iter()
                .all(|j| (j.strategy == JoinStrategy::SortMerge) == customers(j)),
        "{all:?} {strategies:?}"
    );
    let scans = |run: &Run| run.queries.iter().flat_map(|q| &q.scans).count();
    assert!(scans(&second) < scans(&first), "the cache saves scans");
}

/// The map-only copy of 300 tiny files: the log measures 300 small output files, so the write
/// gets `.repartition(N)` with N from its bytes, and the fixed run writes N files.
fn small_files_job(work: &Path, base: &Path) {
    let job = work.join("small_files_copy.py");
    fs::copy(
        repo().join("tests/eventlogs/jobs/small_files_copy.py"),
        &job,
    )
    .unwrap();
    // One split per input file, as on a cluster where each file is its own task.
    let split = "--conf spark.sql.files.openCostInBytes=134217728";
    let output = base.join("curated/events");

    let before = work.join("events-small-before");
    let _ = run_logged(&job, base, &before, split);
    let first = read_log(&before);
    let write = first
        .queries
        .iter()
        .flat_map(|q| &q.writes)
        .next()
        .expect("the write")
        .clone();
    assert_eq!(write.files, Some(300));
    let kept = work.join("events-copy-before");
    fs::rename(&output, &kept).unwrap();

    let report = sparkfix_write(&job, &before);
    let expected_files = write.bytes.unwrap().div_ceil(256 << 20).max(1);
    let fixed = fs::read_to_string(&job).unwrap();
    assert!(
        fixed.contains(&format!(".repartition({expected_files})")),
        "{report}\n{fixed}"
    );

    let after = work.join("events-small-after");
    let _ = run_logged(&job, base, &after, split);
    assert_same_rows(&kept, &output);
    assert_eq!(part_files(&output) as u64, expected_files);
    let second = read_log(&after);
    let write = second
        .queries
        .iter()
        .flat_map(|q| &q.writes)
        .next()
        .expect("the write");
    assert_eq!(write.files, Some(expected_files));
}

/// `tests/eventlogs/jobs/recomputed_lineage.py`: an aggregation of two joins, counted, shown and
/// written. The log measures 2.4 KiB written: a cache would freeze its 200 shuffle partitions
/// (AQE merges them without the cache), so the safe fix caches it and coalesces the write to the
/// file count its measured bytes call for. The fixed run reads the cache, writes the same rows and
/// as few files as before; the same job with the cache alone writes one file per non-empty shuffle
/// partition (62 against 1 when this was written), which is what the coalesce is for.
fn cached_aggregate_job(work: &Path, base: &Path) {
    let job = work.join("recomputed_lineage.py");
    let source =
        fs::read_to_string(repo().join("tests/eventlogs/jobs/recomputed_lineage.py")).unwrap();
    fs::write(&job, &source).unwrap();
    let output = base.join("curated/sales_by_region_category");

    let before = work.join("events-lineage-before");
    let _ = run_logged(&job, base, &before, "");
    let first = read_log(&before);
    let written = |run: &Run| {
        run.queries
            .iter()
            .flat_map(|q| &q.writes)
            .next()
            .expect("the write")
            .clone()
    };
    let files_before = written(&first).files.unwrap();
    let expected_files = written(&first).bytes.unwrap().div_ceil(256 << 20).max(1);
    let kept = work.join("sales-before");
    fs::rename(&output, &kept).unwrap();

    // The shuffle partitions stay at 200 here: they are what the cache freezes.
    let report = sparkfix_write_with(&job, &before, &["--ignore", "SPK006"]);
    let fixed = fs::read_to_string(&job).unwrap();
    assert!(
        fixed.contains(".cache()")
            && fixed.contains(&format!("sales.coalesce({expected_files}).write"))
            && fixed.contains("sales.unpersist()"),
        "{report}\n{fixed}"
    );

    let after = work.join("events-lineage-after");
    let _ = run_logged(&job, base, &after, "");
    assert_same_rows(&kept, &output);
    let second = read_log(&after);
    let write_query = second
        .queries
        .iter()
        .find(|q| !q.writes.is_empty())
        .expect("the write");
    assert!(write_query.cache_reads > 0, "{write_query:?}");
    assert_eq!(written(&second).files, Some(expected_files));
    assert!(expected_files <= files_before.max(1));

    // The cache without the coalesce: one file per non-empty shuffle partition.
    fs::write(
        &job,
        fixed.replace(
            &format!("sales.coalesce({expected_files}).write"),
            "sales.write",
        ),
    )
    .unwrap();
    fs::remove_dir_all(&output).unwrap();
    let frozen = work.join("events-lineage-frozen");
    let _ = run_logged(&job, base, &frozen, "");
    let files = written(&read_log(&frozen)).files.unwrap();
    eprintln!("recomputed_lineage: {files_before} files, {files} cached, {expected_files} fixed");
    assert!(
        files > files_before.max(1),
        "{files} against {files_before}"
    );
}

/// SPK005 on the example job and on `tests/spark/jobs/logged_counts.py`: their logging counts
/// (a filtered one among them) are folded into their writes with `DataFrame.observe`. Same rows,
/// same printed numbers, one SQL execution fewer per count.
fn counts_folded(work: &Path, base: &Path) {
    let example =
        fs::read_to_string(repo().join("examples/customer_purchase_analytics.py")).unwrap();
    let local = format!("file://{}/bucket/", base.display());
    let jobs = [
        (
            "example_counts.py",
            example.replace("s3://bucket/", &local),
            base.join("bucket/summaries/customer_purchase_summary"),
            "enriched_df_observation",
            2,
        ),
        (
            "logged_counts.py",
            fs::read_to_string(repo().join("tests/spark/jobs/logged_counts.py")).unwrap(),
            base.join("out/daily_revenue"),
            "sales_observation",
            3,
        ),
    ];
    for (name, source, output, observation, fewer) in jobs {
        let job = work.join(name);
        fs::write(&job, source).unwrap();
        let printed = |stdout: &[u8]| -> Vec<String> {
            String::from_utf8_lossy(stdout)
                .lines()
                .filter(|line| {
                    line.contains("records")
                        || line.contains("transactions")
                        || line.contains("rows")
                })
                .map(str::to_owned)
                .collect()
        };
        let before = work.join(format!("events-{name}-before"));
        let first_output = run_logged(&job, base, &before, "");
        let first = read_log(&before);
        let kept = work.join(format!("output-{name}-before"));
        fs::rename(&output, &kept).unwrap();

        let fixed = Command::new(env!("CARGO_BIN_EXE_sparkfix"))
            .args(["--write", "--unsafe-fixes", "--select", "SPK005"])
            .arg(&job)
            .output()
            .unwrap();
        assert_eq!(fixed.status.code(), Some(0), "{}", pyspark::show(&fixed));
        let text = fs::read_to_string(&job).unwrap();
        assert!(
            text.contains(&format!(".observe({observation}, ")),
            "{text}"
        );

        let after = work.join(format!("events-{name}-after"));
        let second_output = run_logged(&job, base, &after, "");
        assert_same_rows(&kept, &output);
        let lines = printed(&first_output);
        assert!(lines.len() >= 2, "{lines:?}");
        assert_eq!(
            lines,
            printed(&second_output),
            "the same numbers are printed"
        );
        let second = read_log(&after);
        assert_eq!(
            second.queries.len() + fewer,
            first.queries.len(),
            "{name}: {fewer} counts fewer"
        );
    }
}
