//! `-`: one source read from stdin. Findings or the diff go to stdout; with `--write` the fixed
//! text (or, when it cannot be fixed, the original) goes to stdout and findings to stderr.

use std::io::Read;

use crate::config::FileSettings;

use crate::color::Palette;
use crate::language::Language;
use crate::output::Output;
use crate::process::{Analysis, Context, analyze};
use crate::report;
use crate::run;
use crate::tally::Tally;

/// Reads stdin and processes it as the file `name` (in `language`), with `settings`.
pub fn run(
    name: &str,
    language: Language,
    settings: &FileSettings,
    context: &Context,
    output: &mut Output,
) -> Tally {
    let strict = settings.strict;
    let settings = &settings.settings;
    let mut bytes = Vec::new();
    if let Err(error) = std::io::stdin().lock().read_to_end(&mut bytes) {
        let analysis = Analysis::failed(format!("cannot read: {error}"));
        let mut tally = Tally::default();
        run::print(name, &analysis, strict, context, output, &mut tally);
        return tally;
    }
    let mut analysis = run::isolated(|| analyze(&bytes, name, language, settings, context));
    if !context.mode.writes() {
        let mut tally = Tally::default();
        run::print(name, &analysis, strict, context, output, &mut tally);
        return tally;
    }
    match analysis.fixed.take() {
        Some(fixed) => output.out(fixed.as_bytes()),
        None => output.out(&bytes),
    }
    let mut messages = String::new();
    for finding in analysis.findings.iter().filter(|_| !context.fix_only) {
        report::push_finding(&mut messages, name, finding, &Palette::PLAIN);
    }
    if let Some(error) = &analysis.error {
        report::push_error(&mut messages, name, error);
    }
    output.err(&messages);
    let mut tally = Tally::default();
    run::count(&analysis, strict, &mut tally);
    tally
}
