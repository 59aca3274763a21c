//! SPK005 `count-in-passing`: a `count()` that only feeds log lines, on a frame a later action
//! reads completely anyway, scans the data for a log line alone. Reported with the action that
//! could count in passing (`DataFrame.observe`); the rewrite is not applied yet.
//!
//! See `rules/count-in-passing.yaml` for what it does, why, and when.

use super::{Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Evidence};
use crate::settings::SparkVersion;

pub struct CountInPassing;

/// `pyspark.sql.Observation` came with Spark 3.3.
const OBSERVATION: SparkVersion = SparkVersion::new(3, 3);

impl Rule for CountInPassing {
    fn code(&self) -> &'static str {
        "SPK005"
    }

    fn name(&self) -> &'static str {
        "count-in-passing"
    }

    fn check(&self, ctx: &RuleContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        if ctx.settings.target_spark < OBSERVATION {
            return;
        }
        let model = ctx.model;
        for fold in model.folds() {
            let count = model.action(fold.count);
            let into = model.action(fold.into);
            let frame = model.frame(fold.frame).name;
            let lines: Vec<String> = count
                .logged_in
                .iter()
                .flatten()
                .map(|line| ctx.line(line.start()).to_string())
                .collect();
            let noun = if lines.len() == 1 { "line" } else { "lines" };
            let reader = if into.method == "collect" || into.method == "toPandas" {
                format!("`{}()`", into.method)
            } else {
                "the write".to_owned()
            };
            let at = ctx.line(into.node.start());
            let message = format!(
                "This count of `{frame}` only feeds the log {noun} {}: count the rows in passing \
                 while {reader} at line {at} reads `{frame}` (`DataFrame.observe`), one full pass \
                 less",
                lines.join(", ")
            );
            let evidence = Evidence::Proven(format!(
                "the count's value reaches only log lines, and line {at} always runs after it and \
                 reads `{frame}` completely, once"
            ));
            out.push(ctx.diagnostic(self, count.node.range(), message, evidence, Vec::new()));
        }
    }
}
