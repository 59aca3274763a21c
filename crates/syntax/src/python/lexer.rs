//! The tokens of sparkfix's own Python parser, placed as tree-sitter-python's scanner places
//! them: `NEWLINE`, `INDENT` and `DEDENT` are zero-width at the end of the last token before
//! them, an indented block keeps the comment lines indented as deep as it (the scanner waits for
//! them before it dedents), and an f-string is split into its text, its escapes and the tokens of
//! its replacement fields.
//!
//! Anything this lexer does not place exactly as tree-sitter does (tabs or form feeds in
//! indentation, a `\` continuation before a string or a line end, an unterminated string, a
//! lone carriage return, non-ASCII outside strings and comments) makes it give up: the caller
//! then parses with tree-sitter.

mod strings;

use strings::is_prefix;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Name,
    Integer,
    Float,
    /// An operator or a bracket; its text says which.
    Op,
    /// A string's prefix and opening quote.
    StringStart,
    /// Text inside a string (hidden: it only widens the `string_content` around it).
    StringText,
    EscapeSequence,
    /// A backslash that escapes nothing (tree-sitter's anonymous `\` token).
    Backslash,
    /// `{{` or `}}` in an f-string.
    EscapeInterpolation,
    StringEnd,
    /// `!r` in an f-string's field.
    TypeConversion,
    /// The text of a format specifier (hidden).
    FormatText,
    Newline,
    Indent,
    Dedent,
    Comment,
    LineContinuation,
    End,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Token {
    pub kind: Kind,
    pub start: u32,
    pub end: u32,
}

/// Why the lexer gave up (for tests and debugging; the caller only falls back).
pub(super) type Unsupported = &'static str;

const OPERATORS: [&str; 47] = [
    "**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", "<<", ">>", "<=", ">=", "==", "!=",
    "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "+", "-", "*", "/", "%", "@", "&", "|",
    "^", "~", "<", ">", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "=",
];

/// A line holding only a comment, between two lines of code.
#[derive(Debug, Clone, Copy)]
struct CommentLine {
    start: usize,
    end: usize,
    indent: usize,
}

pub(super) struct Lexer<'s> {
    text: &'s [u8],
    pos: usize,
    tokens: Vec<Token>,
    /// Indentation widths of the open blocks, the module's 0 first.
    indents: Vec<usize>,
    /// Open brackets in the current code context (inside an f-string field, its own).
    depth: usize,
    /// Whether a token was emitted on the current logical line.
    line_has_tokens: bool,
    /// How many of the comment lines ahead `dedent_to` emitted already.
    skip_comments: usize,
    /// The comment lines `lines_ahead` read, reused from line to line.
    comment_lines: Vec<CommentLine>,
}

/// Splits `text` into tokens, or says why it cannot place them as tree-sitter does.
pub(super) fn tokenize(text: &str) -> Result<Vec<Token>, Unsupported> {
    let mut lexer = Lexer {
        text: text.as_bytes(),
        pos: 0,
        tokens: Vec::with_capacity(text.len() / 3),
        indents: vec![0],
        depth: 0,
        line_has_tokens: false,
        skip_comments: 0,
        comment_lines: Vec::new(),
    };
    if text.len() > u32::MAX as usize / 2 {
        return Err("too large");
    }
    if text.starts_with('\u{feff}') {
        return Err("byte-order mark");
    }
    if text.as_bytes().contains(&0) {
        return Err("NUL");
    }
    lexer.start_of_line()?;
    lexer.code(false)?;
    Ok(lexer.tokens)
}

impl Lexer<'_> {
    pub(super) fn peek(&self, ahead: usize) -> u8 {
        self.text.get(self.pos + ahead).copied().unwrap_or(0)
    }

    pub(super) fn push(&mut self, kind: Kind, start: usize, end: usize) {
        self.tokens.push(Token {
            kind,
            start: start as u32,
            end: end as u32,
        });
    }

    /// Where the last token ended: zero-width tokens go there.
    pub(super) fn last_end(&self) -> usize {
        self.tokens.last().map_or(0, |t| t.end as usize)
    }

    /// Code until the end of the text, or (in an f-string field) until the field's `}` or `:`
    /// or `!` at its own bracket depth, which is left unread.
    pub(super) fn code(&mut self, in_field: bool) -> Result<(), Unsupported> {
        loop {
            let c = self.peek(0);
            match c {
                0 if self.pos >= self.text.len() => {
                    if in_field {
                        return Err("f-string field left open");
                    }
                    return self.end_of_text();
                }
                b' ' => self.pos += 1,
                b'\t' | b'\x0c' | 0 => return Err("tab, form feed or NUL"),
                b'\r' if self.peek(1) == b'\n' => self.pos += 1,
                b'\r' => return Err("lone carriage return"),
                b'\n' => {
                    if in_field {
                        return Err("line break in an f-string field");
                    }
                    self.pos += 1;
                    if self.depth == 0 && self.line_has_tokens {
                        self.end_of_line()?;
                    } else if self.depth == 0 {
                        self.start_of_line()?;
                    }
                }
                b'#' => {
                    if in_field {
                        return Err("comment in an f-string field");
                    }
                    let start = self.pos;
                    // As tree-sitter's `#.*`: up to the line feed, a carriage return included.
                    while !matches!(self.peek(0), b'\n' | 0) {
                        self.pos += 1;
                    }
                    if self.peek(0) == 0 && self.pos < self.text.len() {
                        return Err("NUL");
                    }
                    self.push(Kind::Comment, start, self.pos);
                }
                b'\\' => {
                    let start = self.pos;
                    self.pos += 1;
                    if self.peek(0) == b'\r' {
                        self.pos += 1;
                    }
                    if self.peek(0) != b'\n' {
                        return Err("backslash outside a string");
                    }
                    self.pos += 1;
                    let mut next = self.pos;
                    while self.text.get(next) == Some(&b' ') {
                        next += 1;
                    }
                    match self.text.get(next) {
                        None | Some(b'\n' | b'\r' | b'#' | b'\\' | b'"' | b'\'') => {
                            return Err("continuation before a line end or a string");
                        }
                        Some(c) if c.is_ascii_alphabetic() && self.string_follows(next) => {
                            return Err("continuation before a string");
                        }
                        _ => {}
                    }
                    self.push(Kind::LineContinuation, start, self.pos);
                }
                b'}' | b':' | b'!' | b'=' if in_field && self.depth == 0 => {
                    if c == b'!' && self.peek(1) == b'=' {
                        self.op()?;
                        continue;
                    }
                    if c == b'=' && self.peek(1) == b'=' {
                        self.op()?;
                        continue;
                    }
                    if c == b':' && self.peek(1) == b'=' {
                        // A format specifier for CPython, a walrus for tree-sitter.
                        return Err("':=' in an f-string field");
                    }
                    return Ok(());
                }
                b'"' | b'\'' => self.string(self.pos)?,
                c if c.is_ascii_digit() || (c == b'.' && self.peek(1).is_ascii_digit()) => {
                    self.number()?
                }
                c if c.is_ascii_alphabetic() || c == b'_' => {
                    let start = self.pos;
                    while self.peek(0).is_ascii_alphanumeric() || self.peek(0) == b'_' {
                        self.pos += 1;
                    }
                    if self.peek(0) >= 0x80 {
                        return Err("non-ASCII name");
                    }
                    if matches!(self.peek(0), b'"' | b'\'') {
                        if !is_prefix(&self.text[start..self.pos]) {
                            return Err("name before a quote");
                        }
                        self.string(start)?;
                    } else {
                        self.push(Kind::Name, start, self.pos);
                        self.line_has_tokens = true;
                    }
                }
                _ => self.op()?,
            }
        }
    }

    /// Whether a string starts at `at` (a prefix then a quote).
    fn string_follows(&self, at: usize) -> bool {
        let mut end = at;
        while self.text.get(end).is_some_and(u8::is_ascii_alphabetic) {
            end += 1;
        }
        matches!(self.text.get(end), Some(b'"' | b'\'')) && is_prefix(&self.text[at..end])
    }

    fn op(&mut self) -> Result<(), Unsupported> {
        let start = self.pos;
        match self.peek(0) {
            b'(' | b'[' | b'{' => {
                self.depth += 1;
                self.pos += 1;
            }
            b')' | b']' | b'}' => {
                self.depth = self.depth.checked_sub(1).ok_or("unbalanced bracket")?;
                self.pos += 1;
            }
            b',' | b';' | b'~' => self.pos += 1,
            _ => {
                let rest = &self.text[self.pos..];
                let Some(op) = OPERATORS.iter().find(|op| rest.starts_with(op.as_bytes())) else {
                    return Err("unknown character");
                };
                self.pos += op.len();
            }
        }
        self.push(Kind::Op, start, self.pos);
        self.line_has_tokens = true;
        Ok(())
    }

    fn number(&mut self) -> Result<(), Unsupported> {
        let start = self.pos;
        let rest = &self.text[self.pos..];
        let mut float = false;
        if rest.len() > 1 && rest[0] == b'0' && matches!(rest[1] | 0x20, b'x' | b'o' | b'b') {
            let base = rest[1] | 0x20;
            self.pos += 2;
            let digits = self.pos;
            while self.peek(0).is_ascii_hexdigit() || self.peek(0) == b'_' {
                self.pos += 1;
            }
            let valid = |c: &u8| match base {
                b'o' => (b'0'..=b'7').contains(c) || *c == b'_',
                b'b' => matches!(c, b'0' | b'1' | b'_'),
                _ => true,
            };
            if self.pos == digits || !self.text[digits..self.pos].iter().all(valid) {
                return Err("unusual number");
            }
        } else {
            let digits = |lexer: &mut Self| {
                while lexer.peek(0).is_ascii_digit() || lexer.peek(0) == b'_' {
                    lexer.pos += 1;
                }
            };
            digits(self);
            if self.peek(0) == b'.' {
                float = true;
                self.pos += 1;
                digits(self);
            }
            if matches!(self.peek(0), b'e' | b'E')
                && (self.peek(1).is_ascii_digit()
                    || (matches!(self.peek(1), b'+' | b'-') && self.peek(2).is_ascii_digit()))
            {
                float = true;
                self.pos += 2;
                digits(self);
            }
            if matches!(self.peek(0), b'j' | b'J') {
                self.pos += 1;
            }
        }
        if self.peek(0).is_ascii_alphanumeric() || self.peek(0) == b'_' || self.peek(0) >= 0x80 {
            return Err("unusual number");
        }
        let kind = if float { Kind::Float } else { Kind::Integer };
        self.push(kind, start, self.pos);
        self.line_has_tokens = true;
        Ok(())
    }

    /// After the line break ending a logical line: `NEWLINE`, or `INDENT` when the next line is
    /// indented deeper, then the `DEDENT`s with the comment lines between.
    fn end_of_line(&mut self) -> Result<(), Unsupported> {
        let indent = self.lines_ahead()?;
        let at = self.last_end();
        let current = *self.indents.last().expect("the module's level");
        if indent > current {
            self.push(Kind::Indent, at, at);
            self.indents.push(indent);
        } else {
            self.push(Kind::Newline, at, at);
            self.dedent_to(indent)?;
        }
        self.emit_comments();
        self.line_has_tokens = false;
        Ok(())
    }

    /// At the start of the text or after a blank line with no tokens before it.
    fn start_of_line(&mut self) -> Result<(), Unsupported> {
        let indent = self.lines_ahead()?;
        if indent != *self.indents.last().expect("the module's level") && self.tokens.is_empty() {
            return Err("indented first line");
        }
        self.emit_comments();
        Ok(())
    }

    /// Reads the comment lines from here to the next line with code into `comment_lines`, and
    /// returns that line's indentation (0 at the end of the text). Leaves the position at the
    /// next line's first character.
    fn lines_ahead(&mut self) -> Result<usize, Unsupported> {
        self.comment_lines.clear();
        loop {
            let line_start = self.pos;
            while self.peek(0) == b' ' {
                self.pos += 1;
            }
            let indent = self.pos - line_start;
            match self.peek(0) {
                b'\t' | b'\x0c' => return Err("tab or form feed in indentation"),
                b'\n' => self.pos += 1,
                b'\r' if self.peek(1) == b'\n' => self.pos += 2,
                b'#' => {
                    let start = self.pos;
                    while !matches!(self.peek(0), b'\n' | 0) {
                        self.pos += 1;
                    }
                    if self.text[start..self.pos].contains(&b'\r')
                        && !self.text[start..self.pos].ends_with(b"\r")
                    {
                        return Err("carriage return inside a comment");
                    }
                    self.comment_lines.push(CommentLine {
                        start,
                        end: self.pos,
                        indent,
                    });
                    match self.peek(0) {
                        b'\n' => self.pos += 1,
                        0 if self.pos >= self.text.len() => return Ok(0),
                        _ => return Err("NUL"),
                    }
                }
                b'\\' => return Err("continuation at a line start"),
                0 if self.pos >= self.text.len() => return Ok(0),
                // The comments are emitted by the caller.
                _ => return Ok(indent),
            }
        }
    }

    /// Pops the blocks deeper than `indent`; a block keeps the comment lines at least as deep
    /// as its own indentation that come first.
    fn dedent_to(&mut self, indent: usize) -> Result<(), Unsupported> {
        let mut next = 0;
        while *self.indents.last().expect("the module's level") > indent {
            let current = *self.indents.last().expect("checked");
            if let Some(&line) = self.comment_lines.get(next)
                && line.indent >= current
            {
                self.push(Kind::Comment, line.start, line.end);
                next += 1;
                continue;
            }
            let at = self.last_end();
            self.push(Kind::Dedent, at, at);
            self.indents.pop();
        }
        if *self.indents.last().expect("the module's level") != indent {
            return Err("dedent to no outer level");
        }
        // The comments emitted here are skipped by `emit_comments`.
        self.skip_comments = next;
        Ok(())
    }

    fn emit_comments(&mut self) {
        let first = std::mem::take(&mut self.skip_comments);
        for index in first..self.comment_lines.len() {
            let line = self.comment_lines[index];
            self.push(Kind::Comment, line.start, line.end);
        }
    }

    fn end_of_text(&mut self) -> Result<(), Unsupported> {
        if self.line_has_tokens {
            let at = self.last_end();
            self.push(Kind::Newline, at, at);
            self.line_has_tokens = false;
        }
        let at = self.last_end();
        while self.indents.len() > 1 {
            self.push(Kind::Dedent, at, at);
            self.indents.pop();
        }
        let end = self.text.len();
        self.push(Kind::End, end, end);
        Ok(())
    }
}
