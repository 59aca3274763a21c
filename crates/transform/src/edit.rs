//! `Edit` and `Fix`: byte-range replacements of the original text, grouped with a safety level.

use std::ops::Range;

/// Replace the bytes `range` of the original text with `content` (an insertion when the range is
/// empty, a deletion when the content is).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edit {
    pub range: Range<usize>,
    pub content: String,
}

impl Edit {
    pub fn insert(at: usize, content: impl Into<String>) -> Self {
        Edit {
            range: at..at,
            content: content.into(),
        }
    }

    pub fn replace(range: Range<usize>, content: impl Into<String>) -> Self {
        Edit {
            range,
            content: content.into(),
        }
    }

    /// Whether two edits touch the same bytes. Two insertions at one offset overlap too, since
    /// their order would be ambiguous.
    pub fn overlaps(&self, other: &Edit) -> bool {
        if self.range.start == other.range.start {
            return true;
        }
        self.range.start < other.range.end && other.range.start < self.range.end
    }
}

/// Whether a fix may be applied without the user asking for it (`safe`/`unsafe` in YAML).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps the job's results: applied by `--diff` and `--write`.
    Safe,
    /// May change what the job produces: applied only with `--unsafe-fixes`.
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// A set of edits that together fix one diagnostic.
///
/// Invariant: the edits are sorted by start offset and pairwise non-overlapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    edits: Vec<Edit>,
    applicability: Applicability,
}

impl Fix {
    /// Builds a fix; returns `None` when the edits overlap one another (a rule bug, never applied).
    pub fn new(mut edits: Vec<Edit>, applicability: Applicability) -> Option<Self> {
        edits.sort_by_key(|edit| (edit.range.start, edit.range.end));
        if edits.is_empty() || edits.windows(2).any(|pair| pair[0].overlaps(&pair[1])) {
            return None;
        }
        Some(Fix {
            edits,
            applicability,
        })
    }

    pub fn safe(edits: Vec<Edit>) -> Option<Self> {
        Fix::new(edits, Applicability::Safe)
    }

    pub fn unsafe_edits(edits: Vec<Edit>) -> Option<Self> {
        Fix::new(edits, Applicability::Unsafe)
    }

    pub fn edits(&self) -> &[Edit] {
        &self.edits
    }

    pub fn applicability(&self) -> Applicability {
        self.applicability
    }

    /// Whether any edit of this fix overlaps any edit of `other`.
    pub fn overlaps(&self, other: &Fix) -> bool {
        self.edits
            .iter()
            .any(|a| other.edits.iter().any(|b| a.overlaps(b)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_edits_make_no_fix() {
        assert!(Fix::safe(vec![Edit::replace(0..4, "x"), Edit::replace(3..5, "y")]).is_none());
        assert!(Fix::safe(vec![Edit::insert(3, "x"), Edit::insert(3, "y")]).is_none());
        assert!(Fix::safe(vec![]).is_none());
        let fix = Fix::safe(vec![Edit::insert(9, "b"), Edit::replace(0..4, "a")]).unwrap();
        assert_eq!(fix.edits()[0].range, 0..4);
        assert!(fix.overlaps(&Fix::safe(vec![Edit::insert(9, "c")]).unwrap()));
        assert!(!fix.overlaps(&Fix::safe(vec![Edit::insert(5, "c")]).unwrap()));
    }
}
