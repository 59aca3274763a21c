//! A notebook's Python cells joined into one Python text, so that one Spark model spans the
//! notebook (a frame defined in one cell and used in later ones), and the way back: a fixed text
//! split into cells again.
//!
//! Each cell is preceded by a comment line naming it (`sparkfix_transform::cells`, which tells
//! the lines of messages in cells); each line of IPython syntax is
//! replaced by a placeholder line naming it (a comment, or `pass` with the comment where the
//! line is indented, so that a block holding only a magic stays a block). Line counts are kept,
//! so a line of the joined text is a line of a cell. Splitting finds the separators and
//! placeholders again, each exactly once and in order, or refuses: a fix that moved or removed
//! one is not written.

use super::magics::{self, CellCode};

/// What marks sparkfix's own lines; a notebook already holding it is not joined.
const MARK: &str = "sparkfix-notebook-";

/// The joined text of a notebook's Python cells.
#[derive(Debug)]
pub struct Joined {
    pub text: String,
    /// The Python cells, in order.
    cells: Vec<Piece>,
    /// Each IPython line's text (without its line ending), by placeholder number.
    magics: Vec<String>,
}

/// One Python cell in the joined text.
#[derive(Debug)]
struct Piece {
    /// Its index among the notebook's code cells.
    index: usize,
    /// Its 1-based number among all cells.
    number: usize,
    /// Whether its text ends with a line ending (nbformat's last line has none).
    ends_with_newline: bool,
}

/// One cell's text taken back from a joined text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellText {
    /// Its index among the notebook's code cells.
    pub index: usize,
    /// Its 1-based number among all cells.
    pub number: usize,
    /// Its text, IPython lines restored.
    pub text: String,
    /// The 0-based line of the joined text where it starts.
    pub first_line: usize,
}

impl Joined {
    /// Joins the code cells (`(number, text)`, in order); cells in another language are left
    /// out. Fails when a cell already holds sparkfix's marker text.
    pub fn new<'a>(cells: impl IntoIterator<Item = (usize, &'a str)>) -> Result<Joined, String> {
        let mut joined = Joined {
            text: String::new(),
            cells: Vec::new(),
            magics: Vec::new(),
        };
        for (index, (number, text)) in cells.into_iter().enumerate() {
            let CellCode::Python { magic_lines } = magics::classify(text) else {
                continue;
            };
            if text.contains(MARK) {
                return Err(format!(
                    "cell {number} holds `{MARK}`, which sparkfix uses to mark cells; left unchanged"
                ));
            }
            joined.text.push_str(&separator(number));
            joined.text.push('\n');
            let mut magic_lines = magic_lines.into_iter().peekable();
            let mut continues = false;
            for (line_index, line) in text.split_inclusive('\n').enumerate() {
                if magic_lines.next_if_eq(&line_index).is_none() {
                    joined.text.push_str(line);
                    continues = false;
                    continue;
                }
                let content = line.trim_end_matches('\n').trim_end_matches('\r');
                let ending = &line[content.len()..];
                let indent: String = content.chars().take_while(|c| c.is_whitespace()).collect();
                let id = joined.magics.len();
                // A continuation line's indentation is not Python's: a comment has none.
                if continues || indent.is_empty() {
                    joined.text.push_str(&format!("# {MARK}magic {id}"));
                } else {
                    joined
                        .text
                        .push_str(&format!("{indent}pass  # {MARK}magic {id}"));
                }
                joined.text.push_str(ending);
                joined.magics.push(content.to_string());
                continues = content.ends_with('\\');
            }
            let ends_with_newline = text.ends_with('\n');
            if !ends_with_newline && !text.is_empty() {
                joined.text.push('\n');
            }
            joined.cells.push(Piece {
                index,
                number,
                ends_with_newline,
            });
        }
        Ok(joined)
    }

    /// The cells of `text` (this joined text, or one fixed from it), IPython lines restored.
    pub fn split(&self, text: &str) -> Result<Vec<CellText>, String> {
        let moved = || "a fix moved a cell boundary or an IPython line; left unchanged".to_string();
        let mut cells: Vec<CellText> = Vec::with_capacity(self.cells.len());
        let mut next_magic = 0;
        let mut upcoming = self.cells.iter().peekable();
        for (line_number, line) in text.split_inclusive('\n').enumerate() {
            let content = line.trim_end_matches('\n').trim_end_matches('\r');
            if let Some(next) = upcoming.peek()
                && content == separator(next.number)
            {
                cells.push(CellText {
                    index: next.index,
                    number: next.number,
                    text: String::new(),
                    first_line: line_number + 1,
                });
                upcoming.next();
                continue;
            }
            // Nothing may come before the first cell's separator.
            let Some(current) = cells.last_mut() else {
                return Err(moved());
            };
            if !content.contains(MARK) {
                current.text.push_str(line);
                continue;
            }
            let placeholder = content.trim_start();
            let placeholder = placeholder.strip_prefix("pass  ").unwrap_or(placeholder);
            let id = placeholder
                .strip_prefix(&format!("# {MARK}magic "))
                .and_then(|id| id.parse::<usize>().ok());
            if id != Some(next_magic) {
                return Err(moved());
            }
            current.text.push_str(&self.magics[next_magic]);
            current.text.push_str(&line[content.len()..]);
            next_magic += 1;
        }
        if upcoming.next().is_some() || next_magic != self.magics.len() {
            return Err(moved());
        }
        for (cell, piece) in cells.iter_mut().zip(&self.cells) {
            if !piece.ends_with_newline && cell.text.ends_with('\n') {
                cell.text.pop();
                if cell.text.ends_with('\r') {
                    cell.text.pop();
                }
            }
        }
        Ok(cells)
    }
}

use sparkfix_transform::cells::separator;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_python_cells_and_splits_them_back() {
        let cells = [
            (1, "%pip install pyspark\ndf = spark.range(3)"),
            (2, "%%sql\nSELECT 1"),
            (
                4,
                "for i in range(2):\n    !echo $i\n%ls \\\n  -l\ndf.count()\n",
            ),
        ];
        let joined = Joined::new(cells).unwrap();
        assert_eq!(
            joined.text,
            "# sparkfix-notebook-cell 1\n# sparkfix-notebook-magic 0\ndf = spark.range(3)\n\
             # sparkfix-notebook-cell 4\n\
             for i in range(2):\n    pass  # sparkfix-notebook-magic 1\n\
             # sparkfix-notebook-magic 2\n# sparkfix-notebook-magic 3\ndf.count()\n"
        );
        let split = joined.split(&joined.text).unwrap();
        let texts: Vec<(usize, usize, &str, usize)> = split
            .iter()
            .map(|cell| (cell.index, cell.number, cell.text.as_str(), cell.first_line))
            .collect();
        assert_eq!(texts, [(0, 1, cells[0].1, 1), (2, 4, cells[2].1, 4)]);
    }

    #[test]
    fn a_fix_in_a_cell_stays_in_it() {
        let joined = Joined::new([(1, "a = 1"), (2, "b = 2\n")]).unwrap();
        let fixed = joined.text.replace("a = 1\n", "a = 1\na.cache()\n");
        let split = joined.split(&fixed).unwrap();
        assert_eq!(split[0].text, "a = 1\na.cache()");
        assert_eq!(split[1].text, "b = 2\n");
        assert_eq!(split[1].first_line, 4);
        assert!(joined.split(&format!("import x\n{fixed}")).is_err());
    }

    #[test]
    fn refuses_moved_marks_and_notebooks_holding_them() {
        let joined = Joined::new([(1, "!ls\na = 1"), (2, "b = 2")]).unwrap();
        let without_separator = joined.text.replace("# sparkfix-notebook-cell 2\n", "");
        let without_magic = joined.text.replace("# sparkfix-notebook-magic 0\n", "");
        for fixed in [without_separator, without_magic] {
            assert!(joined.split(&fixed).is_err(), "{fixed}");
        }
        let error = Joined::new([(3, "# sparkfix-notebook-cell 4")]).unwrap_err();
        assert!(error.starts_with("cell 3 holds"), "{error}");
    }
}
