//! A seeded mutator for the fuzz tests: a small deterministic random source and the edits it
//! makes to Python sources (spans deleted, duplicated and swapped, tokens and random bytes
//! inserted, truncation, re-indentation, code wrapped in functions, loops and blocks, lines
//! spliced from another file) and to event logs (lines dropped, repeated, swapped and cut,
//! numbers and names replaced, bytes flipped, logs concatenated). The same seed gives the same
//! mutants on every machine, so a failure found in CI is reproduced by its seed.

/// SplitMix64: tiny, fast and good enough to choose mutations.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound` > 0).
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// True with probability `1 / n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
}

/// Tokens worth inserting: Python's structure, PySpark's API, and what trips tokenizers.
const TOKENS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    ",",
    ".",
    "=",
    "\n",
    "    ",
    "\t",
    "'",
    "\"",
    "\"\"\"",
    "\\",
    "#",
    "\\\n",
    "\r\n",
    "\r",
    "\0",
    "\u{feff}",
    "é",
    "λ",
    "f'{x}'",
    "lambda: ",
    "yield ",
    "await ",
    "return ",
    "del df\n",
    "global df\n",
    "nonlocal df\n",
    "async ",
    "*",
    "**",
    ":=",
    "df",
    "spark",
    ".cache()",
    ".persist()",
    ".unpersist()",
    ".count()",
    ".collect()",
    ".show()",
    ".toPandas()",
    ".isEmpty()",
    ".rdd",
    ".limit(1)",
    ".coalesce(1)",
    ".repartition(8)",
    ".join(dim, 'id')",
    ".join(F.broadcast(dim), 'id', 'left')",
    ".groupBy('k').count()",
    ".withColumn('c', F.lit(1))",
    ".withColumnRenamed('a', 'b')",
    ".filter('x > 1')",
    ".select('a')",
    ".write.mode('overwrite').parquet('s3://b/out/')",
    "spark.read.parquet('s3://b/dim/')",
    "spark.read.csv('s3://b/in/')",
    "spark.table('t')",
    "spark.sql('select 1')",
    "spark.range(10)",
    "spark.readStream.format('kafka').load()",
    "F.udf(lambda x: x)",
    "spark.conf.set('spark.sql.shuffle.partitions', 8)\n",
    "if df.count() > 0:\n    pass\n",
    "for c in cols:\n    df = df.withColumn(c, F.lit(0))\n",
    "for i in range(3):\n",
    "while True:\n    break\n",
    "with open('f') as fh:\n",
    "try:\n",
    "except Exception:\n    pass\n",
    "def f(df):\n    return df.count()\n",
    "class C:\n",
    "print(df.count())\n",
    "logger.info('%d', df.count())\n",
    "df = df.cache()\n",
    "import pyspark.sql.functions as F\n",
    "from pyspark.sql import SparkSession\n",
    "# noqa: SPK001\n",
    "# sparkfix: noqa\n",
    "# sparkfix-notebook-cell 2\n",
];

/// Lines that open a block, for wrapping code.
const WRAPPERS: &[&str] = &[
    "def job():",
    "async def job():",
    "def job(spark, df):",
    "for _ in range(3):",
    "while running:",
    "if __name__ == '__main__':",
    "if logger.isEnabledFor(logging.DEBUG):",
    "with spark_session() as spark:",
    "try:",
    "class Job:",
    "def outer():\n    def inner():",
];

/// One to four mutations of `text`, with lines spliced from `other`.
pub fn mutate_source(rng: &mut Rng, text: &str, other: &str) -> String {
    let mut out = text.to_owned();
    for _ in 0..1 + rng.below(4) {
        out = mutate_once(rng, &out, other);
    }
    out
}

fn mutate_once(rng: &mut Rng, text: &str, other: &str) -> String {
    let bytes = text.as_bytes();
    match rng.below(11) {
        0 => {
            let (start, end) = span(rng, bytes.len(), 80);
            lossy([&bytes[..start], &bytes[end..]])
        }
        1 => {
            let (start, end) = span(rng, bytes.len(), 200);
            lossy([&bytes[..end], &bytes[start..end], &bytes[end..]])
        }
        2 => swap_lines(rng, text),
        3 | 4 => {
            let at = rng.below(bytes.len() + 1);
            let token = rng.pick(TOKENS).as_bytes();
            lossy([&bytes[..at], token, &bytes[at..]])
        }
        5 => {
            let at = rng.below(bytes.len() + 1);
            let noise: Vec<u8> = (0..1 + rng.below(4)).map(|_| rng.next() as u8).collect();
            lossy([&bytes[..at], &noise, &bytes[at..]])
        }
        6 => lossy([&bytes[..rng.below(bytes.len() + 1)]]),
        7 => reindent(rng, text),
        8 => wrap(rng, text),
        9 => splice(rng, text, other),
        _ => {
            // A line moved to the other end of the file.
            let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
            if lines.len() > 1 {
                let line = lines.remove(rng.below(lines.len()));
                if rng.one_in(2) {
                    lines.push(line);
                } else {
                    lines.insert(0, line);
                }
            }
            lines.concat()
        }
    }
}

/// A random span of at most `max` bytes in `0..len`.
fn span(rng: &mut Rng, len: usize, max: usize) -> (usize, usize) {
    let start = rng.below(len + 1);
    let end = (start + rng.below(max + 1)).min(len);
    (start, end)
}

/// The parts joined; bytes that are not UTF-8 (a character cut in two) become U+FFFD, as the
/// engine only ever receives text.
fn lossy<const N: usize>(parts: [&[u8]; N]) -> String {
    String::from_utf8_lossy(&parts.concat()).into_owned()
}

fn swap_lines(rng: &mut Rng, text: &str) -> String {
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    if lines.len() > 1 {
        let a = rng.below(lines.len());
        let b = rng.below(lines.len());
        lines.swap(a, b);
    }
    lines.concat()
}

/// Lines `a..b` indented by four spaces or a tab more, or one level less.
fn reindent(rng: &mut Rng, text: &str) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let (a, b) = span(rng, lines.len(), 12);
    let how = rng.below(3);
    let mut out = String::new();
    for (index, line) in lines.iter().enumerate() {
        if (a..b).contains(&index) {
            match how {
                0 => out.push_str("    "),
                1 => out.push('\t'),
                _ => {
                    out.push_str(line.strip_prefix("    ").unwrap_or(line));
                    continue;
                }
            }
        }
        out.push_str(line);
    }
    out
}

/// The whole text, or lines `a..b`, moved into a block.
fn wrap(rng: &mut Rng, text: &str) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let (a, b) = if rng.one_in(2) {
        (0, lines.len())
    } else {
        span(rng, lines.len(), 20)
    };
    let wrapper = rng.pick(WRAPPERS);
    let depth = wrapper.matches('\n').count() + 1;
    let indent = "    ".repeat(depth);
    let mut out: String = lines[..a].concat();
    out.push_str(wrapper);
    out.push('\n');
    for line in &lines[a..b] {
        if !line.trim().is_empty() {
            out.push_str(&indent);
        }
        out.push_str(line);
    }
    if a == b || !out.ends_with('\n') {
        out.push_str(&format!("\n{indent}pass\n"));
    }
    if *wrapper == "try:" {
        out.push_str("finally:\n    pass\n");
    }
    out.push_str(&lines[b..].concat());
    out
}

/// Up to 15 lines of `other` inserted at a line boundary of `text`.
fn splice(rng: &mut Rng, text: &str, other: &str) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let theirs: Vec<&str> = other.split_inclusive('\n').collect();
    let (a, b) = span(rng, theirs.len(), 15);
    let at = rng.below(lines.len() + 1);
    let mut out = lines[..at].concat();
    out.push_str(&theirs[a..b].concat());
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&lines[at..].concat());
    out
}

/// Values that stress the arithmetic on a log's figures.
const NUMBERS: &[&str] = &[
    "0",
    "-1",
    "1",
    "18446744073709551615",
    "9223372036854775807",
    "-9223372036854775808",
    "1e308",
    "1.5",
    "null",
    "\"12\"",
    "[]",
    "{}",
    "true",
];

/// One to three mutations of a plain-text event log (one JSON event per line); `other` is
/// another log for concatenation.
pub fn mutate_log(rng: &mut Rng, log: &[u8], other: &[u8]) -> Vec<u8> {
    let mut out = log.to_vec();
    for _ in 0..1 + rng.below(3) {
        out = mutate_log_once(rng, &out, other);
    }
    out
}

fn mutate_log_once(rng: &mut Rng, log: &[u8], other: &[u8]) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = log
        .split_inclusive(|byte| *byte == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    if lines.is_empty() {
        return other.to_vec();
    }
    let at = rng.below(lines.len());
    match rng.below(9) {
        0 => {
            lines.remove(at);
        }
        1 => {
            let line = lines[at].clone();
            lines.insert(at, line);
        }
        2 => {
            let b = rng.below(lines.len());
            lines.swap(at, b);
        }
        3 => {
            let cut = rng.below(lines[at].len() + 1);
            lines[at].truncate(cut);
        }
        4 | 5 => lines[at] = replace_number(rng, &lines[at]),
        6 => {
            let line = &mut lines[at];
            if !line.is_empty() {
                let index = rng.below(line.len());
                line[index] ^= 1 << rng.below(8);
            }
        }
        7 => {
            // A log followed by another, as `cat` of two files gives.
            let mut joined = lines.concat();
            joined.extend_from_slice(other);
            return joined;
        }
        _ => {
            let cut = rng.below(log.len() + 1);
            return log[..cut].to_vec();
        }
    }
    lines.concat()
}

/// `line` with one of its numbers (or the value after one of its `":`) replaced.
fn replace_number(rng: &mut Rng, line: &[u8]) -> Vec<u8> {
    let digits: Vec<usize> = line
        .iter()
        .enumerate()
        .filter(|(index, byte)| {
            byte.is_ascii_digit() && (*index == 0 || !line[index - 1].is_ascii_digit())
        })
        .map(|(index, _)| index)
        .collect();
    if digits.is_empty() {
        return line.to_vec();
    }
    let start = *rng.pick(&digits);
    let mut end = start;
    while end < line.len() && (line[end].is_ascii_digit() || line[end] == b'.') {
        end += 1;
    }
    [&line[..start], rng.pick(NUMBERS).as_bytes(), &line[end..]].concat()
}

/// `bytes` with a few bytes flipped, or cut short: for compressed logs.
pub fn damage_bytes(rng: &mut Rng, bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    if out.is_empty() || rng.one_in(3) {
        out.truncate(rng.below(out.len() + 1));
        return out;
    }
    for _ in 0..1 + rng.below(3) {
        let index = rng.below(out.len());
        out[index] ^= 1 << rng.below(8);
    }
    out
}
