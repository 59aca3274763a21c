//! Method chains (`base.a(..).b.c(..)`) flattened into a base and links, without recursion.

use super::{Attribute, Call, SyntaxNode};

/// One `.name` or `.name(..)` step of a chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Link<'t> {
    /// The attribute name.
    pub name: &'t str,
    /// The call, when the attribute is called.
    pub call: Option<Call<'t>>,
    /// The expression that ends with this link (the call, or the attribute).
    pub node: SyntaxNode<'t>,
}

/// An expression seen as a base followed by attribute and call links, in source order.
/// Parentheses around inner parts of the chain are looked through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chain<'t> {
    /// The innermost expression that is not an attribute access or a method call: a name, a
    /// call of a plain function, a literal, a subscript...
    pub base: SyntaxNode<'t>,
    pub links: Vec<Link<'t>>,
}

impl<'t> Chain<'t> {
    pub fn of(expr: SyntaxNode<'t>) -> Self {
        let mut links = Vec::new();
        let mut node = expr.unparenthesized();
        loop {
            let (call, target) = match Call::cast(node) {
                Some(call) => (Some(call), call.function().unparenthesized()),
                None => (None, node),
            };
            let Some(attribute) = Attribute::cast(target) else {
                break;
            };
            links.push(Link {
                name: attribute.name(),
                call,
                node: call.map_or(attribute.syntax(), |c| c.syntax()),
            });
            node = attribute.object().unparenthesized();
        }
        links.reverse();
        Chain { base: node, links }
    }

    /// The names of the links, in order.
    pub fn names(&self) -> impl Iterator<Item = &'t str> + '_ {
        self.links.iter().map(|l| l.name)
    }

    pub fn last(&self) -> Option<&Link<'t>> {
        self.links.last()
    }
}
