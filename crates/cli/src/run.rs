//! The parallel run over discovered files: process them with rayon, then print the results in
//! path order so the output is the same from run to run.

use rayon::prelude::*;

use crate::discover::Target;
use crate::formats::{self, OutputFormat};
use crate::output::Output;
use crate::paths;
use crate::process::{Analysis, Context, process_file};
use crate::progress::Progress;
use crate::report;
use crate::sarif;
use crate::tally::Tally;

/// Files processed between two rounds of printing: bounds what is held in memory (findings and
/// diffs, never file contents) while keeping both cores busy.
const BATCH: usize = 512;

/// Processes every target and prints, in order, each one's findings or diff (stdout) and errors
/// (stderr). Stops early if stdout's reader goes away, unless files are being written.
pub fn run(
    targets: &[Target],
    context: &Context,
    progress: &Progress,
    output: &mut Output,
) -> Tally {
    let cwd = std::env::current_dir().ok();
    let mut tally = Tally::default();
    for batch in targets.chunks(BATCH) {
        let results: Vec<(String, Analysis, bool)> = batch
            .par_iter()
            .map(|target| {
                let name = paths::display(&target.path, cwd.as_deref());
                let analysis = match &target.problem {
                    Some(problem) => Analysis::failed(problem.clone()),
                    None => isolated(|| {
                        process_file(
                            &target.path,
                            &name,
                            target.language,
                            &target.settings.settings,
                            context,
                        )
                    }),
                };
                progress.inc();
                (name, analysis, target.settings.strict)
            })
            .collect();
        progress.suspend(|| {
            for (name, analysis, strict) in results {
                print(&name, &analysis, strict, context, output, &mut tally);
            }
        });
        if output.stdout_closed() && !context.mode.writes() {
            break;
        }
    }
    tally
}

/// Runs `process` so that a panic (a sparkfix bug) fails only its own file: the file is left
/// as it was (writes happen last and are atomic) and the others go on.
pub fn isolated(process: impl FnOnce() -> Analysis) -> Analysis {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(process)) {
        Ok(analysis) => analysis,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|text| (*text).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".to_owned());
            Analysis::failed(format!(
                "internal error: sparkfix panicked ({message}); left unchanged. Please report \
                 it with this file"
            ))
        }
    }
}

/// Prints one source's results, its findings going to stdout, and adds them to `tally`;
/// `strict`: its guessed findings fail the run too.
pub fn print(
    name: &str,
    analysis: &Analysis,
    strict: bool,
    context: &Context,
    output: &mut Output,
    tally: &mut Tally,
) {
    if !context.statistics && !context.fix_only {
        let mut findings = String::new();
        for finding in &analysis.findings {
            match context.format {
                OutputFormat::Text | OutputFormat::Concise => {
                    report::push_finding(&mut findings, name, finding, &context.palette)
                }
                OutputFormat::Json => output.push_json(formats::json_object(name, finding)),
                OutputFormat::Gitlab => output.push_json(formats::gitlab_object(name, finding)),
                OutputFormat::Sarif => output.push_json(sarif::result(name, finding)),
                OutputFormat::JsonLines => {
                    findings.push_str(&formats::json_object(name, finding).to_string());
                    findings.push('\n');
                }
                OutputFormat::Github => findings.push_str(&formats::github_line(name, finding)),
            }
        }
        output.out(findings.as_bytes());
    }
    if let Some(diff) = &analysis.diff {
        output.out(diff.as_bytes());
    }
    count(analysis, strict, tally);
    if context.show_fixes && analysis.changed {
        tally
            .fixes
            .push((name.to_owned(), analysis.applied_codes.clone()));
    }
    if let Some(error) = &analysis.error {
        let mut line = String::new();
        report::push_error(&mut line, name, error);
        output.err(&line);
    }
}

/// Adds one source's results to `tally`.
pub fn count(analysis: &Analysis, strict: bool, tally: &mut Tally) {
    tally.checked += 1;
    tally.add_findings(&analysis.findings, strict);
    if analysis.changed {
        tally.add_change(analysis.applied);
    }
    if analysis.error.is_some() {
        tally.add_error();
    }
}
