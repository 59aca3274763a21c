//! Iterative pre-order traversal: deep trees (long method chains, nested parentheses) never
//! recurse on the call stack. The tree stores its nodes in pre-order, so the walk is a scan.

use crate::tree::Node;

/// Visits a node and all its descendants in source order, without recursion.
pub struct Preorder<'t> {
    root: Node<'t>,
    /// The node returned last, if any.
    current: Option<Node<'t>>,
    done: bool,
    /// One past the root's subtree.
    end: u32,
    skip_children: bool,
    /// The depth of `current` below the root.
    depth: u32,
}

impl<'t> Preorder<'t> {
    pub fn new(root: Node<'t>) -> Self {
        Preorder {
            root,
            current: None,
            done: false,
            end: root.subtree_end(),
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
        if self.done {
            return None;
        }
        let Some(current) = self.current else {
            self.current = Some(self.root);
            return self.current;
        };
        let skip = std::mem::take(&mut self.skip_children);
        let next = if skip {
            current.subtree_end()
        } else {
            current.index() + 1
        };
        if next >= self.end {
            self.done = true;
            return None;
        }
        if next < current.subtree_end() {
            self.depth += 1;
        } else {
            // Up to the ancestor whose subtree holds `next`: `next` is its child.
            let mut ancestor = current.parent().expect("the root's subtree holds `next`");
            while ancestor.subtree_end() <= next {
                ancestor = ancestor.parent().expect("the root's subtree holds `next`");
                self.depth -= 1;
            }
        }
        let node = current.with_index(next);
        self.current = Some(node);
        Some(node)
    }
}

#[cfg(test)]
mod tests {
    use super::Preorder;

    #[test]
    fn depth_and_order_are_the_trees() {
        let tree = crate::parser::parse("def f(x):\n    return [x, (x + 1)]\ny = 2\n");
        let mut walk = Preorder::new(tree.root());
        let mut seen = 0;
        while let Some(node) = walk.next() {
            let mut depth = 0;
            let mut current = node;
            while let Some(parent) = current.parent() {
                depth += 1;
                current = parent;
            }
            assert_eq!(walk.depth(), depth, "{node:?}");
            assert_eq!(node.id(), seen, "pre-order");
            seen += 1;
        }
        assert!(seen > 10);
        assert_eq!(walk.next(), None);
    }

    #[test]
    fn skips_subtrees_and_stops_at_the_root() {
        let tree = crate::parser::parse("def f(x):\n    return x\ny = 2\n");
        let function = tree.root().named_child(0).expect("a definition");
        let kinds: Vec<_> = Preorder::new(function).map(|n| n.kind()).collect();
        assert!(!kinds.contains(&"expression_statement"), "{kinds:?}");
        let mut walk = Preorder::new(tree.root());
        let mut kinds = Vec::new();
        while let Some(node) = walk.next() {
            kinds.push(node.kind());
            if node.kind() == "function_definition" {
                walk.skip_children();
            }
        }
        assert_eq!(
            kinds,
            [
                "module",
                "function_definition",
                "expression_statement",
                "assignment",
                "identifier",
                "=",
                "integer"
            ]
        );
    }
}
