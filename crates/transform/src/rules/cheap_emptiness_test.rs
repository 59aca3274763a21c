//! SPK009 `cheap-emptiness-test`: a DataFrame counted (or collected) only to learn whether it
//! has rows, tested the cheap way instead. On Spark 3.3 to 3.5, `df.isEmpty()` (Spark 3's
//! implementation takes one row of a column-less plan, partition by partition). From Spark 4.0,
//! whose `isEmpty()` counts a `limit(1)` of every split (measured on PySpark 4.3,
//! `bench/emptiness.py`): `len(df.head(1)) == 0` on a proven map-only lineage, `isEmpty()` after a
//! shuffle or on a lineage the code does not show. Before 3.3: `head(1)` on a map-only lineage
//! only.
//!
//! See `rules/cheap-emptiness-test.yaml` for what it does, why, and the fix.

use super::{Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Evidence};
use crate::edit::Edit;
use crate::model::{Action, CountedName, Emptiness, EmptinessForm, Shape};
use crate::settings::SparkVersion;

pub struct CheapEmptinessTest;

/// The first Spark version whose PySpark `DataFrame` has `isEmpty()`.
const IS_EMPTY_SINCE: SparkVersion = SparkVersion::new(3, 3);
/// From this version `isEmpty()` counts a `limit(1)` of every split (SPARK-45755) instead of
/// taking a row partition by partition (SPARK-29874).
const IS_EMPTY_COUNTS_SINCE: SparkVersion = SparkVersion::new(4, 0);

/// What stands before the tested frame, as far as the code shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lineage {
    /// Reads and narrow steps only, proven.
    MapOnly,
    /// A shuffle or a sort.
    Shuffled,
    /// A parameter, a SQL query, a function's result: nothing proven.
    Unknown,
}

fn lineage_of(ctx: &RuleContext<'_, '_>, action: &Action<'_>) -> Lineage {
    let assumed = action.frames.iter().any(|id| ctx.model.frame(*id).assumed);
    // `df.limit(1)` gathers its row in one partition: the lineage asked about is `df`'s.
    let limited_map_only = action
        .emptiness
        .is_some_and(|e| e.form == EmptinessForm::LimitOneCount)
        && action
            .frames
            .iter()
            .all(|id| ctx.model.frame(*id).layout.shape == Shape::MapOnly);
    if action.recompute.shuffles || action.recompute.sorts {
        Lineage::Shuffled
    } else if limited_map_only && !assumed {
        Lineage::MapOnly
    } else if action.layout.shape == Shape::Shuffled {
        Lineage::Shuffled
    } else if action.layout.shape == Shape::MapOnly && !assumed {
        Lineage::MapOnly
    } else {
        Lineage::Unknown
    }
}

/// The cheap test for a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cheap {
    /// `len(df.head(1)) == 0`: reads splits only until one has a row.
    Head,
    /// `df.isEmpty()`: selects no column, one row per task of the last stage.
    IsEmpty,
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
    // Most actions test nothing: that is decided first, before the rule selection.
    let Some(emptiness) = action.emptiness else {
        return false;
    };
    let rule = CheapEmptinessTest;
    ctx.settings.rules.enables(rule.code(), rule.name())
        && lineage_of(ctx, action) == Lineage::MapOnly
        && cheap_test(ctx, action, emptiness.form).is_some()
}

/// The cheap test for `form` on `action`'s lineage, `None` when the code's is as cheap (or
/// nothing cheaper is known on the target version).
fn cheap_test(
    ctx: &RuleContext<'_, '_>,
    action: &Action<'_>,
    form: EmptinessForm,
) -> Option<Cheap> {
    let target = ctx.settings.target_spark;
    let lineage = lineage_of(ctx, action);
    use EmptinessForm::{IsEmpty, LimitOneCount, Take};
    if counts(ctx) {
        return match (lineage, form) {
            // One task already when the first split has a row.
            (Lineage::MapOnly, Take) => None,
            (Lineage::MapOnly, _) => Some(Cheap::Head),
            // `limit(1).count()` is the plan `isEmpty()` runs.
            (_, LimitOneCount | IsEmpty) => None,
            // Never slower than the count measured: the choice when nothing is proven.
            (_, _) => Some(Cheap::IsEmpty),
        };
    }
    if target >= IS_EMPTY_SINCE {
        return match (lineage, form) {
            (_, IsEmpty) => None,
            // As cheap as `isEmpty()` on a map-only lineage.
            (Lineage::MapOnly, Take) => None,
            (_, _) => Some(Cheap::IsEmpty),
        };
    }
    // Before 3.3 PySpark has no `DataFrame.isEmpty`; after a shuffle `head(1)` measured slower
    // than the count: only a map-only lineage has a cheaper test.
    match (lineage, form) {
        (Lineage::MapOnly, Take | IsEmpty) => None,
        (Lineage::MapOnly, _) => Some(Cheap::Head),
        (_, _) => None,
    }
}

/// Whether the target's `isEmpty()` counts a `limit(1)` of every split (Spark 4).
fn counts(ctx: &RuleContext<'_, '_>) -> bool {
    ctx.settings.target_spark >= IS_EMPTY_COUNTS_SINCE
}

/// The cheap test of `frame` (its text), true when it has no rows if `true_when_empty`.
fn spelled(cheap: Cheap, frame: &str, true_when_empty: bool) -> String {
    match (cheap, true_when_empty) {
        (Cheap::Head, true) => format!("len({frame}.head(1)) == 0"),
        (Cheap::Head, false) => format!("len({frame}.head(1)) > 0"),
        (Cheap::IsEmpty, true) => format!("{frame}.isEmpty()"),
        (Cheap::IsEmpty, false) => format!("not {frame}.isEmpty()"),
    }
}

/// What the code's form costs against the cheap test, on Spark 4 (`counts`: `isEmpty()` counts
/// a `limit(1)` of every split) or before.
fn cost(form: EmptinessForm, cheap: Cheap, counts: bool) -> String {
    let what = match (form, cheap) {
        // After a shuffle, "every row of every split" is every stage in full.
        (EmptinessForm::Count, _) => "the count reads every row of the lineage",
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
            "`isEmpty()` counts a `limit(1)` of every input split on Spark 4: a task per split"
        }
    };
    let cheap = match cheap {
        Cheap::Head => "`head(1)` reads the first split and stops there when it has a row",
        Cheap::IsEmpty if !counts => {
            "`isEmpty()` selects no column and takes one row, partition by partition (Spark 3's \
             implementation)"
        }
        Cheap::IsEmpty => {
            "`isEmpty()` reads no column, so Spark drops what only computes columns (an \
             aggregation's functions, an aggregation nothing reads), and each task of the last \
             stage stops at its first row"
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
        let primary = cheap == Cheap::IsEmpty && emptiness.true_when_empty;
        let edit = if primary || emptiness.test.accepts_test_expression() {
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
            cost(emptiness.form, cheap, counts(ctx))
        );
        let lineage = match lineage_of(ctx, action) {
            Lineage::Shuffled => "a shuffle stands in the lineage",
            Lineage::MapOnly => "the lineage is map-only",
            Lineage::Unknown => "the code does not show the lineage",
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
        // A count also used as a number (a divisor, a metric) is needed: nothing to say.
        if !counted.other_uses.is_empty() && !counted.only_logged {
            return None;
        }
        let (message, evidence) = if counted.other_uses.is_empty() {
            let message = format!(
                "Test `{test}` where `{name}` is tested ({}): `{name}` counts `{frame}` only to \
                 ask whether it has rows, and {}",
                lines(&counted.tests),
                cost(EmptinessForm::Count, cheap, counts(ctx))
            );
            let why = format!("`{name}` is only compared with 0 or tested for truth");
            (message, self.evidence(ctx, action, why))
        } else {
            let message = format!(
                "`{name}` counts `{frame}` and is tested for rows ({}), but is also used at {}: \
                 if that use can go, test `{test}` instead: {}",
                lines(&counted.tests),
                lines(&counted.other_uses),
                cost(EmptinessForm::Count, cheap, counts(ctx))
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
