//! `SourceFile`: a Python text with its syntax tree, line index and style.

use std::sync::OnceLock;

use crate::line_index::{LineColumn, LineIndex};
use crate::parser;
use crate::style::Style;
use crate::syntax_error::{self, SyntaxError};
use crate::tree::Tree;
use crate::views::SyntaxNode;

/// A parsed Python file. Owns its text and tree; views borrow from it.
pub struct SourceFile {
    text: String,
    tree: Tree,
    lines: LineIndex,
    /// Detected on first use: only files that get a fix need it.
    style: OnceLock<Style>,
}

impl SourceFile {
    /// Parses `text` with this thread's parser. Never fails: syntax errors are nodes in the tree,
    /// see [`SourceFile::first_syntax_error`].
    pub fn parse(text: impl Into<String>) -> Self {
        let text = text.into();
        let tree = parser::parse(&text);
        let lines = LineIndex::new(&text);
        SourceFile {
            text,
            tree,
            lines,
            style: OnceLock::new(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn into_text(self) -> String {
        self.text
    }

    pub fn root(&self) -> SyntaxNode<'_> {
        SyntaxNode::new(self.tree.root(), &self.text)
    }

    pub fn style(&self) -> &Style {
        self.style.get_or_init(|| Style::detect(&self.text))
    }

    pub fn lines(&self) -> &LineIndex {
        &self.lines
    }

    pub fn line_column(&self, offset: usize) -> LineColumn {
        self.lines.line_column(&self.text, offset)
    }

    /// The first error CPython would report for this file, if any: an error or missing node of
    /// the tree, or what tree-sitter accepts and CPython refuses (indentation, Python 2 syntax,
    /// `return` outside a function...). One pass over the text and one over the tree.
    pub fn first_syntax_error(&self) -> Option<SyntaxError> {
        syntax_error::first(&self.text, self.tree.root())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_syntax_errors() {
        assert_eq!(SourceFile::parse("x = 1\n").first_syntax_error(), None);
        let file = SourceFile::parse("x = 1\ndef f(:\n    pass\n");
        let error = file.first_syntax_error().expect("a syntax error");
        assert_eq!(file.line_column(error.offset).line, 2);
        let file = SourceFile::parse("x = (1,\n");
        assert!(file.first_syntax_error().is_some());
    }

    #[test]
    fn deep_trees_do_not_overflow() {
        let chain = format!(
            "df = spark.read.parquet('p'){}\n",
            ".filter('x')".repeat(10_000)
        );
        let file = SourceFile::parse(chain);
        let error = file.first_syntax_error().expect("too deep for CPython");
        assert!(
            error.reason.starts_with("nested over 4000 levels deep"),
            "{error:?}"
        );
        assert!(file.root().descendants().count() > 10_000);
        // 1500 calls nest 3000 levels: as deep as CPython compiles, and accepted.
        let chain = format!("df = spark.read.parquet('p'){}\n", ".f()".repeat(1_400));
        assert_eq!(SourceFile::parse(chain).first_syntax_error(), None);
        let nested = format!("x = {}1{}\n", "(".repeat(100_000), ")".repeat(100_000));
        let file = SourceFile::parse(nested);
        assert!(file.root().descendants().count() > 100_000);
    }
}
