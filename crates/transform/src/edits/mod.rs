//! Builders of edits that follow the file's style: appending a method call to an expression,
//! inserting a statement after or before another one, referring to a module member (with the
//! import it needs).

mod append_call;
mod import_member;
mod insert_statement;

pub use append_call::append_method_call;
pub use import_member::reference_member;
pub use insert_statement::{insert_after_statement, insert_before_statement};

use sparkfix_syntax::SourceFile;

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
