//! Lineage queries over a [`SparkModel`]: children, ancestors, and the actions that reach each
//! frame.

use super::{ActionId, Frame, FrameId, SparkModel};

/// Derived lineage facts, computed once per model.
#[derive(Debug)]
pub struct Lineage {
    children: Vec<Vec<FrameId>>,
    /// Sorted, deduplicated actions that run on each frame or on a frame computed from it.
    reaching: Vec<Vec<ActionId>>,
}

impl Lineage {
    pub fn new(model: &SparkModel<'_>) -> Self {
        let n = model.frames.len();
        let mut children = vec![Vec::new(); n];
        for (index, frame) in model.frames.iter().enumerate() {
            for parent in &frame.parents {
                let list: &mut Vec<FrameId> = &mut children[parent.0 as usize];
                if !list.contains(&FrameId(index as u32)) {
                    list.push(FrameId(index as u32));
                }
            }
        }
        let mut direct = vec![Vec::new(); n];
        for (index, action) in model.actions.iter().enumerate() {
            for frame in &action.frames {
                direct[frame.0 as usize].push(ActionId(index as u32));
            }
        }
        // Parents have smaller ids than their children: walk from the last frame up.
        let mut reaching: Vec<Vec<ActionId>> = vec![Vec::new(); n];
        for index in (0..n).rev() {
            let mut set = std::mem::take(&mut direct[index]);
            for child in &children[index] {
                set.extend_from_slice(&reaching[child.0 as usize]);
            }
            set.sort();
            set.dedup();
            reaching[index] = set;
        }
        Lineage { children, reaching }
    }

    pub fn children(&self, frame: FrameId) -> &[FrameId] {
        &self.children[frame.0 as usize]
    }

    /// Every action that runs on `frame` or on a frame computed from it.
    pub fn reaching(&self, frame: FrameId) -> &[ActionId] {
        &self.reaching[frame.0 as usize]
    }

    /// `frame`'s ancestors (parents, their parents...), without duplicates.
    pub fn ancestors(&self, model: &SparkModel<'_>, frame: FrameId) -> Vec<FrameId> {
        with_ancestors(&model.frames, &model.frame(frame).parents)
    }

    /// `frame`'s descendants, without duplicates.
    pub fn descendants(&self, frame: FrameId) -> Vec<FrameId> {
        let mut seen = Vec::new();
        let mut stack = self.children(frame).to_vec();
        while let Some(next) = stack.pop() {
            if !seen.contains(&next) {
                seen.push(next);
                stack.extend_from_slice(self.children(next));
            }
        }
        seen
    }
}

/// `start` and every ancestor of those frames, without duplicates.
pub(super) fn with_ancestors(frames: &[Frame<'_>], start: &[FrameId]) -> Vec<FrameId> {
    let mut seen = Vec::new();
    let mut stack = start.to_vec();
    while let Some(next) = stack.pop() {
        if !seen.contains(&next) {
            seen.push(next);
            stack.extend_from_slice(&frames[next.0 as usize].parents);
        }
    }
    seen
}
