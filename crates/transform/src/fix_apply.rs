//! Applies fixes to a text in one pass over the original, skipping any fix that overlaps one
//! already taken (the fix loop picks it up on its next pass).

use crate::edit::Fix;

/// Applies `fixes` (each with its rule code) to `text`. Returns the new text and the codes of the
/// fixes applied.
pub fn apply_fixes(text: &str, fixes: &[(&'static str, &Fix)]) -> (String, Vec<&'static str>) {
    let mut ordered: Vec<&(&'static str, &Fix)> = fixes.iter().collect();
    ordered.sort_by_key(|(_, fix)| fix.edits().first().map(|e| (e.range.start, e.range.end)));
    let mut taken: Vec<&Fix> = Vec::new();
    let mut codes = Vec::new();
    for (code, fix) in ordered {
        if taken.iter().any(|t| t.overlaps(fix)) {
            continue;
        }
        taken.push(fix);
        codes.push(*code);
    }
    let mut edits: Vec<_> = taken.iter().flat_map(|f| f.edits()).collect();
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out =
        String::with_capacity(text.len() + edits.iter().map(|e| e.content.len()).sum::<usize>());
    let mut cursor = 0;
    for edit in edits {
        out.push_str(&text[cursor..edit.range.start]);
        out.push_str(&edit.content);
        cursor = edit.range.end;
    }
    out.push_str(&text[cursor..]);
    (out, codes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::Edit;

    #[test]
    fn applies_disjoint_fixes_and_skips_overlaps() {
        let a = Fix::safe(vec![Edit::insert(1, "A"), Edit::replace(3..4, "C")]).unwrap();
        let b = Fix::safe(vec![Edit::replace(3..5, "X")]).unwrap();
        let c = Fix::safe(vec![Edit::insert(5, "E")]).unwrap();
        let (text, codes) = apply_fixes("01234567", &[("A", &a), ("B", &b), ("C", &c)]);
        assert_eq!(text, "0A12C4E567");
        assert_eq!(codes, vec!["A", "C"]);
    }
}
