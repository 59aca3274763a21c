//! Import statement views: `import a.b as c` and `from m import x as y`, and how an identifier
//! is used (bound by an import, read, called...).

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

/// How one occurrence of an identifier is used: what a caller needs to tell whether the name may
/// be bound to something other than what an import binds it to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameUse<'t> {
    /// `x.name`: the member of an attribute access.
    AttributeMember,
    /// `name.x`: the object of an attribute access.
    AttributeObject,
    /// `f(name=..)`: the name of a keyword argument.
    KeywordName,
    /// `name(..)`: the function of a call.
    Callee,
    /// Bound by `import name.b` (to the module `name`) or `import a.b as name` (to `a.b`).
    ImportedModule { module: &'t str },
    /// Bound by `from m import x` or `from m import x as name`: `m` as written (with the leading
    /// dots of a relative import) and `x`.
    ImportedMember { module: &'t str, member: &'t str },
    /// Part of an import statement that binds nothing: a module path, or the name before `as`.
    ImportPath,
    /// Anything else: a read, an assignment target, a definition, a parameter, `global name`...
    Other,
}

impl<'t> SyntaxNode<'t> {
    /// Every identifier below this node whose name `wanted` accepts, with its use, in source
    /// order. One iterative walk that keeps the ancestors at hand (a node's parent is not free).
    pub fn name_uses(&self, wanted: impl Fn(&str) -> bool) -> Vec<(SyntaxNode<'t>, NameUse<'t>)> {
        let mut uses = Vec::new();
        // The ancestors of the walk's node below `self`, each with its field in its parent.
        let mut ancestors: Vec<(SyntaxNode<'t>, Option<&'static str>)> = Vec::new();
        for raw in self.node.preorder() {
            while ancestors
                .last()
                .is_some_and(|(ancestor, _)| !ancestor.node.contains_index(raw))
            {
                ancestors.pop();
            }
            let node = self.wrap(raw);
            let field = if raw == self.node {
                None
            } else {
                raw.field_name()
            };
            if node.as_name().is_some_and(&wanted) {
                uses.push((node, name_use(node, field, &ancestors)));
            }
            ancestors.push((node, field));
        }
        uses
    }

    /// Whether this node is a `from __future__ import ...` statement.
    pub fn is_future_import(&self) -> bool {
        self.is(kinds::FUTURE_IMPORT_STATEMENT)
    }
}

/// The use of `ident`, which is the `field` of the last of `ancestors` (each with its own field).
fn name_use<'t>(
    ident: SyntaxNode<'t>,
    field: Option<&str>,
    ancestors: &[(SyntaxNode<'t>, Option<&str>)],
) -> NameUse<'t> {
    let Some(&(parent, parent_field)) = ancestors.last() else {
        return NameUse::Other;
    };
    let grandparent = ancestors.len().checked_sub(2).map(|i| ancestors[i].0);
    match (parent.kind(), field) {
        (kinds::ATTRIBUTE, Some("attribute")) => NameUse::AttributeMember,
        (kinds::ATTRIBUTE, Some("object")) => NameUse::AttributeObject,
        (kinds::KEYWORD_ARGUMENT, Some("name")) => NameUse::KeywordName,
        (kinds::CALL, Some("function")) => NameUse::Callee,
        (kinds::ALIASED_IMPORT, Some("alias")) => {
            let name = parent.field("name").map_or("", |n| n.text());
            match grandparent {
                Some(statement) if statement.is(kinds::IMPORT_STATEMENT) => {
                    NameUse::ImportedModule { module: name }
                }
                Some(statement) => match from_module(statement) {
                    Some(module) => NameUse::ImportedMember {
                        module,
                        member: name,
                    },
                    None => NameUse::Other,
                },
                None => NameUse::Other,
            }
        }
        (kinds::DOTTED_NAME, _) => match grandparent {
            Some(holder)
                if holder.is(kinds::ALIASED_IMPORT) || holder.is(kinds::RELATIVE_IMPORT) =>
            {
                NameUse::ImportPath
            }
            // `import a.b.c` binds `a` only.
            Some(holder) if holder.is(kinds::IMPORT_STATEMENT) => {
                if parent.children().next() == Some(ident) {
                    NameUse::ImportedModule {
                        module: ident.text(),
                    }
                } else {
                    NameUse::ImportPath
                }
            }
            Some(holder) => match from_module(holder) {
                Some(_) if parent_field == Some("module_name") => NameUse::ImportPath,
                Some(module) => NameUse::ImportedMember {
                    module,
                    member: parent.text(),
                },
                // A dotted name in a `case` pattern: a read.
                None => NameUse::Other,
            },
            None => NameUse::Other,
        },
        _ => NameUse::Other,
    }
}

/// The module of a `from` import (`__future__` for a future import); `None` for another node.
fn from_module(statement: SyntaxNode<'_>) -> Option<&str> {
    if statement.is(kinds::FUTURE_IMPORT_STATEMENT) {
        Some("__future__")
    } else if statement.is(kinds::IMPORT_FROM_STATEMENT) {
        Some(statement.field("module_name").map_or("", |n| n.text()))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::NameUse::*;
    use super::*;
    use crate::SourceFile;

    fn uses<'t>(file: &'t SourceFile, name: &str) -> Vec<NameUse<'t>> {
        let uses = file.root().name_uses(|n| n == name);
        assert!(uses.iter().all(|(node, _)| node.text() == name));
        uses.into_iter().map(|(_, name_use)| name_use).collect()
    }

    #[test]
    fn name_uses_tell_reads_from_bindings() {
        let file = SourceFile::parse(
            "import a.b, c.d as a\nfrom a import a as x\nfrom .a import a\n\
             a.a(a=a)\ndef a(a): pass\n# a\ns = 'a'\n",
        );
        assert_eq!(
            uses(&file, "a"),
            [
                ImportedModule { module: "a" },
                ImportedModule { module: "c.d" },
                ImportPath,
                ImportPath,
                ImportPath,
                ImportedMember {
                    module: ".a",
                    member: "a"
                },
                AttributeObject,
                AttributeMember,
                KeywordName,
                Other,
                Other,
                Other,
            ]
        );
        let file = SourceFile::parse("from m.functions import col as F\nF(1)\nimport functions\n");
        let bound = ImportedMember {
            module: "m.functions",
            member: "col",
        };
        assert_eq!(uses(&file, "F"), [bound, Callee]);
        assert_eq!(
            uses(&file, "functions"),
            [
                ImportPath,
                ImportedModule {
                    module: "functions"
                }
            ]
        );
        let file = SourceFile::parse("from m import (\n  functions,  # f\n)\nimport x.functions\n");
        let bound = ImportedMember {
            module: "m",
            member: "functions",
        };
        assert_eq!(uses(&file, "functions"), [bound, ImportPath]);
        let file = SourceFile::parse("from __future__ import annotations\n");
        let bound = ImportedMember {
            module: "__future__",
            member: "annotations",
        };
        assert_eq!(uses(&file, "annotations"), [bound]);
        assert!(file.root().children().next().unwrap().is_future_import());
    }
}
