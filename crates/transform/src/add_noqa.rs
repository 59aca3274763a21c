//! `--add-noqa`: a `# noqa: CODES` comment for every current finding, for adopting sparkfix on
//! an old repository (as ruff's `--add-noqa`). The comment goes at the end of the line where
//! the finding starts, else of the first line of the statement that holds it, when a comment
//! can stand there (not inside a multi-line string, not after a line-continuation backslash);
//! a finding with no such line is left as it is and counted.

use std::collections::BTreeMap;

use sparkfix_syntax::{SourceFile, SyntaxNode};

use crate::engine::{ParseError, check_file};
use crate::settings::Settings;

/// The result of [`add_noqa`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoqaOutcome {
    /// The text with the comments added (the original when none was).
    pub text: String,
    /// Comments added (one per line).
    pub added: usize,
    /// Findings no comment could be placed for; they still show.
    pub unplaced: usize,
}

/// Adds `# noqa: CODES` comments for the findings of `source`.
pub fn add_noqa(source: &str, settings: &Settings) -> Result<NoqaOutcome, ParseError> {
    let file = crate::engine::parse(source)?;
    let diagnostics = check_file(&file, settings);
    let mut by_line: BTreeMap<usize, Vec<&'static str>> = BTreeMap::new();
    let mut unplaced = 0;
    for diagnostic in &diagnostics {
        let own = diagnostic.location.line;
        let statement = file
            .root()
            .covering(diagnostic.range.clone())
            .enclosing_statement()
            .map(|statement| file.line_column(statement.start()).line);
        match [Some(own), statement]
            .into_iter()
            .flatten()
            .find(|&line| takes_a_comment(&file, line))
        {
            Some(line) => by_line.entry(line).or_default().push(diagnostic.code),
            None => unplaced += 1,
        }
    }
    let mut text = source.to_owned();
    // From the last line up, so earlier offsets stay valid.
    for (&line, codes) in by_line.iter().rev() {
        let mut codes = codes.clone();
        codes.sort_unstable();
        codes.dedup();
        let end = line_end(&file, line);
        text.insert_str(end, &format!("  # noqa: {}", codes.join(", ")));
    }
    Ok(NoqaOutcome {
        added: by_line.len(),
        unplaced,
        text,
    })
}

/// The byte offset where 1-based `line` ends (before its `\r\n` or `\n`).
fn line_end(file: &SourceFile, line: usize) -> usize {
    let text = file.text();
    let lines = file.lines();
    let end = if line < lines.line_count() {
        lines.line_start(line) - 1
    } else {
        text.len()
    };
    if text[..end].ends_with('\r') {
        end - 1
    } else {
        end
    }
}

/// Whether a comment can go at the end of `line`: the line does not continue with a
/// backslash, and its end is not inside a string.
fn takes_a_comment(file: &SourceFile, line: usize) -> bool {
    let source = file.text();
    let end = line_end(file, line);
    let start = source[..end].rfind('\n').map_or(0, |at| at + 1);
    if source[start..end].trim_end().ends_with('\\') {
        return false;
    }
    let node = file.root().covering(end..end);
    !std::iter::successors(Some(node), SyntaxNode::parent)
        .any(|node| node.is_string() && node.start() < end && end < node.end())
}

#[cfg(test)]
mod tests {
    use super::*;

    const JOB: &str = "from pyspark.sql import SparkSession\n\
                       spark = SparkSession.builder.getOrCreate()\n\
                       df = spark.read.json(\"s3://bucket/events/\").filter(\"kind = 'click'\")\n\
                       print(df.count())\n\
                       df.write.parquet(\"s3://bucket/clicks/\")\n";

    #[test]
    fn each_finding_gets_its_line_comment_and_then_none_shows() {
        let settings = Settings::default();
        let outcome = add_noqa(JOB, &settings).unwrap();
        // SPK001 (cache `df`), SPK005 (the count), SPK003 (the write).
        assert_eq!((outcome.added, outcome.unplaced), (3, 0));
        assert!(
            outcome.text.contains("print(df.count())  # noqa: SPK005\n"),
            "{}",
            outcome.text
        );
        assert!(
            outcome.text.contains("  # noqa: SPK003\n"),
            "{}",
            outcome.text
        );
        assert_eq!(crate::check(&outcome.text, &settings).unwrap(), []);
        // A second run adds nothing.
        let again = add_noqa(&outcome.text, &settings).unwrap();
        assert_eq!((again.added, again.text), (0, outcome.text));
    }

    #[test]
    fn a_line_that_continues_gives_its_comment_to_the_statement_or_to_nobody() {
        // The count's line ends in a backslash: its statement starts on the same line, so the
        // finding cannot be silenced by a comment; the cache's and the write's can.
        let continued = JOB.replace("print(df.count())\n", "print(df.count(),\\\n      1)\n");
        let outcome = add_noqa(&continued, &Settings::default()).unwrap();
        assert_eq!(
            (outcome.added, outcome.unplaced),
            (2, 1),
            "{}",
            outcome.text
        );
        assert!(
            sparkfix_syntax::SourceFile::parse(outcome.text.clone())
                .first_syntax_error()
                .is_none()
        );
    }

    #[test]
    fn line_ends_skip_carriage_returns() {
        let end = |text: &str, line| line_end(&SourceFile::parse(text.to_string()), line);
        assert_eq!(end("a\r\nbc\n", 1), 1);
        assert_eq!(end("a\r\nbc\n", 2), 5);
        assert_eq!(end("a\nbc", 2), 4);
    }
}
