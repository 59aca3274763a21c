//! One configuration file's text into a [`ConfigFile`]: every key known, every value of the right
//! type and valid, or an error naming the key and its line.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use sparkfix_transform::{ParameterValue, RuleSelection, SparkVersion, all_metadata};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::ConfigError;

/// The top-level keys, as written in the file.
pub const KEYS: [&str; 13] = [
    "target-spark",
    "select",
    "extend-select",
    "ignore",
    "exclude",
    "extend-exclude",
    "unsafe-fixes",
    "extend-safe-fixes",
    "extend-unsafe-fixes",
    "strict",
    "include-tests",
    "profile",
    "rules",
];

/// A value and the 1-based line of its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub line: usize,
}

/// One rule parameter set in a file (`[rules.<rule>]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterSetting {
    /// The rule's name (a code in the file is turned into the name).
    pub rule: &'static str,
    pub name: String,
    pub value: ParameterValue,
    pub line: usize,
}

/// What one configuration file sets; `None` for a key it leaves alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigFile {
    /// The file, absolute.
    pub path: PathBuf,
    /// Its folder: `exclude` globs and `profile` paths are relative to it.
    pub folder: PathBuf,
    pub target_spark: Option<Located<SparkVersion>>,
    pub select: Option<Located<Vec<String>>>,
    pub extend_select: Option<Located<Vec<String>>>,
    pub ignore: Option<Located<Vec<String>>>,
    pub exclude: Option<Located<Vec<String>>>,
    pub extend_exclude: Option<Located<Vec<String>>>,
    pub unsafe_fixes: Option<Located<bool>>,
    pub extend_safe_fixes: Option<Located<Vec<String>>>,
    pub extend_unsafe_fixes: Option<Located<Vec<String>>>,
    pub strict: Option<Located<bool>>,
    pub include_tests: Option<Located<bool>>,
    /// Event logs, made absolute against `folder`.
    pub profile: Option<Located<Vec<PathBuf>>>,
    pub parameters: Vec<ParameterSetting>,
}

/// Reads the configuration file at `path` (absolute). `Ok(None)` for a `pyproject.toml` without
/// a `[tool.sparkfix]` table: such a file configures other tools, not sparkfix.
pub fn read_file(path: &Path) -> Result<Option<ConfigFile>, Vec<ConfigError>> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        vec![ConfigError {
            file: path.to_path_buf(),
            line: 1,
            column: 1,
            message: format!("cannot read the configuration file: {error}"),
            line_text: None,
        }]
    })?;
    let pyproject = path
        .file_name()
        .is_some_and(|name| name == "pyproject.toml");
    parse(&text, path, pyproject)
}

/// Parses a configuration file's `text`; `pyproject`: the keys are under `[tool.sparkfix]`.
pub fn parse(
    text: &str,
    path: &Path,
    pyproject: bool,
) -> Result<Option<ConfigFile>, Vec<ConfigError>> {
    let mut parser = Parser {
        text,
        path,
        errors: Vec::new(),
    };
    let root = match DeTable::parse(text) {
        Ok(root) => root,
        Err(error) => {
            let span = error.span().unwrap_or(0..0);
            let message = format!("not valid TOML: {}", error.message().trim_end());
            return Err(vec![parser.error_at(&span, message)]);
        }
    };
    let table = if pyproject {
        let tool = entry(root.get_ref(), "tool").and_then(|tool| as_table(tool.get_ref()));
        match tool.and_then(|tool| entry(tool, "sparkfix")) {
            None => return Ok(None),
            Some(value) => match value.get_ref() {
                DeValue::Table(table) => table,
                other => {
                    let message = format!("`tool.sparkfix` must be a table, not {}", kind(other));
                    return Err(vec![parser.error_at(&value.span(), message)]);
                }
            },
        }
    } else {
        root.get_ref()
    };
    let folder = path.parent().unwrap_or(Path::new("/")).to_path_buf();
    let mut config = ConfigFile {
        path: path.to_path_buf(),
        folder,
        ..ConfigFile::default()
    };
    for (key, value) in table {
        parser.key(&mut config, key, value);
    }
    if parser.errors.is_empty() {
        Ok(Some(config))
    } else {
        parser
            .errors
            .sort_by_key(|error| (error.line, error.column));
        Err(parser.errors)
    }
}

struct Parser<'a> {
    text: &'a str,
    path: &'a Path,
    errors: Vec<ConfigError>,
}

impl Parser<'_> {
    fn key(
        &mut self,
        config: &mut ConfigFile,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        value: &Spanned<DeValue<'_>>,
    ) {
        let name = key.get_ref().as_ref();
        let line = self.line_of(key.span().start);
        match name {
            "target-spark" => {
                if let Some(version) = self.version(value) {
                    config.target_spark = at(version, line);
                }
            }
            "select" | "extend-select" | "ignore" | "extend-safe-fixes" | "extend-unsafe-fixes" => {
                let Some(selectors) = self.selectors(name, value) else {
                    return;
                };
                let slot = match name {
                    "select" => &mut config.select,
                    "extend-select" => &mut config.extend_select,
                    "ignore" => &mut config.ignore,
                    "extend-safe-fixes" => &mut config.extend_safe_fixes,
                    _ => &mut config.extend_unsafe_fixes,
                };
                *slot = at(selectors, line);
            }
            "exclude" | "extend-exclude" => {
                let Some(globs) = self.globs(name, value) else {
                    return;
                };
                if name == "exclude" {
                    config.exclude = at(globs, line);
                } else {
                    config.extend_exclude = at(globs, line);
                }
            }
            "unsafe-fixes" | "strict" | "include-tests" => {
                let DeValue::Boolean(flag) = value.get_ref() else {
                    self.wrong_type(name, "true or false", value);
                    return;
                };
                let slot = match name {
                    "unsafe-fixes" => &mut config.unsafe_fixes,
                    "strict" => &mut config.strict,
                    _ => &mut config.include_tests,
                };
                *slot = at(*flag, line);
            }
            "profile" => {
                let Some(logs) = self.strings(name, value) else {
                    return;
                };
                let logs = logs
                    .into_iter()
                    .map(|(log, _)| config.folder.join(log))
                    .collect();
                config.profile = at(logs, line);
            }
            "rules" => self.rules(config, value),
            _ => {
                let hint = match name.replace('_', "-") {
                    kebab if KEYS.contains(&kebab.as_str()) => {
                        format!(" (did you mean `{kebab}`?)")
                    }
                    _ => String::new(),
                };
                let message = format!(
                    "unknown key `{name}`{hint}; the keys are {}",
                    KEYS.map(|k| format!("`{k}`")).join(", ")
                );
                self.push(&key.span(), message);
            }
        }
    }

    fn version(&mut self, value: &Spanned<DeValue<'_>>) -> Option<SparkVersion> {
        let DeValue::String(text) = value.get_ref() else {
            self.wrong_type("target-spark", "a string such as \"3.5\"", value);
            return None;
        };
        match SparkVersion::from_str(text) {
            Ok(version) => Some(version),
            Err(error) => {
                self.push(&value.span(), format!("`target-spark`: {error}"));
                None
            }
        }
    }

    /// An array of strings, each with its span.
    fn strings(
        &mut self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
    ) -> Option<Vec<(String, Range<usize>)>> {
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(key, "an array of strings", value);
            return None;
        };
        let mut strings = Vec::new();
        for item in items {
            match item.get_ref() {
                DeValue::String(text) => strings.push((text.to_string(), item.span())),
                other => {
                    let message = format!("`{key}`: expected strings, found {}", kind(other));
                    self.push(&item.span(), message);
                    return None;
                }
            }
        }
        Some(strings)
    }

    fn selectors(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<Vec<String>> {
        let mut selectors = Vec::new();
        let mut valid = true;
        for (selector, span) in self.strings(key, value)? {
            match RuleSelection::check_selector(&selector) {
                Ok(selector) => selectors.push(selector),
                Err(error) => {
                    self.push(&span, format!("`{key}`: {error}"));
                    valid = false;
                }
            }
        }
        valid.then_some(selectors)
    }

    fn globs(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<Vec<String>> {
        let mut globs = Vec::new();
        let mut valid = true;
        for (glob, span) in self.strings(key, value)? {
            let checked = ignore::overrides::OverrideBuilder::new("/")
                .add(&format!("!{glob}"))
                .and_then(|builder| builder.build());
            match checked {
                Ok(_) => globs.push(glob),
                Err(error) => {
                    self.push(&span, format!("`{key}`: bad glob `{glob}`: {error}"));
                    valid = false;
                }
            }
        }
        valid.then_some(globs)
    }

    /// `[rules.<rule>]` tables of parameters, typed as the rule's YAML defaults.
    fn rules(&mut self, config: &mut ConfigFile, value: &Spanned<DeValue<'_>>) {
        let DeValue::Table(rules) = value.get_ref() else {
            self.wrong_type("rules", "a table of rule tables", value);
            return;
        };
        for (rule_key, parameters) in rules {
            let rule_name = rule_key.get_ref().as_ref();
            let Some(meta) = all_metadata()
                .iter()
                .find(|meta| meta.name == rule_name || meta.id == rule_name)
            else {
                let known: Vec<String> = all_metadata()
                    .iter()
                    .map(|meta| format!("`{}` ({})", meta.name, meta.id))
                    .collect();
                let message = format!(
                    "`rules.{rule_name}`: no such rule; the rules are {}",
                    known.join(", ")
                );
                self.push(&rule_key.span(), message);
                continue;
            };
            let key = format!("rules.{rule_name}");
            let DeValue::Table(parameters) = parameters.get_ref() else {
                self.wrong_type(&key, "a table of parameters", parameters);
                continue;
            };
            for (parameter_key, value) in parameters {
                let parameter = parameter_key.get_ref().as_ref();
                let key = format!("rules.{rule_name}.{parameter}");
                let Some(declared) = meta.parameters.get(parameter) else {
                    let known: Vec<String> =
                        meta.parameters.keys().map(|k| format!("`{k}`")).collect();
                    let known = if known.is_empty() {
                        format!("{} has no parameters", meta.name)
                    } else {
                        format!("the parameters of {} are {}", meta.name, known.join(", "))
                    };
                    self.push(
                        &parameter_key.span(),
                        format!("unknown key `{key}`; {known}"),
                    );
                    continue;
                };
                if let Some(value) = self.parameter(&key, &declared.default, value) {
                    config.parameters.push(ParameterSetting {
                        rule: meta.name.as_str(),
                        name: parameter.to_owned(),
                        value,
                        line: self.line_of(parameter_key.span().start),
                    });
                }
            }
        }
    }

    /// A parameter's value, of the type of its `default`.
    fn parameter(
        &mut self,
        key: &str,
        default: &ParameterValue,
        value: &Spanned<DeValue<'_>>,
    ) -> Option<ParameterValue> {
        match (default, value.get_ref()) {
            (ParameterValue::Integer(_), DeValue::Integer(integer)) => {
                let digits = integer.as_str().replace('_', "");
                match i64::from_str_radix(&digits, integer.radix()) {
                    Ok(number) if number >= 0 => Some(ParameterValue::Integer(number)),
                    Ok(_) => {
                        self.push(&value.span(), format!("`{key}` must be 0 or more"));
                        None
                    }
                    Err(_) => {
                        self.push(&value.span(), format!("`{key}`: the number is too large"));
                        None
                    }
                }
            }
            (ParameterValue::Integer(_), _) => {
                self.wrong_type(key, "an integer", value);
                None
            }
            (ParameterValue::Bool(_), DeValue::Boolean(flag)) => Some(ParameterValue::Bool(*flag)),
            (ParameterValue::Bool(_), _) => {
                self.wrong_type(key, "true or false", value);
                None
            }
            (ParameterValue::Text(_), DeValue::String(text)) => {
                Some(ParameterValue::Text(text.to_string()))
            }
            (ParameterValue::Text(_), _) => {
                self.wrong_type(key, "a string", value);
                None
            }
            (ParameterValue::List(_), _) => {
                let strings = self.strings(key, value)?;
                Some(ParameterValue::List(
                    strings.into_iter().map(|(text, _)| text).collect(),
                ))
            }
        }
    }

    fn wrong_type(&mut self, key: &str, expected: &str, value: &Spanned<DeValue<'_>>) {
        let message = format!(
            "`{key}`: expected {expected}, found {}",
            kind(value.get_ref())
        );
        self.push(&value.span(), message);
    }

    fn push(&mut self, span: &Range<usize>, message: String) {
        let error = self.error_at(span, message);
        self.errors.push(error);
    }

    fn error_at(&self, span: &Range<usize>, message: String) -> ConfigError {
        let start = span.start.min(self.text.len());
        let line = self.line_of(start);
        let line_start = self.text[..start].rfind('\n').map_or(0, |at| at + 1);
        ConfigError {
            file: self.path.to_path_buf(),
            line,
            column: self.text[line_start..start].chars().count() + 1,
            message,
            line_text: crate::report::line_of(self.text, line),
        }
    }

    fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.text.as_bytes()[..offset]
            .iter()
            .filter(|&&byte| byte == b'\n')
            .count()
            + 1
    }
}

fn entry<'t, 'i>(table: &'t DeTable<'i>, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
    table
        .iter()
        .find(|(name, _)| name.get_ref().as_ref() == key)
        .map(|(_, value)| value)
}

fn as_table<'t, 'i>(value: &'t DeValue<'i>) -> Option<&'t DeTable<'i>> {
    match value {
        DeValue::Table(table) => Some(table),
        _ => None,
    }
}

fn at<T>(value: T, line: usize) -> Option<Located<T>> {
    Some(Located { value, line })
}

/// The kind of a TOML value, for messages.
fn kind(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        parse(text, Path::new("/p/sparkfix.toml"), false)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn reads_every_key() {
        let text = r#"
target-spark = "3.3"
select = ["SPK001", "broadcast-small-table"]
ignore = ["SPK00"]
exclude = ["legacy"]
unsafe-fixes = true
include-tests = true
profile = ["logs/run1"]

[rules.broadcast-small-table]
max_broadcast_bytes = 1_000
dimension_patterns = ["lkp_*"]

[rules.SPK003]
output_files = 0x10
"#;
        let config = parse(text, Path::new("/p/sparkfix.toml"), false)
            .unwrap()
            .unwrap();
        assert_eq!(config.target_spark.unwrap().value, SparkVersion::new(3, 3));
        assert_eq!(config.select.as_ref().unwrap().line, 3);
        assert_eq!(
            config.profile.unwrap().value,
            vec![PathBuf::from("/p/logs/run1")]
        );
        assert!(config.unsafe_fixes.unwrap().value);
        let mut parameters: Vec<_> = config
            .parameters
            .iter()
            .map(|p| (p.rule, p.name.as_str(), p.value.clone(), p.line))
            .collect();
        parameters.sort_by_key(|p| (p.0, p.1));
        assert_eq!(
            parameters,
            vec![
                (
                    "broadcast-small-table",
                    "dimension_patterns",
                    ParameterValue::List(vec!["lkp_*".into()]),
                    12
                ),
                (
                    "broadcast-small-table",
                    "max_broadcast_bytes",
                    ParameterValue::Integer(1000),
                    11
                ),
                (
                    "control-output-files",
                    "output_files",
                    ParameterValue::Integer(16),
                    15
                ),
            ]
        );
    }

    #[test]
    fn a_pyproject_without_the_table_is_not_a_configuration() {
        let path = Path::new("/p/pyproject.toml");
        assert_eq!(
            parse("[tool.ruff]\nline-length = 90\n", path, true),
            Ok(None)
        );
        let config = parse("[tool.sparkfix]\nstrict = true\n", path, true)
            .unwrap()
            .unwrap();
        assert_eq!(
            config.strict,
            Some(Located {
                value: true,
                line: 2
            })
        );
    }

    #[test]
    fn names_the_file_line_and_key_of_each_error() {
        assert_eq!(
            errors("select = [\"SPK001\"]\ntarget_spark = \"3.1\"\n")[0],
            format!(
                "/p/sparkfix.toml:2:1: unknown key `target_spark` (did you mean `target-spark`?); the keys are {}",
                KEYS.map(|k| format!("`{k}`")).join(", ")
            )
        );
        assert_eq!(
            errors("strict = \"yes\"\n"),
            ["/p/sparkfix.toml:1:10: `strict`: expected true or false, found a string"]
        );
        assert_eq!(
            errors("target-spark = \"9.1\"\n"),
            [format!(
                "/p/sparkfix.toml:1:16: `target-spark`: {}",
                SparkVersion::from_str("9.1").unwrap_err()
            )]
        );
        assert!(
            errors("ignore = [\"SPK999\"]\n")[0]
                .starts_with("/p/sparkfix.toml:1:11: `ignore`: `SPK999` names no rule")
        );
        assert_eq!(
            errors("[rules.control-output-files]\noutput_files = -1\n"),
            ["/p/sparkfix.toml:2:16: `rules.control-output-files.output_files` must be 0 or more"]
        );
        assert_eq!(
            errors("[rules.control-output-files]\noutput_files = \"50\"\n"),
            [
                "/p/sparkfix.toml:2:16: `rules.control-output-files.output_files`: expected an integer, found a string"
            ]
        );
        assert!(errors("[rules.control-output-files]\nfiles = 5\n")[0].starts_with(
            "/p/sparkfix.toml:2:1: unknown key `rules.control-output-files.files`; the parameters of control-output-files are `output_files`"
        ));
        assert!(
            errors("[rules.no-such-rule]\n")[0]
                .starts_with("/p/sparkfix.toml:1:8: `rules.no-such-rule`: no such rule")
        );
        assert!(errors("select = [\n")[0].starts_with("/p/sparkfix.toml:"));
        assert!(errors("select = [\n")[0].contains("not valid TOML"));
        assert_eq!(errors("exclude = [\"a[b\"]\nstrict = 1\n").len(), 2);
    }
}
