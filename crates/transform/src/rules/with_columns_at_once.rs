//! SPK010 `with-columns-at-once`: a loop that adds, replaces or renames one column per
//! iteration (`for c in cols: df = df.withColumn(c, ..)`) becomes one `withColumns({..})`
//! (Spark 3.3+) or `withColumnsRenamed({..})` (3.4+) call, when the code proves no iteration
//! reads a column an earlier one wrote.
//!
//! See `rules/with-columns-at-once.yaml` for what it does, why, and the fix.

use sparkfix_syntax::SyntaxNode;

use super::{Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Evidence};
use crate::edit::Edit;
use crate::model::{ColumnChain, ColumnLoop, ColumnStep};
use crate::settings::SparkVersion;

pub struct WithColumnsAtOnce;

impl Rule for WithColumnsAtOnce {
    fn code(&self) -> &'static str {
        "SPK010"
    }

    fn name(&self) -> &'static str {
        "with-columns-at-once"
    }

    fn check(&self, ctx: &RuleContext<'_, '_>, out: &mut Vec<Diagnostic>) {
        for found in &ctx.model.column_loops {
            if ctx.model.frame(found.frame).streaming {
                continue;
            }
            let (method, since) = match found.step {
                ColumnStep::WithColumn => ("withColumns", SparkVersion::new(3, 3)),
                ColumnStep::WithColumnRenamed => ("withColumnsRenamed", SparkVersion::new(3, 4)),
            };
            if ctx.settings.target_spark < since {
                continue;
            }
            out.extend(self.diagnostic(ctx, found, method));
        }
        if ctx.settings.target_spark < SparkVersion::new(3, 3) {
            return;
        }
        let min_chain = ctx
            .parameter(self, "min_chain")
            .as_integer()
            .unwrap_or(5)
            .max(2) as usize;
        for chain in &ctx.model.column_chains {
            if chain.columns.len() >= min_chain {
                out.extend(self.chain(ctx, chain));
            }
        }
    }
}

impl WithColumnsAtOnce {
    fn diagnostic(
        &self,
        ctx: &RuleContext<'_, '_>,
        found: &ColumnLoop<'_>,
        method: &str,
    ) -> Option<Diagnostic> {
        let frame = found.frame_name;
        let one = match found.step {
            ColumnStep::WithColumn => "withColumn",
            ColumnStep::WithColumnRenamed => "withColumnRenamed",
        };
        let call = format!("{frame} = {frame}.{method}({})", mapping(found));
        let message = format!(
            "Replace the loop with `{call}`: each `{one}` adds a projection to the plan, one per \
             column, which makes the plan slow to analyze and, for many columns, can overflow the \
             stack (PySpark's docs warn of it); `{method}` adds one"
        );
        let proof = match independent(found, case_sensitive(ctx)) {
            Independence::Proven(proof) => proof,
            // The loop is what the code needs: one call would compute something else.
            Independence::Dependent => return None,
            Independence::Unsure(unsure) => {
                let evidence = Evidence::Guessed {
                    what: format!("that no iteration reads what an earlier one wrote ({unsure})"),
                    confirm: "the names the loop runs over".to_string(),
                };
                let message =
                    format!("{message}, if no iteration reads a column an earlier one writes");
                let found = ctx.diagnostic(self, found.stmt.range(), message, evidence, Vec::new());
                return Some(found);
            }
        };
        let line = ctx.line(found.iterable.start());
        let evidence = Evidence::Proven(format!(
            "the loop runs over the literal names at line {line}; {proof}"
        ));
        let mut replacement = with_comments(found, &call);
        if found.target_read_after {
            // The loop left its target bound to the last names: so does the fix.
            match last_element(found) {
                Some(last) => replacement.push_str(&format!(
                    "\n{}{} = {last}",
                    indent_of(found.stmt),
                    found.target.text()
                )),
                None => {
                    let range = found.stmt.range();
                    return Some(ctx.diagnostic(self, range, message, evidence, Vec::new()));
                }
            }
        }
        let edits = vec![Edit::replace(found.stmt.range(), replacement)];
        Some(ctx.diagnostic(self, found.stmt.range(), message, evidence, edits))
    }
}

impl WithColumnsAtOnce {
    /// A chain of `min_chain` or more `withColumn` calls.
    fn chain(&self, ctx: &RuleContext<'_, '_>, chain: &ColumnChain<'_>) -> Option<Diagnostic> {
        let count = chain.columns.len();
        let range = chain.receiver.end()..chain.last.end();
        let message = format!(
            "Replace the {count} chained `withColumn` calls with one `withColumns({{..}})`: each \
             adds a projection to the plan, one per column, which makes the plan slow to analyze \
             (PySpark's docs warn of it); `withColumns` adds one"
        );
        if chain.generator {
            return None;
        }
        let sensitive = case_sensitive(ctx);
        let fold = |name: &str| {
            if sensitive {
                name.to_string()
            } else {
                name.to_lowercase()
            }
        };
        let keys: Option<Vec<String>> = chain
            .columns
            .iter()
            .map(|(name, _)| name.as_string_literal().map(fold))
            .collect();
        let unsure = match (&keys, chain.opaque_names.first()) {
            (_, Some(name)) => Some(format!("`{name}` may hold a column name")),
            (None, _) => Some("a column's name is not a literal".to_string()),
            (Some(_), None) => None,
        };
        if let Some(unsure) = unsure {
            let evidence = Evidence::Guessed {
                what: format!("that no call reads a column an earlier one writes ({unsure})"),
                confirm: "the columns' names".to_string(),
            };
            let message = format!("{message}, if no call reads a column an earlier one writes");
            return Some(ctx.diagnostic(self, range, message, evidence, Vec::new()));
        }
        let keys = keys?;
        for (index, (_, value)) in chain.columns.iter().enumerate() {
            let Some(reads) = reads(*value, &[]) else {
                let evidence = Evidence::Guessed {
                    what: "that no call reads a column an earlier one writes (a value builds a \
                           string the code does not compute)"
                        .to_string(),
                    confirm: "the columns' names".to_string(),
                };
                let message = format!("{message}, if no call reads a column an earlier one writes");
                return Some(ctx.diagnostic(self, range, message, evidence, Vec::new()));
            };
            let reads: Vec<String> = reads.iter().map(|read| fold(read)).collect();
            let earlier = &keys[..index];
            if earlier.contains(&keys[index])
                || earlier
                    .iter()
                    .any(|column| reads.iter().any(|read| mentions(read, column)))
            {
                return None;
            }
        }
        let evidence = Evidence::Proven(
            "the columns' names are literals and no value mentions a column an earlier call \
             writes"
                .to_string(),
        );
        let edits = vec![Edit::replace(range, chained_call(chain))];
        Some(ctx.diagnostic(
            self,
            chain.receiver.end()..chain.last.end(),
            message,
            evidence,
            edits,
        ))
    }
}

/// `.withColumns({name: value, ..})` for the chain: on one line when the chain was, else one
/// column per line (the chain's comments kept before the column they preceded).
fn chained_call(chain: &ColumnChain<'_>) -> String {
    let source = chain.receiver.source();
    let spanned = &source[chain.receiver.end()..chain.last.end()];
    if !spanned.contains('\n') {
        let pairs: Vec<String> = chain
            .columns
            .iter()
            .map(|(name, value)| format!("{}: {}", name.text(), value.text()))
            .collect();
        return format!(".withColumns({{{}}})", pairs.join(", "));
    }
    // The indentation of the line the chain's first call starts on.
    let first = chain.receiver.end();
    let line_start = source[..first].rfind('\n').map_or(0, |at| at + 1);
    let indent: String = source[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let comments: Vec<_> = chain
        .last
        .descendants()
        .filter(|node| node.is_comment() && node.start() > chain.receiver.end())
        .collect();
    let mut out = String::from(".withColumns(\n");
    out.push_str(&format!("{indent}    {{\n"));
    let mut previous_end = chain.receiver.end();
    for (name, value) in &chain.columns {
        for comment in comments
            .iter()
            .filter(|c| c.start() > previous_end && c.start() < name.start())
        {
            out.push_str(&format!("{indent}        {}\n", comment.text()));
        }
        out.push_str(&format!(
            "{indent}        {}: {},\n",
            name.text(),
            value.text()
        ));
        previous_end = value.end();
    }
    out.push_str(&format!("{indent}    }}\n{indent})"));
    out
}

/// Whether column names are compared as written: `spark.sql.caseSensitive` set to true in the
/// code (Spark resolves names case-insensitively by default).
fn case_sensitive(ctx: &RuleContext<'_, '_>) -> bool {
    ctx.model
        .setting("spark.sql.caseSensitive")
        .is_some_and(|setting| setting.value.eq_ignore_ascii_case("true"))
}

/// The text of the last element of the list or tuple the loop runs over.
fn last_element(found: &ColumnLoop<'_>) -> Option<String> {
    let elements = found.iterable.unparenthesized().as_sequence_literal()?;
    Some(elements.last()?.text().to_string())
}

/// The indentation of the line `node` starts on.
fn indent_of(node: SyntaxNode<'_>) -> &str {
    let source = node.source();
    let line_start = source[..node.start()].rfind('\n').map_or(0, |at| at + 1);
    &source[line_start..node.start()]
}

/// `call`, after the loop's comments (each on its own line, at the loop's indentation), so that
/// none is lost.
fn with_comments(found: &ColumnLoop<'_>, call: &str) -> String {
    let indent = indent_of(found.stmt);
    let mut out = String::new();
    for comment in found.stmt.descendants().filter(|node| node.is_comment()) {
        out.push_str(comment.text());
        out.push('\n');
        out.push_str(indent);
    }
    out.push_str(call);
    out
}

/// Whether the one call does what the loop does.
enum Independence {
    /// Proven, with why.
    Proven(String),
    /// An iteration reads what an earlier one wrote: the loop must stay.
    Dependent,
    /// Not proven either way: why.
    Unsure(String),
}

/// The argument of the one call: the literal dictionary a `.items()` loop runs over, else a
/// dictionary comprehension of the loop.
fn mapping(found: &ColumnLoop<'_>) -> String {
    let names = found.target.target_names();
    if let [key, value] = names[..]
        && found.name.as_name() == Some(key)
        && found.value.as_name() == Some(value)
        && let Some(dictionary) = items_of_literal(found.iterable)
    {
        return dictionary.text().to_string();
    }
    format!(
        "{{{}: {} for {} in {}}}",
        found.name.text(),
        found.value.text(),
        found.target.text(),
        found.iterable.text()
    )
}

/// `D` when `iterable` is `D.items()` on a dictionary display.
fn items_of_literal<'t>(iterable: SyntaxNode<'t>) -> Option<SyntaxNode<'t>> {
    let call = iterable.unparenthesized().as_call()?;
    let (object, method) = call.method()?;
    (method == "items" && call.arguments().is_empty() && !object.dictionary_pairs().is_empty())
        .then_some(object)
}

/// What each iteration binds its target names to, when the loop runs over literals: a list or
/// tuple of strings (one target), of pairs of strings, or a dictionary display's `.items()`.
fn iterations<'t>(found: &ColumnLoop<'t>) -> Option<Vec<Vec<(&'t str, String)>>> {
    let names = found.target.target_names();
    let rows: Vec<Vec<String>> = if let Some(dictionary) = items_of_literal(found.iterable) {
        dictionary
            .dictionary_pairs()
            .iter()
            .map(|(k, v)| {
                Some(vec![
                    k.as_string_literal()?.to_string(),
                    v.as_string_literal()?.to_string(),
                ])
            })
            .collect::<Option<_>>()?
    } else {
        found
            .iterable
            .unparenthesized()
            .as_sequence_literal()?
            .iter()
            .map(|element| match element.as_sequence_literal() {
                Some(parts) => parts
                    .iter()
                    .map(|p| p.as_string_literal().map(str::to_string))
                    .collect(),
                None => element.as_string_literal().map(|s| vec![s.to_string()]),
            })
            .collect::<Option<_>>()?
    };
    rows.into_iter()
        .map(|row| (row.len() == names.len()).then(|| names.iter().copied().zip(row).collect()))
        .collect()
}

/// The string `expression` evaluates to in an iteration binding `bound`: a string literal, a
/// target name, an f-string of target names, `name.lower()`/`.upper()`, or `+` of those.
fn evaluate(expression: SyntaxNode<'_>, bound: &[(&str, String)]) -> Option<String> {
    let expression = expression.unparenthesized();
    if let Some(name) = expression.as_name() {
        return bound
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone());
    }
    if let Some(text) = expression.as_string_literal() {
        return Some(text.to_string());
    }
    if let Some(template) = expression.string_template() {
        // An f-string whose every field is a bare target name (`{c}`, not `{c[0]}` or
        // `{c:>8}`), in order.
        let fields: Vec<&str> = expression
            .descendants()
            .filter_map(|node| node.as_name())
            .collect();
        let text = expression.text();
        if template.contains("{{")
            || template.matches("{}").count() != fields.len()
            || fields
                .iter()
                .any(|field| !text.contains(&format!("{{{field}}}")))
        {
            return None;
        }
        let mut out = template;
        for field in fields {
            let value = &bound.iter().find(|(n, _)| *n == field)?.1;
            out = out.replacen("{}", value, 1);
        }
        return Some(out);
    }
    if let Some(call) = expression.as_call()
        && let Some((object, method)) = call.method()
        && call.arguments().is_empty()
    {
        let value = evaluate(object, bound)?;
        return match method {
            "lower" => Some(value.to_lowercase()),
            "upper" => Some(value.to_uppercase()),
            "strip" => Some(value.trim().to_string()),
            _ => None,
        };
    }
    if let Some((left, operator, right)) = expression.binary_parts()
        && operator == "+"
    {
        return Some(evaluate(left, bound)? + &evaluate(right, bound)?);
    }
    None
}

/// Whether the one call does what the loop does, and why.
fn independent(found: &ColumnLoop<'_>, case_sensitive: bool) -> Independence {
    use Independence::{Dependent, Proven, Unsure};
    let fold = |name: String| {
        if case_sensitive {
            name
        } else {
            name.to_lowercase()
        }
    };
    if found.generator {
        return Dependent;
    }
    if let Some(name) = found.opaque_names.first() {
        return Unsure(format!("`{name}` may hold a column name"));
    }
    let Some(iterations) = iterations(found) else {
        return Unsure("the names are not literals".to_string());
    };
    match found.step {
        ColumnStep::WithColumn => {
            let Some(written) = iterations
                .iter()
                .map(|bound| evaluate(found.name, bound).map(fold))
                .collect::<Option<Vec<String>>>()
            else {
                return Unsure("the written names do not follow from the literals".to_string());
            };
            for (index, bound) in iterations.iter().enumerate() {
                let Some(reads) = reads(found.value, bound) else {
                    return Unsure(
                        "an expression builds a string the literals do not give".to_string(),
                    );
                };
                let reads: Vec<String> = reads.into_iter().map(fold).collect();
                if written[..index]
                    .iter()
                    .any(|column| reads.iter().any(|read| mentions(read, column)))
                {
                    return Dependent;
                }
            }
            Proven("no iteration's expression mentions a column an earlier one writes".to_string())
        }
        ColumnStep::WithColumnRenamed => {
            let Some(pairs) = iterations
                .iter()
                .map(|bound| {
                    Some((
                        fold(evaluate(found.name, bound)?),
                        fold(evaluate(found.value, bound)?),
                    ))
                })
                .collect::<Option<Vec<(String, String)>>>()
            else {
                return Unsure("the names do not follow from the literals".to_string());
            };
            for (index, (old, new)) in pairs.iter().enumerate() {
                let earlier = &pairs[..index];
                if earlier
                    .iter()
                    .any(|(before, made)| made == old || before == old || made == new)
                {
                    return Dependent;
                }
            }
            Proven("no rename's source is an earlier rename's result".to_string())
        }
    }
}

/// What an iteration's expression may read a column by: the strings it spells (f-strings with
/// the iteration's values), and each target name's value. `None` when it builds a string whose
/// value does not follow from them (`f"{c[0]}"`): it may name any column.
fn reads(expression: SyntaxNode<'_>, bound: &[(&str, String)]) -> Option<Vec<String>> {
    let mut reads: Vec<String> = bound.iter().map(|(_, value)| value.clone()).collect();
    for node in expression.descendants() {
        let Some(template) = node.string_template() else {
            continue;
        };
        match evaluate(node, bound) {
            Some(text) => reads.push(text),
            None if template.contains("{}") => return None,
            None => reads.push(template),
        }
    }
    Some(reads)
}

/// Whether `text` (a string the expression spells) may name `column`: equal to it, or holding
/// it as a word (`F.expr("total * 2")` reads `total`).
fn mentions(text: &str, column: &str) -> bool {
    if text == column {
        return true;
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(column).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + column.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}
