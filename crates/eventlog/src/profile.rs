//! What an event log measured, as plain values: the [`Profile`] of one or more runs.
//!
//! Every figure here was read from a log; nothing is estimated. Sizes are bytes, times are
//! milliseconds. A figure the log did not have is `None`, never 0.

use std::collections::BTreeMap;

/// The runs given to one sparkfix invocation (`--profile` may be repeated).
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub runs: Vec<Run>,
}

/// One application run, read from one event log (a file, or a rolled folder of parts).
#[derive(Debug, Clone, Default)]
pub struct Run {
    /// The log as the user named it (a file or folder path), for messages.
    pub log: String,
    pub app_id: Option<String>,
    pub app_name: Option<String>,
    pub spark_version: Option<String>,
    pub started_ms: Option<u64>,
    pub ended_ms: Option<u64>,
    /// Spark properties at start (`SparkListenerEnvironmentUpdate`'s "Spark Properties").
    pub properties: BTreeMap<String, String>,
    pub executors: Executors,
    /// SQL executions, by id.
    pub queries: Vec<Query>,
    pub stages: Vec<Stage>,
    /// Spark jobs, by id.
    pub jobs: Vec<Job>,
}

/// One Spark job: the stages an action (or a broadcast, a subquery...) ran.
#[derive(Debug, Clone, Default)]
pub struct Job {
    pub id: u64,
    /// Every stage of the job, the ones it skipped (their output already existed) included.
    pub stage_ids: Vec<u64>,
    pub submitted_ms: Option<u64>,
    pub completed_ms: Option<u64>,
}

impl Run {
    /// The run's duration, when the log has its start and end.
    pub fn duration_ms(&self) -> Option<u64> {
        Some(self.ended_ms?.saturating_sub(self.started_ms?))
    }

    /// A Spark property as the run saw it at start.
    pub fn property(&self, key: &str) -> Option<&str> {
        self.properties.get(key).map(String::as_str)
    }

    /// A short name for messages: the app id, else the log's name.
    pub fn label(&self) -> &str {
        self.app_id.as_deref().unwrap_or(&self.log)
    }

    /// The stage with this id (its last attempt).
    pub fn stage(&self, id: u64) -> Option<&Stage> {
        self.stages.iter().rev().find(|stage| stage.id == id)
    }
}

/// Executors over the run (the driver of a local run counts as its one executor).
#[derive(Debug, Clone, Default)]
pub struct Executors {
    /// `(time, live executors)` after each executor was added or removed.
    pub timeline: Vec<(u64, u32)>,
    /// The most executors live at once.
    pub peak_count: u32,
    /// Cores of each executor (the largest seen).
    pub cores: Option<u32>,
    /// `spark.executor.memory` in bytes, when set.
    pub memory_bytes: Option<u64>,
    /// The largest JVM heap any executor used, when the log has executor metrics
    /// (`spark.eventLog.logStageExecutorMetrics`).
    pub peak_heap_bytes: Option<u64>,
}

/// One SQL execution: its final plan (the last adaptive update, else the plan at start) with
/// the measured values of its metrics.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub id: u64,
    pub description: String,
    pub started_ms: Option<u64>,
    pub ended_ms: Option<u64>,
    /// SQL settings the session changed before this query (`spark.conf.set`).
    pub modified_configs: BTreeMap<String, String>,
    pub scans: Vec<Scan>,
    pub joins: Vec<Join>,
    pub writes: Vec<Write>,
    pub exchanges: Vec<Exchange>,
    /// Partial (pre-shuffle) aggregations with grouping keys.
    pub partial_aggregates: Vec<PartialAggregate>,
    /// Reads of cached data (`InMemoryTableScan` nodes) in the final plan.
    pub cache_reads: usize,
    /// The stages of this query's jobs.
    pub stage_ids: Vec<u64>,
}

/// What a scan, a write or a join side reads or writes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Relation {
    /// Files under these paths, as Spark printed them (`file:/data/x`, `s3a://bucket/x`).
    Paths(Vec<String>),
    /// A catalog table (`spark_catalog.default.products`).
    Table(String),
}

impl Relation {
    /// The relation as one line of text.
    pub fn display(&self) -> String {
        match self {
            Relation::Paths(paths) => paths.join(", "),
            Relation::Table(name) => name.clone(),
        }
    }
}

/// A scan of files or a table.
#[derive(Debug, Clone)]
pub struct Scan {
    pub relation: Relation,
    /// The file format (`Parquet`, `CSV`...) when the plan names it.
    pub format: Option<String>,
    /// Bytes of the files read ("size of files read").
    pub bytes_read: Option<u64>,
    pub files_read: Option<u64>,
    pub rows: Option<u64>,
    /// The `data size` of the shuffle or broadcast exchange right above the scan (only row-wise
    /// operators between): the relation's size in memory after pruning and filters.
    pub exchange_bytes: Option<u64>,
    /// The stages that ran the scan.
    pub stage_ids: Vec<u64>,
}

impl Scan {
    /// The relation's size as a join would see it: the exchange above the scan, else the bytes
    /// read.
    pub fn in_memory_bytes(&self) -> Option<u64> {
        self.exchange_bytes.or(self.bytes_read)
    }
}

/// How a join ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinStrategy {
    SortMerge,
    ShuffledHash,
    BroadcastHash,
    BroadcastNestedLoop,
    Cartesian,
}

impl JoinStrategy {
    pub fn from_node_name(name: &str) -> Option<JoinStrategy> {
        Some(match name {
            "SortMergeJoin" => JoinStrategy::SortMerge,
            "ShuffledHashJoin" => JoinStrategy::ShuffledHash,
            "BroadcastHashJoin" => JoinStrategy::BroadcastHash,
            "BroadcastNestedLoopJoin" => JoinStrategy::BroadcastNestedLoop,
            "CartesianProduct" => JoinStrategy::Cartesian,
            _ => return None,
        })
    }

    /// The operator's name in Spark plans.
    pub fn name(self) -> &'static str {
        match self {
            JoinStrategy::SortMerge => "SortMergeJoin",
            JoinStrategy::ShuffledHash => "ShuffledHashJoin",
            JoinStrategy::BroadcastHash => "BroadcastHashJoin",
            JoinStrategy::BroadcastNestedLoop => "BroadcastNestedLoopJoin",
            JoinStrategy::Cartesian => "CartesianProduct",
        }
    }

    /// Whether both sides were shuffled (the cost a broadcast avoids).
    pub fn shuffles_both_sides(self) -> bool {
        matches!(self, JoinStrategy::SortMerge | JoinStrategy::ShuffledHash)
    }
}

/// A join of the final plan.
#[derive(Debug, Clone)]
pub struct Join {
    pub strategy: JoinStrategy,
    /// `Inner`, `LeftOuter`... as the plan printed it.
    pub join_type: Option<String>,
    /// The stages that ran the join (a sort-merge join's: the reduce side of both shuffles).
    pub stage_ids: Vec<u64>,
    pub left: JoinSide,
    pub right: JoinSide,
    /// The `shuffle write time` of the shuffle the join's output goes straight into, when it
    /// does (see [`Join::alone_in_stage`]).
    pub output_shuffle_write_ms: Option<u64>,
    /// The grouped aggregation that ran on the join's output in the join's stage, on the
    /// partitioning the join's shuffles gave the rows (no exchange between them).
    pub aggregate_above: Option<AggregateOnJoin>,
}

impl Join {
    /// Whether the join's stage ran only the join: both inputs were read from shuffles and its
    /// output went straight into another shuffle. A broadcast then removes that whole stage,
    /// except the output's shuffle write, which moves into the larger side's stage.
    pub fn alone_in_stage(&self) -> bool {
        self.left.shuffle_write_ms.is_some()
            && self.right.shuffle_write_ms.is_some()
            && self.output_shuffle_write_ms.is_some()
    }
}

/// A grouped aggregation that used a shuffled join's output partitioning instead of a shuffle
/// of its own: once the join is broadcast, that partitioning is gone and the aggregation needs
/// an exchange (and, when it ran in one phase, a partial phase before it).
#[derive(Debug, Clone, Default)]
pub struct AggregateOnJoin {
    /// The partial phase, its final phase above it in the same stage; else one phase (no
    /// partial aggregation in the plan).
    pub partial: bool,
    pub input_rows: Option<u64>,
    pub output_rows: Option<u64>,
    /// `time in aggregation build`, summed over tasks.
    pub build_time_ms: Option<u64>,
}

/// One input of a join.
#[derive(Debug, Clone, Default)]
pub struct JoinSide {
    /// The relations scanned under this side.
    pub relations: Vec<Relation>,
    /// The `data size` of the exchange feeding the join on this side, else the bytes its scans
    /// read.
    pub bytes: Option<u64>,
    /// The time the side's shuffle took to write (its exchange's `shuffle write time`) and to
    /// fetch (`fetch wait time`), and the side's sort (`sort time`), summed over tasks.
    pub shuffle_write_ms: Option<u64>,
    pub fetch_wait_ms: Option<u64>,
    pub sort_ms: Option<u64>,
    /// `shuffle records written` of the side's exchange.
    pub shuffle_records: Option<u64>,
    /// The stages that wrote the side's shuffle.
    pub map_stage_ids: Vec<u64>,
}

/// A write of files or to a table.
#[derive(Debug, Clone)]
pub struct Write {
    /// The target: a path, or a table for writes Spark names by table only.
    pub target: Relation,
    /// The write command (`InsertIntoHadoopFsRelationCommand`...).
    pub command: String,
    pub files: Option<u64>,
    pub bytes: Option<u64>,
    pub rows: Option<u64>,
    /// Partition values written ("number of dynamic part").
    pub dynamic_partitions: Option<u64>,
}

/// A shuffle or broadcast exchange of the final plan.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub broadcast: bool,
    /// `data size`: the rows exchanged, in memory.
    pub bytes: Option<u64>,
    /// Bytes written to shuffle files (shuffles only).
    pub shuffle_bytes_written: Option<u64>,
}

/// A partial aggregation: the map side of a grouped aggregation, which combines the rows of each
/// task by key before the shuffle. When the keys are nearly unique it reduces nothing.
#[derive(Debug, Clone)]
pub struct PartialAggregate {
    /// `HashAggregate`, `ObjectHashAggregate` or `SortAggregate`.
    pub operator: String,
    /// The grouping keys as the plan printed them, without expression ids.
    pub keys: Vec<String>,
    /// The rows it consumed (the `number of output rows` of the operator below).
    pub input_rows: Option<u64>,
    pub output_rows: Option<u64>,
    /// `time in aggregation build`, summed over tasks.
    pub build_time_ms: Option<u64>,
    pub spill_bytes: Option<u64>,
    /// The stages that ran it.
    pub stage_ids: Vec<u64>,
}

impl PartialAggregate {
    /// Output rows over input rows: near 1 when the groups are nearly unique.
    pub fn output_ratio(&self) -> Option<f64> {
        let input = self.input_rows.filter(|&rows| rows > 0)?;
        Some(self.output_rows? as f64 / input as f64)
    }
}

/// One attempt of one stage.
#[derive(Debug, Clone, Default)]
pub struct Stage {
    pub id: u64,
    pub attempt: u64,
    pub name: String,
    pub tasks: u64,
    /// The sum of task durations (launch to finish).
    pub task_time_ms: u64,
    /// The longest and the median task duration: their ratio is the stage's skew.
    pub max_task_ms: u64,
    pub median_task_ms: u64,
    pub input_bytes: u64,
    pub shuffle_read_bytes: u64,
    pub shuffle_write_bytes: u64,
    pub memory_spill_bytes: u64,
    pub disk_spill_bytes: u64,
    /// The largest peak execution memory of one task.
    pub peak_execution_memory: u64,
    pub gc_time_ms: u64,
    /// Failed or killed tasks (their times are not counted above).
    pub failed_tasks: u64,
    /// The stages whose output this one reads (the parents of the stage graph).
    pub parents: Vec<u64>,
    /// The job that ran this attempt.
    pub job: Option<u64>,
    pub submitted_ms: Option<u64>,
    pub completed_ms: Option<u64>,
    /// Each successful task's duration (launch to finish), in the order the tasks ended.
    pub task_durations_ms: Vec<u64>,
}

/// A relation scanned more than once in a run, and what the scans after the first cost.
#[derive(Debug, Clone)]
pub struct Rescan {
    pub relation: Relation,
    pub scans: usize,
    /// Bytes read by every scan but the first.
    pub extra_bytes: u64,
    /// Task time of the stages that ran every scan but the first (whole stages: the scan's own
    /// share of its stage is not in the log).
    pub extra_task_ms: u64,
    /// The stages that ran every scan but the first.
    pub extra_stage_ids: Vec<u64>,
}

impl Run {
    /// Relations scanned more than once, most costly re-scans first.
    pub fn rescans(&self) -> Vec<Rescan> {
        let mut by_relation: BTreeMap<&Relation, Vec<&Scan>> = BTreeMap::new();
        for scan in self.queries.iter().flat_map(|query| &query.scans) {
            by_relation.entry(&scan.relation).or_default().push(scan);
        }
        let mut rescans: Vec<Rescan> = by_relation
            .into_iter()
            .filter(|(_, scans)| scans.len() > 1)
            .map(|(relation, scans)| {
                let mut extra_stage_ids: Vec<u64> = scans[1..]
                    .iter()
                    .flat_map(|scan| scan.stage_ids.iter().copied())
                    .collect();
                extra_stage_ids.sort_unstable();
                extra_stage_ids.dedup();
                (relation, scans, extra_stage_ids)
            })
            .map(|(relation, scans, extra_stage_ids)| Rescan {
                relation: relation.clone(),
                scans: scans.len(),
                extra_bytes: scans[1..].iter().filter_map(|scan| scan.bytes_read).sum(),
                extra_task_ms: extra_stage_ids
                    .iter()
                    .filter_map(|&id| self.stage(id))
                    .map(|stage| stage.task_time_ms)
                    .sum(),
                extra_stage_ids,
            })
            .collect();
        rescans.sort_by(|a, b| {
            (b.extra_task_ms, b.extra_bytes).cmp(&(a.extra_task_ms, a.extra_bytes))
        });
        rescans
    }
}
