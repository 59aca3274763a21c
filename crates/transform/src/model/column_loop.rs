//! Loops that add, replace or rename one column per iteration on a DataFrame
//! (`for c in cols: df = df.withColumn(c, ..)`, `df = df.withColumnRenamed(old, new)`), and
//! chains of `withColumn` calls: each adds a projection to the plan. Recorded with what a rule
//! needs to prove they can be one `withColumns` / `withColumnsRenamed` call.

use sparkfix_syntax::SyntaxNode;

use super::FrameId;

/// The DataFrame method a column loop calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnStep {
    /// `withColumn(name, value)`.
    WithColumn,
    /// `withColumnRenamed(existing, new)`.
    WithColumnRenamed,
}

/// `for <target> in <iterable>: <frame> = <frame>.<step>(<name>, <value>)`, the body's only
/// statement, no `else`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnLoop<'t> {
    /// The `for` statement.
    pub stmt: SyntaxNode<'t>,
    pub target: SyntaxNode<'t>,
    pub iterable: SyntaxNode<'t>,
    pub step: ColumnStep,
    /// The name re-bound in each iteration.
    pub frame_name: &'t str,
    /// The DataFrame it holds before the loop.
    pub frame: FrameId,
    /// The first argument: the column written (`withColumn`) or renamed.
    pub name: SyntaxNode<'t>,
    /// The second argument: the column's expression, or the new name.
    pub value: SyntaxNode<'t>,
    /// Names read in `name` and `value` that the model cannot see into: neither a loop target,
    /// an import, a builtin, nor `frame_name[..]`. Any of them may name a column another
    /// iteration writes.
    pub opaque_names: Vec<&'t str>,
    /// A generator (`explode`, `posexplode`, `inline`, `stack`...) makes the value: Spark allows
    /// one per projection, and each iteration's multiplies the rows of the next.
    pub generator: bool,
    /// A loop target is read after the loop (the one call would not bind it).
    pub target_read_after: bool,
}

/// Consecutive `.withColumn(name, value)` links of a chain on a DataFrame
/// (`df.withColumn("a", ..).withColumn("b", ..)`), two or more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnChain<'t> {
    /// The expression the first `withColumn` is called on.
    pub receiver: SyntaxNode<'t>,
    /// The last `withColumn` call: the run spans from `receiver`'s end to its end.
    pub last: SyntaxNode<'t>,
    /// Each call's `(name, value)`, in order.
    pub columns: Vec<(SyntaxNode<'t>, SyntaxNode<'t>)>,
    /// Names read in the names and values that the model cannot see into (as
    /// [`ColumnLoop::opaque_names`]).
    pub opaque_names: Vec<&'t str>,
    /// A generator makes one of the values (see [`ColumnLoop::generator`]).
    pub generator: bool,
}
