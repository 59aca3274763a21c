//! End-to-end tests of suppression comments (`# noqa`, `# sparkfix: ignore[...]`,
//! `# sparkfix: ignore-file`) on the `sparkfix` binary: what they silence, what they leave, and
//! that `--write` leaves a silenced finding's code alone.

use std::fs;
use std::path::Path;

#[path = "support/run_sparkfix.rs"]
mod support;

/// A job with two findings: SPK005 takes the logging count (line 4) in passing while the write
/// reads the frame, SPK003 (an unsafe fix) rebalances the map-only write (line 5).
fn job(line4: &str, line5: &str) -> String {
    format!(
        "from pyspark.sql import SparkSession\n\
         spark = SparkSession.builder.getOrCreate()\n\
         df = spark.read.json(\"s3://bucket/events/\").filter(\"kind = 'click'\")\n\
         print(df.count()){line4}\n\
         df.write.parquet(\"s3://bucket/clicks/\"){line5}\n"
    )
}

/// The codes `sparkfix FILE` reports for `source`, in order.
fn codes(source: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("job.py");
    fs::write(&path, source).unwrap();
    let (_, stdout) = run(dir.path(), &["--unsafe-fixes", "job.py"]);
    stdout
        .lines()
        .filter_map(|line| line.split(": ").nth(1)?.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let (code, stdout, _) = support::sparkfix_in(dir, args, None);
    (code, stdout)
}

#[test]
fn without_comments_both_findings_show() {
    assert_eq!(codes(&job("", "")), ["SPK005", "SPK003"]);
}

#[test]
fn noqa_on_the_line_silences_every_rule_or_the_named_ones() {
    assert_eq!(codes(&job("  # noqa", "")), ["SPK003"]);
    assert_eq!(codes(&job("", "  # NOQA")), ["SPK005"]);
    assert_eq!(
        codes(&job("  # noqa: SPK003", "  # noqa: SPK003")),
        ["SPK005"]
    );
    assert_eq!(codes(&job("  # noqa:SPK005,SPK002", "")), ["SPK003"]);
    // Another tool's codes silence nothing of ours, alone or beside other directives.
    assert_eq!(codes(&job("  # noqa: E501", "")), ["SPK005", "SPK003"]);
    assert_eq!(
        codes(&job("", "  # type: ignore  # noqa: SPK003")),
        ["SPK005"]
    );
}

#[test]
fn sparkfix_ignore_takes_codes_and_names() {
    assert_eq!(codes(&job("  # sparkfix: ignore", "")), ["SPK003"]);
    assert_eq!(
        codes(&job("  # sparkfix: ignore[count-in-passing]", "")),
        ["SPK003"]
    );
    assert_eq!(
        codes(&job(
            "",
            "  # sparkfix: ignore[SPK005, control-output-files]"
        )),
        ["SPK005"]
    );
    assert_eq!(
        codes(&job("  # sparkfix: ignore[broadcast-small-table]", "")),
        ["SPK005", "SPK003"]
    );
}

#[test]
fn ignore_file_in_the_leading_comments_silences_the_file() {
    let all = format!("# sparkfix: ignore-file\n{}", job("", ""));
    assert!(codes(&all).is_empty());
    let one = format!(
        "#!/usr/bin/env python\n\"\"\"A job.\"\"\"\n# sparkfix: ignore-file[SPK005]\n{}",
        job("", "")
    );
    assert_eq!(codes(&one), ["SPK003"]);
    // After the first statement it is not a file's directive.
    let late = job("", "").replacen(
        "spark = SparkSession",
        "# sparkfix: ignore-file\nspark = SparkSession",
        1,
    );
    assert_eq!(codes(&late), ["SPK005", "SPK003"]);
}

#[test]
fn a_multi_line_statement_is_silenced_from_its_first_line() {
    let chained = "from pyspark.sql import SparkSession\n\
                   spark = SparkSession.builder.getOrCreate()\n\
                   df = spark.read.json(\"s3://bucket/events/\").filter(\"kind = 'click'\")\n\
                   print(df.count())\n\
                   (  # noqa: SPK003\n    \
                       df.write.mode(\"overwrite\")\n    \
                       .parquet(\"s3://bucket/clicks/\")\n\
                   )\n";
    assert_eq!(codes(chained), ["SPK005"]);
    let open = chained.replace("(  # noqa: SPK003\n", "(\n");
    assert_eq!(codes(&open), ["SPK005", "SPK003"]);
}

#[test]
fn write_leaves_a_silenced_finding_unfixed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("job.py");
    let source = job("  # noqa: SPK005", "  # sparkfix: ignore[SPK003]");
    fs::write(&path, &source).unwrap();
    let (code, _) = run(dir.path(), &["--write", "--unsafe-fixes", "job.py"]);
    assert_eq!(code, 0);
    assert_eq!(fs::read_to_string(&path).unwrap(), source);
    // Without the comments both fixes apply.
    fs::write(&path, job("", "")).unwrap();
    run(dir.path(), &["--write", "--unsafe-fixes", "job.py"]);
    let fixed = fs::read_to_string(&path).unwrap();
    assert!(
        fixed.contains(".observe(") && fixed.contains(".hint(\"rebalance\")"),
        "{fixed}"
    );
}

fn run_full(dir: &Path, args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    support::sparkfix_in(dir, args, stdin.map(str::as_bytes))
}

#[test]
fn add_noqa_silences_every_current_finding_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("job.py");
    fs::write(&path, job("", "")).unwrap();
    let (code, stdout, stderr) = run_full(
        dir.path(),
        &["--add-noqa", "--unsafe-fixes", "job.py"],
        None,
    );
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert_eq!(stderr, "Added 2 noqa comments in 1 file.\n");
    let text = fs::read_to_string(&path).unwrap();
    assert_eq!(
        text,
        job("  # noqa: SPK005", "  # noqa: SPK003"),
        "one comment per finding's line"
    );
    // Nothing is left to report, and a second run adds nothing.
    let (code, stdout, _) = run_full(dir.path(), &["--unsafe-fixes", "job.py"], None);
    assert_eq!((code, stdout.as_str()), (0, ""));
    let (code, _, stderr) = run_full(
        dir.path(),
        &["--add-noqa", "--unsafe-fixes", "job.py"],
        None,
    );
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn add_noqa_reads_standard_input_and_excludes_the_fix_modes() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, _) = run_full(
        dir.path(),
        &["--add-noqa", "--unsafe-fixes", "-"],
        Some(&job("", "")),
    );
    assert_eq!(code, 0);
    assert_eq!(stdout, job("  # noqa: SPK005", "  # noqa: SPK003"));
    for other in ["--write", "--diff"] {
        let (code, _, stderr) = run_full(dir.path(), &["--add-noqa", other, "job.py"], None);
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains("cannot be used with"), "{stderr}");
    }
}

#[test]
fn unused_suppressions_are_reported_only_when_selected_and_removed_by_write() {
    let job = "from pyspark.sql import SparkSession\n\
               spark = SparkSession.builder.getOrCreate()\n\
               df = spark.read.json(\"s3://bucket/events/\")  # noqa: SPK001\n\
               df.show()  # noqa: SPK002, E501\n";
    let dir = support::folder_with(&[("job.py", job)]);
    // Off by default: nothing to say.
    let (code, stdout, _) = support::sparkfix_in(dir.path(), &["--output-format", "concise"], None);
    assert_eq!((code, stdout.as_str()), (0, ""));
    let args = ["--output-format", "concise", "--extend-select", "SPK100"];
    let (code, stdout, _) = support::sparkfix_in(dir.path(), &args, None);
    assert_eq!(code, 1, "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with("job.py:3:46: SPK100 Unused suppression `# noqa: SPK001`"));
    assert!(lines[1].starts_with("job.py:4:12: SPK100 Unused suppression `# noqa: SPK002, E501`"));
    let (code, _, stderr) =
        support::sparkfix_in(dir.path(), &["--write", "--extend-select", "SPK100"], None);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("job.py")).unwrap(),
        job.replace("  # noqa: SPK001", "")
            .replace("SPK002, E501", "E501")
    );
    // A directive that names SPK100 keeps its report quiet.
    let quiet = job.replace("# noqa: SPK001", "# noqa: SPK001, SPK100");
    std::fs::write(dir.path().join("job.py"), &quiet).unwrap();
    let (_, stdout, _) = support::sparkfix_in(dir.path(), &args, None);
    assert!(!stdout.contains("job.py:3:"), "{stdout}");
}
