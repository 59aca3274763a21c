//! SPK003 `control-output-files`: set the number of files a write produces where Spark would
//! leave one file per task (partitioned writes, map-only writes, post-shuffle writes without
//! Adaptive Query Execution).
//!
//! See `rules/control-output-files.yaml` for what it does, why, and the fix.

use sparkfix_syntax::views::Argument;

use super::adaptive::{Adaptive, shuffle_partitions};
use super::coalesce_starves_stage::starves;
use super::partition_output_by_date::PartitionOutputByDate;
use super::{Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Evidence};
use crate::edits::append_method_call;
use crate::measured::WriteSize;
use crate::model::{Shape, Write};
use crate::units::human_bytes;

pub struct ControlOutputFiles;

impl Rule for ControlOutputFiles {
    fn code(&self) -> &'static str {
        "SPK003"
    }

    fn name(&self) -> &'static str {
        "control-output-files"
    }

    fn check(&self, ctx: &RuleContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        if ctx.model.writes.is_empty() {
            return;
        }
        let adaptive = Adaptive::of(ctx);
        let files = ctx
            .parameter(self, "output_files")
            .as_integer()
            .unwrap_or(50)
            .max(1);
        let files_source = format!("{files} from the rule's `output_files` parameter");
        for write in &ctx.model.writes {
            // Rows written in the program come in a few partitions: nothing to merge.
            if write.assumed
                || write.literal
                || write.layout.controlled
                || write.has_option("maxRecordsPerFile")
                || !write.writes_files()
            {
                continue;
            }
            // The unsafe partitionBy fix comes first; this rule's partitioned case follows on the
            // next pass of the fix loop.
            let by_date = PartitionOutputByDate;
            if ctx.settings.unsafe_fixes
                && ctx.settings.rules.enables(by_date.code(), by_date.name())
                && by_date.date_column(ctx, write).is_some()
            {
                continue;
            }
            let measured = write
                .target_pattern
                .as_ref()
                .and_then(|target| ctx.settings.measurements.write(target))
                .map(|size| Measured::of(self, ctx, size));
            let partitions = write.partition_arguments();
            // Partitioning by columns that hold one value makes one folder: the files are those
            // of an unpartitioned write, and repartitioning by them would put every row in one
            // task.
            let partitioned = !partitions.is_empty() && !all_constant(write, &partitions);
            // Measured at one file per value or fewer: each value already had one task.
            if partitioned
                && measured
                    .as_ref()
                    .is_some_and(|measured| measured.size.files <= measured.size.partitions.max(1))
            {
                continue;
            }
            let (message, call, evidence) = if partitioned {
                let columns = column_list(&partitions);
                let shown = partitions
                    .iter()
                    .map(|a| a.value().text())
                    .collect::<Vec<_>>()
                    .join(", ");
                let call = columns.map(|columns| {
                    if adaptive.rebalance {
                        format!(".hint(\"rebalance\", {columns})")
                    } else {
                        format!(".repartition({columns})")
                    }
                });
                let remedy = match &call {
                    Some(call) => format!("add `{call}` before `.write`"),
                    None => "repartition by the partition columns before `.write`".to_owned(),
                };
                let evidence = if call.is_some() {
                    Evidence::Proven("`partitionBy` writes tasks x values files".to_owned())
                } else {
                    Evidence::Guessed {
                        what: "the partition columns are not spelled in the code (they may be \
                               none)"
                            .to_owned(),
                        confirm: "the columns the write is partitioned by".to_owned(),
                    }
                };
                let measured_files = measured.as_ref().map_or(String::new(), |measured| {
                    let size = &measured.size;
                    format!(
                        " ({} files for {} values, {:.1} per value, {})",
                        size.files,
                        size.partitions,
                        size.files as f64 / size.partitions.max(1) as f64,
                        size.evidence
                    )
                });
                (
                    format!(
                        "Partitioned write: each task writes one file per value of \
                         {shown}{measured_files}; {remedy} so that each value is written by one \
                         task"
                    ),
                    call,
                    evidence,
                )
            } else {
                match write.layout.shape {
                    // One input file is one split per 128 MB of it: already few files.
                    Shape::MapOnly | Shape::Shuffled if measured.is_some() => {
                        let measured = measured.expect("checked");
                        let shuffled = write.layout.shape == Shape::Shuffled;
                        if !measured.too_many_small_files()
                            || (shuffled && adaptive.coalesces && !write.layout.cached_shuffle)
                        {
                            continue;
                        }
                        let files = measured.files;
                        // So few files from a shuffle's reduce side: a coalesce would run that
                        // side on them (coalesce-starves-stage).
                        let coalesce = shuffled && !starves(ctx, files);
                        let kind = if shuffled {
                            "Post-shuffle write"
                        } else {
                            "Map-only write"
                        };
                        let step = if coalesce { "coalesce" } else { "repartition" };
                        let call = format!(".{step}({files})");
                        (
                            format!(
                                "{kind}: {}; {step} to {files} ({})",
                                measured.written(),
                                measured.method
                            ),
                            Some(call),
                            Evidence::Measured(measured.size.evidence.clone()),
                        )
                    }
                    Shape::MapOnly if write.reads_single_files() => continue,
                    Shape::MapOnly => {
                        let (call, remedy) = if adaptive.rebalance {
                            (
                                ".hint(\"rebalance\")".to_owned(),
                                "rebalance it (AQE sizes the output partitions)".to_owned(),
                            )
                        } else {
                            (
                                format!(".repartition({files})"),
                                format!(
                                    "repartition it to {files_source} ({})",
                                    adaptive.off_because
                                ),
                            )
                        };
                        (
                            format!(
                                "Map-only write: one file per input split, however small; {remedy}"
                            ),
                            Some(call),
                            Evidence::Guessed {
                                what: "the input's size and file count are unknown, and a \
                                       rebalance adds a full shuffle"
                                    .to_owned(),
                                confirm: "many small input files or a selective filter, \
                                          measured (a Spark event log of the job)"
                                    .to_owned(),
                            },
                        )
                    }
                    Shape::Shuffled if !adaptive.coalesces || write.layout.cached_shuffle => {
                        let shuffle_partitions = shuffle_partitions(ctx);
                        let why = if adaptive.coalesces {
                            "cached after its shuffle: AQE does not merge the partitions of a \
                             cached plan"
                                .to_owned()
                        } else {
                            adaptive.off_because.clone()
                        };
                        // The code proves the file count, not that the files are small:
                        // 200 files of a large table are not too many, and fewer tasks would
                        // write it more slowly.
                        // Coalescing a cached frame reads the cache: no stage to starve.
                        let few = !write.layout.cached_shuffle
                            && u64::try_from(files).is_ok_and(|files| starves(ctx, files));
                        let step = if few { "repartition" } else { "coalesce" };
                        (
                            format!(
                                "Post-shuffle write: {shuffle_partitions} shuffle partitions \
                                 write up to {shuffle_partitions} files ({why}); {step} to \
                                 {files_source} if they are small"
                            ),
                            Some(format!(".{step}({files})")),
                            Evidence::Guessed {
                                what: format!(
                                    "the code proves up to {shuffle_partitions} files, not their \
                                     size"
                                ),
                                confirm: "the written size, measured (a Spark event log of the \
                                          job)"
                                    .to_owned(),
                            },
                        )
                    }
                    _ => continue,
                }
            };
            let edits = match call {
                Some(call) => append_method_call(ctx.file, write.frame, &call),
                None => Vec::new(),
            };
            out.push(ctx.diagnostic(self, range(write), message, evidence, edits));
        }
    }
}

/// A write the logs measured, and the file count its bytes call for.
pub(super) struct Measured {
    pub(super) size: WriteSize,
    /// `ceil(bytes / target_file_bytes)`, at least 1.
    pub(super) files: u64,
    /// How [`Measured::files`] was computed, for the message.
    pub(super) method: String,
    pub(super) small_file_bytes: u64,
}

impl Measured {
    pub(super) fn of(
        rule: &ControlOutputFiles,
        ctx: &RuleContext<'_, '_>,
        size: WriteSize,
    ) -> Measured {
        let integer = |name: &str, default: i64| {
            ctx.parameter(rule, name)
                .as_integer()
                .unwrap_or(default)
                .max(1) as u64
        };
        let target = integer("target_file_bytes", 256 << 20);
        let files = size.bytes.div_ceil(target).max(1);
        Measured {
            method: format!(
                "{} written / {} per file",
                human_bytes(size.bytes),
                human_bytes(target)
            ),
            files,
            small_file_bytes: integer("small_file_bytes", 32 << 20),
            size,
        }
    }

    /// Files smaller than `small_file_bytes` on average, and more of them than the bytes need.
    fn too_many_small_files(&self) -> bool {
        self.size.files > self.files
            && self.size.bytes / self.size.files.max(1) < self.small_file_bytes
    }

    /// What the run wrote: `the run wrote 300 files of 12.3 KiB on average`.
    fn written(&self) -> String {
        format!(
            "the run wrote {} files of {} on average",
            self.size.files,
            human_bytes(self.size.bytes / self.size.files.max(1))
        )
    }
}

fn range(write: &Write<'_>) -> std::ops::Range<usize> {
    write.terminal.syntax().range()
}

/// Whether every partition column is a string naming a column that holds one literal value.
fn all_constant(write: &Write<'_>, arguments: &[Argument<'_>]) -> bool {
    arguments.iter().all(|argument| match argument {
        Argument::Positional(node) => {
            let node = node.unparenthesized();
            let items = node.as_sequence_literal().unwrap_or_else(|| vec![node]);
            items.iter().all(|item| {
                item.as_string_literal()
                    .is_some_and(|c| write.constant_columns.contains(&c))
            })
        }
        _ => false,
    })
}

/// The partition columns as arguments of `repartition`/`hint`: string literals, the elements
/// of a list or tuple of string literals, and `*cols` splats. `None` when any is something else
/// (a variable may hold a list, which `repartition` does not take).
fn column_list(arguments: &[Argument<'_>]) -> Option<String> {
    let mut columns = Vec::new();
    for argument in arguments {
        match argument {
            Argument::Positional(node) => {
                let node = node.unparenthesized();
                if node.as_string_literal().is_some() {
                    columns.push(node.text().to_owned());
                } else if let Some(items) = node.as_sequence_literal() {
                    for item in items {
                        item.as_string_literal()?;
                        columns.push(item.text().to_owned());
                    }
                } else {
                    return None;
                }
            }
            Argument::Splat(node)
                if node.text().starts_with('*') && !node.text().starts_with("**") =>
            {
                columns.push(node.text().to_owned());
            }
            _ => return None,
        }
    }
    (!columns.is_empty()).then(|| columns.join(", "))
}
