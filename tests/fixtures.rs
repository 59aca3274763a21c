//! Runs every rule fixture under `tests/fixtures/<rule>/` and snapshots its findings and the
//! diff of its fix, checking the invariants: the fixed text parses (for tree-sitter and for
//! CPython) and a second run changes nothing.
//!
//! The fixtures of `tests/fixtures/<rule>/` run with that rule alone; the example jobs run with
//! every rule. A fixture may start with `# sparkfix-test: --unsafe-fixes --target-spark 3.1` to change the
//! settings it runs with; `--profile spark4/recomputed_lineage` reads that log of
//! `tests/eventlogs/logs/` as `--profile` does.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use similar::TextDiff;
use sparkfix_transform::{Settings, SparkVersion, check, fix};

fn settings_for(path: &Path, source: &str) -> Settings {
    let mut settings = Settings::default();
    // A rule's fixtures run that rule alone; the example jobs run every rule.
    let folder = path
        .parent()
        .and_then(|p| p.file_name())
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    if sparkfix_transform::all_metadata()
        .iter()
        .any(|meta| meta.name == folder)
    {
        settings.rules = sparkfix_transform::RuleSelection::of(vec![folder], Vec::new());
    }
    let Some(header) = source
        .lines()
        .find_map(|l| l.strip_prefix("# sparkfix-test:"))
    else {
        return settings;
    };
    let mut words = header.split_whitespace();
    while let Some(word) = words.next() {
        match word {
            "--unsafe-fixes" => settings.unsafe_fixes = true,
            "--profile" => {
                let log = words
                    .next()
                    .expect("a log under tests/eventlogs/logs after --profile");
                let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("tests/eventlogs/logs")
                    .join(log);
                let loaded = sparkfix_cli::eventlogs::load(&[path]);
                assert!(!loaded.failed && loaded.problems.is_empty(), "{log}");
                settings.measurements = sparkfix_transform::Measurements::new(loaded.profile);
            }
            "--target-spark" => {
                let version = words.next().expect("a version after --target-spark");
                settings.target_spark = version.parse::<SparkVersion>().expect("a valid version");
            }
            other => panic!("unknown fixture setting {other}"),
        }
    }
    settings
}

/// Shows carriage returns, so CRLF fixtures prove their line endings in the snapshot.
fn visible(text: &str) -> String {
    text.replace('\r', "␍")
}

fn render(path: &Path, source: &str) -> (String, Option<String>) {
    let settings = settings_for(path, source);
    let mut out = String::new();
    let diagnostics = match check(source, &settings) {
        Ok(diagnostics) => diagnostics,
        Err(error) => {
            writeln!(out, "error: {error}").unwrap();
            assert!(
                fix(source, &settings).is_err(),
                "{}: fix must refuse what check refuses",
                path.display()
            );
            return (out, None);
        }
    };
    if diagnostics.is_empty() {
        out.push_str("no findings\n");
    }
    for d in &diagnostics {
        let mark = if settings.is_fixable(d) { " [*]" } else { "" };
        writeln!(
            out,
            "{}:{}: {} {}{mark}",
            d.location.line, d.location.column, d.code, d.message
        )
        .unwrap();
    }
    let outcome = fix(source, &settings).expect("check parsed it");
    assert_eq!(
        outcome.failure,
        None,
        "{}: the fix loop failed",
        path.display()
    );
    assert_eq!(
        outcome.diagnostics,
        diagnostics,
        "{}: fix and check disagree",
        path.display()
    );
    if outcome.fixed == source {
        out.push_str("\nno fix\n");
        return (out, None);
    }
    let diff = TextDiff::from_lines(source, &outcome.fixed);
    write!(
        out,
        "\n{}",
        visible(
            &diff
                .unified_diff()
                .context_radius(2)
                .header("original", "fixed")
                .to_string()
        )
    )
    .unwrap();

    let second = fix(&outcome.fixed, &settings).expect("the fixed text parses");
    assert_eq!(
        second.fixed,
        outcome.fixed,
        "{}: a second run changed the text",
        path.display()
    );
    assert_eq!(
        second.applied,
        0,
        "{}: a second run applied fixes",
        path.display()
    );
    (out, Some(outcome.fixed))
}

/// Snapshots every file matching `pattern` under `base` (relative to `tests/`) as `name@file`,
/// then checks that CPython parses every fixed text.
fn snapshot_files(name: &str, base: &str, pattern: &str) {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let fixed_dir = tempfile::tempdir().unwrap();
    let mut fixed_files = Vec::new();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(tests.join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::glob!(base, pattern, |path| {
            let source = std::fs::read_to_string(path).unwrap();
            let (snapshot, fixed) = render(path, &source);
            if let Some(fixed) = fixed {
                // Fixtures of different rules may share a file name: keep each one apart.
                let unique = format!(
                    "{}_{}",
                    fixed_files.len(),
                    path.file_name().unwrap().to_string_lossy()
                );
                let target = fixed_dir.path().join(unique);
                std::fs::write(&target, fixed).unwrap();
                fixed_files.push(target);
            }
            insta::assert_snapshot!(name, snapshot);
        });
    });
    assert!(!fixed_files.is_empty(), "some file under {base} has a fix");
    // CPython must accept every fixed file too.
    let status = Command::new("python3")
        .args([
            "-c",
            "import ast, sys\nfor p in sys.argv[1:]:\n    ast.parse(open(p, 'rb').read(), p)",
        ])
        .args(&fixed_files)
        .status()
        .expect("python3 runs (the tests need it)");
    assert!(
        status.success(),
        "a fixed file under {base} does not parse for python3"
    );
}

/// The fixtures of every rule, `tests/fixtures/<rule>/*.py`.
#[test]
fn rule_fixtures() {
    snapshot_files("rule_fixtures", "fixtures", "*/*.py");
}

/// The example jobs of `examples/`, among them the seed's job: what the README's first command
/// shows.
#[test]
fn example_jobs() {
    snapshot_files("example_jobs", "../examples", "*.py");
}
