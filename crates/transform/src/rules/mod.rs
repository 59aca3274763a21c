//! The rule registry and what every rule receives: the parsed file, its Spark model, the
//! settings and the rule's own metadata.

mod adaptive;
mod broadcast_small_table;
mod bypass_partial_aggregation;
mod cache_reused_dataframe;
mod cheap_emptiness_test;
mod coalesce_starves_stage;
mod control_output_files;
mod count_in_passing;
mod executor_memory;
mod name_pattern;
mod partition_output_by_date;
mod session_setting;
mod shuffle_partitions;
pub(crate) mod unused_suppression;
mod with_columns_at_once;

use sparkfix_syntax::SourceFile;

use crate::diagnostic::{Diagnostic, Evidence, Location};
use crate::edit::{Applicability, Edit, Fix};
use crate::metadata::{ParameterValue, RuleMeta};
use crate::model::{Fold, Lineage, SparkModel};
use crate::settings::Settings;

/// A rule: a code, a name matching its `rules/<name>.yaml`, and a check.
pub trait Rule: Sync {
    fn code(&self) -> &'static str;
    fn name(&self) -> &'static str;
    fn check(&self, ctx: &RuleContext<'_, '_>, out: &mut Vec<Diagnostic>);
    /// Whether the rule runs without being selected (`--select`, `extend-select`).
    fn on_by_default(&self) -> bool {
        true
    }
}

/// Every rule, in code order. Adding a rule = one file, one YAML file, one line here.
pub static RULES: &[&dyn Rule] = &[
    &cache_reused_dataframe::CacheReusedDataframe,
    &broadcast_small_table::BroadcastSmallTable,
    &control_output_files::ControlOutputFiles,
    &partition_output_by_date::PartitionOutputByDate,
    &count_in_passing::CountInPassing,
    &shuffle_partitions::ShufflePartitions,
    &executor_memory::ExecutorMemory,
    &bypass_partial_aggregation::BypassPartialAggregation,
    &cheap_emptiness_test::CheapEmptinessTest,
    &with_columns_at_once::WithColumnsAtOnce,
    &coalesce_starves_stage::CoalesceStarvesStage,
    &unused_suppression::UnusedSuppression,
];

/// What a rule reads.
pub struct RuleContext<'a, 't> {
    pub file: &'t SourceFile,
    pub model: &'a SparkModel<'t>,
    pub lineage: &'a Lineage,
    /// The counts a later action could count in passing (`SparkModel::folds`), computed once
    /// for the two rules that read them.
    pub folds: &'a [Fold],
    pub settings: &'a Settings,
    /// A notebook's cells, to name lines in them (empty for a Python file).
    pub cells: crate::cells::Cells,
}

impl RuleContext<'_, '_> {
    /// A diagnostic of `rule` at `range` whose message ends with its evidence, with a fix if
    /// `edits` is non-empty: of the rule's applicability when the evidence is proof or a
    /// measurement, unsafe when it is a guess.
    pub fn diagnostic(
        &self,
        rule: &dyn Rule,
        range: std::ops::Range<usize>,
        message: String,
        evidence: Evidence,
        edits: Vec<Edit>,
    ) -> Diagnostic {
        let meta = metadata_of(rule);
        let position = self.file.line_column(range.start);
        let applicability = if evidence.allows_safe_fix() {
            meta.safety
        } else {
            Applicability::Unsafe
        };
        Diagnostic {
            code: rule.code(),
            name: rule.name(),
            range,
            location: Location {
                line: position.line,
                column: position.column,
            },
            message: format!("{message} ({evidence})"),
            evidence,
            fix: Fix::new(edits, applicability),
            impact: None,
        }
    }

    /// The SQL execution of `run` that ran each of the file's actions (by `ActionId`), when the
    /// log tells: every action of the file runs exactly once, at module level and outside any
    /// function, and the run's executions are those actions in order and kind
    /// (`Measurements::action_queries`).
    pub fn action_queries<'r>(
        &self,
        run: &'r sparkfix_eventlog::Run,
    ) -> Option<Vec<(crate::model::ActionId, &'r sparkfix_eventlog::Query)>> {
        let model = self.model;
        let mut actions: Vec<(usize, crate::model::ActionId, &str)> = Vec::new();
        for (index, action) in model.actions.iter().enumerate() {
            let in_function = std::iter::successors(action.node.parent(), |node| node.parent())
                .any(|node| sparkfix_syntax::views::FunctionDef::cast(node).is_some());
            if action.runs != crate::model::Runs::Once || action.count != 1 || in_function {
                return None;
            }
            let id = crate::model::ActionId(u32::try_from(index).ok()?);
            actions.push((action.node.start(), id, action.method));
        }
        actions.sort_by_key(|(start, ..)| *start);
        let methods: Vec<&str> = actions.iter().map(|(.., method)| *method).collect();
        let queries = crate::measured::Measurements::action_queries(run, &methods)?;
        Some(actions.iter().map(|(_, id, _)| *id).zip(queries).collect())
    }

    /// The runs of the event logs (`--profile`) that are this file's own job: matched by the
    /// `appName` its session builders give, else by the paths and tables it reads and writes
    /// (`Measurements::job_runs`).
    pub fn job_runs(&self) -> Vec<&sparkfix_eventlog::Run> {
        self.settings.measurements.job_runs_of(self.model)
    }

    /// The value of `rule`'s parameter `name`.
    ///
    /// The configuration's `[tool.sparkfix.rules.<name>]` value when it sets one, else the
    /// default in `rules/<name>.yaml`.
    pub fn parameter(&self, rule: &dyn Rule, name: &str) -> &ParameterValue {
        let default = metadata_of(rule).parameter(name);
        self.settings
            .parameters
            .get(rule.name(), name)
            .unwrap_or(default)
    }

    /// The line of a byte offset, as a message names it (`12`, or `2 in cell 5` in a
    /// notebook).
    pub fn line(&self, offset: usize) -> crate::cells::LineRef {
        self.cells.line_ref(self.file.lines().line_of(offset))
    }
}

fn metadata_of(rule: &dyn Rule) -> &'static RuleMeta {
    crate::metadata::metadata(rule.name())
        .unwrap_or_else(|| panic!("rule {} has no rules/{}.yaml", rule.code(), rule.name()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::{RULE_FILES, all_metadata};

    #[test]
    fn registry_and_yaml_files_agree() {
        assert_eq!(
            RULES.len(),
            RULE_FILES.len(),
            "one YAML file per registered rule"
        );
        for rule in RULES {
            let meta = metadata_of(*rule);
            assert_eq!(
                meta.id,
                rule.code(),
                "rules/{}.yaml has the wrong id",
                rule.name()
            );
        }
        let mut codes: Vec<_> = all_metadata().iter().map(|m| m.id.clone()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), RULES.len(), "rule ids are unique");
    }

    #[test]
    fn bad_yaml_is_reported_with_its_file() {
        let error = crate::metadata::parse_rule_file("x", "id: SPK9\nname: y\n").unwrap_err();
        assert!(error.to_string().starts_with("rules/x.yaml: "), "{error}");
    }
}
