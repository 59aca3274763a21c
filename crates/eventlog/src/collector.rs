//! The state kept while one run's events stream by, and the [`Run`] made of it at the end.
//!
//! Memory grows with the number of executions, jobs, stages and tasks (a duration per task, for
//! the median and the replay), never with the size of the log: each event is dropped once it is
//! folded in.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::events::*;
use crate::plan::{Accumulators, PlanSummary};
use crate::profile::{Job, Query, Run, Stage};

#[derive(Default)]
pub struct Collector {
    run: Run,
    /// Whether the log's Spark is older than 3 (its SQL events are skipped).
    pub pre_spark3: bool,
    queries: BTreeMap<u64, QueryState>,
    stage_execution: HashMap<u64, u64>,
    /// Values of SQL-metric accumulators: the driver's own updates win over task updates.
    driver_values: HashMap<u64, u64>,
    task_values: HashMap<u64, u64>,
    metric_stages: HashMap<u64, Vec<u64>>,
    stages: BTreeMap<(u64, u64), StageState>,
    live_executors: HashMap<String, ()>,
    jobs: BTreeMap<u64, Job>,
    /// Each stage's job (the first job that listed it: a later job that lists it again skips
    /// it, its output being there already) and parents, from the job starts.
    stage_job: HashMap<u64, u64>,
    stage_parents: HashMap<u64, Vec<u64>>,
}

#[derive(Default)]
struct QueryState {
    description: String,
    started_ms: Option<u64>,
    ended_ms: Option<u64>,
    modified_configs: BTreeMap<String, String>,
    plan: PlanSummary,
}

#[derive(Default)]
struct StageState {
    stage: Stage,
}

impl Collector {
    /// Folds one event in. `name` is the event's name; `line` its JSON text. Returns the parse
    /// error of a wanted event whose JSON does not have the expected shape.
    pub fn event(&mut self, name: &str, line: &[u8]) -> Result<(), serde_json::Error> {
        let short = name.rsplit('.').next().unwrap_or(name);
        if self.pre_spark3 && name.starts_with("org.apache.spark.sql.") {
            return Ok(());
        }
        match short {
            "SparkListenerLogStart" => {
                let event: LogStart = serde_json::from_slice(line)?;
                self.pre_spark3 =
                    major_version(&event.spark_version).is_some_and(|major| major < 3);
                self.run.spark_version = Some(event.spark_version);
            }
            "SparkListenerApplicationStart" => {
                let event: ApplicationStart = serde_json::from_slice(line)?;
                self.run.app_name = event.app_name;
                self.run.app_id = event.app_id;
                self.run.started_ms = event.timestamp;
            }
            "SparkListenerApplicationEnd" => {
                let event: ApplicationEnd = serde_json::from_slice(line)?;
                self.run.ended_ms = event.timestamp;
            }
            "SparkListenerEnvironmentUpdate" => {
                let event: EnvironmentUpdate = serde_json::from_slice(line)?;
                self.run.properties.extend(event.spark_properties.0);
            }
            "SparkListenerExecutorAdded" => {
                let event: ExecutorAdded = serde_json::from_slice(line)?;
                self.live_executors.insert(event.executor_id, ());
                let executors = &mut self.run.executors;
                executors.cores = executors.cores.max(event.info.total_cores);
                let live = self.live_executors.len() as u32;
                executors.peak_count = executors.peak_count.max(live);
                executors.timeline.push((event.timestamp, live));
            }
            "SparkListenerExecutorRemoved" => {
                let event: ExecutorRemoved = serde_json::from_slice(line)?;
                self.live_executors.remove(&event.executor_id);
                let live = self.live_executors.len() as u32;
                self.run.executors.timeline.push((event.timestamp, live));
            }
            "SparkListenerJobStart" => {
                let event: JobStart = serde_json::from_slice(line)?;
                let execution = event
                    .properties
                    .and_then(|properties| properties.execution_id?.unsigned());
                if let Some(execution) = execution {
                    for &stage in &event.stage_ids {
                        self.stage_execution.insert(stage, execution);
                    }
                }
                for info in &event.stage_infos {
                    self.stage_parents
                        .insert(info.stage_id, info.parent_ids.clone());
                }
                for &stage in &event.stage_ids {
                    self.stage_job.entry(stage).or_insert(event.job_id);
                }
                self.jobs.insert(
                    event.job_id,
                    Job {
                        id: event.job_id,
                        stage_ids: event.stage_ids,
                        submitted_ms: event.submission_time,
                        completed_ms: None,
                    },
                );
            }
            "SparkListenerJobEnd" => {
                let event: JobEnd = serde_json::from_slice(line)?;
                if let Some(job) = self.jobs.get_mut(&event.job_id) {
                    job.completed_ms = event.completion_time;
                }
            }
            "SparkListenerStageCompleted" => {
                let event: StageCompleted = serde_json::from_slice(line)?;
                let info = event.info;
                let state = self
                    .stages
                    .entry((info.stage_id, info.attempt))
                    .or_default();
                state.stage.name = info.name;
                state.stage.parents = info.parent_ids;
                state.stage.submitted_ms = info.submission_time;
                state.stage.completed_ms = info.completion_time;
                for accumulable in info.accumulables {
                    if let Some(value) = accumulable.value.unsigned() {
                        // The driver's accumulator value: cumulative, so the last one is the total.
                        self.task_values.insert(accumulable.id, value);
                        let stages = self.metric_stages.entry(accumulable.id).or_default();
                        if !stages.contains(&info.stage_id) {
                            stages.push(info.stage_id);
                        }
                    }
                }
            }
            "SparkListenerTaskEnd" => {
                let event: TaskEnd = serde_json::from_slice(line)?;
                self.task_end(event);
            }
            "SparkListenerStageExecutorMetrics" => {
                let event: StageExecutorMetrics = serde_json::from_slice(line)?;
                // Zero means the executor sent no sample during the stage, not an empty heap.
                if let Some(heap) = event
                    .metrics
                    .and_then(|metrics| metrics.jvm_heap)
                    .filter(|&heap| heap > 0)
                {
                    let peak = &mut self.run.executors.peak_heap_bytes;
                    *peak = Some(peak.unwrap_or(0).max(heap));
                }
            }
            "SparkListenerSQLExecutionStart" => {
                let event: SqlExecutionStart = serde_json::from_slice(line)?;
                let query = self.queries.entry(event.execution_id).or_default();
                query.description = event.description;
                query.started_ms = event.time;
                query.modified_configs = event.modified_configs.unwrap_or_default();
                query.plan = PlanSummary::of(&event.plan);
            }
            "SparkListenerSQLAdaptiveExecutionUpdate" => {
                let event: SqlAdaptiveExecutionUpdate = serde_json::from_slice(line)?;
                self.queries.entry(event.execution_id).or_default().plan =
                    PlanSummary::of(&event.plan);
            }
            "SparkListenerDriverAccumUpdates" => {
                let event: DriverAccumUpdates = serde_json::from_slice(line)?;
                for (id, value) in event.updates {
                    if let Some(value) = value.unsigned() {
                        self.driver_values.insert(id, value);
                    }
                }
            }
            "SparkListenerSQLExecutionEnd" => {
                let event: SqlExecutionEnd = serde_json::from_slice(line)?;
                self.queries.entry(event.execution_id).or_default().ended_ms = event.time;
            }
            _ => {}
        }
        Ok(())
    }

    fn task_end(&mut self, event: TaskEnd) {
        let state = self
            .stages
            .entry((event.stage_id, event.attempt))
            .or_default();
        let stage = &mut state.stage;
        stage.id = event.stage_id;
        stage.attempt = event.attempt;
        if event.info.failed || event.info.killed {
            stage.failed_tasks += 1;
            return;
        }
        let duration = event
            .info
            .finish_time
            .saturating_sub(event.info.launch_time);
        stage.tasks += 1;
        stage.task_time_ms += duration;
        stage.task_durations_ms.push(duration);
        let metrics = event.metrics.unwrap_or_default();
        stage.gc_time_ms += metrics.gc_time;
        stage.memory_spill_bytes += metrics.memory_spilled;
        stage.disk_spill_bytes += metrics.disk_spilled;
        stage.peak_execution_memory = stage
            .peak_execution_memory
            .max(metrics.peak_execution_memory);
        stage.input_bytes += metrics.input.map_or(0, |input| input.bytes_read);
        stage.shuffle_read_bytes += metrics
            .shuffle_read
            .map_or(0, |read| read.remote_bytes_read + read.local_bytes_read);
        stage.shuffle_write_bytes += metrics.shuffle_write.map_or(0, |write| write.bytes_written);
    }

    /// The run, its figures resolved. `log` names it in messages.
    pub fn finish(mut self, log: String) -> Run {
        self.run.log = log;
        self.run.executors.memory_bytes = self
            .run
            .properties
            .get("spark.executor.memory")
            .and_then(|text| memory_bytes(text));
        let mut stages: Vec<Stage> = Vec::with_capacity(self.stages.len());
        for ((id, attempt), mut state) in std::mem::take(&mut self.stages) {
            state.stage.id = id;
            state.stage.attempt = attempt;
            if !state.stage.task_durations_ms.is_empty() {
                let mut sorted = state.stage.task_durations_ms.clone();
                sorted.sort_unstable();
                state.stage.max_task_ms = *sorted.last().expect("not empty");
                state.stage.median_task_ms = sorted[sorted.len() / 2];
            }
            if state.stage.parents.is_empty()
                && let Some(parents) = self.stage_parents.get(&id)
            {
                state.stage.parents = parents.clone();
            }
            state.stage.job = self.stage_job.get(&id).copied();
            stages.push(state.stage);
        }
        let mut stage_ids: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
        for (&stage, &execution) in &self.stage_execution {
            stage_ids.entry(execution).or_default().push(stage);
        }
        let queries = std::mem::take(&mut self.queries);
        let mut seen = HashSet::new();
        self.run.queries = queries
            .into_iter()
            .map(|(id, state)| {
                let measured = state.plan.measure(&self, &mut seen);
                let mut stage_ids = stage_ids.remove(&id).unwrap_or_default();
                stage_ids.sort_unstable();
                Query {
                    id,
                    cache_reads: state.plan.cache_reads,
                    description: state.description,
                    started_ms: state.started_ms,
                    ended_ms: state.ended_ms,
                    modified_configs: state.modified_configs,
                    scans: measured.scans,
                    joins: measured.joins,
                    writes: measured.writes,
                    exchanges: measured.exchanges,
                    partial_aggregates: measured.partial_aggregates,
                    stage_ids,
                }
            })
            .collect();
        self.run.stages = stages;
        self.run.jobs = std::mem::take(&mut self.jobs).into_values().collect();
        self.run
    }

    /// Whether the log had the events of a Spark application at all.
    pub fn saw_application(&self) -> bool {
        self.run.app_id.is_some() || self.run.spark_version.is_some() || !self.queries.is_empty()
    }

    pub fn spark_version(&self) -> Option<&str> {
        self.run.spark_version.as_deref()
    }
}

impl Accumulators for Collector {
    fn value(&self, id: u64) -> Option<u64> {
        self.driver_values
            .get(&id)
            .or_else(|| self.task_values.get(&id))
            .copied()
    }

    fn stages(&self, id: u64) -> Vec<u64> {
        self.metric_stages.get(&id).cloned().unwrap_or_default()
    }
}

/// The major version of a Spark version string (`3.5.1` -> 3).
fn major_version(version: &str) -> Option<u32> {
    version.split('.').next()?.trim().parse().ok()
}

/// A JVM memory setting in bytes: `16g`, `1024m`, `512k`, or a bare number of MiB (Spark's
/// unit for `spark.executor.memory`).
pub fn memory_bytes(text: &str) -> Option<u64> {
    let text = text.trim().to_ascii_lowercase();
    let text = text.strip_suffix('b').unwrap_or(&text);
    let (digits, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, "m"),
    };
    let number: u64 = digits.parse().ok()?;
    let shift = match unit {
        "k" => 10,
        "m" => 20,
        "g" => 30,
        "t" => 40,
        "p" => 50,
        _ => return None,
    };
    number.checked_mul(1 << shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_settings() {
        assert_eq!(memory_bytes("16g"), Some(16 << 30));
        assert_eq!(memory_bytes("1024m"), Some(1 << 30));
        assert_eq!(memory_bytes("2048"), Some(2 << 30));
        assert_eq!(memory_bytes("4gb"), Some(4 << 30));
        assert_eq!(memory_bytes("lots"), None);
    }
}
