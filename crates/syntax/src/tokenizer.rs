//! A tokenizer-level pass over the text for what CPython refuses and tree-sitter's error recovery
//! accepts: indentation (unexpected indents, dedents to no outer level, tabs mixed with spaces,
//! a missing indented block, more than 100 levels), strings and brackets left open, more than 200
//! brackets open, incomplete escapes, Python 2 literals (`0777`, `10L`, `ur""`, backquotes, `<>`),
//! a non-compound line ending with `:`, null bytes, control characters and the characters
//! tree-sitter takes for spaces (no-break and zero-width spaces, a byte-order mark past the
//! start), and a lone carriage return. tree-sitter joins a line to the next where CPython ends it,
//! so a logical line that ends with an operator or keyword that needs more (`x =`, `spark.`,
//! `a +`, `import`), starts with one that needs a left operand (`** x`, `== 0`), starts with `*`
//! without assigning, starts with `from` without `import`, or puts a binary operator right after
//! an assignment's `=` is refused. A line holding only a `\` continuation is refused too:
//! CPython accepts it, but tree-sitter misreads the blocks after it.
//!
//! One pass over the bytes, linear and without recursion: strings, f-string replacement fields
//! (nested as Python 3.12 allows, but without line breaks in a one-line string, which Python
//! 3.11 refuses) and brackets are explicit stacks. Indentation follows CPython's
//! tokenizer: a tab advances the column to the next multiple of 8, and every indentation is also
//! measured with tabs counting 1, so that two lines whose order changes with the tab size are
//! refused (`TabError`). Lines inside brackets, after a `\` continuation, blank or holding only a
//! comment have no indentation.

use std::ops::Range;

use crate::syntax_error::SyntaxError;

/// The column a tab advances to is the next multiple of this (CPython's `TABSIZE`).
const TAB_SIZE: usize = 8;

/// Keywords that cannot end a logical line: each needs something after it (`a and`, `import`,
/// `from`). Soft keywords (`match`, `case`, `type`) are names too, and may.
const DANGLING_KEYWORDS: [&[u8]; 21] = [
    b"and",
    b"or",
    b"not",
    b"in",
    b"is",
    b"import",
    b"from",
    b"as",
    b"del",
    b"assert",
    b"global",
    b"nonlocal",
    b"await",
    b"lambda",
    b"if",
    b"elif",
    b"while",
    b"for",
    b"with",
    b"class",
    b"def",
];

/// CPython's tokenizer refuses a bracket opened inside this many open ones (`MAXLEVEL`).
const MAX_BRACKETS: usize = 200;

/// CPython's tokenizer refuses this many levels of indentation, the first included (`MAXINDENT`).
const MAX_INDENTS: usize = 100;

/// String prefixes Python 3 accepts, lowercased (`t` strings since 3.14).
const PREFIXES: [&[u8]; 11] = [
    b"r", b"u", b"b", b"f", b"t", b"br", b"rb", b"fr", b"rf", b"tr", b"rt",
];

/// What the pass found, by how CPython ranks it.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    /// The first error of CPython's tokenizer (a string or bracket left open, a bad number,
    /// tabs mixed with spaces, a dedent to no outer level), or a line holding only a `\`
    /// continuation. CPython checks the whole token
    /// stream when parsing fails, so this wins over a parser error wherever that is; only an
    /// unexpected indent before it comes first, and is returned here instead.
    pub tokenizer: Option<SyntaxError>,
    /// The first parser error the pass sees: an unexpected indent, a missing indented block, a
    /// token no Python 3 rule accepts (a backquote, `<>`, a `ur` prefix), an incomplete escape.
    /// It competes with the tree's parser errors by position.
    pub parser: Option<SyntaxError>,
}

/// Scans `text` for the errors of [`Findings`]; stops at the first tokenizer error.
pub(crate) fn scan(text: &str) -> Findings {
    let mut scanner = Scanner::new(text);
    let tokenizer = scanner.run().err().map(|error| {
        if scanner.unexpected_indent_first {
            scanner.parser_error.take().unwrap_or(error)
        } else {
            error
        }
    });
    Findings {
        tokenizer,
        parser: scanner.parser_error,
    }
}

#[derive(Debug, Clone, Copy)]
struct Quote {
    byte: u8,
    triple: bool,
    /// An f-string (or t-string): `{` opens a replacement field.
    formatted: bool,
    /// A bytes literal: ASCII characters only.
    bytes: bool,
    /// A raw string: a backslash escapes nothing (but still keeps a quote in).
    raw: bool,
    start: usize,
}

#[derive(Debug, Clone, Copy)]
enum Mode {
    /// The literal text of a string.
    Str(Quote),
    /// Code in a replacement field of an f-string, whose `{` is bracket number `depth`.
    Field { quote: Quote, depth: usize },
    /// The format spec after the `:` of a replacement field.
    Spec { quote: Quote, depth: usize },
}

#[derive(Debug, Clone, Copy)]
struct Bracket {
    byte: u8,
    offset: usize,
}

/// An indentation level as CPython's tokenizer keeps it: with tabs to multiples of 8 and with
/// tabs counting 1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Indent {
    column: usize,
    alternate: usize,
}

/// The tokens of the logical line being read that the indentation checks need.
#[derive(Debug, Default)]
struct LogicalLine {
    tokens: usize,
    /// Where its first token starts.
    first_token: usize,
    /// Whether its last token is a `:` outside brackets: it opens a block.
    ends_with_colon: bool,
    /// The end of that `:`.
    colon_end: usize,
    /// Where its last token is, when that is an operator that needs a right operand (`x = `,
    /// `a +`, `spark.`, `a and`), which tree-sitter may join to the next line.
    dangling_operator: Option<usize>,
    /// Its first two tokens when they are words (`async def`).
    words: [Option<Range<usize>>; 2],
    /// Where it starts with a `*`: only an assignment may (`*a, b = c`).
    starred_start: Option<usize>,
    /// Where an assignment's value starts with a single `*` (`x = *y`), valid only in a tuple.
    starred_value: Option<usize>,
    /// Whether a `,` outside brackets follows that `*`.
    comma_after_star: bool,
    /// Whether it holds a `=` outside brackets (an assignment).
    assigns: bool,
    /// The index among its tokens of the last such `=`.
    assignment_token: Option<usize>,
    /// Whether it holds the keyword `import` (which a line starting with `from` needs).
    imports: bool,
    /// Where it ends (after its last token).
    end: usize,
}

/// A line that ends with `:` and whose block has not started yet.
#[derive(Debug)]
struct Header {
    /// Where the statement starts, for CPython's `on line N`.
    start: usize,
    colon_end: usize,
    /// What CPython calls the statement: `'if' statement`, `function definition`.
    label: Option<String>,
}

struct Scanner<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    modes: Vec<Mode>,
    brackets: Vec<Bracket>,
    indents: Vec<Indent>,
    at_line_start: bool,
    line: LogicalLine,
    header: Option<Header>,
    parser_error: Option<SyntaxError>,
    /// Whether `parser_error` is an unexpected indent, which CPython reports at once.
    unexpected_indent_first: bool,
}

impl<'t> Scanner<'t> {
    fn new(text: &'t str) -> Self {
        let bytes = text.as_bytes();
        Scanner {
            text,
            bytes,
            pos: if text.starts_with('\u{feff}') { 3 } else { 0 },
            modes: Vec::new(),
            brackets: Vec::new(),
            indents: vec![Indent {
                column: 0,
                alternate: 0,
            }],
            at_line_start: true,
            line: LogicalLine::default(),
            header: None,
            parser_error: None,
            unexpected_indent_first: false,
        }
    }

    fn run(&mut self) -> Result<(), SyntaxError> {
        if let Some(offset) = memchr::memchr(0, self.bytes) {
            return Err(error(offset, "source code cannot contain null bytes"));
        }
        if let Some(offset) = memchr::memchr_iter(b'\r', self.bytes)
            .find(|&at| self.bytes.get(at + 1) != Some(&b'\n'))
        {
            // CPython reads a lone `\r` as a line break, tree-sitter as a space: the two would
            // see different programs.
            return Err(error(
                offset,
                "a carriage return without a line feed is not supported (CPython reads a line \
                 break where tree-sitter reads a space)",
            ));
        }
        loop {
            if std::mem::take(&mut self.at_line_start) {
                self.indentation()?;
            }
            if self.pos >= self.bytes.len() {
                return self.end_of_file();
            }
            match self.modes.last().copied() {
                None => self.code(None)?,
                Some(Mode::Field { depth, .. }) => self.code(Some(depth))?,
                Some(Mode::Str(quote)) => self.string(quote)?,
                Some(Mode::Spec { quote, depth }) => self.spec(quote, depth)?,
            }
        }
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.bytes.get(at).copied()
    }

    /// The length of the line break at `at` (`\n`, `\r\n` or `\r`), 0 when there is none.
    fn newline_at(&self, at: usize) -> usize {
        match self.byte(at) {
            Some(b'\n') => 1,
            Some(b'\r') if self.byte(at + 1) == Some(b'\n') => 2,
            Some(b'\r') => 1,
            _ => 0,
        }
    }

    /// Measures the indentation of the line starting at `pos` and checks it against the levels
    /// open, unless the line is blank or holds only a comment.
    fn indentation(&mut self) -> Result<(), SyntaxError> {
        let mut indent = Indent {
            column: 0,
            alternate: 0,
        };
        let mut at = self.pos;
        loop {
            match self.byte(at) {
                Some(b' ') => {
                    indent.column += 1;
                    indent.alternate += 1;
                }
                Some(b'\t') => {
                    indent.column = (indent.column / TAB_SIZE + 1) * TAB_SIZE;
                    indent.alternate += 1;
                }
                Some(b'\x0c') => indent = Indent::default(),
                Some(b'\\') => {
                    // CPython accepts it (the indentation is the column of the backslash), but
                    // tree-sitter's scanner misreads the blocks that follow: refuse the file
                    // rather than rewrite it from a wrong tree.
                    self.continuation(at)?;
                    return Err(error(
                        at,
                        "a line holding only a `\\` continuation is not supported (tree-sitter \
                         misreads the indentation after it)",
                    ));
                }
                _ => break,
            }
            at += 1;
        }
        self.pos = at;
        if matches!(self.byte(at), None | Some(b'#' | b'\n' | b'\r')) {
            return Ok(());
        }
        let header = self.header.take();
        let top = *self
            .indents
            .last()
            .expect("the first level is never popped");
        if indent.column > top.column {
            if indent.alternate <= top.alternate {
                return Err(tab_error(at));
            }
            if header.is_none() && self.parser_error.is_none() {
                self.parser_error(at, "unexpected indent");
                self.unexpected_indent_first = true;
            }
            if self.indents.len() >= MAX_INDENTS {
                return Err(error(at, "too many levels of indentation"));
            }
            self.indents.push(indent);
            return Ok(());
        }
        while indent.column < self.indents.last().expect("level 0 stays").column {
            self.indents.pop();
        }
        let level = *self.indents.last().expect("level 0 stays");
        if indent.column != level.column {
            return Err(error(
                at,
                "unindent does not match any outer indentation level",
            ));
        }
        if indent.alternate != level.alternate {
            return Err(tab_error(at));
        }
        if let Some(header) = header
            && self.parser_error.is_none()
        {
            self.parser_error = Some(self.expected_block(header, at));
        }
        Ok(())
    }

    fn expected_block(&self, header: Header, at: usize) -> SyntaxError {
        let reason = match header.label {
            Some(label) => format!(
                "expected an indented block after {label} on line {}",
                line_number(self.bytes, header.start)
            ),
            None => "expected an indented block".to_owned(),
        };
        SyntaxError::new(at, reason)
    }

    fn end_of_file(&mut self) -> Result<(), SyntaxError> {
        let last_line = line_number(self.bytes, self.bytes.len().saturating_sub(1));
        let innermost_string = self.modes.last().map(|mode| match mode {
            Mode::Str(quote) | Mode::Field { quote, .. } | Mode::Spec { quote, .. } => *quote,
        });
        if let Some(quote) = innermost_string {
            let kind = if quote.triple {
                "triple-quoted string literal"
            } else {
                "string literal"
            };
            return Err(SyntaxError::new(
                quote.start,
                format!("unterminated {kind} (detected at line {last_line})"),
            ));
        }
        if let Some(bracket) = self.brackets.last() {
            return Err(SyntaxError::new(
                bracket.offset,
                format!("'{}' was never closed", bracket.byte as char),
            ));
        }
        self.end_logical_line();
        if let Some(header) = self.header.take()
            && self.parser_error.is_none()
        {
            let at = header.colon_end;
            self.parser_error = Some(self.expected_block(header, at));
        }
        Ok(())
    }

    /// The logical line ends: remember whether it opens a block.
    /// Only a compound statement ends with `:` (`els:` is not one, whatever tree-sitter makes
    /// of it), and no statement ends with `=`.
    fn end_logical_line(&mut self) {
        let line = std::mem::take(&mut self.line);
        if let Some(at) = line.dangling_operator {
            self.parser_error(at, "invalid syntax");
        }
        if let Some(at) = line.starred_start
            && !line.assigns
        {
            // `*f()` alone, which tree-sitter may multiply with the line before.
            self.parser_error(at, "can't use starred expression here");
        }
        if let Some(at) = line.starred_value
            && !line.comma_after_star
        {
            // `x = *y`: a starred value must be an item of a tuple.
            self.parser_error(at, "can't use starred expression here");
        }
        let first_word = line.words[0].clone().map(|word| &self.bytes[word]);
        if first_word == Some(b"from".as_slice()) && !line.imports {
            // `from m` alone: tree-sitter may take `import` from the next line.
            self.parser_error(line.end, "invalid syntax");
        }
        if line.tokens > 0 && line.ends_with_colon {
            let label = self.label(&line);
            if label.is_none() {
                self.parser_error(line.colon_end - 1, "invalid syntax");
            }
            self.header = Some(Header {
                start: line.first_token,
                colon_end: line.colon_end,
                label,
            });
        }
    }

    /// CPython's name for the compound statement a logical line starts.
    fn label(&self, line: &LogicalLine) -> Option<String> {
        let word = |n: usize| line.words[n].clone().map(|range| &self.text[range]);
        let first = match word(0)? {
            "async" => word(1)?,
            first => first,
        };
        match first {
            "def" => Some("function definition".to_owned()),
            "class" => Some("class definition".to_owned()),
            "if" | "elif" | "else" | "for" | "while" | "with" | "try" | "except" | "finally"
            | "match" | "case" => Some(format!("'{first}' statement")),
            _ => None,
        }
    }

    /// Counts a token of the logical line; tokens inside strings do not count.
    fn token(&mut self, start: usize, word: Option<Range<usize>>, colon: bool) {
        if !self.modes.is_empty() {
            return;
        }
        if self.line.tokens == 0 {
            self.line.first_token = start;
        }
        if let Some(slot) = self.line.words.get_mut(self.line.tokens) {
            *slot = word;
        }
        self.line.tokens += 1;
        self.line.end = self.pos;
        self.line.dangling_operator = None;
        self.line.ends_with_colon = colon && self.brackets.is_empty();
        if self.line.ends_with_colon {
            self.line.colon_end = self.pos;
        }
    }

    fn parser_error(&mut self, offset: usize, reason: &str) {
        if self.parser_error.is_none() {
            self.parser_error = Some(error(offset, reason));
        }
    }

    /// One token of code, at the top level or in a replacement field opened at `field`.
    fn code(&mut self, field: Option<usize>) -> Result<(), SyntaxError> {
        let start = self.pos;
        let byte = self.bytes[start];
        match byte {
            b' ' | b'\t' | b'\x0c' => self.pos += 1,
            b'\n' | b'\r' => {
                if let Some(Mode::Field { quote, .. }) = self.modes.last()
                    && !quote.triple
                {
                    // Python 3.12 takes a line break in a field of a one-line f-string; earlier
                    // versions, and tree-sitter's scanner, end the string there.
                    return Err(SyntaxError::new(
                        quote.start,
                        format!(
                            "unterminated string literal (detected at line {})",
                            line_number(self.bytes, start)
                        ),
                    ));
                }
                self.pos += self.newline_at(start);
                if self.brackets.is_empty() {
                    self.end_logical_line();
                    self.at_line_start = true;
                }
            }
            b'#' => {
                self.pos = memchr::memchr2(b'\n', b'\r', &self.bytes[start..])
                    .map_or(self.bytes.len(), |n| start + n);
            }
            b'\\' => self.pos = self.continuation(start)?,
            b'\'' | b'"' => self.open_string(start, b""),
            b'0'..=b'9' => self.number()?,
            b'.' if self.byte(start + 1).is_some_and(|b| b.is_ascii_digit()) => self.number()?,
            b'`' => {
                self.parser_error(start, "invalid syntax");
                self.pos += 1;
                self.token(start, None, false);
            }
            b'<' if self.byte(start + 1) == Some(b'>') => {
                self.parser_error(start, "invalid syntax");
                self.pos += 2;
                self.token(start, None, false);
            }
            b'(' | b'[' | b'{' => {
                if self.brackets.len() >= MAX_BRACKETS {
                    return Err(error(start, "too many nested parentheses"));
                }
                self.pos += 1;
                self.token(start, None, false);
                self.brackets.push(Bracket {
                    byte,
                    offset: start,
                });
            }
            b')' | b']' | b'}' => {
                self.pos += 1;
                if byte == b'}' && field == Some(self.brackets.len()) {
                    self.brackets.pop();
                    self.modes.pop();
                } else {
                    self.close_bracket(byte, start)?;
                    self.token(start, None, false);
                }
            }
            b':' if field == Some(self.brackets.len()) => {
                self.pos += 1;
                if let Some(Mode::Field { quote, depth }) = self.modes.pop() {
                    self.modes.push(Mode::Spec { quote, depth });
                }
            }
            b':' if self.byte(start + 1) != Some(b'=') => {
                self.pos += 1;
                self.token(start, None, true);
            }
            0x01..=0x08 | 0x0b | 0x0e..=0x1f | 0x7f => {
                return Err(error(
                    start,
                    &format!("invalid non-printable character U+{:04X}", u32::from(byte)),
                ));
            }
            0xc2 | 0xe1..=0xe3 | 0xef
                if self
                    .text
                    .get(start..)
                    .and_then(invisible_character)
                    .is_some() =>
            {
                let character = self.text[start..].chars().next().unwrap_or_default();
                return Err(error(
                    start,
                    &format!(
                        "invalid non-printable character U+{:04X}",
                        u32::from(character)
                    ),
                ));
            }
            _ if is_word_start(byte) => {
                let mut end = start + 1;
                while self.byte(end).is_some_and(|byte| {
                    is_word_byte(byte)
                        && (byte.is_ascii()
                            || self.text.get(end..).and_then(invisible_character).is_none())
                }) {
                    end += 1;
                }
                self.pos = end;
                let word = &self.bytes[start..end];
                let quoted = matches!(self.byte(end), Some(b'\'' | b'"'));
                if quoted && word.iter().all(|b| b"rRbBuUfFtT".contains(b)) {
                    if !PREFIXES
                        .iter()
                        .any(|prefix| prefix.eq_ignore_ascii_case(word))
                    {
                        self.parser_error(start, "invalid syntax");
                    }
                    self.open_string(end, word);
                } else {
                    self.token(start, Some(start..end), false);
                    if word == b"import" {
                        self.line.imports = true;
                    }
                    if DANGLING_KEYWORDS.contains(&word) && self.modes.is_empty() {
                        self.line.dangling_operator = Some(start);
                    }
                }
            }
            b':' => {
                // `:=`
                self.pos += 2;
                self.token(start, None, false);
            }
            _ => {
                // An operator; multi-byte ones (`->`, `**=`) take several turns, which is the same.
                let ellipsis = byte == b'.'
                    && (self.byte(start + 1) == Some(b'.')
                        || start > 0 && self.bytes[start - 1] == b'.');
                let power = byte == b'*'
                    && (self.byte(start + 1) == Some(b'*')
                        || start > 0 && self.bytes[start - 1] == b'*');
                let top_level = self.modes.is_empty() && self.brackets.is_empty();
                if top_level && self.line.tokens == 0 && byte == b'*' && !power {
                    self.line.starred_start = Some(start);
                }
                let before = start.checked_sub(1).map(|at| self.bytes[at]);
                let after_assignment = self
                    .line
                    .assignment_token
                    .is_some_and(|index| index + 1 == self.line.tokens);
                if top_level && after_assignment && byte == b'*' && !power {
                    self.line.starred_value = Some(start);
                }
                if top_level && byte == b',' && self.line.starred_value.is_some() {
                    self.line.comma_after_star = true;
                }
                if top_level
                    && after_assignment
                    && (b"/%|&^<>!".contains(&byte) || byte == b'*' && power)
                {
                    // `x =** y`: no value starts with a binary operator.
                    self.parser_error(start, "invalid syntax");
                }
                if top_level
                    && byte == b'='
                    && self.byte(start + 1) != Some(b'=')
                    && !before.is_some_and(|b| b"=<>!+-*/%&|^@:".contains(&b))
                {
                    self.line.assigns = true;
                    self.line.assignment_token = Some(self.line.tokens);
                }
                if top_level
                    && self.line.tokens == 0
                    && (b"=,;%/|&^<>!".contains(&byte) || power || byte == b'.' && !ellipsis)
                {
                    // No statement starts with a binary operator: tree-sitter may have joined
                    // this line to the one before.
                    self.parser_error(start, "invalid syntax");
                }
                self.pos += 1;
                self.token(start, None, false);
                let needs_operand = b"=+-/%@|&^<>~.".contains(&byte) && !ellipsis
                    || byte == b'*' && !self.after_import(start);
                if needs_operand && self.modes.is_empty() {
                    self.line.dangling_operator = Some(start);
                }
            }
        }
        Ok(())
    }

    /// Whether the token before `at` is the keyword `import` (`from m import *`).
    fn after_import(&self, at: usize) -> bool {
        let before = self.bytes[..at].trim_ascii_end();
        before.ends_with(b"import") && before.len() > 6 && !is_word_byte(before[before.len() - 7])
    }

    /// Where the line after the `\` continuation at `at` starts.
    fn continuation(&self, at: usize) -> Result<usize, SyntaxError> {
        let newline = self.newline_at(at + 1);
        if newline == 0 && at + 1 < self.bytes.len() {
            return Err(error(
                at,
                "unexpected character after line continuation character",
            ));
        }
        let next = at + 1 + newline;
        if next >= self.bytes.len() {
            return Err(error(at, "unexpected EOF while parsing"));
        }
        Ok(next)
    }

    fn close_bracket(&mut self, byte: u8, at: usize) -> Result<(), SyntaxError> {
        let Some(open) = self.brackets.pop() else {
            return Err(SyntaxError::new(
                at,
                format!("unmatched '{}'", byte as char),
            ));
        };
        let expected = match open.byte {
            b'(' => b')',
            b'[' => b']',
            _ => b'}',
        };
        if byte == expected {
            return Ok(());
        }
        let mut reason = format!(
            "closing parenthesis '{}' does not match opening parenthesis '{}'",
            byte as char, open.byte as char
        );
        let open_line = line_number(self.bytes, open.offset);
        if open_line != line_number(self.bytes, at) {
            reason.push_str(&format!(" on line {open_line}"));
        }
        Err(SyntaxError::new(at, reason))
    }

    /// A string whose quote is at `at`, after `prefix`.
    fn open_string(&mut self, at: usize, prefix: &[u8]) {
        let byte = self.bytes[at];
        let triple = self.byte(at + 1) == Some(byte) && self.byte(at + 2) == Some(byte);
        let quote = Quote {
            byte,
            triple,
            formatted: prefix.iter().any(|b| b"fFtT".contains(b)),
            bytes: prefix.iter().any(|b| b"bB".contains(b)),
            raw: prefix.iter().any(|b| b"rR".contains(b)),
            start: at - prefix.len(),
        };
        self.pos = at + if triple { 3 } else { 1 };
        self.token(quote.start, None, false);
        self.modes.push(Mode::Str(quote));
    }

    /// Whether the closing quote of `quote` is at `at`.
    fn closes(&self, quote: Quote, at: usize) -> bool {
        self.byte(at) == Some(quote.byte)
            && (!quote.triple
                || (self.byte(at + 1) == Some(quote.byte) && self.byte(at + 2) == Some(quote.byte)))
    }

    /// One step in the literal text of a string.
    fn string(&mut self, quote: Quote) -> Result<(), SyntaxError> {
        let at = self.pos;
        match self.bytes[at] {
            b'\\' => {
                if !quote.raw {
                    self.check_escape(quote, at);
                }
                let next = self.newline_at(at + 1).max(1);
                let brace = quote.formatted && matches!(self.byte(at + 1), Some(b'{' | b'}'));
                let named = !quote.raw && self.bytes[at + 1..].starts_with(b"N{");
                self.pos += if named {
                    // `\N{DASH}`: its braces are no field.
                    memchr::memchr(b'}', &self.bytes[at..]).map_or(2, |end| end + 1)
                } else if brace {
                    // `\{` in an f-string still opens a field.
                    1
                } else {
                    1 + next
                };
            }
            b'\n' | b'\r' if !quote.triple => {
                return Err(SyntaxError::new(
                    quote.start,
                    format!(
                        "unterminated string literal (detected at line {})",
                        line_number(self.bytes, at)
                    ),
                ));
            }
            b'{' if quote.formatted => {
                if self.byte(at + 1) == Some(b'{') {
                    self.pos += 2;
                } else {
                    self.pos += 1;
                    self.open_field(quote, at);
                }
            }
            b'}' if quote.formatted => {
                if self.byte(at + 1) == Some(b'}') {
                    self.pos += 2;
                } else {
                    return Err(error(at, "f-string: single '}' is not allowed"));
                }
            }
            _ if self.closes(quote, at) => {
                self.pos += if quote.triple { 3 } else { 1 };
                self.modes.pop();
            }
            0x80.. if quote.bytes => {
                self.parser_error(at, "bytes can only contain ASCII literal characters");
                self.pos += 1;
            }
            _ => self.pos += 1,
        }
        Ok(())
    }

    /// `\x`, `\u`, `\U` and `\N{...}` escapes must be complete (`\u` and `\N` only in text
    /// strings): CPython refuses the literal otherwise.
    fn check_escape(&mut self, quote: Quote, at: usize) {
        let hex = |n: usize| (1..=n).all(|i| self.byte(at + 1 + i).is_some_and(is_hex));
        let complete = match self.byte(at + 1) {
            Some(b'x') => hex(2),
            Some(b'u') if !quote.bytes => hex(4),
            Some(b'U') if !quote.bytes => hex(8),
            Some(b'N') if !quote.bytes => {
                self.byte(at + 2) == Some(b'{')
                    && self.bytes[at + 2..]
                        .iter()
                        .take_while(|b| !matches!(b, b'\n' | b'\r'))
                        .any(|b| *b == b'}')
            }
            _ => true,
        };
        if !complete {
            let escape = &self.text[at..at + 2];
            let reason = if quote.bytes {
                format!("(value error) invalid {escape} escape")
            } else {
                format!(
                    "(unicode error) 'unicodeescape' codec can't decode bytes: truncated {escape} escape"
                )
            };
            if self.parser_error.is_none() {
                self.parser_error = Some(SyntaxError::new(at, reason));
            }
        }
    }

    fn open_field(&mut self, quote: Quote, at: usize) {
        self.brackets.push(Bracket {
            byte: b'{',
            offset: at,
        });
        self.modes.push(Mode::Field {
            quote,
            depth: self.brackets.len(),
        });
    }

    /// One step in the format spec of a replacement field opened at bracket `depth`.
    fn spec(&mut self, quote: Quote, depth: usize) -> Result<(), SyntaxError> {
        let at = self.pos;
        match self.bytes[at] {
            b'{' => {
                self.pos += 1;
                self.open_field(quote, at);
            }
            b'}' => {
                self.pos += 1;
                debug_assert_eq!(self.brackets.len(), depth);
                self.brackets.pop();
                self.modes.pop();
            }
            b'\\' => self.pos += 2,
            b'\n' | b'\r' if !quote.triple => {
                return Err(error(at, "f-string: expecting '}'"));
            }
            _ if self.closes(quote, at) => return Err(error(at, "f-string: expecting '}'")),
            _ => self.pos += 1,
        }
        Ok(())
    }

    /// A number literal at `pos`: Python 2's leading-zero octals and `L` suffixes are refused.
    fn number(&mut self) -> Result<(), SyntaxError> {
        let start = self.pos;
        let digits = |from: usize, accept: fn(u8) -> bool| {
            let mut end = from;
            while self.byte(end).is_some_and(|b| accept(b) || b == b'_') {
                end += 1;
            }
            end
        };
        let radix = match (self.bytes[start], self.byte(start + 1)) {
            (b'0', Some(b'x' | b'X')) => Some(("hexadecimal", digits(start + 2, is_hex))),
            (b'0', Some(b'o' | b'O')) => Some(("octal", digits(start + 2, is_octal))),
            (b'0', Some(b'b' | b'B')) => Some(("binary", digits(start + 2, is_binary))),
            _ => None,
        };
        let (kind, end) = match radix {
            Some(radix) => radix,
            None => {
                let integer_end = digits(start, |b| b.is_ascii_digit());
                let mut end = integer_end;
                let mut integer = true;
                if self.byte(end) == Some(b'.') {
                    end = digits(end + 1, |b| b.is_ascii_digit());
                    integer = false;
                }
                if matches!(self.byte(end), Some(b'e' | b'E')) {
                    let sign = usize::from(matches!(self.byte(end + 1), Some(b'+' | b'-')));
                    if self
                        .byte(end + 1 + sign)
                        .is_some_and(|b| b.is_ascii_digit())
                    {
                        end = digits(end + 1 + sign, |b| b.is_ascii_digit());
                        integer = false;
                    }
                }
                if matches!(self.byte(end), Some(b'j' | b'J')) {
                    end += 1;
                    integer = false;
                }
                let leading_zero = self.bytes[start] == b'0'
                    && self.bytes[start..integer_end]
                        .iter()
                        .any(|b| (b'1'..=b'9').contains(b));
                if integer && leading_zero {
                    return Err(error(
                        start,
                        "leading zeros in decimal integer literals are not permitted; use an 0o \
                         prefix for octal integers",
                    ));
                }
                ("decimal", end)
            }
        };
        if matches!(self.byte(end), Some(b'l' | b'L')) {
            return Err(SyntaxError::new(start, format!("invalid {kind} literal")));
        }
        self.pos = end;
        self.token(start, None, false);
        Ok(())
    }
}

/// The first character of `code` when tree-sitter takes it for a space and CPython refuses it
/// outside strings and comments: no-break and other Unicode spaces, line and paragraph
/// separators, zero-width spaces and a byte-order mark past the start of the file.
fn invisible_character(code: &str) -> Option<char> {
    let character = code.chars().next()?;
    let invisible = matches!(
        character,
        '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200b}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{2060}'
                | '\u{3000}'
                | '\u{feff}'
    );
    invisible.then_some(character)
}

fn error(offset: usize, reason: &str) -> SyntaxError {
    SyntaxError::new(offset, reason.to_owned())
}

fn tab_error(offset: usize) -> SyntaxError {
    error(offset, "inconsistent use of tabs and spaces in indentation")
}

/// The 1-based line of `offset`, counted only when an error is reported.
fn line_number(bytes: &[u8], offset: usize) -> usize {
    let end = offset.min(bytes.len());
    memchr::memchr_iter(b'\n', &bytes[..end]).count() + 1
}

fn is_word_start(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_' || byte >= 0x80
}

fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte >= 0x80
}

fn is_hex(byte: u8) -> bool {
    byte.is_ascii_hexdigit()
}

fn is_octal(byte: u8) -> bool {
    (b'0'..=b'7').contains(&byte)
}

fn is_binary(byte: u8) -> bool {
    byte == b'0' || byte == b'1'
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokenizer error of `text`, as `(line, reason)`.
    fn tokenizer_error(text: &str) -> Option<(usize, String)> {
        let error = scan(text).tokenizer?;
        Some((line_number(text.as_bytes(), error.offset), error.reason))
    }

    /// The parser error the pass sees in `text`, as `(line, reason)`.
    fn parser_error(text: &str) -> Option<(usize, String)> {
        let findings = scan(text);
        assert_eq!(findings.tokenizer, None, "{text:?}");
        let error = findings.parser?;
        Some((line_number(text.as_bytes(), error.offset), error.reason))
    }

    fn assert_clean(text: &str) {
        let findings = scan(text);
        assert_eq!(findings.tokenizer, None, "{text:?}");
        assert_eq!(findings.parser, None, "{text:?}");
    }

    #[test]
    fn unexpected_indents() {
        let reason = Some((3, "unexpected indent".to_owned()));
        assert_eq!(parser_error("def f():\n    x = 1\n        y = 2\n"), reason);
        assert_eq!(parser_error("x = 1\n# note\n    y = 2\n"), reason);
        assert_eq!(
            parser_error("def f():\n    x = 1\n    # note\n        y = 2\n")
                .unwrap()
                .1,
            "unexpected indent"
        );
        assert_eq!(
            parser_error("  x = 1\n"),
            Some((1, "unexpected indent".to_owned()))
        );
        // CPython reports it at once, before a later tokenizer error.
        assert_eq!(
            tokenizer_error("  x = 1\ny = 'abc\n"),
            Some((1, "unexpected indent".to_owned()))
        );
    }

    #[test]
    fn dedents_must_match_an_outer_level() {
        assert_eq!(
            tokenizer_error("def f():\n    if x:\n        y = 1\n      z = 2\n"),
            Some((
                4,
                "unindent does not match any outer indentation level".to_owned()
            ))
        );
        assert_clean("def f():\n    if x:\n        y = 1\n    z = 2\nw = 3\n");
    }

    #[test]
    fn tabs_and_spaces() {
        let tab_error = Some((
            3,
            "inconsistent use of tabs and spaces in indentation".to_owned(),
        ));
        assert_eq!(
            tokenizer_error("if x:\n\ty = 1\n        z = 2\n"),
            tab_error
        );
        assert_eq!(
            tokenizer_error("if x:\n        y = 1\n\tz = 2\n"),
            tab_error
        );
        assert_eq!(tokenizer_error("if x:\n  \ty = 1\n\tz = 2\n"), tab_error);
        // Only tabs, or tabs used the same way on every line, are fine.
        assert_clean("if x:\n\ty = 1\n\tif y:\n\t\tz = 2\n");
        assert_clean("if x:\n    \ty = 1\n    \tz = 2\n");
        assert_clean("def f():\n\tif x:\n\t\ty = 1\n\treturn 2\n");
        // A form feed resets the column.
        assert_clean("if x:\n\x0c    y = 1\n");
    }

    #[test]
    fn blocks_must_be_indented() {
        assert_eq!(
            parser_error("if x:\ny = 1\n"),
            Some((
                2,
                "expected an indented block after 'if' statement on line 1".to_owned()
            ))
        );
        assert_eq!(
            parser_error("async def f():\n# only a comment\nx = 1\n")
                .unwrap()
                .1,
            "expected an indented block after function definition on line 1"
        );
        assert_eq!(
            parser_error("class A:\n").unwrap().1,
            "expected an indented block after class definition on line 1"
        );
        assert_clean("if x: y = 1\nz = 2\nclass A: pass\n");
        assert_eq!(
            parser_error("x = 1\nobj.n = \nobj.m = 2\n"),
            Some((2, "invalid syntax".to_owned()))
        );
        assert_clean("x = (a ==\n  b)\ny = 1 if a else \\\n  2\n");
        // Any operator that needs a right operand, which tree-sitter may take from the next line.
        for line in [
            "x = spark.",
            "x = spark.  # read",
            "x = a +",
            "x = a <",
            "x = a and",
            "x = not",
            "from pyspark.sql import  # SparkSession",
            "print(n)*",
        ] {
            assert_eq!(
                parser_error(&format!("{line}\nread = 2\n")),
                Some((1, "invalid syntax".to_owned())),
                "{line:?}"
            );
        }
        assert_clean("x = ...\nfrom . import a\nfrom .. import b\nfrom m import *\ny = 1.\n");
        assert_clean("z = f'{a=}'\ndef f() -> int:\n    return 1\n");
        // Nor can an operator that needs a left operand start a line.
        for line in ["**logger.info(n)", "== 0", ".count()", "% 2"] {
            assert_eq!(
                parser_error(&format!("x = df\n{line}\n")),
                Some((2, "invalid syntax".to_owned())),
                "{line:?}"
            );
        }
        assert_clean("*a, b = c\n-x\n...\n@decorator\ndef f(*args, **kwargs):\n    pass\n");
        assert_clean("from m import *\nfrom n import*\n");
        assert_eq!(
            parser_error("x = 1\n*sys.exit(1)\n"),
            Some((2, "can't use starred expression here".to_owned()))
        );
        assert_clean("*a, b = c\n*a, b = [*c, d]\nx = *a, b\ny = -1\nz = ...\n");
        assert_eq!(
            parser_error("x = 1\nnordic =** df\n"),
            Some((2, "invalid syntax".to_owned()))
        );
        assert_eq!(
            parser_error("x = 1\nbad =* df.filter(c)\n"),
            Some((2, "can't use starred expression here".to_owned()))
        );
        assert_clean("a = *b, c\nd = *e,\nf = [*g]\nh = (*i, j)\n");
        assert_eq!(
            parser_error("from pyspark.sql  # noqa\nimport x\n"),
            Some((1, "invalid syntax".to_owned()))
        );
        assert_clean("from a import (b,\n    c)\nraise E from e\nyield from x\n");
        // Only a compound statement ends with `:`.
        assert_eq!(
            parser_error("if a:\n    pass\nels:\n    pass\n"),
            Some((3, "invalid syntax".to_owned()))
        );
        assert_clean("d = {\n  'a': 1,\n        'b': x[1:],\n 'c': 3}\n");
    }

    #[test]
    fn lines_without_indentation() {
        // Continuation lines, inside brackets or after `\`, and the lines of a string.
        assert_clean("x = (1,\n  2)\ny = 1 + \\\n        2\nz = 3\n");
        assert_clean("if x:\n    y = 1 + \\\n2\n    z = 3\n");
        assert_clean("def f():\n    '''doc\n  odd\n        more'''\n    return 1\n");
        assert_clean("def f():\n    x = [\n1,\n]\n    s = 'a\\\nb'\n    return x\n");
        // Blank lines and comments, at any indentation.
        assert_clean("x = 1\n        \n        # comment\ny = 2\n");
        assert_clean("\u{feff}import os\r\nif os:\r\n    pass\r\n");
        assert_clean("");
        assert_clean("x = 1");
    }

    /// CPython takes the column of the backslash as the indentation; tree-sitter misreads the
    /// blocks after such a line, so sparkfix refuses the file.
    #[test]
    fn a_line_holding_only_a_backslash_is_refused() {
        let text = "def f():\n    \\\n    for x in y:\n        continue\n";
        assert_eq!(
            tokenizer_error(text).unwrap(),
            (
                2,
                "a line holding only a `\\` continuation is not supported (tree-sitter misreads \
                 the indentation after it)"
                    .to_owned()
            )
        );
        assert_eq!(
            tokenizer_error("x = 1\n\\\n").unwrap().1,
            "unexpected EOF while parsing"
        );
    }

    #[test]
    fn strings_and_brackets_left_open() {
        assert_eq!(
            tokenizer_error("x = 'abc\n").unwrap().1,
            "unterminated string literal (detected at line 1)"
        );
        assert_eq!(
            tokenizer_error("x = 1\ny = '''abc\n\n").unwrap(),
            (
                2,
                "unterminated triple-quoted string literal (detected at line 3)".to_owned()
            )
        );
        assert_eq!(
            tokenizer_error("df = (spark.read\n  .filter(\n").unwrap(),
            (2, "'(' was never closed".to_owned())
        );
        assert_eq!(
            tokenizer_error("x = [1, (2,\n3]\n").unwrap().1,
            "closing parenthesis ']' does not match opening parenthesis '(' on line 1"
        );
        assert_eq!(tokenizer_error("x = 1)\n").unwrap().1, "unmatched ')'");
        assert_eq!(
            tokenizer_error("x = 1 \\ 2\n").unwrap().1,
            "unexpected character after line continuation character"
        );
        assert_eq!(
            tokenizer_error("x = 1\\").unwrap().1,
            "unexpected EOF while parsing"
        );
        assert_eq!(
            tokenizer_error("x = 1 + \\\n").unwrap().1,
            "unexpected EOF while parsing"
        );
        assert_eq!(
            tokenizer_error("x = 1\0\n").unwrap().1,
            "source code cannot contain null bytes"
        );
    }

    #[test]
    fn strings_hide_what_they_hold() {
        assert_clean(
            "x = 'a # b' # it's\ny = \"(\" + '\\'' + r'\\'' + \"\"\"a \"b\" \"\"c\"\" \"\"\"\n",
        );
        assert_clean(
            "x = '''it's\n  (\n'''\ny = b'\\xff' + rb'\\d' + Rb'x' + BR'y' + u'z' + F'w'\n",
        );
        assert_clean("s = f'{x!r:>{width}} {{literal}} {y:{a}.{b}}' + f'{ {\"a\": 1}[\"a\"] }'\n");
        assert_clean("s = f'{f\"{x}\"}' + f'{(lambda: 1)()}' + f'{x=}' + f'{a != b}'\n");
        assert_clean("s = f'''\n{\n  x\n}\n'''\n");
        assert_clean("s = f'\\N{EM DASH} {x}' + f'\\{x}'\n");
        // Python 3.12 lets a field hold the f-string's own quote.
        assert_clean("s = f\"{d[\"k\"]}\" + f\"{'\\n'.join(x)}\"\n");
        assert_eq!(
            tokenizer_error("s = f'a}'\n").unwrap().1,
            "f-string: single '}' is not allowed"
        );
    }

    #[test]
    fn python_2_literals() {
        let leading_zeros = "leading zeros in decimal integer literals are not permitted; use an \
                             0o prefix for octal integers";
        assert_eq!(tokenizer_error("x = 0777\n").unwrap().1, leading_zeros);
        assert_eq!(tokenizer_error("x = 0_7\n").unwrap().1, leading_zeros);
        assert_eq!(
            tokenizer_error("x = 10L\n").unwrap().1,
            "invalid decimal literal"
        );
        assert_eq!(
            tokenizer_error("x = 0x1fL\n").unwrap().1,
            "invalid hexadecimal literal"
        );
        assert_clean(
            "x = [0, 00, 0_0, 0.5, 07.5, 0777j, 0777e1, 1_000.5e-3j, 0xDEAD_BEEF, 0o17]\n",
        );
        assert_clean("x = [0b1010, 1., .5, 1e10, 1if y else 2, x.real, ..., a[1:.5]]\n");
        for text in ["x = `y`\n", "x = 1 <> 2\n", "x = ur'abc'\n", "x = bu''\n"] {
            assert_eq!(
                parser_error(text).unwrap(),
                (1, "invalid syntax".to_owned()),
                "{text:?}"
            );
        }
        assert_eq!(
            parser_error("x = b'\u{e9}'\n").unwrap().1,
            "bytes can only contain ASCII literal characters"
        );
        for text in [
            "x = '\\u12'\n",
            "x = '\\xZ'\n",
            "x = b'\\x1'\n",
            "x = '\\N'\n",
            "x = f'{a}\\U1234'\n",
        ] {
            assert!(parser_error(text).unwrap().1.contains("escape"), "{text:?}");
        }
        assert_clean(
            "x = ['\\u00e9\\xff\\U0001F600\\N{EM DASH}', b'\\u12\\N', r'\\u', rb'\\x', '\\q']\n",
        );
        // Keywords may touch a string.
        assert_clean("x = 'a' if'b'else'c'\ny = 'a'in'abc'\n");
    }

    #[test]
    fn linear_in_deep_and_long_input() {
        let nested = format!("x = {}1{}\n", "(".repeat(100_000), ")".repeat(100_000));
        assert_eq!(
            tokenizer_error(&nested),
            Some((1, "too many nested parentheses".to_owned()))
        );
        let fields = format!("s = f'{}'\n", "{x}".repeat(100_000));
        assert_clean(&fields);
        let deep = (0..2_000)
            .map(|depth| format!("{}if x:\n", " ".repeat(depth)))
            .collect::<String>()
            + &" ".repeat(2_000)
            + "pass\n";
        assert_eq!(
            tokenizer_error(&deep),
            Some((101, "too many levels of indentation".to_owned()))
        );
    }

    #[test]
    fn a_lone_carriage_return_is_refused() {
        let reason = "a carriage return without a line feed is not supported (CPython reads a \
                      line break where tree-sitter reads a space)";
        assert_eq!(
            tokenizer_error("x = 1\ndf \r= spark\n"),
            Some((2, reason.to_owned()))
        );
        assert_eq!(tokenizer_error("x = 1\r"), Some((1, reason.to_owned())));
        assert_clean("x = 1\r\ny = 2\n");
    }

    #[test]
    fn a_line_break_in_a_field_of_a_one_line_f_string() {
        assert_eq!(
            tokenizer_error("x = 1\nprint(f\"n: {df.count\n()}\")\n"),
            Some((
                2,
                "unterminated string literal (detected at line 2)".to_owned()
            ))
        );
        assert_clean("print(f\"\"\"n: {df.count\n()}\"\"\")\n");
    }

    #[test]
    fn invisible_characters_outside_strings() {
        for (character, code) in [
            ('\u{a0}', "00A0"),
            ('\u{feff}', "FEFF"),
            ('\u{200b}', "200B"),
        ] {
            assert_eq!(
                tokenizer_error(&format!("x = 1\ny ={character}2\n")),
                Some((2, format!("invalid non-printable character U+{code}")))
            );
            assert_clean(&format!("s = '{character}'  # {character}\n"));
        }
        assert_clean("\u{feff}x = 1\n");
        assert_eq!(
            tokenizer_error("x = 1\nord=\x0bers\n"),
            Some((2, "invalid non-printable character U+000B".to_owned()))
        );
        assert_clean("x = 1\x0c\ny = '\x0b'\n");
        assert_eq!(
            tokenizer_error("n_orders\u{feff} = 0\n"),
            Some((1, "invalid non-printable character U+FEFF".to_owned()))
        );
        assert_clean("café = 1\n");
    }

    #[test]
    fn nesting_limits_are_cpythons() {
        // Checked against CPython 3.11: 200 brackets and 99 indented levels compile, one more
        // does not.
        // Every kind of bracket counts.
        assert_eq!(
            tokenizer_error(&format!(
                "x = {}{{1}}{}\n",
                "[(".repeat(100),
                ")]".repeat(100)
            )),
            Some((1, "too many nested parentheses".to_owned()))
        );
        let parens = |n: usize| format!("x = {}1{}\n", "(".repeat(n), ")".repeat(n));
        assert_clean(&parens(200));
        assert_eq!(
            tokenizer_error(&parens(201)),
            Some((1, "too many nested parentheses".to_owned()))
        );
        let blocks = |n: usize| {
            (0..n)
                .map(|depth| format!("{}if x:\n", "    ".repeat(depth)))
                .collect::<String>()
                + &"    ".repeat(n)
                + "pass\n"
        };
        assert_clean(&blocks(99));
        assert_eq!(
            tokenizer_error(&blocks(100)),
            Some((101, "too many levels of indentation".to_owned()))
        );
    }
}
