//! Recording column loops and chains (`model/column_loop.rs`) as the evaluator meets `for`
//! statements (with the bindings that hold before the loop) and chains.

use sparkfix_syntax::SyntaxNode;
use sparkfix_syntax::views::{Chain, ForStmt, Link, NameUse, Stmt};

use super::Builder;
use super::scopes::Binding;
use crate::model::column_loop::{ColumnChain, ColumnLoop, ColumnStep};
use crate::model::spark_api::Ty;

/// Builtins a column expression may call without naming a column.
const BUILTINS: &[&str] = &[
    "str",
    "int",
    "float",
    "bool",
    "len",
    "round",
    "abs",
    "min",
    "max",
    "repr",
    "format",
    "list",
    "tuple",
    "dict",
    "set",
    "sorted",
    "range",
    "enumerate",
    "zip",
];

impl<'t> Builder<'t> {
    /// The column loop `stmt` is, if it is one: called before the loop is evaluated.
    pub(super) fn column_loop(&self, stmt: &ForStmt<'t>) -> Option<ColumnLoop<'t>> {
        if stmt.else_body().is_some() {
            return None;
        }
        let mut statements = stmt.body()?.statements();
        let (Some(Stmt::Assign(assignment)), None) = (statements.next(), statements.next()) else {
            return None;
        };
        let [target] = assignment.targets()[..] else {
            return None;
        };
        let frame_name = target.as_name()?;
        let call = assignment.value()?.unparenthesized().as_call()?;
        let (receiver, method) = call.method()?;
        if receiver.unparenthesized().as_name() != Some(frame_name) {
            return None;
        }
        let step = match method {
            "withColumn" => ColumnStep::WithColumn,
            "withColumnRenamed" => ColumnStep::WithColumnRenamed,
            _ => return None,
        };
        let args = call.arguments();
        let (Some(name), Some(value), 2) =
            (args.positional(0), args.positional(1), args.all().len())
        else {
            return None;
        };
        let Some((
            Binding::Value {
                ty: Ty::DataFrame,
                frame: Some(frame),
            },
            _,
        )) = self.lookup(frame_name)
        else {
            return None;
        };
        let loop_target = stmt.target()?;
        let targets = loop_target.target_names();
        let mut opaque_names = Vec::new();
        self.add_opaque_names(
            &[name, value],
            &targets,
            Some(frame_name),
            &mut opaque_names,
        );
        let scope = stmt.syntax().enclosing_scope();
        let after = stmt.syntax().end();
        // Read after the loop before anything binds it again.
        let target_read_after = scope
            .name_uses(|name| targets.contains(&name))
            .into_iter()
            .find(|(node, used)| {
                node.start() > after
                    && !matches!(used, NameUse::AttributeMember | NameUse::KeywordName)
            })
            .is_some_and(|(node, _)| !node.is_binding_target());
        Some(ColumnLoop {
            generator: makes_generator(value),
            target_read_after,
            stmt: stmt.syntax(),
            target: loop_target,
            iterable: stmt.iterable()?,
            step,
            frame_name,
            frame,
            name,
            value,
            opaque_names,
        })
    }
}

/// `.withColumn(name, value)` with two positional arguments.
pub(super) fn is_with_column(link: &Link<'_>) -> bool {
    link.name == "withColumn"
        && link.call.is_some_and(|call| {
            let args = call.arguments();
            args.all().len() == 2 && args.positional(1).is_some()
        })
}

impl<'t> Builder<'t> {
    /// Records `run` (consecutive `withColumn` links of `chain`) when it holds two or more.
    pub(super) fn record_column_chain(&mut self, chain: &Chain<'t>, run: &[&Link<'t>]) {
        let (Some(first), Some(last), true) = (run.first(), run.last(), run.len() >= 2) else {
            return;
        };
        let Some((receiver, _)) = first.call.and_then(|call| call.method()) else {
            return;
        };
        let base = chain.base.unparenthesized().as_name();
        let mut columns = Vec::new();
        let mut opaque_names = Vec::new();
        let mut generator = false;
        for link in run {
            let Some(call) = link.call else {
                return;
            };
            let args = call.arguments();
            let (Some(name), Some(value)) = (args.positional(0), args.positional(1)) else {
                return;
            };
            self.add_opaque_names(&[name, value], &[], base, &mut opaque_names);
            generator |= makes_generator(value);
            columns.push((name, value));
        }
        self.column_chains.push(ColumnChain {
            receiver,
            last: last.node,
            columns,
            opaque_names,
            generator,
        });
    }

    /// Adds to `opaque` the names read in `parts` that the model cannot see into: not one of
    /// `targets`, a builtin, an import, the argument of `lit(..)`, or `frame[..]`.
    fn add_opaque_names(
        &self,
        parts: &[SyntaxNode<'t>],
        targets: &[&'t str],
        frame: Option<&'t str>,
        opaque: &mut Vec<&'t str>,
    ) {
        for part in parts {
            for (node, used) in part.name_uses(|_| true) {
                if matches!(used, NameUse::AttributeMember | NameUse::KeywordName) {
                    continue;
                }
                let Some(read) = node.as_name() else {
                    continue;
                };
                let seen = targets.contains(&read)
                    || BUILTINS.contains(&read)
                    || matches!(self.lookup(read), Some((Binding::Import { .. }, _)))
                    || is_literal_value(node)
                    || (Some(read) == frame
                        && node.parent().and_then(|p| p.subscript_value()) == Some(node));
                if !seen && !opaque.contains(&read) {
                    opaque.push(read);
                }
            }
        }
    }
}

/// Whether `name` is the only argument of `lit(..)` / `F.lit(..)`: a value, not a column.
fn is_literal_value(name: SyntaxNode<'_>) -> bool {
    name.sole_argument_of().is_some_and(|call| {
        call.function_name() == Some("lit") || call.method().is_some_and(|(_, m)| m == "lit")
    })
}

/// Spark's generator functions: one per projection, and each multiplies the rows.
const GENERATORS: &[&str] = &[
    "explode",
    "explode_outer",
    "posexplode",
    "posexplode_outer",
    "inline",
    "inline_outer",
    "stack",
    "json_tuple",
];

/// Whether `value` calls a generator, directly or in a SQL string (`F.expr("explode(a)")`).
fn makes_generator(value: SyntaxNode<'_>) -> bool {
    value.descendants().any(|node| {
        if let Some(call) = node.as_call() {
            let name = call
                .function_name()
                .or_else(|| call.method().map(|(_, name)| name));
            return name.is_some_and(|name| GENERATORS.contains(&name));
        }
        node.string_template().is_some_and(|text| {
            let text = text.to_ascii_lowercase();
            GENERATORS
                .iter()
                .any(|generator| text.contains(&format!("{generator}(")))
        })
    })
}
