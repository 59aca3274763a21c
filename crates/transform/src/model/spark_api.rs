//! What sparkfix knows of the PySpark API: the kinds of values a chain can hold and what each
//! method or attribute turns a value of one kind into.
//!
//! Tables follow `shared/domain/spark-facts.md` (actions, transformations, reads, writers).

/// What an expression evaluates to, as far as Spark is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Ty {
    /// Not a Spark value, or nothing known.
    #[default]
    Unknown,
    /// The `SparkSession` class itself.
    SessionClass,
    Session,
    SessionBuilder,
    /// `spark.read` and its builder calls.
    Reader,
    /// `spark.readStream` and its builder calls.
    StreamReader,
    /// A batch DataFrame.
    DataFrame,
    /// A streaming DataFrame (from `readStream`): no batch rule applies.
    StreamingFrame,
    /// `df.groupBy(..)`: `count()` on it is a transformation.
    Grouped,
    /// `df.write` and its builder calls.
    Writer,
    /// `df.writeTo(table)` and its builder calls.
    WriterV2,
    /// `df.na` and `df.stat`.
    FrameFunctions,
    /// `df.rdd` and RDD transformations.
    Rdd,
    /// AWS Glue `glueContext.create_dynamic_frame`.
    DynamicFrameReader,
    DynamicFrame,
}

impl Ty {
    pub fn is_frame(self) -> bool {
        matches!(self, Ty::DataFrame | Ty::StreamingFrame)
    }
}

/// What one link of a chain does to the value before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The link yields a value of this kind.
    To(Ty),
    /// The link runs a Spark job on the DataFrame the chain derives from; yields a plain value.
    Action,
    /// `cache()` / `persist(..)`: a DataFrame that is cached.
    Cache,
    /// `unpersist()`.
    Unpersist,
}

/// Names that hold a SparkSession by convention: `spark` in notebooks and jobs, `self.spark`,
/// `glueContext.spark_session`, `df.sparkSession`. A bare `session` is not one of them: Snowpark,
/// SQLAlchemy and HTTP clients use that name for objects with `table`/`sql`/`count` methods.
pub const SESSION_NAMES: &[&str] = &["spark", "spark_session", "sparkSession"];

/// Methods of `SparkSession` that return a DataFrame.
const SESSION_READS: &[&str] = &["table", "sql", "createDataFrame", "range"];

const READER_BUILDERS: &[&str] = &["format", "option", "options", "schema"];
const READER_TERMINALS: &[&str] = &[
    "parquet", "csv", "json", "orc", "text", "table", "load", "jdbc", "xml", "textFile",
];

/// DataFrame methods that return a DataFrame (transformations), from the Spark docs.
const TRANSFORMATIONS: &[&str] = &[
    "select",
    "selectExpr",
    "filter",
    "where",
    "withColumn",
    "withColumns",
    "withColumnRenamed",
    "withColumnsRenamed",
    "withMetadata",
    "drop",
    "dropDuplicates",
    "drop_duplicates",
    "dropDuplicatesWithinWatermark",
    "distinct",
    "join",
    "crossJoin",
    "union",
    "unionAll",
    "unionByName",
    "intersect",
    "intersectAll",
    "subtract",
    "exceptAll",
    "sort",
    "orderBy",
    "sortWithinPartitions",
    "limit",
    "offset",
    "coalesce",
    "repartition",
    "repartitionByRange",
    "hint",
    "sample",
    "sampleBy",
    "alias",
    "fillna",
    "dropna",
    "replace",
    "describe",
    "summary",
    "toDF",
    "transform",
    "withWatermark",
    "unpivot",
    "melt",
    "observe",
    "to",
    "agg",
    "mapInPandas",
    "mapInArrow",
    "lateralJoin",
    "transpose",
    "freqItems",
];

/// DataFrame methods that run a job.
const ACTIONS: &[&str] = &[
    "count",
    "collect",
    "take",
    "head",
    "first",
    "tail",
    "show",
    "toPandas",
    "toArrow",
    "toLocalIterator",
    "foreach",
    "foreachPartition",
    "isEmpty",
    "checkpoint",
    "localCheckpoint",
    "corr",
    "cov",
    "approxQuantile",
];

const GROUPING: &[&str] = &["groupBy", "groupby", "rollup", "cube", "groupingSets"];
const GROUPED_TO_FRAME: &[&str] = &[
    "agg",
    "count",
    "sum",
    "avg",
    "mean",
    "min",
    "max",
    "apply",
    "applyInPandas",
    "applyInArrow",
];

const WRITER_BUILDERS: &[&str] = &[
    "mode",
    "format",
    "option",
    "options",
    "partitionBy",
    "bucketBy",
    "sortBy",
];
/// Every `DataFrameWriter` terminal.
pub const WRITER_TERMINALS: &[&str] = &[
    "save",
    "parquet",
    "csv",
    "json",
    "orc",
    "text",
    "xml",
    "jdbc",
    "saveAsTable",
    "insertInto",
    "avro",
];
const WRITER_V2_BUILDERS: &[&str] = &[
    "using",
    "option",
    "options",
    "tableProperty",
    "partitionedBy",
    "clusterBy",
];
const WRITER_V2_TERMINALS: &[&str] = &[
    "append",
    "create",
    "replace",
    "overwrite",
    "overwritePartitions",
    "createOrReplace",
];

const FRAME_FUNCTIONS_TO_FRAME: &[&str] = &[
    "fill",
    "drop",
    "replace",
    "crosstab",
    "freqItems",
    "sampleBy",
    "fillna",
];
const FRAME_FUNCTIONS_ACTIONS: &[&str] = &["corr", "cov", "approxQuantile"];

const RDD_ACTIONS: &[&str] = &[
    "count",
    "collect",
    "take",
    "first",
    "foreach",
    "foreachPartition",
    "reduce",
    "fold",
    "aggregate",
    "top",
    "takeOrdered",
    "takeSample",
    "countByKey",
    "countByValue",
    "isEmpty",
    "saveAsTextFile",
    "sum",
    "max",
];

const DYNAMIC_FRAME_READS: &[&str] =
    &["from_catalog", "from_options", "from_rdd", "from_jdbc_conf"];
const DYNAMIC_FRAME_METHODS: &[&str] = &[
    "apply_mapping",
    "resolveChoice",
    "drop_fields",
    "select_fields",
    "rename_field",
    "filter",
    "map",
    "repartition",
    "coalesce",
    "unnest",
    "spigot",
];

const SESSION_BUILDER_STEPS: &[&str] =
    &["appName", "config", "master", "enableHiveSupport", "remote"];

fn has(list: &[&str], name: &str) -> bool {
    list.contains(&name)
}

/// What `.name` (when `called` is false) or `.name(..)` does to a value of kind `ty`.
pub fn step(ty: Ty, name: &str, called: bool) -> Step {
    use Step::{Action, To};
    match (ty, called) {
        (Ty::Session, false) if name == "read" => To(Ty::Reader),
        (Ty::Session, false) if name == "readStream" => To(Ty::StreamReader),
        (Ty::Session, true) if has(SESSION_READS, name) => To(Ty::DataFrame),
        (Ty::Session, true) if name == "newSession" => To(Ty::Session),
        // `<anything>.read.<format>(..)` is a Spark read whatever holds the session.
        (Ty::Unknown, false) if name == "read" => To(Ty::Reader),
        (Ty::Unknown, false) if name == "readStream" => To(Ty::StreamReader),
        (Ty::Unknown, false) if has(SESSION_NAMES, name) => To(Ty::Session),
        (Ty::DataFrame, false) if name == "sparkSession" => To(Ty::Session),
        (Ty::Unknown, false) if name == "create_dynamic_frame" => To(Ty::DynamicFrameReader),
        (Ty::SessionClass, false) if name == "builder" => To(Ty::SessionBuilder),
        (Ty::SessionClass, true) if name == "getActiveSession" || name == "active" => {
            To(Ty::Session)
        }
        (Ty::SessionBuilder, true) if has(SESSION_BUILDER_STEPS, name) => To(Ty::SessionBuilder),
        (Ty::SessionBuilder, true) if name == "getOrCreate" || name == "create" => To(Ty::Session),

        (Ty::Reader, true) if has(READER_BUILDERS, name) => To(Ty::Reader),
        (Ty::Reader, true) if has(READER_TERMINALS, name) => To(Ty::DataFrame),
        (Ty::StreamReader, true) if has(READER_BUILDERS, name) => To(Ty::StreamReader),
        (Ty::StreamReader, true) if has(READER_TERMINALS, name) => To(Ty::StreamingFrame),

        (Ty::DataFrame | Ty::StreamingFrame, true) if name == "cache" || name == "persist" => {
            Step::Cache
        }
        (Ty::DataFrame | Ty::StreamingFrame, true) if name == "unpersist" => Step::Unpersist,
        (Ty::DataFrame, true) if has(TRANSFORMATIONS, name) => To(Ty::DataFrame),
        (Ty::DataFrame, true) if has(ACTIONS, name) => Action,
        (Ty::DataFrame, true) if has(GROUPING, name) => To(Ty::Grouped),
        (Ty::DataFrame, false) if name == "write" => To(Ty::Writer),
        (Ty::DataFrame, true) if name == "writeTo" => To(Ty::WriterV2),
        (Ty::DataFrame, false) if name == "na" || name == "stat" => To(Ty::FrameFunctions),
        (Ty::DataFrame, false) if name == "rdd" => To(Ty::Rdd),
        // A streaming frame stays streaming through transformations; it has no batch actions.
        (Ty::StreamingFrame, true) if has(TRANSFORMATIONS, name) => To(Ty::StreamingFrame),
        (Ty::StreamingFrame, true) if has(GROUPING, name) => To(Ty::StreamingFrame),
        (Ty::StreamingFrame, true) if has(GROUPED_TO_FRAME, name) => To(Ty::StreamingFrame),

        (Ty::Grouped, true) if has(GROUPED_TO_FRAME, name) => To(Ty::DataFrame),
        (Ty::Grouped, true) if name == "pivot" => To(Ty::Grouped),
        (Ty::Writer, true) if has(WRITER_BUILDERS, name) => To(Ty::Writer),
        (Ty::Writer, true) if has(WRITER_TERMINALS, name) => Action,
        (Ty::WriterV2, true) if has(WRITER_V2_BUILDERS, name) => To(Ty::WriterV2),
        (Ty::WriterV2, true) if has(WRITER_V2_TERMINALS, name) => Action,
        (Ty::FrameFunctions, true) if has(FRAME_FUNCTIONS_TO_FRAME, name) => To(Ty::DataFrame),
        (Ty::FrameFunctions, true) if has(FRAME_FUNCTIONS_ACTIONS, name) => Action,
        (Ty::Rdd, true) if has(RDD_ACTIONS, name) => Action,
        (Ty::Rdd, true) if name == "toDF" => To(Ty::DataFrame),
        (Ty::Rdd, true) => To(Ty::Rdd),

        (Ty::DynamicFrameReader, true) if has(DYNAMIC_FRAME_READS, name) => To(Ty::DynamicFrame),
        (Ty::DynamicFrame, true) if name == "toDF" => To(Ty::DataFrame),
        (Ty::DynamicFrame, true) if has(DYNAMIC_FRAME_METHODS, name) => To(Ty::DynamicFrame),
        _ => To(Ty::Unknown),
    }
}

/// Plain functions that return their DataFrame argument with a hint (`broadcast(df)`).
pub fn is_frame_passthrough_function(name: &str) -> bool {
    name == "broadcast"
}

/// Builtins that read a value without keeping it: passing a DataFrame to them does not let it
/// escape.
pub fn is_pure_builtin(name: &str) -> bool {
    matches!(
        name,
        "print"
            | "len"
            | "str"
            | "repr"
            | "isinstance"
            | "type"
            | "id"
            | "bool"
            | "format"
            | "hash"
    )
}

/// DataFrame methods that register it as a view, which any later `spark.sql` can read.
pub fn is_view_registration(name: &str) -> bool {
    matches!(
        name,
        "createOrReplaceTempView"
            | "createTempView"
            | "createGlobalTempView"
            | "createOrReplaceGlobalTempView"
            | "registerTempTable"
    )
}

/// Notebook functions that run an action on their argument.
pub fn is_action_function(name: &str) -> bool {
    name == "display"
}

/// Session methods that build a DataFrame from data in the program, not from storage.
pub fn is_literal_source(name: &str) -> bool {
    name == "createDataFrame" || name == "range"
}

/// DataFrame methods that work row by row (or column by column) without adding rows or moving
/// them between partitions.
const ROW_WISE: &[&str] = &[
    "select",
    "selectExpr",
    "filter",
    "where",
    "withColumn",
    "withColumns",
    "withColumnRenamed",
    "withColumnsRenamed",
    "withMetadata",
    "drop",
    "alias",
    "fillna",
    "dropna",
    "replace",
    "toDF",
    "to",
    "sample",
    "sortWithinPartitions",
    "cache",
    "persist",
    "unpersist",
];

/// Whether `.name(..)` on a DataFrame (or on its grouped data) keeps it at most as large: row-wise
/// steps, deduplication, sorts, limits, repartitioning, hints and aggregations.
pub fn is_narrowing(name: &str) -> bool {
    has(ROW_WISE, name)
        || has(SHUFFLING, name) && !matches!(name, "describe" | "summary")
        || matches!(
            name,
            "limit" | "offset" | "coalesce" | "repartition" | "repartitionByRange" | "hint"
        )
        // Not `rollup`/`cube`: grouping sets repeat rows.
        || matches!(name, "groupBy" | "groupby")
        || has(GROUPED_TO_FRAME, name)
}

/// The hint names that ask for a broadcast join (`df.hint("broadcast")`); Spark reads hint names
/// case-insensitively.
pub fn is_broadcast_hint(name: &str) -> bool {
    ["broadcast", "broadcastjoin", "mapjoin"]
        .iter()
        .any(|h| h.eq_ignore_ascii_case(name))
}

/// A join type, as Spark parses the `how` of `DataFrame.join`: case-insensitive, underscores
/// ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinType {
    Inner,
    Cross,
    LeftOuter,
    LeftSemi,
    LeftAnti,
    RightOuter,
    FullOuter,
}

impl JoinType {
    pub fn parse(how: &str) -> Option<JoinType> {
        let normalized = how.to_ascii_lowercase().replace('_', "");
        Some(match normalized.as_str() {
            "inner" => JoinType::Inner,
            "cross" => JoinType::Cross,
            "left" | "leftouter" => JoinType::LeftOuter,
            "semi" | "leftsemi" => JoinType::LeftSemi,
            "anti" | "leftanti" => JoinType::LeftAnti,
            "right" | "rightouter" => JoinType::RightOuter,
            "outer" | "full" | "fullouter" => JoinType::FullOuter,
            _ => return None,
        })
    }

    /// Whether a broadcast hash join can build on the right side: every type but right and full
    /// outer joins.
    pub fn can_broadcast_right(self) -> bool {
        !matches!(self, JoinType::RightOuter | JoinType::FullOuter)
    }
}

/// DataFrame methods that shuffle their input: the output partitions come from the shuffle.
const SHUFFLING: &[&str] = &[
    "distinct",
    "dropDuplicates",
    "drop_duplicates",
    "dropDuplicatesWithinWatermark",
    "orderBy",
    "sort",
    "intersect",
    "intersectAll",
    "subtract",
    "exceptAll",
    "describe",
    "summary",
];

/// Whether `.name(..)` on a DataFrame always shuffles it (joins and aggregations aside).
pub fn is_shuffling(name: &str) -> bool {
    has(SHUFFLING, name)
}

/// Whether `.name(..)` on a DataFrame keeps its partitions as they are (row-wise or
/// partition-wise work, no exchange).
pub fn keeps_partitions(name: &str) -> bool {
    has(ROW_WISE, name)
        || matches!(
            name,
            "withWatermark" | "observe" | "mapInPandas" | "mapInArrow" | "unpivot" | "melt"
        )
}

/// The hint names that set the output partitions (`df.hint("rebalance")`), case-insensitive.
pub fn is_partitioning_hint(name: &str) -> bool {
    [
        "rebalance",
        "repartition",
        "coalesce",
        "repartition_by_range",
    ]
    .iter()
    .any(|h| h.eq_ignore_ascii_case(name))
}

/// Union methods: partitions of the inputs are concatenated.
pub fn is_union(name: &str) -> bool {
    matches!(name, "union" | "unionAll" | "unionByName")
}

/// Whether `name` is a grouping method (`groupBy`, `rollup`...).
pub fn is_grouping(name: &str) -> bool {
    has(GROUPING, name)
}
