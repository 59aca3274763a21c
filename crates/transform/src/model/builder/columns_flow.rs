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
            _ if keeps_columns(name) || spark_api::is_union(name) => known(),
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

/// Whether `.name(..)` keeps every column as it is: row-wise steps that name no column,
/// deduplication, sorts, hints, repartitioning and limits.
fn keeps_columns(name: &str) -> bool {
    spark_api::keeps_partitions(name)
        || spark_api::is_shuffling(name)
        || matches!(
            name,
            "hint" | "coalesce" | "repartition" | "repartitionByRange" | "limit"
        )
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

/// The columns of `receiver.<link>` that hold one literal value on every row: set by
/// `withColumn(c, lit(<literal>))` (or `to_date(lit(..))`, `.cast(..)` of one), kept by steps
/// that keep the column, dropped by anything else. A value computed per run (`current_date()`,
/// `lit(run_date)` of a job argument) is not a literal.
pub(super) fn constants_after<'t>(
    receiver: &Value<'t>,
    link: &Link<'t>,
    args: &[Value<'t>],
    ty: Ty,
) -> Columns<'t> {
    let known = || receiver.constants.as_deref().cloned().unwrap_or_default();
    let Some(call) = link.call else {
        return receiver.constants.clone();
    };
    let name = link.name;
    let arguments = call.arguments();
    let result: Vec<&'t str> = match (receiver.ty, ty) {
        (Ty::DataFrame, Ty::Grouped) => {
            let keys: Vec<&str> = names_of(
                &arguments
                    .all()
                    .into_iter()
                    .map(|a| a.value())
                    .collect::<Vec<_>>(),
            )
            .into_iter()
            .flatten()
            .collect();
            known().into_iter().filter(|c| keys.contains(c)).collect()
        }
        (Ty::Grouped, Ty::Grouped | Ty::DataFrame) => known(),
        (Ty::DataFrame, Ty::DataFrame) => match name {
            "withColumn" => {
                let mut constants = known();
                if let Some(column) = arguments.positional(0).and_then(|a| a.as_string_literal()) {
                    constants.retain(|c| *c != column);
                    if arguments.positional(1).is_some_and(is_constant) {
                        constants.push(column);
                    }
                }
                constants
            }
            "withColumns" => {
                let mut constants = known();
                if let Some(map) = arguments.positional(0) {
                    for (key, value) in map.unparenthesized().dictionary_pairs() {
                        if let Some(column) = key.as_string_literal() {
                            constants.retain(|c| *c != column);
                            if is_constant(value) {
                                constants.push(column);
                            }
                        }
                    }
                }
                constants
            }
            "select" => {
                let values: Vec<_> = arguments.all().into_iter().map(|a| a.value()).collect();
                let star = values.iter().any(|a| a.as_string_literal() == Some("*"));
                let mut constants: Vec<&str> = known()
                    .into_iter()
                    .filter(|c| star || names_of(&values).contains(&Some(*c)))
                    .collect();
                for value in &values {
                    if let Some(alias) = aliased_constant(*value) {
                        constants.push(alias);
                    }
                }
                constants
            }
            "withColumnRenamed" => {
                let old = arguments.positional(0).and_then(|a| a.as_string_literal());
                let new = arguments.positional(1).and_then(|a| a.as_string_literal());
                known()
                    .into_iter()
                    .filter_map(|c| if Some(c) == old { new } else { Some(c) })
                    .collect()
            }
            "drop" => {
                let values: Vec<_> = arguments.all().into_iter().map(|a| a.value()).collect();
                let dropped: Vec<&str> = names_of(&values).into_iter().flatten().collect();
                known()
                    .into_iter()
                    .filter(|c| !dropped.contains(c))
                    .collect()
            }
            "join" | "lateralJoin" | "crossJoin" => {
                let mut constants = known();
                if let Some(right) = args.first().and_then(|a| a.constants.as_deref()) {
                    constants.extend(right.iter().copied());
                }
                constants
            }
            // A union may bring another value from the other side: not constant any more.
            _ if keeps_columns(name) => known(),
            _ => return None,
        },
        (Ty::DataFrame, Ty::Writer | Ty::FrameFunctions) => known(),
        _ => return None,
    };
    (!result.is_empty()).then(|| Box::new(result))
}

/// Whether an expression is a literal value on every row: `lit("2025-03-01")`,
/// `F.to_date(F.lit("2025-03-01"))`, `lit(1).cast("int")`. A string given to another function
/// is a column name, not a value.
fn is_constant(expr: SyntaxNode<'_>) -> bool {
    let mut expr = expr.unparenthesized();
    // A bounded walk down nested calls: `to_date(lit(x), fmt)`.
    for _ in 0..8 {
        let chain = Chain::of(expr);
        // Trailing `.cast(..)`/`.astype(..)` keep a constant constant.
        let links: Vec<_> = chain
            .links
            .iter()
            .take_while(|l| !matches!(l.name, "cast" | "astype"))
            .collect();
        let (name, call) = match (chain.base.as_call(), links.as_slice()) {
            (Some(call), []) => (call.function_name(), call),
            // `F.lit(x)`, `functions.lit(x)`
            (None, [function]) if chain.base.as_name().is_some() => match function.call {
                Some(call) => (Some(function.name), call),
                None => return false,
            },
            _ => return false,
        };
        let Some(first) = call.arguments().positional(0) else {
            return false;
        };
        let first = first.unparenthesized();
        match name {
            Some("lit" | "typedLit") => {
                return first.as_string_literal().is_some()
                    || first.as_integer().is_some()
                    || matches!(first.text(), "True" | "False");
            }
            Some("to_date" | "to_timestamp") => {
                // A date format, when given, must be a literal too.
                let others_literal = call
                    .arguments()
                    .all()
                    .iter()
                    .skip(1)
                    .all(|a| a.value().as_string_literal().is_some());
                if !others_literal {
                    return false;
                }
                expr = first;
            }
            _ => return false,
        }
    }
    false
}

/// `lit(..).alias("c")`: the column name when the aliased expression is a constant.
fn aliased_constant(expr: SyntaxNode<'_>) -> Option<&str> {
    let call = expr.unparenthesized().as_call()?;
    let (object, name) = call.method()?;
    if !matches!(name, "alias" | "name") {
        return None;
    }
    is_constant(object)
        .then(|| call.arguments().positional(0)?.as_string_literal())
        .flatten()
}
