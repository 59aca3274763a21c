//! Statements that branch or loop, and what a name holds after them. After an `if`/`elif`/`else`
//! a name holds the binding of any branch that does not leave; inside and after a loop that
//! re-binds it, the binding before the loop or one an iteration made. Several frame bindings
//! merge into one frame whose parents they are and whose facts (small, literal, layout, cached,
//! costly) hold only when they hold for every one of them.

use std::collections::HashMap;

use sparkfix_syntax::SyntaxNode;
use sparkfix_syntax::views::{Block, ElseBranch, ForStmt, IfStmt, Stmt, WhileStmt};

use super::{Binding, Builder, is_main_guard};
use crate::model::cost::Recompute;
use crate::model::layout::Layout;
use crate::model::size::SizeFacts;
use crate::model::{Frame, FrameId, FrameOrigin, Runs};

/// The bindings of a scope at one point.
type Names<'t> = HashMap<&'t str, Binding<'t>>;

impl<'t> Builder<'t> {
    pub(super) fn if_statement(&mut self, stmt: IfStmt<'t>) {
        if let Some(condition) = stmt.condition() {
            self.eval(condition);
        }
        if stmt.condition().is_some_and(|c| is_main_guard(c.text())) {
            // The script's entry point runs: straight-line code.
            self.opt_block(stmt.body(), Runs::Once);
            for branch in stmt.else_branches() {
                let (condition, body) = match branch {
                    ElseBranch::Elif { condition, body } => (Some(condition), body),
                    ElseBranch::Else(body) => (None, body),
                };
                self.nested(Runs::Maybe, |b| {
                    if let Some(condition) = condition {
                        b.eval(condition);
                    }
                    b.block(body);
                });
            }
            return;
        }
        let before = self.names().clone();
        let mut ends = Vec::new();
        self.branch(stmt.body(), None, &before, &mut ends);
        let mut has_else = false;
        for branch in stmt.else_branches() {
            match branch {
                ElseBranch::Elif { condition, body } => {
                    self.branch(Some(body), Some(condition), &before, &mut ends);
                }
                ElseBranch::Else(body) => {
                    has_else = true;
                    self.branch(Some(body), None, &before, &mut ends);
                }
            }
        }
        if !has_else {
            ends.push(before.clone());
        }
        self.merge_names(stmt.syntax(), before, ends);
    }

    /// Runs one branch from the bindings `before`; keeps its end state unless it always leaves.
    fn branch(
        &mut self,
        body: Option<Block<'t>>,
        condition: Option<SyntaxNode<'t>>,
        before: &Names<'t>,
        ends: &mut Vec<Names<'t>>,
    ) {
        self.set_names(before.clone());
        self.nested(Runs::Maybe, |b| {
            if let Some(condition) = condition {
                b.eval(condition);
            }
            if let Some(body) = body {
                b.block(body);
            }
        });
        if !body.is_some_and(|b| b.always_exits()) {
            ends.push(self.names().clone());
        }
    }

    pub(super) fn for_statement(&mut self, stmt: ForStmt<'t>) {
        if let Some(found) = self.column_loop(&stmt) {
            self.column_loops.push(found);
        }
        if let Some(iterable) = stmt.iterable() {
            self.eval(iterable);
        }
        self.loop_statement(stmt.syntax(), stmt.body(), None, stmt.target());
        self.opt_block(stmt.else_body(), Runs::Once);
    }

    pub(super) fn while_statement(&mut self, stmt: WhileStmt<'t>) {
        self.loop_statement(stmt.syntax(), stmt.body(), stmt.condition(), None);
        self.opt_block(stmt.else_body(), Runs::Maybe);
    }

    /// A loop's body, run in a loop context. Names it re-binds that hold a frame before it hold,
    /// at the start of each iteration, a loop-carried frame; after it, the merge of the binding
    /// before the loop (no iteration) and the one the body leaves.
    fn loop_statement(
        &mut self,
        stmt: SyntaxNode<'t>,
        body: Option<Block<'t>>,
        condition: Option<SyntaxNode<'t>>,
        target: Option<SyntaxNode<'t>>,
    ) {
        let before = self.names().clone();
        for name in body.map(assigned_names).unwrap_or_default() {
            if let Some(Binding::Value {
                ty,
                frame: Some(frame),
            }) = before.get(name).copied()
                && ty.is_frame()
            {
                let carried = self.loop_carried_frame(name, stmt, frame);
                self.bind(
                    name,
                    Binding::Value {
                        ty,
                        frame: Some(carried),
                    },
                );
            }
        }
        self.loop_depth += 1;
        self.nested(Runs::Repeatedly, |b| {
            if let Some(condition) = condition {
                b.eval(condition);
            }
            if let Some(target) = target {
                b.bind_unknown(target);
            }
            if let Some(body) = body {
                b.block(body);
            }
        });
        self.loop_depth -= 1;
        let after = self.names().clone();
        self.merge_names(stmt, before.clone(), vec![before, after]);
    }

    fn names(&self) -> &Names<'t> {
        &self.scopes[self.scope.0 as usize].names
    }

    fn set_names(&mut self, names: Names<'t>) {
        self.scopes[self.scope.0 as usize].names = names;
    }

    /// Binds each name to what it may hold after `stmt`, given the end states of the paths
    /// that reach the next statement.
    fn merge_names(&mut self, stmt: SyntaxNode<'t>, before: Names<'t>, ends: Vec<Names<'t>>) {
        let Some((first, rest)) = ends.split_first() else {
            // Every path leaves: what follows is not reached from here.
            self.set_names(before);
            return;
        };
        let mut merged = first.clone();
        for end in rest {
            for (name, binding) in end {
                merged.entry(name).or_insert(*binding);
            }
        }
        let mut names: Vec<&'t str> = merged.keys().copied().collect();
        names.sort_unstable();
        for name in names {
            let bindings: Vec<Binding<'t>> = ends
                .iter()
                .filter_map(|end| end.get(name).copied())
                .collect();
            let binding = self.merge_bindings(name, stmt, &bindings);
            merged.insert(name, binding);
        }
        self.set_names(merged);
    }

    /// One binding for several: the same one, a merged frame, or nothing known.
    fn merge_bindings(
        &mut self,
        name: &'t str,
        stmt: SyntaxNode<'t>,
        bindings: &[Binding<'t>],
    ) -> Binding<'t> {
        let Some(first) = bindings.first().copied() else {
            return Binding::UNKNOWN;
        };
        if bindings.iter().all(|b| *b == first) {
            return first;
        }
        let mut parents: Vec<FrameId> = Vec::new();
        let mut ty = None;
        for binding in bindings {
            match binding {
                Binding::Value {
                    ty: t,
                    frame: Some(frame),
                } if t.is_frame() && ty.is_none_or(|ty| ty == *t) => {
                    ty = Some(*t);
                    if !parents.contains(frame) {
                        parents.push(*frame);
                    }
                }
                _ => return Binding::UNKNOWN,
            }
        }
        let frame = self.merged_frame(name, FrameOrigin::Merge { stmt }, parents);
        Binding::Value {
            ty: ty.expect("at least one binding"),
            frame: Some(frame),
        }
    }

    /// A frame that is one of `parents`: its facts hold only when they hold for each.
    fn merged_frame(
        &mut self,
        name: &'t str,
        origin: FrameOrigin<'t>,
        parents: Vec<FrameId>,
    ) -> FrameId {
        let of: Vec<&Frame<'t>> = parents.iter().map(|p| &self.frames[p.0 as usize]).collect();
        let sizes: Vec<Option<&SizeFacts<'t>>> = of.iter().map(|f| f.size.as_ref()).collect();
        let common = |columns: &dyn Fn(&Frame<'t>) -> Vec<&'t str>| -> Vec<&'t str> {
            columns(of[0])
                .into_iter()
                .filter(|c| of.iter().all(|f| columns(f).contains(c)))
                .collect()
        };
        let frame = Frame {
            name,
            scope: self.scope,
            origin,
            block: self.block,
            streaming: of.iter().any(|f| f.streaming),
            cached: of.iter().all(|f| f.cached),
            alias: false,
            literal: of.iter().all(|f| f.literal),
            escapes: false,
            returned: false,
            assumed: of.iter().any(|f| f.assumed),
            hinted: of.iter().all(|f| f.hinted),
            size: Some(SizeFacts::common(&sizes).named(name)),
            layout: Layout::common(of.iter().map(|f| f.layout)),
            columns: common(&|f| f.columns.clone()),
            constant_columns: common(&|f| f.constant_columns.clone()),
            recompute: Recompute::all(of.iter().map(|f| f.recompute)),
            reads: of.iter().flat_map(|f| f.reads.iter().cloned()).fold(
                Vec::new(),
                |mut reads, source| {
                    if !reads.contains(&source) {
                        reads.push(source);
                    }
                    reads
                },
            ),
            loop_depth: self.loop_depth,
            parents,
        };
        let id = FrameId(self.frames.len() as u32);
        self.frames.push(frame);
        id
    }

    /// The frame a name holds at the start of each iteration of `stmt`: the binding before the
    /// loop, or whatever the previous iteration bound. Nothing is known of its size, rows or
    /// layout; its cost is taken from the first iteration's.
    fn loop_carried_frame(
        &mut self,
        name: &'t str,
        stmt: SyntaxNode<'t>,
        before: FrameId,
    ) -> FrameId {
        let id = self.merged_frame(name, FrameOrigin::LoopCarried { stmt }, vec![before]);
        let recompute = self.frames[before.0 as usize].recompute;
        let parameter = self.frames[before.0 as usize]
            .size
            .as_ref()
            .is_some_and(|s| s.parameter);
        let frame = &mut self.frames[id.0 as usize];
        frame.literal = false;
        frame.hinted = false;
        frame.cached = false;
        frame.size = Some(
            SizeFacts {
                parameter,
                ..SizeFacts::default()
            }
            .named(name),
        );
        frame.layout = Layout::UNKNOWN;
        frame.columns.clear();
        frame.constant_columns.clear();
        frame.recompute = Recompute {
            columnar_scan: false,
            ..recompute
        };
        frame.loop_depth = self.loop_depth + 1;
        id
    }
}

/// The plain names a block assigns, nested blocks included, nested functions and classes not.
fn assigned_names(block: Block<'_>) -> Vec<&str> {
    let mut names = Vec::new();
    let mut stack = vec![block];
    while let Some(block) = stack.pop() {
        for stmt in block.statements() {
            match stmt {
                Stmt::Assign(assign) => {
                    for target in assign.targets() {
                        names.extend(target.target_names());
                    }
                }
                Stmt::If(stmt) => {
                    stack.extend(stmt.body());
                    for branch in stmt.else_branches() {
                        match branch {
                            ElseBranch::Elif { body, .. } | ElseBranch::Else(body) => {
                                stack.push(body)
                            }
                        }
                    }
                }
                Stmt::For(stmt) => {
                    stack.extend(stmt.body());
                    stack.extend(stmt.else_body());
                }
                Stmt::While(stmt) => {
                    stack.extend(stmt.body());
                    stack.extend(stmt.else_body());
                }
                Stmt::Try(stmt) => {
                    stack.extend(stmt.body());
                    stack.extend(stmt.handlers().into_iter().map(|(_, h)| h));
                    stack.extend(stmt.else_body());
                    stack.extend(stmt.finally_body());
                }
                Stmt::With(stmt) => stack.extend(stmt.body()),
                Stmt::Match(stmt) => stack.extend(stmt.case_bodies()),
                _ => {}
            }
        }
    }
    names.sort_unstable();
    names.dedup();
    names
}
