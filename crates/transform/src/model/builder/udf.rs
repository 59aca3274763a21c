//! Python UDFs: names bound to `udf(..)`, `pandas_udf(..)`, `spark.udf.register(..)` or to a
//! function decorated with them, and whether a call's arguments call one. Each row then goes
//! through a Python worker: a costly step to run again.

use sparkfix_syntax::SyntaxNode;
use sparkfix_syntax::views::{Call, Chain};

use super::Builder;
use super::scopes::Binding;

/// Functions of `pyspark.sql.functions` that make a UDF.
const UDF_FACTORIES: &[&str] = &["udf", "pandas_udf"];

/// Nodes looked at in one call's arguments when searching for a UDF call: bounds the work on
/// adversarial input.
const MAX_NODES: usize = 4096;

/// Whether an expression makes a UDF: `udf(f, T)`, `F.udf(f)`, `pandas_udf("double")`,
/// `spark.udf.register("name", f)`, and as a decorator also the bare `udf` or `F.udf`.
pub(super) fn makes_udf(expr: SyntaxNode<'_>) -> bool {
    let chain = Chain::of(expr);
    match chain.links.as_slice() {
        [] => chain
            .base
            .as_call()
            .and_then(|call| call.function_name())
            .or_else(|| chain.base.as_name())
            .is_some_and(|name| UDF_FACTORIES.contains(&name)),
        [.., before, last] if last.name == "register" => before.name == "udf",
        [.., last] => UDF_FACTORIES.contains(&last.name),
    }
}

impl<'t> Builder<'t> {
    /// Whether the arguments of `call` call a UDF of this file.
    pub(super) fn calls_udf(&self, call: Call<'t>) -> bool {
        if !self.has_udfs {
            return false;
        }
        let arguments = call.arguments().syntax();
        arguments.preorder().take(MAX_NODES).any(|raw| {
            let node = arguments.with_node(raw);
            node.as_call()
                .and_then(|inner| inner.function_name())
                .is_some_and(|name| matches!(self.lookup(name), Some((Binding::Udf, _))))
        })
    }
}

#[cfg(test)]
mod tests {
    use sparkfix_syntax::SourceFile;

    use super::makes_udf;

    fn value_of(source: &str) -> bool {
        let file = SourceFile::parse(source);
        let node = file
            .root()
            .descendants()
            .find(|n| n.as_call().is_some() || n.as_name() == Some("udf"))
            .expect("an expression");
        makes_udf(node)
    }

    #[test]
    fn recognises_udf_factories() {
        assert!(value_of("udf(lambda x: x, 'int')\n"));
        assert!(value_of("F.udf(f, StringType())\n"));
        assert!(value_of("pandas_udf('double')\n"));
        assert!(value_of("spark.udf.register('clean', f)\n"));
        assert!(!value_of("F.col('x')\n"));
        assert!(!value_of("catalog.register('x', f)\n"));
    }
}
