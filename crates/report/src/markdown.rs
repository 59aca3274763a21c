//! The report as Markdown, in the shape of a consultant's optimization analysis: executive
//! summary, one section per finding ordered by estimated savings, resources and cost, the
//! implementation plan and what to monitor. Each figure says whether it was measured or
//! modelled.

use std::fmt::Write;

use crate::build::{faster_or_slower, seconds, task_time_change};
use crate::model::{Estimate, Report, Sizing};
use crate::pricing::trim;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let job = &report.job;
    let summary = &report.summary;
    let name = job.app_name.as_deref().unwrap_or("Spark job");
    let _ = writeln!(out, "# Optimization report: {name}\n");
    let _ = writeln!(
        out,
        "Run `{}` ({}), Spark {}, {} executor{} x {} cores, event log `{}`; files: {}.\n",
        job.app_id.as_deref().unwrap_or("?"),
        if job.local { "local" } else { "cluster" },
        job.spark_version.as_deref().unwrap_or("?"),
        job.cluster.executors,
        plural(job.cluster.executors as usize),
        job.cluster.cores_per_executor,
        job.log,
        if job.files.is_empty() {
            "none matched this run".to_string()
        } else {
            job.files
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    out.push_str(
        "*Measured* figures were read from the event log; *modelled* ones replay the run's \
         measured tasks with a change (a stage after its parents, each task in the first free \
         slot) and add the difference to the measured duration.\n\n",
    );

    out.push_str("## Executive summary\n\n");
    let estimated = summary.estimated;
    let _ = writeln!(
        out,
        "- **Now** (measured): {} per run, {} per run ({}).",
        seconds(summary.measured_ms),
        money(summary.measured_cost),
        summary.cost_method
    );
    let _ = writeln!(
        out,
        "- **After the fixes** (modelled, {estimated} of {} findings estimated): {} on the same \
         cluster.",
        report.findings.len(),
        seconds(summary.after_fixes_ms)
    );
    if summary.after_cluster != job.cluster {
        let _ = writeln!(
            out,
            "- **On {} executors** (modelled, the recommended size): {} per run, {} per run.",
            summary.after_cluster.executors,
            seconds(summary.after_ms),
            money(summary.after_cost)
        );
    }
    let _ = writeln!(out, "- **Savings** (modelled): {}.", savings_text(summary));
    if summary.not_estimated > 0 {
        let _ = writeln!(
            out,
            "- {} finding{} ha{} no time estimate (the log cannot tell what {} save{}): not \
             counted above.",
            summary.not_estimated,
            plural(summary.not_estimated),
            if summary.not_estimated == 1 {
                "s"
            } else {
                "ve"
            },
            if summary.not_estimated == 1 {
                "its fix"
            } else {
                "their fixes"
            },
            if summary.not_estimated == 1 { "s" } else { "" },
        );
    }
    if summary.left_out > 0 {
        let _ = writeln!(
            out,
            "- {} estimated finding{} with an unsafe fix {} left out of the totals (counted \
             with `sparkfix report --unsafe-fixes`).",
            summary.left_out,
            plural(summary.left_out),
            if summary.left_out == 1 { "is" } else { "are" }
        );
    }
    let _ = writeln!(
        out,
        "- The replay model is {:+.0}% off the measured run.\n",
        summary.model_error * 100.0
    );

    out.push_str("## Findings, by estimated savings\n\n");
    if report.findings.is_empty() {
        out.push_str("No finding on the files of this job.\n\n");
    }
    for (index, finding) in report.findings.iter().enumerate() {
        let _ = writeln!(
            out,
            "### {}. {} `{}`: `{}:{}`\n",
            index + 1,
            finding.code,
            finding.name,
            finding.file,
            finding.line
        );
        let _ = writeln!(
            out,
            "**Found** ({}): {}\n",
            finding.evidence, finding.message
        );
        match &finding.fix {
            Some(fix) => {
                let _ = writeln!(
                    out,
                    "**Fix** ({}{}):\n\n```diff\n{}```\n",
                    fix.applicability,
                    if fix.applicability == "unsafe" {
                        ", with `--unsafe-fixes`"
                    } else {
                        ""
                    },
                    fix.diff
                );
            }
            None => out.push_str("**Fix**: none in the code; the finding says where.\n\n"),
        }
        match &finding.estimate {
            Estimate::Modelled {
                saved_ms,
                task_ms_removed,
                method,
            } => {
                let _ = writeln!(
                    out,
                    "**Estimated impact** (modelled): {} per run ({:.0}% of the run), {}{}. \
                     Method: {method}.\n",
                    faster_or_slower(*saved_ms),
                    saved_ms.unsigned_abs() as f64 / summary.measured_ms.max(1) as f64 * 100.0,
                    task_time_change(*task_ms_removed),
                    if finding.in_total {
                        ""
                    } else {
                        " (not in the totals: an unsafe fix, without `--unsafe-fixes`)"
                    }
                );
            }
            Estimate::NotEstimated { reason } => {
                let _ = writeln!(
                    out,
                    "**Estimated impact**: not estimated. {}\n",
                    one_line(reason)
                );
            }
        }
        let _ = writeln!(out, "**Confidence**: {}.\n", finding.confidence);
    }

    let resources = &report.resources;
    out.push_str("## Resources and cost\n\n");
    let _ = writeln!(
        out,
        "Utilization now (measured): {:.0}%; after the fixes on {} executor{} (modelled): {:.0}%.\n",
        resources.utilization_now * 100.0,
        summary.after_cluster.executors,
        plural(summary.after_cluster.executors as usize),
        resources.utilization_after * 100.0
    );
    out.push_str(
        "| executors | cores | now: duration | now: cost | after fixes: duration | after fixes: \
         utilization | after fixes: cost |\n| --- | --- | --- | --- | --- | --- | --- |\n",
    );
    for (before, after) in resources.before.iter().zip(&resources.after) {
        let _ = writeln!(
            out,
            "| {}{} | {} | {} | {} | {} | {:.0}% | {} |",
            before.cluster.executors,
            mark(before, resources.recommended.as_ref()),
            before.cluster.slots(),
            seconds(before.duration_ms),
            money(before.cost),
            seconds(after.duration_ms),
            after.utilization * 100.0,
            money(after.cost)
        );
    }
    let _ = writeln!(
        out,
        "\n(measured: the size the run had; recommended: the fewest executors within {:.0}% of \
         the fastest after the fixes.) Method: {}. Costs: {}.\n",
        resources.tolerance * 100.0,
        resources.method,
        summary.cost_method
    );

    out.push_str("## Implementation plan\n\n");
    for (index, step) in report.plan.iter().enumerate() {
        let _ = writeln!(out, "{}. **{}.** {}", index + 1, step.title, step.detail);
    }
    out.push_str("\n## Monitoring after the change\n\n");
    out.push_str("| what | now (measured) | expected |\n| --- | --- | --- |\n");
    for monitor in &report.monitoring {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            monitor.what,
            monitor.now.replace('|', "\\|"),
            monitor.expect
        );
    }
    out
}

fn mark(size: &Sizing, recommended: Option<&Sizing>) -> &'static str {
    let chosen = recommended.is_some_and(|r| r.cluster == size.cluster);
    match (size.measured, chosen) {
        (true, true) => " (measured, recommended)",
        (true, false) => " (measured)",
        (false, true) => " (recommended)",
        (false, false) => "",
    }
}

/// Dollars: cents from a cent up, two significant digits below (a local run costs fractions of
/// a cent).
pub(crate) fn money(value: f64) -> String {
    let magnitude = value.abs();
    let sign = if value < 0.0 { "-" } else { "" };
    if magnitude >= 0.01 || magnitude == 0.0 {
        format!("{sign}${magnitude:.2}")
    } else {
        let decimals = (-magnitude.log10().floor()) as usize + 1;
        format!("{sign}${magnitude:.decimals$}")
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A YAML block as one paragraph.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The executive summary's savings, in time and in money; either can be a loss (the fixes add
/// work, or the recommended cluster is larger and costs more while it runs faster).
pub(crate) fn savings_text(summary: &crate::model::Summary) -> String {
    let share = |ms: i64| ms.unsigned_abs() as f64 / summary.measured_ms.max(1) as f64 * 100.0;
    let time = if summary.saved_per_run_ms >= 0 {
        format!(
            "{} per run ({:.0}% of the time)",
            seconds(summary.saved_per_run_ms as u64),
            share(summary.saved_per_run_ms)
        )
    } else {
        format!(
            "none in time: the run is {} ({:.0}% of the time)",
            faster_or_slower(summary.saved_per_run_ms),
            share(summary.saved_per_run_ms)
        )
    };
    let runs = trim(summary.runs_per_month);
    let money_part = if summary.saved_per_run_cost >= 0.0 {
        format!(
            "{} per run, {} per month at {runs} runs, {} per year",
            money(summary.saved_per_run_cost),
            money(summary.saved_per_month_cost),
            money(summary.saved_per_year_cost)
        )
    } else {
        format!(
            "but {} more per run ({} per month at {runs} runs, {} per year), as the recommended \
             cluster is larger",
            money(-summary.saved_per_run_cost),
            money(-summary.saved_per_month_cost),
            money(-summary.saved_per_year_cost)
        )
    };
    format!("{time}; {money_part}")
}

#[cfg(test)]
mod tests {
    use super::money;

    #[test]
    fn money_keeps_two_significant_digits_below_a_cent() {
        assert_eq!(money(11.0), "$11.00");
        assert_eq!(money(0.44), "$0.44");
        assert_eq!(money(0.0022), "$0.0022");
        assert_eq!(money(0.000036), "$0.000036");
        assert_eq!(money(0.0), "$0.00");
        assert_eq!(money(-0.5), "-$0.50");
    }
}
