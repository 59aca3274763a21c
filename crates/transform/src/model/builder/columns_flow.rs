//! Which columns a DataFrame provably has, as a chain names them: grouping keys, selected and
//! aliased columns, `withColumn` targets, renames and drops. Reads contribute nothing (their
//! schema is not in the code).

use sparkfix_syntax::SyntaxNode;
use sparkfix_syntax::views::{Argument, Chain, Link};

use super::value::Value;
use crate::model::spark_api::{self, Ty};

/// Known column names, in the order the code names them; boxed so that the evaluator's values
/// stay small (one pointer) on deeply nested input.
pub(super) type Columns<'t> = Option<Box<Vec<&'t str>>>;

/// The columns known on `receiver.<link>` when it yields a value of kind `ty`.
pub(super) fn columns_after<'t>(
    receiver: &Value<'t>,
    link: &Link<'t>,
    args: &[Value<'t>],
    ty: Ty,
) -> Columns<'t> {
    let Some(call) = link.call else {
        // `df.na`, `df.write`: the same columns.
        return receiver.columns.clone();
    };
    let name = link.name;
    let known = || receiver.columns.as_deref().cloned().unwrap_or_default();
    let arguments: Vec<SyntaxNode<'t>> = call
        .arguments()
        .all()
        .into_iter()
        .filter(|a| !matches!(a, Argument::Splat(_)))
        .map(|a| a.value())
        .collect();
    let result = match (receiver.ty, ty) {
        (Ty::DataFrame, Ty::Grouped) if spark_api::is_grouping(name) => {
            names_of(&arguments).into_iter().flatten().collect()
        }
        (Ty::Grouped, Ty::Grouped) => known(),
        (Ty::Grouped, Ty::DataFrame) if name == "agg" => {
            let mut columns = known();
            columns.extend(names_of(&arguments).into_iter().flatten());
            columns
        }
        (Ty::Grouped, Ty::DataFrame) if name == "count" => {
            let mut columns = known();
            columns.push("count");
            columns
        }
        (Ty::Grouped, Ty::DataFrame) => known(),
        (Ty::DataFrame | Ty::FrameFunctions, Ty::DataFrame) => match name {
            "select" => {
                let names = names_of(&arguments);
                let star = arguments.iter().any(|a| a.as_string_literal() == Some("*"));
                let mut columns = if star { known() } else { Vec::new() };
                columns.extend(names.into_iter().flatten().filter(|n| *n != "*"));
                columns
            }
            "withColumn" => {
                let mut columns = known();
                columns.extend(arguments.first().and_then(|a| a.as_string_literal()));
                columns
            }
            "withColumns" => {
                let mut columns = known();
                if let Some(map) = arguments.first() {
                    columns.extend(dictionary_keys(*map));
                }
                columns
            }
            "withColumnRenamed" => {
                let mut columns = known();
                let old = arguments.first().and_then(|a| a.as_string_literal());
                columns.retain(|c| Some(*c) != old);
                columns.extend(arguments.get(1).and_then(|a| a.as_string_literal()));
                columns
            }
            "drop" => {
                let dropped: Vec<&str> = names_of(&arguments).into_iter().flatten().collect();
                let mut columns = known();
                columns.retain(|c| !dropped.contains(c));
                columns
            }
            "toDF" => names_of(&arguments).into_iter().flatten().collect(),
            "join" | "lateralJoin" | "crossJoin" => {
                let mut columns = known();
                if let Some(right) = args.first().and_then(|a| a.columns.as_deref()) {
                    columns.extend(right.iter().copied());
                }
                columns
            }
            _ if spark_api::keeps_partitions(name)
                || spark_api::is_shuffling(name)
                || spark_api::is_union(name)
                || matches!(
                    name,
                    "hint" | "coalesce" | "repartition" | "repartitionByRange" | "limit"
                ) =>
            {
                known()
            }
            _ => return None,
        },
        _ => return None,
    };
    let mut result = result;
    let mut seen = Vec::with_capacity(result.len());
    result.retain(|c| {
        let fresh = !seen.contains(c);
        seen.push(*c);
        fresh
    });
    (!result.is_empty()).then(|| Box::new(result))
}

/// The column name each argument gives, when the code spells it: `"x"`, `col("x")`,
/// `F.col("x")`, `df.x`, `df["x"]`, `<expr>.alias("x")`, `["x", "y"]`.
fn names_of<'t>(arguments: &[SyntaxNode<'t>]) -> Vec<Option<&'t str>> {
    let mut names = Vec::new();
    for argument in arguments {
        let argument = argument.unparenthesized();
        match argument.as_sequence_literal() {
            Some(items) => names.extend(items.iter().map(|item| column_name(*item))),
            None => names.push(column_name(argument)),
        }
    }
    names
}

fn column_name(expr: SyntaxNode<'_>) -> Option<&str> {
    let expr = expr.unparenthesized();
    if let Some(text) = expr.as_string_literal() {
        return is_plain_name(text).then_some(text);
    }
    if let Some(key) = expr.subscript_key() {
        return key.as_string_literal();
    }
    let chain = Chain::of(expr);
    if let Some(last) = chain.last()
        && let Some(call) = last.call
        && matches!(last.name, "alias" | "name")
    {
        return call
            .arguments()
            .positional(0)
            .and_then(|a| a.as_string_literal());
    }
    match (chain.base.as_call(), chain.links.as_slice()) {
        // `col("x")`, `column("x")`
        (Some(call), []) if matches!(call.function_name(), Some("col" | "column")) => call
            .arguments()
            .positional(0)
            .and_then(|a| a.as_string_literal()),
        // `F.col("x")`
        (_, [.., last]) if matches!(last.name, "col" | "column") && chain.links.len() == 1 => {
            last.call?.arguments().positional(0)?.as_string_literal()
        }
        // `df.x`
        (None, [only]) if only.call.is_none() && chain.base.as_name().is_some() => Some(only.name),
        _ => None,
    }
}

/// A column name written as a string: no expression syntax, no qualifier.
fn is_plain_name(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '*')
}

/// The string keys of a dictionary literal.
fn dictionary_keys(map: SyntaxNode<'_>) -> Vec<&str> {
    map.unparenthesized()
        .dictionary_pairs()
        .into_iter()
        .filter_map(|(key, _)| key.as_string_literal())
        .collect()
}
