//! The Spark model of one Python file: scopes, which names hold Spark DataFrames, their
//! lineage, and the actions that run on them with how often they run.
//!
//! Built once per parse ([`SparkModel::build`]) and read by every rule.

mod builder;
mod coalesce;
mod column_loop;
mod cost;
mod emptiness;
mod folding;
mod format;
mod layout;
mod lineage;
mod logged_value;
mod name_reads;
mod size;
mod spark_api;
mod write;

use sparkfix_syntax::views::{Call, FunctionDef};
use sparkfix_syntax::{SourceFile, SyntaxNode};

pub use coalesce::CoalesceCall;
pub use column_loop::{ColumnChain, ColumnLoop, ColumnStep};
pub use cost::{Costly, CostlyKind, Pass, Recompute};
pub use emptiness::{CountedName, Emptiness, EmptinessForm};
pub use folding::Fold;
pub use format::DataFormat;
pub use layout::{Layout, Shape};
pub use lineage::Lineage;
pub use logged_value::LoggedValue;
pub use size::{SizeFacts, Source};
pub use spark_api::{JoinType, Ty};
pub use write::{Write, WriteOption};

/// Index of a [`Frame`] in [`SparkModel::frames`]. A parent always has a smaller id than its
/// children.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FrameId(pub u32);

/// Index of an [`Action`] in [`SparkModel::actions`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ActionId(pub u32);

/// Index of a scope: 0 is the module, then each function, method and class body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ScopeId(pub u32);

/// Where a named frame comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameOrigin<'t> {
    /// `name = value`.
    Assignment {
        stmt: SyntaxNode<'t>,
        value: SyntaxNode<'t>,
    },
    /// A parameter of a function.
    Parameter {
        function: FunctionDef<'t>,
        parameter: SyntaxNode<'t>,
    },
    /// After `stmt` (an `if`, a loop), the name holds one of several bindings: its parents.
    Merge { stmt: SyntaxNode<'t> },
    /// At the start of each iteration of `stmt` (a loop that re-binds the name), the name holds
    /// the binding before the loop or the one the previous iteration made.
    LoopCarried { stmt: SyntaxNode<'t> },
}

/// A name bound to a Spark DataFrame at one place (each assignment is a new frame).
#[derive(Debug, Clone)]
pub struct Frame<'t> {
    pub name: &'t str,
    pub scope: ScopeId,
    pub origin: FrameOrigin<'t>,
    /// The block (or module) whose statement defines the frame; for a parameter, the body.
    pub block: Option<SyntaxNode<'t>>,
    /// The named frames this one is computed from.
    pub parents: Vec<FrameId>,
    /// A `readStream` frame.
    pub streaming: bool,
    /// Cached or persisted where defined or by a later `cache()`/`persist()`, or computed from an
    /// unnamed cached plan.
    pub cached: bool,
    /// Assigned another named frame as it is (`b = a`): caching it caches that frame's plan.
    pub alias: bool,
    /// Computed only from literal data (`createDataFrame([...])`, `range(n)`): nothing to save
    /// by caching it.
    pub literal: bool,
    /// Used where sparkfix cannot follow it: stored on an object, put in a container, passed to
    /// an unknown function, used from another scope.
    pub escapes: bool,
    /// Returned from its function.
    pub returned: bool,
    /// Computed from an unannotated parameter: a DataFrame only if the caller passes one.
    pub assumed: bool,
    /// Carries a broadcast hint.
    pub hinted: bool,
    /// What is known of its size; always holds the frame's own name.
    pub size: Option<SizeFacts<'t>>,
    /// What produced its partitions.
    pub layout: Layout,
    /// Columns it provably has.
    pub columns: Vec<&'t str>,
    /// Columns that hold one literal value on every row (`withColumn(c, lit("2025-03-01"))`).
    pub constant_columns: Vec<&'t str>,
    /// What recomputing its lineage costs.
    pub recompute: Recompute,
    /// The paths and tables its lineage reads, as far as the code spells them.
    pub reads: Vec<Source>,
    /// How many loops of its function enclose its definition.
    pub loop_depth: u32,
}

impl Frame<'_> {
    /// Whether this code owns the frame's plan, so that it may unpersist it: not a parameter
    /// (the caller's frame, which the caller may have cached), not an alias of another frame,
    /// not a name that holds one of several bindings.
    pub fn owns_plan(&self) -> bool {
        !self.alias && matches!(self.origin, FrameOrigin::Assignment { .. })
    }

    /// Where the frame's definition starts, for messages.
    pub fn definition(&self) -> SyntaxNode<'_> {
        match self.origin {
            FrameOrigin::Assignment { stmt, .. } => stmt,
            FrameOrigin::Parameter { parameter, .. } => parameter,
            FrameOrigin::Merge { stmt } | FrameOrigin::LoopCarried { stmt } => stmt,
        }
    }
}

/// How often a piece of code runs when its scope runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Runs {
    /// Only under a condition: an `if`/`else` body, an `except` handler, a `case`, a lambda.
    Maybe,
    /// Exactly once.
    Once,
    /// In a loop body: many times.
    Repeatedly,
}

impl Runs {
    /// Combines the context with a nested one: a condition anywhere makes it conditional.
    pub fn nest(self, inner: Runs) -> Runs {
        if self == Runs::Maybe || inner == Runs::Maybe {
            Runs::Maybe
        } else {
            self.max(inner)
        }
    }
}

/// One place where Spark jobs run on named frames.
#[derive(Debug, Clone)]
pub struct Action<'t> {
    /// The action method (`count`, `parquet`, `display`) or the called function's name.
    pub method: &'t str,
    /// The call that runs the job.
    pub node: SyntaxNode<'t>,
    /// The named frames its receiver is computed from directly.
    pub frames: Vec<FrameId>,
    pub runs: Runs,
    /// How many unconditional full passes the call stands for (more than one for a call of a
    /// function of this file that runs several actions on its argument).
    pub count: u32,
    /// How much of the lineage it reads.
    pub pass: Pass,
    /// How many loops of its function enclose it.
    pub loop_depth: u32,
    /// For a `count()`: the log statements its value reaches, when it reaches nothing else
    /// (`logged_value.rs`). `None` for other actions and for counts used otherwise.
    pub logged_in: Option<LoggedValue<'t>>,
    /// It runs on an RDD (`df.rdd.isEmpty()`), not on a DataFrame.
    pub on_rdd: bool,
    /// What recomputing its receiver costs.
    pub recompute: Recompute,
    /// What produced its receiver's partitions: `MapOnly` proves no shuffle stands before it,
    /// `Unknown` (a parameter, a SQL query, a function's result) proves nothing.
    pub layout: Layout,
    /// Where its value is only tested for emptiness (`emptiness.rs`).
    pub emptiness: Option<Emptiness<'t>>,
    /// For a `count()` bound to a name: the emptiness tests (and other uses) of that name.
    pub counted_into: Option<CountedName<'t>>,
}

impl Action<'_> {
    /// How many full passes over `frame` this action counts for: none if conditional or not a
    /// full pass, two per pass when a loop encloses the action but not the frame's definition
    /// (a frame rebuilt in each iteration is read once per build).
    pub fn passes_over(&self, frame: &Frame<'_>) -> u32 {
        if self.runs == Runs::Maybe || self.pass != Pass::Full {
            return 0;
        }
        if self.loop_depth > frame.loop_depth {
            2 * self.count
        } else {
            self.count
        }
    }

    /// Whether the action repeats relative to `frame`: in a loop that does not rebuild it.
    pub fn repeats_over(&self, frame: &Frame<'_>) -> bool {
        self.loop_depth > frame.loop_depth
    }
}

/// A statement that deletes, moves or overwrites data a cached frame may have been read from:
/// `os.remove`, `shutil.rmtree`, `dbutils.fs.rm`, `DROP TABLE`, a write. No cache may span it.
#[derive(Debug, Clone)]
pub struct SideEffect<'t> {
    pub node: SyntaxNode<'t>,
    /// The path or table written, when it is a write (a cache spans it only if the frame does
    /// not read that target).
    pub target: Option<Source>,
}

/// A `DataFrame.join` call: its receiver is a batch Spark DataFrame.
#[derive(Debug, Clone)]
pub struct Join<'t> {
    pub call: Call<'t>,
    /// The receiver is computed from an unannotated parameter: a DataFrame only if every caller
    /// passes one, so the call may be pandas' `DataFrame.join`.
    pub left_assumed: bool,
    /// The paths and tables the receiver's lineage reads, as far as the code spells them.
    pub left_reads: Vec<Source>,
    /// The joined table (`other`), when given.
    pub right: Option<JoinSide<'t>>,
}

/// The right side of a join, as the model evaluates it.
#[derive(Debug, Clone)]
pub struct JoinSide<'t> {
    /// The argument expression.
    pub node: SyntaxNode<'t>,
    pub ty: Ty,
    /// Already carries a broadcast hint.
    pub hinted: bool,
    pub size: Option<SizeFacts<'t>>,
}

/// A Spark setting the code makes: `builder.config(k, v)`, `spark.conf.set(k, v)`,
/// `SparkConf().set(k, v)`, `spark.sql("SET k=v")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfSetting<'t> {
    pub key: &'t str,
    /// The value as written: a string's content, or the expression's text (`False`, `200`).
    pub value: &'t str,
    /// Where [`ConfSetting::value`] stands in the file, when it is spelled there as it is
    /// (not when escapes in a string changed it): what an edit of the value replaces.
    pub value_range: Option<std::ops::Range<usize>>,
    /// The call that makes the setting (`config(..)`, `set(..)`, `sql(..)`).
    pub node: SyntaxNode<'t>,
}

/// A `SparkSession.builder ... .getOrCreate()` (or `.create()`) chain: the file builds its own
/// session there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionBuild<'t> {
    /// The builder expression before `.getOrCreate()`: where a `.config(..)` is appended.
    pub builder: SyntaxNode<'t>,
    /// The `appName(..)` of the chain, when it is a string literal.
    pub app_name: Option<&'t str>,
}

impl ConfSetting<'_> {
    /// Whether the value is false, as Spark reads it (`"false"`, `False`).
    pub fn is_false(&self) -> bool {
        self.value.trim().eq_ignore_ascii_case("false")
    }
}

/// The Spark model of a file.
#[derive(Debug)]
pub struct SparkModel<'t> {
    pub frames: Vec<Frame<'t>>,
    pub actions: Vec<Action<'t>>,
    /// Every join on a batch DataFrame, in evaluation order.
    pub joins: Vec<Join<'t>>,
    /// Every batch `DataFrameWriter` write whose DataFrame the model follows.
    pub writes: Vec<Write<'t>>,
    /// Spark settings made in the code, in source order.
    pub conf: Vec<ConfSetting<'t>>,
    /// Statements that delete, move or overwrite data, in source order.
    pub side_effects: Vec<SideEffect<'t>>,
    /// The session builders of the file, in source order.
    pub sessions: Vec<SessionBuild<'t>>,
    /// Every read whose path or table the code spells, in source order.
    pub read_sites: Vec<ReadSite<'t>>,
    /// Loops that add or rename one column per iteration (`column_loop.rs`).
    pub column_loops: Vec<ColumnLoop<'t>>,
    /// Runs of `withColumn` links in chains (`column_loop.rs`), in source order.
    pub column_chains: Vec<ColumnChain<'t>>,
    /// `coalesce(n)` calls on DataFrames (`coalesce.rs`), in source order.
    pub coalesces: Vec<CoalesceCall<'t>>,
}

/// A read of a path or table the code spells: `spark.read.parquet("s3://b/x/")`, `spark.table(t)`.
#[derive(Debug, Clone)]
pub struct ReadSite<'t> {
    /// The reading call (`parquet(...)`, `table(...)`).
    pub node: SyntaxNode<'t>,
    pub source: Source,
}

impl<'t> SparkModel<'t> {
    /// The last setting of `key` in the code, if any.
    pub fn setting(&self, key: &str) -> Option<&ConfSetting<'t>> {
        self.conf.iter().rev().find(|s| s.key == key)
    }
}

impl<'t> SparkModel<'t> {
    pub fn build(file: &'t SourceFile) -> Self {
        builder::Builder::new().build(file.root())
    }

    pub fn frame(&self, id: FrameId) -> &Frame<'t> {
        &self.frames[id.0 as usize]
    }

    pub fn action(&self, id: ActionId) -> &Action<'t> {
        &self.actions[id.0 as usize]
    }

    pub fn frame_ids(&self) -> impl Iterator<Item = FrameId> + use<'t> {
        (0..self.frames.len() as u32).map(FrameId)
    }

    /// Children, reaching actions and ancestors of every frame.
    pub fn lineage(&self) -> Lineage {
        Lineage::new(self)
    }
}
