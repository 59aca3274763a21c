//! The exit-code policy, in one place: 2 for any error, else 1 for what the mode reports, else 0.
//!
//! Evidence decides what fails a run: a finding proven by the code or measured by an event log
//! makes the exit code 1 while it remains (in a check, and after `--write` unless `--fix-only`,
//! as ruff's `--fix` does); a guessed one is shown but fails the run only with `--strict` (or
//! `strict = true` in the file's configuration).

use std::process::ExitCode;

use crate::args::Mode;
use crate::tally::Tally;

/// Nothing to report (or, with `--write`, everything fixable was fixed).
pub const SUCCESS: u8 = 0;
/// Proven or measured findings left (check, `--write`), a diff (`--diff`), or a changed file
/// (`--write --exit-non-zero-on-fix`).
pub const FINDINGS: u8 = 1;
/// A usage error, or a file or path that could not be processed.
pub const ERROR: u8 = 2;

/// The flags that change what a finished run's exit code says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExitFlags {
    /// `--exit-non-zero-on-fix`: a changed file fails a `--write` run.
    pub exit_non_zero_on_fix: bool,
    /// `--fix-only`: findings left after `--write` do not fail it.
    pub fix_only: bool,
}

/// The exit code of a finished run.
pub fn of_run(mode: Mode, tally: &Tally, flags: ExitFlags) -> ExitCode {
    ExitCode::from(code(mode, tally, flags))
}

fn code(mode: Mode, tally: &Tally, flags: ExitFlags) -> u8 {
    if tally.errors > 0 {
        return ERROR;
    }
    let failing = tally.failing > 0;
    let reported = match mode {
        Mode::Check => failing,
        Mode::Diff => tally.changed_files > 0,
        Mode::Write => {
            (failing && !flags.fix_only) || (flags.exit_non_zero_on_fix && tally.changed_files > 0)
        }
        Mode::AddNoqa => false,
    };
    if reported { FINDINGS } else { SUCCESS }
}

/// Prints a command-line error (or `--help`/`--version`) and gives clap's exit code for it:
/// 2 for usage errors, 0 for help and version.
pub fn of_usage(error: &clap::Error) -> ExitCode {
    let _ = error.print();
    ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(ERROR))
}

/// A run that could not start (for example, no current folder).
pub fn of_fatal(error: &anyhow::Error) -> ExitCode {
    eprintln!("sparkfix: {error:#}");
    ExitCode::from(ERROR)
}

/// Prints every error of the bad configuration files and exits 2: no file was read or touched.
pub fn of_config(
    errors: &[crate::config::ConfigError],
    output: &mut crate::output::Output,
) -> ExitCode {
    let cwd = std::env::current_dir().ok();
    let mut text = String::new();
    for error in errors {
        let file = crate::paths::display(&error.file, cwd.as_deref());
        text.push_str(&format!(
            "{file}:{}:{}: {}\n",
            error.line, error.column, error.message
        ));
        if let Some(line) = &error.line_text {
            crate::report::push_caret(&mut text, error.line, error.column, line);
        }
    }
    text.push_str("sparkfix: bad configuration; no file was checked\n");
    output.err(&text);
    ExitCode::from(ERROR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_win_then_the_mode_decides() {
        let none = ExitFlags::default();
        let on_fix = ExitFlags {
            exit_non_zero_on_fix: true,
            ..none
        };
        let fix_only = ExitFlags {
            fix_only: true,
            ..none
        };
        let failing = Tally {
            findings: 2,
            failing: 1,
            ..Tally::default()
        };
        // Guessed findings alone (not --strict): shown, not failing.
        let guessed = Tally {
            findings: 2,
            ..Tally::default()
        };
        let changed = Tally {
            changed_files: 1,
            applied: 1,
            ..Tally::default()
        };
        let failed = Tally {
            errors: 1,
            ..failing.clone()
        };
        assert_eq!(code(Mode::Check, &failing, none), FINDINGS);
        assert_eq!(code(Mode::Check, &guessed, none), SUCCESS);
        assert_eq!(code(Mode::Check, &failed, none), ERROR);
        assert_eq!(code(Mode::Diff, &changed, none), FINDINGS);
        assert_eq!(code(Mode::Diff, &failing, none), SUCCESS);
        // --write fails while proven or measured findings remain, unless --fix-only.
        assert_eq!(code(Mode::Write, &changed, none), SUCCESS);
        assert_eq!(code(Mode::Write, &failing, none), FINDINGS);
        assert_eq!(code(Mode::Write, &failing, fix_only), SUCCESS);
        assert_eq!(code(Mode::Write, &guessed, none), SUCCESS);
        assert_eq!(code(Mode::Write, &changed, on_fix), FINDINGS);
        assert_eq!(code(Mode::Write, &Tally::default(), none), SUCCESS);
        // Adding suppressions succeeds whatever it changed or left shown.
        assert_eq!(code(Mode::AddNoqa, &changed, on_fix), SUCCESS);
        assert_eq!(code(Mode::AddNoqa, &failing, none), SUCCESS);
        assert_eq!(code(Mode::AddNoqa, &failed, none), ERROR);
    }
}
