//! SPK002 `broadcast-small-table`: broadcast the right side of a join when it is provably small.
//!
//! See `rules/broadcast-small-table.yaml` for what it does, why, and the fix.

use sparkfix_syntax::SyntaxNode;

use super::name_pattern::first_match;
use super::{Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Evidence, Impact};
use crate::edit::Edit;
use crate::edits::reference_member;
use sparkfix_eventlog::JoinStrategy;

use crate::measured::RelationSize;
use crate::model::{Join, JoinSide, JoinType, SizeFacts, Source, Ty};
use crate::units::human_bytes;

pub struct BroadcastSmallTable;

impl Rule for BroadcastSmallTable {
    fn code(&self) -> &'static str {
        "SPK002"
    }

    fn name(&self) -> &'static str {
        "broadcast-small-table"
    }

    fn check(&self, ctx: &RuleContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        let found: Vec<(&JoinSide<'_>, Small, Option<Impact>)> = ctx
            .model
            .joins
            .iter()
            .filter(|join| honours_broadcast(join))
            .filter_map(|join| {
                let right = join.right.as_ref()?;
                let small = self.small(ctx, join, right)?;
                let impact = right
                    .size
                    .as_ref()
                    .and_then(|facts| facts.source.as_ref())
                    .and_then(|source| {
                        ctx.settings
                            .measurements
                            .broadcast_impact(&join.left_reads, source)
                    });
                // Measured to cost more than it saves (an aggregation above the join relies
                // on its partitioning): the join is better left as it is.
                if impact
                    .as_ref()
                    .is_some_and(|impact| ctx.settings.measurements.added_task_ms(impact) > 0)
                {
                    return None;
                }
                Some((right, small, impact))
            })
            .collect();
        let Some(first) = found.iter().map(|(right, ..)| right.node.start()).min() else {
            return;
        };
        // One way to name `broadcast` for the whole file, valid before its first use.
        let reference = reference_member(ctx.file, "pyspark.sql.functions", "broadcast", first);
        for (right, small, impact) in found {
            let node = right.node;
            let mut edits = vec![
                Edit::insert(node.start(), format!("{}(", reference.expr)),
                Edit::insert(node.end(), ")"),
            ];
            edits.extend(reference.edit.clone());
            let message = format!(
                "Broadcast {} in this join: the other side is joined where it lies instead of \
                 being shuffled",
                describe(node),
            );
            let mut diagnostic = ctx.diagnostic(self, node.range(), message, small.evidence, edits);
            diagnostic.impact = impact;
            out.push(diagnostic);
        }
    }
}

/// Why the right side counts as small.
struct Small {
    evidence: Evidence,
}

/// What would turn a guess from a name into proof.
const CONFIRM: &str = "a size measured in a Spark event log of the job";

impl BroadcastSmallTable {
    /// Whether the right side is small, and on what evidence. A measured size decides alone;
    /// without one, literal rows and row limits prove it, and names and sources suggest it (a
    /// guess, never for a frame that arrives as a parameter: its caller decides its size).
    fn small(
        &self,
        ctx: &RuleContext<'_, '_>,
        join: &Join<'_>,
        right: &JoinSide<'_>,
    ) -> Option<Small> {
        if right.hinted || right.ty == Ty::StreamingFrame {
            return None;
        }
        let facts = right.size.clone().unwrap_or_default();
        if let Some(source) = &facts.source
            && let Some(measured) = ctx.settings.measurements.relation(source)
        {
            return self.measured(ctx, join, source, measured);
        }
        let proof = facts
            .literal_rows
            .then(|| "built from rows written in the program".to_owned())
            .or_else(|| {
                let max_rows = ctx.parameter(self, "max_limit_rows").as_integer()?;
                let rows = facts.row_limit?;
                (rows <= max_rows.max(0) as u64)
                    .then(|| format!("at most {rows} rows (`.limit({rows})`)"))
            });
        if let Some(proof) = proof {
            return Some(Small {
                evidence: Evidence::Proven(proof),
            });
        }
        if facts.parameter {
            return None;
        }
        let guess = self
            .matching_name(ctx, right.node, &facts)
            .or_else(|| self.matching_source(ctx, &facts))?;
        Some(Small {
            evidence: Evidence::Guessed {
                what: guess,
                confirm: CONFIRM.to_owned(),
            },
        })
    }

    /// The verdict of a measured right side: small enough, against a left side measured at
    /// least `min_size_ratio` times larger (or a read of stored data the logs did not measure),
    /// in a join the logs did not already run as a broadcast.
    fn measured(
        &self,
        ctx: &RuleContext<'_, '_>,
        join: &Join<'_>,
        source: &Source,
        right: RelationSize,
    ) -> Option<Small> {
        let measurements = &ctx.settings.measurements;
        let limit = ctx
            .parameter(self, "max_broadcast_bytes")
            .as_integer()
            .unwrap_or(0)
            .max(0) as u64;
        let ratio = ctx
            .parameter(self, "min_size_ratio")
            .as_integer()
            .unwrap_or(1)
            .max(1) as u64;
        if right.bytes > limit {
            return None;
        }
        let ran = measurements.join(&join.left_reads, source);
        if ran
            .as_ref()
            .is_some_and(|ran| !ran.strategy.shuffles_both_sides())
        {
            return None;
        }
        let right_text = format!(
            "`{}` is {} {} ({})",
            source.identifier(),
            human_bytes(right.bytes),
            if right.in_memory { "in memory" } else { "read" },
            right.evidence
        );
        let left = ran
            .as_ref()
            .and_then(|ran| {
                let bytes = ran.left_bytes?;
                Some((
                    bytes,
                    format!(
                        "the {} shuffled {} of the other side ({})",
                        strategy_name(ran.strategy),
                        human_bytes(bytes),
                        ran.evidence
                    ),
                ))
            })
            .or_else(|| {
                join.left_reads
                    .iter()
                    .filter_map(|read| Some((read, measurements.relation(read)?)))
                    .max_by_key(|(_, size)| size.bytes)
                    .map(|(read, size)| {
                        let how = if size.in_memory { "in memory" } else { "read" };
                        (
                            size.bytes,
                            format!(
                                "the other side reads `{}`, {} {how} ({})",
                                read.identifier(),
                                human_bytes(size.bytes),
                                size.evidence
                            ),
                        )
                    })
            });
        let evidence = match left {
            Some((left_bytes, left_text)) if left_bytes >= right.bytes.saturating_mul(ratio) => {
                format!("{right_text}; {left_text}{}", tier(right.bytes, left_bytes))
            }
            Some(_) => return None,
            None if !join.left_reads.is_empty() => {
                format!("{right_text}; the other side reads stored data the logs did not measure")
            }
            None => return None,
        };
        Some(Small {
            evidence: Evidence::Measured(evidence),
        })
    }

    fn matching_name(
        &self,
        ctx: &RuleContext<'_, '_>,
        node: SyntaxNode<'_>,
        facts: &SizeFacts<'_>,
    ) -> Option<String> {
        let patterns = ctx.parameter(self, "dimension_patterns").as_list();
        let own = node.unparenthesized().as_name();
        own.into_iter()
            .chain(facts.names.iter().copied())
            .find_map(|name| {
                let pattern = first_match(patterns, name)?;
                Some(format!("`{name}` matches dimension pattern `{pattern}`"))
            })
    }

    fn matching_source(&self, ctx: &RuleContext<'_, '_>, facts: &SizeFacts<'_>) -> Option<String> {
        let source = facts.source.as_ref()?;
        let dimension = ctx.parameter(self, "dimension_patterns").as_list();
        let reference = ctx.parameter(self, "reference_names").as_list();
        let what = match source {
            Source::Path(_) => "path",
            Source::Table(_) => "table",
        };
        source.segments().into_iter().find_map(|segment| {
            if let Some(pattern) = first_match(dimension, segment) {
                return Some(format!(
                    "its {what} `{}` matches dimension pattern `{pattern}`",
                    source.identifier()
                ));
            }
            let name = first_match(reference, segment)?;
            Some(format!(
                "its {what} `{}` is reference data (`{name}`)",
                source.identifier()
            ))
        })
    }
}

/// DataFlint's wording for the clearest cases: a side under 100 MiB against more than 10 GiB,
/// under 1 GiB against more than 300 GiB.
fn tier(right: u64, left: u64) -> &'static str {
    const MIB: u64 = 1 << 20;
    const GIB: u64 = 1 << 30;
    if right < 100 * MIB && left > 10 * GIB {
        ": a table under 100 MiB joined to one over 10 GiB"
    } else if right < GIB && left > 300 * GIB {
        ": a table under 1 GiB joined to one over 300 GiB"
    } else {
        ""
    }
}

/// How a message names a join strategy.
fn strategy_name(strategy: JoinStrategy) -> &'static str {
    match strategy {
        JoinStrategy::SortMerge => "sort-merge join",
        JoinStrategy::ShuffledHash => "shuffled hash join",
        _ => strategy.name(),
    }
}

/// Whether Spark can honour a broadcast of the right side: `how` absent, `None`, or a string
/// naming a join type that builds on the right (not right or full outer joins).
fn honours_broadcast(join: &Join<'_>) -> bool {
    if join.left_assumed {
        return false;
    }
    let Some(how) = join.call.arguments().get(2, "how") else {
        return true;
    };
    let how = how.unparenthesized();
    if how.text() == "None" {
        return true;
    }
    how.as_string_literal()
        .and_then(JoinType::parse)
        .is_some_and(JoinType::can_broadcast_right)
}

/// `` `name` `` for a short one-line expression, else "the right side".
fn describe(node: SyntaxNode<'_>) -> String {
    let text = node.text();
    if text.len() <= 40 && !text.contains('\n') {
        format!("`{text}`")
    } else {
        "the right side".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use sparkfix_eventlog::{Profile, Query, Relation, Run, Scan};

    use crate::measured::Measurements;
    use crate::settings::Settings;
    use crate::{Diagnostic, check};

    const JOB: &str = "\
orders = spark.read.parquet('s3://b/orders/')
customers = spark.read.parquet('s3://b/dimensions/customers/')
stores = spark.table('dw.stores')
orders.join(customers, 'customer_id').join(stores, 'store_id').show()
";

    fn findings(settings: &Settings) -> Vec<Diagnostic> {
        check(JOB, settings)
            .unwrap()
            .into_iter()
            .filter(|d| d.code == "SPK002")
            .collect()
    }

    /// A run whose one query scanned these relations: `(relation, bytes in memory)`.
    fn measured(sizes: &[(Relation, u64)]) -> Settings {
        let scans = sizes
            .iter()
            .map(|(relation, bytes)| Scan {
                relation: relation.clone(),
                format: Some("Parquet".into()),
                bytes_read: Some(bytes / 4),
                files_read: Some(1),
                rows: None,
                exchange_bytes: Some(*bytes),
                stage_ids: Vec::new(),
            })
            .collect();
        let run = Run {
            app_id: Some("app-1".into()),
            queries: vec![Query {
                id: 2,
                scans,
                ..Query::default()
            }],
            ..Run::default()
        };
        Settings {
            measurements: Measurements::new(Profile { runs: vec![run] }),
            ..Settings::default()
        }
    }

    fn path(path: &str) -> Relation {
        Relation::Paths(vec![path.into()])
    }

    #[test]
    fn names_are_guesses_without_measurements() {
        let found = findings(&Settings::default());
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("`customers`") && found[0].message.contains("guessed"),
            "{}",
            found[0].message
        );
        assert!(found[0].fix.as_ref().unwrap().applicability() == crate::Applicability::Unsafe);
    }

    #[test]
    fn a_measured_size_overrides_names() {
        // The dimension is measured too large; the table named like a fact is measured small.
        let settings = measured(&[
            (path("s3a://b/orders"), 40 << 30),
            (path("s3a://b/dimensions/customers"), 2 << 30),
            (Relation::Table("spark_catalog.dw.stores".into()), 3 << 20),
        ]);
        let found = findings(&settings);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "Broadcast `stores` in this join: the other side is joined where it lies instead of \
             being shuffled (measured: `dw.stores` is 3.0 MiB in memory (event log app-1, query \
             2); the other side reads `s3://b/orders/`, 40.0 GiB in memory (event log app-1, \
             query 2): a table under 100 MiB joined to one over 10 GiB)"
        );
        assert!(found[0].fix.as_ref().unwrap().applicability() == crate::Applicability::Safe);
    }

    #[test]
    fn a_small_side_not_much_smaller_than_the_other_is_left_alone() {
        let settings = measured(&[
            (path("s3a://b/orders"), 20 << 20),
            (path("s3a://b/dimensions/customers"), 4 << 20),
        ]);
        assert!(findings(&settings).is_empty());
    }
}
