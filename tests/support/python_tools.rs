//! Python tools the end-to-end tests use: a JSON-schema validator for the SARIF output, maturin
//! to build the wheel, the real `pre-commit`, `ruff` (for its undefined-name check), and
//! Jupyter's `nbformat` (to write the notebooks the notebook tests read, and to read and validate
//! what sparkfix wrote): a virtualenv `<target>/tools-venv` created on first use with
//! `python3 -m venv` and `pip install` of the pinned [`PACKAGES`], under an OS lock on
//! `<target>/tools-venv.lock` so that test binaries running in parallel install once. Missing
//! `python3` fails the test with a message saying what to install: nothing is skipped.
//!
//! Include it from a test with `#[path = "support/python_tools.rs"] mod python_tools;`.

#![allow(dead_code)] // each test binary uses its own part of the module

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// What the venv holds, pinned; the check imports each module. Changing a pin reinstalls.
pub const PACKAGES: &[(&str, &str)] = &[
    ("jsonschema==4.23.0", "jsonschema"),
    ("maturin==1.16.0", "maturin"),
    ("pre-commit==4.7.0", "pre_commit"),
    ("nbformat==5.11.1", "nbformat"),
    ("ruff==0.17.6", "ruff"),
];

/// An executable the tools virtualenv installed (`maturin`, `pre-commit`).
pub fn tool(name: &str) -> PathBuf {
    python().parent().expect("the venv's bin folder").join(name)
}

/// The `ruff` executable the tools virtualenv installed (the real-code test runs
/// `ruff check --select F821` before and after sparkfix, to find names a fix left undefined).
pub fn ruff() -> PathBuf {
    tool("ruff")
}

/// The target folder of this build (`<target>`), where the tools venv lives.
pub fn target() -> PathBuf {
    target_dir()
}

/// The Python interpreter of the tools virtualenv, created and installed on first use.
pub fn python() -> PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(bootstrap).clone()
}

fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR has a parent")
        .to_path_buf()
}

fn bootstrap() -> PathBuf {
    let target = target_dir();
    let venv = target.join("tools-venv");
    let python = venv.join("bin").join("python");
    std::fs::create_dir_all(&target).expect("the target folder can be created");
    let lock_path = target.join("tools-venv.lock");
    let lock = File::create(&lock_path)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", lock_path.display()));
    lock.lock()
        .unwrap_or_else(|e| panic!("cannot lock {}: {e}", lock_path.display()));
    if installed(&python) {
        return python;
    }
    if !succeeds(Command::new(&python).args(["-m", "pip", "--version"])) {
        run_checked(
            Command::new("python3")
                .args(["-m", "venv", "--clear"])
                .arg(&venv),
            "python3 -m venv",
        );
    }
    let specs: Vec<&str> = PACKAGES.iter().map(|(spec, _)| *spec).collect();
    run_checked(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .args(&specs),
        "pip install",
    );
    assert!(
        installed(&python),
        "{specs:?} installed in {} but not importable",
        venv.display()
    );
    drop(lock);
    python
}

/// Whether every pinned package is installed at its pinned version.
fn installed(python: &Path) -> bool {
    let checks: Vec<String> = PACKAGES
        .iter()
        .map(|(spec, module)| {
            let (name, version) = spec.split_once("==").expect("pins are name==version");
            format!(
                "import {module}; from importlib.metadata import version; \
                 assert version({name:?}) == {version:?}"
            )
        })
        .collect();
    succeeds(Command::new(python).args(["-c", &checks.join("\n")]))
}

fn succeeds(command: &mut Command) -> bool {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

fn run_checked(command: &mut Command, what: &str) {
    let output = command.stdin(Stdio::null()).output().unwrap_or_else(|e| {
        panic!("cannot run {what} ({command:?}): {e}. Is python3 (with venv and pip) installed?")
    });
    assert!(
        output.status.success(),
        "{what} failed ({})\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
