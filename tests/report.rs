//! `sparkfix report` on the committed event logs of real runs (`tests/eventlogs/`) and the jobs
//! that made them: the Markdown and JSON reports (snapshots in `tests/snapshots/`), the
//! invariants of their figures, the HTML page, and the errors.

use serde_json::Value;

#[path = "support/run_sparkfix.rs"]
mod run_sparkfix;
use run_sparkfix::sparkfix;

const EXAMPLE_LOG: &str = "tests/eventlogs/logs/spark4/customer_purchase_analytics";
const EXAMPLE_JOB: &str = "tests/eventlogs/jobs/customer_purchase_analytics.py";

fn report(args: &[&str]) -> String {
    let (code, stdout, stderr) = sparkfix(args);
    assert_eq!((code, stderr.as_str()), (0, ""), "{args:?}");
    stdout
}

fn signed(value: &Value) -> i64 {
    value
        .as_i64()
        .unwrap_or_else(|| panic!("not a number: {value}"))
}

fn ms(value: &Value) -> u64 {
    value
        .as_u64()
        .unwrap_or_else(|| panic!("not a count: {value}"))
}

#[test]
fn the_example_job_report_in_markdown_and_json() {
    let base = [
        "report",
        "--unsafe-fixes",
        "--profile",
        EXAMPLE_LOG,
        EXAMPLE_JOB,
    ];
    let markdown = report(&base);
    insta::assert_snapshot!("report_example_markdown", markdown);
    let json = report(&[&base[..], &["--format", "json"]].concat());
    insta::assert_snapshot!("report_example_json", json);

    let parsed: Value = serde_json::from_str(&json).expect("the JSON report parses");
    let summary = &parsed["summary"];
    let measured = ms(&summary["measured_ms"]);
    let after = ms(&summary["after_fixes_ms"]);
    assert!(
        after < measured,
        "the fixes save time: {after} against {measured}"
    );
    // The same content as the Markdown: every finding and the measured duration.
    let findings = parsed["findings"].as_array().expect("findings");
    assert!(!findings.is_empty());
    for finding in findings {
        let line = format!(
            "{} `{}`: `{}:{}`",
            finding["code"].as_str().unwrap(),
            finding["name"].as_str().unwrap(),
            finding["file"].as_str().unwrap(),
            finding["line"]
        );
        assert!(markdown.contains(&line), "{line} is in the Markdown");
    }
    // Ordered by estimated savings (not estimated last); a modelled change of duration never
    // exceeds the task time it removes or adds, and the estimated findings together save no
    // more than the sum of their savings (a fix's added work may land on stages another fix
    // removes, so the costs need not add up).
    let saved: Vec<Option<i64>> = findings
        .iter()
        .map(|f| f["estimate"]["saved_ms"].as_i64())
        .collect();
    let mut sorted = saved.clone();
    sorted.sort_by_key(|s| (s.is_none(), std::cmp::Reverse(s.unwrap_or(0))));
    assert_eq!(saved, sorted, "findings by estimated savings");
    for finding in findings {
        let estimate = &finding["estimate"];
        if estimate["kind"] == "modelled" {
            let saved = signed(&estimate["saved_ms"]);
            let removed = signed(&estimate["task_ms_removed"]);
            assert!(
                saved.abs() <= removed.abs() && saved.signum() * removed.signum() >= 0,
                "{finding}"
            );
            assert!(!estimate["method"].as_str().unwrap().is_empty());
        } else {
            assert_eq!(estimate["kind"], "not_estimated");
            assert!(
                !estimate["reason"].as_str().unwrap().is_empty(),
                "{finding}"
            );
        }
    }
    let gains: i64 = findings
        .iter()
        .filter(|f| f["in_total"] == true)
        .filter_map(|f| f["estimate"]["saved_ms"].as_i64())
        .filter(|&ms| ms > 0)
        .sum();
    assert!(
        measured as i64 - after as i64 <= gains,
        "together the fixes save at most the sum of their savings"
    );
    // The customers join (line 48) is left alone: the aggregation after it used its shuffle
    // partitioning, and a broadcast would cost more than it saves.
    let broadcasts: Vec<u64> = findings
        .iter()
        .filter(|f| f["code"] == "SPK002")
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(broadcasts, [47]);
    // The right-sizing table has the measured size and a recommendation.
    let sizes = parsed["resources"]["after"].as_array().unwrap();
    assert!(sizes.iter().any(|s| s["measured"] == true));
    assert!(parsed["resources"]["recommended"].is_object());
}

#[test]
fn unsafe_fixes_count_in_the_totals_only_with_the_flag() {
    let json = |extra: &[&str]| -> Value {
        let args = [
            &["report", "--format", "json", "--profile", EXAMPLE_LOG][..],
            extra,
            &[EXAMPLE_JOB],
        ]
        .concat();
        serde_json::from_str(&report(&args)).unwrap()
    };
    let safe_only = json(&[]);
    let with_unsafe = json(&["--unsafe-fixes"]);
    let left_out = |report: &Value| ms(&report["summary"]["left_out"]);
    assert!(
        left_out(&safe_only) > 0,
        "the count-in-passing estimate is left out"
    );
    assert_eq!(left_out(&with_unsafe), 0);
    assert!(
        ms(&with_unsafe["summary"]["after_fixes_ms"]) < ms(&safe_only["summary"]["after_fixes_ms"])
    );
}

#[test]
fn a_partial_aggregation_that_reduces_nothing_is_in_the_report() {
    let markdown = report(&[
        "report",
        "--profile",
        "tests/eventlogs/logs/spark4/dedupe_transactions",
        "tests/eventlogs/jobs/dedupe_transactions.py",
        "--price-per-core-hour",
        "0.05",
        "--runs-per-month",
        "60",
    ]);
    insta::assert_snapshot!("report_dedupe_markdown", markdown);
    assert!(markdown.contains("SPK008 `bypass-partial-aggregation`"));
    assert!(markdown.contains("x $0.05 per core-hour"));
    assert!(markdown.contains("at 60 runs"));
}

#[test]
fn files_of_another_job_are_left_out() {
    let markdown = report(&[
        "report",
        "--profile",
        EXAMPLE_LOG,
        "tests/eventlogs/jobs/dedupe_transactions.py",
    ]);
    assert!(
        markdown.contains("files: none matched this run"),
        "{markdown}"
    );
    assert!(markdown.contains("No finding on the files of this job."));
}

#[test]
fn the_html_report_is_one_page_with_two_timelines() {
    let folder = tempfile::tempdir().unwrap();
    let page = folder.path().join("report.html");
    let (code, stdout, stderr) = sparkfix(&[
        "report",
        "--profile",
        EXAMPLE_LOG,
        EXAMPLE_JOB,
        "--format",
        "html",
        "--output",
        page.to_str().unwrap(),
    ]);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (0, "", ""));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    assert_eq!(
        html.matches("<svg").count(),
        2,
        "measured and modelled timelines"
    );
    assert_eq!(html.matches("</svg>").count(), 2);
    assert!(
        html.matches(r#"class="stage""#).count() >= 10,
        "one bar per stage"
    );
    assert!(!html.contains("<script"), "no script");
    assert!(
        !html.contains("http://") || !html.contains("src=\"http"),
        "no network"
    );
}

#[test]
fn a_report_is_about_one_run() {
    let (code, stdout, stderr) = sparkfix(&[
        "report",
        "--profile",
        EXAMPLE_LOG,
        "--profile",
        "tests/eventlogs/logs/spark4/dedupe_transactions",
        EXAMPLE_JOB,
    ]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.contains("hold 2 runs"), "{stderr}");

    let (code, _, stderr) = sparkfix(&["report", EXAMPLE_JOB]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--profile"), "{stderr}");

    let (code, _, stderr) = sparkfix(&[
        "report",
        "--profile",
        EXAMPLE_LOG,
        "--price-per-dpu-hour=-1",
        EXAMPLE_JOB,
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("price"), "{stderr}");
}

#[test]
fn report_takes_select_extend_select_and_ignore() {
    let codes = |extra: &[&str]| -> Vec<String> {
        let args = [
            &["report", "--format", "json", "--profile", EXAMPLE_LOG][..],
            extra,
            &[EXAMPLE_JOB],
        ]
        .concat();
        let parsed: Value = serde_json::from_str(&report(&args)).unwrap();
        let mut codes: Vec<String> = parsed["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_owned())
            .collect();
        codes.sort();
        codes.dedup();
        codes
    };
    assert_eq!(codes(&["--select", "SPK001"]), ["SPK001"]);
    let extended = codes(&["--select", "SPK001", "--extend-select", "SPK002"]);
    assert_eq!(extended, ["SPK001", "SPK002"]);
    assert_eq!(
        codes(&[
            "--extend-select",
            "SPK002",
            "--ignore",
            "SPK002",
            "--select",
            "SPK001"
        ]),
        ["SPK001"]
    );
}
