//! `sparkfix rule CODE|NAME`: a rule's documentation, from its `rules/<name>.yaml` (summary,
//! rationale, when its fix is safe, what it changes in a run, parameters with their defaults,
//! an example before and after); `sparkfix rule --all`: every rule, one line each.

use std::fmt::Write as _;
use std::process::ExitCode;

use clap::Parser;
use sparkfix_transform::{Applicability, ParameterValue, RuleMeta, all_metadata};

use crate::exit;

/// `sparkfix rule`: prints a rule's documentation.
#[derive(Debug, Parser)]
#[command(name = "sparkfix rule")]
struct RuleArgs {
    /// A rule code (`SPK001`) or name (`cache-reused-dataframe`).
    #[arg(value_name = "RULE", required_unless_present = "all")]
    rule: Option<String>,

    /// List every rule: code, name, fix safety and summary.
    #[arg(long, conflicts_with = "rule")]
    all: bool,
}

/// Runs `sparkfix rule ...` (the process arguments, `rule` second).
pub fn run() -> ExitCode {
    let args = match RuleArgs::try_parse_from(
        std::iter::once("sparkfix rule".into()).chain(std::env::args_os().skip(2)),
    ) {
        Ok(args) => args,
        Err(error) => return exit::of_usage(&error),
    };
    let rules = all_metadata();
    let text = if args.all {
        list(rules)
    } else {
        let wanted = args.rule.unwrap_or_default();
        match rules
            .iter()
            .find(|meta| meta.id.eq_ignore_ascii_case(&wanted) || meta.name == wanted)
        {
            Some(meta) => document(meta),
            None => {
                eprintln!(
                    "sparkfix: unknown rule `{wanted}`: `sparkfix rule --all` lists the rules"
                );
                return ExitCode::from(2);
            }
        }
    };
    print!("{text}");
    ExitCode::SUCCESS
}

/// One line per rule: code, name, fix safety, summary.
fn list(rules: &[RuleMeta]) -> String {
    let width = rules.iter().map(|meta| meta.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for meta in rules {
        let _ = writeln!(
            out,
            "{}  {:width$}  {:6}  {}",
            meta.id,
            meta.name,
            meta.safety.as_str(),
            meta.summary.trim()
        );
    }
    out
}

/// A rule's documentation, as Markdown.
fn document(meta: &RuleMeta) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {} ({})\n", meta.name, meta.id);
    let fix = match meta.safety {
        Applicability::Safe => {
            "Fix: safe when the code or a measurement proves it (unsafe when it rests on a guess)"
        }
        Applicability::Unsafe => "Fix: unsafe (applied with `--unsafe-fixes`)",
    };
    let _ = writeln!(out, "{}\n\n{fix}.\n", meta.summary.trim());
    for (title, text) in [
        ("Why", &meta.rationale),
        ("When the fix is safe", &meta.safety_reason),
        ("What it changes in a run", &meta.impact),
    ] {
        let _ = writeln!(out, "## {title}\n\n{}\n", text.trim());
    }
    if !meta.parameters.is_empty() {
        out.push_str("## Parameters\n\n");
        for (name, parameter) in &meta.parameters {
            let _ = writeln!(
                out,
                "- `{name}` (default: `{}`): {}",
                value(&parameter.default),
                parameter
                    .description
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            );
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "## Example\n\nBefore:\n\n```python\n{}\n```\n\nAfter:\n\n```python\n{}\n```",
        meta.example.before.trim_end(),
        meta.example.after.trim_end()
    );
    if let Some(profile) = &meta.example.profile {
        let _ = writeln!(
            out,
            "\n(with the event log `tests/eventlogs/logs/{profile}`)"
        );
    }
    out
}

/// A parameter's default as TOML would write it.
fn value(value: &ParameterValue) -> String {
    match value {
        ParameterValue::Integer(number) => number.to_string(),
        ParameterValue::Bool(flag) => flag.to_string(),
        ParameterValue::Text(text) => format!("{text:?}"),
        ParameterValue::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|item| format!("{item:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_documents_itself() {
        for meta in all_metadata() {
            let text = document(meta);
            assert!(text.starts_with(&format!("# {} ({})\n", meta.name, meta.id)));
            for section in ["## Why", "## When the fix is safe", "## Example"] {
                assert!(text.contains(section), "{} lacks {section}", meta.id);
            }
        }
        let listed = list(all_metadata());
        assert_eq!(listed.lines().count(), all_metadata().len());
        assert!(listed.lines().all(|line| line.starts_with("SPK")));
    }

    #[test]
    fn defaults_read_as_toml() {
        assert_eq!(value(&ParameterValue::Integer(5)), "5");
        assert_eq!(value(&ParameterValue::Text("a".into())), "\"a\"");
        assert_eq!(
            value(&ParameterValue::List(vec!["dim_*".into(), "ref".into()])),
            "[\"dim_*\", \"ref\"]"
        );
    }
}
