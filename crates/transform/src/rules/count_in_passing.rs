//! SPK005 `count-in-passing`: `count()`s that only feed log lines, on frames a later action
//! reads completely anyway, each scan the data for a log line alone. The fix observes each
//! frame where it is defined (`DataFrame.observe`), moves the log lines after that action and
//! reads the counts from the observations (an unsafe fix: the log lines print later).
//!
//! See `rules/count-in-passing.yaml` for what it does, why, and when.

use std::collections::HashSet;

use sparkfix_eventlog::replay::Change;
use sparkfix_syntax::SyntaxNode;

use super::{Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Evidence, Impact};
use crate::edit::Edit;
use crate::edits::{
    append_method_call, insert_after_statement, insert_before_statement, reference_member,
};
use crate::model::{ActionId, Fold, FrameId, FrameOrigin};
use crate::settings::SparkVersion;

pub struct CountInPassing;

/// `pyspark.sql.Observation` came with Spark 3.3.
pub const OBSERVATION: SparkVersion = SparkVersion::new(3, 3);

impl Rule for CountInPassing {
    fn code(&self) -> &'static str {
        "SPK005"
    }

    fn name(&self) -> &'static str {
        "count-in-passing"
    }

    fn check(&self, ctx: &RuleContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        if ctx.settings.target_spark < OBSERVATION {
            return;
        }
        let model = ctx.model;
        let folds = ctx.folds;
        let mut targets: Vec<ActionId> = folds.iter().map(|fold| fold.into).collect();
        targets.sort();
        targets.dedup();
        for into in targets {
            let group: Vec<&Fold> = folds.iter().filter(|fold| fold.into == into).collect();
            let target = model.action(into);
            let at = ctx.line(target.node.start());
            let reader = if target.method == "collect" || target.method == "toPandas" {
                format!("`{}()`", target.method)
            } else {
                "the write".to_owned()
            };
            let mut frames: Vec<String> = Vec::new();
            for fold in &group {
                let name = format!("`{}`", model.frame(fold.frame).name);
                if !frames.contains(&name) {
                    frames.push(name);
                }
            }
            let mut lines: Vec<crate::cells::LineRef> = group
                .iter()
                .filter_map(|fold| model.action(fold.count).logged_in.as_ref())
                .flat_map(|logged| &logged.calls)
                .map(|call| ctx.line(call.start()))
                .collect();
            lines.sort_unstable();
            lines.dedup();
            let lines: Vec<String> = lines.iter().map(ToString::to_string).collect();
            let (counts, passes) = if group.len() == 1 {
                ("This count".to_owned(), "one full pass".to_owned())
            } else {
                (
                    format!("These {} counts", group.len()),
                    format!("{} full passes", group.len()),
                )
            };
            let message = format!(
                "{counts} of {} only feed{} the log {} {}: count the rows in passing while \
                 {reader} at line {at} reads them (`DataFrame.observe`), {passes} less; the log \
                 lines move after line {at}",
                frames.join(", "),
                if group.len() == 1 { "s" } else { "" },
                if lines.len() == 1 { "line" } else { "lines" },
                lines.join(", "),
            );
            let evidence = Evidence::Proven(format!(
                "each value reaches only log lines, and line {at} always runs after them and \
                 reads every counted frame completely, once"
            ));
            let first = model.action(group[0].count).node;
            let edits = rewrite(ctx, &group, into).unwrap_or_default();
            let mut diagnostic = ctx.diagnostic(self, first.range(), message, evidence, edits);
            diagnostic.impact = impact(ctx, &group);
            out.push(diagnostic);
        }
    }
}

/// The counts' own SQL executions no longer run: their stages, and their time outside their
/// jobs (planning, the driver's part), go from the first run of the job whose executions are
/// the file's actions in order and kind (`action_queries`).
fn impact(ctx: &RuleContext<'_, '_>, group: &[&Fold]) -> Option<Impact> {
    ctx.job_runs().into_iter().find_map(|run| {
        let queries = ctx.action_queries(run)?;
        let mut changes = Vec::new();
        let mut named = Vec::new();
        for fold in group {
            let (_, query) = queries.iter().find(|(id, _)| *id == fold.count)?;
            named.push(format!(
                "query {} (line {})",
                query.id,
                ctx.line(ctx.model.action(fold.count).node.start())
            ));
            changes.push(Change::SkipQuery { query: query.id });
        }
        Some(Impact {
            run: run.label().to_string(),
            changes,
            method: format!(
                "{} skipped, their stages and their time outside their jobs (the run's SQL \
                 executions are the file's actions, in order and kind), then the run replayed; \
                 the observation that replaces each count is taken in \
                 the pass of the action that follows",
                named.join(", ")
            ),
        })
    })
}

/// The edits that fold `group`'s counts into the action `into`, or `None` when the code's
/// shape does not allow the rewrite (the finding is then reported without a fix): each count is
/// `frame.count()` on a frame bound by an assignment, and the statements that carry its value
/// stand whole on their lines in the block of `into`, before it, with no other action in them
/// and no name they read bound again before `into`.
fn rewrite(ctx: &RuleContext<'_, '_>, group: &[&Fold], into: ActionId) -> Option<Vec<Edit>> {
    let model = ctx.model;
    let file = ctx.file;
    let target = model.action(into).node.enclosing_statement()?;
    let block = target.parent()?;
    let mut frames: Vec<FrameId> = group.iter().map(|fold| fold.frame).collect();
    frames.sort();
    frames.dedup();
    // What each count measures: the frame's rows, or the rows meeting a filter's condition.
    let mut metrics: Vec<(FrameId, Option<String>)> = Vec::new();
    let mut fold_metric: Vec<(FrameId, Option<String>)> = Vec::new();
    for fold in group {
        let metric = counted_metric(ctx, fold)?;
        if !metrics.contains(&(fold.frame, metric.clone())) {
            metrics.push((fold.frame, metric.clone()));
        }
        fold_metric.push((fold.frame, metric));
    }
    let first_definition = frames
        .iter()
        .map(|&id| model.frame(id).definition().start())
        .min()?;
    let observation = reference_member(file, "pyspark.sql", "Observation", first_definition);
    let count = reference_member(file, "pyspark.sql.functions", "count", first_definition);
    let conditional = metrics.iter().any(|(_, condition)| condition.is_some());
    let when = conditional
        .then(|| reference_member(file, "pyspark.sql.functions", "when", first_definition));
    let mut edits: Vec<Edit> = observation.edit.into_iter().chain(count.edit).collect();
    if let Some(when) = &when {
        edits.extend(when.edit.clone());
    }
    let mut taken: Vec<String> = Vec::new();
    let names: HashSet<&str> = file
        .root()
        .descendants()
        .filter_map(|node| node.as_name())
        .collect();
    // Per frame: its observation's name, and the alias of each metric.
    let mut observations: Vec<Observed> = Vec::new();
    for &id in &frames {
        let frame = model.frame(id);
        let FrameOrigin::Assignment { stmt, value } = frame.origin else {
            return None;
        };
        let name = free_name(&names, &format!("{}_observation", frame.name), &taken);
        taken.push(name.clone());
        let mut aliases: Vec<(Option<String>, String)> = Vec::new();
        let mut columns: Vec<String> = Vec::new();
        for (_, condition) in metrics.iter().filter(|(frame_id, _)| *frame_id == id) {
            let alias = match condition {
                None => "rows".to_owned(),
                Some(_) => format!(
                    "rows_if_{}",
                    aliases.iter().filter(|(c, _)| c.is_some()).count() + 1
                ),
            };
            let column = match condition {
                None => format!("{}(\"*\")", count.expr),
                Some(condition) => {
                    format!("{}({}({condition}, True))", count.expr, when.as_ref()?.expr)
                }
            };
            columns.push(format!("{column}.alias(\"{alias}\")"));
            aliases.push((condition.clone(), alias));
        }
        edits.push(insert_before_statement(
            file,
            stmt,
            &format!("{name} = {}(\"{}\")", observation.expr, frame.name),
        ));
        edits.extend(append_method_call(
            file,
            value,
            &format!(".observe({name}, {})", columns.join(", ")),
        ));
        observations.push(Observed {
            frame: id,
            name,
            aliases,
        });
    }
    // The statements to move, with each count replaced by its observation's value.
    let mut moved: Vec<(SyntaxNode<'_>, String)> = Vec::new();
    for (fold, (_, metric)) in group.iter().zip(&fold_metric) {
        let action = model.action(fold.count);
        let observed = observations
            .iter()
            .find(|observed| observed.frame == fold.frame)?;
        let observation = &observed.name;
        let (_, alias) = observed
            .aliases
            .iter()
            .find(|(condition, _)| condition == metric)?;
        for &statement in &action.logged_in.as_ref()?.statements {
            let whole_lines = statement.parent() == Some(block)
                && statement.end() <= target.start()
                && crate::edits::stands_alone(file, statement);
            let other_action = model.actions.iter().any(|other| {
                other.node != action.node && statement.range().contains(&other.node.start())
            });
            if !whole_lines || other_action {
                return None;
            }
            let offset = statement.start();
            // Inside an f-string, the other quote (Python before 3.12 refuses the same one).
            let quote = if action.node.enclosing_quote() == Some('"') {
                '\''
            } else {
                '"'
            };
            let value = format!("{observation}.get[{quote}{alias}{quote}]");
            let mut text = statement.text().to_owned();
            if statement.range().contains(&action.node.start())
                && statement.range().contains(&(action.node.end() - 1))
            {
                let range = action.node.start() - offset..action.node.end() - offset;
                text.replace_range(range, &value);
            }
            let holds_count = statement.range().contains(&action.node.start());
            match moved.iter_mut().find(|(node, _)| *node == statement) {
                // Two counts in one log line: replace the second in the text already taken.
                Some((_, existing)) if holds_count => {
                    let original = statement.text();
                    let count_text =
                        &original[action.node.start() - offset..action.node.end() - offset];
                    *existing = existing.replacen(count_text, &value, 1);
                }
                // A log line both values reach (`sales / days`): taken once.
                Some(_) => {}
                None => moved.push((statement, text)),
            }
        }
    }
    moved.sort_by_key(|(statement, _)| statement.start());
    // A name a moved statement reads must mean the same after `into`.
    let between: Vec<SyntaxNode<'_>> = block
        .children()
        .filter(|statement| {
            statement.start() >= moved[0].0.start()
                && statement.end() <= target.end()
                && !moved.iter().any(|(node, _)| node == statement)
        })
        .collect();
    for (statement, _) in &moved {
        let reads: Vec<&str> = statement
            .descendants()
            .filter_map(|node| node.as_name())
            .collect();
        let rebound = between
            .iter()
            .filter(|other| other.start() > statement.start())
            .any(|other| other.bound_names().iter().any(|name| reads.contains(name)));
        if rebound {
            return None;
        }
    }
    let statements: Vec<SyntaxNode<'_>> = moved.iter().map(|(statement, _)| *statement).collect();
    edits.extend(crate::edits::delete_lines(file, &statements));
    let newline = file.style().line_ending.as_str();
    let indent = crate::edits::line_indent(file, target.start());
    let texts: Vec<&str> = moved.iter().map(|(_, text)| text.as_str()).collect();
    edits.push(insert_after_statement(
        file,
        target,
        &texts.join(&format!("{newline}{indent}")),
    ));
    Some(merge_insertions(edits))
}

/// A frame's observation: its variable and the alias of each metric (`None`: every row, else
/// the rows meeting that condition).
struct Observed {
    frame: FrameId,
    name: String,
    aliases: Vec<(Option<String>, String)>,
}

/// What a folded count measures: `None` for `frame.count()`, the condition's text for
/// `frame.filter(condition).count()` (or `where`), a Column condition that names neither the
/// frame (not bound yet where the observation is declared) nor a name bound between the frame's
/// definition and the count. `None` overall when the count has another shape.
fn counted_metric(ctx: &RuleContext<'_, '_>, fold: &Fold) -> Option<Option<String>> {
    let model = ctx.model;
    let action = model.action(fold.count);
    let frame = model.frame(fold.frame);
    let receiver = action.node.as_call()?.function().as_attribute()?.object();
    if receiver.as_name() == Some(frame.name) {
        return Some(None);
    }
    let filter = receiver.as_call()?;
    if !matches!(filter.callee_name(), Some("filter" | "where"))
        || filter.function().as_attribute()?.object().as_name() != Some(frame.name)
    {
        return None;
    }
    let arguments = filter.arguments().all();
    let [sparkfix_syntax::views::Argument::Positional(condition)] = arguments.as_slice() else {
        return None;
    };
    if condition.unparenthesized().is_string() {
        return None;
    }
    let reads: Vec<&str> = condition
        .descendants()
        .filter_map(|node| node.as_name())
        .collect();
    if reads.contains(&frame.name) {
        return None;
    }
    let defined = frame.definition();
    let statement = action.node.enclosing_statement()?;
    let block = statement.parent()?;
    let rebound = block
        .children()
        .filter(|other| other.start() >= defined.start() && other.end() <= statement.start())
        .any(|other| other.bound_names().iter().any(|name| reads.contains(name)));
    (!rebound && defined.parent() == Some(block)).then(|| Some(condition.text().to_owned()))
}

/// `base`, or `base_2`, `base_3`...: the first that is none of the file's `names` and not taken.
fn free_name(names: &HashSet<&str>, base: &str, taken: &[String]) -> String {
    let used = |name: &str| taken.iter().any(|t| t == name) || names.contains(name);
    if !used(base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|name| !used(name))
        .expect("a free name")
}

/// Insertions at one offset, joined in order into one edit (one fix may not hold two).
fn merge_insertions(edits: Vec<Edit>) -> Vec<Edit> {
    let mut merged: Vec<Edit> = Vec::new();
    for edit in edits {
        match merged.iter_mut().find(|done| {
            done.range.is_empty() && edit.range.is_empty() && done.range.start == edit.range.start
        }) {
            Some(done) => done.content.push_str(&edit.content),
            None => merged.push(edit),
        }
    }
    merged
}
