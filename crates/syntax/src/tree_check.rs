//! One walk over the tree for what CPython refuses in a tree tree-sitter builds without error
//! nodes: Python 2 statements (`print "x"`, `exec code`, `except E, e:`, `raise E, "m"`, tuple
//! parameters), `async`/`await` used as names, arguments and parameters in an order the parser
//! refuses, a bare `x := 1` or `*x` statement, `x as y` outside `with`/`except`/`case`, a walrus
//! that needs parentheses, an annotated assignment used as a value, dotted names imported from a
//! module and a trailing comma without parentheses there, bounded types outside type
//! parameters, starred dictionary values, trees deeper than [`MAX_TREE_DEPTH`], and the checks of
//! CPython's compiler that need no name binding (`return` outside a function, `break` outside a
//! loop, misplaced `from __future__` imports...). Error and missing nodes are parser errors too,
//! hidden missing ones (a newline between two statements on one line) included.
//!
//! The walk is iterative; scopes (functions, classes, loop bodies) are a stack of byte ranges.

use std::sync::OnceLock;

use tree_sitter::Language;

use crate::kinds;
use crate::syntax_error::SyntaxError;
use crate::tree::Node;
use crate::walk::Preorder;

/// The features `from __future__ import` knows (CPython 3.7 and later).
const FUTURE_FEATURES: [&str; 10] = [
    "nested_scopes",
    "generators",
    "division",
    "absolute_import",
    "with_statement",
    "print_function",
    "unicode_literals",
    "barry_as_FLUFL",
    "generator_stop",
    "annotations",
];

/// Trees deeper than this are refused. CPython 3.11 stops compiling an expression about 3000
/// levels deep (`RecursionError`: a chain of 1500 calls, a sum of 3000 terms); a tree-sitter
/// tree is a little deeper than CPython's for the same code (parentheses, argument lists), so
/// the limit leaves room and never refuses what CPython compiles.
pub(crate) const MAX_TREE_DEPTH: u32 = 4000;

/// What the walk found, by how CPython ranks it.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    /// The first parser error: an error or missing node, or a construct no rule accepts.
    pub parser: Option<SyntaxError>,
    /// The first error of CPython's compiler, which only counts when the file parses.
    pub compiler: Option<SyntaxError>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScopeKind {
    Function {
        is_async: bool,
    },
    Lambda,
    Class,
    Loop,
    /// A comprehension or generator expression. `await` and `async for` in a generator
    /// expression make it an asynchronous generator, in any function; in a list, set or
    /// dictionary comprehension they need an asynchronous function around it.
    Comprehension {
        generator: bool,
    },
}

/// CPython's message for `await` or `async for` in a list, set or dictionary comprehension that
/// no asynchronous function holds.
const ASYNC_COMPREHENSION: &str = "asynchronous comprehension outside of an asynchronous function";

/// Where an `await` or an `async for` stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AsyncContext {
    Allowed,
    Outside {
        /// In a comprehension that is not a generator expression.
        comprehension: bool,
        /// In a function or lambda (that is not asynchronous).
        in_function: bool,
    },
}

/// A scope: the byte range of a function, lambda or class body, or of a loop body.
#[derive(Debug, Clone, Copy)]
struct Scope {
    start: usize,
    end: usize,
    kind: ScopeKind,
}

/// Walks the tree under `root`, the parse of `text`. `parser_error` is a parser error found
/// elsewhere: the walk stops at its offset, as nothing after it can come first.
pub(crate) fn scan(root: Node<'_>, text: &str, parser_error: Option<SyntaxError>) -> Findings {
    let mut walker = Walker {
        text,
        scopes: Vec::new(),
        future_end: future_imports_end(root, text),
        findings: Findings {
            parser: parser_error,
            compiler: None,
        },
        names: Vec::new(),
    };
    let table = kind_table();
    let has_error = root.has_error();
    let mut walk = Preorder::new(root);
    while let Some(node) = walk.next() {
        if walk.depth() > MAX_TREE_DEPTH {
            let start = node.start_byte();
            if walker
                .findings
                .parser
                .as_ref()
                .is_none_or(|error| error.offset > start)
            {
                walker.findings.parser = Some(SyntaxError::new(
                    start,
                    format!(
                        "nested over {MAX_TREE_DEPTH} levels deep, more than sparkfix follows \
                         (CPython gives up at about 3000: RecursionError)"
                    ),
                ));
            }
            break;
        }
        let kind = node.kind_id();
        // An error node, or a missing one (`for x in :` misses an identifier).
        let broken = has_error && (node.is_error() || node.is_missing());
        if !broken {
            if kind == table.identifier {
                // The most common node: only `async` and `await` matter.
                if node.end_byte() - node.start_byte() == 5 {
                    walker.identifier(node);
                }
                continue;
            }
            if kind == table.string && !(has_error && node.has_error()) {
                // Its parts, and what an f-string's fields hold, are not checked.
                walk.skip_children();
                continue;
            }
            if !table.checked.get(usize::from(kind)).is_some_and(|c| *c) {
                continue;
            }
        }
        let start = node.start_byte();
        if walker
            .findings
            .parser
            .as_ref()
            .is_some_and(|error| start >= error.offset)
        {
            break;
        }
        while walker.scopes.last().is_some_and(|scope| start >= scope.end) {
            walker.scopes.pop();
        }
        walker.visit(node);
    }
    if has_error
        && let Some(offset) = hidden_error(root, text)
        && walker
            .findings
            .parser
            .as_ref()
            .is_none_or(|error| error.offset > offset)
    {
        walker.findings.parser = Some(SyntaxError::new(offset, "invalid syntax".to_owned()));
    }
    walker.findings
}

/// Where a tree with an error holds it when no visible node is an error or missing: a missing
/// hidden token, such as the newline between two statements on one line (`f()g = 1`). Found by
/// descending into the first child that has an error; the error is where a child starts on the
/// line its previous sibling ends on, else at the node.
fn hidden_error(root: Node<'_>, text: &str) -> Option<usize> {
    let mut node = root;
    'descend: loop {
        let children: Vec<Node<'_>> = node.children().collect();
        for child in &children {
            if child.has_error() {
                if child.is_error() || child.is_missing() {
                    // Visible: the walk reported it, unless it stopped before.
                    return None;
                }
                node = *child;
                continue 'descend;
            }
        }
        let start = children
            .windows(2)
            .find(|pair| {
                !text[pair[0].end_byte()..pair[1].start_byte()].contains('\n')
                    && pair[0].kind() != ";"
                    && pair[1].kind() != ";"
            })
            .map_or(node.start_byte(), |pair| pair[1].start_byte());
        return Some(start);
    }
}

/// Whether the `x := y` at `node` stands where CPython wants it in parentheses: the value of an
/// assignment, a `return`, a keyword argument, a default, a lambda's body, an item of a bare
/// tuple. tree-sitter takes it there without.
fn walrus_needs_parentheses(node: Node<'_>) -> bool {
    node.parent().is_some_and(|parent| {
        matches!(
            parent.kind(),
            kinds::ASSIGNMENT
                | kinds::AUGMENTED_ASSIGNMENT
                | kinds::RETURN_STATEMENT
                | kinds::KEYWORD_ARGUMENT
                | kinds::DEFAULT_PARAMETER
                | kinds::TYPED_DEFAULT_PARAMETER
                | kinds::LAMBDA
                | kinds::EXPRESSION_LIST
                | kinds::RAISE_STATEMENT
                | kinds::ASSERT_STATEMENT
                | kinds::DELETE_STATEMENT
        )
    })
}

/// Whether the bounded type at `node` (`T: int`) is a type parameter's.
fn in_type_parameter(node: Node<'_>) -> bool {
    let mut current = node;
    while let Some(parent) = current.parent() {
        match parent.kind() {
            kinds::TYPE_PARAMETER => return true,
            kinds::TYPE | kinds::CONSTRAINED_TYPE => current = parent,
            _ => return false,
        }
    }
    false
}

/// Whether the `x as y` at `node` stands where CPython takes one: a `with` item (`with (a as b):`
/// and `with (a as b,):` too, as the only item), an `except` clause, a `case` pattern.
/// tree-sitter takes it anywhere.
fn as_is_allowed(node: Node<'_>) -> bool {
    let Some(parent) = node.parent() else {
        return false;
    };
    match parent.kind() {
        kinds::WITH_ITEM
        | kinds::EXCEPT_CLAUSE
        | kinds::EXCEPT_GROUP_CLAUSE
        | kinds::CASE_PATTERN => true,
        kinds::PARENTHESIZED_EXPRESSION | kinds::TUPLE => {
            let Some(item) = parent
                .parent()
                .filter(|item| item.kind() == kinds::WITH_ITEM)
            else {
                return false;
            };
            item.parent()
                .is_some_and(|clause| clause.named_child_count() == 1)
        }
        _ => false,
    }
}

/// The kind ids the walk looks at, so that every other node costs one lookup.
struct KindTable {
    identifier: u16,
    string: u16,
    checked: Vec<bool>,
}

fn kind_table() -> &'static KindTable {
    static TABLE: OnceLock<KindTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let language: Language = tree_sitter_python::LANGUAGE.into();
        let checked_kinds = [
            kinds::AS_PATTERN,
            kinds::CONSTRAINED_TYPE,
            kinds::LIST_SPLAT,
            kinds::NAMED_EXPRESSION,
            kinds::PRINT_STATEMENT,
            kinds::EXEC_STATEMENT,
            kinds::EXCEPT_CLAUSE,
            kinds::TRY_STATEMENT,
            kinds::RAISE_STATEMENT,
            kinds::EXPRESSION_STATEMENT,
            kinds::ASSIGNMENT,
            kinds::AUGMENTED_ASSIGNMENT,
            kinds::FOR_IN_CLAUSE,
            kinds::PARAMETERS,
            kinds::LAMBDA_PARAMETERS,
            kinds::ARGUMENT_LIST,
            kinds::FUNCTION_DEFINITION,
            kinds::LAMBDA,
            kinds::CLASS_DEFINITION,
            kinds::FOR_STATEMENT,
            kinds::WHILE_STATEMENT,
            kinds::RETURN_STATEMENT,
            kinds::YIELD,
            kinds::AWAIT,
            kinds::BREAK_STATEMENT,
            kinds::CONTINUE_STATEMENT,
            kinds::NONLOCAL_STATEMENT,
            kinds::IMPORT_FROM_STATEMENT,
            kinds::FUTURE_IMPORT_STATEMENT,
        ];
        let mut checked = vec![false; language.node_kind_count()];
        for kind in checked_kinds.into_iter().chain(kinds::COMPREHENSIONS) {
            let id = language.id_for_node_kind(kind, true);
            assert_ne!(id, 0, "tree-sitter-python has no node kind {kind}");
            checked[usize::from(id)] = true;
        }
        KindTable {
            identifier: language.id_for_node_kind(kinds::IDENTIFIER, true),
            string: language.id_for_node_kind(kinds::STRING, true),
            checked,
        }
    })
}

struct Walker<'t> {
    text: &'t str,
    scopes: Vec<Scope>,
    /// Where the statements that may precede a `from __future__` import end.
    future_end: usize,
    findings: Findings,
    /// Reused for the names of one parameter or argument list.
    names: Vec<(&'t str, usize)>,
}

impl<'t> Walker<'t> {
    fn visit(&mut self, node: Node<'t>) {
        if node.is_error() {
            return self.parser(node.start_byte(), "invalid syntax".to_owned());
        }
        if node.is_missing() {
            let reason = if node.is_named() {
                "invalid syntax".to_owned()
            } else {
                format!("expected '{}'", node.kind())
            };
            return self.parser(node.start_byte(), reason);
        }
        if !node.is_named() {
            return;
        }
        let start = node.start_byte();
        match node.kind() {
            kinds::PRINT_STATEMENT => {
                let chevron = node
                    .named_children()
                    .any(|child| child.kind() == kinds::CHEVRON);
                // `print >>f, x` is also a Python 3 expression (a tuple).
                if !chevron {
                    self.parser(start, missing_parentheses("print"));
                }
            }
            kinds::EXEC_STATEMENT => self.parser(start, missing_parentheses("exec")),
            kinds::NAMED_EXPRESSION if walrus_needs_parentheses(node) => {
                let at = node
                    .child_by_field_name("name")
                    .map_or(start, |name| name.end_byte());
                let at = at + self.text[at..].find(":=").unwrap_or(0);
                self.parser(at, "invalid syntax".to_owned());
            }
            kinds::CONSTRAINED_TYPE if !in_type_parameter(node) => {
                // `def f(a: B: str)`: a bound is for a type parameter (`def f[T: int]`) only.
                let at = node.named_child(0).map_or(start, |bound| bound.end_byte());
                let at = at + self.text[at..].find(':').unwrap_or(0);
                self.parser(at, "invalid syntax".to_owned());
            }
            kinds::LIST_SPLAT
                if node.parent().is_some_and(|parent| {
                    parent.kind() == kinds::PAIR
                        && parent.child_by_field_name("value") == Some(node)
                }) =>
            {
                self.parser(
                    start,
                    "cannot use a starred expression in a dictionary value".to_owned(),
                );
            }
            kinds::AS_PATTERN if !as_is_allowed(node) => {
                let at = node
                    .child_by_field_name("alias")
                    .map_or(start, |alias| alias.start_byte());
                self.parser(at, "invalid syntax".to_owned());
            }
            kinds::TRY_STATEMENT => {
                let handled = node.named_children().any(|child| {
                    matches!(
                        child.kind(),
                        kinds::EXCEPT_CLAUSE | kinds::EXCEPT_GROUP_CLAUSE | kinds::FINALLY_CLAUSE
                    )
                });
                if !handled {
                    let at = node
                        .child_by_field_name("body")
                        .map_or(start, |b| b.end_byte());
                    self.parser(at, "expected 'except' or 'finally' block".to_owned());
                }
            }
            kinds::EXCEPT_CLAUSE if has_comma(node) => {
                let at = node.named_child(0).map_or(start, |n| n.start_byte());
                self.parser(
                    at,
                    "multiple exception types must be parenthesized".to_owned(),
                );
            }
            kinds::RAISE_STATEMENT => {
                let list = node
                    .named_children()
                    .find(|child| child.kind() == kinds::EXPRESSION_LIST);
                if let Some(list) = list {
                    self.parser(list.start_byte(), "invalid syntax".to_owned());
                }
            }
            kinds::EXPRESSION_STATEMENT => match node.named_child(0) {
                Some(expr) if expr.kind() == kinds::NAMED_EXPRESSION => {
                    self.parser(expr.start_byte(), "invalid syntax".to_owned());
                }
                Some(expr) if expr.kind() == kinds::LIST_SPLAT => {
                    self.parser(start, "can't use starred expression here".to_owned());
                }
                _ => {}
            },
            kinds::ASSIGNMENT => {
                let side = |field| node.child_by_field_name(field).map(|n| n.kind());
                let chained = node.parent().is_some_and(|p| p.kind() == kinds::ASSIGNMENT);
                if chained && let Some(annotation) = node.child_by_field_name("type") {
                    // `x = y: int`: an annotated assignment cannot be a value.
                    let colon = self.text[..annotation.start_byte()].rfind(':');
                    self.parser(colon.unwrap_or(start), "invalid syntax".to_owned());
                } else if side("left") == Some(kinds::LIST_SPLAT_PATTERN) {
                    self.parser(
                        start,
                        "starred assignment target must be in a list or tuple".to_owned(),
                    );
                } else if side("right") == Some(kinds::LIST_SPLAT) {
                    self.parser(start, "can't use starred expression here".to_owned());
                }
            }
            kinds::AUGMENTED_ASSIGNMENT => {
                let target = match node.child_by_field_name("left") {
                    Some(left) if left.kind() == kinds::PATTERN_LIST => Some("tuple"),
                    Some(left) if left.kind() == kinds::LIST_PATTERN => Some("list"),
                    // `(a) += 1` is a name in parentheses; `(a, b) += 1` a tuple.
                    Some(left) if left.kind() == kinds::TUPLE_PATTERN && has_comma(left) => {
                        Some("tuple")
                    }
                    _ => None,
                };
                if let Some(target) = target {
                    self.parser(
                        start,
                        format!("'{target}' is an illegal expression for augmented assignment"),
                    );
                }
            }
            // `[x for x in a, b]`, `f(x for x in a, b)`
            kinds::FOR_IN_CLAUSE if has_comma(node) => {
                self.parser(start, "invalid syntax".to_owned());
            }
            kinds::FOR_IN_CLAUSE
                if node
                    .children()
                    .next()
                    .is_some_and(|first| first.kind() == kinds::ASYNC_KEYWORD)
                    && self.async_context(start) != AsyncContext::Allowed =>
            {
                self.compiler(start, ASYNC_COMPREHENSION.to_owned());
            }
            kinds::PARAMETERS | kinds::LAMBDA_PARAMETERS => self.parameters(node),
            kinds::ARGUMENT_LIST => self.arguments(node),
            kinds::FUNCTION_DEFINITION => {
                let is_async = node
                    .children()
                    .any(|child| child.kind() == kinds::ASYNC_KEYWORD);
                self.enter(node, ScopeKind::Function { is_async });
            }
            kinds::LAMBDA => self.enter(node, ScopeKind::Lambda),
            kind if kinds::COMPREHENSIONS.contains(&kind) => self.scopes.push(Scope {
                start,
                end: node.end_byte(),
                kind: ScopeKind::Comprehension {
                    generator: kind == kinds::GENERATOR_EXPRESSION,
                },
            }),
            kinds::CLASS_DEFINITION => self.enter(node, ScopeKind::Class),
            kinds::FOR_STATEMENT | kinds::WHILE_STATEMENT => self.enter(node, ScopeKind::Loop),
            kinds::RETURN_STATEMENT
                if !matches!(self.function(start), Some(ScopeKind::Function { .. })) =>
            {
                self.compiler(start, "'return' outside function".to_owned());
            }
            kinds::YIELD
                if !matches!(
                    self.function(start),
                    Some(
                        ScopeKind::Function { .. }
                            | ScopeKind::Lambda
                            | ScopeKind::Comprehension { .. }
                    )
                ) =>
            {
                self.compiler(start, "'yield' outside function".to_owned());
            }
            kinds::AWAIT => match self.async_context(start) {
                AsyncContext::Allowed => {}
                AsyncContext::Outside {
                    comprehension: true,
                    ..
                } => self.compiler(start, ASYNC_COMPREHENSION.to_owned()),
                AsyncContext::Outside {
                    in_function: true, ..
                } => self.compiler(start, "'await' outside async function".to_owned()),
                AsyncContext::Outside { .. } => {
                    self.compiler(start, "'await' outside function".to_owned());
                }
            },
            kinds::BREAK_STATEMENT | kinds::CONTINUE_STATEMENT => {
                let in_loop = self
                    .innermost(start, |kind| {
                        !matches!(kind, ScopeKind::Lambda | ScopeKind::Comprehension { .. })
                    })
                    .is_some_and(|kind| kind == ScopeKind::Loop);
                if !in_loop {
                    let reason = if node.kind() == kinds::BREAK_STATEMENT {
                        "'break' outside loop"
                    } else {
                        "'continue' not properly in loop"
                    };
                    self.compiler(start, reason.to_owned());
                }
            }
            kinds::NONLOCAL_STATEMENT => {
                let in_function = self
                    .scopes
                    .iter()
                    .any(|scope| matches!(scope.kind, ScopeKind::Function { .. }));
                if !in_function {
                    let reason = match (self.function(start), node.named_child(0)) {
                        (Some(ScopeKind::Class), Some(name)) => format!(
                            "no binding for nonlocal '{}' found",
                            &self.text[name.byte_range()]
                        ),
                        _ => "nonlocal declaration not allowed at module level".to_owned(),
                    };
                    self.compiler(start, reason);
                }
            }
            kinds::IMPORT_FROM_STATEMENT => {
                let star = node
                    .named_children()
                    .any(|child| child.kind() == kinds::WILDCARD_IMPORT);
                if star && self.function(start).is_some() {
                    self.compiler(start, "import * only allowed at module level".to_owned());
                }
                // `from m import a.b`: the names imported from a module are plain names.
                let dotted = node
                    .children_by_field_name("name")
                    .map(|name| match name.kind() {
                        kinds::ALIASED_IMPORT => name.child_by_field_name("name").unwrap_or(name),
                        _ => name,
                    })
                    .find(|name| name.kind() == kinds::DOTTED_NAME && name.named_child_count() > 1);
                if let Some(name) = dotted {
                    let dot = name
                        .named_child(0)
                        .map_or(name.start_byte(), |first| first.end_byte());
                    self.parser(dot, "invalid syntax".to_owned());
                }
                // `from m import a,` with no parentheses (tree-sitter ends the statement there).
                let last = node.children().filter(|child| !child.is_extra()).last();
                let parenthesized = self.text[start..node.end_byte()].contains('(');
                if let Some(comma) = last.filter(|last| last.kind() == ",")
                    && !parenthesized
                {
                    self.parser(
                        comma.start_byte(),
                        "trailing comma not allowed without surrounding parentheses".to_owned(),
                    );
                }
            }
            kinds::FUTURE_IMPORT_STATEMENT => self.future_import(node),
            _ => {}
        }
    }

    /// `async` and `await` are keywords, never names.
    fn identifier(&mut self, node: Node<'t>) {
        let name = &self.text[node.byte_range()];
        if name == "async" || name == "await" {
            self.parser(node.start_byte(), "invalid syntax".to_owned());
        }
    }

    fn parser(&mut self, offset: usize, reason: String) {
        if self
            .findings
            .parser
            .as_ref()
            .is_none_or(|error| offset < error.offset)
        {
            self.findings.parser = Some(SyntaxError::new(offset, reason));
        }
    }

    fn compiler(&mut self, offset: usize, reason: String) {
        if self
            .findings
            .compiler
            .as_ref()
            .is_none_or(|error| offset < error.offset)
        {
            self.findings.compiler = Some(SyntaxError::new(offset, reason));
        }
    }

    /// Opens the scope of `node`'s body.
    fn enter(&mut self, node: Node<'t>, kind: ScopeKind) {
        if let Some(body) = node.child_by_field_name("body") {
            self.scopes.push(Scope {
                start: body.start_byte(),
                end: body.end_byte(),
                kind,
            });
        }
    }

    /// The innermost scope around `offset` whose kind passes `accept`.
    fn innermost(&self, offset: usize, accept: impl Fn(ScopeKind) -> bool) -> Option<ScopeKind> {
        self.scopes
            .iter()
            .rev()
            .filter(|scope| scope.start <= offset)
            .map(|scope| scope.kind)
            .find(|kind| accept(*kind))
    }

    /// Whether `await` or `async for` may stand at `offset`.
    fn async_context(&self, offset: usize) -> AsyncContext {
        let mut comprehension = false;
        for scope in self
            .scopes
            .iter()
            .rev()
            .filter(|scope| scope.start <= offset)
        {
            match scope.kind {
                ScopeKind::Loop => {}
                ScopeKind::Comprehension { generator: true } => return AsyncContext::Allowed,
                ScopeKind::Comprehension { generator: false } => comprehension = true,
                ScopeKind::Function { is_async: true } => return AsyncContext::Allowed,
                ScopeKind::Function { .. } | ScopeKind::Lambda => {
                    return AsyncContext::Outside {
                        comprehension,
                        in_function: true,
                    };
                }
                ScopeKind::Class => break,
            }
        }
        AsyncContext::Outside {
            comprehension,
            in_function: false,
        }
    }

    /// The innermost function, lambda, class or comprehension around `offset`; `None` at module
    /// level.
    fn function(&self, offset: usize) -> Option<ScopeKind> {
        self.innermost(offset, |kind| kind != ScopeKind::Loop)
    }

    /// Tuple parameters (Python 2), a parameter without a default after one with a default, and
    /// a name given twice.
    fn parameters(&mut self, node: Node<'t>) {
        let lambda = node.kind() == kinds::LAMBDA_PARAMETERS;
        let mut names = std::mem::take(&mut self.names);
        names.clear();
        let mut default_seen = false;
        let mut star_seen = false;
        for child in node.named_children() {
            // Comments and `\` continuations are extras; error nodes are reported themselves.
            if child.is_extra() || child.is_error() || child.is_missing() {
                continue;
            }
            let start = child.start_byte();
            let (name, has_default, star) = match child.kind() {
                kinds::TUPLE_PATTERN => {
                    let reason = if lambda {
                        "Lambda expression parameters cannot be parenthesized"
                    } else {
                        "Function parameters cannot be parenthesized"
                    };
                    self.parser(start, reason.to_owned());
                    continue;
                }
                kinds::IDENTIFIER => (Some(child), false, false),
                kinds::DEFAULT_PARAMETER | kinds::TYPED_DEFAULT_PARAMETER => {
                    (child.child_by_field_name("name"), true, false)
                }
                kinds::TYPED_PARAMETER => match child.named_child(0) {
                    Some(inner) if is_splat_pattern(inner) => (inner.named_child(0), false, true),
                    inner => (inner, false, false),
                },
                kinds::LIST_SPLAT_PATTERN | kinds::DICTIONARY_SPLAT_PATTERN => {
                    (child.named_child(0), false, true)
                }
                kinds::KEYWORD_SEPARATOR => (None, false, true),
                _ => (None, false, false),
            };
            star_seen |= star;
            if has_default {
                default_seen = true;
            } else if default_seen && !star_seen && name.is_some() {
                self.parser(
                    start,
                    "parameter without a default follows parameter with a default".to_owned(),
                );
            }
            if let Some(name) = name.filter(|name| name.kind() == kinds::IDENTIFIER) {
                names.push((&self.text[name.byte_range()], name.start_byte()));
            }
        }
        if let Some((name, offset)) = first_repeated(&mut names) {
            self.compiler(
                offset,
                format!("duplicate argument '{name}' in function definition"),
            );
        }
        self.names = names;
    }

    /// Positional arguments after keyword ones, `*x` after `**y`, a keyword given twice.
    fn arguments(&mut self, node: Node<'t>) {
        let mut names = std::mem::take(&mut self.names);
        names.clear();
        let mut keyword_seen = false;
        let mut double_star_seen = false;
        for child in node.named_children() {
            // Comments and `\` continuations are extras; error nodes are reported themselves.
            if child.is_extra() || child.is_error() || child.is_missing() {
                continue;
            }
            let start = child.start_byte();
            match child.kind() {
                kinds::KEYWORD_ARGUMENT => {
                    keyword_seen = true;
                    if let Some(name) = child.child_by_field_name("name") {
                        names.push((&self.text[name.byte_range()], name.start_byte()));
                    }
                }
                kinds::DICTIONARY_SPLAT => double_star_seen = true,
                kinds::LIST_SPLAT if double_star_seen => self.parser(
                    start,
                    "iterable argument unpacking follows keyword argument unpacking".to_owned(),
                ),
                kinds::LIST_SPLAT => {}
                _ if double_star_seen => self.parser(
                    start,
                    "positional argument follows keyword argument unpacking".to_owned(),
                ),
                _ if keyword_seen => self.parser(
                    start,
                    "positional argument follows keyword argument".to_owned(),
                ),
                _ => {}
            }
        }
        if let Some((name, offset)) = first_repeated(&mut names) {
            self.compiler(offset, format!("keyword argument repeated: {name}"));
        }
        self.names = names;
    }

    /// A `from __future__` import must come first, and name a known feature.
    fn future_import(&mut self, node: Node<'t>) {
        let start = node.start_byte();
        if start >= self.future_end {
            return self.compiler(
                start,
                "from __future__ imports must occur at the beginning of the file".to_owned(),
            );
        }
        for name in node.children_by_field_name("name") {
            let feature = match name.kind() {
                kinds::ALIASED_IMPORT => name.child_by_field_name("name"),
                _ => Some(name),
            };
            let Some(feature) = feature else { continue };
            let text = &self.text[feature.byte_range()];
            if text == "braces" {
                self.compiler(feature.start_byte(), "not a chance".to_owned());
            } else if !FUTURE_FEATURES.contains(&text) {
                self.compiler(
                    feature.start_byte(),
                    format!("future feature {text} is not defined"),
                );
            }
        }
    }
}

/// Whether a comma is a child of `node` itself (not of an element).
fn has_comma<'t>(node: Node<'t>) -> bool {
    node.children().any(|child| child.kind() == kinds::COMMA)
}

fn missing_parentheses(name: &str) -> String {
    format!("Missing parentheses in call to '{name}'. Did you mean {name}(...)?")
}

fn is_splat_pattern(node: Node<'_>) -> bool {
    matches!(
        node.kind(),
        kinds::LIST_SPLAT_PATTERN | kinds::DICTIONARY_SPLAT_PATTERN
    )
}

/// The second occurrence (in source order) of a name given twice, if any.
fn first_repeated<'t>(names: &mut [(&'t str, usize)]) -> Option<(&'t str, usize)> {
    if names.len() < 2 {
        return None;
    }
    names.sort_unstable();
    names
        .windows(2)
        .filter(|pair| pair[0].0 == pair[1].0)
        .map(|pair| pair[1])
        .min_by_key(|(_, offset)| *offset)
}

/// Where the module's leading docstring, comments and `from __future__` imports end.
fn future_imports_end(root: Node<'_>, text: &str) -> usize {
    let mut docstring_allowed = true;
    for child in root.named_children() {
        if child.is_extra() {
            continue;
        }
        match child.kind() {
            kinds::FUTURE_IMPORT_STATEMENT => {}
            kinds::EXPRESSION_STATEMENT if docstring_allowed && is_docstring(child, text) => {}
            _ => return child.start_byte(),
        }
        docstring_allowed = false;
    }
    text.len()
}

fn is_docstring(statement: Node<'_>, text: &str) -> bool {
    let Some(expr) = statement.named_child(0) else {
        return false;
    };
    statement.named_child_count() == 1
        && matches!(expr.kind(), kinds::STRING | kinds::CONCATENATED_STRING)
        && !text[expr.byte_range()].starts_with(['f', 'F'])
}

#[cfg(test)]
mod tests {
    use crate::SourceFile;

    /// The first error of `text`, as `(line, reason)`.
    fn error(text: &str) -> Option<(usize, String)> {
        let file = SourceFile::parse(text);
        let error = file.first_syntax_error()?;
        Some((file.line_column(error.offset).line, error.reason))
    }

    fn reason(text: &str) -> String {
        error(text)
            .unwrap_or_else(|| panic!("no error in {text:?}"))
            .1
    }

    fn assert_clean(text: &str) {
        assert_eq!(error(text), None, "{text:?}");
    }

    #[test]
    fn more_of_what_tree_sitter_takes_and_cpython_refuses() {
        assert_eq!(reason("def f(a: B: str):\n    pass\n"), "invalid syntax");
        // Python 3.12's type parameters may be bounded.
        assert_clean("def f[T: int](x: T): pass\nclass A[T: (int, str)]: pass\n");
        assert_eq!(
            reason("x = {'k': *v}\n"),
            "cannot use a starred expression in a dictionary value"
        );
        assert_clean("x = {'k': v, **w}\ny = [*v]\nf(*a)\n");
        assert_eq!(
            reason("from m import a, #c\n(b, c)\n"),
            "trailing comma not allowed without surrounding parentheses"
        );
        assert_clean("from m import (a,\n    b,)\n");
    }

    #[test]
    fn names_imported_from_a_module_are_not_dotted() {
        assert_eq!(
            reason("from pyspark.sql import Sp.rddarkSession\n"),
            "invalid syntax"
        );
        assert_eq!(reason("from m import a, b.c as d\n"), "invalid syntax");
        assert_clean("from a.b import c as d, e\nimport f.g as h\nfrom . import i\n");
    }

    #[test]
    fn an_annotated_assignment_is_not_a_value() {
        let file = SourceFile::parse("x = 1\nclicks = cl:icks.groupBy('page').count()\n");
        let error = file.first_syntax_error().expect("CPython refuses it");
        assert_eq!(error.reason, "invalid syntax");
        assert_eq!(file.line_column(error.offset).column, 12);
        assert_clean("x: int = 1\ny = z = 2\n");
    }

    #[test]
    fn walrus_in_parentheses_where_cpython_wants_them() {
        for text in [
            "x = y := 1\n",
            "x: int = y := 1\n",
            "f = lambda: x := 1\n",
            "f(a=x:=1)\n",
            "def f():\n    return x := 1\n",
            "def g(a=x:=1): pass\n",
            "x = 1, y := 2\n",
            "x += y := 1\n",
            "raise x := E()\n",
            "assert x := 1\n",
        ] {
            assert_eq!(reason(text), "invalid syntax", "{text:?}");
        }
        assert_clean("f(x := 1)\na[x:=1]\n[x := 1]\nif x := 1: pass\ny = (x := 1)\n");
    }

    #[test]
    fn as_only_where_cpython_takes_it() {
        for text in [
            "x = a.b as F\n",
            "print(a as b)\n",
            "with f(a as b):\n    pass\n",
            "try:\n    pass\nexcept (E as e):\n    pass\n",
        ] {
            assert_eq!(reason(text), "invalid syntax", "{text:?}");
        }
        assert_eq!(
            reason("with a as b, (c as d):\n    pass\n"),
            "invalid syntax"
        );
        assert_clean("with (open(p) as f, g as h):\n    pass\n");
        assert_clean("with (a as b):\n    pass\nwith (a as b,):\n    pass\n");
        assert_clean("try:\n    pass\nexcept E as e:\n    pass\n");
        assert_clean("match x:\n    case [1, (2 as y)] as z:\n        pass\n");
        assert_clean("import a.b as c\nfrom d import e as f\n");
    }

    #[test]
    fn a_missing_hidden_token_is_an_error() {
        // tree-sitter recovers with a missing newline it does not show as a node.
        let file = SourceFile::parse("spark = 1\ns.persist()park = 2\n");
        let error = file.first_syntax_error().expect("CPython refuses it");
        assert_eq!(error.reason, "invalid syntax");
        let position = file.line_column(error.offset);
        assert_eq!((position.line, position.column), (2, 12));
        assert_clean("a = 1; b = 2\n");
    }

    #[test]
    fn python_2_statements() {
        let print = "Missing parentheses in call to 'print'. Did you mean print(...)?";
        assert_eq!(reason("print \"x\"\n"), print);
        assert_eq!(error("x = 1\nprint x, y\n"), Some((2, print.to_owned())));
        assert_eq!(
            reason("exec \"code\" in d\n"),
            "Missing parentheses in call to 'exec'. Did you mean exec(...)?"
        );
        assert_eq!(
            error("try:\n    pass\nexcept E, e:\n    pass\n"),
            Some((
                3,
                "multiple exception types must be parenthesized".to_owned()
            ))
        );
        assert_eq!(reason("raise E, 'message'\n"), "invalid syntax");
        assert_eq!(
            reason("def f(a, (b, c)):\n    pass\n"),
            "Function parameters cannot be parenthesized"
        );
        assert_eq!(
            reason("f = lambda (a, b): a\n"),
            "Lambda expression parameters cannot be parenthesized"
        );
        // Python 3 spellings of the same.
        assert_clean("print(x)\nprint (x, y)\nprint\nexec('code')\nraise E('m')\n");
        assert_clean("try:\n    pass\nexcept (A, B) as e:\n    pass\n");
        assert_eq!(
            reason("try:\n    x = 1\ny = 2\n"),
            "expected 'except' or 'finally' block"
        );
        assert_clean("try:\n    pass\nfinally:\n    pass\ntry:\n    pass\nexcept* E:\n    pass\n");
        // `print >>f, x` is a Python 3 expression too (a tuple), which compiles.
        assert_clean("import sys\nprint >>sys.stderr, 'x'\n");
    }

    #[test]
    fn keywords_are_not_names() {
        assert_eq!(reason("async = 1\n"), "invalid syntax");
        assert_eq!(reason("f(async=True)\n"), "invalid syntax");
        assert_clean("async def f():\n    await g()\n    async with a:\n        pass\n");
        assert_clean("match = 1\nmatch x:\n    case 1:\n        pass\ntype = print\n");
    }

    #[test]
    fn arguments_and_parameters_in_order() {
        assert_eq!(
            reason("f(a=1, b)\n"),
            "positional argument follows keyword argument"
        );
        assert_eq!(
            reason("f(**k, a)\n"),
            "positional argument follows keyword argument unpacking"
        );
        assert_eq!(
            reason("f(**x, *y)\n"),
            "iterable argument unpacking follows keyword argument unpacking"
        );
        assert_eq!(
            reason("class A(metaclass=M, B):\n    pass\n"),
            "positional argument follows keyword argument"
        );
        assert_eq!(reason("f(a=1, a=2)\n"), "keyword argument repeated: a");
        assert_eq!(
            reason("def f(a=1, b):\n    pass\n"),
            "parameter without a default follows parameter with a default"
        );
        assert_eq!(
            reason("def f(a, *, a):\n    pass\n"),
            "duplicate argument 'a' in function definition"
        );
        assert_clean("f(a, *b, c, d=1, *e, **g, h=2)\nf(x for x in y)\n");
        assert_clean("f(a=1,  # note\n  b=2,\\\n  **c)\n");
        assert_clean("def f(a, b=1, /, c=2, *args, d, e=1, **kw):\n    pass\n");
        assert_clean("def f(*, a=1, b):\n    pass\ng = lambda a, b=1, *c, d: 0\n");
    }

    #[test]
    fn statements_no_rule_accepts() {
        assert_eq!(reason("x := 1\n"), "invalid syntax");
        assert_eq!(reason("*a\n"), "can't use starred expression here");
        assert_eq!(reason("x = *a\n"), "can't use starred expression here");
        assert_eq!(
            reason("*a = 1\n"),
            "starred assignment target must be in a list or tuple"
        );
        assert_eq!(
            reason("a, b += 1\n"),
            "'tuple' is an illegal expression for augmented assignment"
        );
        assert_eq!(reason("[x for x in 1, 2]\n"), "invalid syntax");
        assert_clean("(x := 1)\na, *b = c\n*a, = c\nx = *a, b\n(a) += 1\na.b += 1\n");
        assert_clean("[x for a, b in c]\n");
    }

    #[test]
    fn compiler_checks() {
        assert_eq!(reason("return 1\n"), "'return' outside function");
        assert_eq!(
            error("def f():\n    class A:\n        return 1\n"),
            Some((3, "'return' outside function".to_owned()))
        );
        assert_eq!(reason("x = yield 1\n"), "'yield' outside function");
        assert_eq!(reason("await x\n"), "'await' outside function");
        assert_eq!(
            reason("def f():\n    await x\n"),
            "'await' outside async function"
        );
        // `await` and `async for` in a comprehension: a generator expression may hold them
        // anywhere, the other comprehensions only in an asynchronous function.
        let async_comprehension = "asynchronous comprehension outside of an asynchronous function";
        for text in [
            "[x async for x in y]\n",
            "def f():\n    return [x async for x in y]\n",
            "async def f():\n    def g():\n        return {x async for x in y}\n",
            "async def f():\n    lambda: [x async for x in y]\n",
            "[await x for x in y]\n",
            "def f():\n    {k: await v for k, v in y}\n",
        ] {
            assert_eq!(reason(text), async_comprehension, "{text:?}");
        }
        for text in [
            "(x async for x in y)\n",
            "def f():\n    return (await x for x in y)\n",
            "async def f():\n    return [x async for x in y]\n",
            "async def f():\n    [[await x for x in y] for z in w]\n",
        ] {
            assert_clean(text);
        }
        assert_eq!(reason("break\n"), "'break' outside loop");
        assert_eq!(
            reason("for x in y:\n    pass\nelse:\n    continue\n"),
            "'continue' not properly in loop"
        );
        assert_eq!(
            reason("while 1:\n    def g():\n        break\n"),
            "'break' outside loop"
        );
        assert_eq!(
            reason("nonlocal x\n"),
            "nonlocal declaration not allowed at module level"
        );
        assert_eq!(
            reason("def f():\n    from os import *\n"),
            "import * only allowed at module level"
        );
        assert_eq!(
            reason("import os\nfrom __future__ import division\n"),
            "from __future__ imports must occur at the beginning of the file"
        );
        assert_eq!(reason("from __future__ import braces\n"), "not a chance");
        assert_eq!(
            reason("from __future__ import nope\n"),
            "future feature nope is not defined"
        );
        assert_clean(
            "\"\"\"Doc.\"\"\"\n# comment\nfrom __future__ import (division,\n    print_function)\n\
             from __future__ import annotations as a\nimport os\n",
        );
        assert_clean(
            "def f():\n    for x in y:\n        try:\n            break\n        finally:\n\
             \x20           continue\n    return (yield)\n",
        );
        assert_clean(
            "def f():\n    x = 1\n    def g():\n        nonlocal x\n    g = lambda: (yield)\n",
        );
        assert_clean("async def f():\n    return [await x async for x in y]\n");
        assert_clean("def f(n):\n    return (i for i in range(n) if await g(i))\n");
        assert_clean("class A:\n    x = [i for i in range(3)]\n    while x:\n        break\n");
    }

    #[test]
    fn parser_errors_rank_before_compiler_errors() {
        // `return` outside a function comes first, but CPython reports the parser's error.
        assert_eq!(error("return 1\nprint 'x'\n").unwrap().0, 2);
        // A tokenizer error wins over a parser error wherever it is.
        assert_eq!(
            error("print 'a'\nx = 0777\n").unwrap(),
            (
                2,
                "leading zeros in decimal integer literals are not permitted; use an 0o prefix \
                 for octal integers"
                    .to_owned()
            )
        );
        // Error and missing nodes of the tree are parser errors too.
        assert_eq!(
            error("x = 1\ndef f(a b):\n    pass\n").unwrap(),
            (2, "invalid syntax".to_owned())
        );
        assert_eq!(reason("for x in :\n  pass\n"), "invalid syntax");
        assert_eq!(reason("class A(B:\n    pass\n"), "'(' was never closed");
    }
}
