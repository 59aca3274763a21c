//! The reader on real event logs of real PySpark runs (`tests/eventlogs/` at the repository
//! root, made by its `generate.sh`): every codec and layout gives the figures the logs hold, as
//! `tests/eventlogs/inspect_log.py` (Python's json module on the decompressed lines) printed them
//! in `tests/eventlogs/logs/SUMMARY.txt`; damaged copies give one message and the rest.
//!
//! Files are found by folder, never by app id, so that regenerated logs keep the tests valid.

use std::fs;
use std::path::{Path, PathBuf};

use sparkfix_eventlog::{JoinStrategy, LogReader, Problem, Relation, Run, layout, replay};

/// The committed logs.
fn logs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/eventlogs/logs")
}

/// The files of the one log in `folder` (a Spark 3 file, or a Spark 4 rolled folder), in order.
fn log_files(folder: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = fs::read_dir(folder)
        .unwrap_or_else(|error| panic!("{}: {error}", folder.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    if let Some(rolled) = entries.iter().find(|path| {
        path.is_dir() && layout::is_rolled_folder(path.file_name().unwrap().to_str().unwrap())
    }) {
        let names: Vec<String> = fs::read_dir(rolled)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        return layout::rolled_parts(&names)
            .into_iter()
            .map(|name| rolled.join(name))
            .collect();
    }
    entries
        .into_iter()
        .filter(|path| {
            path.is_file() && layout::may_be_log_file(path.file_name().unwrap().to_str().unwrap())
        })
        .collect()
}

fn read(folder: &str) -> (Run, Vec<Problem>, Vec<PathBuf>) {
    let folder = logs().join(folder);
    let files = log_files(&folder);
    assert!(!files.is_empty(), "no log in {}", folder.display());
    let mut reader = LogReader::new(folder.display().to_string());
    for file in &files {
        reader.read_file(&file.display().to_string(), fs::File::open(file).unwrap());
    }
    let (run, problems) = reader.finish();
    (run, problems, files)
}

/// The bytes each relation's scans read in the run, by the path's last segment.
fn scanned(run: &Run, name: &str) -> Vec<u64> {
    run.queries
        .iter()
        .flat_map(|query| &query.scans)
        .filter(|scan| matches!(&scan.relation, Relation::Paths(paths) if paths.iter().any(|p| p.ends_with(&format!("/{name}")))))
        .filter_map(|scan| scan.bytes_read)
        .collect()
}

/// What every run of the example job shows, whatever its codec: the figures of SUMMARY.txt.
fn assert_example_job(run: &Run) {
    assert_eq!(run.app_name.as_deref(), Some("customer_purchase_analytics"));
    assert_eq!(
        run.queries.len(),
        5,
        "five SQL executions: four counts and the write"
    );
    assert_eq!(scanned(run, "transactions"), vec![37_345_075; 5]);
    assert_eq!(scanned(run, "products"), vec![10_730; 3]);
    assert_eq!(scanned(run, "customers"), vec![24_338; 3]);
    let joins: Vec<JoinStrategy> = run
        .queries
        .iter()
        .flat_map(|q| &q.joins)
        .map(|j| j.strategy)
        .collect();
    assert_eq!(
        joins,
        vec![JoinStrategy::SortMerge; 6],
        "the 1 KiB threshold keeps sort-merge joins"
    );
    let writes: Vec<_> = run.queries.iter().flat_map(|q| &q.writes).collect();
    assert_eq!(writes.len(), 1);
    assert_eq!(
        writes[0].target,
        Relation::Paths(vec![
            "file:/tmp/sparkfix-eventlogs/bucket/summaries/customer_purchase_summary".into()
        ])
    );
    assert_eq!(writes[0].rows, Some(1_449_832));
    assert!(
        writes[0].files.is_some_and(|files| files >= 1)
            && writes[0].bytes.is_some_and(|b| b > 1_000_000)
    );
    // Each sort-merge join's sides carry the shuffle's data size; the fact side is the larger.
    let join = &run.queries[4].joins[1];
    assert!(
        join.left.bytes.unwrap() > 10 * join.right.bytes.unwrap(),
        "{join:?}"
    );
    // The fact table was scanned by every query: four re-scans.
    let rescans = run.rescans();
    let transactions = rescans
        .iter()
        .find(|rescan| rescan.relation.display().ends_with("/transactions"))
        .expect("transactions re-scanned");
    assert_eq!(transactions.scans, 5);
    assert_eq!(transactions.extra_bytes, 4 * 37_345_075);
    assert!(transactions.extra_task_ms > 0);
    assert!(
        run.stages
            .iter()
            .all(|stage| stage.max_task_ms >= stage.median_task_ms)
    );
}

#[test]
fn spark4_rolled_zstd() {
    let (run, problems, files) = read("spark4/customer_purchase_analytics");
    assert_eq!(problems, []);
    assert!(files[0].to_str().unwrap().ends_with(".zstd"));
    assert!(
        files
            .iter()
            .all(|file| !file.to_str().unwrap().contains("appstatus"))
    );
    assert!(run.spark_version.as_deref().unwrap().starts_with("4."));
    assert_example_job(&run);
    assert_eq!(
        run.property("spark.sql.autoBroadcastJoinThreshold"),
        Some("1024")
    );
    assert_eq!(run.executors.memory_bytes, Some(16 << 30));
}

#[test]
fn spark35_every_codec() {
    for codec in ["gzip", "lz4", "snappy", "lzf", "zstd"] {
        let (run, problems, _) = read(&format!("spark35/customer_purchase_analytics/{codec}"));
        assert_eq!(problems, [], "{codec}");
        assert!(
            run.spark_version.as_deref().unwrap().starts_with("3.5"),
            "{codec}"
        );
        assert_example_job(&run);
    }
}

#[test]
fn a_rolled_log_is_read_part_after_part() {
    let (run, problems, files) = read("spark4/recomputed_lineage_rolled");
    assert_eq!(problems, []);
    assert!(files.len() >= 2, "{files:?}");
    assert!(
        run.ended_ms.is_some(),
        "the application end is in the last part"
    );
    assert_eq!(run.queries.len(), 3);
    assert!(run.stages.iter().map(|stage| stage.tasks).sum::<u64>() > 1000);
}

/// The partitioned job: one query, a broadcast join, 30 files in 30 date folders.
fn assert_partitioned_job(run: &Run) {
    assert_eq!(run.app_name.as_deref(), Some("partitioned_daily"));
    assert_eq!(run.queries.len(), 1);
    assert_eq!(scanned(run, "transactions"), vec![37_345_075]);
    assert_eq!(scanned(run, "products"), vec![10_730]);
    let query = &run.queries[0];
    assert_eq!(
        query.joins.iter().map(|j| j.strategy).collect::<Vec<_>>(),
        [JoinStrategy::BroadcastHash]
    );
    let write = &query.writes[0];
    assert_eq!(
        (write.files, write.dynamic_partitions, write.rows),
        (Some(30), Some(30), Some(360))
    );
}

#[test]
fn spark35_plain_json_lines() {
    let (run, problems, files) = read("spark35/partitioned_daily/plain");
    assert_eq!(problems, []);
    assert_eq!(
        files[0].extension(),
        None,
        "Spark 3 names an uncompressed log by its app id"
    );
    assert!(run.spark_version.as_deref().unwrap().starts_with("3.5"));
    assert_partitioned_job(&run);
}

#[test]
fn measured_writes_and_partitions() {
    let (run, _, _) = read("spark4/partitioned_daily");
    assert_partitioned_job(&run);
    // This run logged its executors' memory per stage: the JVM heap peak is in the log.
    let peak = run
        .executors
        .peak_heap_bytes
        .expect("executor metrics in the log");
    assert!(peak > 10 << 20 && peak < 1 << 30, "{peak}");
    let (run, _, _) = read("spark35/partitioned_daily/plain");
    assert_eq!(
        run.executors.peak_heap_bytes, None,
        "no executor metrics logged"
    );
    let (run, _, _) = read("spark4/big_dimension_join");
    assert_eq!(scanned(&run, "dim_accounts"), vec![50_422_241]);
}

/// The replay of each real run on its own slots lands near the run's measured duration, and
/// every stage that ran belongs to a job the log timed.
#[test]
fn replayed_runs_match_their_measured_durations() {
    let folders = [
        "spark4/customer_purchase_analytics",
        "spark4/big_dimension_join",
        "spark4/partitioned_daily",
        "spark4/recomputed_lineage",
        "spark4/recomputed_lineage_rolled",
        "spark4/small_files_copy",
        "spark35/partitioned_daily/plain",
    ];
    for folder in folders {
        let (run, _, _) = read(folder);
        let estimate = replay::on_measured_slots(&run).expect(folder);
        assert!(
            estimate.error().abs() < 0.10,
            "{folder}: modelled {} ms against {} ms measured",
            estimate.replay.total_ms(),
            estimate.measured_ms
        );
        assert!(!run.jobs.is_empty(), "{folder}");
        for stage in run.stages.iter().filter(|stage| stage.tasks > 0) {
            assert!(
                stage.job.is_some(),
                "{folder}: stage {} has no job",
                stage.id
            );
            assert_eq!(stage.task_durations_ms.len() as u64, stage.tasks);
        }
        // More slots never make the model slower, and one slot is the sum of the task times.
        let sized = replay::at_executor_counts(&run, &[1, 2, 4]);
        assert!(
            sized
                .windows(2)
                .all(|w| w[1].1.total_ms() <= w[0].1.total_ms()),
            "{folder}"
        );
        let one = replay::replay(&run, 1).unwrap();
        assert!(one.jobs_ms >= replay::task_time_ms(&run), "{folder}");
    }
}

#[test]
fn damaged_logs_give_one_message_and_the_rest() {
    let message = |folder: &str| {
        let (run, problems, _) = read(folder);
        assert_eq!(problems.len(), 1, "{folder}: {problems:?}");
        (run, problems[0].message.clone())
    };
    let (run, text) = message("damaged/corrupt_zstd");
    assert!(text.starts_with("cannot read the zstd data"), "{text}");
    assert!(
        !run.queries.is_empty(),
        "the events before the damage are used"
    );
    let (run, text) = message("damaged/truncated_lz4");
    assert!(
        text.contains("lz4") && text.contains("ends inside a block"),
        "{text}"
    );
    assert!(!run.queries.is_empty());
    let (run, text) = message("damaged/inprogress");
    assert!(text.contains("last line is cut short"), "{text}");
    assert_partitioned_job(&run);
    assert_eq!(run.ended_ms, None);
    let (run, text) = message("damaged/unknown_event");
    assert_eq!(
        text,
        "skipped 1 unknown event (com.example.CustomListenerEvent)"
    );
    assert_partitioned_job(&run);
    let (run, text) = message("damaged/spark_version_2.4.8");
    assert!(text.starts_with("written by Spark 2.4.8"), "{text}");
    assert!(run.queries.is_empty() && !run.stages.is_empty());
}

#[test]
fn bytes_that_are_no_log_are_one_problem() {
    let mut reader = LogReader::new("notes.txt");
    reader.read_file("notes.txt", &b"PK\x03\x04 a zip file"[..]);
    let (_, problems) = reader.finish();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0]
            .message
            .starts_with("cannot read the data (not a Spark event log"),
        "{problems:?}"
    );
    assert!(
        problems[1]
            .message
            .starts_with("no Spark application events"),
        "{problems:?}"
    );
}

/// Every committed log cut short at many places, and with bytes flipped at many places: the
/// reader never panics, and a damaged log still gives a run (or problems saying why not).
#[test]
fn damaged_anywhere_never_panics() {
    let mut folders = Vec::new();
    for group in ["spark4", "spark35"] {
        for entry in fs::read_dir(logs().join(group)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            }
        }
    }
    folders.push(logs().join("spark35/customer_purchase_analytics/lz4"));
    folders.push(logs().join("spark35/customer_purchase_analytics/snappy"));
    folders.push(logs().join("spark35/customer_purchase_analytics/lzf"));
    folders.push(logs().join("spark35/customer_purchase_analytics/gzip"));
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |bound: usize| {
        // xorshift: a fixed sequence, so a failure is reproducible.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % bound.max(1) as u64) as usize
    };
    for folder in folders {
        let files = log_files(&folder);
        let Some(first) = files.first() else { continue };
        let bytes = fs::read(first).unwrap();
        for _ in 0..12 {
            let cut = next(bytes.len());
            let mut reader = LogReader::new("cut");
            reader.read_file(first.to_str().unwrap(), &bytes[..cut]);
            let _ = reader.finish();
            let mut flipped = bytes.clone();
            for _ in 0..4 {
                let at = next(flipped.len());
                flipped[at] ^= 1 << next(8);
            }
            let mut reader = LogReader::new("flipped");
            reader.read_file(first.to_str().unwrap(), &flipped[..]);
            let _ = reader.finish();
        }
    }
}
