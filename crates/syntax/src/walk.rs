//! Iterative pre-order traversal: deep trees (long method chains, nested parentheses) never
//! recurse on the call stack.

use tree_sitter::{Node, TreeCursor};

/// Visits a node and all its descendants in source order, without recursion.
pub struct Preorder<'t> {
    cursor: TreeCursor<'t>,
    root_id: usize,
    state: State,
    skip_children: bool,
    /// The depth of the cursor's node below the root, kept here: `TreeCursor::depth` counts.
    depth: u32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    NotStarted,
    Walking,
    Done,
}

impl<'t> Preorder<'t> {
    pub fn new(root: Node<'t>) -> Self {
        Preorder {
            cursor: root.walk(),
            root_id: root.id(),
            state: State::NotStarted,
            skip_children: false,
            depth: 0,
        }
    }

    /// How far below the root the node returned last is (the root is at 0).
    pub fn depth(&self) -> u32 {
        self.depth
    }

    /// Do not descend into the children of the node returned last.
    pub fn skip_children(&mut self) {
        self.skip_children = true;
    }
}

impl<'t> Iterator for Preorder<'t> {
    type Item = Node<'t>;

    fn next(&mut self) -> Option<Node<'t>> {
        match self.state {
            State::Done => return None,
            State::NotStarted => {
                self.state = State::Walking;
                return Some(self.cursor.node());
            }
            State::Walking => {}
        }
        if !std::mem::take(&mut self.skip_children) && self.cursor.goto_first_child() {
            self.depth += 1;
            return Some(self.cursor.node());
        }
        loop {
            if self.cursor.node().id() == self.root_id {
                self.state = State::Done;
                return None;
            }
            if self.cursor.goto_next_sibling() {
                return Some(self.cursor.node());
            }
            if !self.cursor.goto_parent() {
                self.state = State::Done;
                return None;
            }
            self.depth -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Preorder;

    #[test]
    fn depth_is_the_cursors() {
        let tree = crate::parser::parse("def f(x):\n    return [x, (x + 1)]\n");
        let mut walk = Preorder::new(tree.root_node());
        let mut seen = 0;
        while let Some(node) = walk.next() {
            let mut depth = 0;
            let mut current = node;
            while let Some(parent) = current.parent() {
                depth += 1;
                current = parent;
            }
            assert_eq!(walk.depth(), depth, "{node:?}");
            seen += 1;
        }
        assert!(seen > 10);
    }
}
