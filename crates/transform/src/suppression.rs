//! Suppression comments, as flake8 and ruff users write them:
//! - `# noqa` (every rule) or `# noqa: SPK001, SPK002` (those rules; codes of other tools are
//!   ignored, so `# noqa: E501` silences nothing here), and `# sparkfix: ignore` or
//!   `# sparkfix: ignore[SPK001, broadcast-small-table]` (codes or names), on the line where a
//!   finding starts or on the first line of the statement that holds it (so a multi-line chain
//!   is silenced from its first line);
//! - `# sparkfix: ignore-file`, optionally with `[rules]`, among the file's leading comments
//!   (before its first statement other than a docstring).
//!
//! A comment may hold several directives separated by `#` (`# type: ignore  # noqa: SPK001`).
//! Every directive keeps where it and each of its entries are, so that the unused-suppression
//! rule can say which silenced nothing and remove exactly that.

use std::collections::HashMap;
use std::ops::Range;

use sparkfix_syntax::{SourceFile, SyntaxNode};

use crate::diagnostic::Diagnostic;

/// The kind of a directive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `# noqa`, `# noqa: CODES`.
    Noqa,
    /// `# sparkfix: ignore`, `# sparkfix: ignore[RULES]`.
    Ignore,
    /// `# sparkfix: ignore-file`, `# sparkfix: ignore-file[RULES]`, among the leading comments.
    IgnoreFile,
}

/// One code or name of a directive's list, as written, and its bytes in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub text: String,
    pub range: Range<usize>,
    /// A sparkfix rule's code or name (of a `noqa` list: an `SPK` code; another tool's codes,
    /// such as `E501`, are kept only to be written back).
    pub ours: bool,
}

/// One directive of a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub kind: Kind,
    /// Its bytes: from its `#` to its last non-blank character.
    pub range: Range<usize>,
    /// The bytes of the comment that holds it.
    pub comment: Range<usize>,
    /// The 1-based line of the comment.
    pub line: usize,
    /// The rules it names; `None` for every rule (a bare `# noqa`, `# sparkfix: ignore`).
    pub entries: Option<Vec<Entry>>,
}

/// What silenced a finding: a directive (by index) and, for a list, the entry (by index).
pub type Use = (usize, Option<usize>);

impl Directive {
    /// The entry (or `None` for a bare directive) that covers rule `code` named `name`.
    fn covering(&self, code: &str, name: &str) -> Option<Option<usize>> {
        match &self.entries {
            None => Some(None),
            Some(entries) => entries
                .iter()
                .position(|entry| {
                    entry.ours && (entry.text.eq_ignore_ascii_case(code) || entry.text == name)
                })
                .map(Some),
        }
    }

    /// Whether it can silence anything of ours (a `noqa` of other tools' codes cannot).
    fn is_ours(&self) -> bool {
        self.entries
            .as_ref()
            .is_none_or(|entries| entries.iter().any(|entry| entry.ours))
    }
}

/// The suppression comments of one file.
#[derive(Debug, Default)]
pub struct Suppressions {
    pub directives: Vec<Directive>,
    /// By 1-based line: the line directives on it.
    lines: HashMap<usize, Vec<usize>>,
    /// The file directives.
    file_wide: Vec<usize>,
}

impl Suppressions {
    /// The suppressions of `file`; empty (and no tree walk) when its text names none.
    pub fn of(file: &SourceFile) -> Suppressions {
        let text = file.text().as_bytes();
        let mut suppressions = Suppressions::default();
        if !may_hold_directives(text) {
            return suppressions;
        }
        let root = file.root();
        let leading_end = leading_comments_end(root);
        for node in root.descendants().filter(SyntaxNode::is_comment) {
            let line = file.line_column(node.start()).line;
            for directive in directives(node.text(), node.start(), line) {
                if directive.kind == Kind::IgnoreFile && node.start() >= leading_end {
                    continue;
                }
                if !directive.is_ours() {
                    continue;
                }
                let index = suppressions.directives.len();
                match directive.kind {
                    Kind::IgnoreFile => suppressions.file_wide.push(index),
                    _ => suppressions.lines.entry(line).or_default().push(index),
                }
                suppressions.directives.push(directive);
            }
        }
        suppressions
    }

    pub fn is_empty(&self) -> bool {
        self.directives.is_empty()
    }

    /// Whether a comment silences `diagnostic`.
    pub fn suppresses(&self, file: &SourceFile, diagnostic: &Diagnostic) -> bool {
        !self.uses(file, diagnostic).is_empty()
    }

    /// Every directive (and entry) that silences `diagnostic`: the file's, those on the line
    /// where it starts, and those on the first line of the statement that holds it.
    pub fn uses(&self, file: &SourceFile, diagnostic: &Diagnostic) -> Vec<Use> {
        let (code, name) = (diagnostic.code, diagnostic.name);
        let mut uses = Vec::new();
        let mut collect = |indexes: &[usize]| {
            for &index in indexes {
                if let Some(entry) = self.directives[index].covering(code, name) {
                    uses.push((index, entry));
                }
            }
        };
        collect(&self.file_wide);
        let start_line = diagnostic.location.line;
        if let Some(indexes) = self.lines.get(&start_line) {
            collect(indexes);
        }
        let statement_line = file
            .root()
            .covering(diagnostic.range.clone())
            .enclosing_statement()
            .map(|statement| file.line_column(statement.start()).line);
        if let Some(line) = statement_line.filter(|&line| line != start_line)
            && let Some(indexes) = self.lines.get(&line)
        {
            collect(indexes);
        }
        uses
    }

    /// Whether some directive could silence rule `code` named `name`: a bare `sparkfix:`
    /// directive, or one naming it.
    pub fn may_name(&self, code: &str, name: &str) -> bool {
        self.directives
            .iter()
            .any(|directive| match &directive.entries {
                None => directive.kind != Kind::Noqa,
                Some(_) => directive.covering(code, name).is_some(),
            })
    }
}

/// Whether some `#` in `text` is followed on its line by `noqa` or `sparkfix:`, in any case: a
/// byte search much cheaper than walking the tree for comments (`memchr` finds each `#`).
fn may_hold_directives(text: &[u8]) -> bool {
    memchr::memchr_iter(b'#', text).any(|hash| {
        let rest = &text[hash..];
        let line = &rest[..memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len())];
        let holds = |needle: &[u8]| {
            line.windows(needle.len())
                .any(|window| window.eq_ignore_ascii_case(needle))
        };
        holds(b"noqa") || holds(b"sparkfix:")
    })
}

/// Where the file's leading comments end: the start of its first statement that is not a
/// docstring (the end of the text when it has none).
fn leading_comments_end(root: SyntaxNode<'_>) -> usize {
    root.children()
        .find(|statement| {
            !(statement.kind() == "expression_statement"
                && statement.children().count() == 1
                && statement.children().all(|child| child.is_string()))
        })
        .map_or(root.end(), |statement| statement.start())
}

/// The directives of one comment's text (`# ...`), which starts at byte `start` on `line`.
fn directives(comment: &str, start: usize, line: usize) -> Vec<Directive> {
    let hashes: Vec<usize> = comment.match_indices('#').map(|(at, _)| at).collect();
    let mut found = Vec::new();
    for (index, &hash) in hashes.iter().enumerate() {
        let end = hashes.get(index + 1).copied().unwrap_or(comment.len());
        let part = &comment[hash + 1..end];
        let body = part.trim_start();
        let body_start = hash + 1 + (part.len() - body.len());
        let body = body.trim_end();
        if let Some((kind, entries)) = directive(body, start + body_start) {
            found.push(Directive {
                kind,
                range: start + hash..start + body_start + body.len(),
                comment: start..start + comment.len(),
                line,
                entries,
            });
        }
    }
    found
}

/// One directive's kind and entries, from its text after the `#` (which starts at `offset`).
fn directive(part: &str, offset: usize) -> Option<(Kind, Option<Vec<Entry>>)> {
    let lower = part.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("noqa") {
        if rest.trim().is_empty() {
            return Some((Kind::Noqa, None));
        }
        let after = rest.trim_start();
        let list = after.strip_prefix(':')?;
        let list_at = offset + part.len() - list.len();
        let entries = split_list(&part[part.len() - list.len()..], list_at, |c| {
            c == ',' || c.is_whitespace()
        })
        .into_iter()
        .map(|(text, range)| Entry {
            ours: is_our_code(&text),
            text: if is_our_code(&text) {
                text.to_ascii_uppercase()
            } else {
                text
            },
            range,
        })
        .collect();
        return Some((Kind::Noqa, Some(entries)));
    }
    let rest = lower.strip_prefix("sparkfix:")?;
    let trimmed = rest.trim_start();
    let at = part.len() - trimmed.len();
    let (kind, after) = if trimmed.starts_with("ignore-file") {
        (Kind::IgnoreFile, at + "ignore-file".len())
    } else if trimmed.starts_with("ignore") {
        (Kind::Ignore, at + "ignore".len())
    } else {
        return None;
    };
    let tail = part[after..].trim();
    if tail.is_empty() {
        return Some((kind, None));
    }
    let inner_at = after + (part[after..].len() - part[after..].trim_start().len()) + 1;
    let inner = tail.strip_prefix('[')?.split(']').next()?;
    let entries = split_list(inner, offset + inner_at, |c| c == ',')
        .into_iter()
        .map(|(text, range)| Entry {
            text,
            range,
            ours: true,
        })
        .collect();
    Some((kind, Some(entries)))
}

/// The non-empty items of `text` (which starts at byte `offset`) between `separator`s, trimmed,
/// with their bytes.
fn split_list(
    text: &str,
    offset: usize,
    separator: impl Fn(char) -> bool,
) -> Vec<(String, Range<usize>)> {
    let mut items = Vec::new();
    let mut start = 0;
    for (at, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ',')))
    {
        if at == text.len() || separator(c) {
            let item = &text[start..at];
            let trimmed = item.trim();
            if !trimmed.is_empty() {
                let lead = item.len() - item.trim_start().len();
                let from = offset + start + lead;
                items.push((trimmed.to_owned(), from..from + trimmed.len()));
            }
            start = at + c.len_utf8();
        }
    }
    items
}

/// An `SPK` code of a `noqa` list (`SPK001`, any case).
fn is_our_code(code: &str) -> bool {
    code.len() > 3
        && code.as_bytes()[..3].eq_ignore_ascii_case(b"SPK")
        && code[3..].chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kind and the entries (ours only) of each directive in `comment`.
    fn read(comment: &str) -> Vec<(Kind, Option<Vec<String>>)> {
        directives(comment, 0, 1)
            .into_iter()
            .filter(Directive::is_ours)
            .map(|d| {
                let entries = d.entries.map(|entries| {
                    entries
                        .into_iter()
                        .filter(|e| e.ours)
                        .map(|e| e.text)
                        .collect()
                });
                (d.kind, entries)
            })
            .collect()
    }

    fn list(items: &[&str]) -> Option<Vec<String>> {
        Some(items.iter().map(|item| item.to_string()).collect())
    }

    #[test]
    fn a_code_may_hold_any_character() {
        assert!(is_our_code("SPK001") && is_our_code("spk1"));
        assert!(!is_our_code("`\u{fffd}") && !is_our_code("S\u{e9}K1") && !is_our_code("SPK"));
    }

    #[test]
    fn reads_the_directives_ruff_and_flake8_users_write() {
        assert_eq!(read("# noqa"), [(Kind::Noqa, None)]);
        assert_eq!(read("# NOQA"), [(Kind::Noqa, None)]);
        assert_eq!(
            read("# noqa: SPK001, spk002"),
            [(Kind::Noqa, list(&["SPK001", "SPK002"]))]
        );
        assert_eq!(read("# noqa:SPK005"), [(Kind::Noqa, list(&["SPK005"]))]);
        // Another tool's codes silence nothing here.
        assert!(read("# noqa: E501").is_empty());
        assert_eq!(
            read("# type: ignore  # noqa: E501,SPK003"),
            [(Kind::Noqa, list(&["SPK003"]))]
        );
        assert_eq!(read("# sparkfix: ignore"), [(Kind::Ignore, None)]);
        assert_eq!(
            read("# sparkfix: ignore[SPK001, broadcast-small-table]"),
            [(Kind::Ignore, list(&["SPK001", "broadcast-small-table"]))]
        );
        assert_eq!(read("# sparkfix: ignore-file"), [(Kind::IgnoreFile, None)]);
        assert_eq!(
            read("# sparkfix: ignore-file[count-in-passing]"),
            [(Kind::IgnoreFile, list(&["count-in-passing"]))]
        );
        // Not directives: prose that mentions them, other tools' comments.
        assert!(read("# noqa-like words are not noqa? no: noqanything").is_empty());
        assert!(read("# see the sparkfix docs").is_empty());
        assert!(read("# sparkfix: check this later").is_empty());
    }

    #[test]
    fn directives_and_entries_know_their_bytes() {
        let comment = "# type: ignore  # noqa: E501, SPK003";
        let found = directives(comment, 100, 7);
        assert_eq!(found.len(), 1);
        let noqa = &found[0];
        assert_eq!(
            &comment[noqa.range.start - 100..noqa.range.end - 100],
            "# noqa: E501, SPK003"
        );
        assert_eq!(noqa.comment, 100..100 + comment.len());
        let entries = noqa.entries.as_ref().unwrap();
        let spans: Vec<&str> = entries
            .iter()
            .map(|e| &comment[e.range.start - 100..e.range.end - 100])
            .collect();
        assert_eq!(spans, ["E501", "SPK003"]);
        assert_eq!((entries[0].ours, entries[1].ours), (false, true));

        let comment = "#sparkfix: ignore[ SPK001 ,broadcast-small-table ]  ";
        let found = directives(comment, 0, 1);
        assert_eq!(
            &comment[found[0].range.clone()],
            "#sparkfix: ignore[ SPK001 ,broadcast-small-table ]"
        );
        let spans: Vec<&str> = found[0]
            .entries
            .as_ref()
            .unwrap()
            .iter()
            .map(|e| &comment[e.range.clone()])
            .collect();
        assert_eq!(spans, ["SPK001", "broadcast-small-table"]);
    }

    #[test]
    fn an_entry_covers_codes_and_names() {
        let found = directives("# sparkfix: ignore[SPK001, broadcast-small-table]", 0, 1);
        let directive = &found[0];
        assert_eq!(
            directive.covering("SPK001", "cache-reused-dataframe"),
            Some(Some(0))
        );
        assert_eq!(
            directive.covering("SPK002", "broadcast-small-table"),
            Some(Some(1))
        );
        assert_eq!(directive.covering("SPK003", "control-output-files"), None);
        let bare = &directives("# noqa", 0, 1)[0];
        assert_eq!(bare.covering("SPK003", "control-output-files"), Some(None));
    }
}
