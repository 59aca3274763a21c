//! End-to-end tests of the `sparkfix` binary on real temporary folders.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

#[path = "support/run_sparkfix.rs"]
mod support;

use support::folder_with;

/// A Spark job with nothing to report.
const CLEAN: &str = "from pyspark.sql import SparkSession\n\
                     spark = SparkSession.builder.getOrCreate()\n\
                     spark.read.parquet(\"s3://bucket/events/\").show()\n";

/// A Spark job whose DataFrame is used twice: SPK001 caches it.
const JOB: &str = "from pyspark.sql import SparkSession\n\
                   spark = SparkSession.builder.getOrCreate()\n\
                   df = spark.read.json(\"s3://bucket/events/\")\n\
                   print(df.count())\n\
                   df.collect()\n";

/// A Spark file that does not parse.
const BROKEN: &str = "from pyspark.sql import SparkSession\n\
                      spark = SparkSession.builder.getOrCreate()\n\
                      def broken(:\n    pass\n";

/// A Spark marker followed by a byte that is not UTF-8 (at offset 9).
const NOT_UTF8: &[u8] = b"spark = '\xff'\n";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn sparkfix(dir: &Path, args: &[&str]) -> Run {
    sparkfix_with_stdin(dir, args, None)
}

fn sparkfix_with_stdin(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let (code, stdout, stderr) = support::sparkfix_in(dir, args, stdin);
    Run {
        code,
        stdout,
        stderr,
    }
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    fs::read(dir.join(name)).unwrap()
}

fn set_read_only(path: &Path) {
    let mut permissions = fs::metadata(path).unwrap().permissions();
    permissions.set_readonly(true);
    fs::set_permissions(path, permissions).unwrap();
}

// ---- What works without findings ----------------------------------------------------------

#[test]
fn clean_spark_file_gives_no_output_and_exit_0() {
    let dir = folder_with(&[("job.py", CLEAN.as_bytes())]);
    // A check says it checked the file; the fix modes, with nothing to fix, say nothing.
    for (args, said) in [
        (&[][..], "All checks passed (1 file).\n"),
        (&["job.py"], "All checks passed (1 file).\n"),
        (&["check", "."], "All checks passed (1 file).\n"),
        (&["--diff"], ""),
        (&["--write"], ""),
        (&["-q"], ""),
    ] {
        let run = sparkfix(dir.path(), args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{args:?}");
        assert_eq!(run.stderr, said, "{args:?}");
    }
    assert_eq!(read(dir.path(), "job.py"), CLEAN.as_bytes());
}

#[test]
fn non_utf8_file_is_reported_and_left_byte_identical() {
    let dir = folder_with(&[("latin1.py", NOT_UTF8)]);
    for args in [&[][..], &["--diff"], &["--write"]] {
        let run = sparkfix(dir.path(), args);
        assert_eq!(run.code, 2, "{args:?}");
        assert_eq!(
            run.stderr,
            "latin1.py: not valid UTF-8 (byte offset 9); left unchanged\n"
        );
        assert_eq!(run.stdout, "");
        assert_eq!(read(dir.path(), "latin1.py"), NOT_UTF8);
    }
}

/// A real job with a `# -*- coding: latin-1 -*-` line: sparkfix does not decode it, so it reports
/// it and leaves every byte as it was, even with `--write`.
#[test]
fn latin1_job_is_reported_and_left_byte_identical() {
    let original =
        fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/latin1_job.py")).unwrap();
    let dir = folder_with(&[("latin1_job.py", &original)]);
    for args in [&["--write"][..], &["--diff"], &[]] {
        let run = sparkfix(dir.path(), args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(
            run.stderr
                .starts_with("latin1_job.py: not valid UTF-8 (byte offset "),
            "{}",
            run.stderr
        );
        assert_eq!(read(dir.path(), "latin1_job.py"), original);
    }
}

#[test]
fn missing_path_is_an_error_but_the_other_paths_still_run() {
    let dir = folder_with(&[("good.py", CLEAN.as_bytes()), ("latin1.py", NOT_UTF8)]);
    let run = sparkfix(dir.path(), &["nope.py", "good.py", "latin1.py", "--write"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("nope.py: "), "{}", run.stderr);
    assert!(
        run.stderr.contains("latin1.py: not valid UTF-8"),
        "the other files still ran: {}",
        run.stderr
    );
    assert_eq!(read(dir.path(), "good.py"), CLEAN.as_bytes());

    let run = sparkfix(dir.path(), &["missing-folder", "good.py"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("missing-folder: "), "{}", run.stderr);
}

#[test]
fn target_spark_is_validated() {
    let dir = folder_with(&[("job.py", CLEAN.as_bytes())]);
    let run = sparkfix(dir.path(), &["--target-spark", "9.9"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--target-spark"), "{}", run.stderr);
    assert!(
        run.stderr.contains("Spark 9.9 is not supported"),
        "{}",
        run.stderr
    );

    let run = sparkfix(dir.path(), &["--target-spark", "abc"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`abc` is not a Spark version"),
        "{}",
        run.stderr
    );

    for version in ["3.1", "2.4", "4.0", "3.5.1"] {
        let run = sparkfix(dir.path(), &["--target-spark", version]);
        assert_eq!(run.code, 0, "{version}: {}", run.stderr);
    }
}

#[test]
fn diff_and_write_cannot_be_combined() {
    let dir = folder_with(&[("job.py", CLEAN.as_bytes())]);
    let run = sparkfix(dir.path(), &["--diff", "--write"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
}

#[test]
fn stdin_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let run = sparkfix_with_stdin(dir.path(), &["-"], Some(CLEAN.as_bytes()));
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "", "All checks passed (1 file).\n")
    );

    let run = sparkfix_with_stdin(dir.path(), &["--write", "-"], Some(CLEAN.as_bytes()));
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, CLEAN, "")
    );

    let run = sparkfix_with_stdin(dir.path(), &["--diff", "-"], Some(CLEAN.as_bytes()));
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "", "")
    );

    let run = sparkfix_with_stdin(
        dir.path(),
        &["--stdin-filename", "job.py"],
        Some(CLEAN.as_bytes()),
    );
    assert_eq!(run.code, 0, "--stdin-filename alone reads stdin");
}

#[test]
fn stdin_that_cannot_be_fixed_is_echoed_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_sparkfix"))
        .args(["--write", "--stdin-filename", "jobs/etl.py", "-"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child.stdin.take().unwrap().write_all(NOT_UTF8)?;
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(output.stdout, NOT_UTF8);
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "jobs/etl.py: not valid UTF-8 (byte offset 9); left unchanged\n"
    );

    let run = sparkfix_with_stdin(dir.path(), &["-"], Some(NOT_UTF8));
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "-: not valid UTF-8 (byte offset 9); left unchanged\n"
    );
}

#[test]
fn stdin_cannot_be_mixed_with_paths() {
    let dir = folder_with(&[("job.py", CLEAN.as_bytes())]);
    let run = sparkfix_with_stdin(dir.path(), &["-", "job.py"], Some(b""));
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("standard input"), "{}", run.stderr);
}

#[test]
fn exclude_drops_files_and_folders() {
    let dir = folder_with(&[
        ("good.py", CLEAN.as_bytes()),
        ("latin1.py", NOT_UTF8),
        ("legacy/old.py", NOT_UTF8),
        ("jobs/vendored/x.py", NOT_UTF8),
    ]);
    let run = sparkfix(
        dir.path(),
        &[
            "--exclude",
            "latin1.py",
            "--exclude",
            "legacy",
            "--exclude",
            "jobs/vendored",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);

    let run = sparkfix(dir.path(), &["--exclude", "legacy"]);
    assert_eq!(run.code, 2);
    assert!(!run.stderr.contains("legacy"), "{}", run.stderr);
    assert!(run.stderr.contains("jobs/vendored/x.py"), "{}", run.stderr);

    // Also a file named on the command line, as pre-commit does.
    let run = sparkfix(
        dir.path(),
        &["--exclude", "legacy", "legacy/old.py", "good.py"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn invalid_exclude_glob_is_a_usage_error() {
    let dir = folder_with(&[("job.py", CLEAN.as_bytes())]);
    let run = sparkfix(dir.path(), &["--exclude", "a[b"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--exclude"), "{}", run.stderr);
}

#[test]
fn hidden_ignored_and_environment_folders_are_skipped() {
    let dir = folder_with(&[
        ("job.py", CLEAN.as_bytes()),
        (".gitignore", b"generated/\n*_tmp.py\n"),
        ("generated/out.py", NOT_UTF8),
        ("scratch_tmp.py", NOT_UTF8),
        (".hidden/job.py", NOT_UTF8),
        ("venv/pyvenv.cfg", b"home = /usr/bin\n"),
        ("venv/lib/python3.12/pyspark/sql.py", NOT_UTF8),
        ("myenv/pyvenv.cfg", b"home = /usr/bin\n"),
        ("myenv/x.py", NOT_UTF8),
        ("lib/site-packages/pyspark/x.py", NOT_UTF8),
        ("jobs/__pycache__/x.py", NOT_UTF8),
        ("notes.txt", NOT_UTF8),
    ]);
    let run = sparkfix(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "All checks passed (1 file).\n");

    // Given explicitly, a file is processed whatever its folder, name or extension (unless it is
    // a test file).
    for path in ["generated/out.py", ".hidden/job.py", "notes.txt"] {
        let run = sparkfix(dir.path(), &[path]);
        assert_eq!(run.code, 2, "{path}");
        assert!(
            run.stderr.starts_with(&format!("{path}: not valid UTF-8")),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn files_without_a_spark_marker_are_not_even_decoded() {
    let dir = folder_with(&[
        ("util.py", &b"x = '\xff'\n"[..]),
        ("job.py", CLEAN.as_bytes()),
    ]);
    let run = sparkfix(dir.path(), &["--write"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(read(dir.path(), "util.py"), b"x = '\xff'\n");
}

#[test]
fn errors_are_printed_in_path_order() {
    let names = [
        "b.py", "a.py", "c/d.py", "a-b.py", "c/a.py", "z/y/x.py", "m.py",
    ];
    let files: Vec<(&str, &[u8])> = names.iter().map(|name| (*name, NOT_UTF8)).collect();
    let dir = folder_with(&files);
    let expected: String = [
        "a-b.py", "a.py", "b.py", "c/a.py", "c/d.py", "m.py", "z/y/x.py",
    ]
    .iter()
    .map(|name| format!("{name}: not valid UTF-8 (byte offset 9); left unchanged\n"))
    .collect();
    for _ in 0..3 {
        let run = sparkfix(dir.path(), &[]);
        assert_eq!(run.code, 2);
        assert_eq!(run.stderr, expected);
    }
    let run = sparkfix(dir.path(), &["z", "./b.py", "c", "b.py"]);
    assert_eq!(
        run.stderr
            .lines()
            .map(|line| line.split(':').next().unwrap())
            .collect::<Vec<_>>(),
        ["b.py", "c/a.py", "c/d.py", "z/y/x.py"],
        "sorted, each file once"
    );
}

#[test]
fn version_and_help() {
    let dir = tempfile::tempdir().unwrap();
    let run = sparkfix(dir.path(), &["--version"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("sparkfix "), "{}", run.stdout);

    let run = sparkfix(dir.path(), &["--help"]);
    assert_eq!(run.code, 0);
    for flag in [
        "--diff",
        "--write",
        "--unsafe-fixes",
        "--exit-non-zero-on-fix",
        "--target-spark",
        "--select",
        "--ignore",
        "--exclude",
        "--stdin-filename",
        "--color",
    ] {
        assert!(run.stdout.contains(flag), "help mentions {flag}");
    }

    let run = sparkfix(dir.path(), &["--no-such-flag"]);
    assert_eq!(run.code, 2);
}

// ---- Test files ------------------------------------------------------------------------------

/// A project whose every file is reported when processed (none is UTF-8).
const PROJECT_WITH_TESTS: &[(&str, &[u8])] = &[
    ("jobs/etl.py", NOT_UTF8),
    ("jobs/etl_test.py", NOT_UTF8),
    ("tests/test_etl.py", NOT_UTF8),
    ("tests/helpers.py", NOT_UTF8),
    ("conftest.py", NOT_UTF8),
];

/// The paths of stderr's lines, in order.
fn reported(run: &Run) -> Vec<&str> {
    run.stderr
        .lines()
        .map(|line| line.split(": ").next().unwrap())
        .collect()
}

#[test]
fn test_files_are_skipped_unless_included() {
    let dir = folder_with(PROJECT_WITH_TESTS);
    let run = sparkfix(dir.path(), &[]);
    assert_eq!(reported(&run), ["jobs/etl.py"]);
    assert_eq!(run.code, 2);

    let run = sparkfix(dir.path(), &["--include-tests"]);
    assert_eq!(
        reported(&run),
        [
            "conftest.py",
            "jobs/etl.py",
            "jobs/etl_test.py",
            "tests/helpers.py",
            "tests/test_etl.py"
        ]
    );
}

/// pre-commit passes the names of the changed files, test files among them.
#[test]
fn test_files_named_on_the_command_line_are_skipped_unless_included() {
    let dir = folder_with(PROJECT_WITH_TESTS);
    let names: Vec<&str> = PROJECT_WITH_TESTS.iter().map(|(name, _)| *name).collect();
    let run = sparkfix(dir.path(), &names);
    assert_eq!(reported(&run), ["jobs/etl.py"]);

    let run = sparkfix(dir.path(), &["tests/test_etl.py"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (0, "No Python files to check.\n")
    );
    let run = sparkfix(dir.path(), &["--include-tests", "tests/test_etl.py"]);
    assert_eq!(reported(&run), ["tests/test_etl.py"]);
    assert_eq!(run.code, 2);

    let all: Vec<&str> = std::iter::once("--include-tests").chain(names).collect();
    assert_eq!(sparkfix(dir.path(), &all).stderr.lines().count(), 5);
}

/// Only the folders below the path given count: a `tests` folder given, or the current folder
/// inside one, is checked (its files named like tests still are not).
#[test]
fn only_test_folders_below_the_path_given_are_skipped() {
    let dir = folder_with(PROJECT_WITH_TESTS);
    let run = sparkfix(dir.path(), &["tests"]);
    assert_eq!(reported(&run), ["tests/helpers.py"]);

    let inside = dir.path().join("tests");
    assert_eq!(reported(&sparkfix(&inside, &[])), ["helpers.py"]);
    assert_eq!(
        reported(&sparkfix(&inside, &["helpers.py"])),
        ["helpers.py"]
    );
    assert_eq!(
        sparkfix(&inside, &["test_etl.py"]).stderr,
        "No Python files to check.\n"
    );
}

// ---- What needs the rule engine -------------------------------------------------------------

const FIXED_JOB: &str = "from pyspark.sql import SparkSession\n\
                         spark = SparkSession.builder.getOrCreate()\n\
                         df = spark.read.json(\"s3://bucket/events/\").cache()\n\
                         print(df.count())\n\
                         df.collect()\n\
                         df.unpersist()\n";

fn assert_fixed(text: &str) {
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines.contains(&"df = spark.read.json(\"s3://bucket/events/\").cache()"),
        "cached:\n{text}"
    );
    let show = lines
        .iter()
        .position(|line| *line == "df.collect()")
        .expect("df.collect() kept");
    assert_eq!(
        lines.get(show + 1),
        Some(&"df.unpersist()"),
        "unpersisted after the last use:\n{text}"
    );
}

#[test]
fn check_reports_the_finding() {
    let dir = folder_with(&[("job.py", JOB.as_bytes())]);
    // SPK005 reports the logging count too (with no fix): this test is about SPK001's line.
    let run = sparkfix(dir.path(), &["--ignore", "SPK005"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    assert!(lines[0].starts_with("job.py:3:1: SPK001 "), "{}", lines[0]);
    assert!(lines[0].ends_with(" [*]"), "{}", lines[0]);
    assert_eq!(run.stderr, "Found 1 finding (1 fixable with --write).\n");
    assert_eq!(
        read(dir.path(), "job.py"),
        JOB.as_bytes(),
        "check writes nothing"
    );

    let run = sparkfix_with_stdin(
        dir.path(),
        &["--stdin-filename", "jobs/etl.py", "-"],
        Some(JOB.as_bytes()),
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.starts_with("jobs/etl.py:3:1: SPK001 "),
        "{}",
        run.stdout
    );
}

#[test]
fn write_applies_the_cache_fix() {
    let dir = folder_with(&[("job.py", JOB.as_bytes())]);
    let run = sparkfix(dir.path(), &["--write"]);
    // SPK005 (proven, its fix unsafe) is left: it fails the run, as ruff's --fix does.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let fixed = String::from_utf8(read(dir.path(), "job.py")).unwrap();
    assert_fixed(&fixed);
    assert_eq!(fixed, FIXED_JOB);
    assert!(
        run.stderr.starts_with("Fixed 1 finding in 1 file"),
        "{}",
        run.stderr
    );

    assert!(
        run.stdout.starts_with("job.py:4:7: SPK005 "),
        "{}",
        run.stdout
    );
    let again = sparkfix(dir.path(), &["--write"]);
    assert_eq!(again.code, 1, "{}", again.stderr);
    assert_eq!(
        read(dir.path(), "job.py"),
        fixed.as_bytes(),
        "a second --write changes nothing"
    );
    // --fix-only neither prints nor fails on what is left.
    let again = sparkfix(dir.path(), &["--fix-only"]);
    assert_eq!(
        (again.code, again.stdout.as_str()),
        (0, ""),
        "{}",
        again.stderr
    );
    let again = sparkfix(dir.path(), &["--diff"]);
    assert_eq!((again.code, again.stdout.as_str()), (0, ""));
}

#[cfg(unix)]
#[test]
fn write_keeps_the_file_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = folder_with(&[("job.py", JOB.as_bytes())]);
    let path = dir.path().join("job.py");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o750)).unwrap();
    let run = sparkfix(dir.path(), &["--write"]);
    assert_eq!(run.code, 1, "SPK005 is left: {}", run.stderr);
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o750
    );
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn diff_prints_the_fix_and_writes_nothing() {
    let dir = folder_with(&[("job.py", JOB.as_bytes())]);
    let run = sparkfix(dir.path(), &["--diff"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("--- a/job.py\n+++ b/job.py\n@@ "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("\n+df = spark.read.json(\"s3://bucket/events/\").cache()\n")
    );
    assert!(
        run.stdout
            .contains("\n-df = spark.read.json(\"s3://bucket/events/\")\n")
    );
    assert!(run.stdout.contains("\n+df.unpersist()\n"));
    assert!(!run.stdout.contains('\x1b'), "no color when piped");
    assert_eq!(read(dir.path(), "job.py"), JOB.as_bytes());

    let colored = sparkfix(dir.path(), &["--diff", "--color", "always"]);
    assert!(
        colored.stdout.contains("\x1b[32m+df.unpersist()\x1b[0m"),
        "{}",
        colored.stdout
    );

    let stdin = sparkfix_with_stdin(dir.path(), &["--diff", "-"], Some(JOB.as_bytes()));
    assert_eq!(stdin.code, 1);
    assert!(
        stdin.stdout.starts_with("--- a/-\n+++ b/-\n"),
        "{}",
        stdin.stdout
    );
}

#[test]
fn diff_marks_a_missing_final_newline() {
    let job = JOB.strip_suffix('\n').unwrap();
    let dir = folder_with(&[("job.py", job.as_bytes())]);
    let run = sparkfix(dir.path(), &["--diff"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("-df.collect()\n\\ No newline at end of file\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn stdin_write_prints_the_fixed_text() {
    let dir = tempfile::tempdir().unwrap();
    let run = sparkfix_with_stdin(dir.path(), &["--write", "-"], Some(JOB.as_bytes()));
    assert_eq!(run.code, 1, "SPK005 is left: {}", run.stderr);
    assert_eq!(run.stdout, FIXED_JOB);
    let run = sparkfix_with_stdin(dir.path(), &["--fix-only", "-"], Some(JOB.as_bytes()));
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, FIXED_JOB),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr, "Fixed 1 finding in 1 file.\n");
}

#[test]
fn exit_non_zero_on_fix() {
    let dir = folder_with(&[("job.py", JOB.as_bytes())]);
    let run = sparkfix(dir.path(), &["--write", "--exit-non-zero-on-fix"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_fixed(&String::from_utf8(read(dir.path(), "job.py")).unwrap());
    // Nothing left to change, but a proven finding (SPK005) is left: the hook still fails...
    let again = sparkfix(dir.path(), &["--write", "--exit-non-zero-on-fix"]);
    assert_eq!(again.code, 1, "{}", again.stderr);
    assert!(again.stdout.contains(" SPK005 "), "{}", again.stdout);
    // ...unless only the fixes count.
    let again = sparkfix(dir.path(), &["--fix-only", "--exit-non-zero-on-fix"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    let clean = folder_with(&[("job.py", CLEAN.as_bytes())]);
    let run = sparkfix(clean.path(), &["--write", "--exit-non-zero-on-fix"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn read_only_file_is_not_written() {
    let dir = folder_with(&[("job.py", JOB.as_bytes()), ("other.py", JOB.as_bytes())]);
    set_read_only(&dir.path().join("job.py"));
    let run = sparkfix(dir.path(), &["--write"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("job.py: cannot write: file is read-only\n"),
        "{}",
        run.stderr
    );
    assert_eq!(read(dir.path(), "job.py"), JOB.as_bytes());
    assert_fixed(&String::from_utf8(read(dir.path(), "other.py")).unwrap());
}

#[test]
fn syntax_error_is_reported_and_the_file_kept() {
    let dir = folder_with(&[("bad.py", BROKEN.as_bytes()), ("job.py", JOB.as_bytes())]);
    for args in [&[][..], &["--diff"], &["--write"]] {
        let run = sparkfix(dir.path(), args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(
            run.stderr
                .starts_with("bad.py:3:11: cannot parse: '(' was never closed\n"),
            "{args:?}: {}",
            run.stderr
        );
        assert_eq!(read(dir.path(), "bad.py"), BROKEN.as_bytes());
    }
    assert_fixed(&String::from_utf8(read(dir.path(), "job.py")).unwrap());
}

/// A post-shuffle write: Adaptive Query Execution merges its partitions on Spark 3.2 and newer.
const AGGREGATE_JOB: &str = "from pyspark.sql import SparkSession\n\
                             spark = SparkSession.builder.getOrCreate()\n\
                             sales = spark.read.parquet(\"s3://bucket/sales/\")\n\
                             daily = sales.groupBy(\"sale_date\").count()\n\
                             daily.write.mode(\"overwrite\").parquet(\"s3://bucket/daily/\")\n";

#[test]
fn target_spark_decides_whether_a_post_shuffle_write_is_coalesced() {
    let dir = folder_with(&[("job.py", AGGREGATE_JOB.as_bytes())]);
    let run = sparkfix(dir.path(), &["--select", "SPK003"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);

    // A guess is shown but fails the run only with --strict.
    let run = sparkfix(dir.path(), &["--select", "SPK003", "--target-spark", "3.1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .ends_with("1 guessed, which fail a run only with --strict).\n"),
        "{}",
        run.stderr
    );
    let strict = ["--select", "SPK003", "--target-spark", "3.1", "--strict"];
    assert_eq!(sparkfix(dir.path(), &strict).code, 1);
    assert!(
        run.stdout.contains(
            "job.py:5:1: SPK003 Post-shuffle write: 200 shuffle partitions write up to 200 files \
             (Spark 3.1: AQE is off by default before 3.2); coalesce to 50 from the rule's \
             `output_files` parameter if they are small (guessed: the code proves up to 200 \
             files, not their size; the written size, measured (a Spark event log of the job) \
             would confirm it)\n"
        ),
        "{}",
        run.stdout
    );

    // The code proves the file count, not that the files are small: not applied by default.
    let args = ["--write", "--target-spark", "3.1", "--select", "SPK003"];
    sparkfix(dir.path(), &args);
    assert_eq!(read(dir.path(), "job.py"), AGGREGATE_JOB.as_bytes());

    let run = sparkfix(dir.path(), &[&args[..], &["--unsafe-fixes"]].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let fixed = String::from_utf8(read(dir.path(), "job.py")).unwrap();
    assert!(
        fixed.contains("daily.coalesce(50).write.mode(\"overwrite\")"),
        "{fixed}"
    );
}

#[test]
fn unsafe_partitioning_is_followed_by_repartitioning_in_the_same_run() {
    let dir = folder_with(&[("job.py", AGGREGATE_JOB.as_bytes())]);
    let run = sparkfix(dir.path(), &["--write"]);
    assert_eq!(run.code, 1, "the proven SPK004 is left: {}", run.stderr);
    assert_eq!(
        read(dir.path(), "job.py"),
        AGGREGATE_JOB.as_bytes(),
        "the partitionBy fix is unsafe: nothing else applies"
    );
    assert!(
        run.stderr
            .contains("1 hidden fix can be enabled with --unsafe-fixes"),
        "{}",
        run.stderr
    );

    let run = sparkfix(dir.path(), &["--write", "--unsafe-fixes"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let fixed = String::from_utf8(read(dir.path(), "job.py")).unwrap();
    assert!(
        fixed.ends_with(
            "daily.hint(\"rebalance\", \"sale_date\").write.mode(\"overwrite\")\
             .partitionBy(\"sale_date\").parquet(\"s3://bucket/daily/\")\n"
        ),
        "{fixed}"
    );
}

#[test]
fn select_and_ignore_choose_the_rules() {
    let dir = folder_with(&[("job.py", JOB.as_bytes())]);
    let run = sparkfix(dir.path(), &["--ignore", "SPK001,SPK005"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);

    let run = sparkfix(dir.path(), &["--select", "SPK002,cache-reused-dataframe"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("job.py:3:1: SPK001 "),
        "{}",
        run.stdout
    );

    let run = sparkfix(dir.path(), &["--select", "E501"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("`E501` names no rule; the rules are SPK001 (cache-reused-dataframe)"),
        "{}",
        run.stderr
    );
}

#[test]
fn rule_prints_a_rules_docs_by_code_or_name_and_lists_them_all() {
    let dir = tempfile::tempdir().unwrap();
    let by_code = sparkfix(dir.path(), &["rule", "SPK005"]);
    assert_eq!(by_code.code, 0, "{}", by_code.stderr);
    assert!(
        by_code.stdout.starts_with("# count-in-passing (SPK005)\n"),
        "{}",
        by_code.stdout
    );
    for section in [
        "## Why",
        "## When the fix is safe",
        "## Example",
        "Fix: unsafe",
    ] {
        assert!(by_code.stdout.contains(section), "{section}");
    }
    let by_name = sparkfix(dir.path(), &["rule", "count-in-passing"]);
    assert_eq!(by_name.stdout, by_code.stdout);
    let with_parameters = sparkfix(dir.path(), &["rule", "spk002"]);
    assert!(
        with_parameters
            .stdout
            .contains("- `max_broadcast_bytes` (default: `"),
        "{}",
        with_parameters.stdout
    );
    let all = sparkfix(dir.path(), &["rule", "--all"]);
    assert_eq!(all.code, 0);
    assert!(all.stdout.lines().count() >= 8);
    assert!(
        all.stdout
            .lines()
            .any(|line| line.starts_with("SPK001  cache-reused-dataframe"))
    );
    let unknown = sparkfix(dir.path(), &["rule", "SPK999"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("unknown rule `SPK999`"),
        "{}",
        unknown.stderr
    );
    assert_eq!(
        sparkfix(dir.path(), &["rule"]).code,
        2,
        "a rule or --all is needed"
    );
}

#[test]
fn check_is_the_default_command_and_a_folder_named_check_is_reached_as_a_path() {
    let dir = folder_with(&[("check/job.py", JOB.as_bytes())]);
    // `check` alone is the command (checking `.`, which holds check/job.py).
    let command = sparkfix(dir.path(), &["check"]);
    assert_eq!(command.code, 1);
    assert!(
        command.stdout.starts_with("check/job.py:"),
        "{}",
        command.stdout
    );
    let path = sparkfix(dir.path(), &["./check"]);
    assert_eq!(
        (path.code, path.stdout.as_str()),
        (1, command.stdout.as_str())
    );
    let both = sparkfix(dir.path(), &["check", "--diff", "check"]);
    assert_eq!(both.code, 1, "{}", both.stderr);
    assert!(
        both.stdout.contains("+++ b/check/job.py"),
        "{}",
        both.stdout
    );
}

#[test]
fn statistics_count_findings_per_rule_and_exit_zero_keeps_errors() {
    let dir = folder_with(&[("a.py", JOB.as_bytes()), ("b.py", JOB.as_bytes())]);
    let listed = sparkfix(dir.path(), &[]);
    let stats = sparkfix(dir.path(), &["--statistics"]);
    assert_eq!(stats.code, listed.code);
    let lines: Vec<&str> = stats.stdout.lines().collect();
    // One line per rule, most findings first, the count matching the listing.
    assert!(
        !lines.is_empty() && !stats.stdout.contains("a.py"),
        "{}",
        stats.stdout
    );
    for line in &lines {
        let mut words = line.split_whitespace();
        let count: usize = words.next().unwrap().parse().unwrap();
        let code = words.next().unwrap();
        let listed_count = listed
            .stdout
            .lines()
            .filter(|l| l.contains(&format!(": {code} ")))
            .count();
        assert_eq!(count, listed_count, "{line}");
    }
    assert_eq!(sparkfix(dir.path(), &["--exit-zero"]).code, 0);
    let broken = folder_with(&[("a.py", JOB.as_bytes()), ("bad.py", BROKEN.as_bytes())]);
    assert_eq!(sparkfix(broken.path(), &["--exit-zero"]).code, 2);
}

#[test]
fn output_formats_for_tools_parse_and_match_the_text_listing() {
    let dir = folder_with(&[("a.py", JOB.as_bytes()), ("clean.py", CLEAN.as_bytes())]);
    let text = sparkfix(dir.path(), &[]);
    let listed: Vec<(String, usize, usize, String)> = text
        .stdout
        .lines()
        .map(|line| {
            let mut parts = line.splitn(4, ':');
            let file = parts.next().unwrap().to_string();
            let line_no = parts.next().unwrap().parse().unwrap();
            let column = parts.next().unwrap().parse().unwrap();
            let code = parts
                .next()
                .unwrap()
                .split_whitespace()
                .next()
                .unwrap()
                .to_string();
            (file, line_no, column, code)
        })
        .collect();
    assert!(!listed.is_empty());

    let json = sparkfix(dir.path(), &["--output-format", "json"]);
    assert_eq!(json.code, text.code);
    let items: serde_json::Value = serde_json::from_str(&json.stdout).expect("a JSON array");
    let items = items.as_array().unwrap();
    let from_json: Vec<(String, usize, usize, String)> = items
        .iter()
        .map(|item| {
            for key in [
                "name",
                "message",
                "evidence",
                "end_location",
                "range",
                "fixable",
                "fix",
            ] {
                assert!(item.get(key).is_some(), "{key} in {item}");
            }
            let start = item["range"]["start"].as_u64().unwrap();
            assert!(item["range"]["end"].as_u64().unwrap() >= start);
            (
                item["file"].as_str().unwrap().to_string(),
                item["location"]["line"].as_u64().unwrap() as usize,
                item["location"]["column"].as_u64().unwrap() as usize,
                item["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(from_json, listed);
    // A fix's edits: byte ranges into the file, with their line and column.
    let source = JOB;
    for item in items.iter().filter(|item| !item["fix"].is_null()) {
        assert!(["safe", "unsafe"].contains(&item["fix"]["applicability"].as_str().unwrap()));
        for edit in item["fix"]["edits"].as_array().unwrap() {
            let start = edit["range"]["start"].as_u64().unwrap() as usize;
            let line = edit["location"]["line"].as_u64().unwrap() as usize;
            assert_eq!(source[..start].matches('\n').count() + 1, line, "{edit}");
        }
    }

    let lines = sparkfix(dir.path(), &["--output-format", "json-lines"]);
    let parsed: Vec<serde_json::Value> = lines
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect();
    assert_eq!(&parsed, items);

    let github = sparkfix(dir.path(), &["--output-format", "github"]);
    assert_eq!(github.stdout.lines().count(), listed.len());
    for (line, (file, line_no, column, code)) in github.stdout.lines().zip(&listed) {
        assert!(
            line.starts_with(&format!("::warning title=sparkfix {code} (")),
            "{line}"
        );
        assert!(
            line.contains(&format!(
                ",file={file},line={line_no},col={column},endLine="
            )),
            "{line}"
        );
    }

    let gitlab = sparkfix(dir.path(), &["--output-format", "gitlab"]);
    let report: serde_json::Value = serde_json::from_str(&gitlab.stdout).expect("a JSON array");
    let report = report.as_array().unwrap();
    assert_eq!(report.len(), listed.len());
    let mut fingerprints: Vec<&str> = Vec::new();
    for (entry, (file, line_no, _, code)) in report.iter().zip(&listed) {
        assert_eq!(entry["location"]["path"], file.as_str());
        assert_eq!(entry["location"]["lines"]["begin"], *line_no);
        assert!(
            entry["check_name"]
                .as_str()
                .unwrap()
                .starts_with(code.as_str())
        );
        assert!(["major", "minor"].contains(&entry["severity"].as_str().unwrap()));
        fingerprints.push(entry["fingerprint"].as_str().unwrap());
    }
    fingerprints.sort_unstable();
    fingerprints.dedup();
    assert_eq!(
        fingerprints.len(),
        report.len(),
        "one fingerprint per finding"
    );
    let again = sparkfix(dir.path(), &["--output-format", "gitlab"]);
    assert_eq!(again.stdout, gitlab.stdout, "fingerprints are stable");

    let clean = folder_with(&[("clean.py", CLEAN.as_bytes())]);
    assert_eq!(
        sparkfix(clean.path(), &["--output-format", "json"]).stdout,
        "[]\n"
    );
}

#[test]
fn extend_select_adds_rules_on_top_of_select_and_ignore_wins() {
    let dir = folder_with(&[("job.py", AGGREGATE_JOB.as_bytes())]);
    let codes = |args: &[&str]| -> Vec<String> {
        let run = sparkfix(dir.path(), args);
        assert_ne!(run.code, 2, "{}", run.stderr);
        let mut codes: Vec<String> = run
            .stdout
            .lines()
            .filter_map(|line| line.split(": ").nth(1))
            .filter_map(|rest| rest.split(' ').next())
            .map(str::to_owned)
            .collect();
        codes.sort();
        codes.dedup();
        codes
    };
    let spark31 = ["--target-spark", "3.1"];
    let all = codes(&spark31);
    assert!(all.len() >= 2, "{all:?}");
    assert_eq!(
        codes(&[&spark31[..], &["--select", "SPK003"]].concat()),
        ["SPK003"]
    );
    let other = all.iter().find(|code| *code != "SPK003").unwrap().as_str();
    assert_eq!(
        codes(
            &[
                &spark31[..],
                &["--select", "SPK003", "--extend-select", other]
            ]
            .concat()
        ),
        [other, "SPK003"]
            .iter()
            .map(|c| c.to_string())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    );
    let ignored = [
        &spark31[..],
        &["--extend-select", "SPK003", "--ignore", "SPK003"],
    ]
    .concat();
    assert!(!codes(&ignored).contains(&"SPK003".to_string()));
}

#[test]
fn show_fixes_previews_each_fix_and_lists_those_applied() {
    let dir = folder_with(&[("job.py", JOB.as_bytes())]);
    let run = sparkfix(dir.path(), &["--show-fixes"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // Under the SPK001 finding: its fix alone, as the hunk that --write would apply.
    let preview = run
        .stdout
        .split_once("[*]\n  safe fix (applied by --write):\n")
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(
        preview.starts_with(
            "    @@ -1,5 +1,6 @@\n     from pyspark.sql import SparkSession\n     spark = \
             SparkSession.builder.getOrCreate()\n    -df = spark.read.json(\"s3://bucket/events/\")\n    \
             +df = spark.read.json(\"s3://bucket/events/\").cache()\n"
        ),
        "{preview}"
    );
    assert!(
        run.stdout
            .contains("\n  unsafe fix (applied by --write --unsafe-fixes):\n"),
        "{}",
        run.stdout
    );
    assert_eq!(
        read(dir.path(), "job.py"),
        JOB.as_bytes(),
        "a check writes nothing"
    );

    let run = sparkfix(dir.path(), &["--write", "--show-fixes"]);
    assert!(
        run.stderr.starts_with(
            "Fixed 1 finding:\n- job.py:\n    1 × SPK001 (cache-reused-dataframe)\nFixed 1 finding in 1 file"
        ),
        "{}",
        run.stderr
    );
    // Nothing left to fix: nothing listed.
    let run = sparkfix(dir.path(), &["--write", "--show-fixes"]);
    assert!(!run.stderr.contains("×"), "{}", run.stderr);
}

/// Runs sparkfix in `dir` under a pseudo-terminal (util-linux `script`), stdout discarded, with
/// `CI` as given; returns what the terminal showed (stderr).
fn on_a_terminal(dir: &Path, args: &str, ci: Option<&str>) -> String {
    let mut command = Command::new("script");
    command
        .args(["-qec"])
        .arg(format!(
            "{} {args} > /dev/null",
            env!("CARGO_BIN_EXE_sparkfix")
        ))
        .arg("/dev/null")
        .current_dir(dir)
        .env_remove("CI");
    if let Some(value) = ci {
        command.env("CI", value);
    }
    let output = command
        .output()
        .expect("util-linux `script` runs (it gives sparkfix a terminal)");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_progress_bar_only_for_long_runs_watched_on_a_terminal() {
    let files: Vec<(String, &[u8])> = (0..250)
        .map(|i| (format!("jobs/job_{i:03}.py"), JOB.as_bytes()))
        .collect();
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, c)| (n.as_str(), *c)).collect();
    let dir = folder_with(&files);
    let shown = on_a_terminal(dir.path(), "--select SPK001 .", None);
    assert!(shown.contains("/250 files"), "{shown:?}");
    assert!(
        shown.ends_with("Found 250 findings (250 fixable with --write).\r\n"),
        "{shown:?}"
    );
    for (args, ci) in [
        ("--select SPK001 .", Some("true")),
        ("--select SPK001 -q .", None),
        ("--select SPK001 jobs/job_001.py", None),
    ] {
        let shown = on_a_terminal(dir.path(), args, ci);
        assert!(!shown.contains(" files "), "{args} CI={ci:?}: {shown:?}");
    }
    // Piped, as in pre-commit or a log: never.
    let run = sparkfix(dir.path(), &["--select", "SPK001"]);
    assert_eq!(
        run.stderr,
        "Found 250 findings (250 fixable with --write).\n"
    );
}

/// cheap-emptiness-test and cache-reused-dataframe cooperate: a count on a map-only lineage that
/// becomes `isEmpty()` (Spark 3.5: one row, partition by partition) is no second full pass to cache
/// the frame for; without the emptiness rule the cache is still proposed.
#[test]
fn an_emptiness_test_made_cheap_calls_for_no_cache() {
    let job = "from pyspark.sql import SparkSession\n\
               spark = SparkSession.builder.getOrCreate()\n\
               df = spark.read.json(\"s3://bucket/events/\")\n\
               if df.count() == 0:\n    raise SystemExit(\"no events\")\n\
               df.write.parquet(\"s3://bucket/out/\")\n";
    let dir = folder_with(&[("job.py", job)]);
    let all = sparkfix(dir.path(), &["--diff", "job.py"]);
    assert!(
        all.stdout.contains("+if df.isEmpty():") && !all.stdout.contains(".cache()"),
        "{}",
        all.stdout
    );
    let cache_only = sparkfix(dir.path(), &["--diff", "--select", "SPK001", "job.py"]);
    assert!(
        cache_only.stdout.contains(".cache()"),
        "{}",
        cache_only.stdout
    );
}
