//! Which rules run: `--select` and `--ignore` lists of rule codes, code prefixes or names, as in
//! ruff.

use crate::rules::RULES;

/// The rules a run enables. Empty `select` means every rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSelection {
    pub select: Vec<String>,
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
    pub fn enables(&self, code: &str, name: &str) -> bool {
        let matches = |selector: &String| selects(selector, code, name);
        (self.select.is_empty() || self.select.iter().any(matches))
            && !self.ignore.iter().any(matches)
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

fn selects(selector: &str, code: &str, name: &str) -> bool {
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
        let some = RuleSelection {
            select: vec!["SPK00".into()],
            ignore: vec!["broadcast-small-table".into()],
        };
        assert!(some.enables("SPK001", "cache-reused-dataframe"));
        assert!(!some.enables("SPK002", "broadcast-small-table"));
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
