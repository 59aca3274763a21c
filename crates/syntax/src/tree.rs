//! `Tree`: the syntax tree every view, walk and check reads, one array of nodes in pre-order.
//!
//! tree-sitter's tree is copied here once, right after the parse, and then dropped: reading this
//! array costs a few instructions per step where tree-sitter's cursor recomputes positions from
//! its subtrees on every move. Nodes are stored in pre-order, so a node's descendants are the
//! nodes after it up to its `end_index`: a walk is a scan, skipping a subtree is a jump, the first
//! child is the next node and the next sibling is the node after the subtree.
//!
//! The nodes are tree-sitter-python's visible ones (named and anonymous, extras such as comments
//! included), with its kind ids and field ids, so that `kinds` names them as tree-sitter does.

use std::num::NonZeroU16;
use std::ops::Range;

/// No parent: the root's.
pub(crate) const NONE: u32 = u32::MAX;

pub(crate) const NAMED: u8 = 1;
pub(crate) const EXTRA: u8 = 2;
const ERROR: u8 = 4;
const MISSING: u8 = 8;
/// The node or a node below it is an error or missing, hidden ones included.
const HAS_ERROR: u8 = 16;

#[derive(Debug, Clone, Copy)]
struct NodeData {
    kind: u16,
    /// The field this node fills in its parent (tree-sitter's field id); 0 for none.
    field: u8,
    flags: u8,
    start: u32,
    end: u32,
    parent: u32,
    /// One past the last node of this node's subtree.
    end_index: u32,
}

/// A syntax tree: nodes in pre-order, the root first.
pub(crate) struct Tree {
    nodes: Vec<NodeData>,
}

impl Tree {
    /// Copies tree-sitter's tree in one cursor walk.
    pub(crate) fn from_tree_sitter(tree: &tree_sitter::Tree) -> Tree {
        let root = tree.root_node();
        let any_error = root.has_error();
        let mut nodes: Vec<NodeData> = Vec::with_capacity(root.end_byte() / 4 + 16);
        let mut open: Vec<u32> = Vec::new();
        let mut cursor = root.walk();
        loop {
            let node = cursor.node();
            let index = index_of(nodes.len());
            let mut flags = 0;
            if node.is_named() {
                flags |= NAMED;
            }
            if node.is_extra() {
                flags |= EXTRA;
            }
            if any_error {
                if node.is_error() {
                    flags |= ERROR;
                }
                if node.is_missing() {
                    flags |= MISSING;
                }
                if node.has_error() {
                    flags |= HAS_ERROR;
                }
            }
            nodes.push(NodeData {
                kind: node.kind_id(),
                field: cursor
                    .field_id()
                    .map_or(0, |id| u8::try_from(id.get()).unwrap_or(0)),
                flags,
                start: offset_of(node.start_byte()),
                end: offset_of(node.end_byte()),
                parent: open.last().copied().unwrap_or(NONE),
                end_index: index + 1,
            });
            if cursor.goto_first_child() {
                open.push(index);
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    return Tree { nodes };
                }
                let closed = open.pop().expect("a parent was opened for every child");
                nodes[closed as usize].end_index = index_of(nodes.len());
            }
        }
    }

    pub(crate) fn with_capacity(nodes: usize) -> Tree {
        Tree {
            nodes: Vec::with_capacity(nodes),
        }
    }

    /// Appends a node whose range and subtree `close` sets; returns its index.
    pub(crate) fn push_open(&mut self, kind: u16, field: u8, flags: u8, parent: u32) -> u32 {
        let index = index_of(self.nodes.len());
        self.nodes.push(NodeData {
            kind,
            field,
            flags,
            start: 0,
            end: 0,
            parent,
            end_index: index + 1,
        });
        index
    }

    /// Appends a node without children.
    pub(crate) fn push_leaf(
        &mut self,
        kind: u16,
        field: u8,
        flags: u8,
        start: u32,
        end: u32,
        parent: u32,
    ) {
        let index = self.push_open(kind, field, flags, parent);
        let node = &mut self.nodes[index as usize];
        node.start = start;
        node.end = end;
    }

    /// Sets the range of the node at `index`, whose subtree ends with the last node appended.
    pub(crate) fn close(&mut self, index: u32, start: u32, end: u32) {
        let end_index = index_of(self.nodes.len());
        let node = &mut self.nodes[index as usize];
        node.start = start;
        node.end = end;
        node.end_index = end_index;
    }

    /// How many nodes the tree holds.
    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    pub(crate) fn root(&self) -> Node<'_> {
        Node {
            tree: self,
            index: 0,
        }
    }

    fn data(&self, index: u32) -> &NodeData {
        &self.nodes[index as usize]
    }
}

/// The first node (in pre-order) where two trees of `text` differ, described with its
/// ancestors' kinds, as each tree has it.
pub(crate) fn first_difference(a: &Tree, b: &Tree, text: &str) -> Option<(String, String)> {
    let describe = |tree: &Tree, index: usize| {
        let Some(data) = tree.nodes.get(index) else {
            return "no node".to_owned();
        };
        let node = Node {
            tree,
            index: index as u32,
        };
        let mut path = Vec::new();
        let mut current = node.parent();
        while let Some(parent) = current {
            path.push(parent.kind());
            current = parent.parent();
        }
        path.reverse();
        let snippet: String = text
            .get(data.start as usize..data.end as usize)
            .unwrap_or("")
            .chars()
            .take(40)
            .collect();
        format!(
            "{} > {}{} {}..{} field {:?} flags {} subtree {} {:?}",
            path.join(" > "),
            node.kind(),
            if node.is_named() { "" } else { " (anonymous)" },
            data.start,
            data.end,
            node.field_name(),
            data.flags,
            data.end_index - index as u32,
            snippet
        )
    };
    // The node itself first (kind, field, flags, range), then where it hangs.
    let same_node = |x: &NodeData, y: &NodeData| {
        x.kind == y.kind
            && x.field == y.field
            && (x.flags & !HAS_ERROR) == (y.flags & !HAS_ERROR)
            && x.start == y.start
            && x.end == y.end
    };
    let same_place = |x: &NodeData, y: &NodeData| {
        x.flags == y.flags && x.parent == y.parent && x.end_index == y.end_index
    };
    let count = a.nodes.len().max(b.nodes.len());
    let differs = |same: &dyn Fn(&NodeData, &NodeData) -> bool, i: usize| match (
        a.nodes.get(i),
        b.nodes.get(i),
    ) {
        (Some(x), Some(y)) => !same(x, y),
        _ => true,
    };
    (0..count)
        .find(|&i| differs(&same_node, i))
        .or_else(|| (0..count).find(|&i| differs(&same_place, i)))
        .map(|i| (describe(a, i), describe(b, i)))
}

fn index_of(len: usize) -> u32 {
    u32::try_from(len).expect("fewer than 4 billion nodes: sources are at most a few MiB")
}

fn offset_of(offset: usize) -> u32 {
    u32::try_from(offset).expect("sources under 4 GiB")
}

/// A node of a [`Tree`]: a copyable handle.
#[derive(Clone, Copy)]
pub struct Node<'t> {
    tree: &'t Tree,
    index: u32,
}

impl PartialEq for Node<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index && std::ptr::eq(self.tree, other.tree)
    }
}

impl Eq for Node<'_> {}

impl std::fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}@{:?}", self.kind(), self.byte_range())
    }
}

impl<'t> Node<'t> {
    fn data(&self) -> &'t NodeData {
        self.tree.data(self.index)
    }

    fn at(&self, index: u32) -> Node<'t> {
        Node {
            tree: self.tree,
            index,
        }
    }

    /// Unique within the tree: the node's position in pre-order.
    pub fn id(&self) -> usize {
        self.index as usize
    }

    pub fn kind_id(&self) -> u16 {
        self.data().kind
    }

    pub fn kind(&self) -> &'static str {
        crate::kinds::name_of(self.data().kind)
    }

    pub fn is_named(&self) -> bool {
        self.data().flags & NAMED != 0
    }

    /// A comment or a `\` line continuation, which may stand between any two tokens.
    pub fn is_extra(&self) -> bool {
        self.data().flags & EXTRA != 0
    }

    pub fn is_error(&self) -> bool {
        self.data().flags & ERROR != 0
    }

    /// A zero-width node tree-sitter inserted to recover from an error.
    pub fn is_missing(&self) -> bool {
        self.data().flags & MISSING != 0
    }

    /// Whether this node or one below it is an error or missing, hidden ones included.
    pub fn has_error(&self) -> bool {
        self.data().flags & HAS_ERROR != 0
    }

    pub fn start_byte(&self) -> usize {
        self.data().start as usize
    }

    pub fn end_byte(&self) -> usize {
        self.data().end as usize
    }

    pub fn byte_range(&self) -> Range<usize> {
        self.start_byte()..self.end_byte()
    }

    pub fn parent(&self) -> Option<Node<'t>> {
        let parent = self.data().parent;
        (parent != NONE).then(|| self.at(parent))
    }

    /// The field id this node fills in its parent, if any.
    pub fn field_id(&self) -> Option<NonZeroU16> {
        NonZeroU16::new(u16::from(self.data().field))
    }

    /// The name of the field this node fills in its parent (`left`, `body`...), if any.
    pub fn field_name(&self) -> Option<&'static str> {
        crate::kinds::field_name(u16::from(self.data().field))
    }

    /// Whether `other` is this node or below it.
    pub(crate) fn contains_index(&self, other: Node<'_>) -> bool {
        (self.index..self.data().end_index).contains(&other.index)
    }

    /// This node and its descendants, in pre-order.
    pub fn preorder(&self) -> crate::walk::Preorder<'t> {
        crate::walk::Preorder::new(*self)
    }

    /// One past the last node of this subtree, in pre-order.
    pub(crate) fn subtree_end(&self) -> u32 {
        self.data().end_index
    }

    /// The node at `index` in pre-order, for walks over this tree.
    pub(crate) fn with_index(&self, index: u32) -> Node<'t> {
        self.at(index)
    }

    pub(crate) fn index(&self) -> u32 {
        self.index
    }

    /// Every direct child, anonymous ones and extras included.
    pub fn children(&self) -> NodeChildren<'t> {
        NodeChildren {
            tree: self.tree,
            next: self.index + 1,
            end: self.data().end_index,
        }
    }

    /// The named direct children (extras such as comments included, as tree-sitter's).
    pub fn named_children(&self) -> impl Iterator<Item = Node<'t>> + use<'t> {
        self.children().filter(Node::is_named)
    }

    pub fn named_child(&self, n: usize) -> Option<Node<'t>> {
        self.named_children().nth(n)
    }

    pub fn named_child_count(&self) -> usize {
        self.named_children().count()
    }

    /// The first child filling field `id`.
    pub fn child_by_field_id(&self, id: u16) -> Option<Node<'t>> {
        self.children()
            .find(|child| u16::from(child.data().field) == id)
    }

    /// The first child filling the field `name` (`left`, `body`...).
    pub fn child_by_field_name(&self, name: &str) -> Option<Node<'t>> {
        self.child_by_field_id(crate::kinds::field_id(name)?)
    }

    /// Every child filling the field `name`, in order.
    pub fn children_by_field_name(&self, name: &str) -> impl Iterator<Item = Node<'t>> + use<'t> {
        let id = crate::kinds::field_id(name).unwrap_or(0);
        self.children()
            .filter(move |child| id != 0 && u16::from(child.data().field) == id)
    }

    /// The smallest node at or below this one that spans `start..end`, as tree-sitter's
    /// `descendant_for_byte_range` finds it.
    pub fn descendant_for_byte_range(&self, start: usize, end: usize) -> Option<Node<'t>> {
        if start > end {
            return None;
        }
        let mut node = *self;
        'descend: loop {
            for child in node.children() {
                let (child_start, child_end) = (child.start_byte(), child.end_byte());
                if child_end < end {
                    continue;
                }
                let is_empty = child_start == child_end;
                if if is_empty {
                    child_end < start
                } else {
                    child_end <= start
                } {
                    continue;
                }
                if start < child_start {
                    break;
                }
                node = child;
                continue 'descend;
            }
            return Some(node);
        }
    }
}

/// The direct children of a node, in order: each one's next sibling is the node after its
/// subtree.
pub struct NodeChildren<'t> {
    tree: &'t Tree,
    next: u32,
    end: u32,
}

impl<'t> Iterator for NodeChildren<'t> {
    type Item = Node<'t>;

    fn next(&mut self) -> Option<Node<'t>> {
        if self.next >= self.end {
            return None;
        }
        let node = Node {
            tree: self.tree,
            index: self.next,
        };
        self.next = self.tree.data(self.next).end_index;
        Some(node)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree as tree-sitter's cursor sees it and as this array does, node for node.
    fn assert_same_as_tree_sitter(text: &str) {
        let ts = crate::parser::parse_tree_sitter(text);
        let tree = Tree::from_tree_sitter(&ts);
        let mut ours = Vec::new();
        let mut stack = vec![(tree.root(), 0usize)];
        while let Some((node, depth)) = stack.pop() {
            ours.push((
                depth,
                node.kind(),
                node.byte_range(),
                node.field_id(),
                node.is_named(),
                node.parent().map(|p| p.byte_range()),
            ));
            let children: Vec<_> = node.children().collect();
            stack.extend(children.into_iter().rev().map(|c| (c, depth + 1)));
        }
        let mut theirs = Vec::new();
        let mut stack = vec![(ts.root_node(), None, 0usize)];
        while let Some((node, field, depth)) = stack.pop() {
            theirs.push((
                depth,
                node.kind(),
                node.byte_range(),
                field,
                node.is_named(),
                node.parent().map(|p| p.byte_range()),
            ));
            let mut cursor = node.walk();
            let mut children = Vec::new();
            if cursor.goto_first_child() {
                loop {
                    children.push((cursor.node(), cursor.field_id(), depth + 1));
                    if !cursor.goto_next_sibling() {
                        break;
                    }
                }
            }
            stack.extend(children.into_iter().rev());
        }
        assert_eq!(ours, theirs);
    }

    #[test]
    fn copies_tree_sitters_tree() {
        assert_same_as_tree_sitter(
            "import a.b as c  # note\n@d(1)\ndef f(x, *, y=2) -> int:\n    \"\"\"Doc.\"\"\"\n    \
             return [i for i in x if i] or f'{x!r:>{y}}' \\\n        + g(a=1)\n",
        );
        assert_same_as_tree_sitter("");
        assert_same_as_tree_sitter("x = (1,\n");
    }

    #[test]
    fn fields_and_ranges() {
        let ts = crate::parser::parse_tree_sitter("x = f(a, b=1)\n");
        let tree = Tree::from_tree_sitter(&ts);
        let root = tree.root();
        let statement = root.named_child(0).expect("a statement");
        let assignment = statement.named_child(0).expect("an assignment");
        assert_eq!(assignment.kind(), "assignment");
        let right = assignment.child_by_field_name("right").expect("a value");
        assert_eq!(right.kind(), "call");
        assert_eq!(right.byte_range(), 4..13);
        let found = root.descendant_for_byte_range(6, 7).expect("a node");
        assert_eq!((found.kind(), found.byte_range()), ("identifier", 6..7));
        assert_eq!(root.descendant_for_byte_range(4, 13), Some(right));
        assert!(!root.has_error());
        let broken = Tree::from_tree_sitter(&crate::parser::parse_tree_sitter("f(:\n"));
        assert!(broken.root().has_error());
    }
}
