//! How broadcast hints and size facts flow through a chain: `broadcast(df)`, `.hint(..)`, reads,
//! literal rows, narrowing transformations and `.limit(n)`.

use sparkfix_syntax::views::Link;

use super::value::{Value, argument, extend_unique, text_argument};
use crate::model::size::{SizeFacts, Source, simple_select_table};
use crate::model::spark_api::{self, Ty};

/// The value of `broadcast(df)`: the DataFrame with a hint, or an unknown value that carries the
/// hint when the argument is not known to be a DataFrame.
pub(super) fn hinted_frame<'t>(args: &[Value<'t>]) -> Option<Value<'t>> {
    let mut frames = args.iter().filter(|a| a.ty == Ty::DataFrame);
    let Some(first) = frames.next() else {
        return Some(Value {
            hinted: true,
            ..Value::default()
        });
    };
    let mut value = Value {
        ty: Ty::DataFrame,
        hinted: true,
        size: first.size.clone(),
        literal: first.literal,
        assumed: first.assumed,
        layout: first.layout,
        columns: first.columns.clone(),
        constants: first.constants.clone(),
        recompute: first.recompute,
        reads: first.reads.clone(),
        ..Value::default()
    };
    extend_unique(&mut value.frames, &first.frames);
    for arg in frames {
        extend_unique(&mut value.frames, &arg.frames);
    }
    Some(value)
}

/// `.hint("broadcast")` and the other broadcast hint names.
pub(super) fn is_broadcast_hint_call(link: &Link<'_>, args: &[Value<'_>]) -> bool {
    link.name == "hint"
        && link.call.is_some()
        && args
            .first()
            .and_then(|a| a.text)
            .and_then(|t| t.string_template())
            .is_some_and(|name| spark_api::is_broadcast_hint(&name))
}

/// What is known of the size of `receiver.<link>` when it yields a value of kind `ty`.
pub(super) fn size_after<'t>(
    receiver: &Value<'t>,
    link: &Link<'t>,
    args: &[Value<'t>],
    ty: Ty,
) -> Option<Box<SizeFacts<'t>>> {
    let call = link.call?;
    let name = link.name;
    match receiver.ty {
        Ty::Session if name == "createDataFrame" => {
            let (data, _) = argument(call, args, 0, "data")?;
            data.unparenthesized().as_sequence_literal().map(|_| {
                Box::new(SizeFacts {
                    literal_rows: true,
                    ..SizeFacts::default()
                })
            })
        }
        Ty::Session if name == "sql" => text_argument(call, args, 0, "sqlQuery")
            .and_then(|sql| simple_select_table(&sql))
            .map(|table| read(Source::Table(table))),
        Ty::Session if name == "table" => {
            text_argument(call, args, 0, "tableName").map(|t| read(Source::Table(t)))
        }
        Ty::Reader if ty == Ty::DataFrame => {
            let source = match name {
                "table" => Source::Table(text_argument(call, args, 0, "tableName")?),
                "jdbc" => Source::Table(text_argument(call, args, 1, "table")?),
                _ => Source::Path(text_argument(call, args, 0, "path")?),
            };
            Some(read(source))
        }
        Ty::DynamicFrameReader if name == "from_catalog" => {
            let database = text_argument(call, args, 0, "database")?;
            let table = text_argument(call, args, 1, "table_name")?;
            Some(read(Source::Table(format!("{database}.{table}"))))
        }
        Ty::DynamicFrame if matches!(ty, Ty::DynamicFrame | Ty::DataFrame) => receiver.size.clone(),
        Ty::DataFrame | Ty::Grouped if matches!(ty, Ty::DataFrame | Ty::Grouped) => {
            let kept = if spark_api::is_narrowing(name) {
                receiver.size.clone()
            } else {
                None
            };
            if name != "limit" {
                return kept;
            }
            match argument(call, args, 0, "num").and_then(|(n, _)| n.as_integer()) {
                Some(rows) => Some(Box::new(kept.unwrap_or_default().limited(rows))),
                None => kept,
            }
        }
        _ => None,
    }
}

fn read<'t>(source: Source) -> Box<SizeFacts<'t>> {
    Box::new(SizeFacts::read(source))
}
