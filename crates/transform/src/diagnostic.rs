//! `Diagnostic`: one finding of one rule, with where it is and how to fix it.

use std::ops::Range;

use crate::edit::{Applicability, Fix};

/// A 1-based line and column; the column counts characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

/// A finding: which rule, where (bytes of the original text and the matching line and column),
/// what it means, and an optional fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule's code, such as `SPK001`.
    pub code: &'static str,
    /// The rule's kebab-case name, such as `cache-reused-dataframe`.
    pub name: &'static str,
    pub range: Range<usize>,
    pub location: Location,
    pub message: String,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// Whether this diagnostic's fix runs under the given `unsafe_fixes` setting.
    pub fn is_fixable(&self, unsafe_fixes: bool) -> bool {
        match &self.fix {
            Some(fix) => fix.applicability() == Applicability::Safe || unsafe_fixes,
            None => false,
        }
    }
}
