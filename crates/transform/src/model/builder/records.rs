//! What the evaluator records as it meets them: joins, writes (with their format and target),
//! Spark settings, actions, and the statements that change stored data.

use sparkfix_syntax::SyntaxNode;
use sparkfix_syntax::views::{Argument, Attribute, Call, Chain, Link};

use super::Builder;
use super::value::{Value, WriterChain, argument, resolved_string, text_argument};
use crate::model::cost::Pass;
use crate::model::cost::Recompute;
use crate::model::emptiness::{counted_name, emptiness_of};
use crate::model::logged_value::log_lines;
use crate::model::size::Source;
use crate::model::spark_api::Ty;
use crate::model::write::WriteFormat;
use crate::model::{
    Action, CoalesceCall, ConfSetting, FrameId, Join, JoinSide, SessionBuild, SideEffect, Write,
};

/// What an action runs on, as [`Builder::record_action`] records it.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Receiver {
    /// An RDD (`df.rdd.isEmpty()`), not a DataFrame.
    pub(super) on_rdd: bool,
    /// What recomputing the receiver costs.
    pub(super) recompute: Recompute,
    /// What produced the receiver's partitions (map-only, shuffled, unknown).
    pub(super) layout: crate::model::Layout,
}

impl<'t> Builder<'t> {
    pub(super) fn record_join(&mut self, left: &Value<'t>, link: &Link<'t>, args: &[Value<'t>]) {
        let Some(call) = link.call else {
            return;
        };
        let left_assumed = left.assumed
            || left
                .frames
                .iter()
                .any(|f| self.frames[f.0 as usize].assumed);
        let right = call
            .arguments()
            .all()
            .into_iter()
            .zip(args)
            .find(|(argument, _)| match argument {
                Argument::Positional(_) => true,
                Argument::Keyword { name, .. } => *name == "other",
                Argument::Splat(_) => false,
            })
            .map(|(argument, value)| JoinSide {
                node: argument.value(),
                ty: value.ty,
                hinted: value.hinted,
                size: value.size.as_deref().cloned(),
            });
        self.joins.push(Join {
            call,
            left_assumed,
            left_reads: left.reads.as_deref().cloned().unwrap_or_default(),
            right,
        });
    }

    /// The writer chain after `value.<link>`: started by `.write` on a DataFrame, extended by each
    /// builder call.
    pub(super) fn writer_after(
        &mut self,
        value: &mut Value<'t>,
        link: &Link<'t>,
        args: &[Value<'t>],
        frames: &[FrameId],
        ty: Ty,
    ) -> Option<Box<WriterChain<'t>>> {
        if ty != Ty::Writer {
            return None;
        }
        if value.ty == Ty::DataFrame && link.name == "write" && link.call.is_none() {
            let frame = link.node.as_attribute()?.object();
            return Some(Box::new(WriterChain {
                frame,
                builders: Vec::new(),
                layout: value.layout,
                columns: value.columns.as_deref().cloned().unwrap_or_default(),
                frames: frames.to_vec(),
                assumed: value.assumed || frames.iter().any(|f| self.frames[f.0 as usize].assumed),
                literal: value.literal,
                format: None,
                constants: value.constants.as_deref().cloned().unwrap_or_default(),
                reads: value.reads.as_deref().cloned().unwrap_or_default(),
            }));
        }
        let mut writer = value.writer.take()?;
        writer.builders.push(link.call?);
        if link.name == "format" {
            writer.format = Some(write_format(args.first()));
        }
        Some(writer)
    }

    pub(super) fn record_write(
        &mut self,
        writer: WriterChain<'t>,
        terminal: Call<'t>,
        args: &[Value<'t>],
    ) {
        let method = terminal.callee_name().unwrap_or("");
        let format = argument(terminal, args, usize::MAX, "format")
            .map(|(_, value)| write_format(Some(value)))
            .or(writer.format);
        let target = match method {
            "saveAsTable" | "insertInto" => {
                text_argument(terminal, args, 0, "tableName").map(Source::Table)
            }
            "jdbc" => None,
            _ => argument(terminal, args, 0, "path")
                .and_then(|(_, value)| resolved_string(value))
                .map(Source::Path),
        };
        // An f-string path is no exact target, but as a template it still names what an event
        // log measured.
        let target_pattern = target.clone().or_else(|| match method {
            "saveAsTable" | "insertInto" | "jdbc" => None,
            _ => argument(terminal, args, 0, "path")
                .and_then(|(_, value)| value.text?.string_template())
                .map(Source::Path),
        });
        if let Some(target) = &target {
            self.side_effects.push(SideEffect {
                node: terminal.syntax(),
                target: Some(target.clone()),
            });
        }
        self.writes.push(Write {
            target_pattern,
            frame: writer.frame,
            builders: writer.builders,
            terminal,
            layout: writer.layout,
            columns: writer.columns,
            frames: writer.frames,
            assumed: writer.assumed,
            literal: writer.literal,
            named_format: format,
            target,
            constant_columns: writer.constants,
            reads: writer.reads,
        });
    }

    /// `.config(key, value)` and `.set(key, value)` with a literal key, on anything (a session
    /// builder, `spark.conf`, a `SparkConf`), and `spark.sql("SET key=value")`.
    pub(super) fn record_setting(&mut self, link: &Link<'t>, args: &[Value<'t>]) {
        let Some(call) = link.call else {
            return;
        };
        let literal = |index: usize| {
            let node = call.arguments().positional(index)?;
            Some(node.as_string_literal().unwrap_or(node.text()))
        };
        match link.name {
            "config" | "set" => {
                let Some(key) = args
                    .first()
                    .and_then(|a| a.text)
                    .and_then(|t| t.as_string_literal())
                else {
                    return;
                };
                if let Some(value) = literal(1) {
                    self.conf.push(ConfSetting {
                        key,
                        value,
                        value_range: range_within(call.syntax(), value),
                        node: call.syntax(),
                    });
                }
            }
            "sql" => {
                let Some(statement) = args
                    .first()
                    .and_then(|a| a.text)
                    .and_then(|t| t.as_string_literal())
                else {
                    return;
                };
                let trimmed = statement.trim();
                let Some(rest) = trimmed
                    .get(..4)
                    .filter(|head| head.eq_ignore_ascii_case("set "))
                    .map(|_| &trimmed[4..])
                else {
                    return;
                };
                if let Some((key, value)) = rest.split_once('=') {
                    let value = value.trim().trim_end_matches(';').trim();
                    self.conf.push(ConfSetting {
                        key: key.trim(),
                        value,
                        value_range: range_within(call.syntax(), value),
                        node: call.syntax(),
                    });
                }
            }
            _ => {}
        }
    }

    /// `<builder chain>.getOrCreate()`: the file builds its own session.
    pub(super) fn record_session(&mut self, link: &Link<'t>) {
        let Some(builder) = link
            .call
            .and_then(|call| Attribute::cast(call.function().unparenthesized()))
            .map(|attribute| attribute.object())
        else {
            return;
        };
        let app_name = Chain::of(builder)
            .links
            .iter()
            .rev()
            .filter(|link| link.name == "appName")
            .find_map(|link| link.call?.arguments().positional(0)?.as_string_literal());
        self.sessions.push(SessionBuild { builder, app_name });
    }

    pub(super) fn record_action(
        &mut self,
        method: &'t str,
        node: SyntaxNode<'t>,
        frames: Vec<FrameId>,
        count: u32,
        pass: Pass,
        receiver: Receiver,
    ) {
        if frames.is_empty() {
            return;
        }
        let logged_in = (method == "count")
            .then(|| log_lines(node, &mut self.name_reads))
            .flatten();
        let emptiness = emptiness_of(method, node, receiver.on_rdd);
        let counted_into = (method == "count" && emptiness.is_none())
            .then(|| counted_name(node, &mut self.name_reads))
            .flatten();
        self.actions.push(Action {
            method,
            node,
            frames,
            runs: self.runs,
            count,
            pass,
            loop_depth: self.loop_depth,
            logged_in,
            on_rdd: receiver.on_rdd,
            recompute: receiver.recompute,
            layout: receiver.layout,
            emptiness,
            counted_into,
        });
    }

    /// A call that deletes or moves files (`os.remove`, `shutil.rmtree`, `dbutils.fs.rm`, a
    /// Hadoop or S3 client's `delete`).
    pub(super) fn record_file_side_effect(&mut self, chain: &Chain<'t>) {
        let Some(last) = chain.last() else {
            return;
        };
        // Most chains end in another method: decide on the name before collecting anything.
        const DELETES: &[&str] = &[
            "remove",
            "unlink",
            "rmdir",
            "removedirs",
            "rmtree",
            "move",
            "rm",
            "mv",
            "delete",
            "delete_object",
            "delete_objects",
        ];
        if last.call.is_none() || !DELETES.contains(&last.name) {
            return;
        }
        let names: Vec<&str> = chain
            .base
            .as_name()
            .into_iter()
            .chain(chain.names())
            .collect();
        let [.., owner, method] = names.as_slice() else {
            return;
        };
        let owner = owner.to_ascii_lowercase();
        let deletes = match *method {
            "remove" | "unlink" | "rmdir" | "removedirs" => owner == "os",
            "rmtree" | "move" => owner == "shutil",
            "rm" | "mv" => owner == "fs",
            "delete" => owner.contains("fs") || owner.contains("filesystem"),
            "delete_object" | "delete_objects" => true,
            _ => false,
        };
        if deletes {
            self.side_effects.push(SideEffect {
                node: last.node,
                target: None,
            });
        }
    }

    /// `spark.sql("DROP TABLE ...")`, `TRUNCATE`, `DELETE FROM`, `INSERT OVERWRITE`/`INTO`,
    /// `MERGE INTO`: a statement that changes stored data.
    pub(super) fn record_sql_side_effect(&mut self, link: &Link<'t>, args: &[Value<'t>]) {
        let Some(call) = link.call.filter(|_| link.name == "sql") else {
            return;
        };
        let Some(statement) = text_argument(call, args, 0, "sqlQuery") else {
            return;
        };
        let words: Vec<String> = statement
            .split_whitespace()
            .take(4)
            .map(|w| w.to_ascii_lowercase())
            .collect();
        let first = words.first().map(String::as_str);
        let changes = matches!(
            first,
            Some("drop" | "truncate" | "delete" | "insert" | "merge" | "update")
        ) || (first == Some("alter")
            && statement.to_ascii_lowercase().contains(" drop "));
        if changes {
            self.side_effects.push(SideEffect {
                node: call.syntax(),
                target: None,
            });
        }
    }
}

/// The format a `format(..)` builder or a `format=` keyword names.
fn write_format(value: Option<&Value<'_>>) -> WriteFormat {
    match value.and_then(resolved_string) {
        Some(name) => WriteFormat::Named(name),
        None => WriteFormat::Unresolved,
    }
}

/// The range in the file of `part`, a slice of `node`'s text (a string's content, a part of a SQL
/// statement); `None` when `part` is not borrowed from that text.
fn range_within(node: SyntaxNode<'_>, part: &str) -> Option<std::ops::Range<usize>> {
    let text = node.text();
    let offset = (part.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    (offset + part.len() <= text.len()).then(|| {
        let start = node.start() + offset;
        start..start + part.len()
    })
}

/// Sorting steps: a coalesce after one keeps the order, a repartition not.
const SORTS: &[&str] = &["orderBy", "sort", "sortWithinPartitions"];

impl<'t> Builder<'t> {
    /// `value.coalesce(n)` (`link`), with what its stage does.
    pub(super) fn record_coalesce(&mut self, value: &Value<'t>, link: &Link<'t>) {
        let Some(call) = link.call else {
            return;
        };
        let Some(attribute) = call.function().as_attribute() else {
            return;
        };
        let receiver = attribute.object();
        let chain = Chain::of(receiver);
        let udf = chain
            .links
            .iter()
            .filter_map(|link| link.call)
            .any(|call| self.calls_udf(call))
            || value
                .recompute
                .costly
                .is_some_and(|costly| costly.kind == crate::model::CostlyKind::Udf);
        let ordered =
            value.recompute.sorts || chain.links.iter().any(|link| SORTS.contains(&link.name));
        self.coalesces.push(CoalesceCall {
            call: call.syntax(),
            method: attribute.name_node(),
            partitions: call.arguments().positional(0).and_then(|n| n.as_integer()),
            layout: value.layout,
            recompute: value.recompute,
            udf,
            ordered,
            cached: value.cached || value.layout.cached_shuffle,
        });
    }
}
