//! Expressions, with tree-sitter-python's precedences (which put `&` below `^`, and `await` and
//! unary operators below `**`, as its grammar does), its node kinds and its fields.

use super::lexer::Kind;
use super::{Marker, Parsed, Parser};

/// Binary operators and their precedence in tree-sitter-python's grammar.
fn binary_precedence(op: &str) -> Option<u8> {
    Some(match op {
        "|" => 14,
        "&" => 15,
        "^" => 16,
        "<<" | ">>" => 17,
        "+" | "-" => 18,
        "*" | "@" | "/" | "%" | "//" => 19,
        "**" => 21,
        _ => return None,
    })
}

const UNARY: u8 = 20;

const COMPARISONS: [&str; 8] = ["<", "<=", "==", "!=", ">=", ">", "in", "is"];

impl Parser<'_> {
    /// `expression`: a lambda, a walrus, a conditional, or anything below.
    pub(super) fn expression(&mut self, field: u8) -> Parsed<Marker> {
        self.enter()?;
        let result = self.expression_inner(field);
        self.leave();
        result
    }

    pub(super) fn expression_inner(&mut self, field: u8) -> Parsed<Marker> {
        if self.at("lambda") {
            let lambda = self.lambda()?;
            self.set_field(lambda, field);
            return Ok(lambda);
        }
        let left = if self.at_identifier() && self.nth(1) == ":=" {
            // tree-sitter's walrus takes less than a conditional: `(x := a if b else c)` is
            // `(x := a) if b else c` in its tree.
            let walrus = self.start();
            self.identifier(self.ids.f_name)?;
            self.bump(0)?;
            if self.at("lambda") {
                return Err("lambda as a walrus value");
            }
            let value = self.or_test()?;
            self.set_field(value, self.ids.f_value);
            self.complete(walrus, self.ids.named_expression)
        } else {
            self.or_test()?
        };
        if self.at("if") {
            let conditional = self.precede(left);
            self.bump(0)?;
            self.or_test()?;
            self.expect("else")?;
            self.expression(0)?;
            let conditional = self.complete(conditional, self.ids.conditional_expression);
            self.set_field(conditional, field);
            return Ok(conditional);
        }
        self.set_field(left, field);
        Ok(left)
    }

    /// `lambda params: body`.
    pub(super) fn lambda(&mut self) -> Parsed<Marker> {
        let lambda = self.start();
        self.bump(0)?;
        if !self.at(":") {
            let parameters = self.start();
            self.parameter_list(":", true)?;
            let parameters = self.complete(parameters, self.ids.lambda_parameters);
            self.set_field(parameters, self.ids.f_parameters);
        }
        self.expect(":")?;
        self.expression(self.ids.f_body)?;
        Ok(self.complete(lambda, self.ids.lambda))
    }

    /// `a or b`, `a and b`: left-associative, `and` binding tighter.
    pub(super) fn or_test(&mut self) -> Parsed<Marker> {
        let mut left = self.and_test()?;
        while self.at("or") {
            self.set_field(left, self.ids.f_left);
            let node = self.precede(left);
            self.bump(self.ids.f_operator)?;
            let right = self.and_test()?;
            self.set_field(right, self.ids.f_right);
            left = self.complete(node, self.ids.boolean_operator);
        }
        Ok(left)
    }

    pub(super) fn and_test(&mut self) -> Parsed<Marker> {
        let mut left = self.not_test()?;
        while self.at("and") {
            self.set_field(left, self.ids.f_left);
            let node = self.precede(left);
            self.bump(self.ids.f_operator)?;
            let right = self.not_test()?;
            self.set_field(right, self.ids.f_right);
            left = self.complete(node, self.ids.boolean_operator);
        }
        Ok(left)
    }

    pub(super) fn not_test(&mut self) -> Parsed<Marker> {
        if self.at("not") {
            self.enter()?;
            let node = self.start();
            self.bump(0)?;
            let argument = self.not_test()?;
            self.set_field(argument, self.ids.f_argument);
            self.leave();
            return Ok(self.complete(node, self.ids.not_operator));
        }
        self.comparison()
    }

    /// `a < b == c`: one node with every operand and operator.
    pub(super) fn comparison(&mut self) -> Parsed<Marker> {
        let first = self.binary(0)?;
        let is_comparison =
            |p: &Self| COMPARISONS.contains(&p.nth(0)) || (p.at("not") && p.nth(1) == "in");
        if !is_comparison(self) {
            return Ok(first);
        }
        let node = self.precede(first);
        while is_comparison(self) {
            let two_words =
                (self.at("not") && self.nth(1) == "in") || (self.at("is") && self.nth(1) == "not");
            if two_words {
                let name = if self.at("not") { "not in" } else { "is not" };
                let operator = self.start();
                self.bump(0)?;
                self.bump(0)?;
                let kind = self.ids.anonymous(name).ok_or("unknown token")?;
                let operator = self.complete(operator, kind);
                super::events::set_anonymous(&mut self.events, operator);
                self.set_field(operator, self.ids.f_operators);
            } else {
                self.bump(self.ids.f_operators)?;
            }
            self.binary(0)?;
        }
        Ok(self.complete(node, self.ids.comparison_operator))
    }

    /// Binary operators of precedence `min` and above, by precedence climbing.
    pub(super) fn binary(&mut self, min: u8) -> Parsed<Marker> {
        self.enter()?;
        let mut left = self.unary()?;
        while let Some(precedence) = binary_precedence(self.nth(0)) {
            if precedence < min || self.kind(0) != Kind::Op {
                break;
            }
            self.set_field(left, self.ids.f_left);
            let node = self.precede(left);
            self.bump(self.ids.f_operator)?;
            // `**` is right-associative; the others left.
            let next = if precedence == 21 {
                precedence
            } else {
                precedence + 1
            };
            let right = self.binary(next)?;
            self.set_field(right, self.ids.f_right);
            left = self.complete(node, self.ids.binary_operator);
        }
        self.leave();
        Ok(left)
    }

    /// `-x`, `~x`, `await x`: their operand takes `**` with it (`-a ** b` is `-(a ** b)`).
    pub(super) fn unary(&mut self) -> Parsed<Marker> {
        if matches!(self.nth(0), "-" | "+" | "~") && self.kind(0) == Kind::Op {
            self.enter()?;
            let node = self.start();
            self.bump(self.ids.f_operator)?;
            let argument = self.binary(UNARY + 1)?;
            self.set_field(argument, self.ids.f_argument);
            self.leave();
            return Ok(self.complete(node, self.ids.unary_operator));
        }
        if self.at("await") {
            self.enter()?;
            let node = self.start();
            self.bump(0)?;
            self.binary(UNARY + 1)?;
            self.leave();
            return Ok(self.complete(node, self.ids.r#await));
        }
        self.primary()
    }

    /// An atom and its trailers: `.name`, `(..)`, `[..]`.
    pub(super) fn primary(&mut self) -> Parsed<Marker> {
        let mut node = self.atom()?;
        loop {
            match self.nth(0) {
                "." if self.kind(0) == Kind::Op => {
                    self.set_field(node, self.ids.f_object);
                    let attribute = self.precede(node);
                    self.bump(0)?;
                    self.identifier(self.ids.f_attribute)?;
                    node = self.complete(attribute, self.ids.attribute);
                }
                "(" if self.kind(0) == Kind::Op => {
                    self.set_field(node, self.ids.f_function);
                    let call = self.precede(node);
                    self.call_arguments()?;
                    node = self.complete(call, self.ids.call);
                }
                "[" if self.kind(0) == Kind::Op => {
                    self.set_field(node, self.ids.f_value);
                    let subscript = self.precede(node);
                    self.bump(0)?;
                    self.comma_list("]", Self::subscript_item)?;
                    node = self.complete(subscript, self.ids.subscript);
                }
                _ => return Ok(node),
            }
        }
    }

    /// One item between a subscript's brackets: an expression or a slice.
    pub(super) fn subscript_item(&mut self) -> Parsed {
        let is_slice_end = |p: &Self| matches!(p.nth(0), ":" | "," | "]");
        if self.at(":") {
            let slice = self.start();
            self.slice_rest()?;
            let slice = self.complete(slice, self.ids.slice);
            self.set_field(slice, self.ids.f_subscript);
            return Ok(());
        }
        let item = self.expression(0)?;
        if self.at(":") {
            let slice = self.precede(item);
            self.slice_rest()?;
            let slice = self.complete(slice, self.ids.slice);
            self.set_field(slice, self.ids.f_subscript);
        } else {
            if !is_slice_end(self) {
                return Err("unexpected token in a subscript");
            }
            self.set_field(item, self.ids.f_subscript);
        }
        Ok(())
    }

    /// From a slice's first `:`.
    pub(super) fn slice_rest(&mut self) -> Parsed {
        self.expect(":")?;
        if !matches!(self.nth(0), ":" | "," | "]") {
            self.expression(0)?;
        }
        if self.at(":") {
            self.bump(0)?;
            if !matches!(self.nth(0), "," | "]") {
                self.expression(0)?;
            }
        }
        Ok(())
    }

    /// A call's `(..)`: an argument list, or a lone generator expression.
    pub(super) fn call_arguments(&mut self) -> Parsed {
        let list = self.start();
        self.bump(0)?;
        let mut first = true;
        while !self.at(")") {
            match self.nth(0) {
                "*" | "**" if self.kind(0) == Kind::Op => {
                    if self.at("*") && self.nth(1) == "(" {
                        // `f(*(a))` and the like: tree-sitter's parenthesized splat.
                        return Err("starred parentheses");
                    }
                    if self.kind(1) == Kind::Name && matches!(self.nth(2), "." | "(" | "[") {
                        // tree-sitter reads `*a.b` as `(*a).b` (`**` too).
                        return Err("starred name with a trailer");
                    }
                    let splat = self.start();
                    let kind = if self.at("*") {
                        self.ids.list_splat
                    } else {
                        self.ids.dictionary_splat
                    };
                    self.bump(0)?;
                    self.expression(0)?;
                    self.complete(splat, kind);
                }
                _ if self.at_keyword_argument() => {
                    let argument = self.start();
                    self.bump_named(self.ids.identifier, self.ids.f_name);
                    self.bump(0)?;
                    self.expression(self.ids.f_value)?;
                    self.complete(argument, self.ids.keyword_argument);
                }
                _ => {
                    if self.at("(") && self.nth(1) == "*" {
                        return Err("starred parentheses");
                    }
                    let argument = self.expression(0)?;
                    if first && self.at_comprehension() {
                        // `f(x for x in y)`: the parentheses are the generator's.
                        self.set_field(argument, self.ids.f_body);
                        self.comprehension_clauses()?;
                        self.expect(")")?;
                        let generator = self.complete(list, self.ids.generator_expression);
                        self.set_field(generator, self.ids.f_arguments);
                        return Ok(());
                    }
                }
            }
            first = false;
            if !self.at(",") {
                break;
            }
            self.bump(0)?;
        }
        self.expect(")")?;
        let list = self.complete(list, self.ids.argument_list);
        self.set_field(list, self.ids.f_arguments);
        Ok(())
    }

    pub(super) fn at_keyword_argument(&self) -> bool {
        self.kind(0) == Kind::Name
            && self.nth(1) == "="
            && self.kind(1) == Kind::Op
            && (self.at_identifier() || matches!(self.nth(0), "print" | "exec"))
    }
}
