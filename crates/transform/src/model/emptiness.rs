//! Actions whose result only says whether a DataFrame has rows: a `count()` compared with 0
//! or tested for truth, `len(df.collect())` or `len(df.take(1))` compared with 0, `not
//! df.head(1)`, `df.limit(1).count() == 0`, `df.rdd.isEmpty()`, `df.isEmpty()`; and a count
//! bound to a name that such tests read. Which of them is cheap depends on the lineage (see
//! `rules/cheap-emptiness-test.yaml`).

use sparkfix_syntax::SyntaxNode;
use sparkfix_syntax::views::{EmptinessTest, ValueSink};

use super::name_reads::NameReads;

/// What the code spells to test for rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmptinessForm {
    /// `df.count()` (or `df.rdd.count()`).
    Count,
    /// `df.limit(1).count()`.
    LimitOneCount,
    /// `df.collect()`: every row to the driver.
    Collect,
    /// `df.take(n)` or `df.head(n)`: a few rows to Python.
    Take,
    /// `df.rdd.isEmpty()`.
    RddIsEmpty,
    /// `df.isEmpty()`: a `limit(1)` counted on every split.
    IsEmpty,
}

/// An action whose value is only tested for emptiness, where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Emptiness<'t> {
    pub form: EmptinessForm,
    /// The expression that asks whether there are rows (a comparison, `not ..`, the action
    /// itself in an `if`): what a fix replaces.
    pub test: SyntaxNode<'t>,
    /// Whether `test` is true when the frame has no rows.
    pub true_when_empty: bool,
    /// The DataFrame expression asked about (`df.filter(..)` in `df.filter(..).count()`).
    pub frame: SyntaxNode<'t>,
}

/// A `count()` bound to a name (`n = df.count()`) whose later reads include emptiness tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedName<'t> {
    pub name: &'t str,
    /// The reads of the name that test it for zero.
    pub tests: Vec<SyntaxNode<'t>>,
    /// Its other reads (a log line, arithmetic...).
    pub other_uses: Vec<SyntaxNode<'t>>,
    /// Every other read is an argument of a log line (`print(n)`, `log.info("%d", n)`).
    pub only_logged: bool,
}

/// Whether the action `method` at `call` (on an RDD when `on_rdd`) only tests for rows.
pub fn emptiness_of<'t>(method: &str, call: SyntaxNode<'t>, on_rdd: bool) -> Option<Emptiness<'t>> {
    let receiver = call.as_call()?.method()?.0;
    let (form, frame, test) = match (method, on_rdd) {
        ("count", false) => match limit_one_receiver(receiver) {
            Some(limited) => (EmptinessForm::LimitOneCount, limited, call.zero_test()?),
            None => (EmptinessForm::Count, receiver, call.zero_test()?),
        },
        ("count", true) => (EmptinessForm::Count, rdd_of(receiver)?, call.zero_test()?),
        ("isEmpty", true) => (
            EmptinessForm::RddIsEmpty,
            rdd_of(receiver)?,
            is_empty_test(call),
        ),
        ("isEmpty", false) => (EmptinessForm::IsEmpty, receiver, is_empty_test(call)),
        ("collect", false) => (EmptinessForm::Collect, receiver, rows_test(call)?),
        ("take" | "head", false) => {
            let rows = call.as_call()?.arguments().positional(0)?.as_integer()?;
            if rows == 0 || call.as_call()?.arguments().all().len() != 1 {
                return None;
            }
            (EmptinessForm::Take, receiver, rows_test(call)?)
        }
        _ => return None,
    };
    let test = through_negations(test);
    Some(Emptiness {
        form,
        test: test.test,
        true_when_empty: test.true_when_empty,
        frame,
    })
}

/// `test` with the `not`s around it (`not df.count() > 0`): the fix replaces them too.
fn through_negations(mut test: EmptinessTest<'_>) -> EmptinessTest<'_> {
    while let Some(negated) = test.test.truth_test()
        && negated.true_when_empty
        && negated.test != test.test
    {
        test = EmptinessTest {
            test: negated.test,
            true_when_empty: !test.true_when_empty,
        };
    }
    test
}

/// An `isEmpty()` call as a test: with the `not` before it, when there is one.
fn is_empty_test(call: SyntaxNode<'_>) -> EmptinessTest<'_> {
    match call.truth_test() {
        // `not x.isEmpty()`: true when there are rows.
        Some(negated) if negated.true_when_empty => EmptinessTest {
            test: negated.test,
            true_when_empty: false,
        },
        _ => EmptinessTest {
            test: call,
            true_when_empty: true,
        },
    }
}

/// A list of rows tested for emptiness: `len(rows) == 0`, `not rows`, `if rows:`.
fn rows_test<'t>(rows: SyntaxNode<'t>) -> Option<EmptinessTest<'t>> {
    match rows.len_of() {
        Some(len) => len.zero_test(),
        None => rows.truth_test(),
    }
}

/// `X` when `receiver` is `X.limit(1)`.
fn limit_one_receiver(receiver: SyntaxNode<'_>) -> Option<SyntaxNode<'_>> {
    let call = receiver.unparenthesized().as_call()?;
    let (object, name) = call.method()?;
    let args = call.arguments();
    (name == "limit" && args.all().len() == 1 && args.positional(0)?.as_integer() == Some(1))
        .then_some(object)
}

/// `X` when `receiver` is `X.rdd`.
fn rdd_of(receiver: SyntaxNode<'_>) -> Option<SyntaxNode<'_>> {
    let attribute = receiver.unparenthesized().as_attribute()?;
    (attribute.name() == "rdd").then(|| attribute.object())
}

/// The emptiness tests among the reads of the name a `count()` at `call` is bound to.
pub fn counted_name<'t>(
    call: SyntaxNode<'t>,
    name_reads: &mut NameReads<'t>,
) -> Option<CountedName<'t>> {
    let (statement, name) = call.bound_directly()?;
    let reads = name_reads.after(statement, name)?;
    let mut tests = Vec::new();
    let mut other_uses = Vec::new();
    for read in reads {
        match read.zero_test() {
            Some(test) => tests.push(test.test),
            None => other_uses.push(read),
        }
    }
    let only_logged = other_uses
        .iter()
        .all(|read| matches!(read.value_sink(), ValueSink::Logging { .. }));
    (!tests.is_empty()).then_some(CountedName {
        name,
        tests,
        other_uses,
        only_logged,
    })
}
