//! How the cost of recomputing a lineage and the format of a read follow a chain: a read's
//! format decides its cost (columnar scan, row-format or external source), joins and shuffles
//! make a lineage costly, narrow steps keep what the receiver had.

use sparkfix_syntax::views::Link;

use super::layout_flow::has_window;
use super::value::{Value, argument, resolved_string, text_argument};
use crate::model::cost::{CostlyKind, Recompute};
use crate::model::format::DataFormat;
use crate::model::spark_api::{self, Ty};

/// The format `reader.<link>(..)` reads when the link is a reader terminal: the terminal's own
/// (`parquet`, `csv`, `jdbc`...), else the one `format(..)` named, else Spark's default source
/// (parquet) for `load`; a catalog table for `table`.
pub(super) fn read_format(reader: &Value<'_>, link: &Link<'_>) -> DataFormat {
    match link.name {
        "load" => reader.read_format.unwrap_or(DataFormat::Columnar),
        "table" => DataFormat::FileTable,
        name => DataFormat::of_name(name),
    }
}

/// The format a reader's `.format(name)` link names (`Unknown` when it is not a plain string).
pub(super) fn format_argument(args: &[Value<'_>]) -> DataFormat {
    args.first()
        .and_then(resolved_string)
        .map_or(DataFormat::Unknown, |name| DataFormat::of_name(&name))
}

/// What recomputing `receiver.<link>` costs when it yields a value of kind `ty`.
pub(super) fn recompute_after(
    receiver: &Value<'_>,
    link: &Link<'_>,
    args: &[Value<'_>],
    ty: Ty,
) -> Recompute {
    let at = link.node.start();
    let name = link.name;
    match (receiver.ty, ty) {
        (Ty::Session, Ty::DataFrame) if name == "sql" => {
            let query = link
                .call
                .and_then(|call| text_argument(call, args, 0, "sqlQuery"));
            match query {
                Some(query) if sql_is_costly(&query) => {
                    Recompute::default().with(CostlyKind::SqlQuery, at)
                }
                _ => Recompute::default(),
            }
        }
        (Ty::Session, Ty::DataFrame) if name == "table" => columnar_scan(),
        (Ty::Reader, Ty::DataFrame) => read_cost(read_format(receiver, link), at),
        (Ty::DataFrame, Ty::Grouped) | (Ty::Grouped, Ty::Grouped) => receiver.recompute,
        (Ty::Grouped, Ty::DataFrame) => receiver.recompute.with(CostlyKind::Shuffle, at),
        (Ty::DataFrame, Ty::FrameFunctions | Ty::Writer) | (Ty::FrameFunctions, Ty::DataFrame) => {
            receiver.recompute
        }
        (Ty::DynamicFrameReader, Ty::DynamicFrame) => {
            let format = match name {
                "from_catalog" => DataFormat::FileTable,
                "from_options" => link
                    .call
                    .and_then(|call| argument(call, args, usize::MAX, "format"))
                    .and_then(|(_, value)| resolved_string(value))
                    .map_or(DataFormat::Unknown, |f| DataFormat::of_name(&f)),
                _ => DataFormat::Unknown,
            };
            read_cost(format, at)
        }
        (Ty::DynamicFrame, Ty::DynamicFrame | Ty::DataFrame) => receiver.recompute,
        (Ty::DataFrame, Ty::DataFrame) => frame_method(receiver, link, args),
        // `df.rdd` recomputes the frame's lineage, and no action of it reads only metadata.
        (Ty::DataFrame | Ty::Rdd, Ty::Rdd) => Recompute {
            columnar_scan: false,
            ..receiver.recompute
        },
        _ => Recompute::default(),
    }
}

fn frame_method(receiver: &Value<'_>, link: &Link<'_>, args: &[Value<'_>]) -> Recompute {
    let at = link.node.start();
    let name = link.name;
    let inputs = || {
        std::iter::once(receiver.recompute)
            .chain(args.iter().filter(|a| a.ty.is_frame()).map(|a| a.recompute))
    };
    match name {
        "join" | "lateralJoin" | "crossJoin" => Recompute::any(inputs()).with(CostlyKind::Join, at),
        _ if spark_api::is_union(name) => Recompute::any(inputs()),
        "repartition" | "repartitionByRange" => receiver.recompute.with(CostlyKind::Shuffle, at),
        "orderBy" | "sort" => receiver.recompute.sorted(),
        _ if spark_api::is_shuffling(name) => receiver.recompute.with(CostlyKind::Shuffle, at),
        _ if spark_api::keeps_partitions(name) => match link.call {
            Some(call) if has_window(call.arguments().syntax()) => {
                receiver.recompute.with(CostlyKind::Shuffle, at)
            }
            _ => receiver.recompute,
        },
        "hint" | "coalesce" | "limit" | "offset" => receiver.recompute,
        // Unknown steps keep what is proven costly but no longer read like a plain scan.
        _ => Recompute {
            columnar_scan: false,
            ..receiver.recompute
        },
    }
}

/// Whether a SQL query joins, aggregates, deduplicates, sorts or uses a window.
fn sql_is_costly(query: &str) -> bool {
    let words: Vec<String> = query
        .split_whitespace()
        .map(|w| w.to_ascii_lowercase())
        .collect();
    let normalized = format!(" {} ", words.join(" "));
    [
        " join ",
        " group by ",
        " distinct ",
        " order by ",
        " over (",
    ]
    .iter()
    .any(|word| normalized.contains(word))
}

/// What reading a format costs each time.
fn read_cost(format: DataFormat, at: usize) -> Recompute {
    match format {
        DataFormat::Columnar | DataFormat::FileTable => columnar_scan(),
        DataFormat::RowFiles => Recompute::default().with(CostlyKind::RowSource, at),
        DataFormat::NotFiles => Recompute::default().with(CostlyKind::RemoteSource, at),
        DataFormat::Unknown => Recompute::default(),
    }
}

fn columnar_scan() -> Recompute {
    Recompute {
        costly: None,
        columnar_scan: true,
        shuffles: false,
        sorts: false,
    }
}
