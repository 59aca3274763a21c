//! From a run and the findings on its job to a [`Report`]: each finding's saving modelled by
//! replaying the run with its changes, the fixes together, the cluster sizes before and after,
//! the costs, the plan and what to monitor.
//!
//! Every modelled duration is the measured duration plus a modelled difference (the replay of
//! the changed run against the replay of the run as it was, both on the same model), so the
//! model's error on the measured run does not move the figures; it is reported beside them.

use sparkfix_eventlog::Run;
use sparkfix_eventlog::replay::{self, Change};
use sparkfix_transform::{Applicability, Diagnostic, Evidence};

use crate::model::{Estimate, Finding, FixDiff, Job, Report, Resources, Sizing, Summary, Timeline};
use crate::plan::{monitoring, plan};
use crate::pricing::{Cluster, Pricing};

/// What the report is built from.
pub struct Input<'a> {
    pub run: &'a Run,
    /// The files checked whose job is this run, with their findings.
    pub files: Vec<FileInput>,
    pub pricing: Pricing,
    pub runs_per_month: f64,
    /// Right-sizing: the fewest executors within this fraction (0.1 = 10%) of the fastest.
    pub tolerance: f64,
    /// Whether the fixes that need `--unsafe-fixes` count as applied in the totals.
    pub unsafe_fixes: bool,
}

pub struct FileInput {
    pub path: String,
    pub findings: Vec<FindingInput>,
}

pub struct FindingInput {
    pub diagnostic: Diagnostic,
    /// The unified diff of the finding's fix alone on the original file.
    pub diff: Option<String>,
}

/// Why a report cannot be made from a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotReplayable(pub String);

/// Builds the report; fails when the log lacks what the model needs (the run's start and end,
/// its jobs' times, its executors' cores).
pub fn build(input: &Input<'_>) -> Result<Report, NotReplayable> {
    let run = input.run;
    let missing = || {
        NotReplayable(format!(
            "{}: the log lacks the run's start and end, its jobs' times or its executors' cores: \
             the run cannot be modelled",
            run.log
        ))
    };
    let measured_ms = run.duration_ms().ok_or_else(missing)?;
    let cores = run.executors.cores.filter(|&c| c > 0).ok_or_else(missing)?;
    let cluster = Cluster {
        executors: run.executors.peak_count.max(1),
        cores_per_executor: cores,
    };
    let base = replay::replay(run, cluster.slots()).ok_or_else(missing)?;
    let base_ms = base.total_ms();
    // The measured duration moved by what the model says a change does.
    let corrected =
        |modelled: u64| (measured_ms as i64 + modelled as i64 - base_ms as i64).max(0) as u64;

    let mut findings = Vec::new();
    let mut all_changes: Vec<Change> = Vec::new();
    for file in &input.files {
        for finding in &file.findings {
            let diagnostic = &finding.diagnostic;
            let impact = diagnostic
                .impact
                .as_ref()
                .filter(|impact| impact.run == run.label() && !impact.changes.is_empty());
            // In the totals: what `--write` applies under the flags, and the changes by hand.
            let in_total = diagnostic
                .fix
                .as_ref()
                .is_none_or(|fix| fix.applicability() == Applicability::Safe || input.unsafe_fixes);
            let estimate = match impact {
                Some(impact) => {
                    if in_total {
                        all_changes.extend(impact.changes.iter().copied());
                    }
                    let changed = replay::changed(run, &impact.changes);
                    let modelled = replay::replay(&changed, cluster.slots()).ok_or_else(missing)?;
                    Estimate::Modelled {
                        saved_ms: base_ms as i64 - modelled.total_ms() as i64,
                        task_ms_removed: replay::task_time_ms(run) as i64
                            - replay::task_time_ms(&changed) as i64,
                        method: impact.method.clone(),
                    }
                }
                None => Estimate::NotEstimated {
                    reason: sparkfix_transform::all_metadata()
                        .iter()
                        .find(|meta| meta.id == diagnostic.code)
                        .map_or_else(String::new, |meta| meta.impact.trim().to_string()),
                },
            };
            findings.push(Finding {
                file: file.path.clone(),
                line: diagnostic.location.line,
                column: diagnostic.location.column,
                code: diagnostic.code.to_string(),
                name: diagnostic.name.to_string(),
                message: diagnostic.message.clone(),
                evidence: diagnostic.evidence.level().to_string(),
                confidence: confidence(diagnostic).to_string(),
                fix: diagnostic
                    .fix
                    .as_ref()
                    .zip(finding.diff.as_ref())
                    .map(|(fix, diff)| FixDiff {
                        applicability: fix.applicability().as_str().to_string(),
                        diff: diff.clone(),
                    }),
                estimate,
                in_total,
            });
        }
    }
    findings.sort_by(|a, b| {
        let key = |f: &Finding| {
            (
                f.estimate.saved_ms().is_none(),
                std::cmp::Reverse(f.estimate.saved_ms().unwrap_or(0)),
                f.evidence == "guessed",
                f.file.clone(),
                f.line,
            )
        };
        key(a).cmp(&key(b))
    });

    let changed = replay::changed(run, &all_changes);
    let fixed = replay::replay(&changed, cluster.slots()).ok_or_else(missing)?;
    let after_fixes_ms = corrected(fixed.total_ms());

    let counts = replay::candidate_executors(cluster.executors);
    let sizing = |r: &Run| -> Vec<Sizing> {
        replay::at_executor_counts(r, &counts)
            .into_iter()
            .map(|(executors, modelled)| {
                let size = Cluster {
                    executors,
                    cores_per_executor: cores,
                };
                let duration_ms = corrected(modelled.total_ms());
                Sizing {
                    cluster: size,
                    duration_ms,
                    utilization: replay::utilization(r, size.slots(), duration_ms),
                    cost: input.pricing.cost(size, duration_ms),
                    measured: executors == cluster.executors,
                }
            })
            .collect()
    };
    let before = sizing(run);
    let after = sizing(&changed);
    let recommended = smallest_within(&after, input.tolerance);
    let (after_cluster, after_ms) = recommended
        .as_ref()
        .map_or((cluster, after_fixes_ms), |r| (r.cluster, r.duration_ms));
    let measured_cost = input.pricing.cost(cluster, measured_ms);
    let after_cost = input.pricing.cost(after_cluster, after_ms);
    let saved_per_run_cost = measured_cost - after_cost;
    let estimated = findings
        .iter()
        .filter(|f| f.estimate.saved_ms().is_some())
        .count();
    let summary = Summary {
        measured_ms,
        measured_cost,
        pricing: input.pricing,
        cost_method: input.pricing.method(cluster),
        after_fixes_ms,
        after_ms,
        after_cluster,
        after_cost,
        saved_per_run_ms: measured_ms as i64 - after_ms as i64,
        saved_per_run_cost,
        runs_per_month: input.runs_per_month,
        saved_per_month_cost: saved_per_run_cost * input.runs_per_month,
        saved_per_year_cost: saved_per_run_cost * input.runs_per_month * 12.0,
        model_error: (base_ms as f64 - measured_ms as f64) / measured_ms.max(1) as f64,
        estimated,
        not_estimated: findings
            .iter()
            .filter(|f| f.estimate.saved_ms().is_none())
            .count(),
        left_out: findings
            .iter()
            .filter(|f| !f.in_total && f.estimate.saved_ms().is_some())
            .count(),
    };
    let local = run
        .property("spark.master")
        .is_some_and(|master| master.trim().starts_with("local"));
    let resources = Resources {
        utilization_now: replay::utilization(run, cluster.slots(), measured_ms),
        utilization_after: replay::utilization(&changed, after_cluster.slots(), after_ms),
        before,
        after,
        recommended,
        tolerance: input.tolerance,
        method: format!(
            "each job's measured tasks replayed on the stage graph at each size (a stage after its \
             parents, each task in the first free slot), the {} outside jobs kept; each duration \
             is the measured {} plus the modelled difference; the model is {:+.0}% off the \
             measured run{}",
            seconds(base.driver_ms),
            seconds(measured_ms),
            (base_ms as f64 - measured_ms as f64) / measured_ms.max(1) as f64 * 100.0,
            if local {
                " (a local run: its driver is its one executor, sizes are modelled as executors \
                 of the same cores)"
            } else {
                ""
            }
        ),
    };
    let timeline = Timeline {
        measured_slots: cluster.slots(),
        measured: replay::measured_timeline(run),
        measured_ms,
        after_slots: after_cluster.slots(),
        after: replay::modelled_timeline(&changed, after_cluster.slots()),
        after_ms: replay::replay(&changed, after_cluster.slots()).map_or(0, |r| r.total_ms()),
    };
    let job = Job {
        app_name: run.app_name.clone(),
        app_id: run.app_id.clone(),
        log: run.log.clone(),
        spark_version: run.spark_version.clone(),
        files: input.files.iter().map(|file| file.path.clone()).collect(),
        cluster,
        local,
        task_time_ms: replay::task_time_ms(run),
    };
    let mut report = Report {
        job,
        summary,
        findings,
        resources,
        plan: Vec::new(),
        monitoring: Vec::new(),
        timeline,
    };
    report.plan = plan(&report);
    report.monitoring = monitoring(&report, run);
    Ok(report)
}

/// `high`: proven or measured with a safe fix; `medium`: proven or measured otherwise; `low`:
/// guessed.
fn confidence(diagnostic: &Diagnostic) -> &'static str {
    match (&diagnostic.evidence, &diagnostic.fix) {
        (Evidence::Guessed { .. }, _) => "low",
        (_, Some(fix)) if fix.applicability() == Applicability::Safe => "high",
        _ => "medium",
    }
}

/// The fewest executors whose duration is within `tolerance` of the fastest.
fn smallest_within(sizes: &[Sizing], tolerance: f64) -> Option<Sizing> {
    let best = sizes.iter().map(|s| s.duration_ms).min()?;
    let bound = best as f64 * (1.0 + tolerance.max(0.0));
    sizes
        .iter()
        .filter(|s| s.duration_ms as f64 <= bound)
        .min_by_key(|s| s.cluster.executors)
        .cloned()
}

pub(crate) fn seconds(ms: u64) -> String {
    sparkfix_transform::human_seconds(ms)
}

/// A modelled change of duration per run: "9.6 s faster", "2.2 s slower".
pub(crate) fn faster_or_slower(saved_ms: i64) -> String {
    if saved_ms >= 0 {
        format!("{} faster", seconds(saved_ms as u64))
    } else {
        format!("{} slower", seconds(saved_ms.unsigned_abs()))
    }
}

/// Task time a change takes away or adds: "18.0 s of task time removed".
pub(crate) fn task_time_change(removed_ms: i64) -> String {
    if removed_ms >= 0 {
        format!("{} of task time removed", seconds(removed_ms as u64))
    } else {
        format!("{} of task time added", seconds(removed_ms.unsigned_abs()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_of_duration_says_which_way() {
        assert_eq!(faster_or_slower(9_574), "9.6 s faster");
        assert_eq!(faster_or_slower(0), "0.0 s faster");
        assert_eq!(faster_or_slower(-2_060), "2.1 s slower");
        assert_eq!(task_time_change(18_000), "18.0 s of task time removed");
        assert_eq!(task_time_change(-4_000), "4.0 s of task time added");
    }
}
