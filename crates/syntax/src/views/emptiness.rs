//! Whether an expression's value is only asked "is there anything?": a number compared with 0
//! or 1 (`n == 0`, `n > 0`, `n >= 1`, `0 < n`...) or tested for truth (`if n:`, `not n`,
//! `bool(n)`, `assert n`, an operand of `and`/`or` that is itself tested), a collection tested
//! for truth, or its `len(..)` compared with 0 or 1.
//!
//! The question behind it: is a `count()` or a `collect()` used only to test whether a
//! DataFrame has rows? Then `isEmpty()`, which stops at the first row, answers it.

use super::SyntaxNode;
use crate::kinds;

/// Where an expression is tested for emptiness.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmptinessTest<'t> {
    /// The expression that asks the question: the comparison, `not x`, `bool(x)`, or the
    /// expression itself where it is tested for truth. A fix replaces it.
    pub test: SyntaxNode<'t>,
    /// Whether `test` is true when there is nothing (a count of 0, an empty list).
    pub true_when_empty: bool,
}

impl<'t> SyntaxNode<'t> {
    /// For an expression whose value is a count: where it is compared with zero (`== 0`,
    /// `!= 0`, `> 0`, `>= 1`, `< 1`, `<= 0`, either side) or tested for truth.
    pub fn zero_test(&self) -> Option<EmptinessTest<'t>> {
        let outer = self.outermost_parentheses();
        if let Some(parent) = outer.parent()
            && parent.is(kinds::COMPARISON_OPERATOR)
        {
            return compared_with_zero(parent, outer);
        }
        self.truth_test()
    }

    /// For an expression whose value is a collection or a count: where it is tested for truth
    /// (`if x:`, `while x:`, `a if x else b`, `not x`, `bool(x)`, `assert x`, or an operand of
    /// `and`/`or` whose value is itself tested for truth).
    pub fn truth_test(&self) -> Option<EmptinessTest<'t>> {
        let outer = self.outermost_parentheses();
        let parent = outer.parent()?;
        let tested = EmptinessTest {
            test: *self,
            true_when_empty: false,
        };
        match parent.kind() {
            k if k == kinds::NOT_OPERATOR => Some(EmptinessTest {
                test: parent,
                true_when_empty: true,
            }),
            k if k == kinds::IF_STATEMENT
                || k == kinds::ELIF_CLAUSE
                || k == kinds::WHILE_STATEMENT =>
            {
                (parent.field("condition") == Some(outer)).then_some(tested)
            }
            // `a if x else b`: the condition is the child after `if`.
            k if k == kinds::CONDITIONAL_EXPRESSION => {
                let condition = parent.children().nth(1);
                (condition == Some(outer)).then_some(tested)
            }
            k if k == kinds::ASSERT_STATEMENT => {
                let first = parent.children().next();
                (first == Some(outer)).then_some(tested)
            }
            k if k == kinds::BOOLEAN_OPERATOR => parent.truth_test().map(|_| tested),
            k if k == kinds::ARGUMENT_LIST => {
                let call = parent.parent()?.as_call()?;
                let only = call.arguments().all().len() == 1;
                (only && call.function_name() == Some("bool")).then_some(EmptinessTest {
                    test: call.syntax(),
                    true_when_empty: false,
                })
            }
            _ => None,
        }
    }

    /// Whether a comparison or a `not` expression may stand where this expression stands without
    /// parentheses: a condition, a statement, an assigned or returned value, an argument, an
    /// element, an operand of `not`, `and`, `or` or of a conditional expression. Not an operand
    /// of a comparison (`x is False` would chain), of arithmetic, or an attribute's object.
    pub fn accepts_test_expression(&self) -> bool {
        let Some(parent) = self.parent() else {
            return true;
        };
        let kind = parent.kind();
        kind == kinds::IF_STATEMENT
            || kind == kinds::ELIF_CLAUSE
            || kind == kinds::WHILE_STATEMENT
            || kind == kinds::EXPRESSION_STATEMENT
            || kind == kinds::ASSIGNMENT && parent.field("right") == Some(*self)
            || kind == kinds::RETURN_STATEMENT
            || kind == kinds::ASSERT_STATEMENT
            || kind == kinds::ARGUMENT_LIST
            || kind == kinds::KEYWORD_ARGUMENT && parent.field("value") == Some(*self)
            || kind == kinds::PARENTHESIZED_EXPRESSION
            || kind == kinds::NOT_OPERATOR
            || kind == kinds::BOOLEAN_OPERATOR
            || kind == kinds::CONDITIONAL_EXPRESSION
            || kinds::CONTAINERS.contains(&kind)
    }

    /// The `len(..)` call this expression is the only argument of.
    pub fn len_of(&self) -> Option<SyntaxNode<'t>> {
        let call = self.sole_argument_of()?;
        (call.function_name() == Some("len")).then(|| call.syntax())
    }

    /// The call this expression is the only argument of (`f(x)`, `m.f((x))`).
    pub fn sole_argument_of(&self) -> Option<super::Call<'t>> {
        let outer = self.outermost_parentheses();
        let list = outer.parent().filter(|p| p.is(kinds::ARGUMENT_LIST))?;
        let call = list.parent()?.as_call()?;
        (call.arguments().all().len() == 1).then_some(call)
    }

    /// The statement and the name when this expression is the whole value of a plain
    /// `name = <expression>` (parentheses allowed).
    pub fn bound_directly(&self) -> Option<(SyntaxNode<'t>, &'t str)> {
        let outer = self.outermost_parentheses();
        let assignment = outer.parent().filter(|p| p.is(kinds::ASSIGNMENT))?;
        if assignment.field("right") != Some(outer) || assignment.field("type").is_some() {
            return None;
        }
        let name = assignment.field("left")?.as_name()?;
        let statement = assignment
            .parent()
            .filter(|s| s.is(kinds::EXPRESSION_STATEMENT))?;
        Some((statement, name))
    }

    /// This expression, or the parentheses around it (all of them).
    fn outermost_parentheses(&self) -> SyntaxNode<'t> {
        let mut outer = *self;
        while let Some(parent) = outer
            .parent()
            .filter(|p| p.is(kinds::PARENTHESIZED_EXPRESSION))
        {
            outer = parent;
        }
        outer
    }
}

/// `comparison` (holding `operand`) read as a test of zero, when it compares exactly two
/// operands with one operator and the other operand is the literal 0 or 1.
fn compared_with_zero<'t>(
    comparison: SyntaxNode<'t>,
    operand: SyntaxNode<'t>,
) -> Option<EmptinessTest<'t>> {
    let operands: Vec<SyntaxNode<'t>> = comparison.children().collect();
    let operators = comparison.fields("operators");
    let ([left, right], [operator]) = (operands.as_slice(), operators.as_slice()) else {
        return None;
    };
    let (other, mirrored) = if *left == operand {
        (*right, false)
    } else if *right == operand {
        (*left, true)
    } else {
        return None;
    };
    let literal = other.unparenthesized().as_integer()?;
    // Written with the count on the left: `count <op> literal`.
    let operator = match (operator.text(), mirrored) {
        (op, false) => op,
        ("<", true) => ">",
        (">", true) => "<",
        ("<=", true) => ">=",
        (">=", true) => "<=",
        (op, true) => op,
    };
    let true_when_empty = match (operator, literal) {
        ("==", 0) | ("<", 1) | ("<=", 0) => true,
        ("!=", 0) | (">", 0) | (">=", 1) => false,
        _ => return None,
    };
    Some(EmptinessTest {
        test: comparison,
        true_when_empty,
    })
}

#[cfg(test)]
mod tests {
    use crate::SourceFile;

    /// The test of the first `x` of `source`: its text and whether it is true when empty.
    fn test_of(source: &str, truth: bool) -> Option<(String, bool)> {
        let file = SourceFile::parse(source);
        let root = file.root();
        let x = root.descendants().find(|n| n.as_name() == Some("x"))?;
        let test = if truth { x.truth_test() } else { x.zero_test() }?;
        Some((test.test.text().to_string(), test.true_when_empty))
    }

    #[test]
    fn comparisons_with_zero_and_one() {
        for (source, empty) in [
            ("x == 0", true),
            ("0 == x", true),
            ("(x) < 1", true),
            ("x <= 0", true),
            ("1 > x", true),
            ("x != 0", false),
            ("x > 0", false),
            ("x >= 1", false),
            ("0 < x", false),
            ("1 <= x", false),
        ] {
            assert_eq!(
                test_of(source, false),
                Some((source.to_string(), empty)),
                "{source}"
            );
        }
        for source in [
            "x == 1",
            "x > 1",
            "x < 0",
            "x == 0 == y",
            "x + 1 == 0",
            "x is 0",
            "f(x) == 0",
        ] {
            assert_eq!(test_of(source, false), None, "{source}");
        }
    }

    #[test]
    fn truth_tests() {
        assert_eq!(
            test_of("if x:\n    pass\n", false),
            Some(("x".into(), false))
        );
        assert_eq!(
            test_of("while (x):\n    pass\n", true),
            Some(("x".into(), false))
        );
        assert_eq!(test_of("y = not x\n", true), Some(("not x".into(), true)));
        assert_eq!(
            test_of("y = bool(x)\n", true),
            Some(("bool(x)".into(), false))
        );
        assert_eq!(
            test_of("assert x, 'rows'\n", true),
            Some(("x".into(), false))
        );
        assert_eq!(
            test_of("a = 1 if x else 2\n", true),
            Some(("x".into(), false))
        );
        assert_eq!(
            test_of("if x and y:\n    pass\n", true),
            Some(("x".into(), false))
        );
        for source in [
            "y = x\n",
            "y = x or 5\n",
            "print(x)\n",
            "a = x if c else 2\n",
            "if f(x):\n    pass\n",
        ] {
            assert_eq!(test_of(source, true), None, "{source}");
        }
    }

    #[test]
    fn len_of_a_value() {
        let file = SourceFile::parse("n = len(x)\nm = len(x, y)\nk = size(x)\n");
        let xs: Vec<_> = file
            .root()
            .descendants()
            .filter(|n| n.as_name() == Some("x"))
            .map(|x| x.len_of().map(|len| len.text().to_string()))
            .collect();
        assert_eq!(xs, [Some("len(x)".to_string()), None, None]);
    }

    #[test]
    fn where_a_test_expression_may_stand() {
        let accepts = |source: &str| {
            let file = SourceFile::parse(source);
            let x = file
                .root()
                .descendants()
                .find(|n| n.as_name() == Some("x"))
                .unwrap();
            x.accepts_test_expression()
        };
        for source in [
            "if x:\n    pass\n",
            "y = x\n",
            "f(x)\n",
            "y = not x\n",
            "y = x and z\n",
            "[x]\n",
        ] {
            assert!(accepts(source), "{source}");
        }
        for source in ["y = x is False\n", "y = x + 1\n", "y = x.a\n", "y = -x\n"] {
            assert!(!accepts(source), "{source}");
        }
    }

    #[test]
    fn bound_directly() {
        let file = SourceFile::parse(
            "n = (x)
m = x + 1
k: int = x
a = b = x
",
        );
        let bound: Vec<_> = file
            .root()
            .descendants()
            .filter(|n| n.as_name() == Some("x"))
            .map(|x| x.bound_directly().map(|(_, name)| name))
            .collect();
        assert_eq!(bound, [Some("n"), None, None, None]);
    }
}
