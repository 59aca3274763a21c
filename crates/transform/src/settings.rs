//! Settings that change what the rules do: the target Spark version and which fixes may run.

use std::fmt;
use std::str::FromStr;

use crate::measured::Measurements;
use crate::rule_selection::RuleSelection;

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
