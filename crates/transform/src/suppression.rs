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

use std::collections::HashMap;

use sparkfix_syntax::{SourceFile, SyntaxNode};

use crate::diagnostic::Diagnostic;

/// The rules one suppression comment names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Scope {
    All,
    /// Codes (upper case) or names (lower case), as written.
    Rules(Vec<String>),
}

impl Scope {
    fn covers(&self, code: &str, name: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Rules(rules) => rules
                .iter()
                .any(|rule| rule.eq_ignore_ascii_case(code) || rule == name),
        }
    }

    fn merge(&mut self, other: Scope) {
        match (&mut *self, other) {
            (Scope::All, _) => {}
            (_, Scope::All) => *self = Scope::All,
            (Scope::Rules(mine), Scope::Rules(theirs)) => mine.extend(theirs),
        }
    }
}

/// The suppression comments of one file.
#[derive(Debug, Default)]
pub struct Suppressions {
    /// By 1-based line: what a comment on that line silences.
    lines: HashMap<usize, Scope>,
    file: Option<Scope>,
}

/// A directive read from a comment.
#[derive(Debug, PartialEq, Eq)]
enum Directive {
    Line(Scope),
    File(Scope),
}

impl Suppressions {
    /// The suppressions of `file`; empty (and no tree walk) when its text names none.
    pub fn of(file: &SourceFile) -> Suppressions {
        let text = file.text().as_bytes();
        let mut suppressions = Suppressions::default();
        let has = |needle: &[u8]| {
            text.windows(needle.len())
                .any(|window| window.eq_ignore_ascii_case(needle))
        };
        if !has(b"noqa") && !has(b"sparkfix:") {
            return suppressions;
        }
        let root = file.root();
        let leading_end = leading_comments_end(root);
        for node in root.descendants().filter(SyntaxNode::is_comment) {
            for directive in directives(node.text()) {
                match directive {
                    Directive::Line(scope) => {
                        let line = file.line_column(node.start()).line;
                        match suppressions.lines.get_mut(&line) {
                            Some(existing) => existing.merge(scope),
                            None => {
                                suppressions.lines.insert(line, scope);
                            }
                        }
                    }
                    Directive::File(scope) if node.start() < leading_end => {
                        match &mut suppressions.file {
                            Some(existing) => existing.merge(scope),
                            None => suppressions.file = Some(scope),
                        }
                    }
                    Directive::File(_) => {}
                }
            }
        }
        suppressions
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty() && self.file.is_none()
    }

    /// Whether a comment silences `diagnostic`: the file's, one on the line where it starts, or
    /// one on the first line of the statement that holds it.
    pub fn suppresses(&self, file: &SourceFile, diagnostic: &Diagnostic) -> bool {
        let covers = |scope: &Scope| scope.covers(diagnostic.code, diagnostic.name);
        if self.file.as_ref().is_some_and(covers) {
            return true;
        }
        if self
            .lines
            .get(&diagnostic.location.line)
            .is_some_and(covers)
        {
            return true;
        }
        let node = file.root().covering(diagnostic.range.clone());
        node.enclosing_statement()
            .map(|statement| file.line_column(statement.start()).line)
            .and_then(|line| self.lines.get(&line))
            .is_some_and(covers)
    }
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

/// The directives of one comment's text (`# ...`).
fn directives(comment: &str) -> Vec<Directive> {
    comment
        .split('#')
        .filter_map(|part| directive(part.trim()))
        .collect()
}

fn directive(part: &str) -> Option<Directive> {
    let lower = part.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("noqa") {
        let original = &part[4..];
        if rest.trim().is_empty() {
            return Some(Directive::Line(Scope::All));
        }
        let codes = original.trim_start().strip_prefix(':')?;
        let rules = rule_list(codes);
        // Codes of other tools only: nothing of ours is silenced.
        return (!rules.is_empty()).then_some(Directive::Line(Scope::Rules(rules)));
    }
    let rest = lower.strip_prefix("sparkfix:")?;
    let original = &part[part.len() - rest.len()..];
    let trimmed = original.trim_start();
    let (file_wide, after) = if trimmed.to_ascii_lowercase().starts_with("ignore-file") {
        (true, &trimmed["ignore-file".len()..])
    } else if trimmed.to_ascii_lowercase().starts_with("ignore") {
        (false, &trimmed["ignore".len()..])
    } else {
        return None;
    };
    let after = after.trim();
    let scope = if after.is_empty() {
        Scope::All
    } else {
        let inner = after.strip_prefix('[')?.split(']').next()?;
        Scope::Rules(
            inner
                .split(',')
                .map(|r| r.trim().to_string())
                .filter(|r| !r.is_empty())
                .collect(),
        )
    };
    Some(if file_wide {
        Directive::File(scope)
    } else {
        Directive::Line(scope)
    })
}

/// The sparkfix rules in a flake8-style code list (`SPK001, SPK002` or `SPK001 SPK002`);
/// other tools' codes are dropped.
fn rule_list(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .map(str::trim)
        .filter(|code| {
            code.len() > 3
                && code[..3].eq_ignore_ascii_case("SPK")
                && code[3..].chars().all(|c| c.is_ascii_digit())
        })
        .map(str::to_ascii_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(list: &[&str]) -> Scope {
        Scope::Rules(list.iter().map(|r| r.to_string()).collect())
    }

    #[test]
    fn reads_the_directives_ruff_and_flake8_users_write() {
        assert_eq!(directives("# noqa"), [Directive::Line(Scope::All)]);
        assert_eq!(directives("# NOQA"), [Directive::Line(Scope::All)]);
        assert_eq!(
            directives("# noqa: SPK001, spk002"),
            [Directive::Line(rules(&["SPK001", "SPK002"]))]
        );
        assert_eq!(
            directives("# noqa:SPK005"),
            [Directive::Line(rules(&["SPK005"]))]
        );
        // Another tool's codes silence nothing here.
        assert!(directives("# noqa: E501").is_empty());
        assert_eq!(
            directives("# type: ignore  # noqa: E501,SPK003"),
            [Directive::Line(rules(&["SPK003"]))]
        );
        assert_eq!(
            directives("# sparkfix: ignore"),
            [Directive::Line(Scope::All)]
        );
        assert_eq!(
            directives("# sparkfix: ignore[SPK001, broadcast-small-table]"),
            [Directive::Line(rules(&["SPK001", "broadcast-small-table"]))]
        );
        assert_eq!(
            directives("# sparkfix: ignore-file"),
            [Directive::File(Scope::All)]
        );
        assert_eq!(
            directives("# sparkfix: ignore-file[count-in-passing]"),
            [Directive::File(rules(&["count-in-passing"]))]
        );
        // Not directives: prose that mentions them, other tools' comments.
        assert!(directives("# noqa-like words are not noqa? no: noqanything").is_empty());
        assert!(directives("# see the sparkfix docs").is_empty());
        assert!(directives("# sparkfix: check this later").is_empty());
    }

    #[test]
    fn a_scope_covers_codes_and_names() {
        assert!(Scope::All.covers("SPK001", "cache-reused-dataframe"));
        let scope = rules(&["SPK001", "broadcast-small-table"]);
        assert!(scope.covers("SPK001", "cache-reused-dataframe"));
        assert!(scope.covers("SPK002", "broadcast-small-table"));
        assert!(!scope.covers("SPK003", "control-output-files"));
    }
}
