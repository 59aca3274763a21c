//! One source through the engine: the cheap Spark test, UTF-8 decoding, `check` or `fix`, the
//! diff, and (for files) the atomic write. A notebook goes through `notebook::analyze`, which
//! comes back here with its cells joined and a [`Layout`] that tells the results in cells.

use std::path::Path;

use sparkfix_transform::{
    Diagnostic, FixOutcome, NoqaOutcome, ParseError, Settings, add_noqa, apply_fixes, check, fix,
    may_contain_spark,
};

use crate::args::Mode;
use crate::color::Palette;
use crate::formats::OutputFormat;
use crate::language::Language;
use crate::layout::{Layout, PlainText};
use crate::report::{FileError, Finding};
use crate::write::replace_if_unchanged;

/// The most Python one source may hold (a file, a notebook's cells joined, stdin): larger sources
/// are skipped with a message. Job files are far smaller; this bounds the work on generated or
/// hostile input to about a second.
pub const MAX_SOURCE_BYTES: usize = 1 << 20;

/// Files larger than this are not even read (a notebook's JSON may hold large outputs beside a
/// little code, so its file may pass [`MAX_SOURCE_BYTES`]).
pub const MAX_FILE_BYTES: u64 = 64 << 20;

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
    fn unparsable(error: ParseError, source: &str, layout: &dyn Layout) -> Self {
        Analysis {
            error: Some(layout.parse_error(error, source)),
            ..Analysis::default()
        }
    }
}

/// Reads, analyses and (with `--write`) rewrites one file; `name` is its displayed path.
pub fn process_file(
    path: &Path,
    name: &str,
    language: Language,
    settings: &Settings,
    context: &Context,
) -> Analysis {
    let bytes = match read_bounded(path) {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(size)) => return Analysis::failed(too_large(size, MAX_FILE_BYTES, "file")),
        Err(error) => return Analysis::failed(format!("cannot read: {error}")),
    };
    let mut analysis = analyze(&bytes, name, language, settings, context);
    let original_findings = std::mem::take(&mut analysis.original_findings);
    if let Some(fixed) = analysis.fixed.take()
        && let Err(error) = replace_if_unchanged(path, &bytes, &fixed)
    {
        analysis.findings = original_findings;
        analysis.applied = 0;
        analysis.applied_codes.clear();
        analysis.changed = false;
        analysis.error = Some(FileError::new(format!("cannot write: {error}")));
    }
    analysis
}

/// The bytes of the file at `path`, or its size when over [`MAX_FILE_BYTES`] (not read): one
/// open, the size from the open file.
fn read_bounded(path: &Path) -> std::io::Result<Result<Vec<u8>, u64>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    if size > MAX_FILE_BYTES {
        return Ok(Err(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.read_to_end(&mut bytes)?;
    Ok(Ok(bytes))
}

/// Runs the engine on one source in `language`; `name` is its displayed path (for diff
/// headers).
///
/// A source with no Spark marker is left alone without being decoded.
pub fn analyze(
    bytes: &[u8],
    name: &str,
    language: Language,
    settings: &Settings,
    context: &Context,
) -> Analysis {
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
    match language {
        Language::Python => analyze_text(source, name, settings, context, &PlainText),
        Language::Notebook => crate::notebook::analyze(source, name, settings, context),
    }
}

/// Runs the engine on `source`, the text of a file laid out as `layout` says.
pub fn analyze_text(
    source: &str,
    name: &str,
    settings: &Settings,
    context: &Context,
    layout: &dyn Layout,
) -> Analysis {
    if source.len() > MAX_SOURCE_BYTES {
        return Analysis::failed(too_large(
            source.len() as u64,
            MAX_SOURCE_BYTES as u64,
            "source",
        ));
    }
    match context.mode {
        Mode::Check => match check(source, settings) {
            Ok(diagnostics) => {
                let mut findings = layout.findings(&diagnostics, source, settings);
                if context.show_fixes {
                    add_fix_previews(&mut findings, &diagnostics, source, name, layout);
                }
                Analysis {
                    findings,
                    ..Analysis::default()
                }
            }
            Err(error) => Analysis::unparsable(error, source, layout),
        },
        Mode::Diff | Mode::Write => match fix(source, settings) {
            Ok(outcome) => from_outcome(source, outcome, name, settings, context, layout),
            Err(error) => Analysis::unparsable(error, source, layout),
        },
        Mode::AddNoqa => match add_noqa(source, settings) {
            Ok(outcome) => with_noqa(source, outcome, settings, layout),
            Err(error) => Analysis::unparsable(error, source, layout),
        },
    }
}

/// `skipped: 9.5 MiB of Python ...`: why a source too large for sparkfix is left alone.
fn too_large(size: u64, limit: u64, what: &str) -> String {
    let mib = |bytes: u64| {
        let value = bytes as f64 / (1u64 << 20) as f64;
        if value >= 10.0 || value.fract() == 0.0 {
            format!("{value:.0} MiB")
        } else {
            format!("{value:.1} MiB")
        }
    };
    format!(
        "skipped: the {what} is {} ({size} bytes), over sparkfix's limit of {} per {what}; left \
         unchanged",
        mib(size),
        mib(limit)
    )
}

/// The comments `--add-noqa` added, and the findings still shown (those on lines that cannot
/// take a comment). A result that would not parse, or that still shows a finding it commented,
/// is an error and the file is left alone.
fn with_noqa(
    source: &str,
    outcome: NoqaOutcome,
    settings: &Settings,
    layout: &dyn Layout,
) -> Analysis {
    let changed = outcome.text != source;
    let remaining = match check(&outcome.text, settings) {
        Ok(remaining) if remaining.len() == outcome.unplaced => remaining,
        _ => {
            return Analysis::failed(
                "the noqa comments would not silence the findings; left unchanged".to_string(),
            );
        }
    };
    let fixed = if changed {
        match layout.contents(&outcome.text) {
            Ok(contents) => Some(contents),
            Err(reason) => return Analysis::failed(reason),
        }
    } else {
        None
    };
    Analysis {
        changed,
        applied: outcome.added,
        findings: layout.findings(&remaining, &outcome.text, settings),
        fixed,
        ..Analysis::default()
    }
}

fn from_outcome(
    source: &str,
    outcome: FixOutcome,
    name: &str,
    settings: &Settings,
    context: &Context,
    layout: &dyn Layout,
) -> Analysis {
    let write = context.mode == Mode::Write;
    // A fixed text that cannot be laid back into the file (a notebook's cells) is a failure.
    let contents = match outcome.failure {
        Some(failure) => Err(failure.to_string()),
        None if outcome.fixed == source => Ok(None),
        None => layout.contents(&outcome.fixed).map(Some),
    };
    let contents = match contents {
        Ok(contents) => contents,
        Err(failure) => {
            let findings = if write {
                layout.findings(&outcome.diagnostics, source, settings)
            } else {
                Vec::new()
            };
            return Analysis {
                findings,
                error: Some(FileError::new(failure)),
                ..Analysis::default()
            };
        }
    };
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
        analysis.findings = layout.findings(&outcome.remaining, &outcome.fixed, settings);
        if changed {
            analysis.original_findings = layout.findings(&outcome.diagnostics, source, settings);
            analysis.fixed = contents;
        }
    } else if changed {
        analysis.diff = Some(layout.diff(source, &outcome.fixed, name, &context.palette));
    }
    analysis
}

/// Each finding's fix applied alone to `source`, as the hunks of its diff (`--show-fixes`).
fn add_fix_previews(
    findings: &mut [Finding],
    diagnostics: &[Diagnostic],
    source: &str,
    name: &str,
    layout: &dyn Layout,
) {
    for (finding, diagnostic) in findings.iter_mut().zip(diagnostics) {
        let Some(fix) = &diagnostic.fix else {
            continue;
        };
        let (fixed, _) = apply_fixes(source, &[(diagnostic.code, fix)]);
        let hunks = layout.preview(source, &fixed, name);
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
            Language::Python,
            &Settings::default(),
            &context(Mode::Write),
        );
        assert_eq!(analysis, Analysis::default());
    }

    #[test]
    fn skips_sources_over_the_size_limit() {
        let line = "# spark\n";
        let under = line.repeat(MAX_SOURCE_BYTES / line.len());
        let over = format!("{under}{line}");
        let run = |source: &str, mode| {
            analyze(
                source.as_bytes(),
                "a.py",
                Language::Python,
                &Settings::default(),
                &context(mode),
            )
        };
        for mode in [Mode::Check, Mode::Diff, Mode::Write] {
            let analysis = run(&over, mode);
            let error = analysis.error.expect("skipped");
            assert_eq!(
                error.reason,
                format!(
                    "skipped: the source is 1.0 MiB ({} bytes), over sparkfix's limit of 1 MiB \
                     per source; left unchanged",
                    over.len()
                )
            );
            assert_eq!((analysis.fixed, analysis.diff), (None, None));
            assert_eq!(run(&under, mode).error, None);
        }
    }

    #[test]
    fn reports_invalid_utf8_with_its_offset() {
        let analysis = analyze(
            b"spark = 1\n\xff\n",
            "a.py",
            Language::Python,
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
            let analysis = analyze(
                source,
                "a.py",
                Language::Python,
                &Settings::default(),
                &context(mode),
            );
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
