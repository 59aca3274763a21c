//! The text style of a file that new text must follow: line ending and indentation unit.

/// The line ending a file uses (the first one found decides).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineEnding {
    Lf,
    CrLf,
}

impl LineEnding {
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
        }
    }

    fn detect(text: &str) -> Self {
        match text.as_bytes().iter().position(|&b| b == b'\n') {
            Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => LineEnding::CrLf,
            _ => LineEnding::Lf,
        }
    }
}

/// How a file writes line endings and one level of indentation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Style {
    pub line_ending: LineEnding,
    /// One indentation level: a tab, or the smallest run of leading spaces seen (4 if none).
    pub indent_unit: String,
}

impl Style {
    pub fn detect(text: &str) -> Self {
        Style {
            line_ending: LineEnding::detect(text),
            indent_unit: detect_indent_unit(text),
        }
    }
}

fn detect_indent_unit(text: &str) -> String {
    let mut smallest_spaces: Option<usize> = None;
    for line in text.lines() {
        let trimmed = line.trim_start_matches([' ', '\t']);
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let leading = &line[..line.len() - trimmed.len()];
        if leading.starts_with('\t') {
            return "\t".to_owned();
        }
        if !leading.is_empty() && leading.bytes().all(|b| b == b' ') {
            smallest_spaces = Some(smallest_spaces.map_or(leading.len(), |s| s.min(leading.len())));
        }
    }
    " ".repeat(smallest_spaces.unwrap_or(4))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_line_ending_and_indent() {
        let style = Style::detect("def f():\r\n\tx = 1\r\n");
        assert_eq!(style.line_ending, LineEnding::CrLf);
        assert_eq!(style.indent_unit, "\t");
        let style = Style::detect("if x:\n  y = (1,\n         2)\n");
        assert_eq!(style.line_ending, LineEnding::Lf);
        assert_eq!(style.indent_unit, "  ");
        assert_eq!(Style::detect("x = 1").indent_unit, "    ");
    }
}
