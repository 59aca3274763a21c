//! Settings that change what the rules do: the target Spark version and which fixes may run.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crate::diagnostic::Diagnostic;
use crate::edit::Applicability;
use crate::measured::Measurements;
use crate::metadata::ParameterValue;
use crate::rule_selection::{RuleSelection, selects};

/// A Spark `major.minor` version, as given to `--target-spark`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SparkVersion {
    pub major: u16,
    pub minor: u16,
}

impl SparkVersion {
    /// The version sparkfix assumes when none is given.
    pub const DEFAULT: SparkVersion = SparkVersion { major: 3, minor: 5 };
    /// The oldest Spark version sparkfix knows about (Spark 2.4, still on old EMR and Glue 1.0).
    pub const OLDEST: SparkVersion = SparkVersion { major: 2, minor: 4 };
    /// The newest major version sparkfix accepts.
    pub const NEWEST_MAJOR: u16 = 4;

    pub const fn new(major: u16, minor: u16) -> Self {
        SparkVersion { major, minor }
    }
}

impl Default for SparkVersion {
    fn default() -> Self {
        SparkVersion::DEFAULT
    }
}

impl fmt::Display for SparkVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// Why a `--target-spark` value was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SparkVersionError(String);

impl fmt::Display for SparkVersionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SparkVersionError {}

impl FromStr for SparkVersion {
    type Err = SparkVersionError;

    /// Accepts `MAJOR.MINOR` (a patch level such as `3.5.1` is accepted and ignored).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || {
            SparkVersionError(format!(
                "`{text}` is not a Spark version: expected MAJOR.MINOR, such as 3.5"
            ))
        };
        let mut parts = text.trim().split('.');
        let major: u16 = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        let minor: u16 = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        match parts.next() {
            None => {}
            Some(patch) if patch.parse::<u16>().is_ok() && parts.next().is_none() => {}
            Some(_) => return Err(bad()),
        }
        let version = SparkVersion { major, minor };
        if version < SparkVersion::OLDEST || major > SparkVersion::NEWEST_MAJOR {
            return Err(SparkVersionError(format!(
                "Spark {version} is not supported: sparkfix knows Spark {} to {}.x",
                SparkVersion::OLDEST,
                SparkVersion::NEWEST_MAJOR
            )));
        }
        Ok(version)
    }
}

/// Everything a run of the rules may depend on besides the source text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// The Spark version the jobs run on.
    pub target_spark: SparkVersion,
    /// Whether fixes marked unsafe are applied too.
    pub unsafe_fixes: bool,
    /// What the event logs given with `--profile` measured: it overrides what rules guess.
    pub measurements: Measurements,
    /// Which rules run.
    pub rules: RuleSelection,
    /// Rule parameters set by configuration, over the defaults in `rules/<name>.yaml`.
    pub parameters: RuleParameters,
    /// Rules whose fixes are promoted to safe or demoted to unsafe (`extend-safe-fixes`,
    /// `extend-unsafe-fixes`).
    pub fix_safety: FixSafety,
    /// The text is a notebook's cells joined (see [`crate::cells`]): messages name lines in
    /// cells.
    pub notebook: bool,
}

impl Settings {
    /// The applicability of `diagnostic`'s fix under these settings: the rule's own, unless
    /// `fix_safety` promotes or demotes it. `None` without a fix.
    pub fn applicability(&self, diagnostic: &Diagnostic) -> Option<Applicability> {
        let own = diagnostic.fix.as_ref()?.applicability();
        // A guess stays unsafe: promotion is for rules whose fixes the user trusts on evidence.
        if !diagnostic.evidence.allows_safe_fix() {
            return Some(Applicability::Unsafe);
        }
        Some(
            self.fix_safety
                .adjust(diagnostic.code, diagnostic.name, own),
        )
    }

    /// Whether `diagnostic`'s fix runs under these settings (with `unsafe_fixes` as given).
    pub fn is_fixable_with(&self, diagnostic: &Diagnostic, unsafe_fixes: bool) -> bool {
        match self.applicability(diagnostic) {
            Some(Applicability::Safe) => true,
            Some(Applicability::Unsafe) => unsafe_fixes,
            None => false,
        }
    }

    /// Whether `diagnostic`'s fix runs under these settings.
    pub fn is_fixable(&self, diagnostic: &Diagnostic) -> bool {
        self.is_fixable_with(diagnostic, self.unsafe_fixes)
    }
}

/// Configured values of rule parameters, by rule name, then parameter name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleParameters {
    values: BTreeMap<String, BTreeMap<String, ParameterValue>>,
}

impl RuleParameters {
    /// Sets `rule`'s parameter `name` (names as in `rules/<rule>.yaml`).
    pub fn set(&mut self, rule: &str, name: &str, value: ParameterValue) {
        self.values
            .entry(rule.to_owned())
            .or_default()
            .insert(name.to_owned(), value);
    }

    /// The configured value, if any (looked up without allocating: rules ask on every file).
    pub fn get(&self, rule: &str, name: &str) -> Option<&ParameterValue> {
        self.values.get(rule)?.get(name)
    }
}

/// `extend-safe-fixes` and `extend-unsafe-fixes`: selectors (codes, prefixes, names) of rules
/// whose fixes change applicability, as in ruff. A rule named by both stays unsafe, and a fix
/// resting on a guess is never promoted: a wrong rewrite costs more than a missed one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FixSafety {
    pub extend_safe: Vec<String>,
    pub extend_unsafe: Vec<String>,
}

impl FixSafety {
    /// The applicability of a fix of rule `code` (`name`) whose rule made it `own`.
    pub fn adjust(&self, code: &str, name: &str, own: Applicability) -> Applicability {
        let named = |selectors: &[String]| {
            selectors
                .iter()
                .any(|selector| selects(selector, code, name))
        };
        if named(&self.extend_unsafe) {
            Applicability::Unsafe
        } else if named(&self.extend_safe) {
            Applicability::Safe
        } else {
            own
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_versions() {
        assert_eq!("3.5".parse(), Ok(SparkVersion::new(3, 5)));
        assert_eq!("3.1.2".parse(), Ok(SparkVersion::new(3, 1)));
        assert_eq!("4.0".parse(), Ok(SparkVersion::new(4, 0)));
        assert!("3".parse::<SparkVersion>().is_err());
        assert!("3.x".parse::<SparkVersion>().is_err());
        assert!("1.6".parse::<SparkVersion>().is_err());
        assert!("9.0".parse::<SparkVersion>().is_err());
        assert!("3.5.1.2".parse::<SparkVersion>().is_err());
        assert!(SparkVersion::new(3, 1) < SparkVersion::new(3, 2));
    }
}
