//! What a run would have taken on another number of task slots, from its own measured task
//! times: each job's stages are replayed on the stage graph, a stage after its parents, each of
//! its tasks in the first slot that is free (the completion estimator of Sparklens). Time outside
//! every job (the driver's own work, planning, Python between actions) is measured and kept as
//! it was: more executors do not shorten it.
//!
//! Jobs whose measured intervals overlap (a broadcast or a subquery running beside the job that
//! waits for it) are replayed together on the same slots; other jobs one after the other, as
//! the driver ran them. The model ignores what changes with the slot count besides scheduling
//! (shuffle fetch over more machines, executor start-up, memory per core), so its error on the
//! measured slot count is part of every estimate: [`SlotsEstimate::error`].

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use crate::profile::{Job, Query, Run};

/// A run's modelled duration on a number of task slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replay {
    pub slots: u32,
    /// Measured time outside every job, kept as it was.
    pub driver_ms: u64,
    /// The jobs' modelled wall time on `slots` slots.
    pub jobs_ms: u64,
}

impl Replay {
    pub fn total_ms(&self) -> u64 {
        self.driver_ms + self.jobs_ms
    }
}

/// The replay of a run on its own measured slots, against what the run measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SlotsEstimate {
    pub replay: Replay,
    pub measured_ms: u64,
}

impl SlotsEstimate {
    /// The model's relative error on the measured run: `(modelled - measured) / measured`.
    pub fn error(&self) -> f64 {
        (self.replay.total_ms() as f64 - self.measured_ms as f64) / self.measured_ms.max(1) as f64
    }
}

/// The task slots the run had at its peak: executors x cores per executor (a local run's
/// driver is its one executor).
pub fn measured_slots(run: &Run) -> Option<u32> {
    let cores = run.executors.cores?;
    let executors = run.executors.peak_count.max(1);
    Some(executors * cores).filter(|&slots| slots > 0)
}

/// The run replayed on its measured slots, with its measured duration; `None` when the log
/// lacks the run's start and end, its jobs' times or its executors' cores.
pub fn on_measured_slots(run: &Run) -> Option<SlotsEstimate> {
    Some(SlotsEstimate {
        replay: replay(run, measured_slots(run)?)?,
        measured_ms: run.duration_ms()?,
    })
}

/// The sum of every successful task's duration: the work to share among the slots.
pub fn task_time_ms(run: &Run) -> u64 {
    run.stages.iter().map(|stage| stage.task_time_ms).sum()
}

/// Task time over the time the slots were there: `task time / (slots x duration)`.
pub fn utilization(run: &Run, slots: u32, duration_ms: u64) -> f64 {
    task_time_ms(run) as f64 / (slots.max(1) as f64 * duration_ms.max(1) as f64)
}

/// The run replayed on `slots` task slots; `None` when the log lacks the run's start and end or
/// its jobs' submission and completion times.
pub fn replay(run: &Run, slots: u32) -> Option<Replay> {
    let duration = run.duration_ms()?;
    let groups = job_groups(&run.jobs);
    if groups.is_empty() && !run.jobs.is_empty() {
        return None;
    }
    let measured_jobs: u64 = groups.iter().map(|g| g.end - g.start).sum();
    let graph = StageGraph::of(run);
    let jobs_ms = groups
        .iter()
        .map(|group| schedule(&graph.nodes(group), slots.max(1)))
        .sum();
    Some(Replay {
        slots: slots.max(1),
        driver_ms: duration.saturating_sub(measured_jobs),
        jobs_ms,
    })
}

/// A change to a run's measured work, for modelling what a fix would save (or cost).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// The SQL execution no longer runs (its action is gone): its stages are skipped, and the
    /// time it spent outside its jobs (planning, the driver's part of the query) is taken off
    /// the run.
    SkipQuery { query: u64 },
    /// The stage no longer runs (it reads a cache instead, or a broadcast joins its rows in the
    /// stage that scans them).
    Skip { stage: u64 },
    /// The stage's tasks do `task_ms` less work in all, shared in proportion to their durations.
    Shorten { stage: u64, task_ms: u64 },
    /// The stage's tasks do `task_ms` more work in all (an operator the fix adds), shared in
    /// proportion to their durations.
    Lengthen { stage: u64, task_ms: u64 },
}

impl Change {
    /// The stage the change acts on; `None` for a whole query.
    pub fn stage(self) -> Option<u64> {
        match self {
            Change::SkipQuery { .. } => None,
            Change::Skip { stage }
            | Change::Shorten { stage, .. }
            | Change::Lengthen { stage, .. } => Some(stage),
        }
    }
}

/// The run with `changes` applied to its stages' tasks (what [`replay`] then schedules). A
/// skipped stage stays skipped whatever else changes it.
pub fn changed(run: &Run, changes: &[Change]) -> Run {
    let mut skipped: Vec<u64> = Vec::new();
    let mut cut: Vec<(u64, u64)> = Vec::new();
    for change in changes {
        match *change {
            Change::SkipQuery { query } => {
                let Some(query) = run.queries.iter().find(|q| q.id == query) else {
                    continue;
                };
                skipped.extend(&query.stage_ids);
                cut.extend(outside_jobs(run, query));
            }
            Change::Skip { stage } => skipped.push(stage),
            _ => {}
        }
    }
    let mut changed = run.clone();
    shift_after_cuts(&mut changed, &merged_spans(cut));
    for stage in &mut changed.stages {
        if skipped.contains(&stage.id) {
            stage.task_durations_ms.clear();
            stage.task_time_ms = 0;
            continue;
        }
        let mut delta: i64 = 0;
        for change in changes.iter().filter(|c| c.stage() == Some(stage.id)) {
            match *change {
                Change::Shorten { task_ms, .. } => delta -= task_ms as i64,
                Change::Lengthen { task_ms, .. } => delta += task_ms as i64,
                _ => {}
            }
        }
        let total: u64 = stage.task_durations_ms.iter().sum();
        if delta == 0 || total == 0 {
            continue;
        }
        let scale = (total as i64 + delta).max(0) as f64 / total as f64;
        for duration in &mut stage.task_durations_ms {
            *duration = (*duration as f64 * scale).round() as u64;
        }
        stage.task_time_ms = stage.task_durations_ms.iter().sum();
    }
    changed
}

/// The parts of a SQL execution's span that none of its jobs covers (planning, the driver's
/// part of the query): what goes when the execution no longer runs.
fn outside_jobs(run: &Run, query: &Query) -> Vec<(u64, u64)> {
    let (Some(start), Some(end)) = (query.started_ms, query.ended_ms) else {
        return Vec::new();
    };
    let jobs = merged_spans(
        run.jobs
            .iter()
            .filter(|job| job.stage_ids.iter().any(|id| query.stage_ids.contains(id)))
            .filter_map(|job| {
                let from = job.submitted_ms?.clamp(start, end);
                let to = job.completed_ms?.clamp(start, end);
                (to > from).then_some((from, to))
            })
            .collect(),
    );
    let mut gaps = Vec::new();
    let mut at = start;
    for (from, to) in jobs {
        if from > at {
            gaps.push((at, from));
        }
        at = at.max(to);
    }
    if end > at {
        gaps.push((at, end));
    }
    gaps
}

/// `spans` sorted, overlapping ones joined.
fn merged_spans(mut spans: Vec<(u64, u64)>) -> Vec<(u64, u64)> {
    spans.sort_unstable();
    let mut merged: Vec<(u64, u64)> = Vec::new();
    for (from, to) in spans {
        match merged.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(to),
            _ => merged.push((from, to)),
        }
    }
    merged
}

/// Every time of the run moved earlier by the length of the `cuts` (sorted, disjoint) before
/// it: the run as if those spans had not happened.
fn shift_after_cuts(run: &mut Run, cuts: &[(u64, u64)]) {
    if cuts.is_empty() {
        return;
    }
    let shift = |time: &mut Option<u64>| {
        if let Some(t) = time {
            let removed: u64 = cuts
                .iter()
                .map(|&(from, to)| to.min(*t).saturating_sub(from))
                .sum();
            *t -= removed;
        }
    };
    shift(&mut run.ended_ms);
    for job in &mut run.jobs {
        shift(&mut job.submitted_ms);
        shift(&mut job.completed_ms);
    }
    for query in &mut run.queries {
        shift(&mut query.started_ms);
        shift(&mut query.ended_ms);
    }
    for stage in &mut run.stages {
        shift(&mut stage.submitted_ms);
        shift(&mut stage.completed_ms);
    }
}

/// Executor counts worth modelling around the measured peak: a quarter, a half, the peak, twice
/// and four times it, and 1 (each at the measured cores per executor).
pub fn candidate_executors(peak: u32) -> Vec<u32> {
    let peak = peak.max(1);
    let mut counts = vec![1, peak / 4, peak / 2, peak, peak * 2, peak * 4];
    counts.retain(|&count| count >= 1);
    counts.sort_unstable();
    counts.dedup();
    counts
}

/// The run replayed at each executor count (cores per executor as measured), fewest first;
/// empty when the log cannot be replayed.
pub fn at_executor_counts(run: &Run, counts: &[u32]) -> Vec<(u32, Replay)> {
    let Some(cores) = run.executors.cores.filter(|&cores| cores > 0) else {
        return Vec::new();
    };
    counts
        .iter()
        .filter_map(|&count| Some((count, replay(run, count * cores)?)))
        .collect()
}

/// The fewest executors whose modelled duration is within `tolerance` (0.1 = 10%) of the
/// fastest modelled one.
pub fn smallest_within(replays: &[(u32, Replay)], tolerance: f64) -> Option<(u32, Replay)> {
    let best = replays.iter().map(|(_, r)| r.total_ms()).min()?;
    let bound = best as f64 * (1.0 + tolerance.max(0.0));
    replays
        .iter()
        .filter(|(_, r)| r.total_ms() as f64 <= bound)
        .min_by_key(|(count, _)| *count)
        .copied()
}

/// One stage to replay: its parents and its tasks' durations.
#[derive(Debug, Clone, Copy)]
pub struct StageNode<'a> {
    pub id: u64,
    pub parents: &'a [u64],
    pub durations: &'a [u64],
}

/// The wall time of a set of stages on `slots` slots: a stage starts when every parent in the
/// set has ended (parents outside it ran before), the ready stage that became ready first goes
/// next, and each of its tasks takes the slot that frees first, in the order the tasks ran.
pub fn schedule(stages: &[StageNode<'_>], slots: u32) -> u64 {
    schedule_spans(stages, slots)
        .iter()
        .map(|&(_, _, end)| end)
        .max()
        .unwrap_or(0)
}

/// [`schedule`], with when each stage starts and ends: `(stage, start, end)`, in the order the
/// stages were placed.
fn schedule_spans(stages: &[StageNode<'_>], slots: u32) -> Vec<(u64, u64, u64)> {
    let mut free: BinaryHeap<Reverse<u64>> = (0..slots.max(1)).map(|_| Reverse(0)).collect();
    let mut ended: BTreeMap<u64, u64> = BTreeMap::new();
    let mut spans = Vec::with_capacity(stages.len());
    let mut pending: Vec<&StageNode<'_>> = stages.iter().collect();
    let in_set = |id: &u64| stages.iter().any(|s| s.id == *id);
    while !pending.is_empty() {
        // The stages whose parents in the set have all ended, with the time they became ready.
        let ready = pending
            .iter()
            .enumerate()
            .filter_map(|(at, stage)| {
                let mut ready_at = 0;
                for parent in stage.parents.iter().filter(|p| in_set(p)) {
                    ready_at = ready_at.max(*ended.get(parent)?);
                }
                Some((ready_at, stage.id, at))
            })
            .min();
        // A parent that never ends here (a cycle in a damaged log): take the first stage.
        let (ready_at, _, at) = ready.unwrap_or((0, pending[0].id, 0));
        let stage = pending.remove(at);
        let mut end = ready_at;
        let mut start = None;
        for &duration in stage.durations {
            let Reverse(slot_free) = free.pop().expect("at least one slot");
            let begin = slot_free.max(ready_at);
            start = Some(start.map_or(begin, |s: u64| s.min(begin)));
            let finish = begin + duration;
            end = end.max(finish);
            free.push(Reverse(finish));
        }
        ended.insert(stage.id, end);
        spans.push((stage.id, start.unwrap_or(ready_at), end));
    }
    spans
}

/// When one stage ran, in milliseconds from the run's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Span {
    pub stage: u64,
    pub start_ms: u64,
    pub end_ms: u64,
    /// The stage's task time (the work its tasks did in all).
    pub task_ms: u64,
}

/// When each stage ran as the log measured it (submission to completion, from the run's start).
pub fn measured_timeline(run: &Run) -> Vec<Span> {
    let Some(origin) = run.started_ms else {
        return Vec::new();
    };
    let mut spans: Vec<Span> = run
        .stages
        .iter()
        .filter(|stage| stage.tasks > 0)
        .filter_map(|stage| {
            Some(Span {
                stage: stage.id,
                start_ms: stage.submitted_ms?.saturating_sub(origin),
                end_ms: stage.completed_ms?.saturating_sub(origin),
                task_ms: stage.task_time_ms,
            })
        })
        .collect();
    spans.sort_by_key(|span| (span.start_ms, span.stage));
    spans
}

/// When each stage would run on `slots` slots, as [`replay`] models it: the groups of jobs in
/// their measured order, each group's stages scheduled on the slots, the measured time between
/// groups (the driver's own work) kept.
pub fn modelled_timeline(run: &Run, slots: u32) -> Vec<Span> {
    let groups = job_groups(&run.jobs);
    let Some(origin) = run.started_ms else {
        return Vec::new();
    };
    let graph = StageGraph::of(run);
    let mut spans = Vec::new();
    let mut clock = 0u64;
    let mut measured_end = origin;
    for group in &groups {
        // The driver's time before this group, as measured.
        clock += group.start.saturating_sub(measured_end);
        measured_end = measured_end.max(group.end);
        let placed = schedule_spans(&graph.nodes(group), slots.max(1));
        let mut group_end = 0;
        for (stage, start, end) in placed {
            group_end = group_end.max(end);
            spans.push(Span {
                stage,
                start_ms: clock + start,
                end_ms: clock + end,
                task_ms: graph.tasks.get(&stage).map_or(0, |d| d.iter().sum()),
            });
        }
        clock += group_end;
    }
    spans.sort_by_key(|span| (span.start_ms, span.stage));
    spans
}

/// A run's stages as the replay sees them: every attempt's successful task durations, the
/// parents, the job of each stage.
struct StageGraph<'r> {
    tasks: BTreeMap<u64, Vec<u64>>,
    parents: BTreeMap<u64, &'r [u64]>,
    job: BTreeMap<u64, u64>,
}

impl<'r> StageGraph<'r> {
    fn of(run: &'r Run) -> Self {
        let mut graph = StageGraph {
            tasks: BTreeMap::new(),
            parents: BTreeMap::new(),
            job: BTreeMap::new(),
        };
        for stage in &run.stages {
            // Every attempt's successful tasks ran: they all take a slot.
            graph
                .tasks
                .entry(stage.id)
                .or_default()
                .extend(&stage.task_durations_ms);
            if !stage.parents.is_empty() || !graph.parents.contains_key(&stage.id) {
                graph.parents.insert(stage.id, &stage.parents);
            }
            if let Some(job) = stage.job {
                graph.job.insert(stage.id, job);
            }
        }
        graph
    }

    /// The stages with tasks of the jobs in `group`.
    fn nodes(&self, group: &JobGroup) -> Vec<StageNode<'_>> {
        self.tasks
            .iter()
            .filter(|(id, durations)| {
                !durations.is_empty()
                    && self.job.get(id).is_some_and(|job| group.jobs.contains(job))
            })
            .map(|(&id, durations)| StageNode {
                id,
                parents: self.parents.get(&id).copied().unwrap_or(&[]),
                durations,
            })
            .collect()
    }
}

/// Jobs whose measured intervals overlap, merged: each group is replayed on its own.
struct JobGroup {
    start: u64,
    end: u64,
    jobs: Vec<u64>,
}

fn job_groups(jobs: &[Job]) -> Vec<JobGroup> {
    let mut timed: Vec<(u64, u64, u64)> = jobs
        .iter()
        .filter_map(|job| Some((job.submitted_ms?, job.completed_ms?, job.id)))
        .collect();
    timed.sort_unstable();
    let mut groups: Vec<JobGroup> = Vec::new();
    for (start, end, id) in timed {
        match groups.last_mut() {
            Some(group) if start < group.end => {
                group.end = group.end.max(end);
                group.jobs.push(id);
            }
            _ => groups.push(JobGroup {
                start,
                end: end.max(start),
                jobs: vec![id],
            }),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{Executors, Stage};

    fn stage(id: u64, job: u64, parents: &[u64], durations: &[u64]) -> Stage {
        Stage {
            id,
            job: Some(job),
            parents: parents.to_vec(),
            tasks: durations.len() as u64,
            task_time_ms: durations.iter().sum(),
            task_durations_ms: durations.to_vec(),
            ..Stage::default()
        }
    }

    fn query(id: u64, stages: &[u64], started: u64, ended: u64) -> Query {
        Query {
            id,
            stage_ids: stages.to_vec(),
            started_ms: Some(started),
            ended_ms: Some(ended),
            ..Query::default()
        }
    }

    fn job(id: u64, stages: &[u64], submitted: u64, completed: u64) -> Job {
        Job {
            id,
            stage_ids: stages.to_vec(),
            submitted_ms: Some(submitted),
            completed_ms: Some(completed),
        }
    }

    #[test]
    fn a_stage_waits_for_its_parents_and_tasks_take_the_first_free_slot() {
        // Two scans in parallel (4 x 10 ms and 2 x 30 ms), then a join of 3 x 20 ms.
        let scan_a = [10, 10, 10, 10];
        let scan_b = [30, 30];
        let join = [20, 20, 20];
        let graph = [
            StageNode {
                id: 0,
                parents: &[],
                durations: &scan_a,
            },
            StageNode {
                id: 1,
                parents: &[],
                durations: &scan_b,
            },
            StageNode {
                id: 2,
                parents: &[0, 1],
                durations: &join,
            },
        ];
        // One slot: everything in a row, 160 ms.
        assert_eq!(schedule(&graph, 1), 160);
        // Two slots: scan A takes both slots to 20 ms, scan B runs 20..50 on both; the join
        // starts at 50: two tasks to 70, the third to 90.
        assert_eq!(schedule(&graph, 2), 90);
        // Four slots: A ends at 10 on all four, B runs 10..40 on two of them (slots are taken
        // in the order they free), the join starts at 40 and ends at 60.
        assert_eq!(schedule(&graph, 4), 60);
        // Enough slots for everything at once: the critical path, 30 + 20.
        assert_eq!(schedule(&graph, 16), 50);
    }

    #[test]
    fn driver_time_is_kept_and_overlapping_jobs_share_the_slots() {
        let run = Run {
            started_ms: Some(0),
            ended_ms: Some(1_000),
            executors: Executors {
                peak_count: 1,
                cores: Some(2),
                ..Executors::default()
            },
            // Job 0 (0..300) and job 1 (100..250) overlap; job 2 runs 600..700.
            jobs: vec![
                job(0, &[0, 1], 0, 300),
                job(1, &[2], 100, 250),
                job(2, &[3], 600, 700),
            ],
            stages: vec![
                stage(0, 0, &[], &[100, 100, 100, 100]),
                stage(1, 0, &[0], &[50, 50]),
                stage(2, 1, &[], &[100]),
                stage(3, 2, &[], &[100]),
            ],
            ..Run::default()
        };
        // Measured: 300 ms of jobs in the first group, 100 in the second; 600 ms outside jobs.
        let on_two = replay(&run, 2).unwrap();
        assert_eq!(on_two.driver_ms, 600);
        // Group 1 on 2 slots: stage 0 takes both slots to 200 ms; stage 2 (ready at 0) goes
        // before stage 1 (ready at 200) and runs 200..300 on one slot, stage 1 200..250 and
        // 250..300 on the other. Group 2: 100 ms.
        assert_eq!(on_two.jobs_ms, 300 + 100);
        assert_eq!(on_two.total_ms(), 1_000);
        let estimate = on_measured_slots(&run).unwrap();
        assert_eq!(estimate.replay, on_two);
        assert!(estimate.error().abs() < 1e-9);
        // On 8 slots: group 1 is 100 (stage 0 and 2 at once) + 50; group 2 is 100.
        assert_eq!(replay(&run, 8).unwrap().jobs_ms, 250);
        assert!((utilization(&run, 2, 1_000) - 0.35).abs() < 1e-9);

        // Executors of 2 cores: 1 (the measured run), 2 and 4.
        let sized = at_executor_counts(&run, &candidate_executors(1)[..]);
        assert_eq!(sized.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [1, 2, 4]);
        let totals: Vec<u64> = sized.iter().map(|(_, r)| r.total_ms()).collect();
        // 2 executors (4 slots): group 1 is 100 (stage 0) then stage 2 at 100..200 beside
        // stage 1 at 100..150; 4 executors: 150 as on 8 slots.
        assert_eq!(totals, [1_000, 900, 850]);
        // Within 10% of the best (850): 900 on 2 executors.
        assert_eq!(smallest_within(&sized, 0.1).map(|(n, _)| n), Some(2));
        assert_eq!(smallest_within(&sized, 0.0).map(|(n, _)| n), Some(4));

        // The modelled timeline on 8 slots: group 1 from 0 (stages 0 and 2 at once, then stage
        // 1 at 100..150); the 300 ms the driver spent before job 2 kept: group 2 at 450..550.
        let spans: Vec<(u64, u64, u64)> = modelled_timeline(&run, 8)
            .iter()
            .map(|span| (span.stage, span.start_ms, span.end_ms))
            .collect();
        assert_eq!(
            spans,
            [(0, 0, 100), (2, 0, 100), (1, 100, 150), (3, 450, 550)]
        );
        // As measured: stages have no submission times in this run, so no spans.
        assert!(measured_timeline(&run).is_empty());

        // Skipping stage 3 and halving stage 0's work: group 1 on 2 slots is stage 0 (2 x 50)
        // beside nothing, then stage 2 and stage 1: 100 + 100; group 2 is gone.
        let lighter = changed(
            &run,
            &[
                Change::Skip { stage: 3 },
                Change::Shorten {
                    stage: 0,
                    task_ms: 200,
                },
            ],
        );
        assert_eq!(task_time_ms(&lighter), 200 + 100 + 100);
        assert_eq!(replay(&lighter, 2).unwrap().jobs_ms, 200);
    }

    #[test]
    fn a_skipped_query_takes_its_planning_time_and_a_lengthened_stage_runs_longer() {
        // Query 0 spans 100..500 with its one job at 200..400 (200 ms outside the job); query
        // 1 spans 600..900 with its job at 650..850.
        let run = Run {
            started_ms: Some(0),
            ended_ms: Some(1_000),
            executors: Executors {
                peak_count: 1,
                cores: Some(2),
                ..Executors::default()
            },
            queries: vec![query(0, &[0], 100, 500), query(1, &[1], 600, 900)],
            jobs: vec![job(0, &[0], 200, 400), job(1, &[1], 650, 850)],
            stages: vec![stage(0, 0, &[], &[200, 200]), stage(1, 1, &[], &[100, 100])],
            ..Run::default()
        };
        let before = replay(&run, 2).unwrap();
        assert_eq!((before.driver_ms, before.jobs_ms), (600, 300));

        let without = changed(&run, &[Change::SkipQuery { query: 0 }]);
        // The query's 200 ms outside its job go from the run, and every later time moves up.
        assert_eq!(without.duration_ms(), Some(800));
        assert_eq!(without.jobs[1].submitted_ms, Some(450));
        let twice = changed(&run, &[Change::SkipQuery { query: 0 }; 2]);
        assert_eq!(
            twice.duration_ms(),
            Some(800),
            "two fixes removing one query"
        );
        // Its job's stage is skipped too: 400 ms of driver time, 0 + 100 ms of jobs.
        assert_eq!(replay(&without, 2).unwrap().total_ms(), 500);

        // A lengthened stage: 200 ms more work over its two tasks, 100 ms more wall time.
        let heavier = changed(
            &without,
            &[Change::Lengthen {
                stage: 1,
                task_ms: 200,
            }],
        );
        assert_eq!(heavier.stages[1].task_durations_ms, [200, 200]);
        assert_eq!(replay(&heavier, 2).unwrap().total_ms(), 600);

        // Work added to a stage the same changes skip is not counted.
        let both = changed(
            &run,
            &[
                Change::Lengthen {
                    stage: 0,
                    task_ms: 1_000,
                },
                Change::SkipQuery { query: 0 },
            ],
        );
        assert_eq!(task_time_ms(&both), 200);
    }

    #[test]
    fn candidate_counts_around_the_peak() {
        assert_eq!(candidate_executors(1), [1, 2, 4]);
        assert_eq!(candidate_executors(10), [1, 2, 5, 10, 20, 40]);
    }
}
