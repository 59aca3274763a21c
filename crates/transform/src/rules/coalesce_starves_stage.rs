//! SPK011 `coalesce-starves-stage`: `coalesce(n)` with a small `n` on a frame whose stage does
//! real work runs that whole stage on `n` tasks (a coalesce adds no shuffle); `repartition(n)`
//! keeps the stage on its partitions and adds one shuffle of its result.
//!
//! See `rules/coalesce-starves-stage.yaml` for what it does, why, and the fix.

use super::{Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Evidence};
use crate::edit::Edit;
use crate::model::{CoalesceCall, Shape};

pub struct CoalesceStarvesStage;

impl Rule for CoalesceStarvesStage {
    fn code(&self) -> &'static str {
        "SPK011"
    }

    fn name(&self) -> &'static str {
        "coalesce-starves-stage"
    }

    fn check(&self, ctx: &RuleContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        for found in &ctx.model.coalesces {
            let Some(n) = found.partitions else {
                continue;
            };
            if !starves(ctx, n) || found.ordered || found.cached || found.layout.controlled {
                continue;
            }
            let Some((work, proof)) = stage_work(ctx, found) else {
                if let Some(measured) = self.measured(ctx, found, n) {
                    out.push(measured);
                }
                continue;
            };
            let tasks = if n == 1 {
                "1 task".to_string()
            } else {
                format!("{n} tasks")
            };
            let message = format!(
                "Use `repartition({n})` instead of `coalesce({n})`: a coalesce adds no shuffle, so \
                 the whole stage before it ({work}) runs on {tasks}; `repartition({n})` keeps that \
                 stage on all its partitions and adds one shuffle of its result (spark-facts.md \
                 measured `coalesce(2)` 8.5 s against `repartition(2)` 4.4 s + 2.7 s on 16 input \
                 splits)"
            );
            let evidence = Evidence::Proven(proof);
            let edits = vec![Edit::replace(found.method.range(), "repartition")];
            out.push(ctx.diagnostic(self, found.call.range(), message, evidence, edits));
        }
    }
}

impl CoalesceStarvesStage {
    /// A coalesce the code does not prove costly, before a write an event log measured: its
    /// stage ran on `n` tasks for `min_stage_ms` or more of task time while the run had more task
    /// slots.
    fn measured(
        &self,
        ctx: &RuleContext<'_, '_>,
        found: &CoalesceCall<'_>,
        n: u64,
    ) -> Option<Diagnostic> {
        if ctx.settings.measurements.is_empty() {
            return None;
        }
        let write = ctx
            .model
            .writes
            .iter()
            .find(|write| write.frame.end() == found.call.end())?;
        let target = write.target_pattern.as_ref()?;
        let stage = ctx.settings.measurements.narrow_write_stage(target, n)?;
        let min_ms = ctx
            .parameter(self, "min_stage_ms")
            .as_integer()
            .unwrap_or(2000)
            .max(0) as u64;
        if stage.task_time_ms < min_ms {
            return None;
        }
        let seconds = crate::units::human_seconds;
        let spread = stage.task_time_ms / stage.slots;
        let message = format!(
            "Use `repartition({n})` instead of `coalesce({n})`: the write's stage ran on {n} \
             task(s) for {} of task time while the run had {} task slots; repartitioned, that \
             work runs on the stage's input splits, about {} if it spreads over all the slots, \
             plus one shuffle of its output (not estimated)",
            seconds(stage.task_time_ms),
            stage.slots,
            seconds(spread)
        );
        let evidence = Evidence::Measured(format!(
            "{}: {} task(s), {} of task time, {} slots",
            stage.evidence,
            stage.tasks,
            seconds(stage.task_time_ms),
            stage.slots
        ));
        let edits = vec![Edit::replace(found.method.range(), "repartition")];
        Some(ctx.diagnostic(self, found.call.range(), message, evidence, edits))
    }
}

/// Whether a coalesce to `n` partitions starves the stage it shrinks: `n` below the rule's
/// `min_tasks` (the cores of a small cluster). control-output-files asks the same before it
/// coalesces a post-shuffle write, so that it never inserts what this rule flags.
pub(super) fn starves(ctx: &RuleContext<'_, '_>, n: u64) -> bool {
    let min_tasks = ctx
        .parameter(&CoalesceStarvesStage, "min_tasks")
        .as_integer()
        .unwrap_or(8)
        .max(1) as u64;
    n < min_tasks
}

/// What the coalesced stage does and the proof, when the code proves it real work: the reduce
/// side of the shuffle that made the receiver's partitions (a join's, an aggregation's or a
/// window's), or a Python UDF over a map-only lineage. `None` for a cheap or unknown stage (a scan
/// and narrow steps: a repartition would only add a shuffle).
fn stage_work(ctx: &RuleContext<'_, '_>, found: &CoalesceCall<'_>) -> Option<(String, String)> {
    match found.layout.shape {
        Shape::Shuffled => {
            let at = found
                .layout
                .shuffled_at
                .map_or(String::new(), |at| format!(" at line {}", ctx.line(at)));
            Some((
                format!(
                    "the reduce side of the shuffle{at}: a join's, an aggregation's or a window's work"
                ),
                format!("its partitions come from the shuffle{at}, and nothing after it sets them"),
            ))
        }
        Shape::MapOnly if found.udf => Some((
            "a Python UDF over every row of the scan".to_string(),
            "a Python UDF runs in the map-only stage".to_string(),
        )),
        _ => None,
    }
}
