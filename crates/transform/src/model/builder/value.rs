//! The value of an expression as the evaluator sees it, and helpers to read call arguments.

use sparkfix_syntax::SyntaxNode;
use sparkfix_syntax::views::{Argument, Call};

use super::columns_flow::Columns;
use crate::model::FrameId;
use crate::model::cost::Recompute;
use crate::model::format::DataFormat;
use crate::model::layout::Layout;
use crate::model::size::SizeFacts;
use crate::model::size::Source;
use crate::model::spark_api::Ty;
use crate::model::write::WriteFormat;

/// The value of an expression.
#[derive(Debug, Clone, Default)]
pub(super) struct Value<'t> {
    pub(super) ty: Ty,
    /// Named frames the value is computed from directly.
    pub(super) frames: Vec<FrameId>,
    /// The value is exactly this named frame (a bare name, no transformation).
    pub(super) exact: Option<FrameId>,
    /// A `cache()`/`persist()` happened in the chain.
    pub(super) cached: bool,
    /// Computed only from literal data (`createDataFrame([...])`, `range(n)`): cheap to recompute.
    pub(super) literal: bool,
    /// Carries a broadcast hint (`broadcast(df)`, `df.hint("broadcast")`).
    pub(super) hinted: bool,
    /// What is known of its size (only for DataFrames narrowed since their read). Boxed to keep
    /// the evaluator's stack frames small on deeply nested input.
    pub(super) size: Option<Box<SizeFacts<'t>>>,
    /// The string literal it is (for paths and table names).
    pub(super) text: Option<SyntaxNode<'t>>,
    /// A DataFrame of an outer scope computed from an unannotated parameter.
    pub(super) assumed: bool,
    /// What produced its partitions.
    pub(super) layout: Layout,
    /// Columns it provably has.
    pub(super) columns: Columns<'t>,
    /// Columns that hold one literal value on every row.
    pub(super) constants: Columns<'t>,
    /// What recomputing it costs.
    pub(super) recompute: Recompute,
    /// The paths and tables its lineage reads, as far as the code spells them.
    pub(super) reads: Reads,
    /// For a `DataFrameReader`: the format its `format(..)` names (`Unknown` when the name
    /// cannot be resolved); `None` when no format was given.
    pub(super) read_format: Option<DataFormat>,
    /// For a `DataFrameWriter`: the write so far.
    pub(super) writer: Option<Box<WriterChain<'t>>>,
}

/// Paths and tables read, boxed like [`Columns`] so that a value stays small (one pointer) on
/// deeply nested input.
pub(super) type Reads = Option<Box<Vec<Source>>>;

/// A writer chain being evaluated: the DataFrame before `.write` and the builder calls so far.
#[derive(Debug, Clone)]
pub(super) struct WriterChain<'t> {
    pub(super) frame: SyntaxNode<'t>,
    pub(super) builders: Vec<Call<'t>>,
    pub(super) layout: Layout,
    pub(super) columns: Vec<&'t str>,
    pub(super) frames: Vec<FrameId>,
    pub(super) assumed: bool,
    pub(super) literal: bool,
    /// The format its `format(..)` builder names, when it has one.
    pub(super) format: Option<WriteFormat>,
    /// The written frame's constant columns.
    pub(super) constants: Vec<&'t str>,
    /// What the written frame's lineage reads.
    pub(super) reads: Vec<Source>,
}

impl Value<'_> {
    pub(super) fn of(ty: Ty) -> Self {
        Value {
            ty,
            ..Value::default()
        }
    }
}

/// The argument at `index` or named `name`, with its value.
pub(super) fn argument<'v, 't>(
    call: Call<'t>,
    args: &'v [Value<'t>],
    index: usize,
    name: &str,
) -> Option<(SyntaxNode<'t>, &'v Value<'t>)> {
    let all = call.arguments().all();
    let position = all
        .iter()
        .enumerate()
        .filter(|(_, a)| matches!(a, Argument::Positional(_)))
        .nth(index)
        .map(|(i, _)| i)
        .or_else(|| {
            all.iter()
                .position(|a| matches!(a, Argument::Keyword { name: n, .. } if *n == name))
        })?;
    Some((all[position].value(), args.get(position)?))
}

/// The text of the string argument at `index` or named `name`.
pub(super) fn text_argument(
    call: Call<'_>,
    args: &[Value<'_>],
    index: usize,
    name: &str,
) -> Option<String> {
    argument(call, args, index, name)?.1.text?.string_template()
}

/// The string a value holds when it is a plain string (a literal, or a name bound to one):
/// `None` for anything else, an f-string included.
pub(super) fn resolved_string(value: &Value<'_>) -> Option<String> {
    value
        .text?
        .string_template()
        .filter(|text| !text.contains("{}"))
}

pub(super) fn extend_unique(into: &mut Vec<FrameId>, from: &[FrameId]) {
    for frame in from {
        if !into.contains(frame) {
            into.push(*frame);
        }
    }
}
