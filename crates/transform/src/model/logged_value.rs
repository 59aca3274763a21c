//! Whether an action's value (a `count()`) only ever reaches log lines: printed, logged,
//! formatted or combined with other such numbers, directly or through names bound to it.
//! Such an action scans the data for a log line alone: the job could count in passing.

use sparkfix_syntax::SyntaxNode;
use sparkfix_syntax::views::ValueSink;

use super::name_reads::NameReads;

/// How many names a value may pass through (`total = df.count()`, `dropped = total - kept`...)
/// before the model stops following it.
const MAX_NAMES: usize = 4;

/// Where a value that only reaches log lines goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedValue<'t> {
    /// The logging calls (`print(..)`, `logger.info(..)`), in source order.
    pub calls: Vec<SyntaxNode<'t>>,
    /// The statements that carry it there, in source order: the assignments that bind it (or
    /// values computed from it) and the logging statements.
    pub statements: Vec<SyntaxNode<'t>>,
}

/// Where the value of `expression` goes, when it reaches log statements and nothing else.
/// `None` when any of its uses is not a log line, when a name it is bound to cannot be followed
/// (see [`SyntaxNode::reads_after`]), or when it is bound and never read.
pub fn log_lines<'t>(
    expression: SyntaxNode<'t>,
    name_reads: &mut NameReads<'t>,
) -> Option<LoggedValue<'t>> {
    let mut logged = LoggedValue {
        calls: Vec::new(),
        statements: Vec::new(),
    };
    follow(expression, 0, &mut logged, name_reads)?;
    for list in [&mut logged.calls, &mut logged.statements] {
        list.sort_by_key(|node| node.start());
        list.dedup();
    }
    Some(logged)
}

fn follow<'t>(
    expression: SyntaxNode<'t>,
    names: usize,
    logged: &mut LoggedValue<'t>,
    name_reads: &mut NameReads<'t>,
) -> Option<()> {
    match expression.value_sink() {
        ValueSink::Logging { call } => {
            logged.calls.push(call);
            logged.statements.push(call.parent()?);
            Some(())
        }
        ValueSink::Assigned { statement, name } if names < MAX_NAMES => {
            let reads = name_reads.after(statement, name)?;
            if reads.is_empty() {
                return None;
            }
            logged.statements.push(statement);
            for read in reads {
                follow(read, names + 1, logged, name_reads)?;
            }
            Some(())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use sparkfix_syntax::SourceFile;

    use super::log_lines;

    /// The lines of the log statements the first `count()` reaches.
    fn lines(source: &str) -> Option<Vec<usize>> {
        let file = SourceFile::parse(source);
        let call = file
            .root()
            .descendants()
            .find(|node| {
                node.as_call()
                    .is_some_and(|call| call.callee_name() == Some("count"))
            })
            .expect("a count() call");
        log_lines(call, &mut super::NameReads::default()).map(|logged| {
            logged
                .calls
                .iter()
                .map(|line| file.line_column(line.start()).line)
                .collect()
        })
    }

    #[test]
    fn follows_names_into_log_lines() {
        let job = "\
total = df.count()
print(f'Processing {total} rows')
valid = 10
dropped = total - valid
logger.info('dropped %d of %d', dropped, total)
";
        assert_eq!(lines(job), Some(vec![2, 5]));
        assert_eq!(
            lines("print(f'After joins: {df.count()} records')\n"),
            Some(vec![1])
        );
    }

    /// The example job's four counts only feed its log lines; the model knows it of each.
    #[test]
    fn the_example_jobs_counts_are_logged_only() {
        let source = include_str!("../../../../examples/customer_purchase_analytics.py");
        let file = SourceFile::parse(source);
        let model = crate::model::SparkModel::build(&file);
        let line = |node: sparkfix_syntax::SyntaxNode<'_>| file.line_column(node.start()).line;
        let counts: Vec<(usize, Vec<usize>)> = model
            .actions
            .iter()
            .filter(|action| action.method == "count")
            .map(|action| {
                let logged = action.logged_in.as_ref().expect("logged only");
                (
                    line(action.node),
                    logged.calls.iter().map(|call| line(*call)).collect(),
                )
            })
            .collect();
        assert_eq!(
            counts,
            [
                (28, vec![29, 37]),
                (36, vec![37]),
                (45, vec![45]),
                (57, vec![57])
            ]
        );
    }

    #[test]
    fn any_other_use_is_not_logging() {
        for source in [
            "total = df.count()\n",
            "total = df.count()\nprint(total)\nif total == 0:\n    raise SystemExit(1)\n",
            "total = df.count()\nreturn_code = total\nsys.exit(return_code)\n",
            "def rows(df):\n    n = df.count()\n    print(n)\n    return n\n",
            "assert df.count() > 0\n",
            "metrics = {'rows': df.count()}\n",
        ] {
            assert_eq!(lines(source), None, "{source}");
        }
    }
}
