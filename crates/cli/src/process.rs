//! One source through the engine: the cheap Spark test, UTF-8 decoding, `check` or `fix`, the
//! diff, and (for files) the atomic write.

use std::path::Path;

use sparkfix_transform::{
    Diagnostic, FixOutcome, NoqaOutcome, ParseError, Settings, add_noqa, apply_fixes, check, fix,
    may_contain_spark,
};

use crate::args::Mode;
use crate::color::Palette;
use crate::diff;
use crate::formats::OutputFormat;
use crate::report::{FileError, Finding};
use crate::write::write_atomically;

/// What every file of a run shares (each file's settings come with it: see
/// [`crate::config::FileSettings`]).
#[derive(Debug, Clone)]
pub struct Context {
    pub mode: Mode,
    /// Colors for diffs, which go to stdout.
    pub palette: Palette,
    /// `--statistics`: count the findings per rule instead of printing them.
    pub statistics: bool,
    /// `--fix-only`: the findings left after the fixes are neither printed nor failing.
    pub fix_only: bool,
    /// `--show-fixes`: a check shows each fix under its finding; `--write` lists those applied.
    pub show_fixes: bool,
    pub format: OutputFormat,
}

/// The result of one source, holding only what is printed or counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Analysis {
    /// The findings to print: in check mode all of them, with `--write` those left after the
    /// fixes (or, when nothing could be written, those of the unchanged text); none with `--diff`.
    pub findings: Vec<Finding>,
    /// The fixed text, when the fixes changed it (`--write` only).
    pub fixed: Option<String>,
    /// The rendered diff, when the fixes changed the text (`--diff` only).
    pub diff: Option<String>,
    /// Whether the fixes change the text (and, for a file with `--write`, it was written).
    pub changed: bool,
    /// Fixes applied, when the text changed.
    pub applied: usize,
    /// The rule code of each fix applied, when the text changed.
    pub applied_codes: Vec<&'static str>,
    /// Why the source was left alone.
    pub error: Option<FileError>,
    /// `--write` only: the findings of the original text, to report if the write fails.
    original_findings: Vec<Finding>,
}

impl Analysis {
    /// A source left alone for `reason`.
    pub fn failed(reason: impl Into<String>) -> Self {
        Analysis {
            error: Some(FileError::new(reason)),
            ..Analysis::default()
        }
    }

    /// A source that does not compile: `path:line:col: cannot parse: reason`, then the line
    /// with a caret.
    fn unparsable(error: ParseError, source: &str) -> Self {
        Analysis {
            error: Some(FileError {
                location: Some(error.location),
                reason: format!("cannot parse: {}", error.reason),
                line_text: crate::report::line_of(source, error.location.line),
            }),
            ..Analysis::default()
        }
    }
}

/// Reads, analyses and (with `--write`) rewrites one file; `name` is its displayed path.
pub fn process_file(path: &Path, name: &str, settings: &Settings, context: &Context) -> Analysis {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => return Analysis::failed(format!("cannot read: {error}")),
    };
    let mut analysis = analyze(&bytes, name, settings, context);
    drop(bytes);
    let original_findings = std::mem::take(&mut analysis.original_findings);
    if let Some(fixed) = analysis.fixed.take()
        && let Err(error) = write_atomically(path, &fixed)
    {
        analysis.findings = original_findings;
        analysis.applied = 0;
        analysis.applied_codes.clear();
        analysis.changed = false;
        analysis.error = Some(FileError::new(format!("cannot write: {error}")));
    }
    analysis
}

/// Runs the engine on one source; `name` is its displayed path (for diff headers).
///
/// A source with no Spark marker is left alone without being decoded.
pub fn analyze(bytes: &[u8], name: &str, settings: &Settings, context: &Context) -> Analysis {
    if !may_contain_spark(bytes) {
        return Analysis::default();
    }
    let source = match std::str::from_utf8(bytes) {
        Ok(source) => source,
        Err(error) => {
            let offset = error.valid_up_to();
            return Analysis::failed(format!(
                "not valid UTF-8 (byte offset {offset}); left unchanged"
            ));
        }
    };
    match context.mode {
        Mode::Check => match check(source, settings) {
            Ok(diagnostics) => {
                let mut findings = Finding::from_all(&diagnostics, source, settings);
                if context.show_fixes {
                    add_fix_previews(&mut findings, &diagnostics, source, name);
                }
                Analysis {
                    findings,
                    ..Analysis::default()
                }
            }
            Err(error) => Analysis::unparsable(error, source),
        },
        Mode::Diff | Mode::Write => match fix(source, settings) {
            Ok(outcome) => from_outcome(source, outcome, name, settings, context),
            Err(error) => Analysis::unparsable(error, source),
        },
        Mode::AddNoqa => match add_noqa(source, settings) {
            Ok(outcome) => with_noqa(source, outcome, settings),
            Err(error) => Analysis::unparsable(error, source),
        },
    }
}

/// The comments `--add-noqa` added, and the findings still shown (those on lines that cannot
/// take a comment). A result that would not parse, or that still shows a finding it commented,
/// is an error and the file is left alone.
fn with_noqa(source: &str, outcome: NoqaOutcome, settings: &Settings) -> Analysis {
    let changed = outcome.text != source;
    let remaining = match check(&outcome.text, settings) {
        Ok(remaining) if remaining.len() == outcome.unplaced => remaining,
        _ => {
            return Analysis::failed(
                "the noqa comments would not silence the findings; left unchanged".to_string(),
            );
        }
    };
    Analysis {
        changed,
        applied: outcome.added,
        findings: Finding::from_all(&remaining, &outcome.text, settings),
        fixed: changed.then_some(outcome.text),
        ..Analysis::default()
    }
}

fn from_outcome(
    source: &str,
    outcome: FixOutcome,
    name: &str,
    settings: &Settings,
    context: &Context,
) -> Analysis {
    let write = context.mode == Mode::Write;
    if let Some(failure) = outcome.failure {
        let findings = if write {
            Finding::from_all(&outcome.diagnostics, source, settings)
        } else {
            Vec::new()
        };
        return Analysis {
            findings,
            error: Some(FileError::new(failure.to_string())),
            ..Analysis::default()
        };
    }
    let changed = outcome.fixed != source;
    let mut analysis = Analysis {
        changed,
        applied: if changed { outcome.applied } else { 0 },
        applied_codes: if changed {
            outcome.applied_codes
        } else {
            Vec::new()
        },
        ..Analysis::default()
    };
    if write {
        analysis.findings = Finding::from_all(&outcome.remaining, &outcome.fixed, settings);
        if changed {
            analysis.original_findings = Finding::from_all(&outcome.diagnostics, source, settings);
            analysis.fixed = Some(outcome.fixed);
        }
    } else if changed {
        analysis.diff = Some(diff::render(source, &outcome.fixed, name, &context.palette));
    }
    analysis
}

/// Each finding's fix applied alone to `source`, as the hunks of its diff (`--show-fixes`).
fn add_fix_previews(
    findings: &mut [Finding],
    diagnostics: &[Diagnostic],
    source: &str,
    name: &str,
) {
    for (finding, diagnostic) in findings.iter_mut().zip(diagnostics) {
        let Some(fix) = &diagnostic.fix else {
            continue;
        };
        let (fixed, _) = apply_fixes(source, &[(diagnostic.code, fix)]);
        let diff = diff::render(source, &fixed, name, &Palette::PLAIN);
        // Without the `---`/`+++` header: the finding line above names the file.
        let hunks: String = diff.split_inclusive('\n').skip(2).collect();
        if !hunks.is_empty() {
            finding.fix_preview = Some(hunks);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(mode: Mode) -> Context {
        Context {
            mode,
            palette: Palette::PLAIN,
            statistics: false,
            fix_only: false,
            show_fixes: false,
            format: OutputFormat::Text,
        }
    }

    #[test]
    fn skips_sources_without_spark_before_decoding() {
        let analysis = analyze(
            b"x = '\xff'\n",
            "a.py",
            &Settings::default(),
            &context(Mode::Write),
        );
        assert_eq!(analysis, Analysis::default());
    }

    #[test]
    fn reports_invalid_utf8_with_its_offset() {
        let analysis = analyze(
            b"spark = 1\n\xff\n",
            "a.py",
            &Settings::default(),
            &context(Mode::Check),
        );
        assert_eq!(
            analysis.error,
            Some(FileError::new(
                "not valid UTF-8 (byte offset 10); left unchanged"
            ))
        );
    }

    #[test]
    fn reports_where_and_why_a_source_does_not_compile() {
        let source = b"spark = 1\nif spark:\n    x = 1\n  y = 2\n";
        for mode in [Mode::Check, Mode::Diff, Mode::Write] {
            let analysis = analyze(source, "a.py", &Settings::default(), &context(mode));
            let error = analysis.error.expect("a syntax error");
            assert_eq!(
                error.location,
                Some(sparkfix_transform::Location { line: 4, column: 3 })
            );
            assert_eq!(
                error.reason,
                "cannot parse: unindent does not match any outer indentation level"
            );
            assert_eq!(analysis.fixed, None);
        }
    }
}
