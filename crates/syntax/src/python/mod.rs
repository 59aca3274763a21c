//! sparkfix's own Python parser: a recursive-descent parser that builds the tree tree-sitter-python
//! builds (the same node kinds, fields, anonymous tokens, extras and byte ranges) for the Python
//! it knows, several times faster. On anything else (a syntax error, Python 2, a construct it does
//! not know, a token it cannot place as tree-sitter does) it gives up, and the caller parses with
//! tree-sitter: the trees are equal by construction or by fallback, never different. The
//! differential tests (`tests/parser_parity.rs`) compare the two on every file they read.
//!
//! Parsing emits events (start a node, a token, finish a node); `events.rs` turns them into a
//! [`Tree`], placing each comment in the deepest node with a token on both sides, as
//! tree-sitter's parser does.

mod definitions;
mod displays;
mod events;
mod expressions;
mod ids;
mod imports;
mod lexer;
mod statements;

use crate::tree::Tree;
use events::{Event, Marker};
use ids::Ids;
use lexer::{Kind, Token};

/// Why the parser gave up. Only tests look at it.
pub(crate) type Bail = &'static str;

type Parsed<T = ()> = Result<T, Bail>;

/// Parses `text`, or gives up (see the module's documentation).
pub(crate) fn parse(text: &str) -> Result<Tree, Bail> {
    let tokens = lexer::tokenize(text)?;
    let mut parser = Parser::new(text, tokens);
    parser.module()?;
    Ok(events::build(&parser.events, text.len()))
}

/// Hard keywords: never an identifier.
const KEYWORDS: [&str; 35] = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

struct Parser<'s> {
    text: &'s str,
    tokens: Vec<Token>,
    /// The indices of the tokens that are not comments or line continuations.
    significant: Vec<u32>,
    /// The index in `significant` of the next token.
    at: usize,
    events: Vec<Event>,
    ids: &'static Ids,
    /// How deep the parse functions recurse, bounded so that deep nesting falls back.
    depth: u32,
}

/// Deeper nesting falls back to tree-sitter (whose tree the syntax check then refuses).
const MAX_DEPTH: u32 = 400;

impl<'s> Parser<'s> {
    fn new(text: &'s str, tokens: Vec<Token>) -> Self {
        let significant = tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| !matches!(t.kind, Kind::Comment | Kind::LineContinuation))
            .map(|(i, _)| i as u32)
            .collect();
        Parser {
            text,
            events: Vec::with_capacity(tokens.len() * 2),
            tokens,
            significant,
            at: 0,
            ids: ids::ids(),
            depth: 0,
        }
    }

    fn token(&self, ahead: usize) -> Token {
        let index = self
            .significant
            .get(self.at + ahead)
            .or(self.significant.last())
            .copied()
            .expect("the lexer always ends with an end token");
        self.tokens[index as usize]
    }

    fn kind(&self, ahead: usize) -> Kind {
        self.token(ahead).kind
    }

    fn text_of(&self, token: Token) -> &'s str {
        &self.text[token.start as usize..token.end as usize]
    }

    /// The text of the token `ahead` of the next, if it is an operator or a name.
    fn nth(&self, ahead: usize) -> &'s str {
        let token = self.token(ahead);
        match token.kind {
            Kind::Op | Kind::Name => self.text_of(token),
            _ => "",
        }
    }

    fn at(&self, text: &str) -> bool {
        self.nth(0) == text
    }

    /// Whether the next token is a name that is not a keyword.
    fn at_identifier(&self) -> bool {
        self.kind(0) == Kind::Name && !KEYWORDS.contains(&self.nth(0))
    }

    fn enter(&mut self) -> Parsed {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("nested too deep");
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Emits the next token, and the comments and continuations after it.
    fn bump_as(&mut self, kind: u16, named: bool, field: u8) -> Marker {
        let index = self.significant[self.at.min(self.significant.len() - 1)] as usize;
        let token = self.tokens[index];
        let marker = Marker::at(self.events.len());
        self.events.push(Event::Token {
            kind,
            named,
            field,
            start: token.start,
            end: token.end,
            forward: 0,
        });
        self.at += 1;
        let next = self
            .significant
            .get(self.at)
            .map_or(self.tokens.len(), |&i| i as usize);
        self.emit_trivia(index + 1..next);
        marker
    }

    /// Emits the comments and line continuations among `tokens[range]` as extras.
    fn emit_trivia(&mut self, range: std::ops::Range<usize>) {
        for trivia in &self.tokens[range] {
            let kind = match trivia.kind {
                Kind::Comment => self.ids.comment,
                _ => self.ids.line_continuation,
            };
            self.events.push(Event::Extra {
                kind,
                start: trivia.start,
                end: trivia.end,
            });
        }
    }

    /// `item, item, ...` up to `close` (a trailing comma allowed), which is then read.
    fn comma_list(&mut self, close: &str, item: fn(&mut Self) -> Parsed) -> Parsed {
        loop {
            item(self)?;
            if !self.at(",") {
                break;
            }
            self.bump(0)?;
            if self.at(close) {
                break;
            }
        }
        self.expect(close)
    }

    /// Emits the next token as the anonymous node its text names.
    fn bump(&mut self, field: u8) -> Parsed {
        let text = self.nth(0);
        let kind = self.ids.anonymous(text).ok_or("unknown token")?;
        self.bump_as(kind, false, field);
        Ok(())
    }

    /// Emits the next token as a hidden one: it widens its parent, no node of its own.
    fn bump_hidden(&mut self) {
        self.bump_as(0, false, 0);
    }

    /// Emits the next token as a named leaf of `kind`.
    fn bump_named(&mut self, kind: u16, field: u8) -> Marker {
        self.bump_as(kind, true, field)
    }

    fn expect(&mut self, text: &str) -> Parsed {
        if !self.at(text) {
            return Err("unexpected token");
        }
        self.bump(0)
    }

    fn expect_kind(&mut self, kind: Kind) -> Parsed {
        if self.kind(0) != kind {
            return Err("unexpected token");
        }
        self.bump_hidden();
        Ok(())
    }

    fn identifier(&mut self, field: u8) -> Parsed {
        if !self.at_identifier() {
            return Err("expected a name");
        }
        self.bump_named(self.ids.identifier, field);
        Ok(())
    }

    fn start(&mut self) -> Marker {
        events::start(&mut self.events)
    }

    fn complete(&mut self, marker: Marker, kind: u16) -> Marker {
        events::complete(&mut self.events, marker, kind)
    }

    fn precede(&mut self, marker: Marker) -> Marker {
        events::precede(&mut self.events, marker)
    }

    fn set_field(&mut self, marker: Marker, field: u8) {
        events::set_field(&mut self.events, marker, field);
    }

    fn kind_of(&self, marker: Marker) -> u16 {
        events::kind_of(&self.events, marker)
    }

    fn module(&mut self) -> Parsed {
        let module = self.start();
        // Comments before the first statement.
        self.emit_trivia(0..self.significant[0] as usize);
        if self.kind(0) == Kind::End {
            return Err("no statements");
        }
        while self.kind(0) != Kind::End {
            self.statement()?;
        }
        self.complete(module, self.ids.module);
        Ok(())
    }
}

/// How sparkfix's parser did on a text, against tree-sitter's tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parity {
    /// The parser gave up (tree-sitter parses the text): why.
    Refused(&'static str),
    /// The two trees are equal, node for node.
    Same,
    /// tree-sitter's tree has an error where this parser built one (tree-sitter cannot read
    /// all of Python: a dedent inside brackets): the tests check that CPython compiles the text.
    TreeSitterError,
    /// The trees differ: the first node that does, as tree-sitter's and this parser's.
    Different { tree_sitter: String, ours: String },
}

/// Parses `text` both ways and compares (the differential tests).
pub fn parity(text: &str) -> Parity {
    let ours = match parse(text) {
        Ok(tree) => tree,
        Err(reason) => return Parity::Refused(reason),
    };
    let theirs = Tree::from_tree_sitter(&crate::parser::parse_tree_sitter(text));
    if theirs.root().has_error() {
        return Parity::TreeSitterError;
    }
    match crate::tree::first_difference(&theirs, &ours, text) {
        None => Parity::Same,
        Some((tree_sitter, ours)) => Parity::Different { tree_sitter, ours },
    }
}

#[cfg(test)]
mod tests {
    use super::{Parity, parity};

    /// Python sparkfix's parser must build itself, exactly as tree-sitter does.
    #[test]
    fn builds_tree_sitters_tree() {
        let cases = [
            "import a.b as c, d\nfrom . import (x, y as z,)\nfrom ..m import *\nfrom __future__ import annotations\n",
            "x = y = f(a, *b, c=1, **d)[1:2, ::3].e\n",
            "a, *b = c, d\n[e, (f, g)] = h\nx: int = 1\ny: List[int] | None = None\nz += 1\n",
            "def f(a, /, b: int = 1, *args: str, c, **kw) -> Dict[str, int]:\n    \"\"\"Doc.\"\"\"\n    return a if b else c\n",
            "@d\n@e.f(1)\nclass C(B, metaclass=M):\n    x = 1  # c\n    # inside\n# outside\n\ny = 2\n",
            "for i, (a, b) in enumerate(x):\n    if not a and b or c:\n        continue\n    elif a is not b:\n        break\nelse:\n    pass\n",
            "while x < y <= z != w not in v:\n    x = -x ** 2 + ~y // 3 @ m\n",
            "try:\n    pass\nexcept (A, B) as e:\n    raise C from e\nexcept D:\n    pass\nelse:\n    pass\nfinally:\n    pass\n",
            "with open(p) as f, g:\n    data = [x for x in f if x] or {k: v for k, v in d} or {s for s in t} or (x async for x in y)\n",
            "s = f'{a!r:>{w}} {b=}' 'c\\n' r'\\d' b'\\x00' u\"\\N{DASH}\" '\\q'\nt = \"\"\"\n  many\n\"\"\"\n",
            "lambda: 0\nlambda x, *y, z=1, **k: x\nf(x for x in y)\nawait_ = 1\nasync def g():\n    await h()\n    yield\n    yield from i\n",
            "if x:\n    pass\n    # indented comment\n  # shallower\n# at the margin\n",
            "x = (1,\n     2)  # trailing\ny = [\n    # inside brackets\n    3,\n] \\\n    + z\n",
            "global a, b\ndel a, b[0]\nassert a, 'm'\nprint(1); print(2);\n",
            "mode = (s := a if b else c)\nf(x := a or b)\nn = 0x1F + 0o17 + 0b1_0 + 1_000j + 1e-3\n",
        ];
        for case in cases {
            assert_eq!(parity(case), Parity::Same, "{case:?}");
        }
    }

    /// tree-sitter's readings that CPython does not share: the parser leaves them to it.
    #[test]
    fn leaves_tree_sitters_quirks_to_tree_sitter() {
        let cases = [
            // `(*a).b` for tree-sitter.
            "xs = [*a.b]\nf(*sys.argv.copy())\n*a.b, c = d\n",
            // A type alias for tree-sitter.
            "type(x).y = 1\n",
            // A walrus for tree-sitter, a format specifier for CPython.
            "f\"{x:=10}\"\n",
            // tree-sitter keeps a line continuation before a string out of the tree.
            "x = 'a' \\\n    'b'\n",
            "print 'python 2'\n",
            "match x:\n    case 1:\n        pass\n",
            "x = 'a\0b'\n",
            // tree-sitter and CPython refuse these; the parser must not build a tree.
            "for x in *[1, 2]:\n    pass\n",
            "x = 0o\n",
            "x = 0o8\n",
        ];
        for case in cases {
            assert!(
                matches!(parity(case), Parity::Refused(_)),
                "{case:?}: {:?}",
                parity(case)
            );
        }
    }

    #[test]
    fn gives_up_on_syntax_errors() {
        for case in [
            "f(,)\n",
            "x = \n",
            "def f(:\n    pass\n",
            "if x\n    y\n",
            "x = (1,\n",
        ] {
            assert!(matches!(parity(case), Parity::Refused(_)), "{case:?}");
        }
    }
}
