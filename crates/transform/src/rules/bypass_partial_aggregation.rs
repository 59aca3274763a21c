//! SPK008 `bypass-partial-aggregation`: where an event log of the job (`--profile`) shows a
//! partial aggregation that kept nearly every row it read (nearly unique groups), set
//! `spark.sql.execution.bypassPartialAggregation` (Spark 4.3+), so that the rows go straight to
//! the shuffle and are aggregated once after it.
//!
//! See `rules/bypass-partial-aggregation.yaml` for what it does, why, and the fix.

use sparkfix_eventlog::replay::Change;
use sparkfix_eventlog::{PartialAggregate, Query, Run};

use super::session_setting::{SettingEdit, set_sql_setting};
use super::{Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Evidence, Impact};
use crate::settings::SparkVersion;
use crate::units::{human_count, human_seconds};

pub struct BypassPartialAggregation;

const KEY: &str = "spark.sql.execution.bypassPartialAggregation";
/// The first Spark version whose SQL configuration has the setting (`SQLConf`
/// `BYPASS_PARTIAL_AGGREGATION`, `.version("4.3.0")`).
const FIRST_VERSION: SparkVersion = SparkVersion::new(4, 3);

/// One measured partial aggregation and the query that ran it.
struct Measured<'r> {
    query: &'r Query,
    aggregate: &'r PartialAggregate,
    ratio: f64,
}

impl Rule for BypassPartialAggregation {
    fn code(&self) -> &'static str {
        "SPK008"
    }

    fn name(&self) -> &'static str {
        "bypass-partial-aggregation"
    }

    fn check(&self, ctx: &RuleContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        if ctx.settings.measurements.is_empty() {
            return;
        }
        if ctx
            .model
            .setting(KEY)
            .is_some_and(|setting| setting.value.trim().eq_ignore_ascii_case("true"))
        {
            return;
        }
        let min_rows = ctx
            .parameter(self, "min_input_rows")
            .as_integer()
            .unwrap_or(1_000_000)
            .max(1) as u64;
        let threshold = ctx
            .parameter(self, "min_output_ratio_percent")
            .as_integer()
            .unwrap_or(90)
            .clamp(1, 100) as f64
            / 100.0;
        // The run whose useless partial aggregations cost the most build time.
        let Some((run, aggregates)) = ctx
            .job_runs()
            .into_iter()
            .map(|run| (run, measured(run, min_rows)))
            .filter(|(_, aggregates)| aggregates.iter().any(|a| a.ratio >= threshold))
            .max_by_key(|(_, aggregates)| {
                aggregates
                    .iter()
                    .filter(|a| a.ratio >= threshold)
                    .filter_map(|a| a.aggregate.build_time_ms)
                    .sum::<u64>()
            })
        else {
            return;
        };
        let (useless, useful): (Vec<&Measured<'_>>, Vec<&Measured<'_>>) =
            aggregates.iter().partition(|a| a.ratio >= threshold);
        let first = useless[0];
        let build_ms: u64 = useless
            .iter()
            .filter_map(|a| a.aggregate.build_time_ms)
            .sum();
        let mut stage_ids: Vec<u64> = useless
            .iter()
            .flat_map(|a| a.aggregate.stage_ids.iter().copied())
            .collect();
        stage_ids.sort_unstable();
        stage_ids.dedup();
        let stage_ms: u64 = stage_ids
            .iter()
            .filter_map(|&id| run.stage(id))
            .map(|stage| stage.task_time_ms)
            .sum();
        let cost = match (build_ms, stage_ms) {
            (0, 0) => String::new(),
            (build, 0) => format!(", and its build took {} of task time", human_seconds(build)),
            (build, stage) => format!(
                ", and its build took {} of task time in stages that took {} (the most that \
                 skipping it can save: the sort or hash map it needs goes too)",
                human_seconds(build),
                human_seconds(stage)
            ),
        };
        let found = format!(
            "the partial aggregation by {} in query {} kept {} of {} rows ({:.0}%, at least {:.0}%): \
             combining rows by key before the shuffle reduced almost nothing{more}{cost}",
            keys(first.aggregate),
            first.query.id,
            human_count(first.aggregate.output_rows.unwrap_or(0)),
            human_count(first.aggregate.input_rows.unwrap_or(0)),
            first.ratio * 100.0,
            threshold * 100.0,
            more = match useless.len() {
                1 => String::new(),
                n => format!(" (and {} more partial aggregations like it)", n - 1),
            },
        );
        let version = run
            .spark_version
            .as_deref()
            .and_then(|v| v.parse::<SparkVersion>().ok());
        let evidence = Evidence::Measured(format!("event log {}", run.label()));
        let (range, edits, message) = if let Some(version) =
            version.filter(|&version| version < FIRST_VERSION)
        {
            let (range, _, _) = where_it_goes(ctx);
            (
                range,
                Vec::new(),
                format!(
                    "Skip this partial aggregation: {found}; `{KEY}` does it from Spark 4.3 (the \
                     run used {}.{}); on this version, no fix",
                    version.major, version.minor
                ),
            )
        } else if let Some(keeps) = useful.first() {
            let (range, _, _) = where_it_goes(ctx);
            (
                range,
                Vec::new(),
                format!(
                    "Consider `{KEY}` around query {} only: {found}; but the partial aggregation \
                     by {} in query {} kept {:.0}% of its rows, and the setting applies to every \
                     aggregation of the session (set it with `spark.conf.set` before the first \
                     and back to false after it); no fix",
                    first.query.id,
                    keys(keeps.aggregate),
                    keeps.query.id,
                    keeps.ratio * 100.0
                ),
            )
        } else {
            let (range, edits, place) = where_it_goes(ctx);
            (
                range,
                edits,
                format!(
                    "Set `{KEY}` to true{place}: {found}; the aggregation then runs once, after \
                     the shuffle, on the same rows"
                ),
            )
        };
        let mut diagnostic = ctx.diagnostic(self, range, message, evidence, edits);
        diagnostic.impact = Some(impact(run, &useless));
        out.push(diagnostic);
    }
}

/// Each useless partial aggregation's build time taken off the stages that ran it: a floor on
/// the saving (the sort a `SortAggregate` needs goes too, and is not counted).
fn impact(run: &Run, useless: &[&Measured<'_>]) -> Impact {
    let mut changes = Vec::new();
    for measured in useless {
        let aggregate = measured.aggregate;
        let (Some(build), stages) = (aggregate.build_time_ms, &aggregate.stage_ids) else {
            continue;
        };
        if stages.is_empty() {
            continue;
        }
        let share = build / stages.len() as u64;
        changes.extend(stages.iter().map(|&stage| Change::Shorten {
            stage,
            task_ms: share,
        }));
    }
    Impact {
        run: run.label().to_string(),
        changes,
        method: "the partial aggregation's measured build time taken off the tasks of its stage, \
                 then the run replayed; a floor: the sort or hash map it needs also goes, and the \
                 log does not time it apart from the stage"
            .to_string(),
    }
}

fn where_it_goes(
    ctx: &RuleContext<'_, '_>,
) -> (std::ops::Range<usize>, Vec<crate::edit::Edit>, &'static str) {
    let SettingEdit {
        range,
        edits,
        place,
    } = set_sql_setting(ctx, KEY, "true");
    (range, edits, place)
}

/// The run's partial aggregations over at least `min_rows` input rows, with their output ratio.
fn measured(run: &Run, min_rows: u64) -> Vec<Measured<'_>> {
    run.queries
        .iter()
        .flat_map(|query| {
            query
                .partial_aggregates
                .iter()
                .filter_map(move |aggregate| {
                    let ratio = aggregate.output_ratio()?;
                    (aggregate.input_rows? >= min_rows).then_some(Measured {
                        query,
                        aggregate,
                        ratio,
                    })
                })
        })
        .collect()
}

fn keys(aggregate: &PartialAggregate) -> String {
    let keys: Vec<String> = aggregate.keys.iter().map(|k| format!("`{k}`")).collect();
    keys.join(", ")
}
