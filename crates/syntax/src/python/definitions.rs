//! Definitions: functions and their parameters, classes and their superclasses, decorators,
//! and type annotations (tree-sitter's `type`, `generic_type` and `union_type`).

use super::lexer::Kind;
use super::{Marker, Parsed, Parser};

impl Parser<'_> {
    /// A type annotation: `type`, holding an expression or `Name[..]` (a `generic_type`).
    pub(super) fn annotation(&mut self, field: u8) -> Parsed {
        self.enter()?;
        let node = if self.at_identifier() && self.nth(1) == "[" {
            // `A[x] | None`: a union type. Longer unions nest in ways this parser leaves to
            // tree-sitter.
            let mut node = self.generic_type()?;
            if self.at("|") {
                let simple = matches!(self.kind(1), Kind::Name)
                    && (matches!(self.nth(2), "=" | "," | ")" | "]" | ":")
                        || self.kind(2) == Kind::Newline);
                if !simple {
                    return Err("an unusual union type");
                }
                let union = self.precede(node);
                self.bump(0)?;
                let right = self.start();
                self.expression(0)?;
                self.complete(right, self.ids.r#type);
                let union = self.complete(union, self.ids.union_type);
                let wrapper = self.precede(union);
                node = self.complete(wrapper, self.ids.r#type);
            }
            if !matches!(self.nth(0), "=" | "," | ")" | "]" | ":")
                && !matches!(self.kind(0), Kind::Newline)
            {
                return Err("an unusual generic type");
            }
            node
        } else {
            let node = self.start();
            if matches!(self.nth(0), "*" | "**") {
                return Err("a starred type");
            }
            self.expression(0)?;
            if self.at(":") && field == 0 {
                return Err("a constrained type");
            }
            self.complete(node, self.ids.r#type)
        };
        self.set_field(node, field);
        self.leave();
        Ok(())
    }

    /// `Name[types]` as a `type` holding a `generic_type`.
    pub(super) fn generic_type(&mut self) -> Parsed<Marker> {
        let node = self.start();
        self.generic_type_inner()?;
        Ok(self.complete(node, self.ids.r#type))
    }

    pub(super) fn generic_type_inner(&mut self) -> Parsed {
        let generic = self.start();
        self.identifier(0)?;
        let parameters = self.start();
        self.bump(0)?;
        self.comma_list("]", |p| p.annotation(0))?;
        self.complete(parameters, self.ids.type_parameter);
        self.complete(generic, self.ids.generic_type);
        Ok(())
    }

    pub(super) fn function_definition(&mut self, outer: Option<Marker>) -> Parsed<Marker> {
        let node = outer.unwrap_or_else(|| self.start());
        if self.at("async") {
            self.bump(0)?;
        }
        self.expect("def")?;
        self.identifier(self.ids.f_name)?;
        if self.at("[") {
            return Err("type parameters");
        }
        let parameters = self.start();
        self.expect("(")?;
        self.parameter_list(")", false)?;
        self.expect(")")?;
        let parameters = self.complete(parameters, self.ids.parameters);
        self.set_field(parameters, self.ids.f_parameters);
        if self.at("->") {
            self.bump(0)?;
            self.annotation(self.ids.f_return_type)?;
        }
        self.expect(":")?;
        self.suite(self.ids.f_body)?;
        Ok(self.complete(node, self.ids.function_definition))
    }

    /// Parameters up to `close` (`)` for a function, `:` for a lambda), which is left unread.
    pub(super) fn parameter_list(&mut self, close: &str, lambda: bool) -> Parsed {
        while !self.at(close) {
            self.parameter(lambda)?;
            if !self.at(",") {
                break;
            }
            self.bump(0)?;
        }
        Ok(())
    }

    pub(super) fn parameter(&mut self, lambda: bool) -> Parsed {
        match self.nth(0) {
            "*" | "**" if self.kind(0) == Kind::Op => {
                let double = self.at("**");
                if !double && matches!(self.nth(1), "," | ")" | ":") {
                    let separator = self.start();
                    self.bump(0)?;
                    self.complete(separator, self.ids.keyword_separator);
                    return Ok(());
                }
                let node = self.start();
                self.bump(0)?;
                self.identifier(0)?;
                let kind = if double {
                    self.ids.dictionary_splat_pattern
                } else {
                    self.ids.list_splat_pattern
                };
                let splat = self.complete(node, kind);
                if self.at(":") && !lambda {
                    let typed = self.precede(splat);
                    self.bump(0)?;
                    self.annotation(self.ids.f_type)?;
                    self.complete(typed, self.ids.typed_parameter);
                }
                Ok(())
            }
            "/" if self.kind(0) == Kind::Op => {
                let separator = self.start();
                self.bump(0)?;
                self.complete(separator, self.ids.positional_separator);
                Ok(())
            }
            _ => {
                let node = self.start();
                let name = self.bump_identifier()?;
                if self.at(":") && !lambda {
                    self.set_field(name, 0);
                    self.bump(0)?;
                    self.annotation(self.ids.f_type)?;
                    if self.at("=") {
                        self.set_field(name, self.ids.f_name);
                        self.bump(0)?;
                        self.expression(self.ids.f_value)?;
                        self.complete(node, self.ids.typed_default_parameter);
                    } else {
                        self.complete(node, self.ids.typed_parameter);
                    }
                } else if self.at("=") {
                    self.set_field(name, self.ids.f_name);
                    self.bump(0)?;
                    self.expression(self.ids.f_value)?;
                    self.complete(node, self.ids.default_parameter);
                } else {
                    // A bare name: no wrapper node.
                    super::events::abandon(&mut self.events, node);
                }
                Ok(())
            }
        }
    }

    pub(super) fn bump_identifier(&mut self) -> Parsed<Marker> {
        if !self.at_identifier() {
            return Err("expected a name");
        }
        Ok(self.bump_named(self.ids.identifier, 0))
    }

    pub(super) fn class_definition(&mut self) -> Parsed {
        self.class_definition_in(None)?;
        Ok(())
    }

    pub(super) fn class_definition_in(&mut self, outer: Option<Marker>) -> Parsed<Marker> {
        let node = outer.unwrap_or_else(|| self.start());
        self.expect("class")?;
        self.identifier(self.ids.f_name)?;
        if self.at("[") {
            return Err("type parameters");
        }
        if self.at("(") {
            self.superclasses()?;
        }
        self.expect(":")?;
        self.suite(self.ids.f_body)?;
        Ok(self.complete(node, self.ids.class_definition))
    }

    /// A class's `(..)`: an argument list in the `superclasses` field.
    pub(super) fn superclasses(&mut self) -> Parsed {
        let call_like = self.start();
        self.bump(0)?;
        while !self.at(")") {
            if self.at("*") || self.at("**") || self.at("(") {
                return Err("unusual superclasses");
            }
            if self.kind(0) == Kind::Name && self.nth(1) == "=" {
                let argument = self.start();
                self.identifier(self.ids.f_name)?;
                self.bump(0)?;
                self.expression(self.ids.f_value)?;
                self.complete(argument, self.ids.keyword_argument);
            } else {
                self.expression(0)?;
            }
            if !self.at(",") {
                break;
            }
            self.bump(0)?;
        }
        self.expect(")")?;
        let list = self.complete(call_like, self.ids.argument_list);
        self.set_field(list, self.ids.f_superclasses);
        Ok(())
    }

    pub(super) fn decorated_definition(&mut self) -> Parsed {
        let node = self.start();
        while self.at("@") {
            let decorator = self.start();
            self.bump(0)?;
            self.expression(0)?;
            self.expect_kind(Kind::Newline)?;
            self.complete(decorator, self.ids.decorator);
        }
        let definition = if self.at("class") {
            self.class_definition_in(None)?
        } else if self.at("def") || (self.at("async") && self.nth(1) == "def") {
            self.function_definition(None)?
        } else {
            return Err("decorator before a statement that is not a definition");
        };
        self.set_field(definition, self.ids.f_definition);
        self.complete(node, self.ids.decorated_definition);
        Ok(())
    }
}
