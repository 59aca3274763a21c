//! `--profile` end to end, with real PySpark: a job runs with its event log on (set outside
//! the job, as a user would), `sparkfix --write --profile <that log>` fixes it, and the fixed job
//! runs again. The fixed run must write the same rows, and its own event log must show what the
//! fixes promised: the broadcasts and the cache in the new plan, the number of files predicted
//! from the measured bytes.
//!
//! The data is made by `tests/eventlogs/make_data.py` (the generator of the committed logs):
//! small dimensions, 300 tiny landing files, and the first million rows of its fact table of 3
//! million (`--transactions`; the table of accounts, which no job here reads, is left out). The
//! measured decisions keep a wide margin at that size: the dimensions measure KBs against a
//! fact table shuffled in tens of MiB (the broadcast needs 10 times less), the re-scans a cache
//! saves take seconds of task time (it needs one), a broadcast of the customers would add
//! seconds of aggregation for a fraction of a second of shuffle it removes, and the written
//! bytes and file counts depend on the groups and files, not on the rows. Like the committed
//! logs, the runs of the example job set `spark.sql.autoBroadcastJoinThreshold` to 1 KiB so
//! that the KB-sized dimensions stand in for dimensions above Spark's 10 MB default.
//!
//! Each job's runs depend on each other (the fix reads the first run's log), the jobs do not:
//! they read the same data and write to folders of their own, so two of them run at a time, one
//! per core (each run is still its own `local[2]` application with its own event log). The
//! outputs of the runs are kept apart; once a worker has no job left, one PySpark launch
//! compares every pair of outputs of its jobs.

#[path = "support/pyspark.rs"]
mod pyspark;

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use sparkfix_eventlog::{JoinStrategy, LogReader, Run, layout};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Two parquet folders, the output of a job before and after its fix, that must hold the same
/// rows (checked by [`assert_same_rows`] once the worker that ran the job has no job left).
type SameRows = (PathBuf, PathBuf);

/// Runs `script BASE` with event logging into `events`, on two local cores, with the
/// `spark-submit` options `extra`; returns its stdout.
fn run_logged(script: &Path, base: &Path, events: &Path, extra: &[&str]) -> Vec<u8> {
    fs::create_dir_all(events).unwrap();
    let event_dir = format!("spark.eventLog.dir=file://{}", events.display());
    let mut submit = vec![
        "--master",
        "local[2]",
        "--conf",
        "spark.eventLog.enabled=true",
        "--conf",
        &event_dir,
        "--conf",
        "spark.ui.enabled=false",
    ];
    submit.extend(extra);
    pyspark::run_job_with(script, &[base.to_str().unwrap()], &submit).stdout
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

/// Whether each pair of parquet folders holds the same rows (compared sorted, with PySpark: one
/// launch for every pair).
fn assert_same_rows(pairs: &[SameRows]) {
    let script = repo().join("tests/spark/same_rows.py");
    let args: Vec<&str> = pairs
        .iter()
        .flat_map(|(before, after)| [before.to_str().unwrap(), after.to_str().unwrap()])
        .collect();
    // The script exits 1, which fails the job, when a pair differs.
    let output = pyspark::run_job(&script, &args);
    let stdout = String::from_utf8_lossy(&output.stdout);
    for (_, after) in pairs {
        assert!(
            stdout.lines().any(|line| line.starts_with("same rows: ")
                && line.ends_with(&format!(": {}", after.display()))),
            "no `same rows` for {}\n{}",
            after.display(),
            pyspark::show(&output)
        );
    }
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

/// Makes the data once for every job (they only read it, each writes its own folders).
fn data(work: &Path) -> PathBuf {
    let base = work.join("data");
    pyspark::run_job(
        &repo().join("tests/eventlogs/make_data.py"),
        &[
            base.to_str().unwrap(),
            "--transactions",
            "1000000",
            "--skip-accounts",
        ],
    );
    base
}

/// A job's runs, in order: the outputs to compare.
type Chain<'a> = Box<dyn FnOnce() -> Vec<SameRows> + Send + 'a>;

/// Runs `chains` two at a time, in the order given (the longest first); each of the two
/// workers then compares the outputs of its chains. Once one fails, no further chain starts,
/// and its panic is this test's.
fn two_at_a_time(chains: Vec<Chain<'_>>) {
    let queue = Mutex::new(chains.into_iter());
    let failed = AtomicBool::new(false);
    let worker = || {
        let mut pairs = Vec::new();
        while !failed.load(Ordering::SeqCst) {
            let Some(chain) = queue.lock().unwrap().next() else {
                break;
            };
            match panic::catch_unwind(AssertUnwindSafe(chain)) {
                Ok(more) => pairs.extend(more),
                Err(panic) => {
                    failed.store(true, Ordering::SeqCst);
                    panic::resume_unwind(panic);
                }
            }
        }
        if !pairs.is_empty() && !failed.load(Ordering::SeqCst) {
            assert_same_rows(&pairs);
        }
    };
    thread::scope(|scope| {
        let workers = [scope.spawn(worker), scope.spawn(worker)];
        let mut first_panic = None;
        for handle in workers {
            if let Err(panic) = handle.join() {
                first_panic.get_or_insert(panic);
            }
        }
        if let Some(panic) = first_panic {
            panic::resume_unwind(panic);
        }
    });
}

#[test]
fn jobs_fixed_by_their_own_event_logs() {
    let temp = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let (work, base) = (temp.path(), &data(temp.path()));
    two_at_a_time(vec![
        Box::new(move || example_job(work, base)),
        Box::new(move || cached_aggregate_job(work, base)),
        Box::new(move || logged_counts_job(work, base)),
        Box::new(move || small_files_job(work, base)),
    ]);
}

/// The example job: the log measures the dimensions small against the fact table, so the
/// products join gets a safe broadcast, and the joined frame its cache. The customers join
/// stays a sort-merge join: the aggregation after it ran in one phase on that join's shuffle
/// partitioning, and the log shows a broadcast would add a partial phase, a shuffle and a
/// second build of its groups, more than the broadcast removes. Then SPK005 on the same job
/// (see [`counts_folded`]), against the same first run.
fn example_job(work: &Path, base: &Path) -> Vec<SameRows> {
    let job = work.join("customer_purchase_analytics.py");
    let example =
        fs::read_to_string(repo().join("examples/customer_purchase_analytics.py")).unwrap();
    let local = format!("file://{}/bucket/", base.display());
    let source = example.replace("s3://bucket/", &local);
    fs::write(&job, &source).unwrap();
    let threshold = ["--conf", "spark.sql.autoBroadcastJoinThreshold=1024"];
    let output = base.join("bucket/summaries/customer_purchase_summary");

    let before = work.join("events-before");
    let first_output = run_logged(&job, base, &before, &threshold);
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
    let _ = run_logged(&job, base, &after, &threshold);
    let fixed_output = work.join("summary-after");
    fs::rename(&output, &fixed_output).unwrap();
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

    let mut pairs = vec![(kept.clone(), fixed_output)];
    pairs.extend(counts_folded(
        work,
        base,
        Counts {
            name: "example_counts.py",
            source,
            output,
            observation: "enriched_df_observation",
            fewer: 2,
            submit: &threshold,
        },
        FirstRun {
            stdout: first_output,
            log: first,
            output: kept,
        },
    ));
    pairs
}

/// The map-only copy of 300 tiny files: the log measures 300 small output files, so the write
/// gets `.repartition(N)` with N from its bytes, and the fixed run writes N files.
fn small_files_job(work: &Path, base: &Path) -> Vec<SameRows> {
    let job = work.join("small_files_copy.py");
    fs::copy(
        repo().join("tests/eventlogs/jobs/small_files_copy.py"),
        &job,
    )
    .unwrap();
    // One split per input file, as on a cluster where each file is its own task.
    let split = ["--conf", "spark.sql.files.openCostInBytes=134217728"];
    let output = base.join("curated/events");

    let before = work.join("events-small-before");
    let _ = run_logged(&job, base, &before, &split);
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
    let _ = run_logged(&job, base, &after, &split);
    assert_eq!(part_files(&output) as u64, expected_files);
    let fixed_output = work.join("events-copy-after");
    fs::rename(&output, &fixed_output).unwrap();
    let second = read_log(&after);
    let write = second
        .queries
        .iter()
        .flat_map(|q| &q.writes)
        .next()
        .expect("the write");
    assert_eq!(write.files, Some(expected_files));
    vec![(kept, fixed_output)]
}

/// `tests/eventlogs/jobs/recomputed_lineage.py`: an aggregation of two joins, counted, shown and
/// written. The log measures 2.4 KiB written: a cache would freeze its 200 shuffle partitions
/// (AQE merges them without the cache), so the safe fix caches it and coalesces the write to the
/// file count its measured bytes call for. The fixed run reads the cache, writes the same rows and
/// as few files as before; the same job with the cache alone writes one file per non-empty shuffle
/// partition (62 against 1 when this was written), which is what the coalesce is for.
fn cached_aggregate_job(work: &Path, base: &Path) -> Vec<SameRows> {
    let job = work.join("recomputed_lineage.py");
    let source =
        fs::read_to_string(repo().join("tests/eventlogs/jobs/recomputed_lineage.py")).unwrap();
    fs::write(&job, &source).unwrap();
    let output = base.join("curated/sales_by_region_category");

    let before = work.join("events-lineage-before");
    let _ = run_logged(&job, base, &before, &[]);
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
    let _ = run_logged(&job, base, &after, &[]);
    let fixed_output = work.join("sales-after");
    fs::rename(&output, &fixed_output).unwrap();
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
    let frozen = work.join("events-lineage-frozen");
    let _ = run_logged(&job, base, &frozen, &[]);
    let files = written(&read_log(&frozen)).files.unwrap();
    eprintln!("recomputed_lineage: {files_before} files, {files} cached, {expected_files} fixed");
    assert!(
        files > files_before.max(1),
        "{files} against {files_before}"
    );
    vec![(kept, fixed_output)]
}

/// SPK005 on `tests/spark/jobs/logged_counts.py` (see [`counts_folded`]), after a first run of
/// its own.
fn logged_counts_job(work: &Path, base: &Path) -> Vec<SameRows> {
    let name = "logged_counts.py";
    let source = fs::read_to_string(repo().join("tests/spark/jobs/logged_counts.py")).unwrap();
    let job = work.join(name);
    fs::write(&job, &source).unwrap();
    let output = base.join("out/daily_revenue");
    let before = work.join(format!("events-{name}-before"));
    let stdout = run_logged(&job, base, &before, &[]);
    let kept = work.join(format!("output-{name}-before"));
    fs::rename(&output, &kept).unwrap();
    counts_folded(
        work,
        base,
        Counts {
            name,
            source,
            output,
            observation: "sales_observation",
            fewer: 3,
            submit: &[],
        },
        FirstRun {
            stdout,
            log: read_log(&before),
            output: kept,
        },
    )
}

/// A job whose logging counts SPK005 folds into its write.
struct Counts<'a> {
    /// The file name the job runs as.
    name: &'a str,
    /// The job as it ran first.
    source: String,
    /// The folder it writes.
    output: PathBuf,
    /// The `Observation` the fix adds.
    observation: &'a str,
    /// How many counts the fix folds.
    fewer: usize,
    /// The `spark-submit` options of its runs.
    submit: &'a [&'a str],
}

/// The job's run before the fix, with its event log on.
struct FirstRun {
    stdout: Vec<u8>,
    log: Run,
    /// Where its output was moved to.
    output: PathBuf,
}

/// SPK005 on the example job and on `tests/spark/jobs/logged_counts.py`: their logging counts
/// (a filtered one among them) are folded into their writes with `DataFrame.observe`. Same rows,
/// same printed numbers, one SQL execution fewer per count. The example's first run is the one
/// `--profile` read (broadcast threshold at 1 KiB); its fixed run has the same settings.
fn counts_folded(work: &Path, base: &Path, job: Counts<'_>, first: FirstRun) -> Vec<SameRows> {
    let Counts {
        name,
        source,
        output,
        observation,
        fewer,
        submit,
    } = job;
    let path = work.join(name);
    fs::write(&path, source).unwrap();
    let printed = |stdout: &[u8]| -> Vec<String> {
        String::from_utf8_lossy(stdout)
            .lines()
            .filter(|line| {
                line.contains("records") || line.contains("transactions") || line.contains("rows")
            })
            .map(str::to_owned)
            .collect()
    };

    let fixed = Command::new(env!("CARGO_BIN_EXE_sparkfix"))
        .args(["--write", "--unsafe-fixes", "--select", "SPK005"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(fixed.status.code(), Some(0), "{}", pyspark::show(&fixed));
    let text = fs::read_to_string(&path).unwrap();
    assert!(
        text.contains(&format!(".observe({observation}, ")),
        "{text}"
    );

    let after = work.join(format!("events-{name}-after"));
    let second_output = run_logged(&path, base, &after, submit);
    let fixed_output = work.join(format!("output-{name}-after"));
    fs::rename(&output, &fixed_output).unwrap();
    let lines = printed(&first.stdout);
    assert!(lines.len() >= 2, "{lines:?}");
    assert_eq!(
        lines,
        printed(&second_output),
        "the same numbers are printed"
    );
    let second = read_log(&after);
    assert_eq!(
        second.queries.len() + fewer,
        first.log.queries.len(),
        "{name}: {fewer} counts fewer"
    );
    vec![(first.output, fixed_output)]
}
