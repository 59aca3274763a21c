//! What running a DataFrame's lineage again costs, and how much of it each action reads: the
//! facts that decide whether a cache pays (the facts page, "What an action costs").

/// A step of a lineage that is costly to run again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CostlyKind {
    /// A join reads and matches both sides.
    Join,
    /// An exchange: an aggregation, `distinct`, a window, a repartition.
    Shuffle,
    /// A row-format file read (CSV, JSON, text...): every byte is parsed, no column pruning.
    RowSource,
    /// A read from a database, warehouse or service.
    RemoteSource,
    /// A SQL query that joins or aggregates.
    SqlQuery,
    /// A Python UDF: every row goes through a Python worker.
    Udf,
}

impl CostlyKind {
    pub fn describe(self) -> &'static str {
        match self {
            CostlyKind::Join => "a join",
            CostlyKind::Shuffle => "a shuffle",
            CostlyKind::RowSource => "a row-format read",
            CostlyKind::RemoteSource => "a read from an external system",
            CostlyKind::SqlQuery => "a SQL join or aggregation",
            CostlyKind::Udf => "a Python UDF",
        }
    }
}

/// The first costly step of a lineage and where it is (a byte offset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Costly {
    pub kind: CostlyKind,
    pub at: usize,
}

/// What recomputing a DataFrame costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Recompute {
    /// The first step that makes recomputing it costly; `None` when nothing in the code proves
    /// it costly (a columnar scan with narrow steps, or a lineage sparkfix cannot see).
    pub costly: Option<Costly>,
    /// Read from columnar files or a catalog table through narrow steps only: `count()` on it
    /// reads metadata or the filter's columns, not the rows.
    pub columnar_scan: bool,
    /// An exchange stands in the lineage (a join, an aggregation, a window, a SQL join): even a
    /// limited action runs it in full first.
    pub shuffles: bool,
    /// A global sort stands in the lineage: a limited action over it reads every input row (a
    /// top-N, without the sort's shuffle). A sort alone does not make a lineage worth caching:
    /// the cache would run the whole sort where the limited actions only take the top rows.
    pub sorts: bool,
}

impl Recompute {
    /// A lineage made costly by `kind` at `at`, unless an earlier step already was.
    pub fn with(self, kind: CostlyKind, at: usize) -> Recompute {
        Recompute {
            costly: self.costly.or(Some(Costly { kind, at })),
            columnar_scan: false,
            shuffles: self.shuffles
                || matches!(
                    kind,
                    CostlyKind::Join | CostlyKind::Shuffle | CostlyKind::SqlQuery
                ),
            sorts: self.sorts,
        }
    }

    /// The lineage after a global sort (`orderBy`, `sort`).
    pub fn sorted(self) -> Recompute {
        Recompute {
            columnar_scan: false,
            sorts: true,
            ..self
        }
    }

    /// The cost of a value built from several inputs (a union): costly if any input is.
    pub fn any(inputs: impl IntoIterator<Item = Recompute>) -> Recompute {
        let mut costly = None;
        let mut columnar_scan = true;
        let mut shuffles = false;
        let mut sorts = false;
        for input in inputs {
            costly = costly.or(input.costly);
            columnar_scan &= input.columnar_scan;
            shuffles |= input.shuffles;
            sorts |= input.sorts;
        }
        Recompute {
            costly,
            columnar_scan: columnar_scan && costly.is_none(),
            shuffles,
            sorts,
        }
    }

    /// The cost that holds for every one of `inputs` (the bindings of a name after a branch or
    /// a loop): costly only if each is.
    pub fn all(inputs: impl IntoIterator<Item = Recompute>) -> Recompute {
        let mut costly: Option<Option<Costly>> = None;
        let mut columnar_scan = true;
        let mut shuffles = true;
        let mut sorts = true;
        for input in inputs {
            costly = Some(match costly {
                None => input.costly,
                Some(so_far) => so_far.and(input.costly),
            });
            columnar_scan &= input.columnar_scan;
            shuffles &= input.shuffles;
            sorts &= input.sorts;
        }
        Recompute {
            costly: costly.flatten(),
            columnar_scan,
            shuffles,
            sorts,
        }
    }
}

/// How much of its lineage an action reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// Every partition of every stage: writes, `collect`, `toPandas`, `foreach`, `count()` on
    /// anything but a columnar scan, and limited actions on a lineage with a shuffle.
    Full,
    /// A few partitions: `show`, `take`, `head`, `first`, `isEmpty`, `display` on a lineage
    /// without a shuffle or a sort.
    Limited,
    /// `count()` on a columnar scan: metadata or one column.
    MetadataLight,
}

/// Actions that stop after a few rows when no shuffle stands before them.
const LIMITED_ACTIONS: &[&str] = &["show", "take", "head", "first", "isEmpty", "display"];

/// How much of a lineage costing `recompute` the action `method` reads.
pub fn pass_of(method: &str, recompute: Recompute) -> Pass {
    if method == "count" && recompute.columnar_scan {
        Pass::MetadataLight
    } else if LIMITED_ACTIONS.contains(&method) && !recompute.shuffles && !recompute.sorts {
        Pass::Limited
    } else {
        Pass::Full
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCAN: Recompute = Recompute {
        costly: None,
        columnar_scan: true,
        shuffles: false,
        sorts: false,
    };

    #[test]
    fn counts_on_columnar_scans_are_light() {
        assert_eq!(pass_of("count", SCAN), Pass::MetadataLight);
        let joined = SCAN.with(CostlyKind::Join, 10);
        assert_eq!(pass_of("count", joined), Pass::Full);
        assert_eq!(pass_of("show", SCAN), Pass::Limited);
        assert_eq!(pass_of("show", joined), Pass::Full);
        assert_eq!(pass_of("parquet", SCAN), Pass::Full);
        let csv = Recompute::default().with(CostlyKind::RowSource, 0);
        assert_eq!(pass_of("first", csv), Pass::Limited);
        assert_eq!(pass_of("count", csv), Pass::Full);
        // The first costly step is the read; the aggregation after it still shuffles.
        let aggregated = csv.with(CostlyKind::Shuffle, 9);
        assert_eq!(pass_of("show", aggregated), Pass::Full);
        // `first()` of a sorted scan reads every row (a top-N), but a sort alone is not costly.
        let sorted = SCAN.sorted();
        assert_eq!(pass_of("first", sorted), Pass::Full);
        assert_eq!(sorted.costly, None);
    }

    #[test]
    fn branches_are_costly_only_when_each_is() {
        let csv = Recompute::default().with(CostlyKind::RowSource, 0);
        assert_eq!(Recompute::all([csv, SCAN]).costly, None);
        assert_eq!(Recompute::all([csv, csv]).costly, csv.costly);
        assert_eq!(Recompute::any([csv, SCAN]).costly, csv.costly);
        assert!(!Recompute::any([csv, SCAN]).columnar_scan);
        assert!(Recompute::any([SCAN, SCAN]).columnar_scan);
        assert_eq!(
            SCAN.with(CostlyKind::Join, 5)
                .with(CostlyKind::Shuffle, 9)
                .costly
                .unwrap()
                .at,
            5
        );
    }
}
