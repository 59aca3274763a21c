//! SPK001 `cache-reused-dataframe`: cache the topmost DataFrame that several actions recompute.
//!
//! See `rules/cache-reused-dataframe.yaml` for what it does, why, and the fix.

use sparkfix_syntax::views::{Block, Stmt};

use super::{Rule, RuleContext};
use crate::diagnostic::Diagnostic;
use crate::edit::Edit;
use crate::edits::{append_method_call, insert_after_statement, insert_before_statement};
use crate::model::{ActionId, Frame, FrameId, FrameOrigin, Runs};

pub struct CacheReusedDataframe;

impl Rule for CacheReusedDataframe {
    fn code(&self) -> &'static str {
        "SPK001"
    }

    fn name(&self) -> &'static str {
        "cache-reused-dataframe"
    }

    fn check(&self, ctx: &RuleContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        let model = ctx.model;
        let mut chosen: Vec<FrameId> = Vec::new();
        for id in model.frame_ids() {
            let frame = model.frame(id);
            if frame.streaming || frame.assumed || frame.cached || frame.literal {
                continue;
            }
            let counted: Vec<ActionId> = ctx
                .lineage
                .reaching(id)
                .iter()
                .copied()
                .filter(|a| model.action(*a).weight() > 0)
                .collect();
            let runs: u32 = counted.iter().map(|a| model.action(*a).weight()).sum();
            if runs < 2 {
                continue;
            }
            // All counted actions through one child: that child is the better place.
            let through_one_child = ctx.lineage.children(id).iter().any(|child| {
                counted
                    .iter()
                    .all(|a| ctx.lineage.reaching(*child).contains(a))
            });
            if through_one_child {
                continue;
            }
            let ancestors = ctx.lineage.ancestors(model, id);
            let descendants = ctx.lineage.descendants(id);
            let lineage_cached = ancestors
                .iter()
                .any(|a| model.frame(*a).cached || chosen.contains(a))
                || descendants.iter().any(|d| model.frame(*d).cached);
            if lineage_cached {
                continue;
            }
            chosen.push(id);
            out.push(self.diagnostic(ctx, id, frame, &counted));
        }
    }
}

impl CacheReusedDataframe {
    fn diagnostic(
        &self,
        ctx: &RuleContext<'_, '_>,
        id: FrameId,
        frame: &Frame<'_>,
        counted: &[ActionId],
    ) -> Diagnostic {
        let model = ctx.model;
        let mut lines: Vec<(usize, bool)> = counted
            .iter()
            .map(|a| {
                let action = model.action(*a);
                (
                    ctx.line(action.node.start()),
                    action.runs == Runs::Repeatedly,
                )
            })
            .collect();
        lines.sort();
        lines.dedup();
        let places: Vec<String> = lines
            .iter()
            .map(|(line, in_loop)| {
                if *in_loop {
                    format!("{line} (in a loop)")
                } else {
                    line.to_string()
                }
            })
            .collect();
        let sites: u32 = counted.iter().map(|a| model.action(*a).count).sum();
        let actions = if sites == 1 {
            "1 action"
        } else {
            &format!("{sites} actions")
        };
        let noun = if places.len() == 1 { "line" } else { "lines" };
        let message = format!(
            "DataFrame `{}` is recomputed by {actions} at {noun} {}: cache it",
            frame.name,
            places.join(", ")
        );
        let mut edits = self.cache_edits(ctx, frame);
        if !edits.is_empty()
            && let Some(edit) = self.unpersist_edit(ctx, id, frame)
        {
            edits.push(edit);
        }
        let range = match frame.origin {
            FrameOrigin::Assignment { stmt, .. } => stmt.start()..stmt.start() + frame.name.len(),
            FrameOrigin::Parameter { parameter, .. } => parameter.range(),
        };
        ctx.diagnostic(self, range, message, edits)
    }

    /// `.cache()` on the assigned expression, or `name = name.cache()` first in the function
    /// whose parameter it is.
    fn cache_edits(&self, ctx: &RuleContext<'_, '_>, frame: &Frame<'_>) -> Vec<Edit> {
        match frame.origin {
            FrameOrigin::Assignment { value, .. } => {
                append_method_call(ctx.file, value, ".cache()")
            }
            FrameOrigin::Parameter { function, .. } => {
                let Some(body) = function.body() else {
                    return Vec::new();
                };
                let mut statements = body.statements().map(|s| s.syntax()).peekable();
                let Some(first) = statements.next() else {
                    return Vec::new();
                };
                let is_docstring = first.children().next().is_some_and(|c| c.is_string())
                    && first.children().count() == 1;
                let target = if is_docstring {
                    statements.next()
                } else {
                    Some(first)
                };
                match target {
                    Some(stmt) if ctx.line(stmt.start()) != ctx.line(function.syntax().start()) => {
                        vec![insert_before_statement(
                            ctx.file,
                            stmt,
                            &format!("{0} = {0}.cache()", frame.name),
                        )]
                    }
                    _ => Vec::new(),
                }
            }
        }
    }

    /// `name.unpersist()` after the statement of the frame's block that contains the last action
    /// reaching it; `None` when the frame escapes, is not this code's own (a parameter, an alias),
    /// or the name is rebound before that point.
    fn unpersist_edit(
        &self,
        ctx: &RuleContext<'_, '_>,
        id: FrameId,
        frame: &Frame<'_>,
    ) -> Option<Edit> {
        if !frame.owns_plan() {
            return None;
        }
        let model = ctx.model;
        let family: Vec<FrameId> = std::iter::once(id)
            .chain(ctx.lineage.descendants(id))
            .collect();
        if family
            .iter()
            .any(|f| model.frame(*f).escapes || model.frame(*f).returned)
        {
            return None;
        }
        let block = Block::cast(frame.block?)?;
        let last = ctx
            .lineage
            .reaching(id)
            .iter()
            .map(|a| model.action(*a).node)
            .max_by_key(|n| n.start())?;
        let stmt = block
            .statements()
            .find(|s| s.syntax().start() <= last.start() && last.end() <= s.syntax().end())?;
        if matches!(stmt, Stmt::Return { .. }) {
            // Nothing runs after a return.
            return None;
        }
        let stmt = stmt.syntax();
        let rebound = model.frames.iter().any(|other| {
            other.name == frame.name
                && other.scope == frame.scope
                && other.definition().start() > frame.definition().start()
                && other.definition().start() <= stmt.end()
        });
        if rebound {
            return None;
        }
        Some(insert_after_statement(
            ctx.file,
            stmt,
            &format!("{}.unpersist()", frame.name),
        ))
    }
}
