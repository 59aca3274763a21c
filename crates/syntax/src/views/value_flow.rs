//! Where the value of an expression goes: up through the expressions that only carry it into
//! text or arithmetic (parentheses, f-string interpolations, `%` and `+`, `str(..)`,
//! `"..".format(..)`, `round(..)`), to the statement that consumes it.
//!
//! The question behind it: does a number (a `count()`) only feed a log line? Then the job
//! could compute it in passing instead of scanning again for it.

use super::SyntaxNode;
use crate::kinds;

/// What finally receives an expression's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueSink<'t> {
    /// An argument of a logging call made as a statement: `print(..)`, `logger.info(..)`,
    /// `logging.warning(..)`, `log.debug(..)`, `self.logger.error(..)`.
    Logging { call: SyntaxNode<'t> },
    /// Bound by a plain assignment statement `name = <expression>` (one target, a name).
    Assigned {
        statement: SyntaxNode<'t>,
        name: &'t str,
    },
    /// Anything else: a condition, a return, a container, an attribute, another call...
    Other,
}

/// Calls that only turn a number into another number or into text.
const CARRYING_FUNCTIONS: &[&str] = &["str", "int", "float", "round", "abs", "format", "repr"];

/// Methods of a logger that write a log line.
const LOG_METHODS: &[&str] = &[
    "debug",
    "info",
    "warning",
    "warn",
    "error",
    "critical",
    "exception",
    "log",
    "fatal",
];

/// Names of logger objects: `logging`, `logger`, `log`, `LOGGER`, `_log`, `self.logger`,
/// `job_logger`...
fn is_logger_name(name: &str) -> bool {
    let name = name.trim_start_matches('_').to_ascii_lowercase();
    name == "logging" || name == "log" || name.ends_with("logger") || name.ends_with("_log")
}

impl<'t> SyntaxNode<'t> {
    /// Where this expression's value goes (see [`ValueSink`]).
    pub fn value_sink(&self) -> ValueSink<'t> {
        let mut current = *self;
        while let Some(parent) = current.parent() {
            let kind = parent.kind();
            match kind {
                k if k == kinds::PARENTHESIZED_EXPRESSION
                    || k == kinds::INTERPOLATION
                    || k == kinds::STRING
                    || k == kinds::CONCATENATED_STRING
                    || k == kinds::FORMAT_EXPRESSION
                    || k == kinds::BINARY_OPERATOR
                    || k == kinds::UNARY_OPERATOR
                    || k == kinds::KEYWORD_ARGUMENT && parent.field("value") == Some(current) =>
                {
                    current = parent;
                }
                k if k == kinds::ARGUMENT_LIST => {
                    let Some(call) = parent.parent().and_then(|call| call.as_call()) else {
                        return ValueSink::Other;
                    };
                    if is_logging_call(&call) {
                        let statement = call.syntax().parent();
                        return match statement {
                            Some(statement) if statement.is(kinds::EXPRESSION_STATEMENT) => {
                                ValueSink::Logging {
                                    call: call.syntax(),
                                }
                            }
                            _ => ValueSink::Other,
                        };
                    }
                    if !carries_value(&call) {
                        return ValueSink::Other;
                    }
                    current = call.syntax();
                }
                k if k == kinds::ASSIGNMENT => {
                    let target = parent.field("left");
                    let is_value = parent.field("right") == Some(current);
                    let statement = parent
                        .parent()
                        .filter(|s| s.is(kinds::EXPRESSION_STATEMENT));
                    return match (target.and_then(|t| t.as_name()), is_value, statement) {
                        (Some(name), true, Some(statement)) if parent.field("type").is_none() => {
                            ValueSink::Assigned { statement, name }
                        }
                        _ => ValueSink::Other,
                    };
                }
                _ => return ValueSink::Other,
            }
        }
        ValueSink::Other
    }
}

impl<'t> SyntaxNode<'t> {
    /// The later reads of `name`, bound by this assignment statement, in the scope that holds the
    /// statement (the enclosing function's body, else the module). `None` when they cannot all be
    /// told: the name is bound anywhere else in that scope (another assignment, an augmented
    /// one, a loop or `with` target, a `del`, a `global`), read before the statement, or read
    /// in a nested function, class or lambda.
    pub fn reads_after(&self, name: &str) -> Option<Vec<SyntaxNode<'t>>> {
        let scope = self.enclosing_scope();
        let mut reads = Vec::new();
        let mut walk = scope.preorder();
        while let Some(node) = walk.next() {
            let node = scope.with_node(node);
            if node != scope && node.is_definition() {
                if node
                    .descendants()
                    .any(|inner| inner.as_name() == Some(name))
                {
                    return None;
                }
                walk.skip_children();
                continue;
            }
            if node.is(kinds::GLOBAL_STATEMENT) || node.is(kinds::DELETE_STATEMENT) {
                if node
                    .descendants()
                    .any(|inner| inner.as_name() == Some(name))
                {
                    return None;
                }
                continue;
            }
            if node.as_name() != Some(name) {
                continue;
            }
            if self.range().contains(&node.start()) {
                // The statement's own target (and nothing else of it reads the name).
                let is_target = node.parent().is_some_and(|assignment| {
                    assignment.is(kinds::ASSIGNMENT) && assignment.field("left") == Some(node)
                });
                if !is_target {
                    return None;
                }
                continue;
            }
            if node.is_binding_target() || node.start() < self.start() {
                return None;
            }
            reads.push(node);
        }
        Some(reads)
    }

    /// The quote character of the innermost string literal this node is inside (an f-string
    /// interpolation), `None` outside strings. Before Python 3.12 an expression inside an
    /// f-string may not use that quote.
    pub fn enclosing_quote(&self) -> Option<char> {
        let mut current = *self;
        while let Some(parent) = current.parent() {
            if parent.is(kinds::STRING) {
                return parent.text().chars().find(|c| *c == '"' || *c == '\'');
            }
            current = parent;
        }
        None
    }

    /// The statement this node is part of that stands directly in a block or the module (the
    /// node itself when it is one).
    pub fn enclosing_statement(&self) -> Option<SyntaxNode<'t>> {
        let mut current = *self;
        loop {
            let parent = current.parent()?;
            if parent.is(kinds::BLOCK) || parent.is(kinds::MODULE) {
                return Some(current);
            }
            current = parent;
        }
    }

    /// The names this node binds anywhere inside it: assignment, augmented-assignment, `for`,
    /// comprehension and `with ... as` targets, and the names of nested definitions.
    pub fn bound_names(&self) -> Vec<&'t str> {
        let mut names: Vec<&'t str> = self
            .descendants()
            .filter(|node| node.as_name().is_some() && node.is_binding_target())
            .filter_map(|node| node.as_name())
            .collect();
        names.extend(
            self.descendants()
                .filter(|node| {
                    node.is(kinds::FUNCTION_DEFINITION) || node.is(kinds::CLASS_DEFINITION)
                })
                .filter_map(|node| node.field("name").and_then(|name| name.as_name())),
        );
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The body that holds this node's names: the nearest enclosing function, else the module.
    pub fn enclosing_scope(&self) -> SyntaxNode<'t> {
        let mut current = *self;
        while let Some(parent) = current.parent() {
            if parent.is(kinds::FUNCTION_DEFINITION) {
                return parent.field("body").unwrap_or(parent);
            }
            current = parent;
        }
        current
    }

    /// Whether this name is bound here rather than read: an assignment's target (also inside a
    /// tuple of targets), an augmented assignment, a `for` or `with ... as` target.
    pub fn is_binding_target(&self) -> bool {
        let mut current = *self;
        while let Some(parent) = current.parent() {
            if parent.is(kinds::ASSIGNMENT)
                || parent.is(kinds::FOR_STATEMENT)
                || parent.is(kinds::FOR_IN_CLAUSE)
            {
                return parent.field("left") == Some(current);
            }
            if parent.is(kinds::AUGMENTED_ASSIGNMENT) {
                return parent.field("left") == Some(current);
            }
            if parent.is(kinds::AS_PATTERN_TARGET) {
                return true;
            }
            if !(parent.is(kinds::PATTERN_LIST)
                || parent.is(kinds::TUPLE_PATTERN)
                || parent.is(kinds::LIST_PATTERN)
                || parent.is(kinds::TUPLE)
                || parent.is(kinds::LIST))
            {
                return false;
            }
            current = parent;
        }
        false
    }
}

/// `print(..)`, or a log method of a logger-named object.
fn is_logging_call(call: &super::Call<'_>) -> bool {
    if call.function().as_name() == Some("print") {
        return true;
    }
    let Some(attribute) = call.function().as_attribute() else {
        return false;
    };
    if !LOG_METHODS.contains(&attribute.name()) {
        return false;
    }
    let object = attribute.object();
    let object_name = object
        .as_name()
        .or_else(|| object.as_attribute().map(|inner| inner.name()));
    object_name.is_some_and(is_logger_name)
}

/// A call that hands its argument's value on as text or a number: `str(n)`, `round(x, 2)`,
/// `"{}".format(n)`, `f"{n:,}"` helpers.
fn carries_value(call: &super::Call<'_>) -> bool {
    if let Some(name) = call.function().as_name() {
        return CARRYING_FUNCTIONS.contains(&name);
    }
    call.function().as_attribute().is_some_and(|attribute| {
        attribute.name() == "format" && (attribute.object().unparenthesized().is_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SourceFile;

    /// The sink of the first `x.count()` call in `source`.
    fn sink_of(source: &str) -> String {
        let file = SourceFile::parse(source);
        let call = file
            .root()
            .descendants()
            .find(|node| {
                node.as_call()
                    .is_some_and(|call| call.callee_name() == Some("count"))
            })
            .expect("a count() call");
        match call.value_sink() {
            ValueSink::Logging { call } => format!("logging: {}", call.text()),
            ValueSink::Assigned { name, .. } => format!("assigned: {name}"),
            ValueSink::Other => "other".to_string(),
        }
    }

    #[test]
    fn log_lines_are_logging() {
        assert_eq!(sink_of("print(df.count())\n"), "logging: print(df.count())");
        assert_eq!(
            sink_of("print(f\"rows: {df.count()}\")\n"),
            "logging: print(f\"rows: {df.count()}\")"
        );
        assert_eq!(
            sink_of("print(f\"{df.count():,} rows\")\n"),
            "logging: print(f\"{df.count():,} rows\")"
        );
        assert_eq!(
            sink_of("logger.info(\"rows: %d\", df.count())\n"),
            "logging: logger.info(\"rows: %d\", df.count())"
        );
        assert_eq!(
            sink_of("logging.info(\"rows: \" + str(df.count()))\n"),
            "logging: logging.info(\"rows: \" + str(df.count()))"
        );
        assert_eq!(
            sink_of("self.logger.warning(\"{} rows\".format(df.count()))\n"),
            "logging: self.logger.warning(\"{} rows\".format(df.count()))"
        );
        assert_eq!(
            sink_of("print(\"rows: %d\" % (df.count() - 1))\n"),
            "logging: print(\"rows: %d\" % (df.count() - 1))"
        );
    }

    #[test]
    fn assignments_name_their_target() {
        assert_eq!(sink_of("total = df.count()\n"), "assigned: total");
        assert_eq!(sink_of("total = df.count() - 1\n"), "assigned: total");
        assert_eq!(sink_of("total: int = df.count()\n"), "other");
        assert_eq!(sink_of("a, b = df.count(), 1\n"), "other");
        assert_eq!(sink_of("self.total = df.count()\n"), "other");
    }

    /// The lines of the reads of the name the first `name = ...count()` binds.
    fn reads_of(source: &str) -> Option<Vec<usize>> {
        let file = SourceFile::parse(source);
        let call = file
            .root()
            .descendants()
            .find(|node| {
                node.as_call()
                    .is_some_and(|call| call.callee_name() == Some("count"))
            })
            .expect("a count() call");
        let ValueSink::Assigned { statement, name } = call.value_sink() else {
            panic!("not assigned");
        };
        statement.reads_after(name).map(|reads| {
            reads
                .iter()
                .map(|read| file.line_column(read.start()).line)
                .collect()
        })
    }

    #[test]
    fn reads_of_an_assigned_count() {
        let job = "total = df.count()\nprint(total)\nif x:\n    print(f'{total} rows')\n";
        assert_eq!(reads_of(job), Some(vec![2, 4]));
        let function = "def run(df):\n    total = df.count()\n    return total\ntotal = 3\n";
        assert_eq!(
            reads_of(function),
            Some(vec![3]),
            "the module's `total` is another name"
        );
        for unprovable in [
            "total = df.count()\ntotal = total + 1\n",
            "total = df.count()\ntotal += 1\n",
            "for total in range(3):\n    pass\ntotal = df.count()\n",
            "print(total)\ntotal = df.count()\n",
            "total = df.count()\ndef f():\n    return total\n",
            "total = df.count()\nreport = lambda: total\n",
            "total = df.count()\ndel total\n",
            "def f():\n    global total\n    total = df.count()\n",
            "total = df.count()\nwith open(p) as total:\n    pass\n",
            "total = df.count()\na, total = 1, 2\n",
        ] {
            assert_eq!(reads_of(unprovable), None, "{unprovable}");
        }
    }

    #[test]
    fn anything_else_is_other() {
        for source in [
            "if df.count() > 0:\n    pass\n",
            "return_value = [df.count()]\n",
            "assert df.count() > 0\n",
            "x = print(df.count())\n",
            "send(df.count())\n",
            "metrics.record(df.count())\n",
            "print(df.count() > 0 and 'rows')\n",
            "def f():\n    return df.count()\n",
            "spark.range(df.count())\n",
        ] {
            assert_eq!(sink_of(source), "other", "{source}");
        }
    }
}
