//! Unified diffs of a file's original and fixed text, optionally colored.

use std::fmt::Write;
use std::time::Duration;

use similar::{ChangeTag, TextDiff};

use crate::color::Palette;

/// Lines of unchanged context around each change.
const CONTEXT: usize = 3;
/// Past this, the diff algorithm settles for a correct but possibly longer diff.
const TIMEOUT: Duration = Duration::from_secs(2);

/// The unified diff from `old` to `new` with `--- a/NAME` / `+++ b/NAME` headers; empty when the
/// texts are equal. A missing final newline is marked with `\ No newline at end of file`.
pub fn render(old: &str, new: &str, name: &str, palette: &Palette) -> String {
    let diff = TextDiff::configure().timeout(TIMEOUT).diff_lines(old, new);
    let mut unified = diff.unified_diff();
    unified.context_radius(CONTEXT).missing_newline_hint(true);
    let Palette {
        bold,
        red,
        green,
        cyan,
        reset,
    } = *palette;
    let mut out = String::new();
    for (index, hunk) in unified.iter_hunks().enumerate() {
        if index == 0 {
            let _ = writeln!(out, "{bold}--- a/{name}{reset}");
            let _ = writeln!(out, "{bold}+++ b/{name}{reset}");
        }
        let _ = writeln!(out, "{cyan}{}{reset}", hunk.header());
        for change in hunk.iter_changes() {
            let (sign, color) = match change.tag() {
                ChangeTag::Equal => (' ', ""),
                ChangeTag::Delete => ('-', red),
                ChangeTag::Insert => ('+', green),
            };
            let line = change.value();
            let text = line.strip_suffix('\n').unwrap_or(line);
            let end = if color.is_empty() { "" } else { reset };
            let _ = writeln!(out, "{color}{sign}{text}{end}");
            if change.missing_newline() {
                out.push_str("\\ No newline at end of file\n");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_output_is_similars_unified_diff() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\n";
        let new = "a\nb\nc\nd\nE\nf\ng\nh\ni\nj";
        let expected = TextDiff::from_lines(old, new)
            .unified_diff()
            .context_radius(3)
            .header("a/x.py", "b/x.py")
            .to_string();
        assert_eq!(render(old, new, "x.py", &Palette::PLAIN), expected);
        assert!(expected.contains("+j\n\\ No newline at end of file\n"));
        assert_eq!(render(old, old, "x.py", &Palette::PLAIN), "");
    }

    #[test]
    fn missing_final_newline_on_the_old_side() {
        let diff = render("x = 1", "x = 1\ny = 2\n", "x.py", &Palette::PLAIN);
        assert_eq!(
            diff,
            "--- a/x.py\n+++ b/x.py\n@@ -1 +1,2 @@\n-x = 1\n\\ No newline at end of file\n+x = 1\n+y = 2\n"
        );
    }

    #[test]
    fn colors_headers_hunks_and_lines() {
        let diff = render("a\n", "b\n", "x.py", &Palette::ANSI);
        assert_eq!(
            diff,
            "\x1b[1m--- a/x.py\x1b[0m\n\x1b[1m+++ b/x.py\x1b[0m\n\x1b[36m@@ -1 +1 @@\x1b[0m\n\
             \x1b[31m-a\x1b[0m\n\x1b[32m+b\x1b[0m\n"
        );
    }
}
