//! sparkfix refuses exactly the files CPython refuses: each case is written to a file, compiled
//! by `python3` (`compile(source, path, "exec")`), and CPython's verdict (error or not) must be
//! sparkfix's (`SourceFile::first_syntax_error`). The job of the issue (an unexpected indent in a
//! function body) is run through the binary: reported, never rewritten.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use sparkfix_syntax::SourceFile;

/// A source, and the Python versions whose verdict it pins (CPython's grammar moves).
struct Case {
    name: &'static str,
    source: &'static str,
    /// The first Python version the case holds for.
    since: (u32, u32),
    /// The first Python version it no longer holds for.
    until: (u32, u32),
}

const fn case(name: &'static str, source: &'static str) -> Case {
    Case {
        name,
        source,
        since: (3, 0),
        until: (99, 0),
    }
}

/// Files CPython refuses.
const REFUSED: &[Case] = &[
    case(
        "unexpected indent in a block",
        "def f():\n    x = 1\n        y = 2\n    return x\n",
    ),
    case("unexpected indent at module level", "x = 1\n    y = 2\n"),
    case(
        "unexpected indent after a comment",
        "def f():\n    x = 1\n    # note\n        y = 2\n",
    ),
    case("indented first line", "  x = 1\n"),
    case(
        "unexpected indent after a decorator",
        "@dec\n    def f():\n        pass\n",
    ),
    case(
        "dedent to no outer level",
        "def f():\n    if x:\n        y = 1\n      z = 2\n",
    ),
    case(
        "dedent to no outer level at module level",
        "if x:\n    y = 1\n  z = 2\n",
    ),
    case("tab then eight spaces", "if x:\n\ty = 1\n        z = 2\n"),
    case("eight spaces then a tab", "if x:\n        y = 1\n\tz = 2\n"),
    case("space and tab then a tab", "if x:\n  \ty = 1\n\tz = 2\n"),
    case(
        "missing indented block",
        "def f():\n# only a comment\nx = 1\n",
    ),
    case("missing indented block at the end", "if x:\n"),
    case("empty class", "class A:\n\nx = 1\n"),
    case("print statement", "print \"x\"\n"),
    case("print statement with a tuple", "x = 1\nprint x, y\n"),
    case("exec statement", "exec \"code\"\n"),
    case("exec statement in a namespace", "exec \"code\" in ns\n"),
    Case {
        // Python 3.14 reads `except A, B:` as two exception types (PEP 758).
        until: (3, 14),
        ..case(
            "except with a comma",
            "try:\n    pass\nexcept ValueError, e:\n    pass\n",
        )
    },
    case("raise with a comma", "raise ValueError, 'message'\n"),
    case("backquotes", "x = `y`\n"),
    case("octal literal", "x = 0777\n"),
    case("long literal", "x = 10L\n"),
    case("long hexadecimal literal", "x = 0x1fL\n"),
    case("ur string", "x = ur\"abc\"\n"),
    case("not-equal diamond", "x = 1 <> 2\n"),
    case("tuple parameter", "def f(a, (b, c)):\n    pass\n"),
    case("tuple lambda parameter", "f = lambda (a, b): a\n"),
    case("unclosed parenthesis", "x = (1,\n"),
    case("missing identifier", "for x in :\n    pass\n"),
    case("unterminated string", "x = 'abc\n"),
    case("unterminated triple-quoted string", "x = '''abc\n"),
    case("mismatched brackets", "x = [1, (2,\n3]\n"),
    case("backslash at the end of the file", "x = 1 + \\"),
    case("character after a backslash", "x = 1 \\ 2\n"),
    case("null byte", "x = 1\0\n"),
    case("iterable unpacking after keyword unpacking", "f(**x, *y)\n"),
    case("positional after keyword", "f(a=1, b)\n"),
    case("positional after keyword unpacking", "f(**k, a)\n"),
    case("repeated keyword", "f(a=1, a=2)\n"),
    case(
        "parameter without default after default",
        "def f(a=1, b):\n    pass\n",
    ),
    case("duplicate parameter", "def f(a, a):\n    pass\n"),
    case("async as a name", "async = 1\n"),
    case("async as a keyword argument", "f(async=True)\n"),
    case("return outside a function", "return 1\n"),
    case(
        "return in a class in a function",
        "def f():\n    class A:\n        return 1\n",
    ),
    case("yield outside a function", "x = yield 1\n"),
    case("await outside a function", "await x\n"),
    case("await in a plain function", "def f():\n    await x\n"),
    case("break outside a loop", "break\n"),
    case(
        "continue in a loop's else",
        "for x in y:\n    pass\nelse:\n    continue\n",
    ),
    case(
        "break in a function in a loop",
        "while 1:\n    def g():\n        break\n",
    ),
    case("nonlocal at module level", "nonlocal x\n"),
    case(
        "star import in a function",
        "def f():\n    from os import *\n",
    ),
    case(
        "late future import",
        "import os\nfrom __future__ import division\n",
    ),
    case("unknown future feature", "from __future__ import braces\n"),
    case("walrus statement", "x := 1\n"),
    case("starred statement", "*a\n"),
    case("starred assignment target", "*a = 1\n"),
    case("tuple augmented assignment", "a, b += 1\n"),
    case(
        "unparenthesized comprehension iterable",
        "[x for x in 1, 2]\n",
    ),
    case("try without handlers", "try:\n    x = 1\ny = 2\n"),
    case("statement ending with =", "obj.n = \nobj.m = 2\n"),
    case("misspelled else", "if a:\n    pass\nels:\n    pass\n"),
    case("truncated unicode escape", "x = '\\u12'\n"),
    case("truncated bytes escape", "x = b'\\x1'\n"),
    case("non-ASCII bytes", "x = b'\u{e9}'\n"),
    case("single closing brace in an f-string", "s = f'a}'\n"),
    case("ERROR node", "def f(:\n    pass\n"),
];

/// Files CPython accepts, some of which look wrong.
const ACCEPTED: &[Case] = &[
    case("tabs only", "if x:\n\ty = 1\n\tif y:\n\t\tz = 2\n"),
    case(
        "tabs after spaces the same way",
        "if x:\n    \ty = 1\n    \tz = 2\n",
    ),
    case(
        "a tab-indented function",
        "def f():\n\tif x:\n\t\ty = 1\n\treturn 2\n",
    ),
    case("form feed", "if x:\n\x0c    y = 1\n"),
    case(
        "continuation lines in brackets",
        "df = (spark.read\n        .parquet('p')\n  .filter('x > 1'))\nx = 1\n",
    ),
    case(
        "backslash continuations",
        "x = 1 + \\\n        2\nif x:\n    y = 1 + \\\n2\n    z = 3\n",
    ),
    case(
        "docstring with odd indentation",
        "def f():\n    '''doc\n  odd\n        more'''\n    return 1\n",
    ),
    case(
        "dict spanning lines with weird indentation",
        "d = {\n  'a': 1,\n        'b': 2,\n 'c': 3}\n",
    ),
    case("print function", "print(x)\nprint (x, y)\nprint\n"),
    case(
        "print chevron expression",
        "import sys\nprint >>sys.stderr, 'x'\n",
    ),
    case("exec function", "exec('code')\n"),
    case(
        "except with a tuple",
        "try:\n    pass\nexcept (A, B) as e:\n    pass\n",
    ),
    case(
        "comments and blank lines at any indentation",
        "x = 1\n        # comment\n        \ny = 2\n",
    ),
    case(
        "one-line compound statements",
        "if x: y = 1\nclass A: pass\nwhile 0: break\n",
    ),
    case("crlf line endings", "import os\r\nif os:\r\n    pass\r\n"),
    case("byte order mark", "\u{feff}import os\n"),
    case("no trailing newline", "x = 1"),
    case("empty file", ""),
    case(
        "number literals",
        "x = [0, 00, 0_0, 0.5, 07.5, 0777j, 0777e1, 1_000.5e-3j, 0xDEAD_BEEF, 0o17, 0b1, 1., .5]\n",
    ),
    case(
        "string prefixes and escapes",
        "x = [b'\\xff', rb'\\d', Rb'x', BR'y', u'z', F'{w}', r'\\u', '\\u00e9\\N{EM DASH}', '\\q']\n",
    ),
    case(
        "f-strings",
        "s = f'{x!r:>{width}} {{literal}} {y:{a}.{b}}' + f'{ {\"a\": 1}[\"a\"] }'\n\
         t = f'{f\"{x}\"}' + f'{(lambda: 1)()}' + f'{x=}' + f'{a != b}'\n",
    ),
    case(
        "keywords touching strings",
        "x = 'a' if'b'else'c'\ny = 'a'in'abc'\n",
    ),
    case(
        "arguments in every legal order",
        "f(a, *b, c, d=1, *e, **g, h=2)\nf(x for x in y)\nf(a=1,  # note\n  b=2)\n",
    ),
    case(
        "parameters in every legal order",
        "def f(a, b=1, /, c=2, *args, d, e=1, **kw):\n    pass\ng = lambda a, b=1, *c, d: 0\n",
    ),
    case(
        "leading docstring, comments and future imports",
        "\"\"\"Doc.\"\"\"\n# note\nfrom __future__ import (division,\n    print_function)\nimport os\n",
    ),
    case(
        "break and continue in loops",
        "def f():\n    for x in y:\n        try:\n            break\n        finally:\n\
         \x20           continue\n    return (yield)\n",
    ),
    case(
        "nonlocal and yield where they belong",
        "def f():\n    x = 1\n    def g():\n        nonlocal x\n    g = lambda: (yield)\n",
    ),
    case(
        "await in async code",
        "async def f():\n    async with a:\n        return [await x async for x in y]\n",
    ),
    case(
        "soft keywords as names",
        "match = 1\nmatch x:\n    case 1:\n        pass\ntype = print\n",
    ),
    case(
        "starred targets and walrus in parentheses",
        "(x := 1)\na, *b = c\n*a, = c\n(a) += 1\n",
    ),
    Case {
        // Python 3.12 lets a replacement field hold the f-string's own quote.
        since: (3, 12),
        ..case("f-string reusing its quote", "s = f\"{d[\"k\"]}\"\n")
    },
];

/// A realistic job like the one of the issue: a line of `load_orders` is indented too deep.
/// tree-sitter recovers without an error node, so such jobs got findings and were rewritten;
/// CPython refuses them (`IndentationError: unexpected indent`).
const ISSUE_JOB: &str = "\
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F


def load_orders(spark, day):
    orders = spark.read.parquet(f\"s3://lake/orders/dt={day}/\")
    valid = orders.filter(F.col(\"status\") != \"cancelled\")
        print(\"orders:\", valid.count())
    valid.groupBy(\"country\").count().show()
    return valid


def main():
    spark = SparkSession.builder.appName(\"orders\").getOrCreate()
    load_orders(spark, sys.argv[1])
    spark.stop()


if __name__ == \"__main__\":
    main()
";

/// CPython's verdicts for `cases`, written under `dir`: `None` for a file it compiles, else
/// its error; and the version of `python3` as (major, minor).
fn cpython_verdicts(dir: &Path, cases: &[&Case]) -> (Vec<Option<String>>, (u32, u32)) {
    let paths: Vec<_> = cases
        .iter()
        .enumerate()
        .map(|(n, case)| {
            let path = dir.join(format!("case_{n}.py"));
            fs::write(&path, case.source).unwrap();
            path
        })
        .collect();
    let script = "import sys, warnings\n\
                  warnings.simplefilter('ignore')\n\
                  print('%d.%d' % sys.version_info[:2])\n\
                  for path in sys.argv[1:]:\n\
                  \x20   try:\n\
                  \x20       compile(open(path, 'rb').read(), path, 'exec', dont_inherit=True)\n\
                  \x20       print('OK')\n\
                  \x20   except (SyntaxError, ValueError) as error:\n\
                  \x20       print(type(error).__name__, str(error).replace('\\n', ' '))\n";
    let output = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(&paths)
        .stderr(Stdio::inherit())
        .output()
        .expect("python3 runs (the tests need it)");
    assert!(output.status.success(), "python3 failed");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let mut lines = stdout.lines();
    let version = lines.next().expect("a version line");
    let (major, minor) = version.split_once('.').expect("major.minor");
    let version = (major.parse().unwrap(), minor.parse().unwrap());
    let verdicts: Vec<_> = lines
        .map(|line| (line != "OK").then(|| line.to_owned()))
        .collect();
    assert_eq!(verdicts.len(), cases.len(), "{stdout}");
    (verdicts, version)
}

#[test]
fn sparkfix_refuses_exactly_what_cpython_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&Case, bool)> = REFUSED
        .iter()
        .map(|case| (case, true))
        .chain(ACCEPTED.iter().map(|case| (case, false)))
        .collect();
    let all: Vec<&Case> = cases.iter().map(|(case, _)| *case).collect();
    let (verdicts, version) = cpython_verdicts(dir.path(), &all);
    let mut disagreements = Vec::new();
    for ((case, expect_refused), cpython) in cases.iter().zip(&verdicts) {
        if version < case.since || version >= case.until {
            continue;
        }
        let file = SourceFile::parse(case.source);
        let sparkfix = file.first_syntax_error().map(|error| {
            let at = file.line_column(error.offset);
            format!("{}:{}: {}", at.line, at.column, error.reason)
        });
        if cpython.is_some() != *expect_refused {
            disagreements.push(format!(
                "{}: the case expects CPython to {}, but python3 {version:?} says {cpython:?}",
                case.name,
                if *expect_refused {
                    "refuse it"
                } else {
                    "accept it"
                },
            ));
        }
        if sparkfix.is_some() != cpython.is_some() {
            disagreements.push(format!(
                "{}: CPython says {cpython:?}, sparkfix says {sparkfix:?}",
                case.name
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "sparkfix and CPython disagree:\n{}",
        disagreements.join("\n")
    );
}

/// CPython accepts a line holding only `\` (the column of the backslash is the indentation),
/// but tree-sitter misreads the blocks after it: sparkfix refuses the file rather than rewrite
/// it from a wrong tree, and says so.
#[test]
fn a_line_holding_only_a_backslash_is_refused_though_cpython_accepts_it() {
    let case = case(
        "backslash-only line",
        "def f(paths):\n    \\\n    for path in paths:\n        if path:\n            continue\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let (verdicts, _) = cpython_verdicts(dir.path(), &[&case]);
    assert_eq!(verdicts, [None], "CPython accepts it");
    let error = SourceFile::parse(case.source)
        .first_syntax_error()
        .expect("sparkfix refuses it");
    assert!(
        error.reason.contains("is not supported"),
        "{}",
        error.reason
    );
}

#[test]
fn the_job_of_the_issue_is_reported_and_not_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let (verdicts, _) = cpython_verdicts(dir.path(), &[&case("issue job", ISSUE_JOB)]);
    let cpython = verdicts[0].as_deref().expect("CPython refuses the job");
    assert!(cpython.starts_with("IndentationError"), "{cpython}");
    let jobs = tempfile::tempdir().unwrap();
    fs::write(jobs.path().join("orders_job.py"), ISSUE_JOB).unwrap();
    for args in [
        &[][..],
        &["--diff"],
        &["--write"],
        &["--write", "--unsafe-fixes"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_sparkfix"))
            .args(args)
            .current_dir(jobs.path())
            .env_remove("NO_COLOR")
            .stdin(Stdio::null())
            .output()
            .expect("the sparkfix binary runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&output.stdout), "", "{args:?}");
        assert_eq!(
            String::from_utf8_lossy(&output.stderr),
            "orders_job.py:10:9: cannot parse: unexpected indent\n   |\n10 |         \
             print(\"orders:\", valid.count())\n   |         ^\n",
            "{args:?}"
        );
        assert_eq!(
            fs::read_to_string(jobs.path().join("orders_job.py")).unwrap(),
            ISSUE_JOB,
            "{args:?}"
        );
    }
}
