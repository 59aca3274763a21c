//! Function and class definition views.

use super::SyntaxNode;
use super::stmt::Block;
use crate::kinds;

/// One parameter of a function: its name, annotation and default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parameter<'t> {
    pub name: &'t str,
    /// The whole parameter (`df: DataFrame = None`).
    pub node: SyntaxNode<'t>,
    pub annotation: Option<SyntaxNode<'t>>,
    pub default: Option<SyntaxNode<'t>>,
    /// `*args` or `**kwargs`.
    pub is_variadic: bool,
}

/// `def name(parameters) -> return_type: body`, maybe `async`, maybe decorated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FunctionDef<'t> {
    node: SyntaxNode<'t>,
}

impl<'t> FunctionDef<'t> {
    pub fn cast(node: SyntaxNode<'t>) -> Option<Self> {
        node.is(kinds::FUNCTION_DEFINITION)
            .then_some(FunctionDef { node })
    }

    pub fn syntax(&self) -> SyntaxNode<'t> {
        self.node
    }

    pub fn name(&self) -> &'t str {
        self.node.field("name").map_or("", |n| n.text())
    }

    /// The decorators' expressions, in order: `udf` for `@udf`, `F.udf(returnType=..)` for
    /// `@F.udf(returnType=..)`.
    pub fn decorators(&self) -> Vec<SyntaxNode<'t>> {
        let Some(parent) = self
            .node
            .parent()
            .filter(|p| p.is(kinds::DECORATED_DEFINITION))
        else {
            return Vec::new();
        };
        parent
            .children()
            .filter(|c| c.is(kinds::DECORATOR))
            .filter_map(|decorator| decorator.children().next())
            .collect()
    }

    pub fn return_annotation(&self) -> Option<SyntaxNode<'t>> {
        self.node.field("return_type")
    }

    pub fn body(&self) -> Option<Block<'t>> {
        self.node.field("body").and_then(Block::cast)
    }

    pub fn parameters(&self) -> Vec<Parameter<'t>> {
        let Some(list) = self.node.field("parameters") else {
            return Vec::new();
        };
        list.children()
            .filter_map(|p| {
                let plain = |name: &'t str| Parameter {
                    name,
                    node: p,
                    annotation: None,
                    default: None,
                    is_variadic: false,
                };
                match p.kind() {
                    kinds::IDENTIFIER => Some(plain(p.text())),
                    kinds::DEFAULT_PARAMETER => {
                        let name = p.field("name")?.as_name()?;
                        Some(Parameter {
                            default: p.field("value"),
                            ..plain(name)
                        })
                    }
                    kinds::TYPED_DEFAULT_PARAMETER => {
                        let name = p.field("name")?.as_name()?;
                        Some(Parameter {
                            annotation: p.field("type"),
                            default: p.field("value"),
                            ..plain(name)
                        })
                    }
                    kinds::TYPED_PARAMETER => {
                        let inner = p.children().next()?;
                        let annotation = p.field("type");
                        match inner.as_name() {
                            Some(name) => Some(Parameter {
                                annotation,
                                ..plain(name)
                            }),
                            None => Some(Parameter {
                                annotation,
                                is_variadic: true,
                                ..plain(inner.text())
                            }),
                        }
                    }
                    "list_splat_pattern" | "dictionary_splat_pattern" => Some(Parameter {
                        is_variadic: true,
                        ..plain(p.text())
                    }),
                    _ => None,
                }
            })
            .collect()
    }
}

/// `class Name(bases): body`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClassDef<'t> {
    node: SyntaxNode<'t>,
}

impl<'t> ClassDef<'t> {
    pub fn cast(node: SyntaxNode<'t>) -> Option<Self> {
        node.is(kinds::CLASS_DEFINITION)
            .then_some(ClassDef { node })
    }

    pub fn syntax(&self) -> SyntaxNode<'t> {
        self.node
    }

    pub fn name(&self) -> &'t str {
        self.node.field("name").map_or("", |n| n.text())
    }

    pub fn body(&self) -> Option<Block<'t>> {
        self.node.field("body").and_then(Block::cast)
    }
}
