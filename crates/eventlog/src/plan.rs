//! The parts of a SQL execution's plan that sparkfix measures (scans, joins, writes, exchanges),
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
use crate::profile::{Exchange, Join, JoinSide, JoinStrategy, Relation, Scan, Write};
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
    left: SideIds,
    right: SideIds,
}

#[derive(Debug, Default)]
struct SideIds {
    relations: Vec<Relation>,
    exchange_bytes: Option<u64>,
    scan_bytes: Vec<u64>,
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

/// Where a measured value comes from: the accumulator values and the stages that updated them.
pub trait Accumulators {
    fn value(&self, id: u64) -> Option<u64>;
    fn stages(&self, id: u64) -> Vec<u64>;
}

impl PlanSummary {
    pub fn of(root: &PlanNode) -> PlanSummary {
        let mut summary = PlanSummary::default();
        summary.visit(root, None);
        summary
    }

    /// `exchange_above`: the `data size` accumulator of the exchange above `node` with only
    /// row-wise operators between.
    fn visit(&mut self, node: &PlanNode, exchange_above: Option<u64>) {
        let name = node.node_name.as_str();
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
            self.joins.push(JoinIds {
                key: key(node),
                strategy,
                join_type: join_type(&node.simple_string),
                left: node.children.first().map(side).unwrap_or_default(),
                right: node.children.get(1).map(side).unwrap_or_default(),
            });
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
        for child in &node.children {
            self.visit(child, below);
        }
    }

    /// The figures of this plan, from the accumulator values of the whole log. Nodes whose key
    /// is in `seen` (measured in an earlier query) are left out; the others' keys are added.
    pub fn measure(
        &self,
        accumulators: &impl Accumulators,
        seen: &mut HashSet<u64>,
    ) -> (Vec<Scan>, Vec<Join>, Vec<Write>, Vec<Exchange>) {
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
        let side = |side: &SideIds| JoinSide {
            relations: side.relations.clone(),
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
                left: side(&join.left),
                right: side(&join.right),
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
        (scans, joins, writes, exchanges)
    }
}

/// One input of a join: the first exchange down its spine, and every relation scanned below.
fn side(root: &PlanNode) -> SideIds {
    let mut side = SideIds::default();
    let mut node = root;
    loop {
        if is_exchange(&node.node_name) {
            side.exchange_bytes = node.metric("data size");
            break;
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
