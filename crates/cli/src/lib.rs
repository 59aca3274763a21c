//! The sparkfix command line: arguments, file discovery, parallel runs, diffs, writes, exit codes.

mod args;
mod color;
mod config;
mod diff;
mod discover;
pub mod eventlogs;
mod exclude;
mod exit;
mod formats;
mod language;
mod layout;
mod notebook;
mod output;
mod paths;
mod process;
mod profile_command;
mod progress;
mod report;
mod report_command;
mod rule_command;
mod run;
mod sarif;
mod stdin;
mod tally;
mod test_files;
mod write;

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use args::Input;
use color::Palette;
use config::{ConfigError, Discovery, Resolver};
use exclude::Exclude;
use output::Output;
use process::Context;
use test_files::TestFiles;

/// Runs sparkfix on the process's arguments and returns its exit code: 0 when there is nothing
/// to report, 1 for findings (or a diff, or changed files with `--exit-non-zero-on-fix`), 2 for
/// usage errors and files that could not be processed.
pub fn main() -> ExitCode {
    if std::env::args_os()
        .nth(1)
        .is_some_and(|first| first == "profile")
    {
        return match args::parse_profile() {
            Ok(invocation) => profile_command::run(&invocation),
            Err(error) => exit::of_usage(&error),
        };
    }
    if std::env::args_os()
        .nth(1)
        .is_some_and(|first| first == "rule")
    {
        return rule_command::run();
    }
    if std::env::args_os()
        .nth(1)
        .is_some_and(|first| first == "report")
    {
        return match args::parse_report() {
            Ok(invocation) => report_command::run(&invocation),
            Err(error) => exit::of_usage(&error),
        };
    }
    let invocation = match args::parse() {
        Ok(invocation) => invocation,
        Err(error) => return exit::of_usage(&error),
    };
    let cwd = match current_folder() {
        Ok(cwd) => cwd,
        Err(error) => return exit::of_fatal(&error),
    };
    let mut output = Output::new();
    let mut cli = invocation.cli.clone();
    let mut profile_failed = false;
    if !invocation.profiles.is_empty() {
        let loaded = eventlogs::load(&invocation.profiles);
        for problem in &loaded.problems {
            output.err(&format!("{}: {}\n", problem.file, problem.message));
        }
        profile_failed = loaded.failed;
        cli.measurements = Some(sparkfix_transform::Measurements::new(loaded.profile));
    }
    let discovery = match discovery(&invocation, &cwd) {
        Ok(discovery) => discovery,
        Err(errors) => return exit::of_config(&errors, &mut output),
    };
    let resolver = Arc::new(Resolver::new(discovery, cli, &cwd));
    if let Some(file) = &invocation.show_settings {
        return show_settings(file, &resolver, &cwd, &mut output);
    }
    let context = Context {
        mode: invocation.mode,
        palette: Palette::new(invocation.color.stdout_enabled()),
        statistics: invocation.statistics,
        fix_only: invocation.fix_only,
        show_fixes: invocation.show_fixes,
        format: invocation.output_format,
    };
    let mut tally = match &invocation.input {
        Input::Stdin { name } => {
            // Standard input is configured as a file of that name in the current folder.
            let settings = resolver.for_file(Path::new(name));
            let errors = resolver.errors();
            if !errors.is_empty() {
                return exit::of_config(&errors, &mut output);
            }
            let language = invocation.extensions.of_given(Path::new(name));
            stdin::run(name, language, &settings, &context, &mut output)
        }
        Input::Paths(paths) => {
            let exclude = match Exclude::new(&invocation.exclude, &cwd) {
                Ok(exclude) => exclude,
                Err(error) => return exit::of_fatal(&error),
            };
            let tests = TestFiles::new(&cwd);
            let targets =
                discover::discover(paths, &exclude, &tests, &invocation.extensions, &resolver);
            // A bad configuration stops the run before any file is read or touched.
            let errors = resolver.errors();
            if !errors.is_empty() {
                return exit::of_config(&errors, &mut output);
            }
            let (problems, failed) = resolver.log_problems();
            for problem in &problems {
                output.err(&format!("{}: {}\n", problem.file, problem.message));
            }
            profile_failed |= failed;
            let progress = progress::Progress::new(targets.len(), invocation.quiet);
            let tally = run::run(&targets, &context, &progress, &mut output);
            progress.finish();
            tally
        }
    };
    if profile_failed {
        tally.add_error();
    }
    for measurements in resolver.measurements() {
        for log in measurements.unused_logs() {
            output.err(&format!(
                "{log}: no read or write of the files checked matches this log: it changed nothing\n"
            ));
        }
    }
    // After a closed stdout (`| head`) a check or diff run stopped early: its totals are partial.
    let partial = output.stdout_closed() && !invocation.mode.writes();
    let summary = report::summary(invocation.mode, &tally, invocation.fix_only)
        .filter(|_| !partial && !invocation.quiet);
    if invocation.show_fixes && invocation.mode == args::Mode::Write {
        output.err(&report::applied_fixes(&tally.fixes));
    }
    if let Some(summary) = summary {
        output.err(&summary);
    }
    if invocation.statistics {
        output.out(report::statistics(&tally).as_bytes());
    } else if matches!(
        invocation.output_format,
        formats::OutputFormat::Json | formats::OutputFormat::Gitlab | formats::OutputFormat::Sarif
    ) {
        let items = output.take_json();
        let document = if invocation.output_format == formats::OutputFormat::Sarif {
            sarif::log(items)
        } else {
            serde_json::Value::Array(items)
        };
        let text = serde_json::to_string_pretty(&document).unwrap_or_else(|_| "[]".to_string());
        output.out(format!("{text}\n").as_bytes());
    }
    let flags = exit::ExitFlags {
        exit_non_zero_on_fix: invocation.exit_non_zero_on_fix,
        fix_only: invocation.fix_only,
    };
    let code = exit::of_run(invocation.mode, &tally, flags);
    if invocation.exit_zero && tally.errors == 0 {
        return std::process::ExitCode::SUCCESS;
    }
    code
}

/// How configuration files are found: `--isolated`, `--config PATH` (read now: a bad one stops
/// the run), or the nearest to each file.
fn discovery(invocation: &args::Invocation, cwd: &Path) -> Result<Discovery, Vec<ConfigError>> {
    if invocation.isolated {
        return Ok(Discovery::Isolated);
    }
    let Some(path) = &invocation.config else {
        return Ok(Discovery::Nearest);
    };
    let absolute = paths::absolute(path, cwd);
    match config::read_file(&absolute)? {
        Some(config) => Ok(Discovery::Fixed(Box::new(config))),
        None => Err(vec![ConfigError {
            file: absolute,
            line: 1,
            column: 1,
            message: "--config: this pyproject.toml has no [tool.sparkfix] table".to_string(),
            line_text: None,
        }]),
    }
}

/// `--show-settings FILE`: prints FILE's resolved settings; exit 2 when FILE does not exist or
/// its configuration is bad.
fn show_settings(file: &Path, resolver: &Resolver, cwd: &Path, output: &mut Output) -> ExitCode {
    if !file.exists() {
        output.err(&format!(
            "{}: no such file or directory\n",
            paths::display(file, Some(cwd))
        ));
        return ExitCode::from(2);
    }
    let settings = resolver.for_file(file);
    let errors = resolver.errors();
    if !errors.is_empty() {
        return exit::of_config(&errors, output);
    }
    output.out(config::show_settings(file, &settings, cwd).as_bytes());
    ExitCode::SUCCESS
}

fn current_folder() -> anyhow::Result<std::path::PathBuf> {
    use anyhow::Context as _;
    std::env::current_dir().context("cannot find the current folder")
}
