//! `SourceFile`: a Python text with its syntax tree, line index and style.

use std::sync::OnceLock;

use tree_sitter::Tree;

use crate::line_index::{LineColumn, LineIndex};
use crate::parser;
use crate::style::Style;
use crate::views::SyntaxNode;
use crate::walk::Preorder;

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
        SyntaxNode::new(self.tree.root_node(), &self.text)
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

    /// The byte offset of the first syntax error (an error or a missing node), if any.
    pub fn first_syntax_error(&self) -> Option<usize> {
        let root = self.tree.root_node();
        if !root.has_error() {
            return None;
        }
        let mut walk = Preorder::new(root);
        while let Some(node) = walk.next() {
            if node.is_error() || node.is_missing() {
                return Some(node.start_byte());
            }
            if !node.has_error() {
                walk.skip_children();
            }
        }
        Some(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_syntax_errors() {
        assert_eq!(SourceFile::parse("x = 1\n").first_syntax_error(), None);
        let file = SourceFile::parse("x = 1\ndef f(:\n    pass\n");
        let offset = file.first_syntax_error().expect("a syntax error");
        assert_eq!(file.line_column(offset).line, 2);
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
        assert_eq!(file.first_syntax_error(), None);
        assert!(file.root().descendants().count() > 10_000);
        let nested = format!("x = {}1{}\n", "(".repeat(100_000), ")".repeat(100_000));
        let file = SourceFile::parse(nested);
        assert!(file.root().descendants().count() > 100_000);
    }
}
