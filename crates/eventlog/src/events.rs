//! The listener events sparkfix reads, as Spark's `JsonProtocol` (and the SQL module's Jackson
//! serialisation) writes them. Only the fields used are declared: serde skips the rest.
//!
//! Field names are Spark's, spaces included. Numbers that Spark writes as strings in some places
//! (SQL metric values in accumulables, the execution id in job properties) go through [`Number`].

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

/// The event names sparkfix reads. Every other event is skipped before it is parsed; one that
/// neither Spark (`SparkListener...`, `org.apache.spark...`) nor sparkfix knows (a custom
/// listener's) is counted in the file's report.
pub const WANTED: &[&str] = &[
    "SparkListenerLogStart",
    "SparkListenerApplicationStart",
    "SparkListenerApplicationEnd",
    "SparkListenerEnvironmentUpdate",
    "SparkListenerExecutorAdded",
    "SparkListenerExecutorRemoved",
    "SparkListenerJobStart",
    "SparkListenerJobEnd",
    "SparkListenerStageCompleted",
    "SparkListenerTaskEnd",
    "SparkListenerStageExecutorMetrics",
    "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart",
    "org.apache.spark.sql.execution.ui.SparkListenerSQLAdaptiveExecutionUpdate",
    "org.apache.spark.sql.execution.ui.SparkListenerDriverAccumUpdates",
    "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionEnd",
];

/// A number Spark wrote as a JSON number or as a string of digits (`"Value": "800"`). Anything
/// else (a list of block statuses, text) is `None`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Number(pub Option<i64>);

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        Ok(Number(match value {
            serde_json::Value::Number(number) => number
                .as_i64()
                .or_else(|| {
                    number
                        .as_u64()
                        .map(|n| i64::try_from(n).unwrap_or(i64::MAX))
                })
                .or_else(|| number.as_f64().map(|f| f as i64)),
            serde_json::Value::String(text) => text.trim().parse().ok(),
            _ => None,
        }))
    }
}

impl Number {
    /// The value as a non-negative count or size.
    pub fn unsigned(self) -> Option<u64> {
        self.0.and_then(|value| u64::try_from(value).ok())
    }
}

#[derive(Deserialize)]
pub struct LogStart {
    #[serde(rename = "Spark Version")]
    pub spark_version: String,
}

#[derive(Deserialize)]
pub struct ApplicationStart {
    #[serde(rename = "App Name")]
    pub app_name: Option<String>,
    #[serde(rename = "App ID")]
    pub app_id: Option<String>,
    #[serde(rename = "Timestamp")]
    pub timestamp: Option<u64>,
}

#[derive(Deserialize)]
pub struct ApplicationEnd {
    #[serde(rename = "Timestamp")]
    pub timestamp: Option<u64>,
}

#[derive(Deserialize)]
pub struct EnvironmentUpdate {
    #[serde(rename = "Spark Properties", default)]
    pub spark_properties: Properties,
}

/// "Spark Properties": an object in Spark 3 and 4 logs, a list of pairs in older ones.
#[derive(Default)]
pub struct Properties(pub BTreeMap<String, String>);

impl<'de> Deserialize<'de> for Properties {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Shape {
            Object(BTreeMap<String, serde_json::Value>),
            Pairs(Vec<(String, serde_json::Value)>),
        }
        let pairs: Vec<(String, serde_json::Value)> = match Shape::deserialize(deserializer)? {
            Shape::Object(map) => map.into_iter().collect(),
            Shape::Pairs(pairs) => pairs,
        };
        Ok(Properties(
            pairs
                .into_iter()
                .filter_map(|(key, value)| match value {
                    serde_json::Value::String(text) => Some((key, text)),
                    serde_json::Value::Number(number) => Some((key, number.to_string())),
                    serde_json::Value::Bool(flag) => Some((key, flag.to_string())),
                    _ => None,
                })
                .collect(),
        ))
    }
}

#[derive(Deserialize)]
pub struct ExecutorAdded {
    #[serde(rename = "Timestamp")]
    pub timestamp: u64,
    #[serde(rename = "Executor ID")]
    pub executor_id: String,
    #[serde(rename = "Executor Info")]
    pub info: ExecutorInfo,
}

#[derive(Deserialize)]
pub struct ExecutorInfo {
    #[serde(rename = "Total Cores")]
    pub total_cores: Option<u32>,
}

#[derive(Deserialize)]
pub struct ExecutorRemoved {
    #[serde(rename = "Timestamp")]
    pub timestamp: u64,
    #[serde(rename = "Executor ID")]
    pub executor_id: String,
}

#[derive(Deserialize)]
pub struct JobStart {
    #[serde(rename = "Job ID")]
    pub job_id: u64,
    #[serde(rename = "Submission Time", default)]
    pub submission_time: Option<u64>,
    #[serde(rename = "Stage IDs", default)]
    pub stage_ids: Vec<u64>,
    /// Every stage of the job, those it will skip included, with their parents.
    #[serde(rename = "Stage Infos", default)]
    pub stage_infos: Vec<StageInfo>,
    #[serde(rename = "Properties", default)]
    pub properties: Option<JobProperties>,
}

#[derive(Deserialize)]
pub struct JobProperties {
    #[serde(rename = "spark.sql.execution.id")]
    pub execution_id: Option<Number>,
}

#[derive(Deserialize)]
pub struct JobEnd {
    #[serde(rename = "Job ID")]
    pub job_id: u64,
    #[serde(rename = "Completion Time", default)]
    pub completion_time: Option<u64>,
}

#[derive(Deserialize)]
pub struct StageCompleted {
    #[serde(rename = "Stage Info")]
    pub info: StageInfo,
}

#[derive(Deserialize)]
pub struct StageInfo {
    #[serde(rename = "Stage ID")]
    pub stage_id: u64,
    #[serde(rename = "Stage Attempt ID", default)]
    pub attempt: u64,
    #[serde(rename = "Stage Name", default)]
    pub name: String,
    #[serde(rename = "Parent IDs", default)]
    pub parent_ids: Vec<u64>,
    #[serde(rename = "Submission Time", default)]
    pub submission_time: Option<u64>,
    #[serde(rename = "Completion Time", default)]
    pub completion_time: Option<u64>,
    #[serde(rename = "Accumulables", default)]
    pub accumulables: Vec<Accumulable>,
}

#[derive(Deserialize)]
pub struct Accumulable {
    #[serde(rename = "ID")]
    pub id: u64,
    #[serde(rename = "Value", default)]
    pub value: Number,
}

#[derive(Deserialize)]
pub struct TaskEnd {
    #[serde(rename = "Stage ID")]
    pub stage_id: u64,
    #[serde(rename = "Stage Attempt ID", default)]
    pub attempt: u64,
    #[serde(rename = "Task Info")]
    pub info: TaskInfo,
    #[serde(rename = "Task Metrics", default)]
    pub metrics: Option<TaskMetrics>,
}

#[derive(Deserialize)]
pub struct TaskInfo {
    #[serde(rename = "Launch Time", default)]
    pub launch_time: u64,
    #[serde(rename = "Finish Time", default)]
    pub finish_time: u64,
    #[serde(rename = "Failed", default)]
    pub failed: bool,
    #[serde(rename = "Killed", default)]
    pub killed: bool,
}

#[derive(Deserialize, Default)]
pub struct TaskMetrics {
    #[serde(rename = "JVM GC Time", default)]
    pub gc_time: u64,
    #[serde(rename = "Peak Execution Memory", default)]
    pub peak_execution_memory: u64,
    #[serde(rename = "Memory Bytes Spilled", default)]
    pub memory_spilled: u64,
    #[serde(rename = "Disk Bytes Spilled", default)]
    pub disk_spilled: u64,
    #[serde(rename = "Input Metrics", default)]
    pub input: Option<InputMetrics>,
    #[serde(rename = "Shuffle Read Metrics", default)]
    pub shuffle_read: Option<ShuffleReadMetrics>,
    #[serde(rename = "Shuffle Write Metrics", default)]
    pub shuffle_write: Option<ShuffleWriteMetrics>,
}

#[derive(Deserialize)]
pub struct InputMetrics {
    #[serde(rename = "Bytes Read", default)]
    pub bytes_read: u64,
}

#[derive(Deserialize)]
pub struct ShuffleReadMetrics {
    #[serde(rename = "Remote Bytes Read", default)]
    pub remote_bytes_read: u64,
    #[serde(rename = "Local Bytes Read", default)]
    pub local_bytes_read: u64,
}

#[derive(Deserialize)]
pub struct ShuffleWriteMetrics {
    #[serde(rename = "Shuffle Bytes Written", default)]
    pub bytes_written: u64,
}

#[derive(Deserialize)]
pub struct StageExecutorMetrics {
    #[serde(rename = "Executor Metrics", default)]
    pub metrics: Option<ExecutorMetrics>,
}

#[derive(Deserialize)]
pub struct ExecutorMetrics {
    #[serde(rename = "JVMHeapMemory", default)]
    pub jvm_heap: Option<u64>,
}

/// A node of `sparkPlanInfo`.
#[derive(Deserialize)]
pub struct PlanNode {
    #[serde(rename = "nodeName", default)]
    pub node_name: String,
    #[serde(rename = "simpleString", default)]
    pub simple_string: String,
    #[serde(default)]
    pub children: Vec<PlanNode>,
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    #[serde(default)]
    pub metrics: Vec<PlanMetric>,
}

#[derive(Deserialize)]
pub struct PlanMetric {
    pub name: String,
    #[serde(rename = "accumulatorId")]
    pub accumulator_id: u64,
}

impl PlanNode {
    /// The accumulator of the metric called `name`.
    pub fn metric(&self, name: &str) -> Option<u64> {
        self.metrics
            .iter()
            .find(|metric| metric.name == name)
            .map(|metric| metric.accumulator_id)
    }
}

#[derive(Deserialize)]
pub struct SqlExecutionStart {
    #[serde(rename = "executionId")]
    pub execution_id: u64,
    #[serde(default)]
    pub description: String,
    #[serde(rename = "sparkPlanInfo")]
    pub plan: PlanNode,
    pub time: Option<u64>,
    #[serde(rename = "modifiedConfigs", default)]
    pub modified_configs: Option<BTreeMap<String, String>>,
}

#[derive(Deserialize)]
pub struct SqlAdaptiveExecutionUpdate {
    #[serde(rename = "executionId")]
    pub execution_id: u64,
    #[serde(rename = "sparkPlanInfo")]
    pub plan: PlanNode,
}

#[derive(Deserialize)]
pub struct DriverAccumUpdates {
    #[serde(rename = "accumUpdates", default)]
    pub updates: Vec<(u64, Number)>,
}

#[derive(Deserialize)]
pub struct SqlExecutionEnd {
    #[serde(rename = "executionId")]
    pub execution_id: u64,
    pub time: Option<u64>,
}
