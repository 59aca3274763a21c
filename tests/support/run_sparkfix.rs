//! Runs the `sparkfix` binary of this build in the repository root, for the end-to-end tests
//! that read committed files by their repository paths.

use std::path::Path;
use std::process::Command;

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs sparkfix with `args` in the repository root; returns exit code, stdout and stderr.
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
