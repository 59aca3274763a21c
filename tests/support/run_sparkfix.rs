//! Runs the `sparkfix` binary of this build, in the repository root (for the end-to-end tests
//! that read committed files by their repository paths) or in a folder of a test's own.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

#[allow(dead_code)]
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs sparkfix with `args` in the repository root; returns exit code, stdout and stderr.
#[allow(dead_code)]
pub fn sparkfix(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_sparkfix"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("the sparkfix binary runs");
    (
        output.status.code().expect("sparkfix exits normally"),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// Runs sparkfix with `args` in `dir`, `stdin` piped in when given (else no input), with
/// `NO_COLOR` unset; returns exit code, stdout and stderr.
#[allow(dead_code)]
pub fn sparkfix_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sparkfix"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the sparkfix binary runs");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    let output = child.wait_with_output().unwrap();
    (
        output.status.code().expect("sparkfix exits normally"),
        String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    )
}

/// A temporary folder holding `files` (paths relative to it, folders created as needed).
#[allow(dead_code)]
pub fn folder_with<C: AsRef<[u8]>>(files: &[(&str, C)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, contents) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    dir
}
