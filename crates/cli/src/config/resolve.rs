//! The settings one file is processed with: the defaults, then its configuration file, then the
//! command line, each value remembering where it came from.

use std::path::{Path, PathBuf};

use sparkfix_transform::{
    FixSafety, Measurements, ParameterValue, RuleSelection, SelectionLayer, Settings, SparkVersion,
    all_metadata,
};

use super::Origin;
use super::parse::{ConfigFile, Located};
use crate::exclude::Exclude;

/// What the command line sets: each value given beats the configuration's.
#[derive(Debug, Clone, Default)]
pub struct CommandLine {
    pub target_spark: Option<SparkVersion>,
    /// `--unsafe-fixes` (`Some(true)`) or `--no-unsafe-fixes` (`Some(false)`).
    pub unsafe_fixes: Option<bool>,
    /// `--strict`.
    pub strict: Option<bool>,
    /// `--include-tests`.
    pub include_tests: Option<bool>,
    /// `--select`, `--extend-select`, `--ignore`: a layer over the configuration's.
    pub selection: SelectionLayer,
    /// `--exclude` was given: it replaces the configuration's `exclude` (not `extend-exclude`).
    pub exclude_given: bool,
    /// The `--profile` logs, loaded once: they replace the configuration's `profile`.
    pub measurements: Option<Measurements>,
}

/// One resolved setting, for `--show-settings`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    /// The value as it would be written in a configuration file.
    pub value: String,
    pub origin: Origin,
}

/// Everything a file is processed with.
#[derive(Debug, Clone)]
pub struct FileSettings {
    pub settings: Settings,
    /// Guessed findings fail the run too.
    pub strict: bool,
    /// Test files are checked.
    pub include_tests: bool,
    /// The configuration file that governs the file, if any.
    pub config: Option<PathBuf>,
    /// The configuration's `exclude` and `extend-exclude`, relative to its folder.
    exclude: Option<Exclude>,
    /// The configuration's event logs, to load (when `--profile` did not replace them).
    pub profile_to_load: Vec<PathBuf>,
    pub entries: Vec<Entry>,
}

impl FileSettings {
    /// Lays `config` (if any) and then the command line over the defaults.
    pub fn resolve(config: Option<&ConfigFile>, cli: &CommandLine) -> Self {
        let mut entries = Vec::new();
        let origin = |line: usize| match config {
            Some(config) => Origin::File {
                path: config.path.clone(),
                line,
            },
            None => Origin::Default,
        };
        let target_spark = pick(
            "target-spark",
            cli.target_spark,
            config.and_then(|c| c.target_spark.clone()),
            SparkVersion::DEFAULT,
            &origin,
            &mut entries,
            |version| format!("\"{version}\""),
        );
        let unsafe_fixes = pick_flag(
            "unsafe-fixes",
            cli.unsafe_fixes,
            config.and_then(|c| c.unsafe_fixes.clone()),
            &origin,
            &mut entries,
        );
        let strict = pick_flag(
            "strict",
            cli.strict,
            config.and_then(|c| c.strict.clone()),
            &origin,
            &mut entries,
        );
        let include_tests = pick_flag(
            "include-tests",
            cli.include_tests,
            config.and_then(|c| c.include_tests.clone()),
            &origin,
            &mut entries,
        );

        let mut layers = Vec::new();
        if let Some(config) = config {
            let list = |slot: &Option<Located<Vec<String>>>| {
                slot.as_ref().map(|l| l.value.clone()).unwrap_or_default()
            };
            layers.push(SelectionLayer {
                select: list(&config.select),
                extend_select: list(&config.extend_select),
                ignore: list(&config.ignore),
            });
            for (key, slot) in [
                ("select", &config.select),
                ("extend-select", &config.extend_select),
                ("ignore", &config.ignore),
            ] {
                if let Some(located) = slot {
                    entries.push(list_entry(key, &located.value, origin(located.line)));
                }
            }
        }
        for (key, list) in [
            ("select", &cli.selection.select),
            ("extend-select", &cli.selection.extend_select),
            ("ignore", &cli.selection.ignore),
        ] {
            if !list.is_empty() {
                entries.push(list_entry(key, list, Origin::CommandLine));
            }
        }
        layers.push(cli.selection.clone());

        let mut fix_safety = FixSafety::default();
        let mut exclude_globs = Vec::new();
        let mut profile_to_load = Vec::new();
        let mut parameters = sparkfix_transform::RuleParameters::default();
        if let Some(config) = config {
            if let Some(located) = &config.extend_safe_fixes {
                fix_safety.extend_safe = located.value.clone();
                entries.push(list_entry(
                    "extend-safe-fixes",
                    &located.value,
                    origin(located.line),
                ));
            }
            if let Some(located) = &config.extend_unsafe_fixes {
                fix_safety.extend_unsafe = located.value.clone();
                entries.push(list_entry(
                    "extend-unsafe-fixes",
                    &located.value,
                    origin(located.line),
                ));
            }
            if let Some(located) = &config.exclude {
                if cli.exclude_given {
                    entries.push(Entry {
                        key: "exclude".into(),
                        value: format!("{} (replaced by --exclude)", render_list(&located.value)),
                        origin: origin(located.line),
                    });
                } else {
                    exclude_globs.extend(located.value.iter().cloned());
                    entries.push(list_entry("exclude", &located.value, origin(located.line)));
                }
            }
            if let Some(located) = &config.extend_exclude {
                exclude_globs.extend(located.value.iter().cloned());
                entries.push(list_entry(
                    "extend-exclude",
                    &located.value,
                    origin(located.line),
                ));
            }
            if let Some(located) = &config.profile {
                let logs: Vec<String> = located
                    .value
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect();
                if cli.measurements.is_some() {
                    entries.push(Entry {
                        key: "profile".into(),
                        value: format!("{} (replaced by --profile)", render_list(&logs)),
                        origin: origin(located.line),
                    });
                } else {
                    profile_to_load = located.value.clone();
                    entries.push(list_entry("profile", &logs, origin(located.line)));
                }
            }
            for setting in &config.parameters {
                parameters.set(setting.rule, &setting.name, setting.value.clone());
            }
        }
        for meta in all_metadata() {
            for (name, declared) in &meta.parameters {
                let set = config.and_then(|c| {
                    c.parameters
                        .iter()
                        .find(|p| p.rule == meta.name && &p.name == name)
                });
                entries.push(Entry {
                    key: format!("rules.{}.{name}", meta.name),
                    value: render_parameter(set.map_or(&declared.default, |p| &p.value)),
                    origin: set.map_or(Origin::Default, |p| origin(p.line)),
                });
            }
        }
        let exclude = config.filter(|_| !exclude_globs.is_empty()).map(|config| {
            Exclude::new(&exclude_globs, &config.folder).expect("globs checked when parsed")
        });
        FileSettings {
            settings: Settings {
                target_spark,
                unsafe_fixes,
                measurements: cli.measurements.clone().unwrap_or_default(),
                rules: RuleSelection { layers },
                parameters,
                fix_safety,
                notebook: false,
            },
            strict,
            include_tests,
            config: config.map(|c| c.path.clone()),
            exclude,
            profile_to_load,
            entries,
        }
    }

    /// Whether the configuration excludes `path` (absolute), by itself or by a folder between it
    /// and the configuration's folder.
    pub fn excludes(&self, path: &Path, is_dir: bool) -> bool {
        self.exclude
            .as_ref()
            .is_some_and(|exclude| exclude.excludes_below(path, is_dir))
    }
}

/// The command line's value, else the file's, else the default; its entry goes to `entries`.
fn pick<T: Clone>(
    key: &str,
    cli: Option<T>,
    file: Option<Located<T>>,
    default: T,
    origin: &dyn Fn(usize) -> Origin,
    entries: &mut Vec<Entry>,
    render: impl Fn(&T) -> String,
) -> T {
    let (value, from) = match (cli, file) {
        (Some(value), _) => (value, Origin::CommandLine),
        (None, Some(located)) => (located.value, origin(located.line)),
        (None, None) => (default, Origin::Default),
    };
    entries.push(Entry {
        key: key.to_owned(),
        value: render(&value),
        origin: from,
    });
    value
}

fn pick_flag(
    key: &str,
    cli: Option<bool>,
    file: Option<Located<bool>>,
    origin: &dyn Fn(usize) -> Origin,
    entries: &mut Vec<Entry>,
) -> bool {
    pick(key, cli, file, false, origin, entries, bool::to_string)
}

fn list_entry(key: &str, list: &[String], origin: Origin) -> Entry {
    Entry {
        key: key.to_owned(),
        value: render_list(list),
        origin,
    }
}

fn render_list(list: &[String]) -> String {
    let items: Vec<String> = list.iter().map(|item| format!("{item:?}")).collect();
    format!("[{}]", items.join(", "))
}

fn render_parameter(value: &ParameterValue) -> String {
    match value {
        ParameterValue::Integer(number) => number.to_string(),
        ParameterValue::Bool(flag) => flag.to_string(),
        ParameterValue::Text(text) => format!("{text:?}"),
        ParameterValue::List(items) => render_list(items),
    }
}
