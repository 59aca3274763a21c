//! IPython syntax in a code cell, which is not Python: a cell magic (`%%sql`) or a Databricks
//! language magic (`%sql`, `%md`...) on the first line makes the whole cell another language;
//! line magics (`%pip install`), shell escapes (`!ls`), help (`df?`) and assignments from them
//! (`files = !ls`) are lines IPython rewrites. They are found as IPython finds them: only where
//! a logical line starts (not inside brackets, strings or after a backslash), with a trailing
//! backslash continuing them.

/// What a cell holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellCode {
    /// Another language (`%%sql`, `%%bash`, Databricks' `%md`...): left out of the check.
    NotPython,
    /// Python, with the 0-based indexes of the lines that are IPython syntax.
    Python { magic_lines: Vec<usize> },
}

/// Cell magics whose body IPython runs as Python (as ruff lists them).
const PYTHON_CELL_MAGICS: &[&str] = &[
    "capture", "debug", "prun", "pypy", "python", "python3", "time", "timeit",
];

/// Databricks' language magics: on a cell's first line, the whole cell is that language.
const LANGUAGE_MAGICS: &[&str] = &["md", "md-sandbox", "sql", "scala", "r", "sh", "fs"];

/// Classifies the lines of a cell's `text`.
pub fn classify(text: &str) -> CellCode {
    let lines: Vec<&str> = text
        .split_inclusive('\n')
        .map(|line| line.trim_end_matches('\n').trim_end_matches('\r'))
        .collect();
    let mut magic_lines = Vec::new();
    let first = lines.iter().position(|line| !line.trim().is_empty());
    let mut start = 0;
    if let Some(first) = first {
        let head = lines[first].trim_start();
        if let Some(magic) = head.strip_prefix("%%") {
            if !PYTHON_CELL_MAGICS.contains(&magic_name(magic)) {
                return CellCode::NotPython;
            }
            magic_lines.push(first);
            start = first + 1;
        } else if let Some(magic) = head.strip_prefix('%')
            && LANGUAGE_MAGICS.contains(&magic_name(magic))
        {
            return CellCode::NotPython;
        }
    }
    let mut scan = Scan::default();
    let mut magic_continues = false;
    for (index, line) in lines.iter().enumerate().skip(start) {
        let at_start = scan.depth == 0 && scan.string.is_none() && !scan.continued;
        if magic_continues || (at_start && is_ipython_line(line)) {
            magic_lines.push(index);
            magic_continues = line.ends_with('\\');
            continue;
        }
        scan.line(line);
    }
    CellCode::Python { magic_lines }
}

/// The name of a magic: what follows `%` up to a space.
fn magic_name(after_percent: &str) -> &str {
    after_percent
        .split(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("")
}

/// Whether a line that starts a logical line is IPython syntax rather than Python.
fn is_ipython_line(line: &str) -> bool {
    let text = line.trim();
    if text.starts_with('%') || text.starts_with('?') {
        return true;
    }
    if text.starts_with('!') && !text.starts_with("!=") {
        return true;
    }
    if let Some(object) = text.strip_suffix('?') {
        let object = object.strip_suffix('?').unwrap_or(object);
        let mut chars = object.chars();
        if chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
            && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '*'))
        {
            return true;
        }
    }
    is_assignment_from_magic(text)
}

/// `files = !ls`, `result = %timeit -o f()`: targets (names, attributes, tuples of them), one
/// `=`, then `!` or `%`.
fn is_assignment_from_magic(text: &str) -> bool {
    let Some(equals) = text.find('=') else {
        return false;
    };
    let (targets, rest) = (&text[..equals], &text[equals + 1..]);
    let targets_ok = !targets.trim().is_empty()
        && targets
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | ',' | ' ' | '\t'));
    let value = rest.trim_start();
    targets_ok
        && !rest.starts_with('=')
        && (value.starts_with('%') || (value.starts_with('!') && !value.starts_with("!=")))
}

/// Where a scan of Python lines stands at a line's end.
#[derive(Debug, Default)]
struct Scan {
    /// Open brackets.
    depth: usize,
    /// The open string's quote and whether it is triple-quoted.
    string: Option<(u8, bool)>,
    /// The line ended with a backslash outside a string.
    continued: bool,
}

impl Scan {
    /// Moves the scan past one line (without its line ending).
    fn line(&mut self, line: &str) {
        let bytes = line.as_bytes();
        self.continued = false;
        let mut at = 0;
        let mut comment = false;
        while at < bytes.len() {
            let byte = bytes[at];
            if let Some((quote, triple)) = self.string {
                if byte == b'\\' {
                    at += 2;
                    continue;
                }
                if byte == quote {
                    if !triple {
                        self.string = None;
                    } else if bytes[at..].starts_with(&[quote; 3]) {
                        self.string = None;
                        at += 3;
                        continue;
                    }
                }
                at += 1;
                continue;
            }
            match byte {
                b'#' => {
                    comment = true;
                    break;
                }
                b'"' | b'\'' => {
                    let triple = bytes[at..].starts_with(&[byte; 3]);
                    self.string = Some((byte, triple));
                    at += if triple { 3 } else { 1 };
                    continue;
                }
                b'(' | b'[' | b'{' => self.depth += 1,
                b')' | b']' | b'}' => self.depth = self.depth.saturating_sub(1),
                _ => {}
            }
            at += 1;
        }
        let backslash = line.ends_with('\\') && !comment;
        match self.string {
            // A single-quoted string ends with its line unless a backslash continues it.
            Some((_, false)) if !line.ends_with('\\') => self.string = None,
            Some(_) => {}
            None => self.continued = backslash,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn magics(text: &str) -> Vec<usize> {
        match classify(text) {
            CellCode::Python { magic_lines } => magic_lines,
            CellCode::NotPython => panic!("not Python: {text}"),
        }
    }

    #[test]
    fn line_magics_shell_escapes_and_help() {
        let cell = "%pip install pyspark\n!ls -l\nfiles = !ls\nt = %timeit -o f()\ndf?\n\
                    spark.read??\n?spark\ndf = spark.range(3)\nif df:\n    %time df.count()\n";
        assert_eq!(magics(cell), [0, 1, 2, 3, 4, 5, 6, 9]);
    }

    #[test]
    fn only_where_a_logical_line_starts() {
        let cell = "same = (a\n        != b)\nq = \"\"\"\n%s\n!x\n\"\"\"\nr = 1 + \\\n    2\n\
                    x = a != b\ny = a == %s\nz = 5 % 2\n";
        assert_eq!(magics(cell), Vec::<usize>::new());
        // Backslashes continue a magic; a string's escapes do not end it early.
        let cell = "%pip install \\\n    pyspark\ns = 'it\\'s ('\n!ls\n";
        assert_eq!(magics(cell), [0, 1, 3]);
    }

    #[test]
    fn other_languages_are_left_out() {
        for cell in [
            "%%sql\nSELECT 1",
            "\n%%bash\nls",
            "%md\n# Title",
            "%sql SELECT 1",
        ] {
            assert_eq!(classify(cell), CellCode::NotPython, "{cell}");
        }
        assert_eq!(magics("%%time\ndf.count()\n"), [0]);
        assert_eq!(magics("%python\ndf.count()\n"), [0]);
    }
}
