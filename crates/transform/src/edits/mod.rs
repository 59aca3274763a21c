//! Builders of edits that follow the file's style: appending a method call to an expression,
//! inserting a statement after or before another one, referring to a module member (with the
//! import it needs).

mod append_call;
mod import_member;
mod insert_statement;

pub use append_call::append_method_call;
pub use import_member::reference_member;
pub use insert_statement::{insert_after_statement, insert_before_statement};

use sparkfix_syntax::{SourceFile, SyntaxNode};

use crate::edit::Edit;

/// The leading whitespace of the line that contains `offset`.
pub(crate) fn line_indent(file: &SourceFile, offset: usize) -> &str {
    let start = file.lines().line_start(file.lines().line_of(offset));
    let line = &file.text()[start..];
    let width = line.len() - line.trim_start_matches([' ', '\t']).len();
    &line[..width]
}

/// The end of the line that contains `offset` (the offset of its line break, or the end of the
/// text), and whether only blanks or a comment come between `offset` and it.
pub(crate) fn rest_of_line(file: &SourceFile, offset: usize) -> (usize, bool) {
    let text = file.text();
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let end = if end > offset && text.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    };
    let rest = text[offset..end].trim_start_matches([' ', '\t']);
    (end, rest.is_empty() || rest.starts_with('#'))
}

/// Whether `statement` stands alone on its lines: only indentation before it, only blanks or a
/// comment after it.
pub(crate) fn stands_alone(file: &SourceFile, statement: SyntaxNode<'_>) -> bool {
    let line_start = file
        .lines()
        .line_start(file.lines().line_of(statement.start()));
    line_start + line_indent(file, statement.start()).len() == statement.start()
        && rest_of_line(file, statement.end()).1
}

/// Deletes the lines the statements stand on, line breaks included; where deleted lines had a
/// blank line before and after them, the one after goes too (no double gap is left).
pub(crate) fn delete_lines(file: &SourceFile, statements: &[SyntaxNode<'_>]) -> Vec<Edit> {
    let text = file.text();
    let line_end = |from: usize| {
        text[from..]
            .find('\n')
            .map_or(text.len(), |at| from + at + 1)
    };
    let mut ranges: Vec<std::ops::Range<usize>> = statements
        .iter()
        .map(|statement| {
            file.lines()
                .line_start(file.lines().line_of(statement.start()))
                ..line_end(statement.end())
        })
        .collect();
    ranges.sort_by_key(|range| range.start);
    let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
    for range in ranges {
        match merged.last_mut() {
            Some(last) if last.end >= range.start => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    let blank = |range: std::ops::Range<usize>| text[range].trim().is_empty();
    merged
        .into_iter()
        .map(|mut range| {
            let previous_blank = range.start > 0 && {
                let previous_start = text[..range.start - 1].rfind('\n').map_or(0, |at| at + 1);
                blank(previous_start..range.start)
            };
            if previous_blank && range.end < text.len() && blank(range.end..line_end(range.end)) {
                range.end = line_end(range.end);
            }
            Edit::replace(range, "")
        })
        .collect()
}
