//! Appends `.method()` to an expression in the style of its chain.

use sparkfix_syntax::views::Chain;
use sparkfix_syntax::{SourceFile, SyntaxNode};

use super::{line_indent, rest_of_line};
use crate::edit::Edit;

/// Appends `call` (such as `.cache()`) to `expr`.
///
/// - A chain written one call per line gets the new call on its own line, with the indentation of
///   the last call; outside brackets the line break gets a backslash continuation.
/// - When a comment follows the expression on its line and no brackets surround it, the call goes
///   on the same line, so the comment stays where it was.
/// - When the chain goes on after a backslash (`.drop(..) \` then `.write`), the call gets its
///   own continued line.
/// - An expression that is not a primary expression (`a if c else b`) is parenthesised first.
pub fn append_method_call(file: &SourceFile, expr: SyntaxNode<'_>, call: &str) -> Vec<Edit> {
    if !expr.is_primary() {
        return vec![
            Edit::insert(expr.start(), "("),
            Edit::insert(expr.end(), format!("){call}")),
        ];
    }
    let inner = expr.unparenthesized();
    let in_brackets = expr.is_parenthesized() || expr.is_inside_brackets();
    let end = inner.end();
    let Some(last_dot) = last_link_dot(file, inner) else {
        return vec![Edit::insert(end, call)];
    };
    let text = file.text();
    let before_dot = text[..last_dot].trim_end_matches([' ', '\t', '\r', '\n', '\\']);
    let one_call_per_line = text[before_dot.len()..last_dot].contains('\n');
    if !one_call_per_line {
        return vec![Edit::insert(end, call)];
    }
    let newline = file.style().line_ending.as_str();
    let indent = line_indent(file, last_dot);
    let (line_end, only_comment_follows) = rest_of_line(file, end);
    if in_brackets {
        // Inside parentheses a new line needs no continuation; put it after a trailing comment.
        let at = if only_comment_follows { line_end } else { end };
        return vec![Edit::insert(at, format!("{newline}{indent}{call}"))];
    }
    let trailing_comment = text[end..line_end].trim_start().starts_with('#');
    let rest = text[end..line_end].trim();
    if rest == "\\" {
        // The chain goes on after a backslash: the new call gets its own continued line.
        let before_backslash = &text[end..end + text[end..line_end].find('\\').unwrap_or(0)];
        return vec![Edit::insert(
            end,
            format!("{before_backslash}\\{newline}{indent}{call}"),
        )];
    }
    if trailing_comment || !only_comment_follows {
        return vec![Edit::insert(end, call)];
    }
    let spacing = if text[..last_dot]
        .trim_end_matches([' ', '\t', '\r', '\n'])
        .ends_with(" \\")
    {
        " "
    } else {
        ""
    };
    vec![Edit::insert(
        end,
        format!("{spacing}\\{newline}{indent}{call}"),
    )]
}

/// The offset of the `.` before the last link of a chain, if the expression is a chain.
fn last_link_dot(file: &SourceFile, expr: SyntaxNode<'_>) -> Option<usize> {
    let chain = Chain::of(expr);
    let last = chain.last()?;
    let attribute = match last.call {
        Some(call) => call.function().unparenthesized(),
        None => last.node,
    };
    let attribute = attribute.as_attribute()?;
    let name_start = attribute.name_node().start();
    let object_end = attribute.object().end();
    file.text()[object_end..name_start]
        .rfind('.')
        .map(|i| object_end + i)
}
