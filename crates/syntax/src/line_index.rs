//! Byte offset to line and column conversion.

/// A 1-based line and a 1-based column counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineColumn {
    pub line: usize,
    pub column: usize,
}

/// The start offset of every line of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(line_starts_after_newlines(text.as_bytes()));
        LineIndex { starts }
    }

    /// The 0-based line that contains `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset) - 1
    }

    /// The byte offset where 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line]
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The 1-based line and character column of `offset` in `text`.
    pub fn line_column(&self, text: &str, offset: usize) -> LineColumn {
        let line = self.line_of(offset);
        let start = self.starts[line];
        let column = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        LineColumn {
            line: line + 1,
            column,
        }
    }
}

fn line_starts_after_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let text = "ab\ncé d\n\nx";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        assert_eq!(
            index.line_column(text, 0),
            LineColumn { line: 1, column: 1 }
        );
        assert_eq!(
            index.line_column(text, 3),
            LineColumn { line: 2, column: 1 }
        );
        // `d` comes after a two-byte `é`: byte 7, character column 4.
        assert_eq!(
            index.line_column(text, 7),
            LineColumn { line: 2, column: 4 }
        );
        assert_eq!(
            index.line_column(text, 10),
            LineColumn { line: 4, column: 1 }
        );
        assert_eq!(index.line_of(2), 0);
    }
}
