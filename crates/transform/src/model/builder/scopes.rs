//! Names and scopes: what each name is bound to (a frame, a session, a function of the file, a
//! string constant, a class, an import), looked up through enclosing scopes as Python does.

use std::collections::HashMap;

use sparkfix_syntax::SyntaxNode;

use super::{Builder, is_spark_sql_module};
use crate::model::spark_api::Ty;
use crate::model::{FrameId, ScopeId};

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Binding<'t> {
    Value {
        ty: Ty,
        frame: Option<FrameId>,
    },
    Function(usize),
    /// A string literal (a path, table name or format constant).
    Text(SyntaxNode<'t>),
    /// A class of this file: its body's scope holds its attributes.
    Class(ScopeId),
    /// A Python UDF (`udf(..)`, `pandas_udf(..)`, a decorated function): calling it makes a
    /// column computed row by row in a Python worker.
    Udf,
    /// An imported module (`import a.b as m`: `a.b`) or name (`from a.b import n`: `a.b`, `n`).
    Import {
        module: &'t str,
        name: Option<&'t str>,
    },
}

impl<'t> Binding<'t> {
    /// A name sparkfix knows nothing about (an import, a class, a loop variable...).
    pub(super) const UNKNOWN: Binding<'t> = Binding::Value {
        ty: Ty::Unknown,
        frame: None,
    };
}

#[derive(Debug, Default)]
pub(super) struct Scope<'t> {
    pub(super) parent: Option<ScopeId>,
    /// Class bodies are skipped when a nested function looks a name up.
    pub(super) is_class: bool,
    pub(super) names: HashMap<&'t str, Binding<'t>>,
}

/// What a call of a function of this file does with its arguments.
impl<'t> Builder<'t> {
    pub(super) fn bind_unknown(&mut self, target: SyntaxNode<'t>) {
        for name in target.target_names() {
            self.bind(name, Binding::UNKNOWN);
        }
    }

    pub(super) fn bind(&mut self, name: &'t str, binding: Binding<'t>) {
        self.scopes[self.scope.0 as usize]
            .names
            .insert(name, binding);
    }

    pub(super) fn lookup(&self, name: &str) -> Option<(Binding<'t>, ScopeId)> {
        let mut scope = Some(self.scope);
        let mut first = true;
        while let Some(id) = scope {
            let data = &self.scopes[id.0 as usize];
            if (first || !data.is_class)
                && let Some(binding) = data.names.get(name)
            {
                return Some((*binding, id));
            }
            first = false;
            scope = data.parent;
        }
        None
    }

    /// Whether the annotation `annotation` names pyspark's class `class` (`DataFrame`,
    /// `SparkSession`) as the file imports it: `DataFrame` from `pyspark.sql`, `sql.DataFrame`,
    /// `pyspark.sql.DataFrame`. A bare name that nothing binds counts (a notebook, a star
    /// import); `pd.DataFrame` or a `DataFrame` imported from pandas does not.
    pub(super) fn names_spark_class(&self, annotation: &str, class: &str) -> bool {
        let (qualifier, last) = match annotation.rsplit_once('.') {
            Some((qualifier, last)) => (Some(qualifier.trim()), last.trim()),
            None => (None, annotation.trim()),
        };
        if last != class {
            return false;
        }
        let Some(qualifier) = qualifier else {
            return match self.lookup(class) {
                None => true,
                Some((Binding::Import { module, .. }, _)) => is_spark_sql_module(module),
                Some((Binding::Value { ty, .. }, _)) => ty == Ty::SessionClass,
                Some(_) => false,
            };
        };
        let (first, rest) = qualifier.split_once('.').unwrap_or((qualifier, ""));
        let path = match self.lookup(first) {
            Some((Binding::Import { module, name }, _)) => {
                let mut path = module.to_owned();
                if let Some(name) = name {
                    path.push('.');
                    path.push_str(name);
                }
                if !rest.is_empty() {
                    path.push('.');
                    path.push_str(rest);
                }
                path
            }
            _ => qualifier.to_owned(),
        };
        is_spark_sql_module(&path)
    }

    pub(super) fn enter_scope(&mut self, is_class: bool) -> ScopeId {
        let outer = self.scope;
        self.scopes.push(Scope {
            parent: Some(outer),
            is_class,
            names: HashMap::new(),
        });
        self.scope = ScopeId(self.scopes.len() as u32 - 1);
        outer
    }
}
