//! `coalesce(n)` calls on DataFrames, with what the stage they shrink does: a coalesce adds no
//! shuffle, so the whole stage back to the last shuffle (the reduce side of a join or an
//! aggregation, a UDF over a scan) runs on its `n` tasks.

use sparkfix_syntax::SyntaxNode;

use super::{Layout, Recompute};

/// A `df.coalesce(n)` call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoalesceCall<'t> {
    /// The call.
    pub call: SyntaxNode<'t>,
    /// The `coalesce` name in it (what a fix to `repartition` replaces).
    pub method: SyntaxNode<'t>,
    /// `n`, when a literal.
    pub partitions: Option<u64>,
    /// The receiver's partitions: shuffled (the stage is a shuffle's reduce side), map-only...
    pub layout: Layout,
    /// What recomputing the receiver costs.
    pub recompute: Recompute,
    /// A Python UDF runs on the receiver's chain (in the coalesced stage when it is map-only).
    pub udf: bool,
    /// The receiver is sorted (`orderBy`, `sort`, `sortWithinPartitions` on its chain, or a
    /// sort in its lineage): a coalesce keeps that order in its partitions, a repartition not.
    pub ordered: bool,
    /// The receiver is cached: a coalesce of it reads the cache (once filled), no costly stage.
    pub cached: bool,
}
