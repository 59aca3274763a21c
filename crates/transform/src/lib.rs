//! The Spark model of a Python file, the sparkfix rules, and fix application.
//!
//! A pure library: source text and [`Settings`] in, [`Diagnostic`]s and fixed text out. It never
//! touches the file system.

mod add_noqa;
pub mod cells;
mod diagnostic;
mod edit;
mod edits;
mod engine;
mod fix_apply;
pub mod measured;
mod metadata;
pub mod model;
mod rule_selection;
pub mod rules;
mod settings;
mod suppression;
mod units;

pub use add_noqa::{NoqaOutcome, add_noqa};
pub use diagnostic::{Diagnostic, Evidence, Impact, Location};
pub use edit::{Applicability, Edit, Fix};
pub use engine::{
    FixFailure, FixOutcome, MAX_FIX_PASSES, ParseError, RelationUse, SpelledRelation, check, fix,
    job_runs, may_contain_spark, spelled_relations,
};
pub use fix_apply::apply_fixes;
pub use measured::Measurements;
pub use metadata::{ParameterValue, RULE_FILES, RuleMeta, all_metadata};
pub use rule_selection::{RuleSelection, SelectionLayer, UnknownRule};
pub use settings::{FixSafety, RuleParameters, Settings, SparkVersion, SparkVersionError};
pub use units::{human_bytes, human_count, human_seconds};
