//! String literals as tree-sitter-python's scanner splits them: the prefix and opening quote,
//! text, escape sequences (a backslash that escapes nothing is a token of its own), `{{` and
//! `}}`, an f-string's replacement fields (lexed as code, with their conversion and format
//! specifier), and the end quote.

use super::{Kind, Lexer, Unsupported};

impl Lexer<'_> {
    /// A string literal whose prefix starts at `start` (its quote is at `self.pos`).
    pub(super) fn string(&mut self, start: usize) -> Result<(), Unsupported> {
        let prefix = self.text[start..self.pos].to_ascii_lowercase();
        let raw = prefix.contains(&b'r');
        let format = prefix.contains(&b'f') || prefix.contains(&b't');
        let bytes = prefix.contains(&b'b');
        let quote = self.peek(0);
        let triple = self.peek(1) == quote && self.peek(2) == quote;
        self.pos += if triple { 3 } else { 1 };
        self.push(Kind::StringStart, start, self.pos);
        self.line_has_tokens = true;
        let outer_depth = std::mem::replace(&mut self.depth, 0);
        let result = self.string_body(quote, triple, raw, format, bytes);
        self.depth = outer_depth;
        result
    }

    /// The scanner's string loop: text, escapes and (in f-strings) fields, up to the end quote.
    pub(super) fn string_body(
        &mut self,
        quote: u8,
        triple: bool,
        raw: bool,
        format: bool,
        bytes: bool,
    ) -> Result<(), Unsupported> {
        let mut text_start = self.pos;
        // tree-sitter's scanner counts text only when it steps over a character that is not a
        // raw string's backslash pair: `r"\""` has no content node.
        let mut has_content = false;
        let flush = |lexer: &mut Self, text_start: usize, has_content: bool| {
            if lexer.pos > text_start && has_content {
                lexer.push(Kind::StringText, text_start, lexer.pos);
            }
        };
        loop {
            let c = self.peek(0);
            if self.pos >= self.text.len() {
                return Err("string left open");
            }
            if format && (c == b'{' || c == b'}') {
                if self.pos > text_start && !has_content {
                    return Err("raw f-string backslashes before a brace");
                }
                flush(self, text_start, has_content);
                if self.peek(1) == c {
                    self.push(Kind::EscapeInterpolation, self.pos, self.pos + 2);
                    self.pos += 2;
                } else if c == b'}' {
                    return Err("single } in an f-string");
                } else {
                    self.field()?;
                }
                text_start = self.pos;
                has_content = false;
                continue;
            }
            if c == b'\\' {
                if raw {
                    self.pos += 1;
                    if self.peek(0) == quote || self.peek(0) == b'\\' {
                        self.pos += 1;
                    }
                    if self.peek(0) == b'\r' {
                        self.pos += 1;
                        if self.peek(0) == b'\n' {
                            self.pos += 1;
                        }
                    } else if self.peek(0) == b'\n' {
                        self.pos += 1;
                    }
                    continue;
                }
                if bytes && matches!(self.peek(1), b'N' | b'u' | b'U') {
                    self.pos += 2;
                    has_content = true;
                    continue;
                }
                flush(self, text_start, has_content);
                let escape = escape_length(&self.text[self.pos..]);
                if escape > 0 {
                    self.push(Kind::EscapeSequence, self.pos, self.pos + escape);
                    self.pos += escape;
                } else {
                    // A backslash that escapes nothing.
                    self.push(Kind::Backslash, self.pos, self.pos + 1);
                    self.pos += 1;
                }
                text_start = self.pos;
                has_content = false;
                continue;
            }
            if c == quote {
                let length = if triple { 3 } else { 1 };
                if !triple || (self.peek(1) == quote && self.peek(2) == quote) {
                    flush(self, text_start, has_content);
                    // Without content, the end token starts where the scanner did (`r"\""`).
                    let start = if has_content { self.pos } else { text_start };
                    self.push(Kind::StringEnd, start, self.pos + length);
                    self.pos += length;
                    return Ok(());
                }
            }
            if (c == b'\n' || c == b'\r') && !triple {
                return Err("line break in a one-line string");
            }
            if c == b'\r' && self.peek(1) != b'\n' {
                return Err("lone carriage return");
            }
            self.pos += 1;
            has_content = true;
        }
    }

    /// An f-string's replacement field, from its `{`.
    pub(super) fn field(&mut self) -> Result<(), Unsupported> {
        self.push(Kind::Op, self.pos, self.pos + 1);
        self.pos += 1;
        self.code(true)?;
        if self.peek(0) == b'=' {
            self.push(Kind::Op, self.pos, self.pos + 1);
            self.pos += 1;
        }
        if self.peek(0) == b'!' {
            if !self.peek(1).is_ascii_lowercase() {
                return Err("unusual conversion");
            }
            self.push(Kind::TypeConversion, self.pos, self.pos + 2);
            self.pos += 2;
        }
        if self.peek(0) == b':' {
            self.push(Kind::Op, self.pos, self.pos + 1);
            self.pos += 1;
            loop {
                let start = self.pos;
                while !matches!(self.peek(0), b'{' | b'}' | b'\n' | b'\r' | 0) {
                    self.pos += 1;
                }
                if self.pos > start {
                    self.push(Kind::FormatText, start, self.pos);
                }
                match self.peek(0) {
                    b'{' => {
                        if self.peek(1) == b'{' {
                            return Err("escaped brace in a format specifier");
                        }
                        self.field()?;
                    }
                    b'}' => break,
                    _ => return Err("format specifier left open"),
                }
            }
        }
        if self.peek(0) != b'}' {
            return Err("unusual f-string field");
        }
        self.push(Kind::Op, self.pos, self.pos + 1);
        self.pos += 1;
        Ok(())
    }
}

pub(super) fn is_prefix(prefix: &[u8]) -> bool {
    let lower = prefix.to_ascii_lowercase();
    matches!(
        lower.as_slice(),
        b"r" | b"u" | b"b" | b"f" | b"br" | b"rb" | b"fr" | b"rf"
    )
}

/// The length of the escape sequence at the start of `rest` (a backslash first), as
/// tree-sitter-python's `escape_sequence` token matches it; 0 when it matches none.
fn escape_length(rest: &[u8]) -> usize {
    let hex = |from: usize, count: usize| {
        rest.len() >= from + count && rest[from..from + count].iter().all(u8::is_ascii_hexdigit)
    };
    match rest.get(1) {
        Some(b'u') if hex(2, 4) => 6,
        Some(b'U') if hex(2, 8) => 10,
        Some(b'x') if hex(2, 2) => 4,
        Some(c) if c.is_ascii_digit() => {
            1 + rest[1..]
                .iter()
                .take(3)
                .take_while(|c| c.is_ascii_digit())
                .count()
        }
        Some(b'\r') if rest.get(2) == Some(&b'\n') => 3,
        Some(b'\n' | b'\'' | b'"' | b'a' | b'b' | b'f' | b'r' | b'n' | b't' | b'v' | b'\\') => 2,
        Some(b'N') if rest.get(2) == Some(&b'{') => rest
            .iter()
            .skip(3)
            .position(|&c| c == b'}')
            .filter(|&n| n > 0)
            .map_or(0, |n| n + 4),
        _ => 0,
    }
}
