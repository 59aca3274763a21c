//! The command line: clap's definition of the flags, and their check into an [`Invocation`].

use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::formats::OutputFormat;
use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};
use sparkfix_transform::{RuleSelection, SelectionLayer, Settings, SparkVersion, UnknownRule};

use crate::color::ColorChoice;
use crate::config::CommandLine;
use crate::language::{Extensions, Language};

/// Rewrite PySpark jobs to run faster and cheaper.
///
/// Without flags, reports what could be improved in the `.py` files under PATHS; `--diff` shows
/// the fixes and `--write` applies them.
#[derive(Debug, Parser)]
#[command(name = "sparkfix", version)]
struct Args {
    /// Files or folders to check (default: the current folder); `-` reads standard input.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// Print the fixes as a unified diff instead of applying them; exits 1 if there is any.
    #[arg(long, conflicts_with = "write")]
    diff: bool,

    /// Apply the fixes to the files (with `-`, print the fixed text to stdout); exits 1 while
    /// proven or measured findings remain. `--fix` is the same.
    #[arg(long, alias = "fix")]
    write: bool,

    /// Apply the fixes, and neither print nor fail on the findings left (implies `--write`).
    #[arg(long, conflicts_with = "diff")]
    fix_only: bool,

    /// Add a `# noqa: CODES` comment for every current finding instead of fixing it (for
    /// adopting sparkfix on an existing repository).
    #[arg(long, conflicts_with_all = ["diff", "write", "fix_only"])]
    add_noqa: bool,

    /// Also apply fixes that may change what a job produces.
    #[arg(long, overrides_with = "no_unsafe_fixes")]
    unsafe_fixes: bool,

    /// Apply only safe fixes, whatever the configuration's `unsafe-fixes` says.
    #[arg(long, overrides_with = "unsafe_fixes")]
    no_unsafe_fixes: bool,

    /// Guessed findings (a table that looks small by its name) fail the run too, as proven and
    /// measured ones do.
    #[arg(long)]
    strict: bool,

    /// With --write, exit 1 when any file was changed (for pre-commit hooks).
    #[arg(long)]
    exit_non_zero_on_fix: bool,

    /// Show each fix: in a check, as a diff under its finding; with `--write`, the fixes
    /// applied per file and rule.
    #[arg(long)]
    show_fixes: bool,

    /// Print no closing summary line on stderr (findings, diffs and errors still print).
    #[arg(short, long)]
    quiet: bool,

    /// How findings are printed.
    #[arg(long, value_name = "FORMAT", value_enum, default_value_t = OutputFormat::Text)]
    output_format: OutputFormat,

    /// Print how many findings each rule has instead of the findings.
    #[arg(long)]
    statistics: bool,

    /// Exit 0 even when there are findings (files that could not be processed still exit 2).
    #[arg(long)]
    exit_zero: bool,

    /// The Spark version the jobs run on, as MAJOR.MINOR (default: the configuration's, else
    /// 3.5).
    #[arg(long, value_name = "X.Y", value_parser = SparkVersion::from_str)]
    target_spark: Option<SparkVersion>,

    /// Run only these rules: codes, code prefixes or names, comma-separated (default: all).
    #[arg(long, value_name = "RULE", value_delimiter = ',', value_parser = parse_rule)]
    select: Vec<String>,

    /// Run these rules too, on top of `--select` (or of the rules on by default).
    #[arg(long, value_name = "RULE", value_delimiter = ',', value_parser = parse_rule)]
    extend_select: Vec<String>,

    /// Do not run these rules: codes, code prefixes or names, comma-separated.
    #[arg(long, value_name = "RULE", value_delimiter = ',', value_parser = parse_rule)]
    ignore: Vec<String>,

    /// Skip files and folders matching this gitignore-style glob (repeatable), instead of the
    /// configuration's `exclude`.
    #[arg(long, value_name = "GLOB", value_parser = parse_exclude)]
    exclude: Vec<String>,

    /// Skip files and folders matching this glob too, on top of the configuration's `exclude`.
    #[arg(long, value_name = "GLOB", value_parser = parse_exclude)]
    extend_exclude: Vec<String>,

    /// Use this configuration file for every file, instead of the nearest one to each.
    #[arg(long, value_name = "PATH", conflicts_with = "isolated")]
    config: Option<PathBuf>,

    /// Read no configuration file.
    #[arg(long)]
    isolated: bool,

    /// Print the settings FILE would be checked with, and where each comes from, then exit.
    #[arg(long, value_name = "FILE")]
    show_settings: Option<PathBuf>,

    /// Also check test files: `test_*.py`, `*_test.py`, `conftest.py` and files in `tests/` or
    /// `test/` folders below the paths given, which are skipped by default.
    #[arg(long)]
    include_tests: bool,

    /// A Spark event log of the jobs' runs (a file, a Spark 4 `eventlog_v2_<app>` folder, or a
    /// folder of logs; repeatable): measured sizes, files and costs then decide the fixes.
    #[arg(long, value_name = "LOG")]
    profile: Vec<PathBuf>,

    /// The file name to show for standard input in messages and diffs (its extension says
    /// whether it is read as Python or as a notebook).
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<String>,

    /// Read files with extension EXT as LANGUAGE (`python` or `ipynb`), and find them in
    /// folders: `--extension ipy:ipynb` (repeatable, or comma-separated).
    #[arg(long, value_name = "EXT:LANGUAGE", value_delimiter = ',', value_parser = crate::language::parse_mapping)]
    extension: Vec<(String, Language)>,

    /// When to color the output.
    #[arg(long, value_name = "WHEN", value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

/// `sparkfix profile`: print what Spark event logs measured.
///
/// Reads each log (a file, a Spark 4 `eventlog_v2_<app>` folder, or a folder of logs; any codec
/// Spark writes, or gzip) and prints its inputs, joins, writes, slowest stages and re-scanned
/// relations.
#[derive(Debug, Parser)]
#[command(name = "sparkfix profile")]
struct ProfileArgs {
    /// Event logs: files, rolled folders, or folders of logs.
    #[arg(value_name = "LOG", required = true)]
    logs: Vec<PathBuf>,

    /// Job files or folders: each input and write gets the lines of code that read or write it.
    #[arg(long, value_name = "PATH")]
    code: Vec<PathBuf>,
}

/// `sparkfix profile`'s arguments.
#[derive(Debug, Clone)]
pub struct ProfileInvocation {
    pub logs: Vec<PathBuf>,
    pub code: Vec<PathBuf>,
}

/// Parses `sparkfix profile ...` (the process arguments, `profile` second).
pub fn parse_profile() -> Result<ProfileInvocation, clap::Error> {
    ProfileArgs::try_parse_from(
        std::iter::once("sparkfix profile".into()).chain(std::env::args_os().skip(2)),
    )
    .map(|args| ProfileInvocation {
        logs: args.logs,
        code: args.code,
    })
}

/// `sparkfix report`: an optimization report of one run of a job, from its event log.
///
/// Checks the job's files (PATHS, default the current folder) with the log's measurements and
/// writes, in the shape of a consultant's analysis: the measured duration and cost, the findings
/// ordered by the time their fixes save (modelled by replaying the run's measured tasks), the
/// cluster size and cost, an implementation plan and what to monitor.
#[derive(Debug, Parser)]
#[command(name = "sparkfix report")]
struct ReportArgs {
    /// The job's files or folders (default: the current folder).
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// The event log of one run of the job (a file, a Spark 4 `eventlog_v2_<app>` folder).
    #[arg(long, value_name = "LOG", required = true)]
    profile: Vec<PathBuf>,

    /// markdown, json (the same content, for tools) or html (one self-contained page).
    #[arg(long, value_name = "FORMAT", value_enum, default_value_t = ReportFormat::Markdown)]
    format: ReportFormat,

    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,

    /// Price per AWS Glue DPU-hour (1 DPU = 4 vCPU and 16 GB; the default pricing: 0.44).
    #[arg(long, value_name = "PRICE", group = "pricing")]
    price_per_dpu_hour: Option<f64>,

    /// Price per core-hour, instead of per DPU-hour.
    #[arg(long, value_name = "PRICE", group = "pricing")]
    price_per_core_hour: Option<f64>,

    /// Price per instance-hour (one executor per instance), instead of per DPU-hour.
    #[arg(long, value_name = "PRICE", group = "pricing")]
    price_per_instance_hour: Option<f64>,

    /// Runs per month, for the monthly and yearly savings.
    #[arg(long, value_name = "N", default_value_t = 30.0)]
    runs_per_month: f64,

    /// Right-sizing: recommend the fewest executors whose modelled duration is within this many
    /// percent of the fastest.
    #[arg(long, value_name = "PERCENT", default_value_t = 10.0)]
    tolerance: f64,

    /// Count the fixes that need `--unsafe-fixes` as applied (as `sparkfix --write
    /// --unsafe-fixes` would apply them); without it the report still lists them.
    #[arg(long)]
    unsafe_fixes: bool,

    /// Run only these rules: codes, code prefixes or names, comma-separated (default: all).
    #[arg(long, value_name = "RULE", value_delimiter = ',', value_parser = parse_rule)]
    select: Vec<String>,

    /// Run these rules too, on top of `--select` (or of the rules on by default).
    #[arg(long, value_name = "RULE", value_delimiter = ',', value_parser = parse_rule)]
    extend_select: Vec<String>,

    /// Do not run these rules: codes, code prefixes or names, comma-separated.
    #[arg(long, value_name = "RULE", value_delimiter = ',', value_parser = parse_rule)]
    ignore: Vec<String>,

    /// The Spark version the job runs on, as MAJOR.MINOR.
    #[arg(
        long,
        value_name = "X.Y",
        default_value_t = SparkVersion::DEFAULT,
        value_parser = SparkVersion::from_str,
    )]
    target_spark: SparkVersion,
}

/// The formats of `sparkfix report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Markdown,
    Json,
    Html,
}

/// `sparkfix report`'s checked arguments.
#[derive(Debug, Clone)]
pub struct ReportInvocation {
    pub paths: Vec<PathBuf>,
    pub profiles: Vec<PathBuf>,
    pub format: ReportFormat,
    pub output: Option<PathBuf>,
    pub pricing: sparkfix_report::Pricing,
    pub runs_per_month: f64,
    /// A fraction: 0.1 for 10%.
    pub tolerance: f64,
    pub settings: Settings,
}

/// Parses `sparkfix report ...` (the process arguments, `report` second).
pub fn parse_report() -> Result<ReportInvocation, clap::Error> {
    let args = ReportArgs::try_parse_from(
        std::iter::once("sparkfix report".into()).chain(std::env::args_os().skip(2)),
    )?;
    let invalid =
        |message: &str| ReportArgs::command().error(ErrorKind::InvalidValue, message.to_string());
    let price = |value: f64| {
        if value.is_finite() && value >= 0.0 {
            Ok(value)
        } else {
            Err(invalid("a price must be a number of 0 or more"))
        }
    };
    use sparkfix_report::Pricing;
    let pricing = match (
        args.price_per_dpu_hour,
        args.price_per_core_hour,
        args.price_per_instance_hour,
    ) {
        (_, Some(p), _) => Pricing::CoreHour { price: price(p)? },
        (_, _, Some(p)) => Pricing::InstanceHour { price: price(p)? },
        (Some(p), _, _) => Pricing::DpuHour { price: price(p)? },
        _ => Pricing::default(),
    };
    if !(args.runs_per_month.is_finite() && args.runs_per_month >= 0.0) {
        return Err(invalid("--runs-per-month must be a number of 0 or more"));
    }
    if !(args.tolerance.is_finite() && args.tolerance >= 0.0) {
        return Err(invalid("--tolerance must be a percentage of 0 or more"));
    }
    let settings = Settings {
        unsafe_fixes: args.unsafe_fixes,
        target_spark: args.target_spark,
        rules: RuleSelection {
            layers: vec![SelectionLayer {
                select: args.select,
                extend_select: args.extend_select,
                ignore: args.ignore,
            }],
        },
        ..Settings::default()
    };
    Ok(ReportInvocation {
        paths: if args.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            args.paths
        },
        profiles: args.profile,
        format: args.format,
        output: args.output,
        pricing,
        runs_per_month: args.runs_per_month,
        tolerance: args.tolerance / 100.0,
        settings,
    })
}

/// What a run does with each file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Report the findings.
    Check,
    /// Print the fixes as a unified diff.
    Diff,
    /// Apply the fixes.
    Write,
    /// Add suppression comments for the findings.
    AddNoqa,
}

impl Mode {
    /// Whether the run rewrites files (with `-`: prints the new text).
    pub fn writes(self) -> bool {
        matches!(self, Mode::Write | Mode::AddNoqa)
    }
}

/// Where the sources come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Files and folders to discover `.py` files in.
    Paths(Vec<PathBuf>),
    /// Standard input, shown under this name.
    Stdin { name: String },
}

/// A checked command line: everything the run needs.
#[derive(Debug, Clone)]
pub struct Invocation {
    pub mode: Mode,
    /// The settings given on the command line, which beat the configuration's.
    pub cli: CommandLine,
    pub input: Input,
    /// `--exclude` and `--extend-exclude` globs, relative to the current folder.
    pub exclude: Vec<String>,
    /// `--config`.
    pub config: Option<PathBuf>,
    /// `--isolated`.
    pub isolated: bool,
    /// `--show-settings`.
    pub show_settings: Option<PathBuf>,
    /// `--profile` event logs.
    pub profiles: Vec<PathBuf>,
    pub color: ColorChoice,
    pub exit_non_zero_on_fix: bool,
    /// `--fix-only`.
    pub fix_only: bool,
    /// `--show-fixes`.
    pub show_fixes: bool,
    /// `-q`: no summary line.
    pub quiet: bool,
    pub statistics: bool,
    pub exit_zero: bool,
    pub output_format: OutputFormat,
    /// `--extension` mappings over `.py` and `.ipynb`.
    pub extensions: Extensions,
}

/// Parses the process arguments; a usage error (or `--help`, `--version`) comes back as clap's
/// error, to print and exit with.
///
/// `sparkfix check [ARGS]` is the same as `sparkfix [ARGS]` (ruff's habit); a path named
/// `check` is reached as `./check`.
pub fn parse() -> Result<Invocation, clap::Error> {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|first| first == "check") {
        args.remove(1);
    }
    Args::try_parse_from(args).and_then(Args::into_invocation)
}

/// Parses the given arguments, the program name first.
#[cfg(test)]
fn parse_from(args: &[&str]) -> Result<Invocation, clap::Error> {
    Args::try_parse_from(args).and_then(Args::into_invocation)
}

impl Args {
    fn into_invocation(self) -> Result<Invocation, clap::Error> {
        let mode = match (self.diff, self.write || self.fix_only, self.add_noqa) {
            (true, ..) => Mode::Diff,
            (_, true, _) => Mode::Write,
            (.., true) => Mode::AddNoqa,
            _ => Mode::Check,
        };
        let reads_stdin = self.paths.iter().any(|path| path == Path::new("-"));
        let input = if reads_stdin && self.paths.len() > 1 {
            return Err(usage_error(
                "`-` (standard input) cannot be mixed with other paths",
            ));
        } else if reads_stdin || (self.paths.is_empty() && self.stdin_filename.is_some()) {
            Input::Stdin {
                name: self.stdin_filename.unwrap_or_else(|| "-".to_owned()),
            }
        } else if self.stdin_filename.is_some() {
            return Err(usage_error(
                "--stdin-filename applies only when reading standard input (`-`)",
            ));
        } else if self.paths.is_empty() {
            Input::Paths(vec![PathBuf::from(".")])
        } else {
            Input::Paths(self.paths)
        };
        let unsafe_fixes = match (self.unsafe_fixes, self.no_unsafe_fixes) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        };
        let exclude_given = !self.exclude.is_empty();
        let mut exclude = self.exclude;
        exclude.extend(self.extend_exclude);
        Ok(Invocation {
            mode,
            cli: CommandLine {
                target_spark: self.target_spark,
                unsafe_fixes,
                strict: self.strict.then_some(true),
                include_tests: self.include_tests.then_some(true),
                selection: SelectionLayer {
                    select: self.select,
                    extend_select: self.extend_select,
                    ignore: self.ignore,
                },
                exclude_given,
                measurements: None,
            },
            input,
            exclude,
            config: self.config,
            isolated: self.isolated,
            show_settings: self.show_settings,
            profiles: self.profile,
            color: self.color,
            exit_non_zero_on_fix: self.exit_non_zero_on_fix,
            fix_only: self.fix_only,
            show_fixes: self.show_fixes,
            quiet: self.quiet,
            statistics: self.statistics,
            exit_zero: self.exit_zero,
            output_format: self.output_format,
            extensions: Extensions::new(self.extension),
        })
    }
}

fn usage_error(message: &str) -> clap::Error {
    Args::command().error(ErrorKind::ArgumentConflict, message)
}

/// Refuses a `--select`/`--ignore` entry that names no rule.
fn parse_rule(selector: &str) -> Result<String, UnknownRule> {
    RuleSelection::check_selector(selector)
}

/// Refuses an `--exclude` glob that the walker could not use.
fn parse_exclude(glob: &str) -> Result<String, ignore::Error> {
    ignore::overrides::OverrideBuilder::new("/")
        .add(&format!("!{glob}"))?
        .build()?;
    Ok(glob.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definition_is_consistent() {
        Args::command().debug_assert();
    }

    #[test]
    fn reads_modes_and_inputs() {
        let inv = parse_from(&["sparkfix"]).unwrap();
        assert_eq!(inv.mode, Mode::Check);
        assert_eq!(inv.input, Input::Paths(vec![PathBuf::from(".")]));
        assert_eq!(inv.cli.target_spark, None);
        assert_eq!(inv.cli.include_tests, None);
        assert_eq!(inv.cli.unsafe_fixes, None);
        let inv = parse_from(&["sparkfix", "--include-tests", "--no-unsafe-fixes"]).unwrap();
        assert_eq!(inv.cli.include_tests, Some(true));
        assert_eq!(inv.cli.unsafe_fixes, Some(false));
        let inv = parse_from(&["sparkfix", "--exclude", "a", "--extend-exclude", "b"]).unwrap();
        assert_eq!(inv.exclude, ["a", "b"]);
        assert!(inv.cli.exclude_given);

        let inv = parse_from(&["sparkfix", "--write", "--target-spark", "3.1", "-"]).unwrap();
        assert_eq!(inv.mode, Mode::Write);
        assert_eq!(
            inv.input,
            Input::Stdin {
                name: "-".to_owned()
            }
        );
        assert_eq!(inv.cli.target_spark, Some(SparkVersion::new(3, 1)));

        let inv = parse_from(&["sparkfix", "--stdin-filename", "job.py"]).unwrap();
        assert_eq!(
            inv.input,
            Input::Stdin {
                name: "job.py".to_owned()
            }
        );
    }

    #[test]
    fn refuses_bad_combinations() {
        for args in [
            &["sparkfix", "--diff", "--write"][..],
            &["sparkfix", "-", "job.py"],
            &["sparkfix", "--stdin-filename", "x.py", "job.py"],
            &["sparkfix", "--target-spark", "9.9"],
            &["sparkfix", "--exclude", "a[b"],
            &["sparkfix", "--config", "x.toml", "--isolated"],
        ] {
            let error = parse_from(args).unwrap_err();
            assert_eq!(error.exit_code(), 2, "{args:?}");
        }
    }
}
