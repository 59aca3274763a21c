//! `sparkfix profile` and `--profile` on the committed event logs of real runs
//! (`tests/eventlogs/`): the tables a user checks, and every rule's findings on the jobs that
//! made the logs, with and without their log. Snapshots in `tests/snapshots/`.
//!
//! The jobs spell their paths as templates (`f"{base}/bucket/dimensions/products/"`) and the
//! logs hold the paths of the runs (`file:/tmp/sparkfix-eventlogs/bucket/dimensions/products`):
//! the match is the template's.

#[path = "support/run_sparkfix.rs"]
mod run_sparkfix;
use run_sparkfix::sparkfix;

const LOGS: &str = "tests/eventlogs/logs";

#[test]
fn profile_prints_what_the_log_measured() {
    let (code, stdout, stderr) = sparkfix(&[
        "profile",
        &format!("{LOGS}/spark4/customer_purchase_analytics"),
        "--code",
        "tests/eventlogs/jobs",
    ]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    insta::assert_snapshot!("profile_customer_purchase_analytics", stdout);

    let (code, stdout, stderr) =
        sparkfix(&["profile", &format!("{LOGS}/spark4/partitioned_daily")]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    insta::assert_snapshot!("profile_partitioned_daily", stdout);
}

#[test]
fn profile_reads_a_folder_of_logs_in_any_codec() {
    let (code, stdout, stderr) = sparkfix(&[
        "profile",
        &format!("{LOGS}/spark35/customer_purchase_analytics/lz4"),
        &format!("{LOGS}/spark35/customer_purchase_analytics/snappy"),
    ]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout.matches("\nrun local-").count() + usize::from(stdout.starts_with("run ")),
        2,
        "{stdout}"
    );
}

#[test]
fn damaged_logs_are_reported_and_the_rest_is_used() {
    let (code, stdout, stderr) = sparkfix(&["profile", &format!("{LOGS}/damaged")]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("profile_damaged_stderr", stderr);
    assert_eq!(
        stdout.matches("inputs:").count(),
        5,
        "every damaged log still gives a run"
    );

    // A file that is no log at all: one message, exit code 2, and the other log is still read.
    let (code, stdout, stderr) = sparkfix(&[
        "profile",
        "examples/glue_orders_job.py",
        &format!("{LOGS}/spark4/partitioned_daily"),
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with(
            "examples/glue_orders_job.py: cannot read the data (not a Spark event log"
        ),
        "{stderr}"
    );
    assert!(stdout.contains("partitioned_daily"));
    let (code, _, stderr) = sparkfix(&["--profile", "no/such/log", "examples/"]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("no/such/log: cannot read: "), "{stderr}");
}

/// Each job's findings without its log and with it.
#[test]
fn rules_with_and_without_a_profile() {
    let jobs = [
        (
            "customer_purchase_analytics",
            "spark4/customer_purchase_analytics",
        ),
        ("big_dimension_join", "spark4/big_dimension_join"),
        ("small_files_copy", "spark4/small_files_copy_split_per_file"),
        ("small_files_copy", "spark4/small_files_copy"),
        ("partitioned_daily", "spark4/partitioned_daily"),
        ("recomputed_lineage", "spark4/recomputed_lineage"),
    ];
    for (job, log) in jobs {
        let file = format!("tests/eventlogs/jobs/{job}.py");
        let (_, without, stderr) = sparkfix(&["--include-tests", &file]);
        assert!(!stderr.contains(": cannot"), "{stderr}");
        let (_, with, stderr) = sparkfix(&[
            "--include-tests",
            "--profile",
            &format!("{LOGS}/{log}"),
            &file,
        ]);
        assert!(!stderr.contains(": cannot"), "{stderr}");
        let name = log.rsplit('/').next().unwrap();
        insta::assert_snapshot!(
            format!("rules_{name}"),
            format!("without a profile:\n{without}\nwith {log}:\n{with}")
        );
    }
}

/// A log of another job matches nothing in a file: the findings are those without a log.
#[test]
fn a_log_of_another_job_changes_nothing() {
    let file = "tests/eventlogs/jobs/big_dimension_join.py";
    let (_, without, _) = sparkfix(&["--include-tests", file]);
    let log = format!("{LOGS}/spark4/small_files_copy");
    let (_, with, stderr) = sparkfix(&["--include-tests", "--profile", &log, file]);
    assert_eq!(without, with);
    assert!(
        stderr.starts_with(&format!("{log}/eventlog_v2_")),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            ": no read or write of the files checked matches this log: it changed nothing"
        ),
        "{stderr}"
    );
    // The log of the job itself is used: no such message.
    let (_, _, stderr) = sparkfix(&[
        "--include-tests",
        "--profile",
        &format!("{LOGS}/spark4/big_dimension_join"),
        file,
    ]);
    assert!(!stderr.contains("changed nothing"), "{stderr}");
}
