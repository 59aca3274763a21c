//! SPK100 `unused-suppression` (off by default, as ruff's RUF100): a suppression comment, or an
//! entry of its list, that silences no finding. Such comments hide nothing today but would hide
//! a real finding later, and tell readers of rules that no longer apply.
//!
//! It runs after the other rules, from the engine (`engine::run_rules`), which also runs every
//! rule a directive names even when it is not selected, so that "silences nothing" is a fact
//! about the file, not about `--select`. A bare `# noqa` is left alone (it may serve another
//! tool); a `noqa` list keeps other tools' codes. The fix removes the unused entries, or the
//! whole directive (its comment, or its line when the comment is alone on it).

use std::collections::HashSet;

use sparkfix_syntax::SourceFile;

use super::{Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Evidence, Location};
use crate::edit::{Applicability, Edit, Fix};
use crate::suppression::{Directive, Kind, Suppressions, Use};

pub struct UnusedSuppression;

impl Rule for UnusedSuppression {
    fn code(&self) -> &'static str {
        "SPK100"
    }
    fn name(&self) -> &'static str {
        "unused-suppression"
    }
    /// The work is done by [`report`], once the other rules' findings are known.
    fn check(&self, _ctx: &RuleContext<'_, '_>, _out: &mut Vec<Diagnostic>) {}
    fn on_by_default(&self) -> bool {
        false
    }
}

/// The findings on the directives of `suppressions` that silenced nothing: `used` holds what
/// every rule a directive names found.
pub fn report(
    file: &SourceFile,
    suppressions: &Suppressions,
    used: &HashSet<Use>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (index, directive) in suppressions.directives.iter().enumerate() {
        let Some(finding) = unused_in(file, index, directive, used) else {
            continue;
        };
        out.push(finding);
    }
    out
}

fn unused_in(
    file: &SourceFile,
    index: usize,
    directive: &Directive,
    used: &HashSet<Use>,
) -> Option<Diagnostic> {
    let written = &file.text()[directive.range.clone()];
    let (unused, edit) = match &directive.entries {
        // A bare `# noqa` may be another tool's; a bare sparkfix directive is ours alone.
        None if directive.kind == Kind::Noqa => return None,
        None if used.contains(&(index, None)) => return None,
        None => (Vec::new(), remove_directive(file, directive)),
        Some(entries) => {
            let unused: Vec<usize> = (0..entries.len())
                .filter(|&entry| {
                    let ours = entries[entry].ours;
                    // An entry naming this rule itself silences its findings, not others'.
                    let this = entries[entry].text.eq_ignore_ascii_case("SPK100")
                        || entries[entry].text == "unused-suppression";
                    ours && !this && !used.contains(&(index, Some(entry)))
                })
                .collect();
            if unused.is_empty() {
                return None;
            }
            let kept: Vec<&str> = (0..entries.len())
                .filter(|entry| !unused.contains(entry))
                .map(|entry| entries[entry].text.as_str())
                .collect();
            let edit = if kept.is_empty() {
                remove_directive(file, directive)
            } else {
                let list = entries[0].range.start..entries[entries.len() - 1].range.end;
                Edit::replace(list, kept.join(", "))
            };
            let names = unused
                .iter()
                .map(|&entry| entries[entry].text.clone())
                .collect();
            (names, edit)
        }
    };
    let what = if unused.is_empty() {
        match directive.kind {
            Kind::IgnoreFile => "silences no finding in this file".to_owned(),
            _ => "silences no finding on this line or its statement".to_owned(),
        }
    } else {
        let named: Vec<String> = unused.iter().map(|name| describe(name)).collect();
        let place = if directive.kind == Kind::IgnoreFile {
            "in this file"
        } else {
            "on this line or its statement"
        };
        let verb = if named.len() == 1 {
            "silences"
        } else {
            "silence"
        };
        format!("{} {verb} nothing {place}", named.join(", "))
    };
    let message = format!(
        "Unused suppression `{written}`: {what}; remove it, so that a finding there shows again"
    );
    let evidence = Evidence::Proven(
        "every rule the comment names ran on this file with these settings, and none of their \
         findings is where the comment reaches"
            .to_owned(),
    );
    let position = file.line_column(directive.range.start);
    Some(Diagnostic {
        code: UnusedSuppression.code(),
        name: UnusedSuppression.name(),
        range: directive.range.clone(),
        location: Location {
            line: position.line,
            column: position.column,
        },
        message: format!("{message} ({evidence})"),
        evidence,
        fix: Fix::new(vec![edit], Applicability::Safe),
        impact: None,
    })
}

/// An entry as the message names it: a rule's code and name, or what it is not.
fn describe(entry: &str) -> String {
    match crate::metadata::all_metadata()
        .iter()
        .find(|meta| meta.id.eq_ignore_ascii_case(entry) || meta.name == entry)
    {
        Some(meta) => format!("`{}` ({})", meta.id, meta.name),
        None => format!("`{entry}` (which names no rule)"),
    }
}

/// The edit that removes `directive`: its part of a comment that holds other directives, its
/// comment after code, or the whole line of a comment alone on its line.
fn remove_directive(file: &SourceFile, directive: &Directive) -> Edit {
    let text = file.text();
    let comment = &text[directive.comment.clone()];
    let alone_in_comment = comment.trim_end() == &text[directive.range.clone()];
    let removed = if alone_in_comment {
        directive.comment.clone()
    } else {
        directive.range.clone()
    };
    // With the blanks before it, back to the code (or to the start of the line).
    let before = &text[..removed.start];
    let blanks = before.len() - before.trim_end_matches([' ', '\t']).len();
    let start = removed.start - blanks;
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    if alone_in_comment && start == line_start {
        let end = text[removed.end..]
            .find('\n')
            .map_or(text.len(), |at| removed.end + at + 1);
        return Edit::replace(line_start..end, "");
    }
    Edit::replace(start..removed.end, "")
}
