//! Import statement views: `import a.b as c` and `from m import x as y`.

use super::SyntaxNode;
use crate::kinds;

/// One module of `import a.b as c, d`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ModuleImport<'t> {
    /// The dotted module path, such as `pyspark.sql.functions`.
    pub module: &'t str,
    pub alias: Option<&'t str>,
}

impl<'t> ModuleImport<'t> {
    /// The name this import binds: the alias, or the first segment of the module path.
    pub fn bound_name(&self) -> &'t str {
        self.alias
            .unwrap_or_else(|| self.module.split('.').next().unwrap_or(self.module))
    }
}

/// `import a.b as c, d`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Import<'t> {
    node: SyntaxNode<'t>,
}

impl<'t> Import<'t> {
    pub fn cast(node: SyntaxNode<'t>) -> Option<Self> {
        node.is(kinds::IMPORT_STATEMENT).then_some(Import { node })
    }

    pub fn syntax(&self) -> SyntaxNode<'t> {
        self.node
    }

    pub fn modules(&self) -> Vec<ModuleImport<'t>> {
        self.node
            .fields("name")
            .into_iter()
            .filter_map(|n| {
                dotted_with_alias(n).map(|(module, alias, _)| ModuleImport { module, alias })
            })
            .collect()
    }
}

/// One name of `from m import x as y`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImportedName<'t> {
    pub name: &'t str,
    pub alias: Option<&'t str>,
    /// The `x` or `x as y` node.
    pub node: SyntaxNode<'t>,
}

impl<'t> ImportedName<'t> {
    pub fn bound_name(&self) -> &'t str {
        self.alias.unwrap_or(self.name)
    }
}

/// `from module import a, b as c` (or `*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImportFrom<'t> {
    node: SyntaxNode<'t>,
}

impl<'t> ImportFrom<'t> {
    pub fn cast(node: SyntaxNode<'t>) -> Option<Self> {
        node.is(kinds::IMPORT_FROM_STATEMENT)
            .then_some(ImportFrom { node })
    }

    pub fn syntax(&self) -> SyntaxNode<'t> {
        self.node
    }

    /// The module as written, with leading dots for relative imports.
    pub fn module(&self) -> &'t str {
        self.node.field("module_name").map_or("", |n| n.text())
    }

    pub fn names(&self) -> Vec<ImportedName<'t>> {
        self.node
            .fields("name")
            .into_iter()
            .filter_map(|node| {
                dotted_with_alias(node).map(|(name, alias, node)| ImportedName {
                    name,
                    alias,
                    node,
                })
            })
            .collect()
    }

    pub fn is_wildcard(&self) -> bool {
        self.node.children().any(|c| c.is(kinds::WILDCARD_IMPORT))
    }

    /// Whether the names are inside parentheses.
    pub fn is_parenthesized(&self) -> bool {
        let names = self.node.fields("name");
        match (names.first(), self.node.field("module_name")) {
            (Some(first), Some(module)) => {
                self.node.source()[module.end()..first.start()].contains('(')
            }
            _ => false,
        }
    }
}

fn dotted_with_alias(node: SyntaxNode<'_>) -> Option<(&str, Option<&str>, SyntaxNode<'_>)> {
    if node.is(kinds::ALIASED_IMPORT) {
        let name = node.field("name")?.text();
        let alias = node.field("alias").map(|a| a.text());
        Some((name, alias, node))
    } else if node.is(kinds::DOTTED_NAME) {
        Some((node.text(), None, node))
    } else {
        None
    }
}
