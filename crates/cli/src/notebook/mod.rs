//! Jupyter notebooks (`.ipynb`): every Python code cell checked and fixed as one Python text
//! (`joined.rs`: one Spark model for the notebook, IPython lines left alone by `magics.rs`),
//! findings and errors told as `nb.ipynb:cell N:line:col`, diffs per cell
//! (`--- a/nb.ipynb:cell 3`), and the changed cells written back into the JSON (`json.rs`) with
//! every other byte as it was.

mod joined;
mod json;
mod magics;

use sparkfix_syntax::LineIndex;
use sparkfix_transform::{Location, ParseError, Settings};

use crate::color::Palette;
use crate::diff;
use crate::layout::Layout;
use crate::process::{Analysis, Context, analyze_text};
use crate::report::{FileError, Finding};

use joined::{CellText, Joined};
use json::NotebookJson;

/// Runs the engine on the notebook `source` (its JSON text); `name` is its displayed path.
pub fn analyze(source: &str, name: &str, settings: &Settings, context: &Context) -> Analysis {
    let notebook = match json::read(source) {
        Ok(json::Read::Notebook(notebook)) => notebook,
        // An R or Scala notebook holds no Python to check.
        Ok(json::Read::NotPython) => return Analysis::default(),
        Err(reason) => return Analysis::failed(format!("{reason}; left unchanged")),
    };
    let joined = match Joined::new(
        notebook
            .cells
            .iter()
            .map(|cell| (cell.number, cell.text.as_str())),
    ) {
        Ok(joined) => joined,
        Err(reason) => return Analysis::failed(reason),
    };
    let cells = Cells { notebook, joined };
    let settings = Settings {
        notebook: true,
        ..settings.clone()
    };
    analyze_text(&cells.joined.text, name, &settings, context, &cells)
}

/// A notebook as the engine sees it: its Python cells joined.
struct Cells<'a> {
    notebook: NotebookJson<'a>,
    joined: Joined,
}

impl Cells<'_> {
    /// Per cell of the engine's `old` and `new` texts, the diff of those that changed, each
    /// headed `NAME:cell N`.
    fn cell_diffs(&self, old: &str, new: &str, name: &str, palette: &Palette) -> String {
        let (Ok(before), Ok(after)) = (self.joined.split(old), self.joined.split(new)) else {
            return diff::render(old, new, name, palette);
        };
        let mut out = String::new();
        for (old_cell, new_cell) in before.iter().zip(&after) {
            if old_cell.text != new_cell.text {
                let header = format!("{name}:cell {}", new_cell.number);
                out.push_str(&diff::render(
                    &old_cell.text,
                    &new_cell.text,
                    &header,
                    palette,
                ));
            }
        }
        out
    }
}

impl Layout for Cells<'_> {
    fn findings(
        &self,
        diagnostics: &[sparkfix_transform::Diagnostic],
        text: &str,
        settings: &Settings,
    ) -> Vec<Finding> {
        let mut findings = Finding::from_all(diagnostics, text, settings);
        let Ok(cells) = self.joined.split(text) else {
            return findings;
        };
        if cells.is_empty() {
            return findings;
        }
        let places = Places::new(text, &cells);
        for finding in &mut findings {
            let (start, end) = (places.place(finding.range.0), places.place(finding.range.1));
            finding.cell = Some(start.cell);
            finding.location = start.location;
            finding.end = end.location;
            finding.range = (start.offset, end.offset.max(start.offset));
            for edit in finding.fix.iter_mut().flat_map(|fix| fix.edits.iter_mut()) {
                let (start, end) = (places.place(edit.range.0), places.place(edit.range.1));
                edit.cell = Some(start.cell);
                edit.location = start.location;
                edit.end = end.location;
                edit.range = (start.offset, end.offset.max(start.offset));
            }
        }
        findings
    }

    fn contents(&self, fixed: &str) -> Result<String, String> {
        let cells = self.joined.split(fixed)?;
        let changed: Vec<(usize, &str)> = cells
            .iter()
            .filter(|cell| cell.text != self.notebook.cells[cell.index].text)
            .map(|cell| (cell.index, cell.text.as_str()))
            .collect();
        Ok(self.notebook.render(&changed))
    }

    fn diff(&self, old: &str, new: &str, name: &str, palette: &Palette) -> String {
        self.cell_diffs(old, new, name, palette)
    }

    fn preview(&self, old: &str, new: &str, name: &str) -> String {
        // The header stays: it names the cell.
        self.cell_diffs(old, new, name, &Palette::PLAIN)
    }

    fn parse_error(&self, error: ParseError, text: &str) -> FileError {
        let reason = format!("cannot parse: {}", error.reason);
        let line = error.location.line.saturating_sub(1);
        let cells = self.joined.split(text).unwrap_or_default();
        let Some(cell) = cells.get(owner(&cells, line)) else {
            return FileError::new(reason);
        };
        let line_in_cell = line - cell.first_line + 1;
        FileError {
            location: Some(Location {
                line: line_in_cell,
                column: error.location.column,
            }),
            cell: Some(cell.number),
            reason: lines_in_cells(&reason, &cells, cell.number),
            line_text: crate::report::line_of(&cell.text, line_in_cell),
        }
    }
}

/// `reason` with each `line N` it names (CPython's `... on line 4`) told in the cell: `line 2`
/// in cell `own`, else `line 2 in cell 3`.
fn lines_in_cells(reason: &str, cells: &[CellText], own: usize) -> String {
    let mut out = String::with_capacity(reason.len());
    let mut rest = reason;
    while let Some(at) = rest.find("line ") {
        let (before, after) = rest.split_at(at + "line ".len());
        out.push_str(before);
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        match after[..digits].parse::<usize>() {
            Ok(line) if line > 0 => {
                let cell = &cells[owner(cells, line - 1)];
                let in_cell = (line - 1).saturating_sub(cell.first_line) + 1;
                out.push_str(&in_cell.to_string());
                if cell.number != own {
                    out.push_str(&format!(" in cell {}", cell.number));
                }
            }
            _ => out.push_str(&after[..digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

/// Where an offset of the joined text is in its notebook.
struct Place {
    /// The cell's 1-based number among all cells.
    cell: usize,
    /// The 1-based line in the cell and character column.
    location: Location,
    /// The byte offset in the cell's source.
    offset: usize,
}

/// The cells of a joined text, to place its offsets.
struct Places<'a> {
    text: &'a str,
    lines: LineIndex,
    cells: &'a [CellText],
    cell_lines: Vec<LineIndex>,
}

impl<'a> Places<'a> {
    fn new(text: &'a str, cells: &'a [CellText]) -> Self {
        Places {
            text,
            lines: LineIndex::new(text),
            cells,
            cell_lines: cells
                .iter()
                .map(|cell| LineIndex::new(&cell.text))
                .collect(),
        }
    }

    fn place(&self, offset: usize) -> Place {
        let offset = offset.min(self.text.len());
        let position = self.lines.line_column(self.text, offset);
        let line = position.line - 1;
        let index = owner(self.cells, line);
        let cell = &self.cells[index];
        let lines = &self.cell_lines[index];
        let line_in_cell = line - cell.first_line.min(line);
        let into_line = offset - self.lines.line_start(line);
        let offset = if line_in_cell < lines.line_count() {
            (lines.line_start(line_in_cell) + into_line).min(cell.text.len())
        } else {
            cell.text.len()
        };
        Place {
            cell: cell.number,
            location: Location {
                line: line_in_cell + 1,
                column: position.column,
            },
            offset,
        }
    }
}

/// The index of the cell that holds 0-based `line` of the joined text (a separator line
/// belongs to the cell before it).
fn owner(cells: &[CellText], line: usize) -> usize {
    cells
        .partition_point(|cell| cell.first_line <= line)
        .saturating_sub(1)
}
