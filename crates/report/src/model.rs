//! The report's content, as plain values: what the Markdown, JSON and HTML renderers show.
//!
//! Every duration is milliseconds, every cost is in the pricing's currency (dollars by default).
//! A figure is either measured (read from the event log) or modelled (the measured tasks
//! replayed with a change, `sparkfix_eventlog::replay`); each field's docs say which.

use serde::Serialize;
use sparkfix_eventlog::replay::Span;

use crate::pricing::{Cluster, Pricing};

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub job: Job,
    pub summary: Summary,
    /// Ordered by estimated savings, largest first; findings without an estimate last.
    pub findings: Vec<Finding>,
    pub resources: Resources,
    pub plan: Vec<Step>,
    pub monitoring: Vec<Monitor>,
    pub timeline: Timeline,
}

/// The run the report is about.
#[derive(Debug, Clone, Serialize)]
pub struct Job {
    pub app_name: Option<String>,
    pub app_id: Option<String>,
    /// The event log as given.
    pub log: String,
    pub spark_version: Option<String>,
    /// The files checked whose job is this run.
    pub files: Vec<String>,
    /// The cluster the run had at its peak (measured).
    pub cluster: Cluster,
    /// Whether the run was local (`local[N]`): its driver was its one executor.
    pub local: bool,
    pub task_time_ms: u64,
}

/// The executive summary.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Measured: application start to end.
    pub measured_ms: u64,
    pub measured_cost: f64,
    pub pricing: Pricing,
    /// How a cost is computed, on the measured cluster.
    pub cost_method: String,
    /// Modelled: the measured duration less the time the estimated fixes save, same cluster.
    pub after_fixes_ms: u64,
    /// Modelled: after the fixes, on the recommended cluster (the measured one when there is
    /// no recommendation).
    pub after_ms: u64,
    pub after_cluster: Cluster,
    pub after_cost: f64,
    /// Negative when the fixes together make the run slower.
    pub saved_per_run_ms: i64,
    pub saved_per_run_cost: f64,
    pub runs_per_month: f64,
    pub saved_per_month_cost: f64,
    pub saved_per_year_cost: f64,
    /// The replay model's error on the measured run: (modelled - measured) / measured.
    pub model_error: f64,
    /// Findings whose estimate counts in the totals.
    pub estimated: usize,
    /// Findings whose time saving was not estimated.
    pub not_estimated: usize,
    /// Findings with an estimate left out of the totals (an unsafe fix without
    /// `--unsafe-fixes`).
    pub left_out: usize,
}

/// One finding, as the check reported it, with its fix and estimate.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub code: String,
    pub name: String,
    pub message: String,
    /// `proven`, `measured` or `guessed`.
    pub evidence: String,
    /// `high` (proven or measured, safe fix), `medium` (proven or measured, unsafe or no fix),
    /// `low` (guessed).
    pub confidence: String,
    pub fix: Option<FixDiff>,
    pub estimate: Estimate,
    /// Whether its estimate counts in the totals: its fix is safe, or unsafe with
    /// `--unsafe-fixes`, or it has no fix (a change by hand).
    pub in_total: bool,
}

/// A fix and the diff of the user's own lines it makes.
#[derive(Debug, Clone, Serialize)]
pub struct FixDiff {
    /// `safe` (applied by `--write`) or `unsafe` (needs `--unsafe-fixes`).
    pub applicability: String,
    pub diff: String,
}

/// What a finding's fix saves per run.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Estimate {
    /// Modelled: the run replayed with the fix's changes, against the run replayed as it was.
    Modelled {
        /// Negative when the fix makes the run slower (it adds work the replay counts).
        saved_ms: i64,
        /// The task time the changes take away (measured tasks); negative when they add.
        task_ms_removed: i64,
        method: String,
    },
    /// Not estimated, and why (the rule's `impact` documentation).
    NotEstimated { reason: String },
}

impl Estimate {
    pub fn saved_ms(&self) -> Option<i64> {
        match self {
            Estimate::Modelled { saved_ms, .. } => Some(*saved_ms),
            Estimate::NotEstimated { .. } => None,
        }
    }
}

/// Resources and cost: the right-sizing tables.
#[derive(Debug, Clone, Serialize)]
pub struct Resources {
    /// Modelled at each executor count, the run as it was.
    pub before: Vec<Sizing>,
    /// Modelled at each executor count, after the estimated fixes.
    pub after: Vec<Sizing>,
    /// The fewest executors within `tolerance` of the fastest, after the fixes.
    pub recommended: Option<Sizing>,
    pub tolerance: f64,
    /// Measured: task time / (slots x duration).
    pub utilization_now: f64,
    /// Modelled, on the recommended cluster after the fixes.
    pub utilization_after: f64,
    pub method: String,
}

/// One cluster size, modelled.
#[derive(Debug, Clone, Serialize)]
pub struct Sizing {
    pub cluster: Cluster,
    /// The measured duration plus the modelled difference from the measured cluster.
    pub duration_ms: u64,
    pub utilization: f64,
    pub cost: f64,
    /// The measured cluster.
    pub measured: bool,
}

/// One step of the implementation plan.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub title: String,
    pub detail: String,
}

/// What to check on the next run.
#[derive(Debug, Clone, Serialize)]
pub struct Monitor {
    pub what: String,
    /// Measured on this run.
    pub now: String,
    /// What the fixes should make of it.
    pub expect: String,
}

/// When the stages ran: measured, and modelled after the fixes on the recommended cluster.
#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    pub measured_slots: u32,
    pub measured: Vec<Span>,
    pub measured_ms: u64,
    pub after_slots: u32,
    pub after: Vec<Span>,
    /// The modelled run's length on its own clock (before the correction by the model's error).
    pub after_ms: u64,
}
