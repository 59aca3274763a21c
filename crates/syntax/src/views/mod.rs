//! Typed views over the syntax tree's nodes (tree-sitter-python's kinds). A view is a cheap copy of a node plus the source
//! text; constructors (`cast`) return `None` when the node is of another kind.

mod chain;
mod emptiness;
mod expr;
mod function;
mod import;
mod literal;
mod stmt;
mod string;
mod value_flow;

use std::ops::Range;

use crate::kinds;
use crate::tree::{Node, NodeChildren};
use crate::walk::Preorder;

pub use chain::{Chain, Link};
pub use emptiness::EmptinessTest;
pub use expr::{Argument, Arguments, Attribute, Call};
pub use function::{ClassDef, FunctionDef, Parameter};
pub use import::{Import, ImportFrom, ImportedName, ModuleImport, NameUse};
pub use stmt::{
    Assignment, Block, ElseBranch, ForStmt, IfStmt, MatchStmt, Stmt, TryStmt, WhileStmt, WithStmt,
};
pub use value_flow::ValueSink;

/// Any node, with the text it was parsed from.
#[derive(Clone, Copy)]
pub struct SyntaxNode<'t> {
    node: Node<'t>,
    src: &'t str,
}

impl std::fmt::Debug for SyntaxNode<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}@{:?} {:?}",
            self.node.kind(),
            self.range(),
            self.text()
        )
    }
}

impl PartialEq for SyntaxNode<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.node.id() == other.node.id()
    }
}

impl Eq for SyntaxNode<'_> {}

/// The named children of a node that are not comments or line continuations.
struct Children<'t> {
    children: NodeChildren<'t>,
    src: &'t str,
}

impl<'t> Iterator for Children<'t> {
    type Item = SyntaxNode<'t>;

    fn next(&mut self) -> Option<SyntaxNode<'t>> {
        self.children
            .find(|node| node.is_named() && !node.is_extra())
            .map(|node| SyntaxNode::new(node, self.src))
    }
}

impl<'t> SyntaxNode<'t> {
    pub(crate) fn new(node: Node<'t>, src: &'t str) -> Self {
        SyntaxNode { node, src }
    }

    fn wrap(&self, node: Node<'t>) -> Self {
        SyntaxNode {
            node,
            src: self.src,
        }
    }

    /// A stable identity for this node within its tree.
    pub fn id(&self) -> usize {
        self.node.id()
    }

    pub fn range(&self) -> Range<usize> {
        self.node.byte_range()
    }

    pub fn start(&self) -> usize {
        self.node.start_byte()
    }

    pub fn end(&self) -> usize {
        self.node.end_byte()
    }

    pub fn text(&self) -> &'t str {
        &self.src[self.node.byte_range()]
    }

    /// The whole source text this node belongs to.
    pub fn source(&self) -> &'t str {
        self.src
    }

    pub fn parent(&self) -> Option<Self> {
        self.node.parent().map(|n| self.wrap(n))
    }

    /// Named children that are not comments or line continuations.
    pub fn children(&self) -> impl Iterator<Item = SyntaxNode<'t>> + use<'t> {
        Children {
            children: self.node.children(),
            src: self.src,
        }
    }

    /// This node and every node below it, in source order (iterative).
    pub fn descendants(&self) -> impl Iterator<Item = SyntaxNode<'t>> + use<'t> {
        let src = self.src;
        Preorder::new(self.node).map(move |node| SyntaxNode { node, src })
    }

    /// A pre-order walker that can skip subtrees.
    pub fn preorder(&self) -> Preorder<'t> {
        Preorder::new(self.node)
    }

    /// The smallest node below (or at) this one that covers `range`.
    pub fn covering(&self, range: Range<usize>) -> Self {
        self.node
            .descendant_for_byte_range(range.start, range.end)
            .map_or(*self, |node| self.wrap(node))
    }

    /// Wraps a node produced by [`SyntaxNode::preorder`].
    pub fn with_node(&self, node: Node<'t>) -> Self {
        self.wrap(node)
    }

    pub(crate) fn field(&self, name: &str) -> Option<Self> {
        let id = crate::kinds::field_id(name)?;
        self.node.child_by_field_id(id).map(|n| self.wrap(n))
    }

    pub(crate) fn fields(&self, name: &'static str) -> Vec<Self> {
        self.node
            .children_by_field_name(name)
            .map(|n| self.wrap(n))
            .collect()
    }

    pub(crate) fn is(&self, kind: &str) -> bool {
        self.kind() == kind
    }

    /// The identifier's name, when this node is a plain name.
    pub fn as_name(&self) -> Option<&'t str> {
        self.is(kinds::IDENTIFIER).then(|| self.text())
    }

    pub fn as_call(&self) -> Option<Call<'t>> {
        Call::cast(*self)
    }

    pub fn as_attribute(&self) -> Option<Attribute<'t>> {
        Attribute::cast(*self)
    }

    /// The node inside any number of wrapping parentheses.
    pub fn unparenthesized(&self) -> Self {
        let mut node = *self;
        while node.is(kinds::PARENTHESIZED_EXPRESSION) {
            let mut inner = node.children();
            match (inner.next(), inner.next()) {
                (Some(only), None) => node = only,
                _ => break,
            }
        }
        node
    }

    pub fn is_parenthesized(&self) -> bool {
        self.is(kinds::PARENTHESIZED_EXPRESSION)
    }

    /// The value of a plain string literal (no f-string interpolation, no concatenation).
    pub fn as_string_literal(&self) -> Option<&'t str> {
        if !self.is(kinds::STRING) {
            return None;
        }
        let mut content = None;
        for child in self.children() {
            match crate::kinds::name_of(child.node.kind_id()) {
                kinds::STRING_CONTENT => content = Some(child.text()),
                kinds::INTERPOLATION => return None,
                _ => {}
            }
        }
        Some(content.unwrap_or(""))
    }

    /// The value of a decimal integer literal.
    pub fn as_integer(&self) -> Option<u64> {
        self.is(kinds::INTEGER)
            .then(|| self.text().replace('_', "").parse().ok())
            .flatten()
    }

    /// A list or tuple literal's elements.
    pub fn as_sequence_literal(&self) -> Option<Vec<SyntaxNode<'t>>> {
        (self.is(kinds::LIST) || self.is(kinds::TUPLE)).then(|| self.children().collect())
    }

    pub fn is_lambda(&self) -> bool {
        self.is(kinds::LAMBDA)
    }

    /// Whether this node starts a new scope for names (function or class body, lambda).
    pub fn is_definition(&self) -> bool {
        self.is(kinds::FUNCTION_DEFINITION)
            || self.is(kinds::CLASS_DEFINITION)
            || self.is(kinds::LAMBDA)
    }

    /// `value[..]`: the subscripted value.
    pub fn subscript_value(&self) -> Option<SyntaxNode<'t>> {
        if self.is(kinds::SUBSCRIPT) {
            self.field("value")
        } else {
            None
        }
    }

    /// The names bound by an assignment or `for` target (`a`, `a, b`, `(a, [b, c])`); attribute
    /// and subscript targets bind no name.
    pub fn target_names(&self) -> Vec<&'t str> {
        let mut names = Vec::new();
        let mut walk = self.preorder();
        while let Some(node) = walk.next() {
            let node = self.with_node(node);
            if node.is(kinds::ATTRIBUTE) || node.is(kinds::SUBSCRIPT) {
                walk.skip_children();
            } else if let Some(name) = node.as_name() {
                names.push(name);
            }
        }
        names
    }

    /// A list, set or dictionary comprehension, or a generator expression: its body runs once
    /// per element.
    pub fn is_comprehension(&self) -> bool {
        kinds::COMPREHENSIONS.contains(&self.kind())
    }

    /// The iterable of a comprehension's first `for` clause: Python evaluates it once, in the
    /// enclosing scope, before the loop starts.
    pub fn comprehension_first_iterable(&self) -> Option<SyntaxNode<'t>> {
        if !self.is_comprehension() {
            return None;
        }
        self.children()
            .find(|child| child.is(kinds::FOR_IN_CLAUSE))?
            .field("right")
    }

    /// A list, tuple, set or dictionary display.
    pub fn is_container(&self) -> bool {
        kinds::CONTAINERS.contains(&self.kind())
    }

    /// Whether `.name` appended to this expression applies to all of it (no parentheses needed).
    pub fn is_primary(&self) -> bool {
        kinds::PRIMARY_EXPRESSIONS.contains(&self.kind())
    }

    /// A string, f-string or implicitly concatenated string.
    pub fn is_string(&self) -> bool {
        self.is(kinds::STRING) || self.is(kinds::CONCATENATED_STRING)
    }

    /// Whether this node is a comment.
    pub fn is_comment(&self) -> bool {
        self.is(kinds::COMMENT)
    }

    /// The raw tree-sitter node, for crates that need positions only.
    pub fn kind(&self) -> &'static str {
        crate::kinds::name_of(self.node.kind_id())
    }

    /// The comment and line-continuation tokens directly inside this node, in order.
    pub fn trivia(&self) -> Vec<SyntaxNode<'t>> {
        self.node
            .children()
            .filter(|n| n.is_extra())
            .map(|n| self.wrap(n))
            .collect()
    }
}
