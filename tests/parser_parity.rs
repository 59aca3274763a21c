//! sparkfix's own parser against tree-sitter's, file by file: wherever it builds a tree, the
//! tree must be tree-sitter's, node for node (kind, field, flags, byte range, place); where
//! tree-sitter's tree has an error and it builds one, CPython must compile the text. Read here:
//! every Python file of the repository (fixtures, examples, Spark jobs, the fuzz corpus), the
//! standard library of the `python3` the tests run, and PySpark's own sources and example jobs
//! when the suite's Spark environment holds them.

#[path = "support/bootstrap.rs"]
mod bootstrap;
#[path = "support/cpython.rs"]
mod cpython;
#[path = "support/pyspark.rs"]
mod pyspark;

use std::path::{Path, PathBuf};
use std::process::Command;

use sparkfix_syntax::{Parity, parity};

fn python_files(root: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            // The copies under target/ and the standard library's own test data (files that are
            // broken on purpose) are left out; site-packages is not the standard library.
            if !matches!(
                name.to_str(),
                Some("target" | ".git" | "site-packages" | "test" | "tests" | "idlelib")
            ) {
                python_files(&path, files);
            }
        } else if path.extension().is_some_and(|e| e == "py") {
            files.push(path);
        }
    }
}

/// Compares the parsers on every file under `roots`; returns how many files each way.
fn compare(roots: &[PathBuf]) -> (usize, usize, usize) {
    let mut files = Vec::new();
    for root in roots {
        python_files(root, &mut files);
    }
    files.sort();
    let mut different = Vec::new();
    let mut tree_sitter_errors = Vec::new();
    let (mut same, mut refused) = (0, 0);
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        match parity(&text) {
            Parity::Same => same += 1,
            Parity::Refused(_) => refused += 1,
            Parity::TreeSitterError => tree_sitter_errors.push((path.clone(), text)),
            Parity::Different { tree_sitter, ours } => different.push(format!(
                "{}\n  tree-sitter: {tree_sitter}\n  sparkfix:    {ours}",
                path.display()
            )),
        }
    }
    assert!(
        different.is_empty(),
        "{} files parse differently:\n{}",
        different.len(),
        different.join("\n")
    );
    let texts: Vec<&str> = tree_sitter_errors.iter().map(|(_, t)| t.as_str()).collect();
    let refused_by_cpython: Vec<&PathBuf> = cpython::refuses(&texts)
        .into_iter()
        .zip(&tree_sitter_errors)
        .filter(|(refuses, _)| *refuses)
        .map(|(_, (path, _))| path)
        .collect();
    assert!(
        refused_by_cpython.is_empty(),
        "sparkfix's parser built a tree for files CPython refuses: {refused_by_cpython:?}"
    );
    (same, refused, tree_sitter_errors.len())
}

#[test]
fn the_repositorys_python_parses_as_tree_sitter_parses_it() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (same, refused, _) = compare(&[repo.join("tests"), repo.join("examples")]);
    // Most of it: the fixtures that CPython refuses and the fuzz corpus fall back.
    assert!(same > 150, "same {same}, refused {refused}");
    assert!(same > 8 * refused, "same {same}, refused {refused}");
}

#[test]
fn the_standard_library_parses_as_tree_sitter_parses_it() {
    let output = Command::new("python3")
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['stdlib'])",
        ])
        .output()
        .expect("python3 runs (the tests need it)");
    let stdlib = PathBuf::from(String::from_utf8(output.stdout).unwrap().trim());
    let (same, refused, _) = compare(&[stdlib]);
    assert!(same > 500, "same {same}, refused {refused}");
}

#[test]
fn pyspark_parses_as_tree_sitter_parses_it() {
    let Some(python) = bootstrap::bootstrap("PySpark", pyspark::python, "to download PySpark")
    else {
        return;
    };
    let output = Command::new(python)
        .args([
            "-c",
            "import os, pyspark; print(os.path.dirname(pyspark.__file__))",
        ])
        .output()
        .expect("the PySpark interpreter runs");
    let package = PathBuf::from(String::from_utf8(output.stdout).unwrap().trim());
    // The library and Spark's example jobs (under `examples/`).
    let (same, refused, _) = compare(&[package]);
    assert!(same > 300, "same {same}, refused {refused}");
}
