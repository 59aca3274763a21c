//! `sparkfix report --profile LOG [PATHS]`: reads the log of one run, checks the job's files with
//! its measurements, diffs each finding's fix alone against the file, and writes the report
//! (`sparkfix-report`) as Markdown, JSON or HTML to stdout or `--output`.

use std::process::ExitCode;

use sparkfix_report::{FileInput, FindingInput, Input};
use sparkfix_transform::{Measurements, apply_fixes, check, job_runs};

use crate::args::{ReportFormat, ReportInvocation};
use crate::color::Palette;
use crate::config::Resolver;
use crate::exclude::Exclude;
use crate::output::Output;
use crate::test_files::TestFiles;
use crate::write::write_new;
use crate::{diff, discover, eventlogs, paths};

/// Runs the subcommand: 0 when the report was written, 2 when it could not be (no run, several
/// runs, a log the model cannot replay, a file that could not be written); files that cannot be
/// read or parsed are named on stderr and left out, and make the exit code 2 too.
pub fn run(invocation: &ReportInvocation) -> ExitCode {
    let mut output = Output::new();
    let loaded = eventlogs::load(&invocation.profiles);
    for problem in &loaded.problems {
        output.err(&format!("{}: {}\n", problem.file, problem.message));
    }
    let runs = &loaded.profile.runs;
    let run = match runs.as_slice() {
        [run] => run.clone(),
        [] => {
            output.err("sparkfix report: no run could be read from the logs given\n");
            return ExitCode::from(2);
        }
        many => {
            output.err(&format!(
                "sparkfix report: the logs given hold {} runs ({}): a report is about one run; \
                 give the log of one\n",
                many.len(),
                many.iter()
                    .map(|r| r.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            return ExitCode::from(2);
        }
    };
    let mut settings = invocation.settings.clone();
    settings.measurements = Measurements::new(loaded.profile.clone());
    let (files, files_failed) = job_files(invocation, &settings, run.label(), &mut output);
    let input = Input {
        run: &run,
        files,
        pricing: invocation.pricing,
        runs_per_month: invocation.runs_per_month,
        tolerance: invocation.tolerance,
        unsafe_fixes: invocation.settings.unsafe_fixes,
    };
    let report = match sparkfix_report::build(&input) {
        Ok(report) => report,
        Err(error) => {
            output.err(&format!("sparkfix report: {}\n", error.0));
            return ExitCode::from(2);
        }
    };
    let text = match invocation.format {
        ReportFormat::Markdown => sparkfix_report::markdown(&report),
        ReportFormat::Json => sparkfix_report::json(&report),
        ReportFormat::Html => sparkfix_report::html(&report),
    };
    match &invocation.output {
        Some(path) => {
            if let Err(error) = write_new(path, &text) {
                output.err(&format!("{}: cannot write: {error}\n", path.display()));
                return ExitCode::from(2);
            }
        }
        None => output.out(text.as_bytes()),
    }
    if loaded.failed || files_failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// The files under the paths whose job is the run `label`, with their findings and each fix's
/// diff; and whether some file could not be read or parsed.
fn job_files(
    invocation: &ReportInvocation,
    settings: &sparkfix_transform::Settings,
    label: &str,
    output: &mut Output,
) -> (Vec<FileInput>, bool) {
    let cwd = std::env::current_dir().ok();
    let root = cwd.clone().unwrap_or_default();
    let exclude = Exclude::new(&[], &root).expect("no globs to refuse");
    // Named job files are reported whatever their folder.
    let tests = TestFiles::new(&root);
    let resolver = std::sync::Arc::new(Resolver::without_configuration(&root));
    let mut files = Vec::new();
    let mut failed = false;
    // Notebooks are not reported (yet): only Python files.
    let python = crate::language::Extensions::default();
    for target in discover::discover(&invocation.paths, &exclude, &tests, &python, &resolver)
        .into_iter()
        .filter(|target| target.language == crate::language::Language::Python)
    {
        let name = paths::display(&target.path, cwd.as_deref());
        let text = match &target.problem {
            Some(problem) => Err(problem.to_string()),
            None => std::fs::read_to_string(&target.path).map_err(|e| format!("cannot read: {e}")),
        };
        let analysed = text.and_then(|text| {
            let runs = job_runs(&text, settings).map_err(|e| e.to_string())?;
            if !runs.iter().any(|run| run == label) {
                return Ok(None);
            }
            let diagnostics = check(&text, settings).map_err(|e| e.to_string())?;
            Ok(Some((text, diagnostics)))
        });
        match analysed {
            Ok(Some((text, diagnostics))) => {
                let findings = diagnostics
                    .into_iter()
                    .map(|diagnostic| {
                        let diff = diagnostic.fix.as_ref().map(|fix| {
                            let (fixed, _) = apply_fixes(&text, &[(diagnostic.code, fix)]);
                            diff::render(&text, &fixed, &name, &Palette::new(false))
                        });
                        FindingInput { diagnostic, diff }
                    })
                    .collect();
                files.push(FileInput {
                    path: name,
                    findings,
                });
            }
            Ok(None) => {}
            Err(reason) => {
                failed = true;
                output.err(&format!("{name}: {reason}\n"));
            }
        }
    }
    (files, failed)
}
