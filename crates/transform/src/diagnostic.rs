//! `Diagnostic`: one finding of one rule, with where it is, how sure it is and how to fix it.

use std::fmt;
use std::ops::Range;

use sparkfix_eventlog::replay::Change;

use crate::edit::Fix;

/// A 1-based line and column; the column counts characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

/// What a finding rests on. Only proof in the code or a measurement makes a fix safe; a guess
/// makes it unsafe whatever the rule's own safety is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evidence {
    /// The code proves the case: what in the code (`a join at line 12`, `literal rows`).
    Proven(String),
    /// A Spark event log of the job measured it: the figure and where it was read.
    Measured(String),
    /// A name or pattern suggests it: `what` matched, `confirm` says what would prove it.
    Guessed { what: String, confirm: String },
}

impl Evidence {
    /// Whether a fix resting on this evidence may be safe.
    pub fn allows_safe_fix(&self) -> bool {
        !matches!(self, Evidence::Guessed { .. })
    }

    /// `proven`, `measured` or `guessed`.
    pub fn level(&self) -> &'static str {
        match self {
            Evidence::Proven(_) => "proven",
            Evidence::Measured(_) => "measured",
            Evidence::Guessed { .. } => "guessed",
        }
    }
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Evidence::Proven(what) => write!(f, "proven by the code: {what}"),
            Evidence::Measured(what) => write!(f, "measured: {what}"),
            Evidence::Guessed { what, confirm } => {
                write!(f, "guessed: {what}; {confirm} would confirm it")
            }
        }
    }
}

/// A finding: which rule, where (bytes of the original text and the matching line and column),
/// what it means and on what evidence, and an optional fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule's code, such as `SPK001`.
    pub code: &'static str,
    /// The rule's kebab-case name, such as `cache-reused-dataframe`.
    pub name: &'static str,
    pub range: Range<usize>,
    pub location: Location,
    /// What to do and why it wins, followed by the evidence in parentheses.
    pub message: String,
    pub evidence: Evidence,
    pub fix: Option<Fix>,
    /// What the fix would change in a measured run, when a rule can tell from the log (the
    /// report replays the run with it to estimate the time saved).
    pub impact: Option<Impact>,
}

/// A fix's effect on one measured run: stages it removes or shortens, and how that was derived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Impact {
    /// The run's label (its application id).
    pub run: String,
    pub changes: Vec<Change>,
    /// How the changes follow from the measurements, for the report.
    pub method: String,
}
