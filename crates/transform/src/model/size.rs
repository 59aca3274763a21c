//! What the model knows about the size of a DataFrame's data: the reads it comes from through
//! transformations that never add rows, literal rows, and row limits. Rules decide from these
//! facts (and later from measured sizes) whether a table is small.

/// Where a DataFrame's rows are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file or folder path or URI, as written (`{}` stands for an f-string interpolation).
    Path(String),
    /// A table name, possibly qualified (`db.table`, `catalog.db.table`).
    Table(String),
}

impl Source {
    /// The identifier as written: the path or the table name.
    pub fn identifier(&self) -> &str {
        match self {
            Source::Path(path) => path,
            Source::Table(table) => table,
        }
    }

    /// A path that names one file: its last segment has an extension, and no wildcard or
    /// interpolation stands anywhere in it.
    pub fn is_single_file(&self) -> bool {
        let Source::Path(path) = self else {
            return false;
        };
        if path.ends_with('/') || path.contains(['*', '?', '{', '[']) {
            return false;
        }
        let last = path.rsplit('/').next().unwrap_or(path);
        last.rsplit_once('.')
            .is_some_and(|(stem, ext)| !stem.is_empty() && (1..=8).contains(&ext.len()))
    }

    /// Whether two sources name the same data: the same kind and identifier, ignoring a
    /// trailing slash and the case of a table name.
    pub fn same_as(&self, other: &Source) -> bool {
        match (self, other) {
            (Source::Path(a), Source::Path(b)) => {
                a.trim_end_matches('/') == b.trim_end_matches('/')
            }
            (Source::Table(a), Source::Table(b)) => a.eq_ignore_ascii_case(b),
            _ => false,
        }
    }

    /// The segments a name pattern is matched against: the path's segments after the scheme and
    /// authority (with a file's extension removed), or the table name's dot-separated parts
    /// without backquotes.
    pub fn segments(&self) -> Vec<&str> {
        match self {
            Source::Path(path) => {
                let rest = match path.split_once("://") {
                    // `s3://bucket/a/b`: the bucket or host is not a segment of the data's name.
                    Some((_, rest)) => rest.split_once('/').map_or("", |(_, r)| r),
                    None => path,
                };
                rest.split('/')
                    .filter(|s| !s.is_empty())
                    .map(|s| {
                        s.rsplit_once('.')
                            .map_or(s, |(stem, _)| if stem.is_empty() { s } else { stem })
                    })
                    .collect()
            }
            Source::Table(table) => table
                .split('.')
                .map(|s| s.trim_matches('`'))
                .filter(|s| !s.is_empty())
                .collect(),
        }
    }
}

/// The table a simple SQL query reads: `SELECT <columns> FROM <table> [alias] [WHERE ...]`, with no
/// join, union, subquery or second `FROM`. Such a query only narrows the table.
pub fn simple_select_table(sql: &str) -> Option<String> {
    let words: Vec<&str> = sql.split_whitespace().collect();
    let lower: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
    if lower.first().map(String::as_str) != Some("select") {
        return None;
    }
    let widening = ["join", "union", "intersect", "except", "minus", "lateral"];
    let froms = lower.iter().filter(|w| w.as_str() == "from").count();
    let at = lower.iter().position(|w| w == "from")?;
    let after_from = lower[at + 1..].join(" ");
    if froms != 1
        || lower.iter().any(|w| widening.contains(&w.as_str()))
        || after_from.contains(',')
        || sql.to_ascii_lowercase().contains("(select")
    {
        return None;
    }
    let table = words.get(at + 1)?.trim_end_matches(';');
    let valid = !table.is_empty()
        && table
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '`' | '{' | '}'));
    valid.then(|| table.to_owned())
}

/// Facts about the data of a DataFrame that was only narrowed (projected, filtered, aggregated,
/// limited) since it was read or built. A join, union or other widening step drops them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SizeFacts<'t> {
    /// The names of the frames it was narrowed from, itself first once assigned.
    pub names: Vec<&'t str>,
    /// The read it comes from.
    pub source: Option<Source>,
    /// Built from rows written in the program (`createDataFrame([...])`).
    pub literal_rows: bool,
    /// At most this many rows (`.limit(n)`).
    pub row_limit: Option<u64>,
    /// Narrowed from a function's parameter: the caller decides its size, whatever its name.
    pub parameter: bool,
}

impl<'t> SizeFacts<'t> {
    pub fn read(source: Source) -> Self {
        SizeFacts {
            source: Some(source),
            ..SizeFacts::default()
        }
    }

    /// The facts of a function's DataFrame parameter: nothing but that it is one.
    pub fn of_parameter() -> Self {
        SizeFacts {
            parameter: true,
            ..SizeFacts::default()
        }
    }

    /// The facts that hold for every one of several bindings of a name: the common facts when
    /// they agree (names aside), else none.
    pub fn common(all: &[Option<&SizeFacts<'t>>]) -> SizeFacts<'t> {
        let strip = |facts: Option<&SizeFacts<'t>>| {
            facts.map(|f| SizeFacts {
                names: Vec::new(),
                ..f.clone()
            })
        };
        let mut facts = all.iter().map(|f| strip(*f));
        let first = facts.next().flatten().unwrap_or_default();
        if facts.all(|f| f.as_ref() == Some(&first)) {
            first
        } else {
            SizeFacts {
                parameter: all.iter().any(|f| f.is_some_and(|f| f.parameter)),
                ..SizeFacts::default()
            }
        }
    }

    /// The same facts for a frame named `name`.
    pub fn named(mut self, name: &'t str) -> Self {
        if self.names.first() != Some(&name) {
            self.names.insert(0, name);
        }
        self
    }

    /// The same facts after `.limit(rows)`.
    pub fn limited(mut self, rows: u64) -> Self {
        self.row_limit = Some(self.row_limit.map_or(rows, |r| r.min(rows)));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_skip_the_scheme_and_the_bucket() {
        let source = Source::Path("s3://ref-bucket/dimensions/products/".into());
        assert_eq!(source.segments(), ["dimensions", "products"]);
        let source = Source::Path("hdfs:///ref/lookup/campaigns.csv".into());
        assert_eq!(source.segments(), ["ref", "lookup", "campaigns"]);
        let source = Source::Path("/data/.hidden/dim_x.parquet".into());
        assert_eq!(source.segments(), ["data", ".hidden", "dim_x"]);
    }

    #[test]
    fn table_segments_are_its_dotted_parts() {
        let source = Source::Table("`dw`.`dim_customer`".into());
        assert_eq!(source.segments(), ["dw", "dim_customer"]);
    }

    #[test]
    fn reads_the_table_of_a_simple_select() {
        assert_eq!(
            simple_select_table("SELECT * FROM cars_catalog.gold.dim_dealer").as_deref(),
            Some("cars_catalog.gold.dim_dealer")
        );
        assert_eq!(
            simple_select_table("select id, name\n  from `ref`.`region` r where active = 1;")
                .as_deref(),
            Some("`ref`.`region`")
        );
        assert_eq!(
            simple_select_table("SELECT * FROM a JOIN dim_b USING (k)"),
            None
        );
        assert_eq!(simple_select_table("SELECT * FROM a, dim_b"), None);
        assert_eq!(
            simple_select_table("SELECT * FROM (SELECT * FROM dim_x) t"),
            None
        );
        assert_eq!(
            simple_select_table("SELECT * FROM dim_x UNION ALL SELECT * FROM y"),
            None
        );
        assert_eq!(
            simple_select_table("WITH t AS (SELECT 1) SELECT * FROM t"),
            None
        );
        assert_eq!(simple_select_table("INSERT INTO dim_x SELECT 1"), None);
    }

    #[test]
    fn limits_keep_the_smallest() {
        let facts = SizeFacts::default().limited(100).limited(1000);
        assert_eq!(facts.row_limit, Some(100));
        assert_eq!(facts.named("a").named("a").names, ["a"]);
    }
}
