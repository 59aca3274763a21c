//! The later reads of a name an assignment binds ([`SyntaxNode::reads_after`]), found once per
//! assignment and name however many actions flow into it: `total = a.count() + b.count() + ...`
//! walks its scope once, not once per count.

use std::collections::HashMap;

use sparkfix_syntax::SyntaxNode;

/// A memo of [`SyntaxNode::reads_after`], kept by the model builder for one file.
#[derive(Default)]
pub struct NameReads<'t> {
    found: HashMap<(usize, usize, &'t str), Option<Vec<SyntaxNode<'t>>>>,
}

impl<'t> NameReads<'t> {
    /// [`SyntaxNode::reads_after`] of `name` bound by `statement`, computed on the first call.
    pub fn after(
        &mut self,
        statement: SyntaxNode<'t>,
        name: &'t str,
    ) -> Option<Vec<SyntaxNode<'t>>> {
        let range = statement.range();
        self.found
            .entry((range.start, range.end, name))
            .or_insert_with(|| statement.reads_after(name))
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use sparkfix_syntax::SourceFile;

    use super::NameReads;

    #[test]
    fn remembers_the_reads_of_each_binding() {
        let file = SourceFile::parse("n = 1\nprint(n)\nm = n\nprint(m, m)\n");
        let statements: Vec<_> = file.root().children().collect();
        let mut reads = NameReads::default();
        let lines = |found: Option<Vec<sparkfix_syntax::SyntaxNode<'_>>>| {
            found.map(|nodes| {
                nodes
                    .iter()
                    .map(|node| file.line_column(node.start()).line)
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(lines(reads.after(statements[0], "n")), Some(vec![2, 3]));
        assert_eq!(lines(reads.after(statements[2], "m")), Some(vec![4, 4]));
        // The second question is answered from the memo, with the same answer.
        assert_eq!(lines(reads.after(statements[0], "n")), Some(vec![2, 3]));
        assert_eq!(reads.found.len(), 2);
    }
}
