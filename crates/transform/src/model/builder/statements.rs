//! The statement walk of the [`Builder`]: blocks in source order, each statement's effect on
//! the bindings of its scope, and what an assignment binds its target to.

use sparkfix_syntax::SyntaxNode;
use sparkfix_syntax::views::{Block, Stmt};

use super::scopes::Binding;
use super::value::Value;
use super::{Builder, MAX_DEPTH, is_spark_sql_module, udf};
use crate::model::spark_api::{self, Ty};
use crate::model::{Frame, FrameOrigin, Runs};

impl<'t> Builder<'t> {
    pub(super) fn block(&mut self, block: Block<'t>) {
        if self.depth > MAX_DEPTH {
            return;
        }
        self.depth += 1;
        let outer = self.block.replace(block.syntax());
        for stmt in block.statements() {
            self.statement(stmt);
        }
        self.block = outer;
        self.depth -= 1;
    }

    /// Runs `f` with the execution context nested in `runs`.
    pub(super) fn nested(&mut self, runs: Runs, f: impl FnOnce(&mut Self)) {
        let outer = self.runs;
        self.runs = outer.nest(runs);
        f(self);
        self.runs = outer;
    }

    pub(super) fn opt_block(&mut self, block: Option<Block<'t>>, runs: Runs) {
        if let Some(block) = block {
            self.nested(runs, |b| b.block(block));
        }
    }

    pub(super) fn statement(&mut self, stmt: Stmt<'t>) {
        match stmt {
            Stmt::Assign(assign) => {
                let value = match assign.value() {
                    Some(node) => (node, self.eval(node)),
                    None => return,
                };
                for target in assign.targets() {
                    self.assign(target, assign.syntax(), &value);
                }
            }
            Stmt::Expr(expr) => {
                self.eval(expr);
            }
            Stmt::Return { value, .. } => {
                if let Some(node) = value {
                    let value = self.eval(node);
                    self.escape_if_frame(&value, true);
                    if let Some(function) = &mut self.function {
                        function.returned.push(value);
                    }
                }
            }
            Stmt::If(stmt) => self.if_statement(stmt),
            Stmt::For(stmt) => self.for_statement(stmt),
            Stmt::While(stmt) => self.while_statement(stmt),
            Stmt::Try(stmt) => {
                self.opt_block(stmt.body(), Runs::Once);
                for (_, handler) in stmt.handlers() {
                    self.opt_block(Some(handler), Runs::Maybe);
                }
                self.opt_block(stmt.else_body(), Runs::Once);
                self.opt_block(stmt.finally_body(), Runs::Once);
            }
            Stmt::With(stmt) => {
                for item in stmt.items() {
                    self.eval(item);
                }
                self.opt_block(stmt.body(), Runs::Once);
            }
            Stmt::Match(stmt) => {
                if let Some(subject) = stmt.subject() {
                    self.eval(subject);
                }
                for body in stmt.case_bodies() {
                    self.opt_block(Some(body), Runs::Maybe);
                }
            }
            Stmt::Function(def) => {
                let index = self.function_definition(def);
                if def.decorators().into_iter().any(udf::makes_udf) {
                    self.has_udfs = true;
                    self.bind(def.name(), Binding::Udf);
                } else {
                    self.bind(def.name(), Binding::Function(index));
                }
            }
            Stmt::Class(class) => {
                let outer_scope = self.enter_scope(true);
                let class_scope = self.scope;
                let outer_runs = std::mem::replace(&mut self.runs, Runs::Once);
                if let Some(body) = class.body() {
                    self.block(body);
                }
                self.runs = outer_runs;
                self.scope = outer_scope;
                self.bind(class.name(), Binding::Class(class_scope));
            }
            Stmt::Import(import) => {
                for module in import.modules() {
                    let bound = module.bound_name();
                    // `import a.b` binds `a`, the top package; `import a.b as m` binds `a.b`.
                    let path = if module.alias.is_some() {
                        module.module
                    } else {
                        bound
                    };
                    self.bind(
                        bound,
                        Binding::Import {
                            module: path,
                            name: None,
                        },
                    );
                }
            }
            Stmt::ImportFrom(import) => {
                let module = import.module();
                for name in import.names() {
                    let binding = if name.name == "SparkSession" && is_spark_sql_module(module) {
                        Binding::Value {
                            ty: Ty::SessionClass,
                            frame: None,
                        }
                    } else {
                        Binding::Import {
                            module,
                            name: Some(name.name),
                        }
                    };
                    self.bind(name.bound_name(), binding);
                }
            }
            Stmt::AugAssign(node) | Stmt::Other(node) => {
                self.eval_parts(node);
            }
        }
    }

    pub(super) fn assign(
        &mut self,
        target: SyntaxNode<'t>,
        stmt: SyntaxNode<'t>,
        (value_node, value): &(SyntaxNode<'t>, Value<'t>),
    ) {
        let Some(name) = target.as_name() else {
            // `self.x = df`, `d[k] = df`, `a, b = ...`: not followed.
            self.escape_if_frame(value, false);
            self.bind_unknown(target);
            return;
        };
        if udf::makes_udf(*value_node) {
            self.has_udfs = true;
            self.bind(name, Binding::Udf);
            return;
        }
        if value.ty.is_frame() {
            let id = self.new_frame(Frame {
                name,
                scope: self.scope,
                origin: FrameOrigin::Assignment {
                    stmt,
                    value: *value_node,
                },
                block: self.block,
                parents: value.frames.clone(),
                streaming: value.ty == Ty::StreamingFrame,
                cached: value.cached,
                alias: value.exact.is_some(),
                literal: value.literal,
                escapes: false,
                returned: false,
                assumed: false,
                hinted: value.hinted,
                size: Some(value.size.clone().unwrap_or_default().named(name)),
                layout: value.layout,
                columns: value.columns.as_deref().cloned().unwrap_or_default(),
                constant_columns: value.constants.as_deref().cloned().unwrap_or_default(),
                recompute: value.recompute,
                reads: value.reads.as_deref().cloned().unwrap_or_default(),
                loop_depth: self.loop_depth,
            });
            self.bind(
                name,
                Binding::Value {
                    ty: value.ty,
                    frame: Some(id),
                },
            );
        } else if let Some(text) = value.text {
            self.bind(name, Binding::Text(text));
        } else {
            let ty = if value.ty == Ty::Unknown && spark_api::SESSION_NAMES.contains(&name) {
                Ty::Session
            } else {
                value.ty
            };
            // A writer or grouped value keeps the frames it came from.
            let frame = value
                .frames
                .first()
                .copied()
                .filter(|_| ty != Ty::Unknown && value.frames.len() == 1);
            self.bind(name, Binding::Value { ty, frame });
        }
    }
}
