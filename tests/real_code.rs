//! Runs `sparkfix --write --unsafe-fixes` on real PySpark programs written by others: the example
//! jobs of Apache Spark, which PySpark's source distribution installs as the package
//! `pyspark/examples/src/main/python/` (the PySpark of `support/pyspark.rs`, installed once in
//! `<target>/spark-venv` and reused, so they are downloaded once and cached).
//!
//! The fixture tests show what each rule does to code written for it; these files were written
//! for Spark, not for sparkfix, with the idioms and oddities of many authors. On a copy of them,
//! sparkfix must not crash, every file that CPython compiled before must still compile, no fix
//! may leave a name undefined (`ruff check --select F821`, counted per file and name since fixes
//! move lines), at least one file must change (else this test would pass on a sparkfix that does
//! nothing), and a second run must find nothing left to change.
//!
//! It needs python3, Java (for the PySpark bootstrap) and, on the first run, PyPI; it is skipped,
//! saying so, only when installing fails and PyPI cannot be reached.

#[path = "support/bootstrap.rs"]
mod bootstrap;
#[path = "support/cpython.rs"]
mod cpython;
#[path = "support/pyspark.rs"]
mod pyspark;
#[path = "support/python_tools.rs"]
mod python_tools;
#[path = "support/run_sparkfix.rs"]
mod run_sparkfix;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use bootstrap::bootstrap;
use run_sparkfix::sparkfix_in;

/// The Spark version the fixes are for (`--target-spark`): that of the PySpark the examples
/// come with, `MAJOR.MINOR`.
fn target_spark() -> String {
    let mut parts = pyspark::PYSPARK_VERSION.split('.');
    let major = parts.next().expect("a major version");
    let minor = parts.next().expect("a minor version");
    format!("{major}.{minor}")
}

/// Where PySpark installs Spark's example jobs, inside its package folder.
const EXAMPLES: &str = "examples/src/main/python";

#[test]
fn spark_examples_stay_valid_after_every_fix() {
    let Some(python) = bootstrap("PySpark", pyspark::python, "to download the Spark examples")
    else {
        return;
    };
    let Some(ruff) = bootstrap("ruff", python_tools::ruff, "to download the Spark examples") else {
        return;
    };
    let started = Instant::now();
    let examples = examples(&python);

    let target_spark = target_spark();
    let work = tempfile::tempdir().expect("a temporary folder");
    // Canonical, as ruff prints the files it reports.
    let dir = &work
        .path()
        .canonicalize()
        .expect("the temporary folder exists");
    let originals = copy_python_files(&examples, dir);
    assert!(
        originals.len() >= 20,
        "only {} example files found in {}",
        originals.len(),
        examples.display()
    );

    let compiled_before = compiling(&originals, dir);
    let undefined_before = undefined_names(&ruff, dir);

    let args = [
        "--write",
        "--unsafe-fixes",
        "--isolated",
        "--target-spark",
        &target_spark,
        ".",
    ];
    let (code, stdout, stderr) = sparkfix_in(dir, &args, None);
    check_run(
        "sparkfix --write",
        (code, &stdout, &stderr),
        &originals,
        &compiled_before,
    );

    let compiled_after = compiling(&originals, dir);
    let broken: Vec<String> = compiled_before
        .difference(&compiled_after)
        .map(|file| {
            format!(
                "{file}:\n{}",
                diff(&originals[file], &read(&dir.join(file)))
            )
        })
        .collect();
    assert!(
        broken.is_empty(),
        "{} example(s) compiled before sparkfix and no longer do:\n{}",
        broken.len(),
        broken.join("\n")
    );

    let undefined_after = undefined_names(&ruff, dir);
    let new_undefined: Vec<String> = undefined_after
        .iter()
        .filter(|(key, count)| **count > undefined_before.get(*key).copied().unwrap_or(0))
        .map(|((file, name), count)| {
            format!(
                "{file}: `{name}` undefined {count} time(s), {} before\n{}",
                undefined_before
                    .get(&(file.clone(), name.clone()))
                    .copied()
                    .unwrap_or(0),
                diff(&originals[file], &read(&dir.join(file)))
            )
        })
        .collect();
    assert!(
        new_undefined.is_empty(),
        "sparkfix left names undefined (ruff F821):\n{}",
        new_undefined.join("\n")
    );

    let changed: Vec<&String> = originals
        .iter()
        .filter(|(file, before)| read(&dir.join(file)) != **before)
        .map(|(file, _)| file)
        .collect();
    eprintln!(
        "real code: {} example files, {} compiled before (and after), {} changed by sparkfix \
         ({}), ruff F821 {} before / {} after, in {:.1?}",
        originals.len(),
        compiled_before.len(),
        changed.len(),
        changed
            .iter()
            .map(|file| file.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        undefined_before.values().sum::<usize>(),
        undefined_after.values().sum::<usize>(),
        started.elapsed()
    );
    assert!(
        !changed.is_empty(),
        "sparkfix --write --unsafe-fixes changed none of the {} examples:\n{stdout}{stderr}",
        originals.len()
    );

    // What the first run wrote is final: a second run has nothing left to fix.
    let fixed: BTreeMap<String, Vec<u8>> = originals
        .keys()
        .map(|file| (file.clone(), read(&dir.join(file))))
        .collect();
    let args = [
        "--diff",
        "--unsafe-fixes",
        "--isolated",
        "--target-spark",
        &target_spark,
        ".",
    ];
    let (code, stdout, stderr) = sparkfix_in(dir, &args, None);
    assert!(
        stdout.is_empty() && code != 1,
        "a second run of sparkfix (exit {code}) still changes the fixed examples:\n{stdout}{stderr}"
    );
    check_run(
        "sparkfix --diff",
        (code, &stdout, &stderr),
        &originals,
        &compiled_before,
    );
    for (file, contents) in &fixed {
        assert!(
            read(&dir.join(file)) == *contents,
            "sparkfix --diff wrote {file}"
        );
    }
}

/// The folder of Spark's example jobs in the installed PySpark.
fn examples(python: &Path) -> PathBuf {
    let output = Command::new(python)
        .args([
            "-c",
            "import os, pyspark; print(os.path.dirname(pyspark.__file__))",
        ])
        .stdin(Stdio::null())
        .output()
        .expect("the PySpark interpreter runs");
    assert!(
        output.status.success(),
        "cannot locate the pyspark package\n{}",
        pyspark::show(&output)
    );
    let package = String::from_utf8(output.stdout).expect("a UTF-8 path");
    let examples = Path::new(package.trim()).join(EXAMPLES);
    assert!(
        examples.is_dir(),
        "PySpark {} has no example jobs in {}",
        pyspark::PYSPARK_VERSION,
        examples.display()
    );
    examples
}

/// Copies the `.py` files below `from` to `to`, keeping their relative paths; returns their
/// contents by relative path.
fn copy_python_files(from: &Path, to: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![from.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).expect("the examples folder can be read") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                if path.file_name().is_some_and(|name| name != "__pycache__") {
                    pending.push(path);
                }
                continue;
            }
            if path.extension().is_none_or(|extension| extension != "py") {
                continue;
            }
            let relative = path.strip_prefix(from).expect("below the examples folder");
            let copy = to.join(relative);
            fs::create_dir_all(copy.parent().expect("a file has a folder")).unwrap();
            let contents = read(&path);
            fs::write(&copy, &contents).unwrap();
            files.insert(slashed(relative), contents);
        }
    }
    files
}

/// Which of `files` (relative to `dir`, with `/`) CPython compiles as they are now.
fn compiling(files: &BTreeMap<String, Vec<u8>>, dir: &Path) -> BTreeSet<String> {
    let sources: Vec<Vec<u8>> = files.keys().map(|file| read(&dir.join(file))).collect();
    files
        .keys()
        .zip(cpython::refuses(&sources))
        .filter(|(_, refused)| !refused)
        .map(|(file, _)| file.clone())
        .collect()
}

/// How many times ruff finds each name undefined in each file below `dir` (F821).
fn undefined_names(ruff: &Path, dir: &Path) -> BTreeMap<(String, String), usize> {
    let output = Command::new(ruff)
        .args([
            "check",
            "--isolated",
            "--select",
            "F821",
            "--output-format",
            "json",
            "--no-cache",
            "--exit-zero",
            ".",
        ])
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("ruff runs");
    assert!(
        output.status.success(),
        "ruff check failed\n{}",
        pyspark::show(&output)
    );
    let findings: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("ruff prints JSON");
    let mut names = BTreeMap::new();
    for finding in findings.as_array().expect("ruff prints an array") {
        if finding["code"] != "F821" {
            continue;
        }
        let file = finding["filename"].as_str().expect("a file name");
        let file = Path::new(file).strip_prefix(dir).unwrap_or(Path::new(file));
        let message = finding["message"].as_str().expect("a message");
        let name = message.split('`').nth(1).unwrap_or(message).to_owned();
        *names.entry((slashed(file), name)).or_insert(0) += 1;
    }
    names
}

/// Asserts that a sparkfix run did not crash and that every file it could not process (exit 2,
/// `path:line:col: cannot parse: reason` followed by a code frame) is one CPython does not
/// compile either.
fn check_run(
    what: &str,
    (code, stdout, stderr): (i32, &str, &str),
    files: &BTreeMap<String, Vec<u8>>,
    compiled: &BTreeSet<String>,
) {
    for panic in ["panicked", "internal error", "RUST_BACKTRACE"] {
        assert!(
            !stderr.contains(panic),
            "{what} crashed (exit {code}):\n{stderr}"
        );
    }
    assert!(
        matches!(code, 0..=2),
        "{what} exited {code}:\n{stdout}{stderr}"
    );
    // The lines that report a file: they start with its path and a colon.
    let reports: Vec<(&str, &str)> = stderr
        .lines()
        .filter_map(|line| {
            let file = files.keys().find(|file| {
                line.strip_prefix(file.as_str())
                    .is_some_and(|rest| rest.starts_with(':'))
            })?;
            Some((file.as_str(), line))
        })
        .collect();
    let unexpected: Vec<&str> = reports
        .iter()
        .filter(|(file, line)| !line.contains(": cannot parse: ") || compiled.contains(*file))
        .map(|(_, line)| *line)
        .collect();
    assert!(
        unexpected.is_empty() && (code != 2 || !reports.is_empty()),
        "{what} (exit {code}) reported files that CPython compiles, or failed without saying on \
         which file:\n{}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        unexpected.join("\n")
    );
}

fn read(path: &Path) -> Vec<u8> {
    fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn slashed(path: &Path) -> String {
    path.to_str()
        .expect("UTF-8 example paths")
        .replace(std::path::MAIN_SEPARATOR, "/")
}

/// A unified diff of a file's two versions, for a failure message.
fn diff(before: &[u8], after: &[u8]) -> String {
    let before = String::from_utf8_lossy(before);
    let after = String::from_utf8_lossy(after);
    similar::TextDiff::from_lines(before.as_ref(), after.as_ref())
        .unified_diff()
        .context_radius(3)
        .header("before", "after")
        .to_string()
}
