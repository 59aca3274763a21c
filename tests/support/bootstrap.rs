//! Installing what a test needs from PyPI once, or skipping the test with a message when the
//! install fails because the package index cannot be reached.

use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Runs a support module's bootstrap (which panics when it cannot install its packages).
/// When it fails and PyPI cannot be reached either, says the test is skipped and returns `None`;
/// any other failure fails the test.
pub fn bootstrap(what: &str, install: fn() -> PathBuf, why_needed: &str) -> Option<PathBuf> {
    match panic::catch_unwind(AssertUnwindSafe(install)) {
        Ok(path) => Some(path),
        Err(failure) => {
            if let Err(why) = reach_pypi() {
                eprintln!(
                    "skipping: installing {what} failed and the package index cannot be reached \
                     ({why}); this test needs PyPI once, {why_needed}"
                );
                return None;
            }
            panic::resume_unwind(failure)
        }
    }
}

/// Whether pip's usual index answers, through the proxies the environment sets.
fn reach_pypi() -> Result<(), String> {
    let probe = "import urllib.request\n\
                 urllib.request.urlopen('https://pypi.org/simple/pyspark/', timeout=10).read(1)";
    let output = Command::new("python3")
        .args(["-c", probe])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run python3: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(stderr.lines().last().unwrap_or("no answer").to_owned())
    }
}
