//! Python parsing for sparkfix: syntax trees (tree-sitter's parse, copied into one array), typed views over the nodes the rules need,
//! byte ranges, and the text style (line ending, indentation) of a file.
//!
//! Nothing outside this crate names a tree-sitter node kind or a child index: the views in
//! [`views`] answer those questions.

mod kinds;
mod line_index;
mod parser;
mod python;
mod source_file;
mod style;
mod syntax_error;
mod tokenizer;
mod tree;
mod tree_check;
pub mod views;
mod walk;

pub use line_index::{LineColumn, LineIndex};
#[doc(hidden)]
pub use python::{Parity, parity};
pub use source_file::SourceFile;
pub use style::{LineEnding, Style};
pub use syntax_error::SyntaxError;
pub use tree::Node;
pub use views::SyntaxNode;
pub use walk::Preorder;

/// What `examples/parse_cost.rs` measures: one parser alone on a text (the node count, or
/// `None` when sparkfix's parser gives up). Not for other uses.
#[doc(hidden)]
pub mod parse_cost {
    /// tree-sitter's parse, without the copy into sparkfix's tree.
    pub fn tree_sitter(text: &str) -> usize {
        crate::parser::parse_tree_sitter(text)
            .root_node()
            .descendant_count()
    }

    /// sparkfix's own parser.
    pub fn sparkfix(text: &str) -> Option<usize> {
        crate::python::parse(text).ok().map(|tree| tree.len())
    }
}
