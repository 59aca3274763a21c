//! Expression views: calls with their arguments, attribute accesses.

use super::SyntaxNode;
use crate::kinds;

/// `function(arguments)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Call<'t> {
    node: SyntaxNode<'t>,
}

impl<'t> Call<'t> {
    pub fn cast(node: SyntaxNode<'t>) -> Option<Self> {
        node.is(kinds::CALL).then_some(Call { node })
    }

    pub fn syntax(&self) -> SyntaxNode<'t> {
        self.node
    }

    pub fn function(&self) -> SyntaxNode<'t> {
        self.node.field("function").expect("a call has a function")
    }

    /// `receiver.method(..)`: the receiver and the method name.
    pub fn method(&self) -> Option<(SyntaxNode<'t>, &'t str)> {
        let attribute = Attribute::cast(self.function())?;
        Some((attribute.object(), attribute.name()))
    }

    /// The plain function name of `name(..)`.
    pub fn function_name(&self) -> Option<&'t str> {
        self.function().as_name()
    }

    /// The last name of the callee: `f` for `f(..)`, `m` for `x.y.m(..)`.
    pub fn callee_name(&self) -> Option<&'t str> {
        let function = self.function();
        function
            .as_name()
            .or_else(|| Attribute::cast(function).map(|a| a.name()))
    }

    pub fn arguments(&self) -> Arguments<'t> {
        let list = self.node.field("arguments").expect("a call has arguments");
        Arguments { list }
    }
}

/// One argument of a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Argument<'t> {
    Positional(SyntaxNode<'t>),
    Keyword {
        name: &'t str,
        value: SyntaxNode<'t>,
    },
    /// `*args` or `**kwargs`, or a generator argument.
    Splat(SyntaxNode<'t>),
}

impl<'t> Argument<'t> {
    pub fn value(&self) -> SyntaxNode<'t> {
        match *self {
            Argument::Positional(node) | Argument::Splat(node) => node,
            Argument::Keyword { value, .. } => value,
        }
    }
}

/// The argument list of a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arguments<'t> {
    list: SyntaxNode<'t>,
}

impl<'t> Arguments<'t> {
    pub fn syntax(&self) -> SyntaxNode<'t> {
        self.list
    }

    pub fn all(&self) -> Vec<Argument<'t>> {
        if !self.list.is(kinds::ARGUMENT_LIST) {
            return vec![Argument::Splat(self.list)];
        }
        self.list
            .children()
            .map(|child| {
                if child.is(kinds::KEYWORD_ARGUMENT) {
                    let name = child.field("name").map_or("", |n| n.text());
                    let value = child.field("value").unwrap_or(child);
                    Argument::Keyword { name, value }
                } else if child.is("list_splat") || child.is("dictionary_splat") {
                    Argument::Splat(child)
                } else {
                    Argument::Positional(child)
                }
            })
            .collect()
    }

    pub fn positional(&self, index: usize) -> Option<SyntaxNode<'t>> {
        self.all()
            .into_iter()
            .filter_map(|a| match a {
                Argument::Positional(node) => Some(node),
                _ => None,
            })
            .nth(index)
    }

    pub fn keyword(&self, name: &str) -> Option<SyntaxNode<'t>> {
        self.all().into_iter().find_map(|a| match a {
            Argument::Keyword { name: n, value } if n == name => Some(value),
            _ => None,
        })
    }

    /// The positional argument at `index`, or else the keyword argument `name`.
    pub fn get(&self, index: usize, name: &str) -> Option<SyntaxNode<'t>> {
        self.positional(index).or_else(|| self.keyword(name))
    }

    pub fn is_empty(&self) -> bool {
        self.list.children().next().is_none()
    }
}

/// `object.name`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attribute<'t> {
    node: SyntaxNode<'t>,
}

impl<'t> Attribute<'t> {
    pub fn cast(node: SyntaxNode<'t>) -> Option<Self> {
        node.is(kinds::ATTRIBUTE).then_some(Attribute { node })
    }

    pub fn syntax(&self) -> SyntaxNode<'t> {
        self.node
    }

    pub fn object(&self) -> SyntaxNode<'t> {
        self.node
            .field("object")
            .expect("an attribute has an object")
    }

    pub fn name_node(&self) -> SyntaxNode<'t> {
        self.node
            .field("attribute")
            .expect("an attribute has a name")
    }

    pub fn name(&self) -> &'t str {
        self.name_node().text()
    }
}
