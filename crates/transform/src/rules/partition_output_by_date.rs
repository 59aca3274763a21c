//! SPK004 `partition-output-by-date`: partition a write by the date column its DataFrame
//! provably has (an unsafe fix: it changes the output's layout).
//!
//! See `rules/partition-output-by-date.yaml` for what it does, why, and the fix.

use super::name_pattern::glob_match;
use super::{Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Evidence};
use crate::edits::append_method_call;
use crate::model::Write;

pub struct PartitionOutputByDate;

impl Rule for PartitionOutputByDate {
    fn code(&self) -> &'static str {
        "SPK004"
    }

    fn name(&self) -> &'static str {
        "partition-output-by-date"
    }

    fn check(&self, ctx: &RuleContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        for write in &ctx.model.writes {
            let Some(column) = self.date_column(ctx, write) else {
                continue;
            };
            let Some(writer) = write.terminal.function().as_attribute().map(|a| a.object()) else {
                continue;
            };
            let quote = quote_style(write);
            let edits = append_method_call(
                ctx.file,
                writer,
                &format!(".partitionBy({quote}{column}{quote})"),
            );
            let overwrite = write.builders_named("mode").any(|call| {
                call.arguments()
                    .positional(0)
                    .and_then(|m| m.as_string_literal())
                    .is_some_and(|m| m.eq_ignore_ascii_case("overwrite"))
            });
            let warning = if overwrite {
                "; with mode(\"overwrite\") each run then replaces every date folder unless \
                 spark.sql.sources.partitionOverwriteMode is dynamic"
            } else {
                ""
            };
            let message = format!(
                "Unpartitioned write of a DataFrame with date column `{column}`: partition the \
                 output by it so that readers filtering on dates skip the other files (changes \
                 the output layout to `{column}=<value>/` folders{warning})"
            );
            let evidence = Evidence::Proven(format!(
                "the written DataFrame has column `{column}`, computed per row"
            ));
            out.push(ctx.diagnostic(
                self,
                write.terminal.syntax().range(),
                message,
                evidence,
                edits,
            ));
        }
    }
}

impl PartitionOutputByDate {
    /// The date column this rule would partition `write` by, or `None` when it does not apply:
    /// already partitioned or bucketed, a table insert, JDBC, text or another non-file format,
    /// or no known column that looks like a date. A column that holds one literal value on
    /// every row (`lit("2025-03-01")`) would make one folder forever: not a date to partition by.
    pub(super) fn date_column<'t>(
        &self,
        ctx: &RuleContext<'_, '_>,
        write: &Write<'t>,
    ) -> Option<&'t str> {
        if write.assumed
            || !write.partition_arguments().is_empty()
            || write.builders_named("bucketBy").next().is_some()
        {
            return None;
        }
        // A table's definition decides its layout; text output has no columns to spare; a
        // `save()` without a literal format writes Spark's default source (parquet).
        let table = matches!(write.terminal_name(), "saveAsTable" | "insertInto");
        let text = write
            .format()
            .is_some_and(|format| format.eq_ignore_ascii_case("text"));
        if table || text || !write.writes_files() {
            return None;
        }
        let patterns = ctx.parameter(self, "date_columns").as_list();
        let extra = ctx.parameter(self, "partition_columns").as_list();
        write.columns.iter().copied().find(|column| {
            if write.constant_columns.contains(column) {
                return false;
            }
            let lower = column.to_ascii_lowercase();
            extra.iter().any(|c| c.eq_ignore_ascii_case(column))
                || patterns
                    .iter()
                    .any(|p| glob_match(&p.to_ascii_lowercase(), &lower))
        })
    }
}

/// The quote character the write chain's string literals use, `"` by default.
fn quote_style(write: &Write<'_>) -> char {
    write
        .terminal
        .syntax()
        .text()
        .chars()
        .find(|c| *c == '"' || *c == '\'')
        .unwrap_or('"')
}
