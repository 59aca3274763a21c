//! Statement views: blocks, assignments and compound statements.

use super::SyntaxNode;
use super::function::{ClassDef, FunctionDef};
use super::import::{Import, ImportFrom};
use crate::kinds;

/// The statements of a module or an indented block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block<'t> {
    node: SyntaxNode<'t>,
}

impl<'t> Block<'t> {
    /// A module or a block.
    pub fn cast(node: SyntaxNode<'t>) -> Option<Self> {
        (node.is(kinds::MODULE) || node.is(kinds::BLOCK)).then_some(Block { node })
    }

    pub fn syntax(&self) -> SyntaxNode<'t> {
        self.node
    }

    /// Whether control never reaches the end of the block: one of its statements always leaves.
    pub fn always_exits(&self) -> bool {
        self.statements().any(|s| s.always_exits())
    }

    pub fn statements(&self) -> impl Iterator<Item = Stmt<'t>> + use<'t> {
        self.node.children().map(Stmt::classify)
    }
}

/// One statement, classified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stmt<'t> {
    Assign(Assignment<'t>),
    /// `x += ..` and friends: the whole statement.
    AugAssign(SyntaxNode<'t>),
    /// An expression used as a statement, such as a call.
    Expr(SyntaxNode<'t>),
    Return {
        stmt: SyntaxNode<'t>,
        value: Option<SyntaxNode<'t>>,
    },
    If(IfStmt<'t>),
    For(ForStmt<'t>),
    While(WhileStmt<'t>),
    Try(TryStmt<'t>),
    With(WithStmt<'t>),
    Match(MatchStmt<'t>),
    Function(FunctionDef<'t>),
    Class(ClassDef<'t>),
    Import(Import<'t>),
    ImportFrom(ImportFrom<'t>),
    /// Any other statement (`pass`, `raise`, `del`, `assert`, `global`...).
    Other(SyntaxNode<'t>),
}

impl<'t> Stmt<'t> {
    pub fn classify(node: SyntaxNode<'t>) -> Self {
        match node.kind() {
            kinds::EXPRESSION_STATEMENT => {
                let inner = node.children().next();
                match inner {
                    Some(inner) if inner.is(kinds::ASSIGNMENT) => Stmt::Assign(Assignment {
                        stmt: node,
                        node: inner,
                    }),
                    Some(inner) if inner.is(kinds::AUGMENTED_ASSIGNMENT) => Stmt::AugAssign(node),
                    Some(inner) if node.children().count() == 1 => Stmt::Expr(inner),
                    _ => Stmt::Other(node),
                }
            }
            kinds::RETURN_STATEMENT => Stmt::Return {
                stmt: node,
                value: node.children().next(),
            },
            kinds::IF_STATEMENT => Stmt::If(IfStmt { node }),
            kinds::FOR_STATEMENT => Stmt::For(ForStmt { node }),
            kinds::WHILE_STATEMENT => Stmt::While(WhileStmt { node }),
            kinds::TRY_STATEMENT => Stmt::Try(TryStmt { node }),
            kinds::WITH_STATEMENT => Stmt::With(WithStmt { node }),
            kinds::MATCH_STATEMENT => Stmt::Match(MatchStmt { node }),
            kinds::FUNCTION_DEFINITION => {
                Stmt::Function(FunctionDef::cast(node).expect("kind checked"))
            }
            kinds::CLASS_DEFINITION => Stmt::Class(ClassDef::cast(node).expect("kind checked")),
            kinds::DECORATED_DEFINITION => match node.field("definition") {
                Some(def) => match Stmt::classify(def) {
                    stmt @ (Stmt::Function(_) | Stmt::Class(_)) => stmt,
                    _ => Stmt::Other(node),
                },
                None => Stmt::Other(node),
            },
            kinds::IMPORT_STATEMENT => Stmt::Import(Import::cast(node).expect("kind checked")),
            kinds::IMPORT_FROM_STATEMENT => {
                Stmt::ImportFrom(ImportFrom::cast(node).expect("kind checked"))
            }
            _ => Stmt::Other(node),
        }
    }

    /// Whether control never goes on to the next statement: `return`, `raise`, `break`,
    /// `continue`, `sys.exit(..)`, an `if` whose every branch (an `else` included) leaves, a
    /// `with` whose body leaves, a `try` whose body and handlers (or whose `finally`) leave.
    /// Statements nested deeper than a fixed bound count as not leaving.
    pub fn always_exits(&self) -> bool {
        self.exits_within(16)
    }

    fn exits_within(&self, depth: u32) -> bool {
        let block_exits = |block: Option<Block<'t>>| {
            depth > 0 && block.is_some_and(|b| b.statements().any(|s| s.exits_within(depth - 1)))
        };
        match self {
            Stmt::Return { .. } => true,
            Stmt::Other(node) => matches!(
                node.kind(),
                kinds::RAISE_STATEMENT | kinds::BREAK_STATEMENT | kinds::CONTINUE_STATEMENT
            ),
            Stmt::Expr(expr) => {
                let text = expr.text();
                text.starts_with("sys.exit(") || text.starts_with("exit(")
            }
            Stmt::If(stmt) => {
                let branches = stmt.else_branches();
                block_exits(stmt.body())
                    && branches.iter().any(|b| matches!(b, ElseBranch::Else(_)))
                    && branches.into_iter().all(|branch| match branch {
                        ElseBranch::Elif { body, .. } => block_exits(Some(body)),
                        ElseBranch::Else(body) => block_exits(Some(body)),
                    })
            }
            Stmt::With(stmt) => block_exits(stmt.body()),
            Stmt::Try(stmt) => {
                block_exits(stmt.finally_body())
                    || (block_exits(stmt.body())
                        && stmt
                            .handlers()
                            .into_iter()
                            .all(|(_, handler)| block_exits(Some(handler))))
            }
            _ => false,
        }
    }

    /// The whole statement's node (for a decorated definition: the definition itself).
    pub fn syntax(&self) -> SyntaxNode<'t> {
        match self {
            Stmt::Assign(a) => a.stmt,
            Stmt::AugAssign(n) | Stmt::Other(n) => *n,
            Stmt::Expr(n) => n.parent().unwrap_or(*n),
            Stmt::Return { stmt, .. } => *stmt,
            Stmt::If(s) => s.node,
            Stmt::For(s) => s.node,
            Stmt::While(s) => s.node,
            Stmt::Try(s) => s.node,
            Stmt::With(s) => s.node,
            Stmt::Match(s) => s.node,
            Stmt::Function(f) => f.syntax(),
            Stmt::Class(c) => c.syntax(),
            Stmt::Import(i) => i.syntax(),
            Stmt::ImportFrom(i) => i.syntax(),
        }
    }
}

/// `target = value`, `a = b = value`, `x: T = value`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Assignment<'t> {
    stmt: SyntaxNode<'t>,
    node: SyntaxNode<'t>,
}

impl<'t> Assignment<'t> {
    pub fn syntax(&self) -> SyntaxNode<'t> {
        self.stmt
    }

    /// Every target, left to right (`a = b = v` has two).
    pub fn targets(&self) -> Vec<SyntaxNode<'t>> {
        let mut targets = Vec::new();
        let mut node = self.node;
        loop {
            if let Some(left) = node.field("left") {
                targets.push(left);
            }
            match node.field("right") {
                Some(right) if right.is(kinds::ASSIGNMENT) => node = right,
                _ => break,
            }
        }
        targets
    }

    /// The assigned expression; `None` for a bare annotation `x: int`.
    pub fn value(&self) -> Option<SyntaxNode<'t>> {
        let mut node = self.node;
        loop {
            match node.field("right") {
                Some(right) if right.is(kinds::ASSIGNMENT) => node = right,
                other => return other,
            }
        }
    }

    pub fn annotation(&self) -> Option<SyntaxNode<'t>> {
        self.node.field("type")
    }
}

/// The `else` part of an `if`: `elif` clauses and a final `else`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElseBranch<'t> {
    Elif {
        condition: SyntaxNode<'t>,
        body: Block<'t>,
    },
    Else(Block<'t>),
}

fn block_field<'t>(node: SyntaxNode<'t>, field: &str) -> Option<Block<'t>> {
    node.field(field).and_then(Block::cast)
}

fn block_child<'t>(node: SyntaxNode<'t>) -> Option<Block<'t>> {
    node.children().find_map(Block::cast)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IfStmt<'t> {
    node: SyntaxNode<'t>,
}

impl<'t> IfStmt<'t> {
    pub fn syntax(&self) -> SyntaxNode<'t> {
        self.node
    }

    pub fn condition(&self) -> Option<SyntaxNode<'t>> {
        self.node.field("condition")
    }

    pub fn body(&self) -> Option<Block<'t>> {
        block_field(self.node, "consequence")
    }

    pub fn else_branches(&self) -> Vec<ElseBranch<'t>> {
        self.node
            .fields("alternative")
            .into_iter()
            .filter_map(|clause| {
                if clause.is(kinds::ELIF_CLAUSE) {
                    Some(ElseBranch::Elif {
                        condition: clause.field("condition")?,
                        body: block_field(clause, "consequence")?,
                    })
                } else {
                    block_field(clause, "body").map(ElseBranch::Else)
                }
            })
            .collect()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ForStmt<'t> {
    node: SyntaxNode<'t>,
}

impl<'t> ForStmt<'t> {
    pub fn syntax(&self) -> SyntaxNode<'t> {
        self.node
    }

    pub fn target(&self) -> Option<SyntaxNode<'t>> {
        self.node.field("left")
    }

    pub fn iterable(&self) -> Option<SyntaxNode<'t>> {
        self.node.field("right")
    }

    pub fn body(&self) -> Option<Block<'t>> {
        block_field(self.node, "body")
    }

    pub fn else_body(&self) -> Option<Block<'t>> {
        self.node
            .field("alternative")
            .and_then(|c| block_field(c, "body"))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WhileStmt<'t> {
    node: SyntaxNode<'t>,
}

impl<'t> WhileStmt<'t> {
    pub fn syntax(&self) -> SyntaxNode<'t> {
        self.node
    }

    pub fn condition(&self) -> Option<SyntaxNode<'t>> {
        self.node.field("condition")
    }

    pub fn body(&self) -> Option<Block<'t>> {
        block_field(self.node, "body")
    }

    pub fn else_body(&self) -> Option<Block<'t>> {
        self.node
            .field("alternative")
            .and_then(|c| block_field(c, "body"))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TryStmt<'t> {
    node: SyntaxNode<'t>,
}

impl<'t> TryStmt<'t> {
    pub fn body(&self) -> Option<Block<'t>> {
        block_field(self.node, "body")
    }

    /// The bodies of the `except` clauses, with the caught expression when given.
    pub fn handlers(&self) -> Vec<(Option<SyntaxNode<'t>>, Block<'t>)> {
        self.node
            .children()
            .filter(|c| c.is(kinds::EXCEPT_CLAUSE) || c.is(kinds::EXCEPT_GROUP_CLAUSE))
            .filter_map(|c| Some((c.children().find(|n| !n.is(kinds::BLOCK)), block_child(c)?)))
            .collect()
    }

    pub fn else_body(&self) -> Option<Block<'t>> {
        self.node
            .children()
            .find(|c| c.is(kinds::ELSE_CLAUSE))
            .and_then(|c| block_field(c, "body"))
    }

    pub fn finally_body(&self) -> Option<Block<'t>> {
        self.node
            .children()
            .find(|c| c.is(kinds::FINALLY_CLAUSE))
            .and_then(block_child)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WithStmt<'t> {
    node: SyntaxNode<'t>,
}

impl<'t> WithStmt<'t> {
    /// The context expressions (`with a as x, b:` gives `a` and `b`).
    pub fn items(&self) -> Vec<SyntaxNode<'t>> {
        let clause = self.node.children().find(|c| c.is("with_clause"));
        clause
            .into_iter()
            .flat_map(|clause| clause.children())
            .filter_map(|item| item.field("value"))
            .collect()
    }

    pub fn body(&self) -> Option<Block<'t>> {
        block_field(self.node, "body")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatchStmt<'t> {
    node: SyntaxNode<'t>,
}

impl<'t> MatchStmt<'t> {
    pub fn subject(&self) -> Option<SyntaxNode<'t>> {
        self.node.field("subject")
    }

    pub fn case_bodies(&self) -> Vec<Block<'t>> {
        let Some(body) = self.node.field("body") else {
            return Vec::new();
        };
        body.children()
            .filter(|c| c.is(kinds::CASE_CLAUSE))
            .filter_map(|c| block_field(c, "consequence"))
            .collect()
    }
}
