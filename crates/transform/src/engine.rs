//! The entry points: check a source, or fix it with the bounded fix loop.

use std::fmt;

use sparkfix_syntax::SourceFile;

use crate::diagnostic::{Diagnostic, Location};
use crate::fix_apply::apply_fixes;
use crate::model::{Source, SparkModel};
use crate::rules::{RULES, Rule, RuleContext};
use crate::settings::Settings;
use crate::suppression::Suppressions;

/// How many times the fix loop re-parses and re-runs the rules at most.
pub const MAX_FIX_PASSES: usize = 10;

/// The original source does not compile: CPython would refuse it, so the file is left alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Where the first error is (1-based line, character column).
    pub location: Location,
    /// What CPython says about it: `unexpected indent`, `invalid syntax`...
    pub reason: String,
}

/// `line:column: cannot parse: reason`, to follow a path and a colon.
impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Location { line, column } = self.location;
        write!(f, "{line}:{column}: cannot parse: {}", self.reason)
    }
}

impl std::error::Error for ParseError {}

/// Why the fix loop gave up; the outcome's text is then the original source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixFailure {
    /// Applying the fixes produced text that does not parse (a rule bug).
    SyntaxError {
        line: usize,
        codes: Vec<&'static str>,
    },
    /// The fixes kept changing the text after the maximum number of passes (a rule bug).
    NoConvergence { passes: usize },
}

impl fmt::Display for FixFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FixFailure::SyntaxError { line, codes } => write!(
                f,
                "fixes by {} would introduce a syntax error at line {line}; file left unchanged",
                codes.join(", ")
            ),
            FixFailure::NoConvergence { passes } => {
                write!(
                    f,
                    "fixes did not settle after {passes} passes; file left unchanged"
                )
            }
        }
    }
}

/// The result of [`fix`].
///
/// On failure (`failure` is `Some`), `fixed` is the original text, `applied` is 0 and
/// `remaining` repeats `diagnostics`: nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixOutcome {
    /// The findings on the original text.
    pub diagnostics: Vec<Diagnostic>,
    /// The text after every applicable fix; the original text when none applied or on failure.
    pub fixed: String,
    /// How many fixes were applied, over all passes.
    pub applied: usize,
    /// The rule code of each fix applied, over all passes (`--show-fixes`).
    pub applied_codes: Vec<&'static str>,
    /// Findings left in `fixed` (locations refer to `fixed`).
    pub remaining: Vec<Diagnostic>,
    pub failure: Option<FixFailure>,
}

/// A byte search that is much cheaper than a parse: `false` means no rule can apply.
pub fn may_contain_spark(source: &[u8]) -> bool {
    const MARKERS: [&[u8]; 4] = [b"spark", b"Spark", b"DataFrame", b"dynamic_frame"];
    MARKERS
        .iter()
        .any(|marker| memchr::memmem::find(source, marker).is_some())
}

/// Runs every rule on `source` and returns the findings, sorted by position.
pub fn check(source: &str, settings: &Settings) -> Result<Vec<Diagnostic>, ParseError> {
    if !may_contain_spark(source.as_bytes()) {
        return Ok(Vec::new());
    }
    let file = parse(source)?;
    Ok(run_rules(&file, settings, RULES))
}

/// [`check`] on a parsed file.
pub(crate) fn check_file(file: &SourceFile, settings: &Settings) -> Vec<Diagnostic> {
    run_rules(file, settings, RULES)
}

/// Whether a [`SpelledRelation`] is read or written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationUse {
    Read,
    Write,
}

/// A path or table the code spells in a read or a write, with its 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpelledRelation {
    pub line: usize,
    pub source: Source,
    pub usage: RelationUse,
}

/// The paths and tables `source` reads and writes, in source order: what `sparkfix profile`
/// matches to a log's scans and writes.
pub fn spelled_relations(source: &str) -> Result<Vec<SpelledRelation>, ParseError> {
    if !may_contain_spark(source.as_bytes()) {
        return Ok(Vec::new());
    }
    let file = parse(source)?;
    let model = SparkModel::build(&file);
    let line = |offset: usize| file.line_column(offset).line;
    let reads = model.read_sites.iter().map(|site| SpelledRelation {
        line: line(site.node.start()),
        source: site.source.clone(),
        usage: RelationUse::Read,
    });
    let writes = model.writes.iter().filter_map(|write| {
        Some(SpelledRelation {
            line: line(write.terminal.syntax().start()),
            source: write.target_pattern.clone()?,
            usage: RelationUse::Write,
        })
    });
    let mut spelled: Vec<SpelledRelation> = reads.chain(writes).collect();
    spelled.sort_by_key(|relation| relation.line);
    Ok(spelled)
}

/// The labels (application ids) of the runs in `settings`' event logs that are `source`'s own
/// job (its `appName`, else the relations it spells: `Measurements::job_runs`).
pub fn job_runs(source: &str, settings: &Settings) -> Result<Vec<String>, ParseError> {
    if !may_contain_spark(source.as_bytes()) || settings.measurements.is_empty() {
        return Ok(Vec::new());
    }
    let file = parse(source)?;
    let model = SparkModel::build(&file);
    Ok(settings
        .measurements
        .job_runs_of(&model)
        .iter()
        .map(|run| run.label().to_string())
        .collect())
}

/// Runs the fix loop on `source`: apply every applicable fix, re-parse, re-run the rules, until
/// nothing changes or [`MAX_FIX_PASSES`] is reached.
pub fn fix(source: &str, settings: &Settings) -> Result<FixOutcome, ParseError> {
    fix_with_rules(source, settings, RULES)
}

fn fix_with_rules(
    source: &str,
    settings: &Settings,
    rules: &[&dyn Rule],
) -> Result<FixOutcome, ParseError> {
    if !may_contain_spark(source.as_bytes()) {
        return Ok(unchanged(source, Vec::new(), None));
    }
    let first = parse(source)?;
    let diagnostics = run_rules(&first, settings, rules);
    drop(first);
    let mut current = diagnostics.clone();
    let mut text = source.to_owned();
    let mut applied = 0;
    let mut applied_codes = Vec::new();
    for _ in 0..MAX_FIX_PASSES {
        let fixes: Vec<_> = current
            .iter()
            .filter(|d| settings.is_fixable(d))
            .filter_map(|d| d.fix.as_ref().map(|f| (d.code, f)))
            .collect();
        if fixes.is_empty() {
            return Ok(FixOutcome {
                diagnostics,
                fixed: text,
                applied,
                applied_codes,
                remaining: current,
                failure: None,
            });
        }
        let (new_text, used) = apply_fixes(&text, &fixes);
        let file = SourceFile::parse(new_text);
        if let Some(error) = file.first_syntax_error() {
            let line = file.line_column(error.offset).line;
            let mut codes: Vec<&'static str> = used.clone();
            codes.sort();
            codes.dedup();
            let failure = FixFailure::SyntaxError { line, codes };
            return Ok(unchanged(source, diagnostics, Some(failure)));
        }
        applied += used.len();
        applied_codes.extend(used);
        current = run_rules(&file, settings, rules);
        text = file.into_text();
    }
    let failure = FixFailure::NoConvergence {
        passes: MAX_FIX_PASSES,
    };
    Ok(unchanged(source, diagnostics, Some(failure)))
}

fn unchanged(
    source: &str,
    diagnostics: Vec<Diagnostic>,
    failure: Option<FixFailure>,
) -> FixOutcome {
    FixOutcome {
        remaining: diagnostics.clone(),
        diagnostics,
        fixed: source.to_owned(),
        applied: 0,
        applied_codes: Vec::new(),
        failure,
    }
}

pub(crate) fn parse(source: &str) -> Result<SourceFile, ParseError> {
    let file = SourceFile::parse(source);
    match file.first_syntax_error() {
        Some(error) => {
            let position = file.line_column(error.offset);
            Err(ParseError {
                location: Location {
                    line: position.line,
                    column: position.column,
                },
                reason: error.reason,
            })
        }
        None => Ok(file),
    }
}

/// Builds the Spark model once and runs every rule on it.
fn run_rules(file: &SourceFile, settings: &Settings, rules: &[&dyn Rule]) -> Vec<Diagnostic> {
    let model = SparkModel::build(file);
    if !settings.measurements.is_empty() {
        let reads = model.read_sites.iter().map(|site| &site.source);
        let writes = model
            .writes
            .iter()
            .filter_map(|write| write.target_pattern.as_ref());
        settings.measurements.note_code(reads.chain(writes));
    }
    let lineage = model.lineage();
    let folds = model.folds(&lineage);
    let ctx = RuleContext {
        file,
        model: &model,
        lineage: &lineage,
        folds: &folds,
        settings,
        cells: if settings.notebook {
            crate::cells::Cells::of(file.text())
        } else {
            crate::cells::Cells::default()
        },
    };
    let suppressions = Suppressions::of(file);
    let unused = &crate::rules::unused_suppression::UnusedSuppression;
    // Whether a suppression silences nothing is a fact about the file: the rules a directive
    // names run even when not selected, their findings only marking what is used.
    let report_unused =
        !suppressions.is_empty() && settings.rules.enables(unused.code(), unused.name());
    let mut diagnostics = Vec::new();
    let mut probes = Vec::new();
    for rule in rules {
        if settings.rules.enables(rule.code(), rule.name()) {
            rule.check(&ctx, &mut diagnostics);
        } else if report_unused && suppressions.may_name(rule.code(), rule.name()) {
            rule.check(&ctx, &mut probes);
        }
    }
    if !suppressions.is_empty() {
        let mut used = std::collections::HashSet::new();
        for diagnostic in diagnostics.iter().chain(&probes) {
            used.extend(suppressions.uses(file, diagnostic));
        }
        diagnostics.retain(|diagnostic| !suppressions.suppresses(file, diagnostic));
        if report_unused && rules.iter().any(|rule| rule.code() == unused.code()) {
            let found = crate::rules::unused_suppression::report(file, &suppressions, &used);
            // Silenced only by a directive that names SPK100: a bare one that silenced
            // nothing cannot hide its own report.
            diagnostics.extend(found.into_iter().filter(|diagnostic| {
                !suppressions
                    .uses(file, diagnostic)
                    .iter()
                    .any(|(_, entry)| entry.is_some())
            }));
        }
    }
    diagnostics.sort_by(|a, b| (a.range.start, a.code).cmp(&(b.range.start, b.code)));
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_on_small_stack(source: String) -> Vec<Diagnostic> {
        // Worker threads of the CLI have 2 MiB stacks; prove deep input fits in less.
        std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || check(&source, &Settings::default()).expect("parses"))
            .unwrap()
            .join()
            .expect("no stack overflow")
    }

    #[test]
    fn deep_input_does_not_overflow_the_stack() {
        let chain = format!(
            "df = spark.read.csv('p'){}\nprint(df.count())\ndf.collect()\n",
            ".filter('x > 1')".repeat(1_400)
        );
        // SPK001 (cache `df`) and SPK005 (the logging count could be folded into collect()).
        let codes: Vec<&str> = run_on_small_stack(chain).iter().map(|d| d.code).collect();
        assert_eq!(codes, ["SPK001", "SPK005"]);
        // Deeper brackets than CPython's tokenizer takes are refused before any model is built.
        for (open, close) in [("f(", ")"), ("[", "]")] {
            let nested = format!(
                "spark = 1\nx = {}0{}\n",
                open.repeat(5_000),
                close.repeat(5_000)
            );
            let error = check(&nested, &Settings::default()).unwrap_err();
            assert_eq!(error.reason, "too many nested parentheses");
        }
    }

    #[test]
    fn files_without_spark_markers_are_not_parsed() {
        assert!(!may_contain_spark(
            b"import pandas as pd\ndf = pd.read_csv('x')\n"
        ));
        assert!(may_contain_spark(b"df = spark.read.parquet('x')\n"));
        // Not parsed, so even broken syntax gives no error.
        assert_eq!(check("def f(:\n", &Settings::default()), Ok(Vec::new()));
    }

    /// A rule whose fix always breaks the syntax, or never settles.
    struct BrokenRule {
        insert: &'static str,
    }

    impl Rule for BrokenRule {
        fn code(&self) -> &'static str {
            "SPK001"
        }
        fn name(&self) -> &'static str {
            "cache-reused-dataframe"
        }
        fn check(&self, ctx: &RuleContext<'_, '_>, out: &mut Vec<Diagnostic>) {
            let edits = vec![crate::edit::Edit::insert(0, self.insert)];
            out.push(ctx.diagnostic(
                self,
                0..1,
                "broken".into(),
                crate::Evidence::Proven("a test".into()),
                edits,
            ));
        }
    }

    #[test]
    fn a_fix_that_breaks_syntax_is_reverted() {
        let source = "spark = 1\n";
        let rules: [&dyn Rule; 1] = [&BrokenRule { insert: "(" }];
        let outcome = fix_with_rules(source, &Settings::default(), &rules).unwrap();
        assert_eq!(outcome.fixed, source);
        assert_eq!(outcome.applied, 0);
        assert_eq!(
            outcome.failure,
            Some(FixFailure::SyntaxError {
                line: 1,
                codes: vec!["SPK001"]
            })
        );
    }

    #[test]
    fn fixes_that_never_settle_are_reverted() {
        let source = "spark = 1\n";
        let rules: [&dyn Rule; 1] = [&BrokenRule { insert: "#\n" }];
        let outcome = fix_with_rules(source, &Settings::default(), &rules).unwrap();
        assert_eq!(outcome.fixed, source);
        assert_eq!(
            outcome.failure,
            Some(FixFailure::NoConvergence {
                passes: MAX_FIX_PASSES
            })
        );
    }

    #[test]
    fn syntax_errors_name_their_place_and_cpython_reason() {
        let error = check("spark = 1\nx = (\n", &Settings::default()).unwrap_err();
        assert_eq!(error.location, Location { line: 2, column: 5 });
        assert_eq!(error.to_string(), "2:5: cannot parse: '(' was never closed");
    }

    /// tree-sitter recovers from an unexpected indent without an error node; CPython refuses it,
    /// so the file gets no findings (and no fix) at all.
    #[test]
    fn an_unexpected_indent_is_a_parse_error() {
        let source = "from pyspark.sql import SparkSession\n\
                      spark = SparkSession.builder.getOrCreate()\n\
                      def run():\n\
                      \x20   df = spark.read.parquet('s3://b/t/')\n\
                      \x20       print(df.count())\n\
                      \x20   df.show()\n";
        let error = check(source, &Settings::default()).unwrap_err();
        assert_eq!(error.to_string(), "5:9: cannot parse: unexpected indent");
        assert_eq!(fix(source, &Settings::default()).unwrap_err(), error);
    }
}
