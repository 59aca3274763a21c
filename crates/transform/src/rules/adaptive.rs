//! What Adaptive Query Execution does for a file: whether it merges small post-shuffle
//! partitions and whether `hint("rebalance")` exists, from the target Spark version and the
//! settings the code makes. Read by the rules that weigh output files.

use super::RuleContext;
use crate::settings::SparkVersion;

/// What Adaptive Query Execution does for this file, and why.
pub(super) struct Adaptive {
    /// AQE merges small post-shuffle partitions.
    pub(super) coalesces: bool,
    /// `hint("rebalance")` is available (Spark 3.2 or newer with AQE on).
    pub(super) rebalance: bool,
    /// Why AQE is off, for messages.
    pub(super) off_because: String,
}

impl Adaptive {
    /// Whether AQE is on for the file: an explicit `spark.sql.adaptive.enabled` (or its
    /// `coalescePartitions.enabled`) setting in the code, else the target version's default.
    pub(super) fn of(ctx: &RuleContext<'_, '_>) -> Adaptive {
        let target = ctx.settings.target_spark;
        let modern = target >= SparkVersion::new(3, 2);
        let setting = |key: &str| ctx.model.setting(key);
        let (enabled, off_because) = match setting("spark.sql.adaptive.enabled") {
            Some(s) if s.is_false() => (
                false,
                format!("AQE turned off at line {}", ctx.line(s.node.start())),
            ),
            Some(_) => (true, String::new()),
            None if modern => (true, String::new()),
            None => (
                false,
                format!("Spark {target}: AQE is off by default before 3.2"),
            ),
        };
        let coalescing_off = setting("spark.sql.adaptive.coalescePartitions.enabled")
            .filter(|s| s.is_false())
            .map(|s| {
                format!(
                    "AQE partition coalescing turned off at line {}",
                    ctx.line(s.node.start())
                )
            });
        let coalesces = enabled && coalescing_off.is_none();
        Adaptive {
            coalesces,
            rebalance: modern && enabled,
            off_because: if enabled {
                coalescing_off
                    .unwrap_or_else(|| format!("Spark {target} without `hint(\"rebalance\")`"))
            } else {
                off_because
            },
        }
    }
}

/// Spark's default `spark.sql.shuffle.partitions`.
const DEFAULT_SHUFFLE_PARTITIONS: &str = "200";

/// The number of shuffle partitions the file runs with: its own `spark.sql.shuffle.partitions`
/// setting, else Spark's default.
pub(super) fn shuffle_partitions<'t>(ctx: &RuleContext<'_, 't>) -> &'t str {
    ctx.model
        .setting("spark.sql.shuffle.partitions")
        .map_or(DEFAULT_SHUFFLE_PARTITIONS, |s| s.value)
}
