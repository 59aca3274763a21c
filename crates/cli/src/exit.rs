//! The exit-code policy, in one place: 2 for any error, else 1 for what the mode reports, else 0.

use std::process::ExitCode;

use crate::args::Mode;
use crate::tally::Tally;

/// Nothing to report (or, with `--write`, everything fixable was fixed).
pub const SUCCESS: u8 = 0;
/// Findings (check), a diff (`--diff`), or a changed file (`--write --exit-non-zero-on-fix`).
pub const FINDINGS: u8 = 1;
/// A usage error, or a file or path that could not be processed.
pub const ERROR: u8 = 2;

/// The exit code of a finished run.
pub fn of_run(mode: Mode, tally: &Tally, exit_non_zero_on_fix: bool) -> ExitCode {
    ExitCode::from(code(mode, tally, exit_non_zero_on_fix))
}

fn code(mode: Mode, tally: &Tally, exit_non_zero_on_fix: bool) -> u8 {
    if tally.errors > 0 {
        return ERROR;
    }
    let reported = match mode {
        Mode::Check => tally.findings > 0,
        Mode::Diff => tally.changed_files > 0,
        Mode::Write => exit_non_zero_on_fix && tally.changed_files > 0,
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
        let findings = Tally {
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
            ..findings.clone()
        };
        assert_eq!(code(Mode::Check, &findings, false), FINDINGS);
        assert_eq!(code(Mode::Check, &failed, false), ERROR);
        assert_eq!(code(Mode::Diff, &changed, false), FINDINGS);
        assert_eq!(code(Mode::Diff, &findings, false), SUCCESS);
        assert_eq!(code(Mode::Write, &changed, false), SUCCESS);
        assert_eq!(code(Mode::Write, &findings, true), SUCCESS);
        assert_eq!(code(Mode::Write, &changed, true), FINDINGS);
        assert_eq!(code(Mode::Write, &Tally::default(), false), SUCCESS);
        // Adding suppressions succeeds whatever it changed or left shown.
        assert_eq!(code(Mode::AddNoqa, &changed, true), SUCCESS);
        assert_eq!(code(Mode::AddNoqa, &findings, false), SUCCESS);
        assert_eq!(code(Mode::AddNoqa, &failed, false), ERROR);
    }
}
