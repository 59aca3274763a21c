//! String literals read as templates: their text with each f-string interpolation shown as `{}`.

use super::SyntaxNode;
use crate::kinds;

impl SyntaxNode<'_> {
    /// The text of a string literal, an f-string or an implicit concatenation of them, with every
    /// interpolation replaced by `{}`: `f"s3://{bucket}/dim/"` gives `s3://{}/dim/`. `None` for
    /// any other expression.
    pub fn string_template(&self) -> Option<String> {
        let mut out = String::new();
        if self.is(kinds::CONCATENATED_STRING) {
            for part in self.children() {
                if !part.is(kinds::STRING) {
                    return None;
                }
                part.push_template(&mut out);
            }
            return Some(out);
        }
        if !self.is(kinds::STRING) {
            return None;
        }
        self.push_template(&mut out);
        Some(out)
    }

    fn push_template(&self, out: &mut String) {
        for child in self.children() {
            if child.is(kinds::STRING_CONTENT) {
                out.push_str(child.text());
            } else if child.is(kinds::INTERPOLATION) {
                out.push_str("{}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::SourceFile;

    fn template(expr: &str) -> Option<String> {
        let file = SourceFile::parse(format!("x = {expr}\n"));
        let value = file
            .root()
            .descendants()
            .find(|n| n.kind() == "assignment")
            .and_then(|a| a.children().last())
            .expect("an assignment value");
        value.string_template()
    }

    #[test]
    fn reads_plain_formatted_and_concatenated_strings() {
        assert_eq!(template("'s3://b/dim/'").as_deref(), Some("s3://b/dim/"));
        assert_eq!(
            template("f\"s3://{bucket}/ref/{name}.csv\"").as_deref(),
            Some("s3://{}/ref/{}.csv")
        );
        assert_eq!(
            template("'s3://b/' f'{x}/lookup'").as_deref(),
            Some("s3://b/{}/lookup")
        );
        assert_eq!(template("''").as_deref(), Some(""));
        assert_eq!(template("path + '/dim'"), None);
        assert_eq!(template("42"), None);
    }
}
