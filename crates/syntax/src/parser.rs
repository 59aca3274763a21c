//! Parsing: sparkfix's own parser (`python/`) first; where it gives up, one tree-sitter parser
//! per thread, reused for every file that thread parses, whose tree is copied into a [`Tree`]
//! and dropped. Both build the same tree.

use std::cell::RefCell;

use tree_sitter::Parser;

use crate::tree::Tree;

thread_local! {
    static PARSER: RefCell<Parser> = RefCell::new(new_parser());
}

fn new_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .expect("tree-sitter-python is compatible with the linked tree-sitter");
    parser
}

/// Parses Python source. Never fails: tree-sitter turns bad syntax into error nodes.
pub(crate) fn parse(text: &str) -> Tree {
    crate::python::parse(text).unwrap_or_else(|_| Tree::from_tree_sitter(&parse_tree_sitter(text)))
}

/// tree-sitter's own tree for `text`.
pub(crate) fn parse_tree_sitter(text: &str) -> tree_sitter::Tree {
    PARSER.with(|parser| {
        parser
            .borrow_mut()
            .parse(text, None)
            .expect("parsing without a timeout or cancellation flag always yields a tree")
    })
}
