//! Notebook cells in one text. A notebook's Python cells are checked as one text (the cli joins
//! them), each cell preceded by its separator line, `# sparkfix-notebook-cell N`; with
//! [`Settings::notebook`](crate::Settings) set, the lines messages name are told in cells
//! ([`LineRef`]: `line 2 in cell 5`), because a user reads the notebook, not the joined text.

use std::fmt;

/// What starts every separator line; the cell's 1-based number (among all the notebook's cells)
/// follows.
pub const SEPARATOR: &str = "# sparkfix-notebook-cell ";

/// The separator line (without line ending) that starts cell `number`.
pub fn separator(number: usize) -> String {
    format!("{SEPARATOR}{number}")
}

/// A line a message names: the text's 1-based line, and in a notebook the cell it is in.
/// Ordered as the text's lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineRef {
    /// The 1-based line of the text checked.
    pub line: usize,
    /// In a notebook: the cell's number and the 1-based line in it.
    pub cell: Option<(usize, usize)>,
}

impl fmt::Display for LineRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.cell {
            Some((cell, line)) => write!(f, "{line} in cell {cell}"),
            None => write!(f, "{}", self.line),
        }
    }
}

/// The cells of a joined notebook text: each one's first line (0-based, the line after its
/// separator) and number, in order.
#[derive(Debug, Clone, Default)]
pub struct Cells {
    starts: Vec<(usize, usize)>,
}

impl Cells {
    /// Finds the separator lines of `text`.
    pub fn of(text: &str) -> Cells {
        let starts = text
            .split('\n')
            .enumerate()
            .filter_map(|(index, line)| {
                let number = line.trim_end_matches('\r').strip_prefix(SEPARATOR)?;
                Some((index + 1, number.parse().ok()?))
            })
            .collect();
        Cells { starts }
    }

    /// The reference to 0-based `line` of the text.
    pub fn line_ref(&self, line: usize) -> LineRef {
        let at = self.starts.partition_point(|(first, _)| *first <= line);
        LineRef {
            line: line + 1,
            cell: at
                .checked_sub(1)
                .map(|at| (self.starts[at].1, line - self.starts[at].0 + 1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_told_in_cells() {
        let text = "# sparkfix-notebook-cell 2\na = 1\nb = 2\n# sparkfix-notebook-cell 4\nc = 3\n";
        let cells = Cells::of(text);
        assert_eq!(cells.line_ref(2).to_string(), "2 in cell 2");
        assert_eq!(cells.line_ref(4).to_string(), "1 in cell 4");
        let plain = Cells::default().line_ref(4);
        assert_eq!(plain.to_string(), "5");
        assert!(cells.line_ref(1) < cells.line_ref(4));
    }
}
