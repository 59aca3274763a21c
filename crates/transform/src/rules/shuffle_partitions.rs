//! SPK006 `shuffle-partitions`: set `spark.sql.shuffle.partitions` from the shuffles an event log
//! of the job measured (`--profile`): the largest stage's shuffle read over a target partition
//! size, at least two tasks per core, a whole number of waves.
//!
//! See `rules/shuffle-partitions.yaml` for what it does, why, and the fix.

use sparkfix_eventlog::{Run, Stage, replay};

use super::session_setting::{SettingEdit, set_sql_setting, settings_of};
use super::{Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Evidence};
use crate::settings::SparkVersion;
use crate::units::human_bytes;

pub struct ShufflePartitions;

const KEY: &str = "spark.sql.shuffle.partitions";

impl Rule for ShufflePartitions {
    fn code(&self) -> &'static str {
        "SPK006"
    }

    fn name(&self) -> &'static str {
        "shuffle-partitions"
    }

    fn check(&self, ctx: &RuleContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        if ctx.settings.measurements.is_empty() {
            return;
        }
        let runs = ctx.job_runs();
        // The run whose largest shuffle was largest: the partitions must fit that one.
        let Some((run, recommended)) = runs
            .iter()
            .filter_map(|run| Some((*run, self.recommend(ctx, run)?)))
            .max_by_key(|(_, r)| r.shuffle_bytes)
        else {
            return;
        };
        let settings = settings_of(ctx, KEY);
        let current = settings
            .last()
            .and_then(|setting| setting.value.trim().parse::<u64>().ok())
            .or_else(|| run.property(KEY)?.trim().parse().ok())
            .unwrap_or(200);
        let adaptive = adaptive_in(ctx, run);
        let ratio = |a: u64, b: u64| a.max(b) as f64 / a.min(b).max(1) as f64;
        let threshold = if adaptive {
            self.integer(ctx, "aqe_far_off_ratio", 4) as f64
        } else {
            1.0 + self.integer(ctx, "min_change_percent", 50) as f64 / 100.0
        };
        if ratio(current, recommended.partitions) < threshold {
            return;
        }
        let n = recommended.partitions;
        let aqe = if adaptive {
            format!(
                "; with AQE on this is the initial count, which AQE merges but does not split, and \
                 {current} is more than {threshold}x off"
            )
        } else {
            String::new()
        };
        let SettingEdit {
            range,
            edits,
            place,
        } = set_sql_setting(ctx, KEY, &n.to_string());
        let message = format!(
            "Set `{KEY}` to {n} (now {current}){place}: {}{aqe}",
            recommended.method
        );
        let evidence = Evidence::Measured(format!("event log {}", run.label()));
        out.push(ctx.diagnostic(self, range, message, evidence, edits));
    }
}

/// The partition count a run's shuffles call for, and how it was computed.
struct Recommendation {
    partitions: u64,
    shuffle_bytes: u64,
    method: String,
}

impl ShufflePartitions {
    fn integer(&self, ctx: &RuleContext<'_, '_>, name: &str, default: i64) -> u64 {
        ctx.parameter(self, name)
            .as_integer()
            .unwrap_or(default)
            .max(1) as u64
    }

    /// `ceil(largest stage shuffle read / target)`, doubled when a stage that read a shuffle
    /// spilled, at least 2 x the cores, rounded up to a multiple of the cores. `None` when the
    /// run shuffled nothing or the log lacks its cores.
    fn recommend(&self, ctx: &RuleContext<'_, '_>, run: &Run) -> Option<Recommendation> {
        let cores = u64::from(replay::measured_slots(run)?);
        let largest: &Stage = run
            .stages
            .iter()
            .filter(|stage| stage.shuffle_read_bytes > 0)
            .max_by_key(|stage| stage.shuffle_read_bytes)?;
        let target = self.integer(ctx, "target_partition_bytes", 128 << 20);
        let by_size = largest.shuffle_read_bytes.div_ceil(target).max(1);
        let spilled: u64 = run
            .stages
            .iter()
            .filter(|stage| stage.shuffle_read_bytes > 0)
            .map(|stage| stage.memory_spill_bytes + stage.disk_spill_bytes)
            .sum();
        let (by_size, spill) = if spilled > 0 {
            (
                by_size * 2,
                format!(
                    ", x 2 as the stages that read shuffles spilled {}",
                    human_bytes(spilled)
                ),
            )
        } else {
            (by_size, String::new())
        };
        let floor = 2 * cores;
        let partitions = by_size.max(floor).div_ceil(cores) * cores;
        Some(Recommendation {
            partitions,
            shuffle_bytes: largest.shuffle_read_bytes,
            method: format!(
                "stage {} read the largest shuffle, {read}: {read} / {} per partition = {}{spill}, \
                 at least 2 x {cores} cores, rounded up to a multiple of {cores}: {partitions}",
                largest.id,
                human_bytes(target),
                largest.shuffle_read_bytes.div_ceil(target).max(1),
                read = human_bytes(largest.shuffle_read_bytes),
            ),
        })
    }
}

/// Whether Adaptive Query Execution was on in the run: the code's own setting, else the run's
/// property, else Spark's default (on since 3.2).
fn adaptive_in(ctx: &RuleContext<'_, '_>, run: &Run) -> bool {
    let key = "spark.sql.adaptive.enabled";
    if let Some(setting) = ctx.model.setting(key) {
        return !setting.is_false();
    }
    match run.property(key) {
        Some(value) => !value.trim().eq_ignore_ascii_case("false"),
        None => run
            .spark_version
            .as_deref()
            .and_then(|v| v.parse::<SparkVersion>().ok())
            .is_none_or(|version| version >= SparkVersion::new(3, 2)),
    }
}
