//! A Jupyter notebook's JSON: read with the byte span of each code cell's `source`, and written
//! back with only the changed sources replaced, in the notebook's own style (array or string,
//! the spacing around and between lines, ASCII escapes or not), every other byte kept.

use std::collections::HashMap;
use std::ops::Range;

use serde::Deserialize;
use serde_json::value::RawValue;

/// A notebook's text and its code cells.
#[derive(Debug)]
pub struct NotebookJson<'a> {
    text: &'a str,
    /// The code cells, in order.
    pub cells: Vec<CodeCell<'a>>,
    /// Whether the notebook writes non-ASCII characters as `\uXXXX` escapes.
    ascii_only: bool,
}

/// One code cell's `source`.
#[derive(Debug)]
pub struct CodeCell<'a> {
    /// The cell's 1-based position among all the notebook's cells (as Jupyter and ruff count).
    pub number: usize,
    /// The source's text: the lines joined.
    pub text: String,
    /// The bytes of the `source` value.
    span: Range<usize>,
    form: Form<'a>,
}

/// How a cell's source is spelled.
#[derive(Debug)]
enum Form<'a> {
    /// A JSON string.
    Text,
    /// An array of lines (nbformat's way): each line's text and its JSON spelling, and the bytes
    /// between `[` and the first line, between lines, and before `]`, when the array shows them.
    Lines {
        lines: Vec<(String, &'a str)>,
        open: Option<&'a str>,
        separator: Option<&'a str>,
        close: Option<&'a str>,
    },
}

/// Why a file is not a notebook sparkfix can read.
pub type NotJson = String;

#[derive(Deserialize)]
struct RawNotebook<'a> {
    #[serde(borrow, default)]
    cells: Option<Vec<RawCell<'a>>>,
    #[serde(default)]
    metadata: Option<RawMetadata>,
    #[serde(default)]
    nbformat: Option<u64>,
}

#[derive(Deserialize)]
struct RawCell<'a> {
    cell_type: String,
    #[serde(borrow, default)]
    source: Option<&'a RawValue>,
}

#[derive(Deserialize, Default)]
struct RawMetadata {
    #[serde(default)]
    language_info: Option<LanguageInfo>,
    #[serde(default)]
    kernelspec: Option<KernelSpec>,
}

#[derive(Deserialize)]
struct LanguageInfo {
    #[serde(default)]
    name: Option<String>,
}

#[derive(Deserialize)]
struct KernelSpec {
    #[serde(default)]
    language: Option<String>,
}

/// What reading a notebook gave.
#[derive(Debug)]
pub enum Read<'a> {
    Notebook(NotebookJson<'a>),
    /// A notebook of another language (R, Scala...): nothing to check.
    NotPython,
}

/// Reads `text` as an nbformat 4 notebook.
pub fn read(text: &str) -> Result<Read<'_>, NotJson> {
    // A byte-order mark is not JSON; the spans below stay offsets of `text`.
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw: RawNotebook =
        serde_json::from_str(body).map_err(|error| format!("not a valid notebook: {error}"))?;
    let Some(raw_cells) = raw.cells else {
        return Err(match raw.nbformat {
            Some(version) if version < 4 => {
                format!("nbformat {version} notebooks are not supported (only 4)")
            }
            _ => "not a valid notebook: it has no \"cells\" list".to_string(),
        });
    };
    let metadata = raw.metadata.unwrap_or_default();
    let language = metadata
        .language_info
        .and_then(|info| info.name)
        .or_else(|| metadata.kernelspec.and_then(|spec| spec.language));
    if let Some(language) = language
        && !language.eq_ignore_ascii_case("python")
    {
        return Ok(Read::NotPython);
    }
    let mut cells = Vec::new();
    for (index, cell) in raw_cells.into_iter().enumerate() {
        let number = index + 1;
        let Some(source) = cell.source.filter(|_| cell.cell_type == "code") else {
            continue;
        };
        cells.push(code_cell(text, number, source)?);
    }
    Ok(Read::Notebook(NotebookJson {
        text,
        cells,
        ascii_only: text.is_ascii() && has_non_ascii_escape(text),
    }))
}

fn code_cell<'a>(
    text: &'a str,
    number: usize,
    source: &'a RawValue,
) -> Result<CodeCell<'a>, NotJson> {
    let raw = source.get();
    let span = span_of(text, raw);
    let bad = |what: &str| format!("not a valid notebook: cell {number}'s source {what}");
    if raw.starts_with('"') {
        let decoded: String = serde_json::from_str(raw).map_err(|_| bad("is not a string"))?;
        return Ok(CodeCell {
            number,
            text: decoded,
            span,
            form: Form::Text,
        });
    }
    let items: Vec<&RawValue> =
        serde_json::from_str(raw).map_err(|_| bad("is neither a string nor a list"))?;
    let mut lines = Vec::with_capacity(items.len());
    for item in &items {
        let line: String = serde_json::from_str(item.get())
            .map_err(|_| bad("holds something other than strings"))?;
        lines.push((line, item.get()));
    }
    let spans: Vec<Range<usize>> = items.iter().map(|item| span_of(text, item.get())).collect();
    let (open, separator, close) = match (spans.first(), spans.last()) {
        (Some(first), Some(last)) => (
            Some(&text[span.start + 1..first.start]),
            spans.get(1).map(|second| &text[first.end..second.start]),
            Some(&text[last.end..span.end - 1]),
        ),
        _ => (None, None, None),
    };
    Ok(CodeCell {
        number,
        text: lines.iter().map(|(line, _)| line.as_str()).collect(),
        span,
        form: Form::Lines {
            lines,
            open,
            separator,
            close,
        },
    })
}

/// The bytes `part` (a slice of `whole`) covers in `whole`.
fn span_of(whole: &str, part: &str) -> Range<usize> {
    let start = part.as_ptr() as usize - whole.as_ptr() as usize;
    start..start + part.len()
}

/// Whether `text` spells a non-ASCII character as a `\uXXXX` escape somewhere.
fn has_non_ascii_escape(text: &str) -> bool {
    text.match_indices("\\u").any(|(at, _)| {
        let escaped = text[..at].bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1;
        !escaped
            && text
                .get(at + 2..at + 6)
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .is_some_and(|code| code >= 0x80)
    })
}

impl NotebookJson<'_> {
    /// The notebook's text with the sources of the cells in `changed` (indexes into `cells`,
    /// with their new text) replaced, every other byte as it was.
    pub fn render(&self, changed: &[(usize, &str)]) -> String {
        let mut out = String::with_capacity(self.text.len() + 256);
        let mut at = 0;
        let mut changed: Vec<&(usize, &str)> = changed.iter().collect();
        changed.sort_by_key(|(index, _)| *index);
        for &&(index, new_text) in &changed {
            let cell = &self.cells[index];
            out.push_str(&self.text[at..cell.span.start]);
            out.push_str(&self.spell(cell, new_text));
            at = cell.span.end;
        }
        out.push_str(&self.text[at..]);
        out
    }

    /// `new_text` spelled as `cell`'s source is: lines it already had keep their spelling.
    fn spell(&self, cell: &CodeCell, new_text: &str) -> String {
        let Form::Lines {
            lines,
            open,
            separator,
            close,
        } = &cell.form
        else {
            return self.encode(new_text);
        };
        let new_lines: Vec<&str> = new_text.split_inclusive('\n').collect();
        if new_lines.is_empty() {
            return "[]".to_string();
        }
        let known: HashMap<&str, &str> = lines
            .iter()
            .map(|(line, spelled)| (line.as_str(), *spelled))
            .collect();
        let (open, separator, close) = match (open, separator, close) {
            (Some(open), separator, Some(close)) => (
                open.to_string(),
                separator
                    .map(|s| s.to_string())
                    .or_else(|| self.any_separator())
                    .unwrap_or_else(|| format!(",{open}")),
                close.to_string(),
            ),
            _ => self.default_spacing(cell),
        };
        let mut out = String::from("[");
        out.push_str(&open);
        for (index, line) in new_lines.iter().enumerate() {
            if index > 0 {
                out.push_str(&separator);
            }
            match known.get(line) {
                Some(spelled) => out.push_str(spelled),
                None => out.push_str(&self.encode(line)),
            }
        }
        out.push_str(&close);
        out.push(']');
        out
    }

    /// The separator between lines of another cell with two lines or more.
    fn any_separator(&self) -> Option<String> {
        self.cells.iter().find_map(|cell| match &cell.form {
            Form::Lines {
                separator: Some(separator),
                ..
            } => Some(separator.to_string()),
            _ => None,
        })
    }

    /// nbformat's spacing (a line per item, one space deeper than the `"source"` key), for a
    /// cell whose source was an empty list.
    fn default_spacing(&self, cell: &CodeCell) -> (String, String, String) {
        let before = &self.text[..cell.span.start];
        let line_start = before.rfind('\n').map_or(0, |at| at + 1);
        let indent: String = before[line_start..]
            .chars()
            .take_while(|c| c.is_whitespace())
            .collect();
        let newline = if before.ends_with('\r') || self.text.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        (
            format!("{newline}{indent} "),
            format!(",{newline}{indent} "),
            format!("{newline}{indent}"),
        )
    }

    /// `text` as a JSON string, escaped as Python's `json` module does (with `ensure_ascii` when
    /// the notebook escapes non-ASCII characters).
    fn encode(&self, text: &str) -> String {
        let plain = serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string());
        if !self.ascii_only || plain.is_ascii() {
            return plain;
        }
        let mut out = String::with_capacity(plain.len() + 16);
        for c in plain.chars() {
            if c.is_ascii() {
                out.push(c);
            } else {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTEBOOK: &str = r##"{
 "cells": [
  {
   "cell_type": "markdown",
   "metadata": {},
   "source": ["# Title"]
  },
  {
   "cell_type": "code",
   "execution_count": null,
   "metadata": {},
   "outputs": [],
   "source": [
    "df = spark.read.parquet(\"s3://b/t\")\n",
    "df.count()"
   ]
  },
  {
   "cell_type": "code",
   "metadata": {},
   "source": "x = 1\n"
  }
 ],
 "metadata": {"language_info": {"name": "python"}},
 "nbformat": 4,
 "nbformat_minor": 5
}
"##;

    fn notebook(text: &str) -> NotebookJson<'_> {
        match read(text).unwrap() {
            Read::Notebook(notebook) => notebook,
            Read::NotPython => panic!("read as another language"),
        }
    }

    #[test]
    fn reads_code_cells_with_their_numbers() {
        let notebook = notebook(NOTEBOOK);
        let cells: Vec<(usize, &str)> = notebook
            .cells
            .iter()
            .map(|cell| (cell.number, cell.text.as_str()))
            .collect();
        assert_eq!(
            cells,
            [
                (2, "df = spark.read.parquet(\"s3://b/t\")\ndf.count()"),
                (3, "x = 1\n")
            ]
        );
    }

    #[test]
    fn renders_nothing_changed_byte_for_byte() {
        assert_eq!(notebook(NOTEBOOK).render(&[]), NOTEBOOK);
        let notebook = notebook(NOTEBOOK);
        let same = notebook.cells[0].text.clone();
        assert_eq!(notebook.render(&[(0, &same)]), NOTEBOOK);
    }

    #[test]
    fn replaces_only_the_changed_source_in_its_style() {
        let notebook = notebook(NOTEBOOK);
        let new = "df = spark.read.parquet(\"s3://b/t\")\ndf.cache()\ndf.count()";
        let rendered = notebook.render(&[(0, new)]);
        let expected = NOTEBOOK.replace(
            "    \"df.count()\"",
            "    \"df.cache()\\n\",\n    \"df.count()\"",
        );
        assert_eq!(rendered, expected);
        let string_cell = notebook.render(&[(1, "x = 2\ny = \"é\"\n")]);
        assert!(
            string_cell.contains(r#""source": "x = 2\ny = \"é\"\n""#),
            "{string_cell}"
        );
    }

    #[test]
    fn keeps_ascii_escapes_when_the_notebook_uses_them() {
        let text = r#"{"cells": [{"cell_type": "code", "source": ["s = \"\u00e9\"\n", "x"]}]}"#;
        let notebook = notebook(text);
        assert_eq!(notebook.cells[0].text, "s = \"é\"\nx");
        let rendered = notebook.render(&[(0, "s = \"é\"\nt = \"ü\"\nx")]);
        assert_eq!(
            rendered,
            r#"{"cells": [{"cell_type": "code", "source": ["s = \"\u00e9\"\n", "t = \"\u00fc\"\n", "x"]}]}"#
        );
    }

    #[test]
    fn an_empty_source_gets_nbformat_spacing() {
        let text =
            "{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n   \"source\": []\n  }\n ]\n}\n";
        let rendered = notebook(text).render(&[(0, "a\nb")]);
        assert!(
            rendered.contains("   \"source\": [\n    \"a\\n\",\n    \"b\"\n   ]"),
            "{rendered}"
        );
    }

    #[test]
    fn other_languages_and_bad_files() {
        let scala = r#"{"cells": [], "metadata": {"kernelspec": {"language": "scala"}}}"#;
        assert!(matches!(read(scala), Ok(Read::NotPython)));
        assert_eq!(
            read(r#"{"worksheets": [], "nbformat": 3}"#).unwrap_err(),
            "nbformat 3 notebooks are not supported (only 4)"
        );
        assert_eq!(
            read("{}").unwrap_err(),
            "not a valid notebook: it has no \"cells\" list"
        );
        let broken = read("{\"cells\": [\n").unwrap_err();
        assert!(broken.starts_with("not a valid notebook: EOF"), "{broken}");
        let not_lines = read(r#"{"cells": [{"cell_type": "code", "source": [1]}]}"#).unwrap_err();
        assert_eq!(
            not_lines,
            "not a valid notebook: cell 1's source holds something other than strings"
        );
    }
}
