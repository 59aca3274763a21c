//! Which rules run: `--select` and `--ignore` lists of rule codes, code prefixes or names, as in
//! ruff.

use crate::rules::RULES;

/// The rules a run enables: layers applied in order, as ruff resolves its configuration and then
/// its command line. A layer with a `select` replaces what the layers before it enabled; its
/// `extend_select` adds to that, and its `ignore` removes. No layer (or no `select` anywhere)
/// means every rule that is on by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSelection {
    pub layers: Vec<SelectionLayer>,
}

/// One source of rule selection: a configuration file or the command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SelectionLayer {
    pub select: Vec<String>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
}

/// A selector that names no rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRule(pub String);

impl std::fmt::Display for UnknownRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let known: Vec<String> = RULES
            .iter()
            .map(|r| format!("{} ({})", r.code(), r.name()))
            .collect();
        write!(
            f,
            "`{}` names no rule; the rules are {}",
            self.0,
            known.join(", ")
        )
    }
}

impl std::error::Error for UnknownRule {}

impl RuleSelection {
    /// Whether the rule `code` (`SPK002`) named `name` runs.
    ///
    /// A rule that is off by default (`Rule::on_by_default`) runs only when a selector names it.
    pub fn enables(&self, code: &str, name: &str) -> bool {
        let matches = |selector: &String| selects(selector, code, name);
        let mut enabled = on_by_default(code);
        for layer in &self.layers {
            if !layer.select.is_empty() {
                enabled = layer.select.iter().any(matches);
            }
            if layer.extend_select.iter().any(matches) {
                enabled = true;
            }
            if layer.ignore.iter().any(matches) {
                enabled = false;
            }
        }
        enabled
    }

    /// One layer: `--select` and `--ignore` alone.
    pub fn of(select: Vec<String>, ignore: Vec<String>) -> Self {
        RuleSelection {
            layers: vec![SelectionLayer {
                select,
                ignore,
                ..SelectionLayer::default()
            }],
        }
    }

    /// Checks that a selector names at least one rule: a code, a code prefix (`SPK`, `SPK00`)
    /// or a rule name.
    pub fn check_selector(selector: &str) -> Result<String, UnknownRule> {
        let selector = selector.trim().to_owned();
        if RULES
            .iter()
            .any(|rule| selects(&selector, rule.code(), rule.name()))
        {
            Ok(selector)
        } else {
            Err(UnknownRule(selector))
        }
    }
}

fn on_by_default(code: &str) -> bool {
    RULES
        .iter()
        .find(|rule| rule.code() == code)
        .is_none_or(|rule| rule.on_by_default())
}

/// Whether one selector (a code, a code prefix or a name) names the rule `code` (`name`).
pub(crate) fn selects(selector: &str, code: &str, name: &str) -> bool {
    !selector.is_empty()
        && (selector == name
            || code
                .to_ascii_uppercase()
                .starts_with(&selector.to_ascii_uppercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selects_by_code_prefix_and_name() {
        let all = RuleSelection::default();
        assert!(all.enables("SPK001", "cache-reused-dataframe"));
        let some = RuleSelection::of(vec!["SPK00".into()], vec!["broadcast-small-table".into()]);
        assert!(some.enables("SPK001", "cache-reused-dataframe"));
        assert!(!some.enables("SPK002", "broadcast-small-table"));
        // A later layer's select replaces an earlier layer's choice; its ignore wins over both.
        let layered = RuleSelection {
            layers: vec![
                SelectionLayer {
                    ignore: vec!["SPK001".into()],
                    ..SelectionLayer::default()
                },
                SelectionLayer {
                    select: vec!["SPK001".into()],
                    extend_select: vec!["SPK003".into()],
                    ..SelectionLayer::default()
                },
            ],
        };
        assert!(layered.enables("SPK001", "cache-reused-dataframe"));
        assert!(!layered.enables("SPK002", "broadcast-small-table"));
        assert!(layered.enables("SPK003", "control-output-files"));
        assert!(RuleSelection::check_selector("spk002").is_ok());
        assert!(RuleSelection::check_selector("cache-reused-dataframe").is_ok());
        let error = RuleSelection::check_selector("E501").unwrap_err();
        assert!(
            error
                .to_string()
                .contains("SPK001 (cache-reused-dataframe)"),
            "{error}"
        );
    }
}
