//! Refers to a module member (`pyspark.sql.functions.broadcast`) from a file: through an import
//! the file already has, by adding the name to an existing `from` import, or with a new import.

use sparkfix_syntax::views::{ImportFrom, NameUse, Stmt};
use sparkfix_syntax::{SourceFile, SyntaxNode};

use super::{insert_after_statement, insert_before_statement, line_indent, rest_of_line};
use crate::edit::Edit;

/// How code in a file refers to `module.member`, and the edit, if any, that makes it valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberReference {
    /// The expression to write: `broadcast`, `F.broadcast`, `pyspark.sql.functions.broadcast`.
    pub expr: String,
    /// An import to add or extend; `None` when an import of the file already binds `expr`.
    pub edit: Option<Edit>,
}

/// Aliases for a new import of the module, in order of preference.
const MODULE_ALIASES: [&str; 3] = ["F", "sf", "spark_functions"];
/// When every alias is taken: `spark_functions_2`, `spark_functions_3`...
const NUMBERED_ALIAS: &str = "spark_functions_";

/// How code in `file` refers to `module.member` (the text to write), and the edit, if any, that
/// makes that reference valid. `before` is the offset of the earliest place the reference will be
/// used: a new import statement is inserted before it, and only imports that end before it are
/// reused or extended.
///
/// In order: an import of the member (`from m import member [as x]`, `from m import *`); an alias
/// of the module (`import m as F`, `from parent import last [as F]`, `import m`); the member added
/// to a `from m import ...`; a new `from m import member`. Only statements directly in the module
/// are reused. A name is relied on only when no other occurrence in the file may bind it to
/// something else; when the bare member name is not free, the new import is
/// `from parent import last as F` (or `sf`, `spark_functions`).
pub fn reference_member(
    file: &SourceFile,
    module: &str,
    member: &str,
    before: usize,
) -> MemberReference {
    let names = Names::collect(file, module, member);
    let refs = References {
        file,
        module,
        member,
        before,
        names,
    };
    refs.existing_member()
        .or_else(|| refs.module_alias())
        .or_else(|| refs.extended_from_import())
        .unwrap_or_else(|| refs.new_import())
}

struct References<'f, 'a> {
    file: &'f SourceFile,
    module: &'a str,
    member: &'a str,
    before: usize,
    names: Names<'f>,
}

impl<'f> References<'f, '_> {
    /// The module-level import statements that end before the first use, in source order.
    fn imports_before(&self) -> Vec<Stmt<'f>> {
        self.file
            .root()
            .children()
            .filter(|node| node.end() <= self.before)
            .map(Stmt::classify)
            .filter(|stmt| matches!(stmt, Stmt::Import(_) | Stmt::ImportFrom(_)))
            .collect()
    }

    /// The module-level `from module import ...` statements that end before the first use.
    fn imports_of_members(&self) -> Vec<ImportFrom<'f>> {
        self.imports_before()
            .into_iter()
            .filter_map(|stmt| match stmt {
                Stmt::ImportFrom(import) if same_module(import.module(), self.module) => {
                    Some(import)
                }
                _ => None,
            })
            .collect()
    }

    /// `from module import member [as x]`, or `from module import *`.
    fn existing_member(&self) -> Option<MemberReference> {
        let imports = self.imports_of_members();
        let explicit = imports
            .iter()
            .flat_map(|import| import.names())
            .find(|name| {
                name.name == self.member && self.names.binds_member_only(name.bound_name())
            });
        if let Some(name) = explicit {
            return Some(reference(name.bound_name(), None));
        }
        let star = imports.iter().any(|import| import.is_wildcard());
        (star && self.names.member_is_free()).then(|| reference(self.member, None))
    }

    /// `import module as F`, `from parent import last [as F]`, then `import module`.
    fn module_alias(&self) -> Option<MemberReference> {
        let imports = self.imports_before();
        let split = self.module.rsplit_once('.');
        for stmt in &imports {
            let alias = match stmt {
                Stmt::Import(import) => import.modules().into_iter().find_map(|m| {
                    let alias = m.alias.filter(|_| same_module(m.module, self.module))?;
                    self.names.binds_module_only(alias).then_some(alias)
                }),
                Stmt::ImportFrom(import) => {
                    let Some((parent, last)) = split else {
                        continue;
                    };
                    if !same_module(import.module(), parent) {
                        continue;
                    }
                    import.names().into_iter().find_map(|name| {
                        let alias = name.bound_name();
                        (name.name == last && self.names.binds_module_only(alias)).then_some(alias)
                    })
                }
                _ => None,
            };
            if let Some(alias) = alias {
                return Some(reference(&format!("{alias}.{}", self.member), None));
            }
        }
        let root = self.module.split('.').next().unwrap_or(self.module);
        let unaliased = imports.iter().any(|stmt| match stmt {
            Stmt::Import(import) => import
                .modules()
                .iter()
                .any(|m| m.alias.is_none() && same_module(m.module, self.module)),
            _ => false,
        });
        (unaliased && self.names.binds_package_only(root))
            .then(|| reference(&format!("{}.{}", self.module, self.member), None))
    }

    /// The member added to the first `from module import a, b`.
    fn extended_from_import(&self) -> Option<MemberReference> {
        if !self.names.member_is_free() {
            return None;
        }
        let import = self
            .imports_of_members()
            .into_iter()
            .find(|import| !import.is_wildcard())?;
        let edit = add_name(self.file, import, self.member)?;
        parses_after(self.file, &edit).then(|| reference(self.member, Some(edit)))
    }

    /// A new `from module import member`, or `from parent import last as F` when the bare member
    /// name is not free.
    fn new_import(&self) -> MemberReference {
        if self.names.member_is_free() {
            let statement = format!("from {} import {}", self.module, self.member);
            return reference(self.member, Some(self.insert_statement(&statement)));
        }
        let alias = self.names.free_alias();
        let statement = match self.module.rsplit_once('.') {
            Some((parent, last)) => format!("from {parent} import {last} as {alias}"),
            None => format!("import {} as {alias}", self.module),
        };
        let edit = self.insert_statement(&statement);
        reference(&format!("{alias}.{}", self.member), Some(edit))
    }

    /// Inserts `statement` on its own line: after the last module-level import that ends before
    /// the first use; else after the docstring and `from __future__` imports; else before the
    /// first statement (after the comments at the top); else at the end of the text.
    fn insert_statement(&self, statement: &str) -> Edit {
        if let Some(last) = self.imports_before().last() {
            return insert_after_statement(self.file, last.syntax(), statement);
        }
        let mut after = None;
        let mut first = None;
        for (index, node) in self.file.root().children().enumerate() {
            let docstring =
                index == 0 && matches!(Stmt::classify(node), Stmt::Expr(e) if e.is_string());
            if docstring || node.is_future_import() {
                after = Some(node);
            } else {
                first = Some(node);
                break;
            }
        }
        if let Some(node) = after {
            return insert_after_statement(self.file, node, statement);
        }
        if let Some(node) = first {
            return insert_before_statement(self.file, node, statement);
        }
        let text = self.file.text();
        let newline = self.file.style().line_ending.as_str();
        let separator = if text.is_empty() || text.ends_with('\n') {
            ""
        } else {
            newline
        };
        Edit::insert(text.len(), format!("{separator}{statement}{newline}"))
    }
}

fn reference(expr: &str, edit: Option<Edit>) -> MemberReference {
    MemberReference {
        expr: expr.to_owned(),
        edit,
    }
}

/// Whether a module path as written (`pyspark . sql`) is `module`.
fn same_module(written: &str, module: &str) -> bool {
    written
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\\')
        .eq(module.chars())
}

/// The occurrences of the names `reference_member` may rely on or bind, and what the file's
/// imports bind.
struct Names<'f> {
    /// The names whose occurrences are collected: the member, the first segment of the module,
    /// the names bound by module-level imports, and the aliases of a new import.
    wanted: Vec<String>,
    uses: Vec<(&'f str, NameUse<'f>)>,
    module: String,
    member: String,
    /// Whether an import outside any function binds the bare member name to `module.member`
    /// (explicitly or with `*`): then a bare call of the member is a call of it.
    member_imported: bool,
}

impl<'f> Names<'f> {
    fn collect(file: &'f SourceFile, module: &str, member: &str) -> Self {
        let root = module.split('.').next().unwrap_or(module);
        let mut wanted: Vec<String> = [member, root]
            .into_iter()
            .chain(MODULE_ALIASES)
            .map(str::to_owned)
            .collect();
        for stmt in file.root().children().map(Stmt::classify) {
            let bound = match stmt {
                Stmt::Import(import) => import.modules().iter().map(|m| m.bound_name()).collect(),
                Stmt::ImportFrom(import) => import.names().iter().map(|n| n.bound_name()).collect(),
                _ => Vec::new(),
            };
            wanted.extend(bound.into_iter().map(str::to_owned));
        }
        let mut names = Names {
            wanted,
            uses: Vec::new(),
            module: module.to_owned(),
            member: member.to_owned(),
            member_imported: false,
        };
        // Star imports are allowed at module scope only, but may be inside `if` or `try`.
        let star = file.root().descendants().any(|node| {
            ImportFrom::cast(node)
                .is_some_and(|import| import.is_wildcard() && same_module(import.module(), module))
        });
        let mut member_imported = star;
        for (node, name_use) in file.root().name_uses(|name| names.is_wanted(name)) {
            member_imported |=
                node.text() == member && names.binds_member(name_use) && !in_definition(node);
            names.uses.push((node.text(), name_use));
        }
        names.member_imported = member_imported;
        names
    }

    fn is_wanted(&self, name: &str) -> bool {
        name.starts_with(NUMBERED_ALIAS) || self.wanted.iter().any(|w| w == name)
    }

    /// Whether every occurrence of `name` satisfies `benign`.
    fn all_uses(&self, name: &str, benign: impl Fn(NameUse<'f>) -> bool) -> bool {
        debug_assert!(
            self.is_wanted(name),
            "occurrences of {name} were not collected"
        );
        self.uses
            .iter()
            .filter(|(text, _)| *text == name)
            .all(|(_, name_use)| benign(*name_use))
    }

    fn binds_member(&self, name_use: NameUse<'_>) -> bool {
        matches!(name_use, NameUse::ImportedMember { module, member }
            if member == self.member && same_module(module, &self.module))
    }

    fn binds_module(&self, name_use: NameUse<'_>) -> bool {
        match name_use {
            NameUse::ImportedModule { module } => same_module(module, &self.module),
            NameUse::ImportedMember { module, member } => self
                .module
                .rsplit_once('.')
                .is_some_and(|(parent, last)| member == last && same_module(module, parent)),
            _ => false,
        }
    }

    /// Whether `name`, bound by an import of the member, is bound to nothing else.
    fn binds_member_only(&self, name: &str) -> bool {
        self.all_uses(name, |u| {
            matches!(
                u,
                NameUse::AttributeMember
                    | NameUse::KeywordName
                    | NameUse::ImportPath
                    | NameUse::Callee
            ) || self.binds_member(u)
        })
    }

    /// Whether the bare member name may be used or bound to `module.member`: every occurrence
    /// binds nothing or binds it to the member; a bare call counts only when an import outside
    /// functions binds the name to the member.
    fn member_is_free(&self) -> bool {
        self.all_uses(&self.member, |u| match u {
            NameUse::AttributeMember | NameUse::KeywordName | NameUse::ImportPath => true,
            NameUse::Callee => self.member_imported,
            _ => self.binds_member(u),
        })
    }

    /// Whether `alias`, bound by an import of the module, is bound to nothing else.
    fn binds_module_only(&self, alias: &str) -> bool {
        self.all_uses(alias, |u| {
            matches!(
                u,
                NameUse::AttributeObject
                    | NameUse::AttributeMember
                    | NameUse::KeywordName
                    | NameUse::ImportPath
            ) || self.binds_module(u)
        })
    }

    /// Whether `root` (`pyspark` of `import pyspark.sql.functions`) is bound to that package only.
    fn binds_package_only(&self, root: &str) -> bool {
        self.all_uses(root, |u| match u {
            NameUse::AttributeObject
            | NameUse::AttributeMember
            | NameUse::KeywordName
            | NameUse::ImportPath => true,
            NameUse::ImportedModule { module } => same_module(module, root),
            _ => false,
        })
    }

    /// The first alias of [`MODULE_ALIASES`] that occurs nowhere except as an attribute member or
    /// a keyword name; then the numbered aliases.
    fn free_alias(&self) -> String {
        let free = |name: &str| {
            self.all_uses(name, |u| {
                matches!(u, NameUse::AttributeMember | NameUse::KeywordName)
            })
        };
        if let Some(alias) = MODULE_ALIASES.into_iter().find(|alias| free(alias)) {
            return alias.to_owned();
        }
        (2..)
            .map(|n| format!("{NUMBERED_ALIAS}{n}"))
            .find(|alias| free(alias))
            .expect("some numbered alias is free")
    }
}

/// Whether `node` is inside a function, class or lambda.
fn in_definition(node: SyntaxNode<'_>) -> bool {
    std::iter::successors(node.parent(), |n| n.parent()).any(|n| n.is_definition())
}

/// Adds `member` to `import` in its style: at the sorted position when the names are sorted,
/// else at the end; on its own line when the names are one per line.
fn add_name(file: &SourceFile, import: ImportFrom<'_>, member: &str) -> Option<Edit> {
    let names = import.names();
    let last = names.last()?;
    let text = file.text();
    let key = |name: &str| name.to_lowercase();
    let sorted = names.windows(2).all(|w| key(w[0].name) <= key(w[1].name));
    let at = if sorted {
        names.partition_point(|name| key(name.name) <= key(member))
    } else {
        names.len()
    };
    let starts_line = |node: SyntaxNode<'_>| {
        let line_start = file.lines().line_start(file.lines().line_of(node.start()));
        text[line_start..node.start()].trim().is_empty()
    };
    let one_per_line = names[1..].iter().all(|name| starts_line(name.node))
        && (names.len() > 1 || starts_line(last.node));
    let newline = file.style().line_ending.as_str();
    if one_per_line && import.is_parenthesized() {
        let indent = names
            .iter()
            .find(|name| starts_line(name.node))
            .map_or("", |name| line_indent(file, name.node.start()));
        if let Some(next) = names.get(at) {
            let new_line = format!("{member},{newline}{indent}");
            return Some(Edit::insert(next.node.start(), new_line));
        }
        let after_name = last.node.end();
        let comma = text[after_name..]
            .find(|c: char| c != ' ' && c != '\t')
            .filter(|&i| text[after_name + i..].starts_with(','))
            .map(|i| after_name + i + 1);
        if let Some(comma_end) = comma {
            let (line_end, only_comment) = rest_of_line(file, comma_end);
            let at = if only_comment { line_end } else { comma_end };
            return Some(Edit::insert(at, format!("{newline}{indent}{member},")));
        }
        let (line_end, only_comment) = rest_of_line(file, after_name);
        if only_comment {
            // Keep a comment after the last name on its line: `c  # x` becomes `c,  # x` + `b`.
            let rest = &text[after_name..line_end];
            let content = format!(",{rest}{newline}{indent}{member}");
            return Some(Edit::replace(after_name..line_end, content));
        }
        return Some(Edit::insert(
            after_name,
            format!(",{newline}{indent}{member}"),
        ));
    }
    if one_per_line && names.len() > 1 {
        // `a, \` + newline + `c`: repeat the separator, backslash included.
        let previous = &names[names.len() - 2];
        let separator = &text[previous.node.end()..last.node.start()];
        if separator.contains('\\') && !separator.contains('#') {
            return Some(match names.get(at) {
                Some(next) => Edit::insert(next.node.start(), format!("{member}{separator}")),
                None => Edit::insert(last.node.end(), format!("{separator}{member}")),
            });
        }
    }
    Some(match names.get(at) {
        Some(next) => Edit::insert(next.node.start(), format!("{member}, ")),
        None => Edit::insert(last.node.end(), format!(", {member}")),
    })
}

/// Whether the text still parses after `edit` (always true when it did not parse before).
fn parses_after(file: &SourceFile, edit: &Edit) -> bool {
    if file.first_syntax_error().is_some() {
        return true;
    }
    let mut text = file.text().to_owned();
    text.replace_range(edit.range.clone(), &edit.content);
    SourceFile::parse(text).first_syntax_error().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODULE: &str = "pyspark.sql.functions";

    /// The reference to `broadcast` for a use at the first `df.join` (or the end of the text), and
    /// the text with its edit applied, which must parse when the original did.
    fn refer(text: &str) -> (String, String) {
        let file = SourceFile::parse(text);
        let before = text.find("df.join").unwrap_or(text.len());
        let reference = reference_member(&file, MODULE, "broadcast", before);
        let mut fixed = text.to_owned();
        if let Some(edit) = &reference.edit {
            assert!(edit.range.end <= before, "edit after the use: {edit:?}");
            fixed.replace_range(edit.range.clone(), &edit.content);
        }
        if file.first_syntax_error().is_none() {
            let reparsed = SourceFile::parse(fixed.as_str());
            assert_eq!(reparsed.first_syntax_error(), None, "{fixed}");
        }
        (reference.expr, fixed)
    }

    fn assert_refer(text: &str, expr: &str, fixed: &str) {
        assert_eq!(
            refer(text),
            (expr.to_owned(), fixed.to_owned()),
            "for {text:?}"
        );
    }

    /// No edit: an import of the file is relied on.
    fn assert_reuses(text: &str, expr: &str) {
        assert_refer(text, expr, text);
    }

    const NEW: &str = "from pyspark.sql.functions import broadcast";

    #[test]
    fn nothing_imported_adds_an_import_before_the_first_statement() {
        assert_refer("df.join(b)\n", "broadcast", &format!("{NEW}\ndf.join(b)\n"));
        assert_refer("", "broadcast", &format!("{NEW}\n"));
        assert_refer("# only\n", "broadcast", &format!("# only\n{NEW}\n"));
        assert_refer("# only", "broadcast", &format!("# only\n{NEW}\n"));
        assert_refer(
            "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n\n# Join.\ndf = a\ndf.join(b)\n",
            "broadcast",
            &format!(
                "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n\n# Join.\n{NEW}\ndf = a\ndf.join(b)\n"
            ),
        );
        assert_refer(
            "@decorate\ndef job(df, b):\n    return df.join(b)\n",
            "broadcast",
            &format!("{NEW}\n@decorate\ndef job(df, b):\n    return df.join(b)\n"),
        );
    }

    #[test]
    fn nothing_imported_adds_an_import_after_the_last_import_before_the_use() {
        assert_refer(
            "import os\nfrom pyspark.sql import SparkSession  # session\n\ndf.join(b)\nimport sys\n",
            "broadcast",
            &format!(
                "import os\nfrom pyspark.sql import SparkSession  # session\n{NEW}\n\ndf.join(b)\nimport sys\n"
            ),
        );
        assert_refer(
            "df.join(b)\nimport os\nfrom pyspark.sql.functions import col\n",
            "broadcast",
            &format!("{NEW}\ndf.join(b)\nimport os\nfrom pyspark.sql.functions import col\n"),
        );
        assert_refer(
            "import os; x = 1\ndf.join(b)\n",
            "broadcast",
            &format!("import os\n{NEW}; x = 1\ndf.join(b)\n"),
        );
    }

    #[test]
    fn nothing_imported_keeps_docstring_and_future_imports_first() {
        assert_refer(
            "\"\"\"The job.\"\"\"\n\ndf.join(b)\n",
            "broadcast",
            &format!("\"\"\"The job.\"\"\"\n{NEW}\n\ndf.join(b)\n"),
        );
        assert_refer(
            "#!/usr/bin/env python\n\"\"\"The job.\"\"\"\nfrom __future__ import annotations\n\ndf.join(b)\n",
            "broadcast",
            &format!(
                "#!/usr/bin/env python\n\"\"\"The job.\"\"\"\nfrom __future__ import annotations\n{NEW}\n\ndf.join(b)\n"
            ),
        );
    }

    #[test]
    fn imports_inside_functions_or_try_are_not_reused() {
        assert_refer(
            "def job():\n    from pyspark.sql.functions import broadcast\n    return df.join(b)\n",
            "broadcast",
            &format!(
                "{NEW}\ndef job():\n    from pyspark.sql.functions import broadcast\n    return df.join(b)\n"
            ),
        );
        assert_refer(
            "try:\n    from pyspark.sql import functions as F\nexcept ImportError:\n    F = None\ndf.join(b)\n",
            "broadcast",
            &format!(
                "{NEW}\ntry:\n    from pyspark.sql import functions as F\nexcept ImportError:\n    F = None\ndf.join(b)\n"
            ),
        );
        // An import after the use does not bind the name in time.
        assert_refer(
            "df.join(b)\nimport pyspark.sql.functions as F\n",
            "broadcast",
            &format!("{NEW}\ndf.join(b)\nimport pyspark.sql.functions as F\n"),
        );
    }

    #[test]
    fn module_aliases_are_reused() {
        assert_reuses(
            "import pyspark.sql.functions as F\ndf = a.select(F.col('x'))\ndf.join(b)\n",
            "F.broadcast",
        );
        assert_reuses(
            "from pyspark.sql import functions as F\nF.lit(1)\ndf.join(b)\n",
            "F.broadcast",
        );
        assert_reuses(
            "from pyspark.sql import functions as fn\ndf.join(b)\n",
            "fn.broadcast",
        );
        assert_reuses(
            "from pyspark.sql import SparkSession, functions\ndf.join(b)\n",
            "functions.broadcast",
        );
        assert_reuses(
            "import pyspark.sql.functions\npyspark.sql.functions.col('x')\ndf.join(b)\n",
            "pyspark.sql.functions.broadcast",
        );
        assert_reuses(
            "import pyspark\nimport pyspark.sql.functions\ndf.join(b)\n",
            "pyspark.sql.functions.broadcast",
        );
        assert_reuses(
            "import os, pyspark.sql.functions as F\ndf.join(b)\n",
            "F.broadcast",
        );
    }

    #[test]
    fn rebound_module_aliases_are_not_reused() {
        assert_refer(
            "from pyspark.sql import functions as F\n\nF = F.col('x')\ndf.join(b)\n",
            "broadcast",
            &format!(
                "from pyspark.sql import functions as F\n{NEW}\n\nF = F.col('x')\ndf.join(b)\n"
            ),
        );
        assert_refer(
            "import pyspark.sql.functions\npyspark = None\ndf.join(b)\n",
            "broadcast",
            &format!("import pyspark.sql.functions\n{NEW}\npyspark = None\ndf.join(b)\n"),
        );
        assert_refer(
            "import pyspark.sql.functions as F\ndef f(F):\n    pass\ndf.join(b)\n",
            "broadcast",
            &format!("import pyspark.sql.functions as F\n{NEW}\ndef f(F):\n    pass\ndf.join(b)\n"),
        );
        // The second alias is still good.
        assert_reuses(
            "import pyspark.sql.functions as F\nfrom pyspark.sql import functions as sf\nF = 1\ndf.join(b)\n",
            "sf.broadcast",
        );
    }

    #[test]
    fn an_imported_member_is_reused() {
        assert_reuses(
            "from pyspark.sql.functions import broadcast\nx = broadcast(y)\ndf.join(b)\n",
            "broadcast",
        );
        assert_reuses(
            "from pyspark.sql.functions import col, broadcast as bc\ndf.join(b)\n",
            "bc",
        );
        assert_reuses(
            "from pyspark.sql.functions import *\ndf.join(b)\n",
            "broadcast",
        );
        assert_reuses(
            "from pyspark.sql.functions import *\nx = broadcast(y)\ndf.join(b)\n",
            "broadcast",
        );
        // The member beats a module alias.
        assert_reuses(
            "import pyspark.sql.functions as F\nfrom pyspark.sql.functions import broadcast\ndf.join(b)\n",
            "broadcast",
        );
    }

    #[test]
    fn one_line_from_imports_get_the_name() {
        assert_refer(
            "from pyspark.sql.functions import col, lit\ndf.join(b)\n",
            "broadcast",
            "from pyspark.sql.functions import broadcast, col, lit\ndf.join(b)\n",
        );
        assert_refer(
            "from pyspark.sql.functions import avg, col\ndf.join(b)\n",
            "broadcast",
            "from pyspark.sql.functions import avg, broadcast, col\ndf.join(b)\n",
        );
        assert_refer(
            "from pyspark.sql.functions import avg\ndf.join(b)\n",
            "broadcast",
            "from pyspark.sql.functions import avg, broadcast\ndf.join(b)\n",
        );
        // Sorted by the imported name, case-insensitively; aliases do not count.
        assert_refer(
            "from pyspark.sql.functions import Avg as z, col as a\ndf.join(b)\n",
            "broadcast",
            "from pyspark.sql.functions import Avg as z, broadcast, col as a\ndf.join(b)\n",
        );
        // Not sorted: appended.
        assert_refer(
            "from pyspark.sql.functions import col, avg\ndf.join(b)\n",
            "broadcast",
            "from pyspark.sql.functions import col, avg, broadcast\ndf.join(b)\n",
        );
        assert_refer(
            "from pyspark.sql.functions import (col, lit)\ndf.join(b)\n",
            "broadcast",
            "from pyspark.sql.functions import (broadcast, col, lit)\ndf.join(b)\n",
        );
        assert_refer(
            "from pyspark.sql.functions import (abs, avg,)\ndf.join(b)\n",
            "broadcast",
            "from pyspark.sql.functions import (abs, avg, broadcast,)\ndf.join(b)\n",
        );
        // The first of several.
        assert_refer(
            "from pyspark.sql.functions import col\nfrom pyspark.sql.functions import lit\ndf.join(b)\n",
            "broadcast",
            "from pyspark.sql.functions import broadcast, col\nfrom pyspark.sql.functions import lit\ndf.join(b)\n",
        );
    }

    #[test]
    fn trailing_comments_stay_in_place() {
        assert_refer(
            "from pyspark.sql.functions import avg, col  # noqa\ndf.join(b)\n",
            "broadcast",
            "from pyspark.sql.functions import avg, broadcast, col  # noqa\ndf.join(b)\n",
        );
        assert_refer(
            "from pyspark.sql.functions import abs, avg  # noqa\ndf.join(b)\n",
            "broadcast",
            "from pyspark.sql.functions import abs, avg, broadcast  # noqa\ndf.join(b)\n",
        );
        assert_refer(
            "from pyspark.sql.functions import (\n    abs,  # absolute\n    avg,  # mean\n)\ndf.join(b)\n",
            "broadcast",
            "from pyspark.sql.functions import (\n    abs,  # absolute\n    avg,  # mean\n    broadcast,\n)\ndf.join(b)\n",
        );
        assert_refer(
            "from pyspark.sql.functions import (\n    abs,  # absolute\n    avg  # mean\n)\ndf.join(b)\n",
            "broadcast",
            "from pyspark.sql.functions import (\n    abs,  # absolute\n    avg,  # mean\n    broadcast\n)\ndf.join(b)\n",
        );
    }

    #[test]
    fn one_name_per_line_gets_a_new_line() {
        assert_refer(
            "from pyspark.sql.functions import (\n    avg,\n    col,\n)\ndf.join(b)\n",
            "broadcast",
            "from pyspark.sql.functions import (\n    avg,\n    broadcast,\n    col,\n)\ndf.join(b)\n",
        );
        assert_refer(
            "from pyspark.sql.functions import (\n    abs,\n    avg,\n)\ndf.join(b)\n",
            "broadcast",
            "from pyspark.sql.functions import (\n    abs,\n    avg,\n    broadcast,\n)\ndf.join(b)\n",
        );
        assert_refer(
            "from pyspark.sql.functions import (\n\tabs,\n\tavg\n)\ndf.join(b)\n",
            "broadcast",
            "from pyspark.sql.functions import (\n\tabs,\n\tavg,\n\tbroadcast\n)\ndf.join(b)\n",
        );
        assert_refer(
            "from pyspark.sql.functions import (abs,\n                                   avg)\ndf.join(b)\n",
            "broadcast",
            "from pyspark.sql.functions import (abs,\n                                   avg,\n                                   broadcast)\ndf.join(b)\n",
        );
        assert_refer(
            "from pyspark.sql.functions import (col,\n                                   lit)\ndf.join(b)\n",
            "broadcast",
            "from pyspark.sql.functions import (broadcast,\n                                   col,\n                                   lit)\ndf.join(b)\n",
        );
        assert_refer(
            "from pyspark.sql.functions import (\n    col\n)\ndf.join(b)\n",
            "broadcast",
            "from pyspark.sql.functions import (\n    broadcast,\n    col\n)\ndf.join(b)\n",
        );
    }

    #[test]
    fn backslash_continuations_stay_valid() {
        assert_refer(
            "from pyspark.sql.functions import avg, \\\n    col\ndf.join(b)\n",
            "broadcast",
            "from pyspark.sql.functions import avg, \\\n    broadcast, \\\n    col\ndf.join(b)\n",
        );
        assert_refer(
            "from pyspark.sql.functions import abs, \\\n    avg\ndf.join(b)\n",
            "broadcast",
            "from pyspark.sql.functions import abs, \\\n    avg, \\\n    broadcast\ndf.join(b)\n",
        );
        assert_refer(
            "from pyspark.sql.functions import abs, avg, \\\n    col, lit\ndf.join(b)\n",
            "broadcast",
            "from pyspark.sql.functions import abs, avg, \\\n    broadcast, col, lit\ndf.join(b)\n",
        );
        assert_refer(
            "from pyspark.sql.functions \\\n    import col\ndf.join(b)\n",
            "broadcast",
            "from pyspark.sql.functions \\\n    import broadcast, col\ndf.join(b)\n",
        );
    }

    #[test]
    fn crlf_line_endings_are_kept() {
        assert_refer(
            "import os\r\n\r\ndf.join(b)\r\n",
            "broadcast",
            &format!("import os\r\n{NEW}\r\n\r\ndf.join(b)\r\n"),
        );
        assert_refer(
            "from pyspark.sql.functions import (\r\n    abs,\r\n    avg\r\n)\r\ndf.join(b)\r\n",
            "broadcast",
            "from pyspark.sql.functions import (\r\n    abs,\r\n    avg,\r\n    broadcast\r\n)\r\ndf.join(b)\r\n",
        );
        assert_refer(
            "from pyspark.sql.functions import (\r\n    abs,\r\n    avg,  # mean\r\n)\r\ndf.join(b)\r\n",
            "broadcast",
            "from pyspark.sql.functions import (\r\n    abs,\r\n    avg,  # mean\r\n    broadcast,\r\n)\r\ndf.join(b)\r\n",
        );
        assert_refer(
            "broadcast = 1\r\ndf.join(b)\r\n",
            "F.broadcast",
            "from pyspark.sql import functions as F\r\nbroadcast = 1\r\ndf.join(b)\r\n",
        );
    }

    const MODULE_F: &str = "from pyspark.sql import functions as F";

    #[test]
    fn a_clashing_member_name_gets_a_module_alias() {
        assert_refer(
            "import os\nbroadcast = sc.broadcast(v)\ndf.join(b)\n",
            "F.broadcast",
            &format!("import os\n{MODULE_F}\nbroadcast = sc.broadcast(v)\ndf.join(b)\n"),
        );
        assert_refer(
            "import os\n\ndef broadcast(x):\n    return x\n\ndf.join(b)\n",
            "F.broadcast",
            &format!("import os\n{MODULE_F}\n\ndef broadcast(x):\n    return x\n\ndf.join(b)\n"),
        );
        assert_refer(
            "from mylib import broadcast\ndf.join(b)\n",
            "F.broadcast",
            &format!("from mylib import broadcast\n{MODULE_F}\ndf.join(b)\n"),
        );
        // A bare call that no pyspark import binds: the name belongs to the other star import.
        assert_refer(
            "from mylib import *\nx = broadcast(y)\ndf.join(b)\n",
            "F.broadcast",
            &format!("from mylib import *\n{MODULE_F}\nx = broadcast(y)\ndf.join(b)\n"),
        );
        // Neither the existing import nor the star import nor a from-import can be used.
        assert_refer(
            "from pyspark.sql.functions import broadcast\nbroadcast = None\ndf.join(b)\n",
            "F.broadcast",
            &format!(
                "from pyspark.sql.functions import broadcast\n{MODULE_F}\nbroadcast = None\ndf.join(b)\n"
            ),
        );
        assert_refer(
            "from pyspark.sql.functions import *\nglobal broadcast\ndf.join(b)\n",
            "F.broadcast",
            &format!(
                "from pyspark.sql.functions import *\n{MODULE_F}\nglobal broadcast\ndf.join(b)\n"
            ),
        );
        assert_refer(
            "from pyspark.sql.functions import col\ny = broadcast\ndf.join(b)\n",
            "F.broadcast",
            &format!(
                "from pyspark.sql.functions import col\n{MODULE_F}\ny = broadcast\ndf.join(b)\n"
            ),
        );
        assert_refer(
            "from pyspark.sql.functions import foo as broadcast\ndf.join(b)\n",
            "F.broadcast",
            &format!(
                "from pyspark.sql.functions import foo as broadcast\n{MODULE_F}\ndf.join(b)\n"
            ),
        );
        // An existing alias still wins.
        assert_reuses(
            "import pyspark.sql.functions as F\nbroadcast = 1\ndf.join(b)\n",
            "F.broadcast",
        );
    }

    #[test]
    fn a_taken_alias_is_skipped() {
        assert_refer(
            "F = 3\nbroadcast = 1\ndf.join(b)\n",
            "sf.broadcast",
            "from pyspark.sql import functions as sf\nF = 3\nbroadcast = 1\ndf.join(b)\n",
        );
        assert_refer(
            "from pyspark.sql import functions as F\nF = 3\nsf = 1\nbroadcast = 1\ndf.join(b)\n",
            "spark_functions.broadcast",
            "from pyspark.sql import functions as F\nfrom pyspark.sql import functions as spark_functions\nF = 3\nsf = 1\nbroadcast = 1\ndf.join(b)\n",
        );
        assert_refer(
            "F = sf = spark_functions = broadcast = 1\ndf.join(b)\n",
            "spark_functions_2.broadcast",
            "from pyspark.sql import functions as spark_functions_2\nF = sf = spark_functions = broadcast = 1\ndf.join(b)\n",
        );
        // An attribute member or keyword named `F` takes nothing.
        assert_refer(
            "x.F(F=1)\nbroadcast = 1\ndf.join(b)\n",
            "F.broadcast",
            &format!("{MODULE_F}\nx.F(F=1)\nbroadcast = 1\ndf.join(b)\n"),
        );
    }

    #[test]
    fn comments_strings_attributes_and_keywords_do_not_clash() {
        assert_refer(
            "# broadcast = 1\nx = 'broadcast'\ny = sc.broadcast(v)\nspark.conf.set(k, broadcast=1)\ndf.join(b)\n",
            "broadcast",
            &format!(
                "# broadcast = 1\n{NEW}\nx = 'broadcast'\ny = sc.broadcast(v)\nspark.conf.set(k, broadcast=1)\ndf.join(b)\n"
            ),
        );
    }

    #[test]
    fn other_modules_and_members() {
        let file = SourceFile::parse("import numpy\nx = 1\n");
        let reference = reference_member(&file, "numpy", "sum", 20);
        assert_eq!(
            reference,
            MemberReference {
                expr: "numpy.sum".into(),
                edit: None
            }
        );
        // A builtin called bare: importing `sum` would shadow it.
        let file = SourceFile::parse("total = sum(xs)\n");
        let reference = reference_member(&file, "pyspark.sql.functions", "sum", 16);
        assert_eq!(reference.expr, "F.sum");
        let file = SourceFile::parse("total = max(xs)\n");
        let reference = reference_member(&file, "numpy", "max", 16);
        assert_eq!(reference.expr, "F.max");
        assert_eq!(reference.edit, Some(Edit::insert(0, "import numpy as F\n")));
    }

    #[test]
    fn deep_input_does_not_overflow_the_stack() {
        let text = format!(
            "import pyspark.sql.functions as F\ndf = spark.read.parquet('p'){}\ndf.join(b)\n",
            ".filter(F.col('x'))".repeat(10_000)
        );
        let expr = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || refer(&text).0)
            .unwrap()
            .join()
            .expect("no stack overflow");
        assert_eq!(expr, "F.broadcast");
    }

    #[test]
    fn never_panics() {
        let texts = [
            "",
            "\\",
            "\u{feff}import os\n",
            "from pyspark.sql.functions import (\n",
            "from pyspark.sql.functions import",
            "from pyspark.sql.functions import (col,\n  lit\n",
            "from pyspark.sql.functions import col,\n",
            "from . import functions as F\nfrom .. import *\n",
            "def (:\n  broadcast = 1\n",
            "if x:\n\tfrom pyspark.sql.functions import col\n\tdf.join(b)\n",
            "from pyspark.sql.functions import (\r\n  é,\r\n  ü)\r\n",
            "\"\"\"doc\"\"\"",
            "from __future__ import annotations",
            "import pyspark.sql.functions as",
        ];
        for text in texts {
            let file = SourceFile::parse(text);
            for before in 0..=text.len() + 1 {
                for (module, member) in [(MODULE, "broadcast"), ("numpy", "sum"), ("", "")] {
                    let reference = reference_member(&file, module, member, before);
                    if let Some(edit) = reference.edit {
                        let mut fixed = text.to_owned();
                        fixed.replace_range(edit.range, &edit.content);
                    }
                }
            }
        }
    }
}
