//! Reading container literals and subscripts (dictionary pairs, a subscript's key), and whether
//! a node sits inside brackets.

use super::SyntaxNode;
use crate::kinds;

impl<'t> SyntaxNode<'t> {
    /// The operands and the operator of a binary operation (`a + b`: `a`, `+`, `b`).
    pub fn binary_parts(&self) -> Option<(SyntaxNode<'t>, &'t str, SyntaxNode<'t>)> {
        if !self.is(kinds::BINARY_OPERATOR) {
            return None;
        }
        Some((
            self.field("left")?,
            self.field("operator")?.text(),
            self.field("right")?,
        ))
    }

    /// The `key: value` pairs of a dictionary display (`{"a": 1}`); empty for anything else.
    pub fn dictionary_pairs(&self) -> Vec<(SyntaxNode<'t>, SyntaxNode<'t>)> {
        if !self.is(kinds::DICTIONARY) {
            return Vec::new();
        }
        self.children()
            .filter(|child| child.is(kinds::PAIR))
            .filter_map(|pair| Some((pair.field("key")?, pair.field("value")?)))
            .collect()
    }

    /// Whether some enclosing node of this one (within its statement) is a bracket pair, so that
    /// a line break there needs no backslash.
    pub fn is_inside_brackets(&self) -> bool {
        let mut node = self.parent();
        while let Some(current) = node {
            if kinds::BRACKETED.contains(&current.kind()) {
                return true;
            }
            if current.is(kinds::BLOCK) || current.is(kinds::MODULE) {
                return false;
            }
            node = current.parent();
        }
        false
    }

    /// The key of a subscript with a single key: `"x"` in `df["x"]`.
    pub fn subscript_key(&self) -> Option<SyntaxNode<'t>> {
        if !self.is(kinds::SUBSCRIPT) {
            return None;
        }
        match self.fields("subscript").as_slice() {
            [only] => Some(*only),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::SourceFile;

    #[test]
    fn reads_pairs_and_subscript_keys() {
        let file =
            SourceFile::parse("x = {'a': 1, **rest, 'b': f(2)}\ny = df['col']\nz = m[1, 2]\n");
        let values: Vec<_> = file
            .root()
            .descendants()
            .filter(|n| n.kind() == "assignment")
            .map(|a| a.children().last().unwrap())
            .collect();
        let pairs = values[0].dictionary_pairs();
        let keys: Vec<_> = pairs.iter().map(|(k, _)| k.text()).collect();
        assert_eq!(keys, ["'a'", "'b'"]);
        assert_eq!(values[1].subscript_key().unwrap().text(), "'col'");
        assert!(values[2].subscript_key().is_none());
        assert!(values[1].dictionary_pairs().is_empty());
    }

    #[test]
    fn knows_when_a_node_is_inside_brackets() {
        let file = SourceFile::parse("x = (a.b\n  .c)\ny = a.b \\\n  .c\n");
        let chains: Vec<_> = file
            .root()
            .descendants()
            .filter(|n| n.kind() == "attribute" && n.text().ends_with(".b"))
            .collect();
        assert!(chains[0].is_inside_brackets());
        assert!(!chains[1].is_inside_brackets());
    }
}
