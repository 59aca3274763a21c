//! Installing sparkfix as a user would, end to end: the wheel maturin builds (`pyproject.toml`,
//! `bindings = "bin"`) installed with pip into a fresh virtualenv, and the hooks of
//! `.pre-commit-hooks.yaml` run by the real `pre-commit` (`try-repo` on this repository) in a
//! temporary git repository.
//!
//! Both builds use cargo's `dev` profile in this build's target folder, so they reuse what
//! `cargo test` compiled instead of a five-minute release build: the wheel is the one `maturin
//! build --release` makes (README), but for the optimisation level. pip's build of the package
//! for pre-commit takes that profile from `MATURIN_PEP517_ARGS` and fetches maturin from PyPI,
//! as it does on a user's machine.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

#[path = "support/python_tools.rs"]
mod python_tools;
#[path = "support/run_sparkfix.rs"]
mod support;

/// A job with one proven finding whose fix is safe (SPK001: a frame written twice) and one
/// guess (SPK003), which fails nothing.
const JOB: &str = "from pyspark.sql import SparkSession\n\
spark = SparkSession.builder.getOrCreate()\n\
df = spark.read.json(\"s3://bucket/events/\").filter(\"kind = 1\")\n\
df.write.parquet(\"s3://bucket/a/\")\n\
df.write.json(\"s3://bucket/b/\")\n";

/// The same job as a notebook in nbformat's layout, its frame defined in one cell and written in
/// the next: the hooks take notebooks too (`types_or: [python, jupyter]`).
const NOTEBOOK: &str = r#"{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": null,
   "metadata": {},
   "outputs": [],
   "source": [
    "from pyspark.sql import SparkSession\n",
    "spark = SparkSession.builder.getOrCreate()\n",
    "df = spark.read.json(\"s3://bucket/events/\").filter(\"kind = 1\")"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": null,
   "metadata": {},
   "outputs": [],
   "source": [
    "df.write.parquet(\"s3://bucket/a/\")\n",
    "df.write.json(\"s3://bucket/b/\")"
   ]
  }
 ],
 "metadata": {},
 "nbformat": 4,
 "nbformat_minor": 5
}
"#;

fn show(output: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn run(command: &mut Command) -> Output {
    command
        .env("CARGO_TARGET_DIR", python_tools::target())
        .env("MATURIN_PEP517_ARGS", "--profile dev")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"))
}

#[test]
fn the_wheel_installs_and_runs_in_a_fresh_virtualenv() {
    let work = tempfile::tempdir().unwrap();
    let wheels = work.path().join("wheels");
    let built = run(Command::new(python_tools::tool("maturin"))
        .args(["build", "--profile", "dev", "--out"])
        .arg(&wheels)
        .current_dir(support::repo()));
    assert!(built.status.success(), "{}", show(&built));
    let wheel = fs::read_dir(&wheels)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.extension().is_some_and(|ext| ext == "whl"))
        .expect("maturin wrote a wheel");
    let name = wheel.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("sparkfix-0.1.0-py3-none-"), "{name}");

    // A virtualenv that has never seen this repository, its crates or a Rust toolchain.
    let venv = work.path().join("venv");
    let made = run(Command::new("python3").args(["-m", "venv"]).arg(&venv));
    assert!(made.status.success(), "{}", show(&made));
    let installed = run(Command::new(venv.join("bin/python"))
        .args(["-m", "pip", "install", "--no-index", "--quiet"])
        .arg(&wheel));
    assert!(installed.status.success(), "{}", show(&installed));

    let sparkfix = venv.join("bin/sparkfix");
    let version = run(Command::new(&sparkfix).arg("--version"));
    assert_eq!(String::from_utf8_lossy(&version.stdout), "sparkfix 0.1.0\n");
    let jobs = work.path().join("jobs");
    fs::create_dir_all(&jobs).unwrap();
    fs::write(jobs.join("job.py"), JOB).unwrap();
    let checked = run(Command::new(&sparkfix)
        .args(["--output-format", "concise", "."])
        .current_dir(&jobs));
    assert_eq!(checked.status.code(), Some(1), "{}", show(&checked));
    assert!(
        String::from_utf8_lossy(&checked.stdout).starts_with("job.py:3:1: SPK001 "),
        "{}",
        show(&checked)
    );
}

/// The commit pre-commit installs the hooks from: this repository's working tree (its tracked
/// files as they are now, made a commit object by `git stash create`, which changes neither the
/// index nor the files), or `HEAD` when nothing is changed.
fn hooks_commit() -> String {
    let git = |args: &[&str]| {
        let output = Command::new("git")
            .args(args)
            .current_dir(support::repo())
            .output()
            .expect("git runs");
        assert!(output.status.success(), "git {args:?}: {}", show(&output));
        String::from_utf8(output.stdout).unwrap().trim().to_owned()
    };
    let stash = git(&["stash", "create"]);
    if stash.is_empty() {
        git(&["rev-parse", "HEAD"])
    } else {
        stash
    }
}

/// `pre-commit try-repo <this repository> [HOOK] --ref COMMIT --all-files` in `repo` (every
/// hook without `hook`). try-repo installs the hooks afresh on every call.
fn try_hook(repo: &Path, home: &Path, hook: Option<&str>, commit: &str) -> Output {
    run(Command::new(python_tools::tool("pre-commit"))
        .args(["try-repo"])
        .arg(support::repo())
        .args(hook)
        .args(["--ref", commit, "--all-files", "--color", "never"])
        .current_dir(repo)
        .env("PRE_COMMIT_HOME", home))
}

fn git(repo: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args([
            "-c",
            "user.name=sparkfix",
            "-c",
            "user.email=tests@sparkfix",
        ])
        .args(args)
        .current_dir(repo)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", show(&output));
}

#[test]
fn the_pre_commit_hooks_fail_and_fix_then_pass() {
    let work = tempfile::tempdir().unwrap();
    let home = work.path().join("pre-commit-home");
    let repo = work.path().join("repo");
    fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    fs::write(repo.join("job.py"), JOB).unwrap();
    fs::write(repo.join("nb.ipynb"), NOTEBOOK).unwrap();
    git(&repo, &["add", "job.py", "nb.ipynb"]);
    git(&repo, &["commit", "-q", "-m", "a job"]);
    let commit = hooks_commit();

    // sparkfix-diff shows the fix, writes nothing and fails.
    let diff = try_hook(&repo, &home, Some("sparkfix-diff"), &commit);
    let shown = show(&diff);
    assert_eq!(diff.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains("sparkfix (diff)...") && shown.contains("Failed"),
        "{shown}"
    );
    assert!(shown.contains("+df.unpersist()"), "{shown}");
    assert!(shown.contains("--- a/nb.ipynb:cell 1"), "{shown}");
    assert_eq!(fs::read_to_string(repo.join("job.py")).unwrap(), JOB);
    assert_eq!(fs::read_to_string(repo.join("nb.ipynb")).unwrap(), NOTEBOOK);
    // sparkfix fixes the file and fails (it changed it) ...
    let first = try_hook(&repo, &home, Some("sparkfix"), &commit);
    let shown = show(&first);
    assert_eq!(first.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains("files were modified by this hook"),
        "{shown}"
    );
    let fixed = fs::read_to_string(repo.join("job.py")).unwrap();
    assert!(
        fixed.contains(".filter(\"kind = 1\").cache()\n") && fixed.ends_with("df.unpersist()\n"),
        "{fixed}"
    );
    let notebook = fs::read_to_string(repo.join("nb.ipynb")).unwrap();
    assert!(
        notebook.contains(
            r#""df = spark.read.json(\"s3://bucket/events/\").filter(\"kind = 1\").cache()""#
        ) && notebook.contains(
            r#""df.write.json(\"s3://bucket/b/\")\n",
    "df.unpersist()""#
        ),
        "{notebook}"
    );
    // ... and passes on the fixed file: the guess left (SPK003) fails nothing.
    git(&repo, &["commit", "-q", "-am", "fixed"]);
    let second = try_hook(&repo, &home, Some("sparkfix"), &commit);
    let shown = show(&second);
    assert_eq!(second.status.code(), Some(0), "{shown}");
    assert!(
        shown.contains("sparkfix....") && shown.contains("Passed"),
        "{shown}"
    );
    assert_eq!(fs::read_to_string(repo.join("job.py")).unwrap(), fixed);
    assert_eq!(fs::read_to_string(repo.join("nb.ipynb")).unwrap(), notebook);
}
