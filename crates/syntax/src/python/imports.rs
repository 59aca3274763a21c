//! `import` and `from .. import` statements, `__future__` imports included.

use super::{Marker, Parsed, Parser};

impl Parser<'_> {
    pub(super) fn import_statement(&mut self) -> Parsed {
        let node = self.start();
        self.bump(0)?;
        self.import_names()?;
        self.complete(node, self.ids.import_statement);
        Ok(())
    }

    /// `a.b as c, d`: each in the `name` field.
    pub(super) fn import_names(&mut self) -> Parsed {
        loop {
            let item = self.start();
            let dotted = self.dotted_name()?;
            if self.at("as") {
                self.set_field(dotted, self.ids.f_name);
                self.bump(0)?;
                self.identifier(self.ids.f_alias)?;
                let item = self.complete(item, self.ids.aliased_import);
                self.set_field(item, self.ids.f_name);
            } else {
                super::events::abandon(&mut self.events, item);
                self.set_field(dotted, self.ids.f_name);
            }
            if !self.at(",") {
                return Ok(());
            }
            self.bump(0)?;
            if !self.at_identifier() {
                return Ok(());
            }
        }
    }

    pub(super) fn dotted_name(&mut self) -> Parsed<Marker> {
        let node = self.start();
        self.identifier(0)?;
        while self.at(".") {
            self.bump(0)?;
            self.identifier(0)?;
        }
        Ok(self.complete(node, self.ids.dotted_name))
    }

    pub(super) fn import_from_statement(&mut self) -> Parsed {
        let node = self.start();
        self.bump(0)?;
        let future = self.at("__future__");
        if future {
            self.bump(0)?;
        } else if self.at(".") {
            let relative = self.start();
            let prefix = self.start();
            while self.at(".") {
                self.bump(0)?;
            }
            self.complete(prefix, self.ids.import_prefix);
            if self.at_identifier() {
                self.dotted_name()?;
            }
            let relative = self.complete(relative, self.ids.relative_import);
            self.set_field(relative, self.ids.f_module_name);
        } else if self.at("...") {
            return Err("relative import with an ellipsis");
        } else {
            let module = self.dotted_name()?;
            self.set_field(module, self.ids.f_module_name);
        }
        self.expect("import")?;
        if self.at("*") {
            if future {
                return Err("star future import");
            }
            let star = self.start();
            self.bump(0)?;
            self.complete(star, self.ids.wildcard_import);
        } else if self.at("(") {
            self.bump(0)?;
            self.import_names()?;
            self.expect(")")?;
        } else {
            self.import_names()?;
            if self.tokens_before_end_is_comma() {
                return Err("trailing comma without parentheses");
            }
        }
        let kind = if future {
            self.ids.future_import_statement
        } else {
            self.ids.import_from_statement
        };
        self.complete(node, kind);
        Ok(())
    }

    /// Whether the token before the next one is a comma.
    pub(super) fn tokens_before_end_is_comma(&self) -> bool {
        self.at > 0 && {
            let index = self.significant[self.at - 1] as usize;
            self.text_of(self.tokens[index]) == ","
        }
    }
}
