//! Atoms and displays: names, numbers, strings and f-strings, parenthesized forms, tuples,
//! lists, sets, dictionaries, comprehensions, `yield`, and expression lists.

use super::lexer::Kind;
use super::{Marker, Parsed, Parser};

impl Parser<'_> {
    pub(super) fn at_comprehension(&self) -> bool {
        self.at("for") || (self.at("async") && self.nth(1) == "for")
    }

    /// `for x in y if c ...` after a comprehension's body.
    pub(super) fn comprehension_clauses(&mut self) -> Parsed {
        while self.at_comprehension() || self.at("if") {
            if self.at("if") {
                let clause = self.start();
                self.bump(0)?;
                self.or_test()?;
                if self.at("else") {
                    return Err("conditional in a comprehension's condition");
                }
                self.complete(clause, self.ids.if_clause);
                continue;
            }
            let clause = self.start();
            if self.at("async") {
                self.bump(0)?;
            }
            self.bump(0)?;
            self.targets(self.ids.f_left)?;
            self.expect("in")?;
            if self.at("lambda") {
                return Err("lambda in a comprehension's iterable");
            }
            self.or_test_field(self.ids.f_right)?;
            if self.at(",") || self.at("else") {
                return Err("unusual comprehension iterable");
            }
            self.complete(clause, self.ids.for_in_clause);
        }
        Ok(())
    }

    pub(super) fn or_test_field(&mut self, field: u8) -> Parsed {
        let node = self.or_test()?;
        self.set_field(node, field);
        Ok(())
    }

    /// The atoms: names, literals, displays, parenthesized forms.
    pub(super) fn atom(&mut self) -> Parsed<Marker> {
        let token = self.token(0);
        match token.kind {
            Kind::Name => {
                let kind = match self.nth(0) {
                    "True" => self.ids.r#true,
                    "False" => self.ids.r#false,
                    "None" => self.ids.none,
                    _ if self.at_identifier() => self.ids.identifier,
                    _ => return Err("keyword where an expression was expected"),
                };
                Ok(self.bump_named(kind, 0))
            }
            Kind::Integer | Kind::Float => {
                let kind = if token.kind == Kind::Integer {
                    self.ids.integer
                } else {
                    self.ids.float
                };
                Ok(self.bump_named(kind, 0))
            }
            Kind::StringStart => self.strings(),
            Kind::Op => match self.nth(0) {
                "(" => self.parenthesized(),
                "[" => self.list_display(),
                "{" => self.brace_display(),
                "..." => Ok(self.bump_named(self.ids.ellipsis, 0)),
                _ => Err("unexpected operator"),
            },
            _ => Err("unexpected token"),
        }
    }

    /// One or more adjacent strings.
    pub(super) fn strings(&mut self) -> Parsed<Marker> {
        let first = self.string()?;
        if self.kind(0) != Kind::StringStart {
            return Ok(first);
        }
        let concatenated = self.precede(first);
        while self.kind(0) == Kind::StringStart {
            self.string()?;
        }
        Ok(self.complete(concatenated, self.ids.concatenated_string))
    }

    pub(super) fn string(&mut self) -> Parsed<Marker> {
        let string = self.start();
        self.bump_named(self.ids.string_start, 0);
        loop {
            match self.kind(0) {
                Kind::StringEnd => {
                    self.bump_named(self.ids.string_end, 0);
                    return Ok(self.complete(string, self.ids.string));
                }
                Kind::StringText
                | Kind::EscapeSequence
                | Kind::EscapeInterpolation
                | Kind::Backslash => {
                    let content = self.start();
                    loop {
                        match self.kind(0) {
                            Kind::StringText => self.bump_hidden(),
                            Kind::EscapeSequence => {
                                self.bump_named(self.ids.escape_sequence, 0);
                            }
                            Kind::Backslash => {
                                let kind = self.ids.anonymous("\\").ok_or("unknown token")?;
                                self.bump_as(kind, false, 0);
                            }
                            Kind::EscapeInterpolation => {
                                self.bump_named(self.ids.escape_interpolation, 0);
                            }
                            _ => break,
                        }
                    }
                    self.complete(content, self.ids.string_content);
                }
                Kind::Op if self.at("{") => {
                    self.interpolation(self.ids.interpolation)?;
                }
                _ => return Err("unexpected token in a string"),
            }
        }
    }

    /// An f-string's `{expression=!r:spec}`.
    pub(super) fn interpolation(&mut self, kind: u16) -> Parsed {
        self.enter()?;
        let node = self.start();
        self.bump(0)?;
        if self.at("yield") || self.at("*") {
            return Err("unusual f-string field");
        }
        let first = self.expression(0)?;
        if self.at(",") {
            let list = self.precede(first);
            while self.at(",") {
                self.bump(0)?;
                if self.at("}") {
                    break;
                }
                self.expression(0)?;
            }
            let list = self.complete(list, self.ids.expression_list);
            self.set_field(list, self.ids.f_expression);
        } else {
            self.set_field(first, self.ids.f_expression);
        }
        if self.at("=") {
            self.bump(0)?;
        }
        if self.kind(0) == Kind::TypeConversion {
            self.bump_named(self.ids.type_conversion, self.ids.f_type_conversion);
        }
        if self.at(":") {
            let spec = self.start();
            self.bump(0)?;
            loop {
                match self.kind(0) {
                    Kind::FormatText => self.bump_hidden(),
                    Kind::Op if self.at("{") => self.interpolation(self.ids.format_expression)?,
                    _ => break,
                }
            }
            let spec = self.complete(spec, self.ids.format_specifier);
            self.set_field(spec, self.ids.f_format_specifier);
        }
        self.expect("}")?;
        self.complete(node, kind);
        self.leave();
        Ok(())
    }

    /// `(..)`: a tuple, a parenthesized expression or a generator expression.
    pub(super) fn parenthesized(&mut self) -> Parsed<Marker> {
        self.enter()?;
        let node = self.start();
        self.bump(0)?;
        if self.at(")") {
            self.bump(0)?;
            self.leave();
            return Ok(self.complete(node, self.ids.tuple));
        }
        if self.at("yield") {
            self.yield_expression()?;
            self.expect(")")?;
            self.leave();
            return Ok(self.complete(node, self.ids.parenthesized_expression));
        }
        let starred = self.at("*");
        let first = self.element()?;
        if self.at(")") {
            if starred {
                return Err("parenthesized starred expression");
            }
            self.bump(0)?;
            self.leave();
            return Ok(self.complete(node, self.ids.parenthesized_expression));
        }
        if !starred && self.at_comprehension() {
            self.set_field(first, self.ids.f_body);
            self.comprehension_clauses()?;
            self.expect(")")?;
            self.leave();
            return Ok(self.complete(node, self.ids.generator_expression));
        }
        self.rest_of_elements(")")?;
        self.leave();
        Ok(self.complete(node, self.ids.tuple))
    }

    /// An element of a display: an expression, `*x`, or `yield` in a tuple.
    pub(super) fn element(&mut self) -> Parsed<Marker> {
        if self.at("*") {
            if self.nth(1) == "(" {
                return Err("starred parentheses");
            }
            if self.kind(1) == Kind::Name && matches!(self.nth(2), "." | "(" | "[") {
                // tree-sitter reads `*a.b` as `(*a).b`.
                return Err("starred name with a trailer");
            }
            let splat = self.start();
            self.bump(0)?;
            self.expression(0)?;
            return Ok(self.complete(splat, self.ids.list_splat));
        }
        if self.at("yield") {
            return Err("yield in a display");
        }
        self.expression(0)
    }

    /// `, b, c` up to and including `close`, after a display's first element.
    pub(super) fn rest_of_elements(&mut self, close: &str) -> Parsed {
        while self.at(",") {
            self.bump(0)?;
            if self.at(close) {
                break;
            }
            self.element()?;
        }
        self.expect(close)
    }

    pub(super) fn list_display(&mut self) -> Parsed<Marker> {
        self.enter()?;
        let node = self.start();
        self.bump(0)?;
        if self.at("]") {
            self.bump(0)?;
            self.leave();
            return Ok(self.complete(node, self.ids.list));
        }
        let starred = self.at("*");
        let first = self.element()?;
        if !starred && self.at_comprehension() {
            self.set_field(first, self.ids.f_body);
            self.comprehension_clauses()?;
            self.expect("]")?;
            self.leave();
            return Ok(self.complete(node, self.ids.list_comprehension));
        }
        self.rest_of_elements("]")?;
        self.leave();
        Ok(self.complete(node, self.ids.list))
    }

    /// `{..}`: a dictionary, a set, or their comprehensions.
    pub(super) fn brace_display(&mut self) -> Parsed<Marker> {
        self.enter()?;
        let node = self.start();
        self.bump(0)?;
        if self.at("}") {
            self.bump(0)?;
            self.leave();
            return Ok(self.complete(node, self.ids.dictionary));
        }
        if self.at("**") {
            self.dictionary_items()?;
            self.leave();
            return Ok(self.complete(node, self.ids.dictionary));
        }
        let starred = self.at("*");
        let first = self.element()?;
        if !starred && self.at(":") {
            let pair = self.precede(first);
            self.set_field(first, self.ids.f_key);
            self.bump(0)?;
            self.expression(self.ids.f_value)?;
            let pair = self.complete(pair, self.ids.pair);
            if self.at_comprehension() {
                self.set_field(pair, self.ids.f_body);
                self.comprehension_clauses()?;
                self.expect("}")?;
                self.leave();
                return Ok(self.complete(node, self.ids.dictionary_comprehension));
            }
            if self.at(",") {
                self.bump(0)?;
            }
            self.dictionary_items()?;
            self.leave();
            return Ok(self.complete(node, self.ids.dictionary));
        }
        if !starred && self.at_comprehension() {
            self.set_field(first, self.ids.f_body);
            self.comprehension_clauses()?;
            self.expect("}")?;
            self.leave();
            return Ok(self.complete(node, self.ids.set_comprehension));
        }
        self.rest_of_elements("}")?;
        self.leave();
        Ok(self.complete(node, self.ids.set))
    }

    /// `key: value` and `**d` items up to the closing `}`.
    pub(super) fn dictionary_items(&mut self) -> Parsed {
        while !self.at("}") {
            if self.at("**") {
                let splat = self.start();
                self.bump(0)?;
                self.expression(0)?;
                self.complete(splat, self.ids.dictionary_splat);
            } else {
                let pair = self.start();
                self.expression(self.ids.f_key)?;
                self.expect(":")?;
                self.expression(self.ids.f_value)?;
                self.complete(pair, self.ids.pair);
            }
            if !self.at(",") {
                break;
            }
            self.bump(0)?;
        }
        self.expect("}")
    }

    /// `yield`, `yield x`, `yield a, b`, `yield from x`.
    pub(super) fn yield_expression(&mut self) -> Parsed<Marker> {
        let node = self.start();
        self.bump(0)?;
        if self.at("from") {
            self.bump(0)?;
            self.expression(0)?;
        } else if !self.at_expression_end() {
            self.expressions(0)?;
        }
        Ok(self.complete(node, self.ids.r#yield))
    }

    /// Whether the next token ends an expression list (nothing more to read).
    pub(super) fn at_expression_end(&self) -> bool {
        matches!(self.kind(0), Kind::Newline | Kind::End)
            || matches!(self.nth(0), ")" | "]" | "}" | ";" | "=" | ":")
    }

    /// `_expressions`: one expression, or an `expression_list` when commas follow.
    pub(super) fn expressions(&mut self, field: u8) -> Parsed<Marker> {
        let starred = self.at("*");
        let first = self.element()?;
        if !self.at(",") {
            if starred {
                // `return *a`, `for x in *a:`: CPython wants a tuple.
                return Err("starred expression alone");
            }
            self.set_field(first, field);
            return Ok(first);
        }
        let list = self.precede(first);
        while self.at(",") {
            self.bump(0)?;
            if self.at_expression_end() {
                break;
            }
            self.element()?;
        }
        let list = self.complete(list, self.ids.expression_list);
        self.set_field(list, field);
        Ok(list)
    }
}
