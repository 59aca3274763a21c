//! Iterative pre-order traversal: deep trees (long method chains, nested parentheses) never
//! recurse on the call stack.

use tree_sitter::{Node, TreeCursor};

/// Visits a node and all its descendants in source order, without recursion.
pub struct Preorder<'t> {
    cursor: TreeCursor<'t>,
    root_id: usize,
    state: State,
    skip_children: bool,
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
        }
    }

    /// How far below the root the node returned last is (the root is at 0).
    pub fn depth(&self) -> u32 {
        self.cursor.depth()
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
        }
    }
}
