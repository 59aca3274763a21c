//! What a plan node reads or writes, from the text Spark prints for it: the `Location` of a file
//! scan, the table in a scan's name, the path or table of a write command.

use crate::events::PlanNode;
use crate::profile::Relation;

/// The relation a scan node reads, or `None` for nodes that read no stored data (`Range`,
/// `LocalTableScan`, a cached relation, an RDD).
pub fn scanned(node: &PlanNode) -> Option<Relation> {
    let name = node.node_name.trim();
    let rest = name
        .strip_prefix("Scan ")
        .or_else(|| name.strip_prefix("BatchScan "))
        .or_else(|| name.strip_prefix("FileScan "))?;
    if rest.starts_with("ExistingRDD")
        || rest.starts_with("OneRowRelation")
        || rest.starts_with("RDD")
    {
        return None;
    }
    // `Scan JDBCRelation(schema.table) [numPartitions=1]`
    if let Some(jdbc) = rest.strip_prefix("JDBCRelation(") {
        let table = jdbc.split(')').next().unwrap_or_default().trim();
        return (!table.is_empty()).then(|| Relation::Table(table.to_string()));
    }
    // `Scan parquet spark_catalog.default.products`: a format, then the table when there is one.
    let mut words = rest.split_whitespace();
    let _format = words.next();
    if let Some(table) = words
        .next()
        .filter(|word| !word.contains('/') && !word.contains(':'))
    {
        return Some(Relation::Table(unquote(table)));
    }
    let location = node
        .metadata
        .get("Location")
        .map(String::as_str)
        .or_else(|| after(&node.simple_string, "Location: "))?;
    let paths = location_paths(location);
    (!paths.is_empty()).then_some(Relation::Paths(paths))
}

/// The paths of a file index as Spark prints it: `InMemoryFileIndex(2 paths)[file:/a, file:/b]`,
/// possibly cut short with `...` (the paths after it are not in the log).
pub fn location_paths(location: &str) -> Vec<String> {
    let Some(open) = location.find('[') else {
        return Vec::new();
    };
    let inner = &location[open + 1..];
    let inner = inner.rfind(']').map_or(inner, |close| &inner[..close]);
    inner
        .split(", ")
        .map(str::trim)
        .filter(|path| !path.is_empty() && *path != "...")
        .map(str::to_string)
        .collect()
}

/// The target of a write node: the table when the command names one
/// (`` `spark_catalog`.`default`.`t` ``), else its first argument, the output path.
pub fn written(node: &PlanNode) -> Option<(String, Relation)> {
    let text = node.simple_string.trim();
    let text = text.strip_prefix("Execute ").unwrap_or(text);
    let (command, arguments) = text.split_once(' ').unwrap_or((text, ""));
    let command = command.trim_end_matches(',').to_string();
    if let Some(table) = backquoted_identifier(arguments) {
        return Some((command, Relation::Table(table)));
    }
    let path = arguments.split(", ").next().unwrap_or_default().trim();
    if path.is_empty() || !(path.contains('/') || path.contains(':')) {
        return None;
    }
    Some((command, Relation::Paths(vec![path.to_string()])))
}

/// The first `` `a`.`b`.`c` `` identifier in `text`, unquoted: `a.b.c`.
fn backquoted_identifier(text: &str) -> Option<String> {
    let start = text.find('`')?;
    let mut parts = Vec::new();
    let mut rest = &text[start..];
    while let Some(quoted) = rest.strip_prefix('`') {
        let close = quoted.find('`')?;
        parts.push(&quoted[..close]);
        rest = &quoted[close + 1..];
        match rest.strip_prefix('.') {
            Some(next) if next.starts_with('`') => rest = next,
            _ => break,
        }
    }
    (!parts.is_empty()).then(|| parts.join("."))
}

/// A table name without backquotes.
fn unquote(name: &str) -> String {
    name.replace('`', "")
}

/// The text after the first `marker` in `text`.
fn after<'t>(text: &'t str, marker: &str) -> Option<&'t str> {
    text.find(marker).map(|at| &text[at + marker.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str, simple: &str, location: Option<&str>) -> PlanNode {
        PlanNode {
            node_name: name.to_string(),
            simple_string: simple.to_string(),
            children: Vec::new(),
            metadata: location
                .map(|location| [("Location".to_string(), location.to_string())].into())
                .unwrap_or_default(),
            metrics: Vec::new(),
        }
    }

    #[test]
    fn scans_name_paths_or_tables() {
        let files = node(
            "Scan parquet ",
            "FileScan parquet [a#1]",
            Some("InMemoryFileIndex(2 paths)[file:/d/a, s3a://b/c, ...]"),
        );
        assert_eq!(
            scanned(&files),
            Some(Relation::Paths(vec![
                "file:/d/a".into(),
                "s3a://b/c".into()
            ]))
        );
        let table = node(
            "Scan parquet spark_catalog.default.products",
            "",
            Some("InMemoryFileIndex(1 paths)[file:/w/products]"),
        );
        assert_eq!(
            scanned(&table),
            Some(Relation::Table("spark_catalog.default.products".into()))
        );
        let jdbc = node(
            "Scan JDBCRelation(sales.orders) [numPartitions=1]",
            "",
            None,
        );
        assert_eq!(scanned(&jdbc), Some(Relation::Table("sales.orders".into())));
        assert_eq!(scanned(&node("Scan ExistingRDD", "", None)), None);
        assert_eq!(scanned(&node("LocalTableScan", "", None)), None);
        let v2 = node(
            "BatchScan parquet file:/d/x",
            "BatchScan parquet file:/d/x[a#1] ParquetScan Location: InMemoryFileIndex(1 paths)[file:/d/x], ReadSchema: struct<a:int>",
            None,
        );
        assert_eq!(
            scanned(&v2),
            Some(Relation::Paths(vec!["file:/d/x".into()]))
        );
    }

    #[test]
    fn writes_name_their_path_or_table() {
        let path = node(
            "Execute InsertIntoHadoopFsRelationCommand",
            "Execute InsertIntoHadoopFsRelationCommand file:/out/summary, false, [d#1], Parquet, [path=/out/summary], Overwrite, [a, b]",
            None,
        );
        assert_eq!(
            written(&path),
            Some((
                "InsertIntoHadoopFsRelationCommand".into(),
                Relation::Paths(vec!["file:/out/summary".into()])
            ))
        );
        let table = node(
            "Execute InsertIntoHadoopFsRelationCommand",
            "Execute InsertIntoHadoopFsRelationCommand file:/w/t, false, Parquet, [path=file:/w/t], Append, `spark_catalog`.`default`.`t`, org.apache.spark.sql.execution.datasources.InMemoryFileIndex(file:/w/t), [a]",
            None,
        );
        assert_eq!(
            written(&table).map(|(_, target)| target),
            Some(Relation::Table("spark_catalog.default.t".into()))
        );
    }
}
