//! End-to-end tests of configuration files: discovery (nearest wins, file precedence in a folder,
//! `pyproject.toml` without the table skipped), precedence over defaults and under the command
//! line, `--config`, `--isolated`, `--show-settings`, each key's effect, and every kind of bad
//! configuration (exit 2, file:line:col, no file touched).

use std::fs;
use std::path::Path;

#[path = "support/run_sparkfix.rs"]
mod support;

use support::folder_with;

/// SPK001 (a frame read twice), SPK005 (a count only logged; Spark 3.3+), SPK002 (a join with a
/// `dim_*` table: guessed) and, before Spark 3.2, SPK003 (a post-shuffle write).
const JOB: &str = "from pyspark.sql import SparkSession\n\
spark = SparkSession.builder.getOrCreate()\n\
df = spark.read.json(\"s3://bucket/events/\")\n\
print(df.count())\n\
df.collect()\n\
facts = spark.read.parquet(\"s3://b/facts/\")\n\
facts.join(spark.read.parquet(\"s3://b/dim_users/\"), \"id\").write.parquet(\"s3://b/out/\")\n";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn sparkfix(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["--output-format", "concise"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = support::sparkfix_in(dir, &all, None);
    Run {
        code,
        stdout,
        stderr,
    }
}

/// The rule codes reported for `file`, in order.
fn codes(run: &Run, file: &str) -> Vec<String> {
    run.stdout
        .lines()
        .filter(|line| line.starts_with(&format!("{file}:")))
        .filter_map(|line| line.split_whitespace().nth(1).map(str::to_owned))
        .collect()
}

#[test]
fn without_configuration_every_rule_runs_on_its_defaults() {
    let dir = folder_with(&[("job.py", JOB)]);
    let run = sparkfix(dir.path(), &[]);
    assert_eq!(
        codes(&run, "job.py"),
        ["SPK001", "SPK005", "SPK002"],
        "{}",
        run.stdout
    );
}

#[test]
fn the_nearest_configuration_governs_each_file() {
    let dir = folder_with(&[
        ("sparkfix.toml", "ignore = [\"SPK001\"]\n"),
        ("job.py", JOB),
        ("team/sparkfix.toml", "select = [\"SPK001\"]\n"),
        ("team/job.py", JOB),
        // A folder without its own file is governed by its parent's.
        ("team/daily/job.py", JOB),
    ]);
    let run = sparkfix(dir.path(), &[]);
    assert_eq!(
        codes(&run, "job.py"),
        ["SPK005", "SPK002"],
        "{}",
        run.stdout
    );
    assert_eq!(codes(&run, "team/job.py"), ["SPK001"]);
    assert_eq!(codes(&run, "team/daily/job.py"), ["SPK001"]);
    // Run from inside the folder, or on one file: the same configuration.
    let run = sparkfix(&dir.path().join("team"), &["daily/job.py"]);
    assert_eq!(codes(&run, "daily/job.py"), ["SPK001"]);
    // The nearest file wins whole: nothing of the parent's is merged in (as ruff does).
    let run = sparkfix(dir.path(), &["team/job.py", "job.py"]);
    assert_eq!(codes(&run, "team/job.py"), ["SPK001"]);
    assert_eq!(codes(&run, "job.py"), ["SPK005", "SPK002"]);
}

#[test]
fn in_one_folder_dot_sparkfix_beats_sparkfix_beats_pyproject() {
    let dir = folder_with(&[
        (".sparkfix.toml", "select = [\"SPK001\"]\n"),
        ("sparkfix.toml", "select = [\"SPK002\"]\n"),
        ("pyproject.toml", "[tool.sparkfix]\nselect = [\"SPK005\"]\n"),
        ("job.py", JOB),
    ]);
    assert_eq!(codes(&sparkfix(dir.path(), &[]), "job.py"), ["SPK001"]);
    fs::remove_file(dir.path().join(".sparkfix.toml")).unwrap();
    assert_eq!(codes(&sparkfix(dir.path(), &[]), "job.py"), ["SPK002"]);
    fs::remove_file(dir.path().join("sparkfix.toml")).unwrap();
    assert_eq!(codes(&sparkfix(dir.path(), &[]), "job.py"), ["SPK005"]);
}

#[test]
fn a_pyproject_without_the_table_is_passed_over() {
    let dir = folder_with(&[
        ("sparkfix.toml", "select = [\"SPK002\"]\n"),
        (
            "jobs/pyproject.toml",
            "[project]\nname = \"jobs\"\n\n[tool.ruff]\nline-length = 100\n",
        ),
        ("jobs/job.py", JOB),
    ]);
    let run = sparkfix(dir.path(), &[]);
    assert_eq!(codes(&run, "jobs/job.py"), ["SPK002"], "{}", run.stderr);
}

#[test]
fn the_command_line_beats_the_configuration() {
    let dir = folder_with(&[
        (
            "sparkfix.toml",
            "select = [\"SPK002\"]\ntarget-spark = \"3.1\"\nunsafe-fixes = true\n",
        ),
        ("job.py", JOB),
    ]);
    // --select replaces the file's select; --extend-select adds to it.
    assert_eq!(
        codes(&sparkfix(dir.path(), &["--select", "SPK001"]), "job.py"),
        ["SPK001"]
    );
    assert_eq!(
        codes(
            &sparkfix(dir.path(), &["--extend-select", "SPK001"]),
            "job.py"
        ),
        ["SPK001", "SPK002"]
    );
    // target-spark 3.1 from the file: no SPK005 (3.3+), SPK003 (AQE off before 3.2); the command
    // line's 3.5 wins over it.
    let run = sparkfix(dir.path(), &["--select", "SPK003,SPK005"]);
    assert_eq!(codes(&run, "job.py"), ["SPK003"]);
    let run = sparkfix(
        dir.path(),
        &["--select", "SPK003,SPK005", "--target-spark", "3.5"],
    );
    assert_eq!(codes(&run, "job.py"), ["SPK005"]);
    // unsafe-fixes = true from the file applies the guessed broadcast; --no-unsafe-fixes not.
    let diff = sparkfix(dir.path(), &["--diff"]);
    assert!(
        diff.stdout.contains("broadcast(spark.read"),
        "{}",
        diff.stdout
    );
    let diff = sparkfix(dir.path(), &["--diff", "--no-unsafe-fixes"]);
    assert!(
        !diff.stdout.contains("broadcast(spark.read"),
        "{}",
        diff.stdout
    );
}

#[test]
fn config_and_isolated_replace_discovery() {
    let dir = folder_with(&[
        ("sparkfix.toml", "select = [\"SPK002\"]\n"),
        ("other/settings.toml", "select = [\"SPK005\"]\n"),
        ("job.py", JOB),
    ]);
    let run = sparkfix(dir.path(), &["--config", "other/settings.toml"]);
    assert_eq!(codes(&run, "job.py"), ["SPK005"]);
    let run = sparkfix(dir.path(), &["--isolated"]);
    assert_eq!(codes(&run, "job.py"), ["SPK001", "SPK005", "SPK002"]);
    let run = sparkfix(dir.path(), &["--config", "missing.toml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("missing.toml:1:1: cannot read the configuration file: "),
        "{}",
        run.stderr
    );
    fs::write(dir.path().join("pyproject.toml"), "[tool.ruff]\n").unwrap();
    let run = sparkfix(dir.path(), &["--config", "pyproject.toml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("this pyproject.toml has no [tool.sparkfix] table"),
        "{}",
        run.stderr
    );
}

#[test]
fn exclude_is_relative_to_its_file_and_prunes_the_walk() {
    let dir = folder_with(&[
        (
            "team/sparkfix.toml",
            "exclude = [\"legacy\", \"old_*.py\"]\n",
        ),
        ("team/job.py", JOB),
        ("team/old_job.py", JOB),
        ("team/legacy/job.py", JOB),
        // Outside the file's folder its globs do not reach.
        ("legacy/job.py", JOB),
    ]);
    let run = sparkfix(dir.path(), &["--select", "SPK001"]);
    let files: Vec<&str> = run
        .stdout
        .lines()
        .map(|line| line.split(':').next().unwrap())
        .collect();
    assert_eq!(files, ["legacy/job.py", "team/job.py"], "{}", run.stdout);
    // A file named on the command line (as pre-commit passes them) is excluded too.
    let run = sparkfix(dir.path(), &["team/legacy/job.py", "team/old_job.py"]);
    assert_eq!(run.stdout, "");
    assert_eq!(run.code, 0);
    // --exclude replaces the file's exclude; --extend-exclude adds to it.
    let run = sparkfix(dir.path(), &["--select", "SPK001", "--exclude", "legacy"]);
    assert_eq!(codes(&run, "team/old_job.py"), ["SPK001"]);
    assert!(codes(&run, "team/legacy/job.py").is_empty());
    let run = sparkfix(
        dir.path(),
        &["--select", "SPK001", "--extend-exclude", "job.py"],
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn include_tests_and_rule_parameters_from_the_file() {
    let dir = folder_with(&[
        (
            "pyproject.toml",
            "[tool.sparkfix]\ninclude-tests = true\ntarget-spark = \"3.1\"\n\n\
             [tool.sparkfix.rules.control-output-files]\noutput_files = 8\n\n\
             [tool.sparkfix.rules.SPK002]\ndimension_patterns = []\n",
        ),
        ("tests/test_job.py", JOB),
    ]);
    let run = sparkfix(dir.path(), &[]);
    // SPK002 guessed by the `dim_*` pattern is gone; SPK003 coalesces to the configured 8.
    assert_eq!(
        codes(&run, "tests/test_job.py"),
        ["SPK001", "SPK003"],
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("coalesce to 8 from the rule's `output_files`"),
        "{}",
        run.stdout
    );
}

#[test]
fn profile_paths_are_relative_to_the_file() {
    let repo = support::repo();
    let dir = tempfile::tempdir().unwrap();
    let job = dir.path().join("jobs/big_dimension_join.py");
    fs::create_dir_all(job.parent().unwrap()).unwrap();
    fs::copy(
        repo.join("tests/eventlogs/jobs/big_dimension_join.py"),
        &job,
    )
    .unwrap();
    let log = repo.join("tests/eventlogs/logs/spark4/big_dimension_join");
    let given = sparkfix(
        dir.path(),
        &["--isolated", "--profile", log.to_str().unwrap(), "jobs"],
    );
    let guessed = sparkfix(dir.path(), &["--isolated", "jobs"]);
    assert_ne!(given.stdout, guessed.stdout, "the log changes the findings");
    // The same log, copied beside the jobs and named in jobs/sparkfix.toml relative to it.
    copy_folder(&log, &dir.path().join("logs/big_dimension_join"));
    fs::write(
        dir.path().join("jobs/sparkfix.toml"),
        "profile = [\"../logs/big_dimension_join\"]\n",
    )
    .unwrap();
    let configured = sparkfix(dir.path(), &["jobs"]);
    assert_eq!(configured.stdout, given.stdout, "{}", configured.stderr);
    let shown = sparkfix(
        dir.path(),
        &["--show-settings", "jobs/big_dimension_join.py"],
    );
    assert!(shown.stdout.contains("profile = ["), "{}", shown.stdout);
}

fn copy_folder(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn show_settings_says_where_each_value_comes_from() {
    let dir = folder_with(&[
        (
            "sparkfix.toml",
            "target-spark = \"3.3\"\nignore = [\"SPK005\"]\n\n[rules.control-output-files]\noutput_files = 8\n",
        ),
        ("jobs/job.py", JOB),
    ]);
    let run = sparkfix(
        dir.path(),
        &[
            "--show-settings",
            "jobs/job.py",
            "--unsafe-fixes",
            "--ignore",
            "SPK002",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = |key: &str| {
        run.stdout
            .lines()
            .find(|line| line.starts_with(&format!("{key} = ")))
            .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|| panic!("no {key} in\n{}", run.stdout))
    };
    assert!(
        run.stdout
            .starts_with("# Settings for jobs/job.py\n# Configuration file: sparkfix.toml\n")
    );
    assert_eq!(
        line("target-spark"),
        "target-spark = \"3.3\" # sparkfix.toml:1"
    );
    assert_eq!(line("unsafe-fixes"), "unsafe-fixes = true # command line");
    assert_eq!(line("strict"), "strict = false # default");
    assert_eq!(
        line("rules.control-output-files.output_files"),
        "rules.control-output-files.output_files = 8 # sparkfix.toml:5"
    );
    assert_eq!(
        line("rules.control-output-files.target_file_bytes"),
        "rules.control-output-files.target_file_bytes = 268435456 # default"
    );
    let ignores: Vec<String> = run
        .stdout
        .lines()
        .filter(|line| line.starts_with("ignore = "))
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    // The file's layer, then the command line's over it.
    assert_eq!(
        ignores,
        [
            "ignore = [\"SPK005\"] # sparkfix.toml:2",
            "ignore = [\"SPK002\"] # command line"
        ]
    );
    assert!(run.stdout.ends_with(
        "# Rules that run (from select, extend-select and ignore): \
         [\"SPK001\", \"SPK003\", \"SPK004\", \"SPK006\", \"SPK007\", \"SPK008\", \"SPK009\", \"SPK010\", \"SPK011\"]\n"
    ));
    let run = sparkfix(dir.path(), &["--show-settings", "nope.py"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (2, "nope.py: no such file or directory\n")
    );
}

/// Each bad configuration: exit 2, the file, line, column and key, and no file read or touched.
#[test]
fn each_bad_configuration_is_an_error_before_any_file_is_touched() {
    let cases: &[(&str, &str)] = &[
        (
            "select = [\"SPK001\"\n",
            "sparkfix.toml:1:19: not valid TOML: unclosed array",
        ),
        (
            "colour = true\n",
            "sparkfix.toml:1:1: unknown key `colour`; the keys are `target-spark`",
        ),
        (
            "unsafe_fixes = true\n",
            "sparkfix.toml:1:1: unknown key `unsafe_fixes` (did you mean `unsafe-fixes`?)",
        ),
        (
            "strict = \"yes\"\n",
            "sparkfix.toml:1:10: `strict`: expected true or false, found a string",
        ),
        (
            "target-spark = 3.5\n",
            "sparkfix.toml:1:16: `target-spark`: expected a string such as \"3.5\", found a float",
        ),
        (
            "target-spark = \"9.9\"\n",
            "sparkfix.toml:1:16: `target-spark`: ",
        ),
        (
            "select = \"SPK001\"\n",
            "sparkfix.toml:1:10: `select`: expected an array of strings, found a string",
        ),
        (
            "extend-select = [1]\n",
            "sparkfix.toml:1:18: `extend-select`: expected strings, found an integer",
        ),
        (
            "ignore = [\"SPK001\", \"SPK099\"]\n",
            "sparkfix.toml:1:21: `ignore`: `SPK099` names no rule",
        ),
        (
            "extend-safe-fixes = [\"nope\"]\n",
            "sparkfix.toml:1:22: `extend-safe-fixes`: `nope` names no rule",
        ),
        (
            "exclude = [\"a[b\"]\n",
            "sparkfix.toml:1:12: `exclude`: bad glob `a[b`",
        ),
        (
            "profile = \"logs\"\n",
            "sparkfix.toml:1:11: `profile`: expected an array of strings, found a string",
        ),
        (
            "rules = 1\n",
            "sparkfix.toml:1:9: `rules`: expected a table of rule tables, found an integer",
        ),
        (
            "[rules.SPK042]\n",
            "sparkfix.toml:1:8: `rules.SPK042`: no such rule; the rules are `cache-reused-dataframe` (SPK001)",
        ),
        (
            "[rules.count-in-passing]\nx = 1\n",
            "sparkfix.toml:2:1: unknown key `rules.count-in-passing.x`; count-in-passing has no parameters",
        ),
        (
            "[rules.control-output-files]\noutput_file = 1\n",
            "sparkfix.toml:2:1: unknown key `rules.control-output-files.output_file`; the parameters of control-output-files are `output_files`, `small_file_bytes`, `target_file_bytes`",
        ),
        (
            "[rules.control-output-files]\noutput_files = 2.5\n",
            "sparkfix.toml:2:16: `rules.control-output-files.output_files`: expected an integer, found a float",
        ),
        (
            "[rules.control-output-files]\noutput_files = -3\n",
            "sparkfix.toml:2:16: `rules.control-output-files.output_files` must be 0 or more",
        ),
        (
            "[rules.broadcast-small-table]\ndimension_patterns = \"dim_*\"\n",
            "sparkfix.toml:2:22: `rules.broadcast-small-table.dimension_patterns`: expected an array of strings, found a string",
        ),
    ];
    for (config, expected) in cases {
        let dir = folder_with(&[("sparkfix.toml", *config), ("job.py", JOB)]);
        for mode in [
            &[][..],
            &["--write", "--unsafe-fixes"],
            &["--show-settings", "job.py"],
        ] {
            let run = sparkfix(dir.path(), mode);
            assert_eq!(run.code, 2, "{config:?} {mode:?}: {}", run.stderr);
            assert!(
                run.stderr.starts_with(expected),
                "{config:?}:\n{}",
                run.stderr
            );
            assert!(
                run.stderr
                    .ends_with("sparkfix: bad configuration; no file was checked\n"),
                "{}",
                run.stderr
            );
            assert_eq!(run.stdout, "");
            assert_eq!(fs::read_to_string(dir.path().join("job.py")).unwrap(), JOB);
        }
    }
}

#[test]
fn every_error_of_every_bad_file_is_reported_at_once() {
    let dir = folder_with(&[
        ("sparkfix.toml", "strict = 1\ncolour = 2\n"),
        ("job.py", JOB),
        (
            "deep/er/pyproject.toml",
            "[tool.sparkfix]\nselect = [\"nope\"]\n",
        ),
        ("deep/er/job.py", JOB),
    ]);
    let run = sparkfix(dir.path(), &["--write"]);
    assert_eq!(run.code, 2);
    // Each error's first line (the others show the line with a caret).
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter_map(|l| l.find(": ").map(|at| &l[..at]))
        .collect();
    assert!(
        run.stderr.contains("1 | strict = 1\n  |          ^\n"),
        "{}",
        run.stderr
    );
    assert_eq!(
        lines,
        [
            "sparkfix.toml:1:10",
            "sparkfix.toml:2:1",
            "deep/er/pyproject.toml:2:11",
            "sparkfix"
        ],
        "{}",
        run.stderr
    );
    assert_eq!(fs::read_to_string(dir.path().join("job.py")).unwrap(), JOB);
    assert_eq!(
        fs::read_to_string(dir.path().join("deep/er/job.py")).unwrap(),
        JOB
    );
}

#[test]
fn standard_input_is_configured_by_the_current_folder() {
    let dir = folder_with(&[("sparkfix.toml", "select = [\"SPK002\"]\n")]);
    let check = |dir: &Path| {
        let (code, stdout, _) = support::sparkfix_in(
            dir,
            &["--output-format", "concise", "-"],
            Some(JOB.as_bytes()),
        );
        let codes: Vec<String> = stdout
            .lines()
            .filter_map(|l| l.split_whitespace().nth(1).map(str::to_owned))
            .collect();
        (code, codes)
    };
    // The guessed broadcast is shown; it fails the run only under strict = true.
    assert_eq!(check(dir.path()), (0, vec!["SPK002".to_owned()]));
    fs::write(
        dir.path().join("sparkfix.toml"),
        "select = [\"SPK002\"]\nstrict = true\n",
    )
    .unwrap();
    assert_eq!(check(dir.path()), (1, vec!["SPK002".to_owned()]));
}

#[test]
fn strict_is_per_configuration() {
    let dir = folder_with(&[
        ("sparkfix.toml", "select = [\"SPK002\"]\n"),
        ("loose/job.py", JOB),
        (
            "tight/sparkfix.toml",
            "select = [\"SPK002\"]\nstrict = true\n",
        ),
        ("tight/job.py", JOB),
    ]);
    assert_eq!(sparkfix(dir.path(), &["loose"]).code, 0);
    assert_eq!(sparkfix(dir.path(), &["tight"]).code, 1);
    assert_eq!(sparkfix(dir.path(), &["loose", "--strict"]).code, 1);
    assert_eq!(sparkfix(dir.path(), &[]).code, 1);
}
