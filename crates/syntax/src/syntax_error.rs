//! `SyntaxError`: where and why CPython would refuse to compile a file, found by the tokenizer
//! pass (`tokenizer.rs`) and the tree walk (`tree_check.rs`) and ranked as CPython ranks them.

use std::fmt;

use crate::tree::Node;
use crate::{tokenizer, tree_check};

/// The first error CPython would report for a file: a byte offset and CPython's message
/// (`unexpected indent`, `Missing parentheses in call to 'print'. Did you mean print(...)?`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub offset: usize,
    pub reason: String,
}

impl SyntaxError {
    pub fn new(offset: usize, reason: String) -> Self {
        SyntaxError { offset, reason }
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for SyntaxError {}

/// The error CPython would report first for `text`, whose tree is under `root`: a tokenizer or
/// indentation error wherever it is (CPython checks the whole token stream when parsing fails),
/// else the first parser error, else the first compiler error.
pub(crate) fn first(text: &str, root: Node<'_>) -> Option<SyntaxError> {
    let lexical = tokenizer::scan(text);
    if lexical.tokenizer.is_some() {
        return lexical.tokenizer;
    }
    let tree = tree_check::scan(root, text, lexical.parser);
    tree.parser.or(tree.compiler)
}
