//! How the partition layout follows a chain: reads are map-only, joins without a broadcast hint,
//! aggregations, sorts and windows shuffle, `coalesce`/`repartition`/partitioning hints set the
//! partitions, everything unknown makes the layout unknown.

use sparkfix_syntax::SyntaxNode;
use sparkfix_syntax::views::Link;

use super::cost_flow::read_format;
use super::value::Value;
use crate::model::format::DataFormat;
use crate::model::layout::Layout;
use crate::model::spark_api::{self, Ty};

/// The layout of `receiver.<link>` when it yields a value of kind `ty`.
pub(super) fn layout_after(
    receiver: &Value<'_>,
    link: &Link<'_>,
    args: &[Value<'_>],
    ty: Ty,
) -> Layout {
    let name = link.name;
    match (receiver.ty, ty) {
        (Ty::Session, Ty::DataFrame) if name == "sql" => Layout::UNKNOWN,
        // `df.rdd` has the frame's partitions.
        (Ty::DataFrame, Ty::Rdd) => receiver.layout,
        // A read from a database, warehouse or queue sizes its own partitions (JDBC: one by
        // default): writing it is not a small-files problem. A format the model cannot resolve
        // says nothing about the partitions.
        (Ty::Reader, Ty::DataFrame) => match read_format(receiver, link) {
            DataFormat::NotFiles => Layout {
                controlled: true,
                ..Layout::MAP_ONLY
            },
            DataFormat::Unknown => Layout::UNKNOWN,
            _ => Layout::MAP_ONLY,
        },
        (Ty::Session, Ty::DataFrame) => Layout::MAP_ONLY,
        (Ty::DynamicFrameReader, Ty::DynamicFrame) => Layout::MAP_ONLY,
        (Ty::DynamicFrame, Ty::DynamicFrame | Ty::DataFrame) => {
            if matches!(name, "repartition" | "coalesce") {
                Layout {
                    controlled: true,
                    ..receiver.layout
                }
            } else {
                receiver.layout
            }
        }
        (Ty::DataFrame, Ty::Grouped) => receiver.layout,
        (Ty::Grouped, Ty::DataFrame) => Layout::shuffled_by(link.node.start()),
        (Ty::Grouped, Ty::Grouped) => receiver.layout,
        (Ty::DataFrame, Ty::FrameFunctions | Ty::Writer) => receiver.layout,
        (Ty::FrameFunctions, Ty::DataFrame) => receiver.layout,
        (Ty::DataFrame, Ty::DataFrame) => frame_method(receiver.layout, link, args),
        _ => Layout::UNKNOWN,
    }
}

fn frame_method(receiver: Layout, link: &Link<'_>, args: &[Value<'_>]) -> Layout {
    let name = link.name;
    let shuffled = Layout::shuffled_by(link.node.start());
    match name {
        "repartition" | "repartitionByRange" => Layout::CONTROLLED_SHUFFLE,
        "coalesce" => Layout {
            controlled: true,
            ..receiver
        },
        // A global limit gathers the rows into one partition.
        "limit" | "offset" => Layout::CONTROLLED_SHUFFLE,
        "hint" => {
            let partitioning = args
                .first()
                .and_then(|a| a.text)
                .and_then(|t| t.string_template())
                .is_some_and(|h| spark_api::is_partitioning_hint(&h));
            if partitioning {
                Layout::CONTROLLED_SHUFFLE
            } else {
                receiver
            }
        }
        // A broadcast join streams the left side through without an exchange.
        "join" | "lateralJoin" if args.first().is_some_and(|right| right.hinted) => receiver,
        "join" | "lateralJoin" => shuffled,
        "crossJoin" => Layout::UNKNOWN,
        _ if spark_api::is_union(name) => Layout::union(
            std::iter::once(receiver)
                .chain(args.iter().filter(|a| a.ty.is_frame()).map(|a| a.layout)),
        ),
        _ if spark_api::is_shuffling(name) => shuffled,
        _ if spark_api::keeps_partitions(name) => match link.call {
            Some(call) if has_window(call.arguments().syntax()) => shuffled,
            _ => receiver,
        },
        _ => Layout::UNKNOWN,
    }
}

/// Whether an argument list uses a window function: `.over(..)` in an expression, or `OVER` in a
/// SQL expression string.
pub(super) fn has_window(arguments: SyntaxNode<'_>) -> bool {
    arguments.preorder().any(|raw| {
        let node = arguments.with_node(raw);
        if let Some(call) = node.as_call() {
            return call.callee_name() == Some("over");
        }
        node.as_string_literal().is_some_and(|text| {
            let lower = text.to_ascii_lowercase();
            lower.contains(" over(") || lower.contains(" over (")
        })
    })
}
