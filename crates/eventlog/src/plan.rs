//! The parts of a SQL execution's plan that sparkfix measures (scans, joins, writes, exchanges,
//! partial aggregations),
//! kept as accumulator ids while the log is read and turned into figures at its end
//! ([`PlanSummary::measure`]), when every stage and driver update has been seen.
//!
//! Only the final plan counts: an adaptive update replaces the summary of its execution. Its
//! nodes keep the accumulators of the query stages that already ran, so nothing measured is lost.
//!
//! A node is known by its accumulators: the plan of a cached frame appears under the
//! `InMemoryTableScan` of every query that reads the cache, with the same accumulators, but ran
//! once. [`PlanSummary::measure`] keeps a node only the first time its key (its first
//! accumulator) is met in the run.

use std::collections::HashSet;

use crate::events::PlanNode;
use crate::profile::{
    AggregateOnJoin, Exchange, Join, JoinSide, JoinStrategy, PartialAggregate, Relation, Scan,
    Write,
};
use crate::relation;

/// A plan reduced to what sparkfix measures.
#[derive(Debug, Default)]
pub struct PlanSummary {
    /// Reads of cached data (`InMemoryTableScan`).
    pub cache_reads: usize,
    scans: Vec<ScanIds>,
    joins: Vec<JoinIds>,
    writes: Vec<WriteIds>,
    exchanges: Vec<ExchangeIds>,
    aggregates: Vec<AggregateIds>,
}

/// What a plan measured, resolved to figures.
#[derive(Debug, Default)]
pub struct Measured {
    pub scans: Vec<Scan>,
    pub joins: Vec<Join>,
    pub writes: Vec<Write>,
    pub exchanges: Vec<Exchange>,
    pub partial_aggregates: Vec<PartialAggregate>,
}

#[derive(Debug)]
struct ScanIds {
    /// The node's first accumulator: the same node in another query's plan has it too.
    key: Option<u64>,
    relation: Relation,
    format: Option<String>,
    bytes: Option<u64>,
    files: Option<u64>,
    rows: Option<u64>,
    /// `data size` of the exchange right above the scan.
    exchange_bytes: Option<u64>,
}

#[derive(Debug)]
struct JoinIds {
    /// The node's first accumulator: the same node in another query's plan has it too.
    key: Option<u64>,
    strategy: JoinStrategy,
    join_type: Option<String>,
    /// `number of output rows`: the stages that updated it ran the join.
    output_rows: Option<u64>,
    left: SideIds,
    right: SideIds,
    aggregate_above: Option<AggregateOnJoinIds>,
    /// `shuffle write time` of the shuffle the join's output goes straight into.
    output_shuffle_write: Option<u64>,
}

/// A shuffle exchange above a node, with only row-wise operators between.
#[derive(Debug, Clone, Copy)]
struct ShuffleAbove {
    write_time: Option<u64>,
}

/// A grouped aggregate above a join with only row-wise operators between: no exchange.
#[derive(Debug, Clone)]
struct AggregateOnJoinIds {
    keys: Vec<String>,
    partial: bool,
    input_rows: Option<u64>,
    output_rows: Option<u64>,
    build_time: Option<u64>,
}

#[derive(Debug, Default)]
struct SideIds {
    relations: Vec<Relation>,
    exchange_bytes: Option<u64>,
    scan_bytes: Vec<u64>,
    /// The side's shuffle: `shuffle write time` (ns) and `fetch wait time` (ms) of its exchange.
    shuffle_write_time: Option<u64>,
    fetch_wait_time: Option<u64>,
    shuffle_records: Option<u64>,
    /// `sort time` (ms) of the sort on the side's spine (a sort-merge join's).
    sort_time: Option<u64>,
}

#[derive(Debug)]
struct WriteIds {
    /// The node's first accumulator: the same node in another query's plan has it too.
    key: Option<u64>,
    target: Relation,
    command: String,
    files: Option<u64>,
    bytes: Option<u64>,
    rows: Option<u64>,
    partitions: Option<u64>,
}

#[derive(Debug)]
struct ExchangeIds {
    /// The node's first accumulator: the same node in another query's plan has it too.
    key: Option<u64>,
    broadcast: bool,
    bytes: Option<u64>,
    shuffle_bytes_written: Option<u64>,
}

/// A partial (pre-shuffle) aggregation with grouping keys: an aggregate right below a shuffle.
#[derive(Debug)]
struct AggregateIds {
    /// The node's first accumulator: the same node in another query's plan has it too.
    key: Option<u64>,
    operator: String,
    keys: Vec<String>,
    input_rows: Option<u64>,
    output_rows: Option<u64>,
    build_time: Option<u64>,
    spill: Option<u64>,
}

/// Where a measured value comes from: the accumulator values and the stages that updated them.
pub trait Accumulators {
    fn value(&self, id: u64) -> Option<u64>;
    fn stages(&self, id: u64) -> Vec<u64>;
}

impl PlanSummary {
    pub fn of(root: &PlanNode) -> PlanSummary {
        let mut summary = PlanSummary::default();
        summary.visit(root, None, None, None);
        summary
    }

    /// `exchange_above`: the `data size` accumulator of the exchange above `node` with only
    /// row-wise operators between; `shuffle_above`: the shuffle exchange above `node` with only
    /// such operators between (its `shuffle write time` accumulator); `aggregate_above`: the
    /// grouped aggregate above `node` with only such operators (or its own final phase, or a
    /// broadcast join's stream side) between.
    fn visit(
        &mut self,
        node: &PlanNode,
        exchange_above: Option<u64>,
        shuffle_above: Option<ShuffleAbove>,
        aggregate_above: Option<AggregateOnJoinIds>,
    ) {
        let name = node.node_name.as_str();
        let keys = grouping_keys(&node.simple_string).filter(|keys| !keys.is_empty());
        let mut aggregate_below = if let Some(keys) = keys.filter(|_| is_aggregate(name)) {
            // The partial phase: `partial_` functions, or the final phase of the same keys
            // right above it (an aggregate without functions prints none).
            let partial = node.simple_string.contains("partial_")
                || aggregate_above
                    .as_ref()
                    .is_some_and(|above| above.keys == keys);
            Some(AggregateOnJoinIds {
                keys,
                partial,
                input_rows: input_rows(node),
                output_rows: node.metric("number of output rows"),
                build_time: node.metric("time in aggregation build"),
            })
        } else if passes_rows_through(name) && !is_exchange(name) {
            aggregate_above.clone()
        } else {
            None
        };
        if name == "InMemoryTableScan" {
            self.cache_reads += 1;
        }
        if let Some(relation) = relation::scanned(node) {
            self.scans.push(ScanIds {
                key: key(node),
                relation,
                format: node.metadata.get("Format").cloned(),
                bytes: node.metric("size of files read"),
                files: node.metric("number of files read"),
                rows: node.metric("number of output rows"),
                exchange_bytes: exchange_above,
            });
        }
        if let Some(strategy) = JoinStrategy::from_node_name(name) {
            let shuffled = strategy.shuffles_both_sides();
            self.joins.push(JoinIds {
                key: key(node),
                strategy,
                join_type: join_type(&node.simple_string),
                output_rows: node.metric("number of output rows"),
                left: node.children.first().map(side).unwrap_or_default(),
                right: node.children.get(1).map(side).unwrap_or_default(),
                aggregate_above: if shuffled {
                    aggregate_above.clone()
                } else {
                    None
                },
                output_shuffle_write: shuffle_above.and_then(|shuffle| shuffle.write_time),
            });
            // A broadcast join keeps its stream side's partitioning (its build side is under
            // a broadcast exchange); a shuffled join's sides have their own.
            aggregate_below = if shuffled { None } else { aggregate_above };
        }
        if node.metric("number of written files").is_some()
            && let Some((command, target)) = relation::written(node)
        {
            self.writes.push(WriteIds {
                key: key(node),
                target,
                command,
                files: node.metric("number of written files"),
                bytes: node.metric("written output"),
                rows: node.metric("number of output rows"),
                partitions: node.metric("number of dynamic part"),
            });
        }
        if shuffle_above.is_some()
            && is_partial_aggregate(node)
            && let Some(keys) = grouping_keys(&node.simple_string)
            && !keys.is_empty()
        {
            self.aggregates.push(AggregateIds {
                key: key(node),
                operator: name.to_string(),
                keys,
                input_rows: input_rows(node),
                output_rows: node.metric("number of output rows"),
                build_time: node.metric("time in aggregation build"),
                spill: node.metric("spill size"),
            });
        }
        let exchange = is_exchange(name);
        if exchange {
            self.exchanges.push(ExchangeIds {
                key: key(node),
                broadcast: name == "BroadcastExchange",
                bytes: node.metric("data size"),
                shuffle_bytes_written: node.metric("shuffle bytes written"),
            });
        }
        let below = if exchange {
            node.metric("data size")
        } else if passes_rows_through(name) {
            exchange_above
        } else {
            None
        };
        let shuffle_below = if name == "Exchange" {
            Some(ShuffleAbove {
                write_time: node.metric("shuffle write time"),
            })
        } else if passes_rows_through(name) {
            shuffle_above
        } else {
            None
        };
        for child in &node.children {
            self.visit(child, below, shuffle_below, aggregate_below.clone());
        }
    }

    /// The figures of this plan, from the accumulator values of the whole log. Nodes whose key
    /// is in `seen` (measured in an earlier query) are left out; the others' keys are added.
    pub fn measure(&self, accumulators: &impl Accumulators, seen: &mut HashSet<u64>) -> Measured {
        let value = |id: Option<u64>| id.and_then(|id| accumulators.value(id));
        let before = seen.clone();
        let mut new = |key: Option<u64>| match key {
            Some(key) if before.contains(&key) => false,
            Some(key) => {
                seen.insert(key);
                true
            }
            None => true,
        };
        let scans = self
            .scans
            .iter()
            .filter(|scan| new(scan.key))
            .map(|scan| Scan {
                relation: scan.relation.clone(),
                format: scan.format.clone(),
                bytes_read: value(scan.bytes),
                files_read: value(scan.files),
                rows: value(scan.rows),
                exchange_bytes: value(scan.exchange_bytes),
                stage_ids: scan
                    .rows
                    .map(|id| accumulators.stages(id))
                    .unwrap_or_default(),
            })
            .collect();
        let stages = |id: Option<u64>| id.map(|id| accumulators.stages(id)).unwrap_or_default();
        let side = |side: &SideIds| JoinSide {
            relations: side.relations.clone(),
            shuffle_write_ms: value(side.shuffle_write_time).map(|ns| ns / 1_000_000),
            fetch_wait_ms: value(side.fetch_wait_time),
            sort_ms: value(side.sort_time),
            shuffle_records: value(side.shuffle_records),
            map_stage_ids: stages(side.shuffle_write_time),
            bytes: value(side.exchange_bytes).or_else(|| {
                let read: Vec<u64> = side
                    .scan_bytes
                    .iter()
                    .filter_map(|&id| accumulators.value(id))
                    .collect();
                (!read.is_empty() && read.len() == side.scan_bytes.len()).then(|| read.iter().sum())
            }),
        };
        let joins = self
            .joins
            .iter()
            .filter(|join| new(join.key))
            .map(|join| Join {
                strategy: join.strategy,
                join_type: join.join_type.clone(),
                stage_ids: stages(join.output_rows),
                left: side(&join.left),
                right: side(&join.right),
                output_shuffle_write_ms: value(join.output_shuffle_write).map(|ns| ns / 1_000_000),
                aggregate_above: join
                    .aggregate_above
                    .as_ref()
                    .map(|aggregate| AggregateOnJoin {
                        partial: aggregate.partial,
                        input_rows: value(aggregate.input_rows),
                        output_rows: value(aggregate.output_rows),
                        build_time_ms: value(aggregate.build_time),
                    }),
            })
            .collect();
        let writes = self
            .writes
            .iter()
            .filter(|write| new(write.key))
            .map(|write| Write {
                target: write.target.clone(),
                command: write.command.clone(),
                files: value(write.files),
                bytes: value(write.bytes),
                rows: value(write.rows),
                dynamic_partitions: value(write.partitions),
            })
            .collect();
        let exchanges = self
            .exchanges
            .iter()
            .filter(|exchange| new(exchange.key))
            .map(|exchange| Exchange {
                broadcast: exchange.broadcast,
                bytes: value(exchange.bytes),
                shuffle_bytes_written: value(exchange.shuffle_bytes_written),
            })
            .collect();
        let partial_aggregates = self
            .aggregates
            .iter()
            .filter(|aggregate| new(aggregate.key))
            .map(|aggregate| PartialAggregate {
                operator: aggregate.operator.clone(),
                keys: aggregate.keys.clone(),
                input_rows: value(aggregate.input_rows),
                output_rows: value(aggregate.output_rows),
                build_time_ms: value(aggregate.build_time),
                spill_bytes: value(aggregate.spill),
                stage_ids: aggregate
                    .output_rows
                    .map(|id| accumulators.stages(id))
                    .unwrap_or_default(),
            })
            .collect();
        Measured {
            scans,
            joins,
            writes,
            exchanges,
            partial_aggregates,
        }
    }
}

/// One input of a join: the first exchange down its spine, and every relation scanned below.
fn side(root: &PlanNode) -> SideIds {
    let mut side = SideIds::default();
    let mut node = root;
    loop {
        if is_exchange(&node.node_name) {
            side.exchange_bytes = node.metric("data size");
            side.shuffle_write_time = node.metric("shuffle write time");
            side.fetch_wait_time = node.metric("fetch wait time");
            side.shuffle_records = node.metric("shuffle records written");
            break;
        }
        if node.node_name == "Sort" && side.sort_time.is_none() {
            side.sort_time = node.metric("sort time");
        }
        let spine = passes_rows_through(&node.node_name) || node.node_name == "Sort";
        match node.children.as_slice() {
            [only] if spine => node = only,
            _ => break,
        }
    }
    collect_scans(root, &mut side);
    side
}

fn collect_scans(node: &PlanNode, side: &mut SideIds) {
    if let Some(relation) = relation::scanned(node) {
        side.relations.push(relation);
        if let Some(id) = node.metric("size of files read") {
            side.scan_bytes.push(id);
        }
    }
    for child in &node.children {
        collect_scans(child, side);
    }
}

/// A node's key: its first accumulator.
fn key(node: &PlanNode) -> Option<u64> {
    node.metrics.first().map(|metric| metric.accumulator_id)
}

/// Whether `node` is the partial phase of an aggregation: its functions are `partial_` ones, or
/// it has none (a `distinct` or a group-by-only aggregate) and its input is not a shuffle (the
/// final phase of those reads one).
fn is_partial_aggregate(node: &PlanNode) -> bool {
    if !is_aggregate(&node.node_name) {
        return false;
    }
    let text = &node.simple_string;
    text.contains("partial_") || (text.contains("functions=[]") && !reads_shuffle(node))
}

/// Whether the input of `node` is a shuffle, with only row-wise operators between.
fn reads_shuffle(node: &PlanNode) -> bool {
    let mut node = node;
    loop {
        let Some(child) = node.children.first() else {
            return false;
        };
        if is_exchange(&child.node_name) || child.node_name == "ShuffleQueryStage" {
            return true;
        }
        if !passes_rows_through(&child.node_name) || node.children.len() != 1 {
            return false;
        }
        node = child;
    }
}

/// The grouping keys of an aggregate's description (`HashAggregate(keys=[a#1, b#2],
/// functions=[..])`, `SortAggregate(key=[a#1], ..)`), without their expression ids; `None`
/// when it names none.
fn grouping_keys(simple_string: &str) -> Option<Vec<String>> {
    let start = ["keys=[", "key=["]
        .iter()
        .find_map(|open| Some(simple_string.find(open)? + open.len()))?;
    let rest = &simple_string[start..];
    let mut depth = 0usize;
    let mut end = None;
    for (i, c) in rest.char_indices() {
        match c {
            '[' | '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ']' if depth == 0 => {
                end = Some(i);
                break;
            }
            ']' => depth -= 1,
            _ => {}
        }
    }
    let inner = &rest[..end?];
    let mut keys = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    for c in inner.chars() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if c == ',' && depth == 0 {
            keys.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    if !current.trim().is_empty() {
        keys.push(current);
    }
    Some(
        keys.iter()
            .map(|key| {
                let key = key.trim();
                key.rsplit_once('#')
                    .filter(|(_, id)| {
                        let id = id.strip_suffix('L').unwrap_or(id);
                        !id.is_empty() && id.chars().all(|c| c.is_ascii_digit())
                    })
                    .map_or(key, |(name, _)| name)
                    .to_string()
            })
            .collect(),
    )
}

/// The rows an operator with one input consumed: the `number of output rows` of the first node
/// down its input that counts them, with only row-wise operators that do not count between.
fn input_rows(node: &PlanNode) -> Option<u64> {
    let mut child = match node.children.as_slice() {
        [only] => only,
        _ => return None,
    };
    loop {
        if let Some(id) = child.metric("number of output rows") {
            return Some(id);
        }
        let row_wise = (passes_rows_through(&child.node_name) && child.node_name != "Filter")
            || child.node_name == "Sort";
        match child.children.as_slice() {
            [only] if row_wise => child = only,
            _ => return None,
        }
    }
}

fn is_aggregate(name: &str) -> bool {
    matches!(
        name,
        "HashAggregate" | "ObjectHashAggregate" | "SortAggregate"
    )
}

fn is_exchange(name: &str) -> bool {
    name == "Exchange" || name == "BroadcastExchange"
}

/// Operators that pass rows through one by one (or only wrap a stage): the size of an exchange
/// above them is the size of the relation below.
fn passes_rows_through(name: &str) -> bool {
    matches!(
        name,
        "Filter"
            | "Project"
            | "CollectMetrics"
            | "ColumnarToRow"
            | "RowToColumnar"
            | "InputAdapter"
            | "AQEShuffleRead"
            | "CustomShuffleReader"
            | "ShuffleQueryStage"
            | "BroadcastQueryStage"
            | "ResultQueryStage"
    ) || name.starts_with("WholeStageCodegen")
}

/// The join type in a join's description (`SortMergeJoin [a#1], [b#2], Inner`).
fn join_type(simple_string: &str) -> Option<String> {
    const TYPES: &[&str] = &[
        "Inner",
        "LeftOuter",
        "RightOuter",
        "FullOuter",
        "LeftSemi",
        "LeftAnti",
        "Cross",
        "ExistenceJoin",
    ];
    simple_string
        .split(|c: char| c == ',' || c.is_whitespace())
        .map(|word| word.split('(').next().unwrap_or(word))
        .find(|word| TYPES.contains(word))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::grouping_keys;

    #[test]
    fn grouping_keys_lose_their_expression_ids() {
        let keys = |text: &str| grouping_keys(text).map(|keys| keys.join(" | "));
        assert_eq!(
            keys(
                "HashAggregate(keys=[customer_id#2, product_category#16], functions=[partial_sum(amount#3)])"
            ),
            Some("customer_id | product_category".into())
        );
        assert_eq!(
            keys("SortAggregate(key=[transaction_id#0L], functions=[partial_max(amount#3)])"),
            Some("transaction_id".into())
        );
        assert_eq!(
            keys("HashAggregate(keys=[(id#0L % 10)#5L, substr(s#1, 1, 2)#6], functions=[])"),
            Some("(id#0L % 10) | substr(s#1, 1, 2)".into())
        );
        assert_eq!(
            keys("HashAggregate(keys=[], functions=[count(1)])"),
            Some(String::new())
        );
        assert_eq!(keys("Project [a#1]"), None);
    }
}
