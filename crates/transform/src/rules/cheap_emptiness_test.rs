//! SPK009 `cheap-emptiness-test`: a DataFrame counted (or collected) only to learn whether it
//! has rows, tested the cheap way instead: `len(df.head(1)) == 0` on a map-only lineage (one
//! task when the first split has a row), `df.isEmpty()` (Spark 3.3+; `df.limit(1).count() == 0`
//! before) when a shuffle stands in the lineage (it reads no column, so Spark prunes what only
//! computes columns). Measured on PySpark 4.3 (`bench/emptiness.py`).
//!
//! See `rules/cheap-emptiness-test.yaml` for what it does, why, and the fix.

use super::{Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Evidence};
use crate::edit::Edit;
use crate::model::{Action, CountedName, Emptiness, EmptinessForm};
use crate::settings::SparkVersion;

pub struct CheapEmptinessTest;

/// The first Spark version whose PySpark `DataFrame` has `isEmpty()`.
const IS_EMPTY_SINCE: SparkVersion = SparkVersion::new(3, 3);

/// The cheap test for a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cheap {
    /// `len(df.head(1)) == 0`: reads splits only until one has a row.
    Head,
    /// `df.isEmpty()`: selects no column, one row per task of the last stage.
    IsEmpty,
    /// `df.limit(1).count() == 0`: the plan `isEmpty()` runs, before Spark 3.3.
    LimitCount,
}

impl Rule for CheapEmptinessTest {
    fn code(&self) -> &'static str {
        "SPK009"
    }

    fn name(&self) -> &'static str {
        "cheap-emptiness-test"
    }

    fn check(&self, ctx: &RuleContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        for action in &ctx.model.actions {
            if let Some(emptiness) = &action.emptiness {
                if let Some(diagnostic) = self.direct(ctx, action, emptiness) {
                    out.push(diagnostic);
                }
            } else if let Some(counted) = &action.counted_into
                && let Some(diagnostic) = self.through_name(ctx, action, counted)
            {
                out.push(diagnostic);
            }
        }
    }
}

/// Whether this rule turns `action` into `head(1)`, which reads the first split only: then it
/// is no full pass for `cache-reused-dataframe` to cache for (the two rules cooperate as
/// count-in-passing and the cache do).
pub(super) fn becomes_limited(ctx: &RuleContext<'_, '_>, action: &Action<'_>) -> bool {
    let rule = CheapEmptinessTest;
    ctx.settings.rules.enables(rule.code(), rule.name())
        && action
            .emptiness
            .is_some_and(|emptiness| cheap_test(ctx, action, emptiness.form) == Some(Cheap::Head))
}

/// Whether a shuffle or a global sort stands in the action's lineage.
fn shuffled(action: &Action<'_>) -> bool {
    action.recompute.shuffles || action.recompute.sorts
}

/// The cheap test for `form` on `action`'s lineage, `None` when the code's is as cheap (or
/// nothing cheaper exists on the target version).
fn cheap_test(
    ctx: &RuleContext<'_, '_>,
    action: &Action<'_>,
    form: EmptinessForm,
) -> Option<Cheap> {
    let modern = ctx.settings.target_spark >= IS_EMPTY_SINCE;
    match (shuffled(action), form) {
        // One task already when the first split has a row.
        (false, EmptinessForm::Take) => None,
        (false, _) => Some(Cheap::Head),
        // `limit(1).count()` is the plan `isEmpty()` runs.
        (true, EmptinessForm::LimitOneCount | EmptinessForm::IsEmpty) => None,
        (true, _) if modern => Some(Cheap::IsEmpty),
        (true, _) => Some(Cheap::LimitCount),
    }
}

/// The cheap test of `frame` (its text), true when it has no rows if `true_when_empty`.
fn spelled(cheap: Cheap, frame: &str, true_when_empty: bool) -> String {
    match (cheap, true_when_empty) {
        (Cheap::Head, true) => format!("len({frame}.head(1)) == 0"),
        (Cheap::Head, false) => format!("len({frame}.head(1)) > 0"),
        (Cheap::IsEmpty, true) => format!("{frame}.isEmpty()"),
        (Cheap::IsEmpty, false) => format!("not {frame}.isEmpty()"),
        (Cheap::LimitCount, true) => format!("{frame}.limit(1).count() == 0"),
        (Cheap::LimitCount, false) => format!("{frame}.limit(1).count() > 0"),
    }
}

/// What the code's form costs against the cheap test.
fn cost(form: EmptinessForm, cheap: Cheap) -> String {
    let what = match (form, cheap) {
        // After a shuffle, "every row of every split" is every stage in full.
        (EmptinessForm::Count, Cheap::IsEmpty | Cheap::LimitCount) => {
            "the count runs every stage of the lineage in full"
        }
        (EmptinessForm::Count, Cheap::Head) => "the count reads every row of every input split",
        (EmptinessForm::Collect, _) => "`collect()` brings every row to the driver",
        (EmptinessForm::LimitOneCount, _) => {
            "`limit(1).count()` runs a task on every input split, then a single-partition shuffle"
        }
        (EmptinessForm::Take, _) => {
            "`take(1)`/`head(1)` runs the shuffles in full and sends a row of every column to Python"
        }
        (EmptinessForm::RddIsEmpty, _) => {
            "`df.rdd` turns the rows into Python objects before `isEmpty()` takes one"
        }
        (EmptinessForm::IsEmpty, _) => {
            "`isEmpty()` counts a `limit(1)` of every input split: a task per split"
        }
    };
    let cheap = match cheap {
        Cheap::Head => "`head(1)` reads the first split and stops there when it has a row",
        Cheap::IsEmpty => {
            "`isEmpty()` reads no column, so Spark drops what only computes columns (an \
             aggregation's functions, an aggregation nothing reads), and each task of the last \
             stage stops at its first row"
        }
        Cheap::LimitCount => {
            "`limit(1).count()` (what `isEmpty()` runs from Spark 3.3) reads no column, so Spark \
             drops what only computes columns, and each task of the last stage stops at its \
             first row"
        }
    };
    format!("{what}, where {cheap}")
}

impl CheapEmptinessTest {
    /// A count or collect tested for emptiness where it is called: replaced by the cheap test.
    fn direct(
        &self,
        ctx: &RuleContext<'_, '_>,
        action: &Action<'_>,
        emptiness: &Emptiness<'_>,
    ) -> Option<Diagnostic> {
        let cheap = cheap_test(ctx, action, emptiness.form)?;
        let frame = emptiness.frame.text();
        let replacement = spelled(cheap, frame, emptiness.true_when_empty);
        // A comparison or a `not` in place of a call (`x.rdd.isEmpty() is False`) keeps its
        // meaning only in parentheses.
        let edit = if emptiness.test.accepts_test_expression() {
            replacement.clone()
        } else {
            format!("({replacement})")
        };
        let test = emptiness
            .test
            .text()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let message = format!(
            "Test `{replacement}` instead of `{test}`, which only asks whether `{frame}` has \
             rows: {}",
            cost(emptiness.form, cheap)
        );
        let lineage = if shuffled(action) {
            "a shuffle stands in the lineage"
        } else {
            "the lineage is map-only"
        };
        let why = match emptiness.form {
            EmptinessForm::RddIsEmpty => format!("`rdd.isEmpty()` of a DataFrame; {lineage}"),
            _ => format!("the value is only compared with 0 or tested for truth; {lineage}"),
        };
        let evidence = self.evidence(ctx, action, why);
        let edits = vec![Edit::replace(emptiness.test.range(), edit)];
        Some(ctx.diagnostic(self, emptiness.test.range(), message, evidence, edits))
    }

    /// `n = df.count()` whose reads test it for zero: reported, not fixed (the name may be read
    /// where the frame is another, and another use may need the number).
    fn through_name(
        &self,
        ctx: &RuleContext<'_, '_>,
        action: &Action<'_>,
        counted: &CountedName<'_>,
    ) -> Option<Diagnostic> {
        let cheap = cheap_test(ctx, action, EmptinessForm::Count)?;
        let frame = action
            .node
            .as_call()
            .and_then(|call| call.method())
            .map_or("the DataFrame", |(receiver, _)| receiver.text());
        let test = spelled(cheap, frame, true);
        let lines = |nodes: &[sparkfix_syntax::SyntaxNode<'_>]| {
            let lines: Vec<String> = nodes
                .iter()
                .map(|node| ctx.line(node.start()).to_string())
                .collect();
            let word = if lines.len() == 1 { "line" } else { "lines" };
            format!("{word} {}", lines.join(", "))
        };
        let name = counted.name;
        let (message, evidence) = if counted.other_uses.is_empty() {
            let message = format!(
                "Test `{test}` where `{name}` is tested ({}): `{name}` counts `{frame}` only to \
                 ask whether it has rows, and {}",
                lines(&counted.tests),
                cost(EmptinessForm::Count, cheap)
            );
            let why = format!("`{name}` is only compared with 0 or tested for truth");
            (message, self.evidence(ctx, action, why))
        } else {
            let message = format!(
                "`{name}` counts `{frame}` and is tested for rows ({}), but is also used at {}: \
                 if that use can go, test `{test}` instead: {}",
                lines(&counted.tests),
                lines(&counted.other_uses),
                cost(EmptinessForm::Count, cheap)
            );
            let evidence = Evidence::Guessed {
                what: format!(
                    "whether the use at {} needs the exact number",
                    lines(&counted.other_uses)
                ),
                confirm: "the job's owner".to_string(),
            };
            (message, evidence)
        };
        Some(ctx.diagnostic(self, action.node.range(), message, evidence, Vec::new()))
    }

    /// Proof from the code, unless the frame is only assumed to be a DataFrame (an unannotated
    /// parameter): then a guess.
    fn evidence(&self, ctx: &RuleContext<'_, '_>, action: &Action<'_>, why: String) -> Evidence {
        let assumed = action
            .frames
            .iter()
            .map(|id| ctx.model.frame(*id))
            .find(|frame| frame.assumed)
            .map(|frame| frame.name);
        match assumed {
            Some(name) => Evidence::Guessed {
                what: format!("{why}, if `{name}` is a Spark DataFrame"),
                confirm: format!("a `{name}: DataFrame` annotation"),
            },
            None => Evidence::Proven(why),
        }
    }
}
