//! Statements, blocks, assignment targets (tree-sitter's patterns), parameters, annotations and
//! imports.

use super::lexer::Kind;
use super::{Marker, Parsed, Parser};

const AUGMENTED: [&str; 13] = [
    "+=", "-=", "*=", "/=", "@=", "//=", "%=", "**=", ">>=", "<<=", "&=", "^=", "|=",
];

/// What follows the first part of a statement at bracket depth 0.
#[derive(PartialEq, Eq)]
enum Shape {
    Assignment,
    Annotated,
    Augmented,
    Expression,
}

impl Parser<'_> {
    pub(super) fn statement(&mut self) -> Parsed {
        self.enter()?;
        let result = match self.nth(0) {
            "if" => self.if_statement(),
            "for" => self.for_statement(),
            "while" => self.while_statement(),
            "try" => self.try_statement(),
            "with" => self.with_statement(),
            "def" => self.function_definition(None).map(drop),
            "class" => self.class_definition(),
            "@" => self.decorated_definition(),
            "async" => match self.nth(1) {
                "def" => self.function_definition(None).map(drop),
                "for" => self.for_statement(),
                "with" => self.with_statement(),
                _ => Err("unexpected async"),
            },
            _ if self.kind(0) == Kind::Op && self.at("@") => self.decorated_definition(),
            _ => self.simple_statements(),
        };
        self.leave();
        result
    }

    /// Simple statements separated by `;`, up to the newline (hidden, in the parent).
    fn simple_statements(&mut self) -> Parsed {
        loop {
            self.simple_statement()?;
            if !self.at(";") {
                break;
            }
            self.bump(0)?;
            if self.kind(0) == Kind::Newline {
                break;
            }
        }
        self.expect_kind(Kind::Newline)
    }

    fn simple_statement(&mut self) -> Parsed {
        if self.kind(0) != Kind::Name {
            return self.expression_statement();
        }
        let keyword_statement = |p: &mut Self, kind: u16| -> Parsed {
            let node = p.start();
            p.bump(0)?;
            p.complete(node, kind);
            Ok(())
        };
        match self.nth(0) {
            "pass" => keyword_statement(self, self.ids.pass_statement),
            "break" => keyword_statement(self, self.ids.break_statement),
            "continue" => keyword_statement(self, self.ids.continue_statement),
            "return" => {
                let node = self.start();
                self.bump(0)?;
                if !self.at_statement_end() {
                    self.expressions(0)?;
                }
                self.complete(node, self.ids.return_statement);
                Ok(())
            }
            "del" => {
                let node = self.start();
                self.bump(0)?;
                self.expressions(0)?;
                self.complete(node, self.ids.delete_statement);
                Ok(())
            }
            "raise" => {
                let node = self.start();
                self.bump(0)?;
                if !self.at_statement_end() && !self.at("from") {
                    self.expressions(0)?;
                }
                if self.at("from") {
                    self.bump(0)?;
                    self.expression(self.ids.f_cause)?;
                }
                self.complete(node, self.ids.raise_statement);
                Ok(())
            }
            "global" | "nonlocal" => {
                let kind = if self.at("global") {
                    self.ids.global_statement
                } else {
                    self.ids.nonlocal_statement
                };
                let node = self.start();
                self.bump(0)?;
                self.identifier(0)?;
                while self.at(",") {
                    self.bump(0)?;
                    self.identifier(0)?;
                }
                self.complete(node, kind);
                Ok(())
            }
            "assert" => {
                let node = self.start();
                self.bump(0)?;
                self.expression(0)?;
                while self.at(",") {
                    self.bump(0)?;
                    self.expression(0)?;
                }
                self.complete(node, self.ids.assert_statement);
                Ok(())
            }
            "import" => self.import_statement(),
            "from" => self.import_from_statement(),
            "print" | "exec" if !matches!(self.nth(1), "(" | "=" | "." | ")") => {
                Err("print or exec statement")
            }
            // tree-sitter reads `type(x).y = z` as a type alias, `match (x):` as a match.
            "match" | "type"
                if !matches!(self.nth(1), "=" | ".") || self.at("type") && self.at_type_dot() =>
            {
                Err("match or type statement")
            }
            _ => self.expression_statement(),
        }
    }

    /// `type.x = ..`: still a type alias for tree-sitter when an `=` follows.
    pub(super) fn at_type_dot(&self) -> bool {
        self.nth(1) == "."
    }

    pub(super) fn at_statement_end(&self) -> bool {
        matches!(self.kind(0), Kind::Newline | Kind::End) || self.at(";")
    }

    /// The first of `=`, `:` or an augmented assignment at bracket depth 0 in this statement.
    fn statement_shape(&self) -> Parsed<Shape> {
        let mut depth = 0usize;
        let mut strings = 0usize;
        let mut ahead = 0;
        loop {
            let token = self.token(ahead);
            match token.kind {
                Kind::Newline | Kind::End if strings == 0 => return Ok(Shape::Expression),
                Kind::StringStart => strings += 1,
                Kind::StringEnd => strings -= 1,
                Kind::Indent | Kind::Dedent | Kind::End | Kind::Newline => {
                    return Err("statement shape");
                }
                Kind::Op | Kind::Name if strings == 0 => match self.text_of(token) {
                    "(" | "[" | "{" => depth += 1,
                    ")" | "]" | "}" => depth = depth.saturating_sub(1),
                    "=" if depth == 0 => return Ok(Shape::Assignment),
                    ":" if depth == 0 => return Ok(Shape::Annotated),
                    ";" if depth == 0 => return Ok(Shape::Expression),
                    "lambda" if depth == 0 => return Ok(Shape::Expression),
                    op if depth == 0 && AUGMENTED.contains(&op) => return Ok(Shape::Augmented),
                    _ => {}
                },
                _ => {}
            }
            ahead += 1;
        }
    }

    fn expression_statement(&mut self) -> Parsed {
        if self.at("*") {
            return Err("starred expression statement");
        }
        let statement = self.start();
        if self.at("yield") {
            self.yield_expression()?;
        } else {
            match self.statement_shape()? {
                Shape::Expression => {
                    self.element()?;
                    while self.at(",") {
                        self.bump(0)?;
                        if self.at_statement_end() {
                            break;
                        }
                        self.element()?;
                    }
                }
                _ => {
                    self.assignment()?;
                }
            }
        }
        self.complete(statement, self.ids.expression_statement);
        Ok(())
    }

    /// `targets = value`, `target: type = value`, `target += value`; chains nest on the right.
    fn assignment(&mut self) -> Parsed<Marker> {
        self.enter()?;
        let shape = self.statement_shape()?;
        let node = self.start();
        self.targets(self.ids.f_left)?;
        let kind = match shape {
            Shape::Assignment => {
                self.expect("=")?;
                self.right_hand_side()?;
                self.ids.assignment
            }
            Shape::Annotated => {
                self.expect(":")?;
                self.annotation(self.ids.f_type)?;
                if self.at("=") {
                    self.bump(0)?;
                    self.right_hand_side()?;
                }
                self.ids.assignment
            }
            Shape::Augmented => {
                if !AUGMENTED.contains(&self.nth(0)) {
                    return Err("expected an augmented assignment");
                }
                self.bump(self.ids.f_operator)?;
                self.right_hand_side()?;
                self.ids.augmented_assignment
            }
            Shape::Expression => return Err("not an assignment"),
        };
        self.leave();
        Ok(self.complete(node, kind))
    }

    fn right_hand_side(&mut self) -> Parsed {
        if self.at("yield") {
            let node = self.yield_expression()?;
            self.set_field(node, self.ids.f_right);
            return Ok(());
        }
        if self.statement_shape()? != Shape::Expression {
            let node = self.assignment()?;
            self.set_field(node, self.ids.f_right);
            return Ok(());
        }
        if self.at("*") {
            return Err("starred value");
        }
        self.expressions(self.ids.f_right)?;
        Ok(())
    }

    /// Assignment and `for` targets: a pattern, or a `pattern_list` when commas follow.
    pub(super) fn targets(&mut self, field: u8) -> Parsed {
        let first = self.pattern()?;
        if !self.at(",") {
            self.set_field(first, field);
            return Ok(());
        }
        let list = self.precede(first);
        while self.at(",") {
            self.bump(0)?;
            if matches!(self.nth(0), "=" | "in" | ":") || AUGMENTED.contains(&self.nth(0)) {
                break;
            }
            self.pattern()?;
        }
        let list = self.complete(list, self.ids.pattern_list);
        self.set_field(list, field);
        Ok(())
    }

    /// One target: a name, an attribute, a subscript, `*x`, or `(..)` and `[..]` of targets.
    pub(super) fn pattern(&mut self) -> Parsed<Marker> {
        self.enter()?;
        let result = self.pattern_inner();
        self.leave();
        result
    }

    fn pattern_inner(&mut self) -> Parsed<Marker> {
        match self.nth(0) {
            "(" | "[" if self.kind(0) == Kind::Op => {
                let close = if self.at("(") { ")" } else { "]" };
                let kind = if self.at("(") {
                    self.ids.tuple_pattern
                } else {
                    self.ids.list_pattern
                };
                let node = self.start();
                self.bump(0)?;
                while !self.at(close) {
                    self.pattern()?;
                    if !self.at(",") {
                        break;
                    }
                    self.bump(0)?;
                }
                self.expect(close)?;
                if matches!(self.nth(0), "." | "[" | "(") {
                    return Err("a parenthesized target with a trailer");
                }
                Ok(self.complete(node, kind))
            }
            "*" if self.kind(0) == Kind::Op => {
                if self.kind(1) == Kind::Name && matches!(self.nth(2), "." | "(" | "[") {
                    // tree-sitter reads `*a.b` as `(*a).b`.
                    return Err("starred name with a trailer");
                }
                let node = self.start();
                self.bump(0)?;
                self.simple_target()?;
                Ok(self.complete(node, self.ids.list_splat_pattern))
            }
            _ => self.simple_target(),
        }
    }

    /// A name, an attribute or a subscript.
    pub(super) fn simple_target(&mut self) -> Parsed<Marker> {
        let target = self.primary()?;
        let kind = self.kind_of(target);
        if kind == self.ids.identifier || kind == self.ids.attribute || kind == self.ids.subscript {
            Ok(target)
        } else {
            Err("an expression that is not a target")
        }
    }

    /// The suite after a compound statement's `:`: an indented block (its `INDENT` in the
    /// statement, its `DEDENT` in the block) or simple statements on the same line.
    pub(super) fn suite(&mut self, field: u8) -> Parsed {
        if self.kind(0) == Kind::Indent {
            self.bump_hidden();
            let block = self.start();
            while self.kind(0) != Kind::Dedent {
                if self.kind(0) == Kind::End {
                    return Err("block left open");
                }
                self.statement()?;
            }
            self.bump_hidden();
            let block = self.complete(block, self.ids.block);
            self.set_field(block, field);
            return Ok(());
        }
        if matches!(self.kind(0), Kind::Newline | Kind::End) {
            return Err("missing block");
        }
        let block = self.start();
        self.simple_statements()?;
        let block = self.complete(block, self.ids.block);
        self.set_field(block, field);
        Ok(())
    }

    fn if_statement(&mut self) -> Parsed {
        let node = self.start();
        self.bump(0)?;
        self.expression(self.ids.f_condition)?;
        self.expect(":")?;
        self.suite(self.ids.f_consequence)?;
        while self.at("elif") {
            let clause = self.start();
            self.bump(0)?;
            self.expression(self.ids.f_condition)?;
            self.expect(":")?;
            self.suite(self.ids.f_consequence)?;
            let clause = self.complete(clause, self.ids.elif_clause);
            self.set_field(clause, self.ids.f_alternative);
        }
        if self.at("else") {
            let clause = self.else_clause()?;
            self.set_field(clause, self.ids.f_alternative);
        }
        self.complete(node, self.ids.if_statement);
        Ok(())
    }

    pub(super) fn else_clause(&mut self) -> Parsed<Marker> {
        let clause = self.start();
        self.bump(0)?;
        self.expect(":")?;
        self.suite(self.ids.f_body)?;
        Ok(self.complete(clause, self.ids.else_clause))
    }

    fn for_statement(&mut self) -> Parsed {
        let node = self.start();
        if self.at("async") {
            self.bump(0)?;
        }
        self.expect("for")?;
        self.targets(self.ids.f_left)?;
        self.expect("in")?;
        self.expressions(self.ids.f_right)?;
        self.loop_rest(node, self.ids.for_statement)
    }

    /// A loop's `: body` and `else: ..`.
    fn loop_rest(&mut self, node: Marker, kind: u16) -> Parsed {
        self.expect(":")?;
        self.suite(self.ids.f_body)?;
        if self.at("else") {
            let clause = self.else_clause()?;
            self.set_field(clause, self.ids.f_alternative);
        }
        self.complete(node, kind);
        Ok(())
    }

    fn while_statement(&mut self) -> Parsed {
        let node = self.start();
        self.bump(0)?;
        self.expression(self.ids.f_condition)?;
        self.loop_rest(node, self.ids.while_statement)
    }

    fn try_statement(&mut self) -> Parsed {
        let node = self.start();
        self.bump(0)?;
        self.expect(":")?;
        self.suite(self.ids.f_body)?;
        let mut handled = false;
        while self.at("except") {
            handled = true;
            let clause = self.start();
            self.bump(0)?;
            if self.at("*") {
                return Err("except*");
            }
            if !self.at(":") {
                let value = self.expression(self.ids.f_value)?;
                if self.at("as") {
                    self.as_pattern(value)?;
                } else if self.at(",") {
                    return Err("except with a comma");
                }
            }
            self.expect(":")?;
            self.suite(0)?;
            self.complete(clause, self.ids.except_clause);
        }
        if self.at("else") {
            self.else_clause()?;
        }
        if self.at("finally") {
            handled = true;
            let clause = self.start();
            self.bump(0)?;
            self.expect(":")?;
            self.suite(0)?;
            self.complete(clause, self.ids.finally_clause);
        }
        if !handled {
            return Err("try without except or finally");
        }
        self.complete(node, self.ids.try_statement);
        Ok(())
    }

    /// `value as target` in an `except` clause or a `with` item: tree-sitter's `as_pattern`,
    /// which takes the `value` field from the expression before `as`.
    fn as_pattern(&mut self, value: Marker) -> Parsed {
        let pattern = self.precede(value);
        self.set_field(value, 0);
        self.bump(0)?;
        let target = self.start();
        self.expression(0)?;
        let target = self.complete(target, self.ids.as_pattern_target);
        self.set_field(target, self.ids.f_alias);
        let pattern = self.complete(pattern, self.ids.as_pattern);
        self.set_field(pattern, self.ids.f_value);
        Ok(())
    }

    fn with_statement(&mut self) -> Parsed {
        let node = self.start();
        if self.at("async") {
            self.bump(0)?;
        }
        self.expect("with")?;
        if self.at("(") {
            return Err("parenthesized with items");
        }
        let clause = self.start();
        loop {
            let item = self.start();
            let value = self.expression(self.ids.f_value)?;
            if self.at("as") {
                self.as_pattern(value)?;
            }
            self.complete(item, self.ids.with_item);
            if !self.at(",") {
                break;
            }
            self.bump(0)?;
        }
        self.complete(clause, self.ids.with_clause);
        self.expect(":")?;
        self.suite(self.ids.f_body)?;
        self.complete(node, self.ids.with_statement);
        Ok(())
    }
}
