//! Functions of the file: each definition is analysed once into a summary (the full passes it
//! runs on each parameter, which parameters escape, what it returns), which every call of it
//! uses instead of following the call.

use sparkfix_syntax::views::{Argument, Call, FunctionDef, Parameter};

use super::value::{Value, extend_unique};
use super::{Binding, Builder};
use crate::model::cost::Pass;
use crate::model::layout::Layout;
use crate::model::lineage;
use crate::model::size::SizeFacts;
use crate::model::spark_api::{self, Ty};
use crate::model::{Frame, FrameId, FrameOrigin, Runs};

#[derive(Debug, Clone, Default)]
pub(super) struct FunctionSummary {
    /// For each positional parameter: unconditional full passes over it inside the function.
    param_actions: Vec<u32>,
    /// For each positional parameter: whether the function lets it escape.
    param_escapes: Vec<bool>,
    /// The function returns a DataFrame whatever its arguments are.
    returns_frame: bool,
    /// The layout of every DataFrame it returns, when they agree and none comes from a
    /// parameter.
    returns_layout: Option<Layout>,
    /// Every DataFrame it returns is built from rows written in the program.
    returns_literal: bool,
    /// Parameters whose DataFrame the returned value is computed from.
    returns_params: Vec<usize>,
}

/// The function being analysed, to collect what it returns.
pub(super) struct FunctionFrame<'t> {
    params: Vec<Option<FrameId>>,
    pub(super) returned: Vec<Value<'t>>,
    first_action: usize,
}

impl<'t> Builder<'t> {
    pub(super) fn function_definition(&mut self, def: FunctionDef<'t>) -> usize {
        let outer_scope = self.enter_scope(false);
        let outer_runs = std::mem::replace(&mut self.runs, Runs::Once);
        let outer_loops = std::mem::replace(&mut self.loop_depth, 0);
        let outer_block = self.block;
        let body = def.body();
        self.block = body.map(|b| b.syntax());
        let mut params = Vec::new();
        for (index, param) in def.parameters().into_iter().enumerate() {
            let frame = self.parameter(def, index, param);
            params.push(frame);
        }
        let outer_function = self.function.replace(FunctionFrame {
            params,
            returned: Vec::new(),
            first_action: self.actions.len(),
        });
        if let Some(body) = body {
            self.block(body);
        }
        let function = std::mem::replace(&mut self.function, outer_function).expect("set above");
        let summary = self.summarize(def, &function);
        self.runs = outer_runs;
        self.loop_depth = outer_loops;
        self.block = outer_block;
        self.scope = outer_scope;
        self.summaries.push(summary);
        self.summaries.len() - 1
    }

    pub(super) fn parameter(
        &mut self,
        def: FunctionDef<'t>,
        index: usize,
        param: Parameter<'t>,
    ) -> Option<FrameId> {
        let annotation = param.annotation.map(|a| a.text().trim_matches(['"', '\'']));
        let is_frame_annotation =
            annotation.is_some_and(|a| self.names_spark_class(a, "DataFrame"));
        let is_self = index == 0 && (param.name == "self" || param.name == "cls");
        if param.is_variadic || is_self {
            self.bind(param.name, Binding::UNKNOWN);
            return None;
        }
        if annotation.is_some_and(|a| self.names_spark_class(a, "SparkSession"))
            || (annotation.is_none() && spark_api::SESSION_NAMES.contains(&param.name))
        {
            self.bind(
                param.name,
                Binding::Value {
                    ty: Ty::Session,
                    frame: None,
                },
            );
            return None;
        }
        if !is_frame_annotation && annotation.is_some() {
            self.bind(param.name, Binding::UNKNOWN);
            return None;
        }
        let id = self.new_frame(Frame {
            name: param.name,
            scope: self.scope,
            origin: FrameOrigin::Parameter {
                function: def,
                parameter: param.node,
            },
            block: self.block,
            parents: Vec::new(),
            streaming: false,
            cached: false,
            alias: false,
            literal: false,
            escapes: false,
            returned: false,
            assumed: !is_frame_annotation,
            hinted: false,
            size: Some(SizeFacts::of_parameter().named(param.name)),
            layout: Layout::UNKNOWN,
            columns: Vec::new(),
            constant_columns: Vec::new(),
            recompute: Default::default(),
            reads: Vec::new(),
            loop_depth: 0,
        });
        self.bind(
            param.name,
            Binding::Value {
                ty: Ty::DataFrame,
                frame: Some(id),
            },
        );
        Some(id)
    }

    pub(super) fn summarize(
        &self,
        def: FunctionDef<'t>,
        function: &FunctionFrame<'t>,
    ) -> FunctionSummary {
        let own_actions = &self.actions[function.first_action..];
        let mut summary = FunctionSummary::default();
        for param in &function.params {
            let (runs, escapes) = match param {
                Some(frame) => {
                    let reached = self.frames_reaching(*frame);
                    let param = &self.frames[frame.0 as usize];
                    let runs = own_actions
                        .iter()
                        .filter(|a| a.frames.iter().any(|f| reached.contains(f)))
                        .map(|a| a.passes_over(param))
                        .sum();
                    (
                        runs,
                        reached.iter().any(|f| self.frames[f.0 as usize].escapes),
                    )
                }
                None => (0, true),
            };
            summary.param_actions.push(runs);
            summary.param_escapes.push(escapes);
        }
        let annotated = def.return_annotation().is_some_and(|a| {
            self.names_spark_class(a.text().trim_matches(['"', '\'']), "DataFrame")
        });
        let mut layouts = Vec::new();
        let mut literals = Vec::new();
        for value in &function.returned {
            if !value.ty.is_frame() {
                continue;
            }
            let roots = lineage::with_ancestors(&self.frames, &value.frames);
            let from_params: Vec<usize> = function
                .params
                .iter()
                .enumerate()
                .filter(|(_, p)| p.is_some_and(|p| roots.contains(&p)))
                .map(|(i, _)| i)
                .collect();
            let proven = value.frames.is_empty()
                || value
                    .frames
                    .iter()
                    .any(|f| !self.frames[f.0 as usize].assumed);
            summary.returns_frame |= proven && value.ty == Ty::DataFrame;
            let layout = if from_params.is_empty() {
                value.layout
            } else {
                Layout::UNKNOWN
            };
            layouts.push(layout);
            literals.push(value.literal && from_params.is_empty());
            summary.returns_params.extend(from_params);
        }
        summary.returns_literal = !literals.is_empty() && literals.iter().all(|l| *l);
        summary.returns_layout = (!layouts.is_empty()).then(|| Layout::common(layouts));
        summary.returns_frame |= annotated;
        summary
    }

    /// `frame` and every frame computed from it so far.
    pub(super) fn frames_reaching(&self, frame: FrameId) -> Vec<FrameId> {
        let mut reached = vec![frame];
        for (index, candidate) in self.frames.iter().enumerate().skip(frame.0 as usize + 1) {
            if candidate.parents.iter().any(|p| reached.contains(p)) {
                reached.push(FrameId(index as u32));
            }
        }
        reached
    }

    pub(super) fn call_summary(
        &mut self,
        call: Call<'t>,
        name: &'t str,
        index: usize,
        args: &[Value<'t>],
    ) -> Value<'t> {
        let summary = self.summaries[index].clone();
        let positional: Vec<(usize, &Value<'t>)> = call
            .arguments()
            .all()
            .iter()
            .zip(args)
            .filter(|(a, _)| matches!(a, Argument::Positional(_)))
            .map(|(_, v)| v)
            .enumerate()
            .collect();
        let mut result = Value::default();
        for (position, value) in &positional {
            if !value.ty.is_frame() {
                continue;
            }
            let runs = summary.param_actions.get(*position).copied().unwrap_or(0);
            if runs > 0 {
                let receiver = super::records::Receiver {
                    on_rdd: false,
                    recompute: value.recompute,
                    layout: crate::model::Layout::UNKNOWN,
                };
                self.record_action(
                    name,
                    call.syntax(),
                    value.frames.clone(),
                    runs,
                    Pass::Full,
                    receiver,
                );
            }
            if summary
                .param_escapes
                .get(*position)
                .copied()
                .unwrap_or(true)
            {
                self.escape_if_frame(value, false);
            }
            if summary.returns_params.contains(position) && value.ty == Ty::DataFrame {
                result.ty = Ty::DataFrame;
                extend_unique(&mut result.frames, &value.frames);
            }
        }
        // Keyword and splat arguments are not matched to parameters: not followed.
        for (argument, value) in call.arguments().all().iter().zip(args) {
            if !matches!(argument, Argument::Positional(_)) {
                self.escape_if_frame(value, false);
            }
        }
        if summary.returns_frame {
            result.ty = Ty::DataFrame;
        }
        if result.ty == Ty::DataFrame {
            result.layout = summary.returns_layout.unwrap_or(Layout::UNKNOWN);
            result.literal = summary.returns_literal && result.frames.is_empty();
        }
        result
    }
}
