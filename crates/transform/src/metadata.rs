//! Rule metadata: the `rules/<name>.yaml` files, embedded at build time and read with serde.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::edit::Applicability;

/// The embedded YAML file of each rule, by rule name.
pub const RULE_FILES: &[(&str, &str)] = &[
    (
        "cache-reused-dataframe",
        include_str!("../../../rules/cache-reused-dataframe.yaml"),
    ),
    (
        "broadcast-small-table",
        include_str!("../../../rules/broadcast-small-table.yaml"),
    ),
    (
        "control-output-files",
        include_str!("../../../rules/control-output-files.yaml"),
    ),
    (
        "partition-output-by-date",
        include_str!("../../../rules/partition-output-by-date.yaml"),
    ),
    (
        "count-in-passing",
        include_str!("../../../rules/count-in-passing.yaml"),
    ),
    (
        "shuffle-partitions",
        include_str!("../../../rules/shuffle-partitions.yaml"),
    ),
    (
        "executor-memory",
        include_str!("../../../rules/executor-memory.yaml"),
    ),
    (
        "bypass-partial-aggregation",
        include_str!("../../../rules/bypass-partial-aggregation.yaml"),
    ),
    (
        "cheap-emptiness-test",
        include_str!("../../../rules/cheap-emptiness-test.yaml"),
    ),
    (
        "with-columns-at-once",
        include_str!("../../../rules/with-columns-at-once.yaml"),
    ),
    (
        "coalesce-starves-stage",
        include_str!("../../../rules/coalesce-starves-stage.yaml"),
    ),
    (
        "unused-suppression",
        include_str!("../../../rules/unused-suppression.yaml"),
    ),
];

/// One rule's documentation and parameters, as written in its YAML file.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RuleMeta {
    pub id: String,
    pub name: String,
    pub summary: String,
    pub rationale: String,
    /// `safe` or `unsafe`: the applicability of the rule's fix.
    pub safety: Applicability,
    pub safety_reason: String,
    /// What the fix changes when the job runs, and how `sparkfix report` estimates the time it
    /// saves (or why it does not).
    pub impact: String,
    #[serde(default)]
    pub parameters: BTreeMap<String, Parameter>,
    pub example: Example,
}

/// A rule parameter with its default value.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    pub description: String,
    pub default: ParameterValue,
}

/// Code before and after the fix.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub before: String,
    pub after: String,
    /// For a rule that acts on measurements only: the event log (under `tests/eventlogs/logs/`)
    /// the example runs with.
    #[serde(default)]
    pub profile: Option<String>,
}

/// A parameter's default value.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum ParameterValue {
    Integer(i64),
    Bool(bool),
    Text(String),
    List(Vec<String>),
}

impl RuleMeta {
    /// The value of the parameter `name`: its default from the YAML file.
    ///
    /// Panics when the file does not define it: a rule asking for an undeclared parameter is a
    /// bug that the rule's tests catch.
    pub fn parameter(&self, name: &str) -> &ParameterValue {
        match self.parameters.get(name) {
            Some(parameter) => &parameter.default,
            None => panic!("rules/{}.yaml declares no parameter `{name}`", self.name),
        }
    }
}

impl ParameterValue {
    /// The list of strings, or the single string as a list of one; empty for other values.
    pub fn as_list(&self) -> &[String] {
        match self {
            ParameterValue::List(items) => items,
            ParameterValue::Text(text) => std::slice::from_ref(text),
            _ => &[],
        }
    }

    pub fn as_integer(&self) -> Option<i64> {
        match self {
            ParameterValue::Integer(value) => Some(*value),
            _ => None,
        }
    }
}

/// Why an embedded rule file is invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataError {
    pub file: String,
    pub message: String,
}

impl std::fmt::Display for MetadataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "rules/{}.yaml: {}", self.file, self.message)
    }
}

/// Parses one rule file and checks that its `name` matches the file name.
pub fn parse_rule_file(file: &str, yaml: &str) -> Result<RuleMeta, MetadataError> {
    let meta: RuleMeta = serde_saphyr::from_str(yaml).map_err(|e| MetadataError {
        file: file.to_owned(),
        message: e.to_string(),
    })?;
    if meta.name != file {
        return Err(MetadataError {
            file: file.to_owned(),
            message: format!("`name: {}` does not match the file name", meta.name),
        });
    }
    Ok(meta)
}

/// The metadata of every embedded rule file, parsed once.
pub fn all_metadata() -> &'static [RuleMeta] {
    static METADATA: OnceLock<Vec<RuleMeta>> = OnceLock::new();
    METADATA.get_or_init(|| {
        RULE_FILES
            .iter()
            .map(|(file, yaml)| parse_rule_file(file, yaml).unwrap_or_else(|e| panic!("{e}")))
            .collect()
    })
}

/// The metadata of the rule named `name`.
pub fn metadata(name: &str) -> Option<&'static RuleMeta> {
    all_metadata().iter().find(|m| m.name == name)
}
