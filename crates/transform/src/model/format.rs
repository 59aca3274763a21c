//! What a data source or sink format name says: columnar files, row-format files, a table over
//! files, or a system that is not files at all (JDBC, Kafka, BigQuery...). Follows the facts
//! page's "Sinks and sources that are not files": a format sparkfix does not know is unknown,
//! never "a file".

/// The kind of storage a format name stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DataFormat {
    /// Columnar files that prune columns and answer `count()` from metadata: parquet, ORC,
    /// Delta, Iceberg, Hudi.
    Columnar,
    /// Row-format files, read whole whatever the query needs: CSV, JSON, text, Avro, XML.
    RowFiles,
    /// A table over files whose format the code does not say (`hive`, a catalog table).
    FileTable,
    /// Not files: databases, warehouses, queues, debugging sinks. Their reads size their own
    /// partitions; their writes make no files.
    NotFiles,
    /// A name sparkfix cannot resolve or a format it does not know.
    #[default]
    Unknown,
}

/// Formats that are not files, lower case (connector short names and class prefixes).
const NOT_FILES: &[&str] = &[
    "jdbc",
    "bigquery",
    "snowflake",
    "net.snowflake.spark.snowflake",
    "mongodb",
    "mongo",
    "com.mongodb.spark.sql.defaultsource",
    "redis",
    "org.apache.spark.sql.redis",
    "kafka",
    "cassandra",
    "org.apache.spark.sql.cassandra",
    "org.elasticsearch.spark.sql",
    "es",
    "elasticsearch",
    "dynamodb",
    "noop",
    "console",
    "memory",
    "redshift",
    "io.github.spark_redshift_community.spark.redshift",
    "com.databricks.spark.redshift",
    "sqlserver",
    "com.microsoft.sqlserver.jdbc.spark",
    "postgresql",
    "mysql",
    "oracle",
    "hbase",
    "org.apache.hadoop.hbase.spark",
    "kinesis",
    "eventhubs",
    "pubsub",
    "neo4j",
    "org.neo4j.spark.datasource",
    "azure.cosmos.spark",
    "cosmos.oltp",
    "salesforce",
    "http",
    "rate",
    "socket",
];

impl DataFormat {
    /// The kind of a format as written (`"parquet"`, `"delta"`, `"net.snowflake.spark.snowflake"`),
    /// compared case-insensitively.
    pub fn of_name(name: &str) -> DataFormat {
        let lower = name.trim().to_ascii_lowercase();
        let last = lower.rsplit('.').next().unwrap_or(&lower);
        if NOT_FILES.contains(&lower.as_str()) || lower.contains("jdbc") {
            return DataFormat::NotFiles;
        }
        match last {
            "parquet" | "orc" | "delta" | "iceberg" | "hudi" => DataFormat::Columnar,
            "csv" | "json" | "text" | "textfile" | "avro" | "xml" => DataFormat::RowFiles,
            "hive" => DataFormat::FileTable,
            _ => DataFormat::Unknown,
        }
    }

    /// Whether a write in this format produces files (one per task and partition value).
    pub fn is_files(self) -> bool {
        matches!(
            self,
            DataFormat::Columnar | DataFormat::RowFiles | DataFormat::FileTable
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_format_names() {
        assert_eq!(DataFormat::of_name("Parquet"), DataFormat::Columnar);
        assert_eq!(DataFormat::of_name("delta"), DataFormat::Columnar);
        assert_eq!(
            DataFormat::of_name("com.databricks.spark.csv"),
            DataFormat::RowFiles
        );
        assert_eq!(
            DataFormat::of_name("org.apache.spark.sql.avro"),
            DataFormat::RowFiles
        );
        assert_eq!(DataFormat::of_name("jdbc"), DataFormat::NotFiles);
        assert_eq!(
            DataFormat::of_name("net.snowflake.spark.snowflake"),
            DataFormat::NotFiles
        );
        assert_eq!(DataFormat::of_name("bigquery"), DataFormat::NotFiles);
        assert_eq!(DataFormat::of_name("KAFKA"), DataFormat::NotFiles);
        assert_eq!(DataFormat::of_name("hive"), DataFormat::FileTable);
        assert_eq!(DataFormat::of_name("my.custom.Source"), DataFormat::Unknown);
        assert!(!DataFormat::Unknown.is_files());
        assert!(DataFormat::FileTable.is_files());
    }
}
