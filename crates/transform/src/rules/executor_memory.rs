//! SPK007 `executor-memory`: size the executors' JVM heap from the memory an event log of the job
//! measured (`--profile`), with headroom, in whole GiB. In local mode the driver's JVM runs the
//! tasks, so the setting that applies there is `spark.driver.memory`.
//!
//! See `rules/executor-memory.yaml` for what it does, why, and the fix.

use sparkfix_eventlog::{Run, memory_bytes};

use super::{Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Evidence};
use crate::edit::{Applicability, Edit, Fix};
use crate::model::ConfSetting;
use crate::units::human_bytes;

pub struct ExecutorMemory;

/// Spark's reserved system memory per JVM, outside the unified memory pool.
const RESERVED: u64 = 300 << 20;
const GIB: u64 = 1 << 30;

impl Rule for ExecutorMemory {
    fn code(&self) -> &'static str {
        "SPK007"
    }

    fn name(&self) -> &'static str {
        "executor-memory"
    }

    fn check(&self, ctx: &RuleContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        if ctx.settings.measurements.is_empty() {
            return;
        }
        let model = ctx.model;
        let runs = ctx.job_runs();
        let Some((run, need)) = runs
            .iter()
            .filter_map(|run| Some((*run, self.need(ctx, run)?)))
            .max_by_key(|(_, need)| need.recommended)
        else {
            return;
        };
        let local = run
            .property("spark.master")
            .is_some_and(|master| master.trim().starts_with("local"));
        let key = if local {
            "spark.driver.memory"
        } else {
            "spark.executor.memory"
        };
        let settings: Vec<&ConfSetting<'_>> = model
            .conf
            .iter()
            .filter(|setting| setting.key == key)
            .collect();
        let current = settings
            .last()
            .map(|setting| setting.value)
            .or_else(|| run.property(key))
            .and_then(memory_bytes)
            .unwrap_or(GIB);
        let recommended = need.recommended;
        if recommended.div_ceil(GIB) == current.div_ceil(GIB) {
            return;
        }
        let gib = recommended / GIB;
        // A static setting: only the builder that starts the session can set it.
        let in_builder = settings.iter().all(|setting| {
            model.sessions.iter().any(|session| {
                let builder = session.builder.range();
                builder.start <= setting.node.start() && setting.node.end() <= builder.end
            })
        });
        let edits: Vec<Edit> = if in_builder {
            settings
                .iter()
                .filter_map(|setting| setting.value_range.clone())
                .map(|range| Edit::replace(range, format!("{gib}g")))
                .collect()
        } else {
            Vec::new()
        };
        let elsewhere = " where the cluster is configured (spark-submit, the cluster's or the Glue \
                         job's settings: it is static, `spark.conf.set` cannot change it)";
        let (range, place) = match settings.first() {
            Some(setting) if !edits.is_empty() => (setting.node.range(), ""),
            Some(setting) => (setting.node.range(), elsewhere),
            None => (
                model
                    .sessions
                    .first()
                    .map(|session| session.builder.range())
                    .or_else(|| model.read_sites.first().map(|site| site.node.range()))
                    .unwrap_or(0..0),
                elsewhere,
            ),
        };
        let local_note = if local {
            " (a local run: the driver's JVM runs the tasks)"
        } else {
            ""
        };
        // Less memory than the job has rests on the runs measured: a larger input next time may
        // need it. Raising it is safe; lowering it is left to `--unsafe-fixes`.
        let lowering = recommended < current;
        let caution = if lowering && !edits.is_empty() {
            "; lowering it rests on the measured runs only (unsafe fix)"
        } else {
            ""
        };
        let message = format!(
            "Set `{key}` to {gib}g (now {}){place}{local_note}: {}{caution}",
            human_bytes(current),
            need.method
        );
        let evidence = Evidence::Measured(format!("event log {}", run.label()));
        let mut diagnostic = ctx.diagnostic(self, range, message, evidence, edits);
        if lowering {
            diagnostic.fix = diagnostic
                .fix
                .take()
                .and_then(|fix| Fix::new(fix.edits().to_vec(), Applicability::Unsafe));
        }
        out.push(diagnostic);
    }
}

/// The heap a run's tasks needed, and how it was computed.
struct Need {
    /// With headroom, rounded up to whole GiB.
    recommended: u64,
    method: String,
}

impl ExecutorMemory {
    /// The heap the measured peaks call for: the unified memory pool the busiest stage needed
    /// (its peak execution memory per task plus what its tasks spilled on average, times the
    /// tasks an executor runs at once) over `spark.memory.fraction`, plus the reserved 300 MiB;
    /// at least the JVM heap peak when the log has executor metrics; with `headroom_percent`
    /// more, rounded up to whole GiB. `None` without any memory figure.
    fn need(&self, ctx: &RuleContext<'_, '_>, run: &Run) -> Option<Need> {
        let cores = u64::from(run.executors.cores?.max(1));
        let fraction: f64 = run
            .property("spark.memory.fraction")
            .and_then(|value| value.parse().ok())
            .unwrap_or(0.6);
        let (per_task, stage) = run
            .stages
            .iter()
            .filter(|stage| stage.tasks > 0)
            .map(|stage| {
                let spill = stage.memory_spill_bytes / stage.tasks.max(1);
                (stage.peak_execution_memory + spill, stage)
            })
            .max_by_key(|(bytes, _)| *bytes)?;
        if per_task == 0 && run.executors.peak_heap_bytes.is_none() {
            return None;
        }
        let from_pool = (per_task as f64 * cores as f64 / fraction) as u64 + RESERVED;
        let heap = run.executors.peak_heap_bytes;
        let needed = heap.map_or(from_pool, |heap| heap.max(from_pool));
        let headroom = ctx
            .parameter(self, "headroom_percent")
            .as_integer()
            .unwrap_or(20)
            .max(0) as u64;
        let with_headroom = needed + needed * headroom / 100;
        let recommended = with_headroom.div_ceil(GIB).max(1) * GIB;
        let spilled = if stage.memory_spill_bytes > 0 {
            format!(
                " + {} spilled per task on average",
                human_bytes(stage.memory_spill_bytes / stage.tasks.max(1))
            )
        } else {
            String::new()
        };
        let heap_part = heap.map_or(String::new(), |heap| {
            format!("the JVM heap peaked at {}, at least ", human_bytes(heap))
        });
        Some(Need {
            recommended,
            method: format!(
                "{heap_part}stage {} needed {} of execution memory per task{spilled}, x {cores} \
                 tasks at once / {fraction} memory fraction + 300 MiB reserved = {}; + \
                 {headroom}% headroom = {}, rounded up to whole GiB",
                stage.id,
                human_bytes(stage.peak_execution_memory),
                human_bytes(from_pool),
                human_bytes(with_headroom),
            ),
        })
    }
}
