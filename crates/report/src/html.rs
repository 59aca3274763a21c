//! The report as one self-contained HTML page (inline CSS and SVG; no script, no network):
//! the Markdown's content, with the stage timeline of the measured run and the modelled one
//! after the fixes drawn on the same time axis.

use std::fmt::Write;

use crate::build::{faster_or_slower, seconds};
use crate::markdown::{money, savings_text};
use crate::model::{Estimate, Report};
use crate::svg::{escape, timeline};

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;\
padding:0 1em;color:#222}h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}\
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .6em;\
text-align:left}pre{background:#f6f8fa;padding:.6em;overflow-x:auto}.add{color:#116329}\
.del{color:#82071e}.hunk{color:#0550ae}.muted{color:#666}.timeline .title{font-weight:bold;\
font-size:13px}.timeline .label,.timeline .tick{font-size:11px;fill:#444}.timeline .band{\
fill:#f1f3f5}.timeline .busy{fill:#74c0fc}.timeline .stage{fill:#4263eb}.timeline .axis{\
stroke:#888}";

pub fn render(report: &Report) -> String {
    let job = &report.job;
    let summary = &report.summary;
    let name = escape(job.app_name.as_deref().unwrap_or("Spark job"));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Optimization \
         report: {name}</title><style>{STYLE}</style></head><body>"
    );
    let _ = writeln!(out, "<h1>Optimization report: {name}</h1>");
    let _ = writeln!(
        out,
        "<p class=\"muted\">Run <code>{}</code>, Spark {}, {} executor(s) x {} cores, event log \
         <code>{}</code>. <em>Measured</em> figures were read from the log; <em>modelled</em> \
         ones replay its measured tasks with a change.</p>",
        escape(job.app_id.as_deref().unwrap_or("?")),
        escape(job.spark_version.as_deref().unwrap_or("?")),
        job.cluster.executors,
        job.cluster.cores_per_executor,
        escape(&job.log)
    );

    out.push_str("<h2>Executive summary</h2><ul>");
    let _ = writeln!(
        out,
        "<li><b>Now</b> (measured): {} and {} per run ({}).</li>",
        seconds(summary.measured_ms),
        money(summary.measured_cost),
        escape(&summary.cost_method)
    );
    let _ = writeln!(
        out,
        "<li><b>After the fixes</b> (modelled): {} on {} executor(s), {} per run.</li>",
        seconds(summary.after_ms),
        summary.after_cluster.executors,
        money(summary.after_cost)
    );
    let _ = writeln!(
        out,
        "<li><b>Savings</b> (modelled): {}.</li><li>{} finding(s) without a time estimate, not \
         counted. The replay model is {:+.0}% off the measured run.</li></ul>",
        escape(&savings_text(summary)),
        summary.not_estimated,
        summary.model_error * 100.0
    );

    let timeline_data = &report.timeline;
    let scale = timeline_data.measured_ms.max(timeline_data.after_ms);
    out.push_str("<h2>Stage timeline</h2><figure id=\"timeline\">");
    out.push_str(&timeline(
        &format!(
            "Measured run: {} on {} slots",
            seconds(timeline_data.measured_ms),
            timeline_data.measured_slots
        ),
        &timeline_data.measured,
        timeline_data.measured_slots,
        scale,
    ));
    out.push_str(&timeline(
        &format!(
            "Modelled after the fixes: {} on {} slots (its own clock, before the correction to the \
             measured duration)",
            seconds(timeline_data.after_ms),
            timeline_data.after_slots
        ),
        &timeline_data.after,
        timeline_data.after_slots,
        scale,
    ));
    out.push_str(
        "<figcaption class=\"muted\">Bars: each stage from its start to its end. Band: the \
         slots busy over time (each stage's task time spread evenly over its span).</figcaption>\
         </figure>",
    );

    out.push_str("<h2>Findings, by estimated savings</h2>");
    for (index, finding) in report.findings.iter().enumerate() {
        let _ = writeln!(
            out,
            "<h3>{}. {} <code>{}</code>: <code>{}:{}</code></h3><p><b>Found</b> ({}): {}</p>",
            index + 1,
            escape(&finding.code),
            escape(&finding.name),
            escape(&finding.file),
            finding.line,
            escape(&finding.evidence),
            escape(&finding.message)
        );
        if let Some(fix) = &finding.fix {
            let _ = writeln!(
                out,
                "<p><b>Fix</b> ({}):</p><pre>{}</pre>",
                escape(&fix.applicability),
                diff_html(&fix.diff)
            );
        }
        let impact = match &finding.estimate {
            Estimate::Modelled {
                saved_ms, method, ..
            } => format!(
                "<b>Estimated impact</b> (modelled): {} per run. Method: {}.",
                faster_or_slower(*saved_ms),
                escape(method)
            ),
            Estimate::NotEstimated { reason } => format!(
                "<b>Estimated impact</b>: not estimated. {}",
                escape(&reason.split_whitespace().collect::<Vec<_>>().join(" "))
            ),
        };
        let _ = writeln!(
            out,
            "<p>{impact}</p><p><b>Confidence</b>: {}.</p>",
            escape(&finding.confidence)
        );
    }

    let resources = &report.resources;
    out.push_str("<h2>Resources and cost</h2><table><tr><th>executors</th><th>cores</th><th>now: duration</th><th>now: cost</th><th>after fixes: duration</th><th>after fixes: utilization</th><th>after fixes: cost</th></tr>");
    for (before, after) in resources.before.iter().zip(&resources.after) {
        let chosen = resources
            .recommended
            .as_ref()
            .is_some_and(|r| r.cluster == before.cluster);
        let _ = writeln!(
            out,
            "<tr><td>{}{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.0}%</td><td>{}</td></tr>",
            before.cluster.executors,
            if before.measured { " (measured)" } else { "" },
            if chosen { " (recommended)" } else { "" },
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
        "</table><p class=\"muted\">Method: {}.</p>",
        escape(&resources.method)
    );

    out.push_str("<h2>Implementation plan</h2><ol>");
    for step in &report.plan {
        let _ = writeln!(
            out,
            "<li><b>{}.</b> {}</li>",
            escape(&step.title),
            escape(&step.detail)
        );
    }
    out.push_str("</ol><h2>Monitoring after the change</h2><table><tr><th>what</th><th>now (measured)</th><th>expected</th></tr>");
    for monitor in &report.monitoring {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&monitor.what),
            escape(&monitor.now),
            escape(&monitor.expect)
        );
    }
    out.push_str("</table></body></html>\n");
    out
}

/// A unified diff with its added, removed and hunk lines marked.
fn diff_html(diff: &str) -> String {
    let mut out = String::new();
    for line in diff.lines() {
        let class = if line.starts_with("+++") || line.starts_with("---") {
            ""
        } else if line.starts_with('+') {
            "add"
        } else if line.starts_with('-') {
            "del"
        } else if line.starts_with("@@") {
            "hunk"
        } else {
            ""
        };
        if class.is_empty() {
            let _ = writeln!(out, "{}", escape(line));
        } else {
            let _ = writeln!(out, "<span class=\"{class}\">{}</span>", escape(line));
        }
    }
    out
}
