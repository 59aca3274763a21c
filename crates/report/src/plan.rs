//! The implementation plan and what to monitor after the change, from the report's findings,
//! estimates and sizing.

use sparkfix_eventlog::Run;
use sparkfix_transform::human_bytes;

use crate::build::seconds;
use crate::model::{Finding, Monitor, Report, Step};

/// The steps, in the order to take them: the safe fixes, the unsafe ones to review, the changes
/// to make by hand, the cluster, and a measured run to compare.
pub(crate) fn plan(report: &Report) -> Vec<Step> {
    let mut steps = Vec::new();
    let files = report.job.files.join(" ");
    let by = |applicability: &str| -> Vec<&Finding> {
        report
            .findings
            .iter()
            .filter(|f| {
                f.fix
                    .as_ref()
                    .is_some_and(|fix| fix.applicability == applicability)
            })
            .collect()
    };
    let safe = by("safe");
    if !safe.is_empty() {
        steps.push(Step {
            title: format!("Apply the {}", count(safe.len(), "safe fix", "safe fixes")),
            detail: format!(
                "`sparkfix --write {files}` applies {} (each proven by the code or measured).",
                list(&safe)
            ),
        });
    }
    let unsafe_fixes = by("unsafe");
    if !unsafe_fixes.is_empty() {
        steps.push(Step {
            title: format!(
                "Review and apply the {}",
                count(unsafe_fixes.len(), "unsafe fix", "unsafe fixes")
            ),
            detail: format!(
                "`sparkfix --diff --unsafe-fixes {files}` shows {}; each finding says what it \
                 rests on; `sparkfix --write --unsafe-fixes {files}` applies them.",
                list(&unsafe_fixes)
            ),
        });
    }
    let by_hand: Vec<&Finding> = report.findings.iter().filter(|f| f.fix.is_none()).collect();
    if !by_hand.is_empty() {
        steps.push(Step {
            title: format!(
                "Make the {} no fix",
                count(by_hand.len(), "change that has", "changes that have")
            ),
            detail: format!(
                "{}: the session or the cluster they need is configured outside the file, or \
                 the code's shape allows no safe rewrite; each finding says where.",
                list(&by_hand)
            ),
        });
    }
    let measured = report.job.cluster;
    match &report.resources.recommended {
        Some(size) if size.cluster != measured => steps.push(Step {
            title: format!(
                "Run on {} executors of {} cores",
                size.cluster.executors, size.cluster.cores_per_executor
            ),
            detail: format!(
                "Modelled at {} a run after the fixes, against {} on the {} executors measured. \
                 The cluster is configured outside the job file (AWS Glue: the number of \
                 workers; EMR or Databricks: the cluster's settings; spark-submit: \
                 `--num-executors`), so sparkfix reports it and edits nothing.",
                seconds(size.duration_ms),
                seconds(report.summary.after_fixes_ms),
                measured.executors
            ),
        }),
        Some(_) => steps.push(Step {
            title: format!(
                "Keep {}",
                count(measured.executors as usize, "executor", "executors")
            ),
            detail: format!(
                "No other size modelled is more than {:.0}% faster after the fixes.",
                report.resources.tolerance * 100.0
            ),
        }),
        None => {}
    }
    steps.push(Step {
        title: "Measure the next run".to_string(),
        detail: format!(
            "Run the job with `spark.eventLog.enabled=true`, then `sparkfix report --profile \
             NEW_LOG {files}`: its measured duration against the {} modelled here (the model is \
             {:+.0}% off this run).",
            seconds(report.summary.after_ms),
            report.summary.model_error * 100.0
        ),
    });
    steps
}

/// The figures to compare on the next run, measured now, with what the fixes should make of
/// them.
pub(crate) fn monitoring(report: &Report, run: &Run) -> Vec<Monitor> {
    let summary = &report.summary;
    let stages = &run.stages;
    let shuffle_read: u64 = stages.iter().map(|s| s.shuffle_read_bytes).sum();
    let spill: u64 = stages
        .iter()
        .map(|s| s.memory_spill_bytes + s.disk_spill_bytes)
        .sum();
    let writes: Vec<String> = run
        .queries
        .iter()
        .flat_map(|q| &q.writes)
        .map(|w| {
            format!(
                "{}: {} files, {}",
                w.target.display(),
                w.files.map_or("?".to_string(), |f| f.to_string()),
                w.bytes.map_or("?".to_string(), human_bytes)
            )
        })
        .collect();
    let mut monitors = vec![
        Monitor {
            what: "duration (application start to end)".to_string(),
            now: seconds(summary.measured_ms),
            expect: format!(
                "about {} (modelled; the model is {:+.0}% off this run)",
                seconds(summary.after_ms),
                summary.model_error * 100.0
            ),
        },
        Monitor {
            what: "task time (all tasks)".to_string(),
            now: seconds(report.job.task_time_ms),
            expect: format!(
                "about {} (with the estimated fixes' changes)",
                seconds(report.timeline.after.iter().map(|s| s.task_ms).sum())
            ),
        },
        Monitor {
            what: "utilization (task time / (slots x duration))".to_string(),
            now: format!("{:.0}%", report.resources.utilization_now * 100.0),
            expect: format!(
                "about {:.0}% (modelled)",
                report.resources.utilization_after * 100.0
            ),
        },
        Monitor {
            what: "shuffle read (all stages)".to_string(),
            now: human_bytes(shuffle_read),
            expect: "about the same, or lower where a fix removes a shuffle or a recomputation"
                .to_string(),
        },
        Monitor {
            what: "spill (memory and disk)".to_string(),
            now: human_bytes(spill),
            expect: if spill > 0 {
                "none, once the memory and partition settings apply".to_string()
            } else {
                "none".to_string()
            },
        },
        Monitor {
            what: "SQL executions (one per action)".to_string(),
            now: run.queries.len().to_string(),
            expect: "one per action left after the fixes".to_string(),
        },
    ];
    if !writes.is_empty() {
        monitors.push(Monitor {
            what: "files written".to_string(),
            now: writes.join("; "),
            expect: "as the output-file findings say".to_string(),
        });
    }
    monitors
}

/// `1 safe fix`, `2 safe fixes`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `SPK001 (path:12), SPK002 (path:30)`.
fn list(findings: &[&Finding]) -> String {
    let items: Vec<String> = findings
        .iter()
        .map(|f| format!("{} `{}` ({}:{})", f.code, f.name, f.file, f.line))
        .collect();
    items.join(", ")
}
