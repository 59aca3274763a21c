//! The optimization report of `sparkfix report --profile LOG [PATHS]`: what a run of the job
//! measured, the findings on its files ordered by the time their fixes save, the cluster size
//! and its cost, a plan and what to monitor, in Markdown, JSON or self-contained HTML.
//!
//! Pure: a `Run` (from `sparkfix-eventlog`) and the findings (from `sparkfix-transform`, with
//! the diff of each fix) in, text out. The savings are modelled by replaying the run's measured
//! tasks with each fix's changes (`sparkfix_eventlog::replay`); a finding whose rule cannot tell
//! its changes from the log is listed without an estimate, never with a guessed one.

mod build;
mod html;
mod markdown;
mod model;
mod plan;
mod pricing;
mod svg;

pub use build::{FileInput, FindingInput, Input, NotReplayable, build};
pub use html::render as html;
pub use markdown::render as markdown;
pub use model::{
    Estimate, Finding, FixDiff, Job, Monitor, Report, Resources, Sizing, Step, Summary, Timeline,
};
pub use pricing::{CORES_PER_DPU, Cluster, GLUE_DPU_HOUR, Pricing};

/// The report as pretty-printed JSON (the same content as the Markdown).
pub fn json(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(report).expect("a report always serializes");
    text.push('\n');
    text
}
