//! Builds a [`SparkModel`] in one pass over the statements of a file, in source order, with an
//! evaluator for expressions that follows method chains link by link.

mod column_loop;
mod columns_flow;
mod control_flow;
mod cost_flow;
mod functions;
mod layout_flow;
mod records;
mod scopes;
mod size_flow;
mod statements;
mod udf;
mod value;

use sparkfix_syntax::SyntaxNode;
use sparkfix_syntax::views::{Block, Call, Chain, Link};

use self::columns_flow::{columns_after, constants_after};
use self::cost_flow::{format_argument, recompute_after};
use self::functions::{FunctionFrame, FunctionSummary};
use self::layout_flow::layout_after;
use self::scopes::{Binding, Scope};
use self::size_flow::{hinted_frame, is_broadcast_hint_call, size_after};
use self::value::{Reads, Value, extend_unique};
use super::cost::{CostlyKind, pass_of};
use super::layout::Layout;
use super::name_reads::NameReads;
use super::size::{SizeFacts, Source};
use super::spark_api::{self, Step, Ty};
use super::{
    Action, CoalesceCall, ColumnChain, ColumnLoop, ConfSetting, Frame, FrameId, Join, ReadSite,
    Runs, ScopeId, SessionBuild, SideEffect, SparkModel, Write,
};

/// Expressions nested deeper than this are not followed (keeps the stack bounded on
/// adversarial input; Python itself refuses much shallower nesting).
const MAX_DEPTH: usize = 200;

/// What a name is bound to in a scope.
pub(super) struct Builder<'t> {
    frames: Vec<Frame<'t>>,
    actions: Vec<Action<'t>>,
    joins: Vec<Join<'t>>,
    writes: Vec<Write<'t>>,
    conf: Vec<ConfSetting<'t>>,
    side_effects: Vec<SideEffect<'t>>,
    sessions: Vec<SessionBuild<'t>>,
    read_sites: Vec<ReadSite<'t>>,
    column_loops: Vec<ColumnLoop<'t>>,
    column_chains: Vec<ColumnChain<'t>>,
    coalesces: Vec<CoalesceCall<'t>>,
    scopes: Vec<Scope<'t>>,
    summaries: Vec<FunctionSummary>,
    scope: ScopeId,
    runs: Runs,
    /// Some name of the file is bound to a Python UDF.
    has_udfs: bool,
    /// Loops of the current function around the code being evaluated.
    loop_depth: u32,
    block: Option<SyntaxNode<'t>>,
    depth: usize,
    function: Option<FunctionFrame<'t>>,
    /// A node already evaluated (a comprehension's first iterable), skipped when met again.
    skip: Option<SyntaxNode<'t>>,
    /// The later reads of the names assignments bind, found once each.
    name_reads: NameReads<'t>,
}

impl<'t> Builder<'t> {
    pub(super) fn new() -> Self {
        Builder {
            frames: Vec::new(),
            actions: Vec::new(),
            joins: Vec::new(),
            writes: Vec::new(),
            conf: Vec::new(),
            side_effects: Vec::new(),
            sessions: Vec::new(),
            read_sites: Vec::new(),
            column_loops: Vec::new(),
            column_chains: Vec::new(),
            coalesces: Vec::new(),
            scopes: vec![Scope::default()],
            summaries: Vec::new(),
            scope: ScopeId(0),
            runs: Runs::Once,
            has_udfs: false,
            loop_depth: 0,
            block: None,
            depth: 0,
            function: None,
            skip: None,
            name_reads: NameReads::default(),
        }
    }

    pub(super) fn build(mut self, root: SyntaxNode<'t>) -> SparkModel<'t> {
        if let Some(module) = Block::cast(root) {
            self.block(module);
        }
        SparkModel {
            frames: self.frames,
            actions: self.actions,
            joins: self.joins,
            writes: self.writes,
            conf: self.conf,
            side_effects: self.side_effects,
            sessions: self.sessions,
            read_sites: {
                let mut sites = self.read_sites;
                sites.sort_by_key(|site| site.node.start());
                sites.dedup_by_key(|site| site.node.start());
                sites
            },
            column_loops: self.column_loops,
            column_chains: {
                let mut chains = self.column_chains;
                chains.sort_by_key(|chain| chain.last.start());
                chains.dedup_by_key(|chain| chain.last.start());
                chains
            },
            coalesces: {
                let mut coalesces = self.coalesces;
                coalesces.sort_by_key(|found| found.call.start());
                coalesces.dedup_by_key(|found| found.call.start());
                coalesces
            },
        }
    }

    fn new_frame(&mut self, mut frame: Frame<'t>) -> FrameId {
        frame.assumed |= frame
            .parents
            .iter()
            .any(|p| self.frames[p.0 as usize].assumed);
        frame.cached |= frame
            .parents
            .iter()
            .any(|p| self.frames[p.0 as usize].cached);
        let id = FrameId(self.frames.len() as u32);
        self.frames.push(frame);
        id
    }

    // ----- expressions -----

    fn eval(&mut self, node: SyntaxNode<'t>) -> Value<'t> {
        if self.depth > MAX_DEPTH || self.skip.is_some_and(|skip| skip == node) {
            return Value::default();
        }
        self.depth += 1;
        let value = self.eval_inner(node.unparenthesized());
        self.depth -= 1;
        value
    }

    // The recursive path (eval -> eval_inner -> eval_base -> eval_function_call ->
    // eval_arguments -> eval) keeps its own frames small: each branch with many locals lives in
    // an `#[inline(never)]` function, so deep nesting stays well within a thread's stack.
    fn eval_inner(&mut self, node: SyntaxNode<'t>) -> Value<'t> {
        if node.is_lambda()
            || node.is_definition()
            || node.is_comprehension()
            || node.subscript_value().is_some()
        {
            return self.eval_special(node);
        }
        let chain = Chain::of(node);
        if chain.links.is_empty() {
            return self.eval_base(chain.base);
        }
        self.eval_chain(chain)
    }

    /// A chain with links, link by link.
    #[inline(never)]
    fn eval_chain(&mut self, chain: Chain<'t>) -> Value<'t> {
        if let Some(text) = self.class_attribute(&chain) {
            return Value {
                text: Some(text),
                ..Value::default()
            };
        }
        let mut value = self.eval_base(chain.base);
        // The current run of `withColumn` links on a DataFrame.
        let mut run: Vec<&Link<'t>> = Vec::new();
        for link in &chain.links {
            if value.ty == Ty::DataFrame && column_loop::is_with_column(link) {
                run.push(link);
            } else {
                self.record_column_chain(&chain, &run);
                run.clear();
            }
            let args = match link.call {
                Some(call) => self.eval_arguments(call),
                None => Vec::new(),
            };
            value = self.apply_link(value, link, args);
        }
        self.record_column_chain(&chain, &run);
        self.record_file_side_effect(&chain);
        value
    }

    /// `Config.NAME` where `Config` is a class of this file whose body binds `NAME` to a string.
    fn class_attribute(&self, chain: &Chain<'t>) -> Option<SyntaxNode<'t>> {
        let [link] = chain.links.as_slice() else {
            return None;
        };
        if link.call.is_some() {
            return None;
        }
        let Some((Binding::Class(scope), _)) = self.lookup(chain.base.as_name()?) else {
            return None;
        };
        match self.scopes[scope.0 as usize].names.get(link.name) {
            Some(Binding::Text(text)) => Some(*text),
            _ => None,
        }
    }

    /// Lambdas, nested definitions, comprehensions and subscripts.
    #[inline(never)]
    fn eval_special(&mut self, node: SyntaxNode<'t>) -> Value<'t> {
        if node.is_lambda() || node.is_definition() {
            self.nested(Runs::Maybe, |b| b.eval_parts(node));
            return Value::default();
        }
        if node.is_comprehension() {
            // The first iterable runs once; the body and the other clauses once per element.
            let first = node.comprehension_first_iterable();
            if let Some(iterable) = first {
                let value = self.eval(iterable);
                self.escape_if_frame(&value, false);
            }
            let outer = std::mem::replace(&mut self.skip, first);
            self.loop_depth += 1;
            self.nested(Runs::Repeatedly, |b| b.eval_parts(node));
            self.loop_depth -= 1;
            self.skip = outer;
            return Value::default();
        }
        if let Some(value) = node.subscript_value() {
            // `df["col"]` is a column: the frame does not escape.
            self.eval(value);
            for child in node.children().skip(1) {
                self.eval(child);
            }
        }
        Value::default()
    }

    /// The value of `value.<link>` given the link's evaluated arguments. Kept out of
    /// [`Self::eval_inner`] so that nested expressions recurse through small stack frames.
    #[inline(never)]
    fn apply_link(
        &mut self,
        mut value: Value<'t>,
        link: &Link<'t>,
        args: Vec<Value<'t>>,
    ) -> Value<'t> {
        if let Some(hinted) = self.module_broadcast(&value, link, &args) {
            return hinted;
        }
        if value.ty == Ty::DataFrame && link.name == "join" {
            self.record_join(&value, link, &args);
        }
        if value.ty == Ty::DataFrame && spark_api::is_view_registration(link.name) {
            // Any later `spark.sql` may read the frame through the view.
            self.escape_if_frame(&value, false);
        }
        self.record_setting(link, &args);
        if value.ty == Ty::SessionBuilder && matches!(link.name, "getOrCreate" | "create") {
            self.record_session(link);
        }
        if value.ty == Ty::Session {
            self.record_sql_side_effect(link, &args);
        }
        if value.ty == Ty::DataFrame && link.name == "coalesce" {
            self.record_coalesce(&value, link);
        }
        let receiver_frames = std::mem::take(&mut value.frames);
        let exact = value.exact.take();
        match spark_api::step(value.ty, link.name, link.call.is_some()) {
            Step::To(ty) => {
                let size = size_after(&value, link, &args, ty);
                if matches!(value.ty, Ty::Session | Ty::Reader | Ty::DynamicFrameReader)
                    && let Some(source) = size.as_ref().and_then(|size| size.source.clone())
                {
                    self.read_sites.push(ReadSite {
                        node: link.node,
                        source,
                    });
                }
                let layout = layout_after(&value, link, &args, ty);
                let columns = columns_after(&value, link, &args, ty);
                let constants = constants_after(&value, link, &args, ty);
                let mut recompute = recompute_after(&value, link, &args, ty);
                if ty.is_frame() && link.call.is_some_and(|call| self.calls_udf(call)) {
                    recompute = recompute.with(CostlyKind::Udf, link.node.start());
                }
                let reads = reads_after(&value, size.as_deref(), &args, ty);
                let read_format = match (value.ty, ty) {
                    (Ty::Reader, Ty::Reader) if link.name == "format" => {
                        Some(format_argument(&args))
                    }
                    (Ty::Reader, Ty::Reader) => value.read_format,
                    _ => None,
                };
                let writer = self.writer_after(&mut value, link, &args, &receiver_frames, ty);
                let hinted = value.hinted && spark_api::is_narrowing(link.name)
                    || (value.ty == Ty::DataFrame && is_broadcast_hint_call(link, &args));
                let mut frames = if ty == Ty::Unknown {
                    Vec::new()
                } else {
                    receiver_frames
                };
                if ty == Ty::Unknown {
                    // An unknown method: DataFrames passed to it are not followed.
                    for arg in &args {
                        self.escape_if_frame(arg, false);
                    }
                } else if value.ty.is_frame()
                    || matches!(value.ty, Ty::Grouped | Ty::FrameFunctions)
                {
                    for arg in &args {
                        if arg.ty.is_frame() {
                            extend_unique(&mut frames, &arg.frames);
                        }
                    }
                }
                let literal = if value.ty == Ty::Session {
                    spark_api::is_literal_source(link.name)
                } else {
                    // A union or join with a value not known to be literal rows (another
                    // frame, a loop variable, a helper's result) is not literal any more.
                    let combines = spark_api::is_union(link.name)
                        || matches!(link.name, "join" | "crossJoin" | "lateralJoin");
                    value.literal
                        && args
                            .iter()
                            .enumerate()
                            .all(|(i, a)| a.literal || !(a.ty.is_frame() || combines && i == 0))
                };
                let cached = value.cached && ty.is_frame();
                value = Value {
                    ty,
                    frames,
                    exact: None,
                    cached,
                    // Literal rows stay literal through grouping and writers.
                    literal: literal
                        && (ty.is_frame()
                            || matches!(ty, Ty::Grouped | Ty::Writer | Ty::FrameFunctions)),
                    hinted: hinted && ty.is_frame(),
                    size,
                    text: None,
                    assumed: value.assumed,
                    layout,
                    columns,
                    constants,
                    recompute,
                    reads,
                    read_format,
                    writer,
                };
            }
            Step::Action => {
                let pass = pass_of(link.name, value.recompute);
                if let (Some(writer), Some(terminal)) = (value.writer.take(), link.call) {
                    self.record_write(*writer, terminal, &args);
                }
                let receiver = records::Receiver {
                    on_rdd: value.ty == Ty::Rdd,
                    recompute: value.recompute,
                    layout: value.layout,
                };
                self.record_action(link.name, link.node, receiver_frames, 1, pass, receiver);
                value = Value::default();
            }
            Step::Cache => {
                let layout = value.layout.cached();
                if let Some(frame) = exact {
                    let frame = &mut self.frames[frame.0 as usize];
                    frame.cached = true;
                    frame.layout = frame.layout.cached();
                }
                value = Value {
                    frames: receiver_frames,
                    exact,
                    cached: true,
                    layout,
                    ..value
                };
            }
            Step::Unpersist => {
                value = Value {
                    frames: receiver_frames,
                    exact,
                    ..value
                };
            }
        }
        value
    }

    /// The start of a chain: a name, a plain function call, or any other expression.
    fn eval_base(&mut self, node: SyntaxNode<'t>) -> Value<'t> {
        if let Some(name) = node.as_name() {
            return self.eval_name(name);
        }
        if let Some(call) = Call::cast(node) {
            return self.eval_function_call(call);
        }
        self.eval_parts(node);
        if node.string_template().is_some() {
            return Value {
                text: Some(node),
                ..Value::default()
            };
        }
        Value::default()
    }

    /// The value a name is bound to.
    #[inline(never)]
    fn eval_name(&mut self, name: &'t str) -> Value<'t> {
        {
            match self.lookup(name) {
                Some((Binding::Value { ty, frame }, scope)) => {
                    if let Some(frame) = frame
                        && scope != self.scope
                        && ty.is_frame()
                    {
                        // Used from a nested function, which runs at unknown times: its
                        // actions are not counted and the frame's last use is unknown.
                        let data = &mut self.frames[frame.0 as usize];
                        data.escapes = true;
                        return Value {
                            hinted: data.hinted,
                            size: data.size.clone().map(Box::new),
                            assumed: data.assumed,
                            layout: data.layout,
                            columns: known_columns(&data.columns),
                            constants: known_columns(&data.constant_columns),
                            recompute: data.recompute,
                            reads: known_reads(&data.reads),
                            ..Value::of(ty)
                        };
                    }
                    let data = frame.map(|f| &self.frames[f.0 as usize]);
                    Value {
                        ty,
                        frames: frame.into_iter().collect(),
                        exact: frame,
                        cached: false,
                        literal: data.is_some_and(|d| d.literal),
                        hinted: data.is_some_and(|d| d.hinted),
                        size: data.and_then(|d| d.size.clone()).map(Box::new),
                        text: None,
                        assumed: false,
                        layout: data.map_or(Layout::UNKNOWN, |d| d.layout),
                        columns: data.and_then(|d| known_columns(&d.columns)),
                        constants: data.and_then(|d| known_columns(&d.constant_columns)),
                        recompute: data.map(|d| d.recompute).unwrap_or_default(),
                        reads: data.and_then(|d| known_reads(&d.reads)),
                        read_format: None,
                        writer: None,
                    }
                }
                Some((Binding::Text(text), _)) => Value {
                    text: Some(text),
                    ..Value::default()
                },
                Some((
                    Binding::Function(_)
                    | Binding::Import { .. }
                    | Binding::Class(_)
                    | Binding::Udf,
                    _,
                )) => Value::default(),
                None if name == "SparkSession" => Value::of(Ty::SessionClass),
                None if spark_api::SESSION_NAMES.contains(&name) => Value::of(Ty::Session),
                None => Value::default(),
            }
        }
    }

    /// `name(args)` or `expr(args)` where the callee is not a method.
    fn eval_function_call(&mut self, call: Call<'t>) -> Value<'t> {
        let args = self.eval_arguments(call);
        self.function_call_result(call, args)
    }

    /// What `call` gives, its arguments evaluated.
    #[inline(never)]
    fn function_call_result(&mut self, call: Call<'t>, args: Vec<Value<'t>>) -> Value<'t> {
        let Some(name) = call.function_name() else {
            self.eval(call.function());
            for arg in &args {
                self.escape_if_frame(arg, false);
            }
            return Value::default();
        };
        match self.lookup(name) {
            Some((Binding::Function(index), _)) => self.call_summary(call, name, index, &args),
            // `broadcast(df)` from pyspark (imported, star-imported or predefined); not another
            // module's function of that name.
            Some((Binding::Import { module, .. }, _))
                if spark_api::is_frame_passthrough_function(name)
                    && !is_spark_sql_module(module) =>
            {
                for arg in &args {
                    self.escape_if_frame(arg, false);
                }
                Value::default()
            }
            _ if spark_api::is_frame_passthrough_function(name) => {
                hinted_frame(&args).unwrap_or_default()
            }
            _ if spark_api::is_action_function(name) => {
                for arg in args.iter().filter(|a| a.ty == Ty::DataFrame) {
                    let pass = pass_of(name, arg.recompute);
                    let receiver = records::Receiver {
                        on_rdd: false,
                        recompute: arg.recompute,
                        layout: arg.layout,
                    };
                    self.record_action(name, call.syntax(), arg.frames.clone(), 1, pass, receiver);
                }
                Value::default()
            }
            _ if spark_api::is_pure_builtin(name) => Value::default(),
            _ => {
                for arg in &args {
                    self.escape_if_frame(arg, false);
                }
                Value::default()
            }
        }
    }

    fn eval_arguments(&mut self, call: Call<'t>) -> Vec<Value<'t>> {
        // A plain loop: iterator adapters add stack frames to every level of nested calls.
        let arguments = call.arguments().all();
        let mut values = Vec::with_capacity(arguments.len());
        for argument in arguments {
            values.push(self.eval(argument.value()));
        }
        values
    }

    /// Evaluates every child expression of a node that is not a chain (operators, literals,
    /// containers, f-strings...). Frames used there are not followed.
    fn eval_parts(&mut self, node: SyntaxNode<'t>) {
        if self.depth > MAX_DEPTH {
            return;
        }
        self.depth += 1;
        for child in node.children() {
            if let Some(block) = Block::cast(child) {
                self.nested(Runs::Maybe, |b| b.block(block));
                continue;
            }
            let value = self.eval(child);
            if !node.is_string() {
                self.escape_if_frame(&value, false);
            }
        }
        self.depth -= 1;
    }

    /// `F.broadcast(df)`, `functions.broadcast(df)`: a module function that hints its argument.
    fn module_broadcast(
        &mut self,
        module: &Value<'t>,
        link: &Link<'t>,
        args: &[Value<'t>],
    ) -> Option<Value<'t>> {
        let is_module_function = module.ty == Ty::Unknown
            && link.call.is_some()
            && spark_api::is_frame_passthrough_function(link.name);
        if !is_module_function {
            return None;
        }
        hinted_frame(args)
    }

    fn escape_if_frame(&mut self, value: &Value<'t>, returned: bool) {
        if !value.ty.is_frame() && !matches!(value.ty, Ty::Grouped | Ty::Writer | Ty::WriterV2) {
            return;
        }
        for frame in &value.frames {
            let frame = &mut self.frames[frame.0 as usize];
            if returned {
                frame.returned = true;
            } else {
                frame.escapes = true;
            }
        }
    }
}

/// A frame's known reads as a value's.
fn known_reads(reads: &[Source]) -> Reads {
    (!reads.is_empty()).then(|| Box::new(reads.to_vec()))
}

/// The reads of `receiver.<link>(args)` when it yields a value of kind `ty`: the source of a
/// read, else the receiver's and those of the DataFrames it is combined with.
fn reads_after(
    receiver: &Value<'_>,
    size: Option<&SizeFacts<'_>>,
    args: &[Value<'_>],
    ty: Ty,
) -> Reads {
    if !(ty.is_frame() || matches!(ty, Ty::Grouped | Ty::Writer | Ty::FrameFunctions)) {
        return None;
    }
    if matches!(
        receiver.ty,
        Ty::Session | Ty::Reader | Ty::DynamicFrameReader
    ) {
        return size
            .and_then(|s| s.source.clone())
            .map(|source| Box::new(vec![source]));
    }
    let mut reads: Vec<Source> = receiver.reads.as_deref().cloned().unwrap_or_default();
    for arg in args.iter().filter(|a| a.ty.is_frame()) {
        for source in arg.reads.as_deref().into_iter().flatten() {
            if !reads.contains(source) {
                reads.push(source.clone());
            }
        }
    }
    (!reads.is_empty()).then(|| Box::new(reads))
}

/// A frame's known columns as a value's.
fn known_columns<'t>(columns: &[&'t str]) -> columns_flow::Columns<'t> {
    (!columns.is_empty()).then(|| Box::new(columns.to_vec()))
}

/// `pyspark.sql` or one of its submodules, but not pandas-on-Spark (`pyspark.pandas`), whose
/// `DataFrame` follows the pandas API.
fn is_spark_sql_module(path: &str) -> bool {
    let path: String = path.chars().filter(|c| !c.is_whitespace()).collect();
    path == "pyspark.sql" || path.starts_with("pyspark.sql.")
}

/// `__name__ == "__main__"` (either quote, either order): the script's entry point, which runs.
pub(super) fn is_main_guard(condition: &str) -> bool {
    let compact: String = condition
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .replace('\'', "\"");
    compact == "__name__==\"__main__\"" || compact == "\"__main__\"==__name__"
}
