//! Measured table sizes (from a Spark event log, later): the evidence that overrides what rules
//! guess from names. Empty unless the caller supplies measurements.

use std::collections::HashMap;

/// One measured size and where the figure comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasuredSize {
    /// Bytes of the table as Spark holds it in memory (the `data size` of a broadcast exchange),
    /// or as read when nothing better is known.
    pub bytes: u64,
    /// Where the figure was read, for messages: `event log app-2026..., stage 3`.
    pub evidence: String,
}

/// Measured sizes by source identifier: a path as written in the job, or a table name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableSizes {
    sizes: HashMap<String, MeasuredSize>,
}

impl TableSizes {
    pub fn insert(&mut self, identifier: impl Into<String>, size: MeasuredSize) {
        self.sizes
            .insert(normalize(&identifier.into()).to_owned(), size);
    }

    /// The measured size of the path or table `identifier`, ignoring a trailing slash.
    pub fn get(&self, identifier: &str) -> Option<&MeasuredSize> {
        self.sizes.get(normalize(identifier))
    }

    pub fn is_empty(&self) -> bool {
        self.sizes.is_empty()
    }
}

fn normalize(identifier: &str) -> &str {
    identifier.trim_end_matches('/')
}

/// `bytes` in the largest binary unit that keeps it above 1: `33.5 MiB`.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_sizes_up_without_trailing_slash() {
        let mut sizes = TableSizes::default();
        sizes.insert(
            "s3://b/dimensions/products/",
            MeasuredSize {
                bytes: 10,
                evidence: "test".into(),
            },
        );
        assert_eq!(sizes.get("s3://b/dimensions/products").unwrap().bytes, 10);
        assert!(sizes.get("s3://b/dimensions").is_none());
    }

    #[test]
    fn formats_bytes() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(35_127_296), "33.5 MiB");
        assert_eq!(human_bytes(1 << 30), "1.0 GiB");
    }
}
