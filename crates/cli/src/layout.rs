//! How the text the engine checks maps back to the file it came from. A Python file is its own
//! text; a notebook's text is its Python cells joined (`notebook/`), so its findings, diffs,
//! errors and fixed contents are told in cells.

use sparkfix_transform::{Diagnostic, ParseError, Settings};

use crate::color::Palette;
use crate::diff;
use crate::report::{FileError, Finding};

/// A file as the engine sees it.
pub trait Layout {
    /// The findings of `diagnostics`, found in `text` (the engine's text, original or fixed).
    fn findings(&self, diagnostics: &[Diagnostic], text: &str, settings: &Settings)
    -> Vec<Finding>;

    /// The file's new contents for the engine's `fixed` text, or why it cannot be written.
    fn contents(&self, fixed: &str) -> Result<String, String>;

    /// The diff from the engine's `old` text to `new`, as the user reads it.
    fn diff(&self, old: &str, new: &str, name: &str, palette: &Palette) -> String;

    /// One fix's diff for `--show-fixes`, shown under its finding.
    fn preview(&self, old: &str, new: &str, name: &str) -> String;

    /// Where and why `text` does not compile.
    fn parse_error(&self, error: ParseError, text: &str) -> FileError;
}

/// A Python file: the engine's text is the file's.
pub struct PlainText;

impl Layout for PlainText {
    fn findings(
        &self,
        diagnostics: &[Diagnostic],
        text: &str,
        settings: &Settings,
    ) -> Vec<Finding> {
        Finding::from_all(diagnostics, text, settings)
    }

    fn contents(&self, fixed: &str) -> Result<String, String> {
        Ok(fixed.to_string())
    }

    fn diff(&self, old: &str, new: &str, name: &str, palette: &Palette) -> String {
        diff::render(old, new, name, palette)
    }

    fn preview(&self, old: &str, new: &str, name: &str) -> String {
        // Without the `---`/`+++` header: the finding line above names the file.
        let diff = diff::render(old, new, name, &Palette::PLAIN);
        diff.split_inclusive('\n').skip(2).collect()
    }

    fn parse_error(&self, error: ParseError, text: &str) -> FileError {
        FileError {
            location: Some(error.location),
            cell: None,
            reason: format!("cannot parse: {}", error.reason),
            line_text: crate::report::line_of(text, error.location.line),
        }
    }
}
