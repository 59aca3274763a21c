//! Counts that could be counted in passing: a `count()` whose value only feeds log lines, on a
//! frame that a later action reads completely and once anyway. `DataFrame.observe` on the frame
//! lets that action count its rows; the separate scan of the count goes.
//!
//! The observation fills on the first action that executes the observed frame, so every action
//! that reads the frame after its definition and before the later one must read it completely
//! and once too (no `show`, `take`, metadata-only count, conditional action, self-join). And
//! Spark pushes no filter through an observation: where a frame derived from the counted one,
//! or the later action's own chain, filters rows, the filter could reach the scans today and
//! would not after the rewrite; no fold there.

use super::cost::Pass;
use sparkfix_syntax::SyntaxNode;

use super::lineage::{Lineage, with_ancestors};
use super::{ActionId, FrameId, FrameOrigin, Runs, SparkModel};

/// A count to fold into a later action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fold {
    pub count: ActionId,
    /// The counted frame.
    pub frame: FrameId,
    /// The later action that reads the frame completely and once.
    pub into: ActionId,
}

/// Actions a count can be folded into: they read their whole lineage once (besides writes).
const COMPLETE_READS: &[&str] = &["collect", "toPandas"];

/// Actions that read every row of the frame they run on, besides writes; `show`, `take`,
/// `first`... read a few partitions of it even where they run a shuffle in full before it.
const EVERY_ROW: &[&str] = &[
    "count",
    "collect",
    "toPandas",
    "foreach",
    "foreachPartition",
];

impl<'t> SparkModel<'t> {
    /// Every count that only feeds log lines and can be counted by a later complete read.
    pub fn folds(&self, lineage: &Lineage) -> Vec<Fold> {
        let foldable: Vec<ActionId> = (0..self.actions.len() as u32)
            .map(ActionId)
            .filter(|&id| self.counts_for_logs(id))
            .collect();
        foldable
            .iter()
            .filter_map(|&count| {
                let frame = self.action(count).frames[0];
                let into = self.complete_read_after(count, frame)?;
                (self.only_complete_reads(frame, count, into, &foldable)
                    && !self.filters_after(frame, into, lineage))
                .then_some(Fold { count, frame, into })
            })
            .collect()
    }

    /// A `count()` run once, outside loops, reading its frame fully, whose value only reaches
    /// log lines, over a lineage that reads stored data (a count of rows built on the driver,
    /// `createDataFrame(rows)`, costs next to nothing: no scan to save).
    fn counts_for_logs(&self, id: ActionId) -> bool {
        let action = self.action(id);
        if action.method != "count"
            || action.logged_in.is_none()
            || action.runs != Runs::Once
            || action.loop_depth != 0
            || action.pass != Pass::Full
            || action.frames.len() != 1
        {
            return false;
        }
        let frame = self.frame(action.frames[0]);
        // A frame used where the model cannot follow it may be read there before the action.
        frame.loop_depth == 0
            && !frame.escapes
            && !frame.literal
            && (frame.recompute.costly.is_some() || frame.recompute.columnar_scan)
    }

    /// The first action after `count`, in its scope, that always runs and reads `frame`
    /// completely: a write, `collect`, `toPandas`.
    fn complete_read_after(&self, count: ActionId, frame: FrameId) -> Option<ActionId> {
        let counted = self.action(count);
        let scope = counted.node.enclosing_scope();
        (0..self.actions.len() as u32).map(ActionId).find(|&id| {
            let action = self.action(id);
            action.node.start() > counted.node.end()
                && action.node.enclosing_scope() == scope
                && action.runs == Runs::Once
                && action.loop_depth == 0
                && action.pass == Pass::Full
                && (COMPLETE_READS.contains(&action.method) || self.is_write(id))
                && self.reads(id, frame)
        })
    }

    /// Whether every action that reads `frame` between its definition and `into` (the folded
    /// counts aside) reads it completely and once, `into` included: the observation then holds
    /// the count of the whole frame whichever of them fills it.
    fn only_complete_reads(
        &self,
        frame: FrameId,
        count: ActionId,
        into: ActionId,
        foldable: &[ActionId],
    ) -> bool {
        let defined = self.frame(frame).definition().start();
        let end = self.action(into).node.start();
        (0..self.actions.len() as u32).map(ActionId).all(|id| {
            let action = self.action(id);
            let between = action.node.start() > defined && action.node.start() <= end;
            if !between || id == count || !self.reads(id, frame) {
                return true;
            }
            if foldable.contains(&id) && action.frames[0] == frame {
                return true;
            }
            action.runs == Runs::Once
                && action.pass == Pass::Full
                && self.reads_every_row(id)
                && self.paths(&action.frames, frame) == 1
        })
    }

    /// Whether a frame derived from `frame`, or the chain of the action `into`, filters rows.
    fn filters_after(&self, frame: FrameId, into: ActionId, lineage: &Lineage) -> bool {
        let filters = |node: SyntaxNode<'_>| {
            node.descendants().any(|inner| {
                inner
                    .as_call()
                    .is_some_and(|call| matches!(call.callee_name(), Some("filter" | "where")))
            })
        };
        let derived =
            lineage
                .descendants(frame)
                .into_iter()
                .any(|id| match self.frame(id).origin {
                    FrameOrigin::Assignment { value, .. } => filters(value),
                    _ => false,
                });
        derived || filters(self.action(into).node)
    }

    fn is_write(&self, id: ActionId) -> bool {
        let node = self.action(id).node;
        self.writes
            .iter()
            .any(|write| write.terminal.syntax() == node)
    }

    /// Whether the action reads every row of its frames: a write, `count`, `collect`...
    fn reads_every_row(&self, id: ActionId) -> bool {
        EVERY_ROW.contains(&self.action(id).method) || self.is_write(id)
    }

    /// Whether the action's lineage includes `frame`.
    fn reads(&self, action: ActionId, frame: FrameId) -> bool {
        with_ancestors(&self.frames, &self.action(action).frames).contains(&frame)
    }

    /// How many ways lead from `start` up to `frame` through the parents (2 for a self-join),
    /// counted to 2 at most. Parents have smaller ids than their children, so one sweep down
    /// the ids carries the counts up.
    fn paths(&self, start: &[FrameId], frame: FrameId) -> usize {
        let Some(top) = start.iter().map(|id| id.0).max() else {
            return 0;
        };
        let mut ways = vec![0usize; top as usize + 1];
        for id in start {
            ways[id.0 as usize] += 1;
        }
        for id in (frame.0 + 1..=top).rev() {
            let here = ways[id as usize].min(2);
            if here == 0 {
                continue;
            }
            for parent in &self.frame(FrameId(id)).parents {
                ways[parent.0 as usize] = (ways[parent.0 as usize] + here).min(2);
            }
        }
        ways.get(frame.0 as usize).copied().unwrap_or(0).min(2)
    }
}
