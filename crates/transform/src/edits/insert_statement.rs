//! Inserts a new statement next to an existing one, with the same indentation and line ending.

use sparkfix_syntax::{SourceFile, SyntaxNode};

use super::{line_indent, rest_of_line};
use crate::edit::Edit;

/// Inserts `statement` on a new line after `stmt` (after its trailing comment, if any), at the
/// indentation of the line where `stmt` starts.
pub fn insert_after_statement(file: &SourceFile, stmt: SyntaxNode<'_>, statement: &str) -> Edit {
    let newline = file.style().line_ending.as_str();
    let indent = line_indent(file, stmt.start());
    let (line_end, only_comment_follows) = rest_of_line(file, stmt.end());
    let at = if only_comment_follows {
        line_end
    } else {
        stmt.end()
    };
    Edit::insert(at, format!("{newline}{indent}{statement}"))
}

/// Inserts `statement` on its own line before `stmt`, at the same indentation.
pub fn insert_before_statement(file: &SourceFile, stmt: SyntaxNode<'_>, statement: &str) -> Edit {
    let newline = file.style().line_ending.as_str();
    let indent = line_indent(file, stmt.start());
    Edit::insert(stmt.start(), format!("{statement}{newline}{indent}"))
}
