//! What the user reads: finding lines, per-file error lines and the closing summary.

use std::fmt::Write;

use sparkfix_syntax::{LineColumn, LineIndex};
use sparkfix_transform::{Diagnostic, Location, Settings};

use crate::args::Mode;
use crate::color::Palette;
use crate::tally::Tally;

/// A finding as printed: what a [`Diagnostic`] says, with its positions resolved in the text it
/// was found in, so a finished file keeps only what the output needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// In a notebook, the 1-based number of the cell (among all cells) the finding is in; its
    /// lines, columns and byte offsets are then the cell's.
    pub cell: Option<usize>,
    pub location: Location,
    /// Where the finding's range ends (1-based line, character column).
    pub end: Location,
    /// The range in bytes.
    pub range: (usize, usize),
    pub code: &'static str,
    pub name: &'static str,
    pub message: String,
    /// `proven`, `measured` or `guessed`.
    pub evidence: &'static str,
    /// Fixed by `--diff`/`--write` under the current `--unsafe-fixes` setting.
    pub fixable: bool,
    /// Has a fix that only `--unsafe-fixes` would apply.
    pub hidden_fix: bool,
    /// The fix: its applicability and edits.
    pub fix: Option<FixView>,
    /// `--show-fixes` in a check: the fix alone, as diff hunks of the file.
    pub fix_preview: Option<String>,
}

/// A fix as the machine-readable outputs show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixView {
    /// `safe` or `unsafe`.
    pub applicability: &'static str,
    pub edits: Vec<EditView>,
}

/// One edit: the range it replaces (bytes, and line/column) and the new text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditView {
    /// In a notebook, the cell the edit is in (an import may go to another cell than its
    /// finding's).
    pub cell: Option<usize>,
    pub range: (usize, usize),
    pub location: Location,
    pub end: Location,
    pub content: String,
}

impl Finding {
    /// Whether the finding rests on a guess (it fails a run only with `--strict`).
    pub fn is_guessed(&self) -> bool {
        self.evidence == "guessed"
    }

    /// The finding of `diagnostic`, found in `text` (whose lines are `lines`).
    fn new(diagnostic: &Diagnostic, text: &str, lines: &LineIndex, settings: &Settings) -> Self {
        let location_of = |offset: usize| {
            let LineColumn { line, column } = lines.line_column(text, offset.min(text.len()));
            Location { line, column }
        };
        let fixable = settings.is_fixable(diagnostic);
        Finding {
            cell: None,
            location: diagnostic.location,
            end: location_of(diagnostic.range.end),
            range: (diagnostic.range.start, diagnostic.range.end),
            code: diagnostic.code,
            name: diagnostic.name,
            message: diagnostic.message.clone(),
            evidence: diagnostic.evidence.level(),
            fixable,
            hidden_fix: !fixable && settings.is_fixable_with(diagnostic, true),
            fix_preview: None,
            fix: diagnostic.fix.as_ref().map(|fix| FixView {
                applicability: settings
                    .applicability(diagnostic)
                    .unwrap_or(fix.applicability())
                    .as_str(),
                edits: fix
                    .edits()
                    .iter()
                    .map(|edit| EditView {
                        cell: None,
                        range: (edit.range.start, edit.range.end),
                        location: location_of(edit.range.start),
                        end: location_of(edit.range.end),
                        content: edit.content.clone(),
                    })
                    .collect(),
            }),
        }
    }

    /// The findings of `diagnostics`, found in `text`.
    pub fn from_all(diagnostics: &[Diagnostic], text: &str, settings: &Settings) -> Vec<Finding> {
        if diagnostics.is_empty() {
            return Vec::new();
        }
        let lines = LineIndex::new(text);
        diagnostics
            .iter()
            .map(|d| Finding::new(d, text, &lines, settings))
            .collect()
    }
}

/// Appends `path:line:col: CODE message`, plus ` [*]` when fixable, as one line.
pub fn push_finding(out: &mut String, path: &str, finding: &Finding, palette: &Palette) {
    let Palette {
        bold,
        red,
        cyan,
        reset,
        ..
    } = *palette;
    let Location { line, column } = finding.location;
    let cell = cell_prefix(finding.cell);
    let _ = write!(
        out,
        "{bold}{path}{reset}:{cell}{line}:{column}: {bold}{red}{}{reset} {}",
        finding.code, finding.message
    );
    if finding.fixable {
        let _ = write!(out, " {cyan}[*]{reset}");
    }
    out.push('\n');
    if let (Some(preview), Some(fix)) = (&finding.fix_preview, &finding.fix) {
        let how = if finding.fixable {
            "applied by --write"
        } else if finding.hidden_fix {
            "applied by --write --unsafe-fixes"
        } else {
            "not applied"
        };
        let _ = writeln!(out, "  {} fix ({how}):", fix.applicability);
        for line in preview.lines() {
            let _ = writeln!(out, "    {line}");
        }
    }
}

/// `--show-fixes` after `--write`: the fixes applied, per file and rule, most first.
pub fn applied_fixes(files: &[(String, Vec<&'static str>)]) -> String {
    let total: usize = files.iter().map(|(_, codes)| codes.len()).sum();
    if total == 0 {
        return String::new();
    }
    let mut out = format!("Fixed {}:\n", plural(total, "finding", "findings"));
    for (file, codes) in files.iter().filter(|(_, codes)| !codes.is_empty()) {
        let _ = writeln!(out, "- {file}:");
        let mut counts: Vec<(&'static str, usize)> = Vec::new();
        for code in codes {
            match counts.iter_mut().find(|(known, _)| known == code) {
                Some((_, count)) => *count += 1,
                None => counts.push((code, 1)),
            }
        }
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        for (code, count) in counts {
            let name = sparkfix_transform::all_metadata()
                .iter()
                .find(|meta| meta.id == code)
                .map_or("", |meta| meta.name.as_str());
            let _ = writeln!(out, "    {count} × {code} ({name})");
        }
    }
    out
}

/// Why a source was left alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// Where in the source, for an error of its text (a syntax error).
    pub location: Option<Location>,
    /// In a notebook, the cell `location` is in.
    pub cell: Option<usize>,
    pub reason: String,
    /// The text of the line at `location`, shown under the message with a caret.
    pub line_text: Option<String>,
}

impl FileError {
    /// An error of the file as a whole: it cannot be read, decoded or written.
    pub fn new(reason: impl Into<String>) -> Self {
        FileError {
            location: None,
            cell: None,
            reason: reason.into(),
            line_text: None,
        }
    }
}

/// Appends `path: reason`, or `path:line:col: reason` and the line with a caret under the
/// column.
pub fn push_error(out: &mut String, path: &str, error: &FileError) {
    match error.location {
        Some(Location { line, column }) => {
            let cell = cell_prefix(error.cell);
            let _ = writeln!(out, "{path}:{cell}{line}:{column}: {}", error.reason);
            if let Some(text) = &error.line_text {
                push_caret(out, line, column, text);
            }
        }
        None => {
            let _ = writeln!(out, "{path}: {}", error.reason);
        }
    }
}

/// `cell N:` before a line and column in a notebook, nothing in a Python file.
pub fn cell_prefix(cell: Option<usize>) -> String {
    cell.map(|cell| format!("cell {cell}:")).unwrap_or_default()
}

/// The line `number` (its `text`) with a caret under the 1-based character `column`, in the
/// gutter style of rustc and ruff:
///
/// ```text
///   |
/// 3 | def broken(:
///   |            ^
/// ```
pub fn push_caret(out: &mut String, number: usize, column: usize, text: &str) {
    let text = text.trim_end_matches(['\r', '\n']);
    let (shown, column) = clip(text, column);
    let gutter = " ".repeat(number.to_string().len());
    // Tabs stay tabs so the caret lines up however the terminal expands them.
    let pad: String = shown
        .chars()
        .take(column.saturating_sub(1))
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let _ = writeln!(out, "{gutter} |");
    let _ = writeln!(out, "{number} | {shown}");
    let _ = writeln!(out, "{gutter} | {pad}^");
}

/// The characters of a source line shown under an error at most; a longer line is cut to this
/// many around the column, with `…` where it was cut.
const SHOWN_CHARS: usize = 100;

/// `text`, cut around the 1-based character `column` when longer than [`SHOWN_CHARS`], and the
/// column in what is shown.
fn clip(text: &str, column: usize) -> (String, usize) {
    let length = text.chars().count();
    if length <= SHOWN_CHARS {
        return (text.to_owned(), column);
    }
    let at = column.saturating_sub(1).min(length);
    let start = at.saturating_sub(SHOWN_CHARS / 2).min(length - SHOWN_CHARS);
    let end = start + SHOWN_CHARS;
    let mut shown = String::new();
    if start > 0 {
        shown.push('…');
    }
    shown.extend(text.chars().skip(start).take(SHOWN_CHARS));
    if end < length {
        shown.push('…');
    }
    (shown, column - start + usize::from(start > 0))
}

/// The text of line `number` (1-based) of `source`, without its line ending.
pub fn line_of(source: &str, number: usize) -> Option<String> {
    source
        .split('\n')
        .nth(number.checked_sub(1)?)
        .map(|line| line.trim_end_matches('\r').to_owned())
}

/// The closing line for stderr, if there is anything to say; `fix_only`: `--fix-only`, which
/// says nothing of the findings left.
pub fn summary(mode: Mode, tally: &Tally, fix_only: bool) -> Option<String> {
    let hidden = (tally.hidden > 0).then(|| {
        let fixes = plural(tally.hidden, "hidden fix", "hidden fixes");
        format!("{fixes} can be enabled with --unsafe-fixes")
    });
    // Guesses that do not fail the run (without --strict) say so, so an exit code 0 with
    // findings shown is not a surprise.
    let passing = tally.findings - tally.failing.min(tally.findings);
    let guessed =
        (passing > 0).then(|| format!("{passing} guessed, which fail a run only with --strict"));
    let hidden = hidden.into_iter().chain(guessed);
    let line = match mode {
        Mode::Check if tally.findings > 0 => {
            let fixable =
                (tally.fixable > 0).then(|| format!("{} fixable with --write", tally.fixable));
            let notes: Vec<String> = fixable.into_iter().chain(hidden).collect();
            let notes = if notes.is_empty() {
                String::new()
            } else {
                format!(" ({})", notes.join(", "))
            };
            format!(
                "Found {}{notes}.",
                plural(tally.findings, "finding", "findings")
            )
        }
        Mode::Check if tally.errors == 0 && tally.checked > 0 => format!(
            "All checks passed ({}).",
            plural(tally.checked, "file", "files")
        ),
        Mode::Check if tally.errors == 0 => "No Python files to check.".to_string(),
        Mode::Diff if tally.changed_files > 0 => format!(
            "Would fix {} in {}.",
            plural(tally.applied, "finding", "findings"),
            plural(tally.changed_files, "file", "files")
        ),
        Mode::Write if fix_only && tally.applied > 0 => format!(
            "Fixed {} in {}.",
            plural(tally.applied, "finding", "findings"),
            plural(tally.changed_files, "file", "files")
        ),
        Mode::Write if fix_only => return None,
        Mode::Write if tally.applied > 0 || tally.findings > 0 => {
            let notes: Vec<String> = std::iter::once(format!("{} remaining", tally.findings))
                .chain(hidden)
                .collect();
            format!(
                "Fixed {} in {} ({}).",
                plural(tally.applied, "finding", "findings"),
                plural(tally.changed_files, "file", "files"),
                notes.join(", ")
            )
        }
        Mode::AddNoqa if tally.applied > 0 || tally.findings > 0 => {
            let left = if tally.findings > 0 {
                format!(
                    " ({} on a line that cannot take a comment, still shown)",
                    plural(tally.findings, "finding", "findings")
                )
            } else {
                String::new()
            };
            format!(
                "Added {} in {}{left}.",
                plural(tally.applied, "noqa comment", "noqa comments"),
                plural(tally.changed_files, "file", "files")
            )
        }
        _ => return None,
    };
    Some(line + "\n")
}

/// `--statistics`: one line per rule with findings, most first: count, code, `[*]` when some
/// are fixable, name.
pub fn statistics(tally: &Tally) -> String {
    let mut rules: Vec<_> = tally.by_rule.iter().collect();
    rules.sort_by(|(a_code, a), (b_code, b)| b.findings.cmp(&a.findings).then(a_code.cmp(b_code)));
    let width = rules
        .iter()
        .map(|(_, count)| count.findings.to_string().len())
        .max()
        .unwrap_or(1);
    let mut out = String::new();
    for (code, count) in rules {
        let _ = writeln!(
            out,
            "{:>width$}  {code}  {}  {}",
            count.findings,
            if count.fixable > 0 { "[*]" } else { "   " },
            count.name
        );
    }
    out
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_cut_around_the_caret() {
        let line = format!("x = {}1{}", "(".repeat(300), ")".repeat(300));
        let mut out = String::new();
        push_caret(&mut out, 3, 205, &line);
        let shown = format!("…{}…", "(".repeat(100));
        let pad = " ".repeat(51);
        assert_eq!(out, format!("  |\n3 | {shown}\n  | {pad}^\n"));
        // The caret stays under the character it points at near either end.
        let (shown, column) = clip(&line, 2);
        assert_eq!((shown.chars().nth(column - 1), column), (Some(' '), 2));
        let (shown, column) = clip(&line, 605);
        assert_eq!(shown.chars().nth(column - 1), Some(')'));
        assert!(shown.starts_with('…') && !shown.ends_with('…'));
        assert_eq!(clip("short", 3), ("short".to_owned(), 3));
    }

    fn tally(
        findings: usize,
        fixable: usize,
        hidden: usize,
        applied: usize,
        files: usize,
    ) -> Tally {
        Tally {
            findings,
            fixable,
            hidden,
            applied,
            changed_files: files,
            failing: findings,
            checked: findings.max(1),
            ..Tally::default()
        }
    }

    #[test]
    fn summaries_read_like_ruff() {
        // A clean run and a run that checked nothing say so differently.
        let checked = |checked| Tally {
            checked,
            ..Tally::default()
        };
        assert_eq!(
            summary(Mode::Check, &checked(3), false).unwrap(),
            "All checks passed (3 files).\n"
        );
        assert_eq!(
            summary(Mode::Check, &checked(0), false).unwrap(),
            "No Python files to check.\n"
        );
        assert_eq!(
            summary(Mode::Check, &tally(3, 2, 0, 0, 0), false).unwrap(),
            "Found 3 findings (2 fixable with --write).\n"
        );
        assert_eq!(
            summary(Mode::Check, &tally(3, 2, 1, 0, 0), false).unwrap(),
            "Found 3 findings (2 fixable with --write, 1 hidden fix can be enabled with --unsafe-fixes).\n"
        );
        assert_eq!(
            summary(Mode::Check, &tally(1, 0, 0, 0, 0), false).unwrap(),
            "Found 1 finding.\n"
        );
        assert_eq!(
            summary(Mode::Diff, &tally(0, 0, 0, 2, 1), false).unwrap(),
            "Would fix 2 findings in 1 file.\n"
        );
        assert_eq!(
            summary(Mode::Write, &tally(1, 0, 0, 3, 2), false).unwrap(),
            "Fixed 3 findings in 2 files (1 remaining).\n"
        );
        assert_eq!(summary(Mode::Write, &tally(0, 0, 0, 0, 0), false), None);
        assert_eq!(
            summary(Mode::AddNoqa, &tally(0, 0, 0, 4, 3), false).unwrap(),
            "Added 4 noqa comments in 3 files.\n"
        );
        assert_eq!(
            summary(Mode::AddNoqa, &tally(1, 0, 0, 1, 1), false).unwrap(),
            "Added 1 noqa comment in 1 file (1 finding on a line that cannot take a comment, \
             still shown).\n"
        );
        assert_eq!(summary(Mode::AddNoqa, &tally(0, 0, 0, 0, 0), false), None);
        // Guesses that do not fail the run say so.
        let guessed = Tally {
            failing: 1,
            guessed: 2,
            ..tally(3, 0, 2, 0, 0)
        };
        assert_eq!(
            summary(Mode::Check, &guessed, false).unwrap(),
            "Found 3 findings (2 hidden fixes can be enabled with --unsafe-fixes, 2 guessed, \
             which fail a run only with --strict).\n"
        );
        // --fix-only says nothing of what is left.
        assert_eq!(
            summary(Mode::Write, &tally(1, 0, 0, 3, 2), true).unwrap(),
            "Fixed 3 findings in 2 files.\n"
        );
        assert_eq!(summary(Mode::Write, &tally(1, 0, 0, 0, 0), true), None);
    }

    #[test]
    fn finding_lines() {
        let finding = Finding {
            cell: None,
            location: Location { line: 3, column: 1 },
            end: Location { line: 3, column: 3 },
            range: (20, 22),
            code: "SPK001",
            name: "cache-reused-dataframe",
            message: "cache it".to_owned(),
            evidence: "proven",
            fixable: true,
            hidden_fix: false,
            fix: None,
            fix_preview: None,
        };
        let mut out = String::new();
        push_finding(&mut out, "job.py", &finding, &Palette::PLAIN);
        assert_eq!(out, "job.py:3:1: SPK001 cache it [*]\n");
    }

    #[test]
    fn error_lines() {
        let mut out = String::new();
        push_error(&mut out, "a.py", &FileError::new("cannot read: denied"));
        let syntax = FileError {
            location: Some(Location { line: 4, column: 9 }),
            cell: None,
            reason: "cannot parse: unexpected indent".to_owned(),
            line_text: None,
        };
        push_error(&mut out, "b.py", &syntax);
        assert_eq!(
            out,
            "a.py: cannot read: denied\nb.py:4:9: cannot parse: unexpected indent\n"
        );
        let mut out = String::new();
        let with_line = FileError {
            location: Some(Location {
                line: 12,
                column: 12,
            }),
            line_text: line_of(&format!("{}\tdef broken(:\r\n", "x\n".repeat(11)), 12),
            ..syntax
        };
        push_error(&mut out, "c.py", &with_line);
        assert_eq!(
            out,
            "c.py:12:12: cannot parse: unexpected indent\n   |\n12 | \tdef broken(:\n   | \t          ^\n"
        );
    }
}
