//! The progress bar of a long run: on stderr, and only where a person watches it: stderr is a
//! terminal, the run is not in CI (`CI` set, as GitHub, GitLab and most CI services set it),
//! `--quiet` is not given, and there are many files. Anywhere else it is never drawn, so pipes,
//! logs and pre-commit output stay clean.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Runs of fewer files finish before a bar would be worth reading.
pub const MIN_FILES: usize = 200;

/// A progress bar, or nothing.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// The bar for a run of `files` files, if [`shows`] says so for this process.
    pub fn new(files: usize, quiet: bool) -> Self {
        let terminal = std::io::stderr().is_terminal();
        let ci = std::env::var_os("CI").is_some_and(|value| is_set(&value.to_string_lossy()));
        if !shows(files, quiet, terminal, ci) {
            return Progress { bar: None };
        }
        let bar = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        Progress { bar: Some(bar) }
    }

    /// One more file done (from any thread).
    pub fn inc(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// Runs `print` with the bar cleared, then redraws it: findings never mix with it.
    pub fn suspend<R>(&self, print: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
    }

    /// Removes the bar before the summary line.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Whether a run of `files` files draws a bar.
pub fn shows(files: usize, quiet: bool, stderr_is_terminal: bool, in_ci: bool) -> bool {
    files >= MIN_FILES && !quiet && stderr_is_terminal && !in_ci
}

/// Whether an environment flag such as `CI` is on (`CI=false` and `CI=0` are off).
fn is_set(value: &str) -> bool {
    !matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "" | "0" | "false"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_long_runs_watched_on_a_terminal_outside_ci() {
        assert!(shows(MIN_FILES, false, true, false));
        assert!(!shows(MIN_FILES - 1, false, true, false));
        assert!(!shows(10_000, true, true, false), "--quiet");
        assert!(!shows(10_000, false, false, false), "a pipe or a file");
        assert!(!shows(10_000, false, true, true), "CI");
        assert!(is_set("true") && is_set("1") && is_set("yes"));
        assert!(!is_set("false") && !is_set("0") && !is_set(""));
    }
}
