//! How a DataFrame's rows are spread over partitions when it is written: what decides the number
//! of files a write produces.

/// What produced the partitions of a DataFrame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Shape {
    /// Not known: a SQL query, a parameter, a function sparkfix cannot see into.
    #[default]
    Unknown,
    /// Read and transformed without any shuffle: one partition per input split.
    MapOnly,
    /// A shuffle (join, aggregation, distinct, sort, window...) set the partitions:
    /// `spark.sql.shuffle.partitions` of them unless Adaptive Query Execution merges them.
    Shuffled,
}

/// The partitioning facts of a DataFrame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Layout {
    pub shape: Shape,
    /// The code set the partitions after the last shuffle (`coalesce`, `repartition`,
    /// `repartitionByRange`, a `rebalance`/`repartition`/`coalesce` hint, a `limit`).
    pub controlled: bool,
    /// Cached after its last shuffle: the cached plan keeps its `spark.sql.shuffle.partitions`
    /// partitions, which Adaptive Query Execution does not merge
    /// (`spark.sql.optimizer.canChangeCachedPlanOutputPartitioning` is false by default).
    pub cached_shuffle: bool,
    /// Where the step whose shuffle set the partitions starts (its byte offset), when one step
    /// did: two frames with the same offset share those partitions, so caching the one freezes
    /// them for the other.
    pub shuffled_at: Option<usize>,
}

impl Layout {
    pub const MAP_ONLY: Layout = Layout {
        shape: Shape::MapOnly,
        controlled: false,
        cached_shuffle: false,
        shuffled_at: None,
    };
    pub const SHUFFLED: Layout = Layout {
        shape: Shape::Shuffled,
        controlled: false,
        cached_shuffle: false,
        shuffled_at: None,
    };
    pub const UNKNOWN: Layout = Layout {
        shape: Shape::Unknown,
        controlled: false,
        cached_shuffle: false,
        shuffled_at: None,
    };

    /// The layout of a union of inputs: partitions are concatenated, so the result is map-only
    /// only when every input is, and unknown when any input is.
    pub fn union(inputs: impl IntoIterator<Item = Layout>) -> Layout {
        let mut shape = Shape::MapOnly;
        for input in inputs {
            match input.shape {
                Shape::Unknown => return Layout::UNKNOWN,
                Shape::Shuffled => shape = Shape::Shuffled,
                Shape::MapOnly => {}
            }
        }
        Layout {
            shape,
            controlled: false,
            cached_shuffle: false,
            shuffled_at: None,
        }
    }

    /// The layout after a step at byte `offset` that shuffles the rows.
    pub fn shuffled_by(offset: usize) -> Layout {
        Layout {
            shuffled_at: Some(offset),
            ..Layout::SHUFFLED
        }
    }

    /// A layout whose partitions a step of the code set (`repartition`, a partitioning hint, a
    /// `limit`): they are shuffled but not left for Spark to choose.
    pub const CONTROLLED_SHUFFLE: Layout = Layout {
        shape: Shape::Shuffled,
        controlled: true,
        cached_shuffle: false,
        shuffled_at: None,
    };

    /// The layout once cached: a shuffled plan keeps its partitions.
    pub fn cached(self) -> Layout {
        Layout {
            cached_shuffle: self.shape == Shape::Shuffled && !self.controlled,
            ..self
        }
    }

    /// The layout that holds for every one of several bindings of a name (shuffled by one step
    /// only when every binding was shuffled by that step).
    pub fn common(inputs: impl IntoIterator<Item = Layout>) -> Layout {
        let mut inputs = inputs.into_iter();
        let Some(mut first) = inputs.next() else {
            return Layout::UNKNOWN;
        };
        for layout in inputs {
            if layout.shuffled_at != first.shuffled_at {
                first.shuffled_at = None;
            }
            let layout = Layout {
                shuffled_at: first.shuffled_at,
                ..layout
            };
            if layout != first {
                return Layout::UNKNOWN;
            }
        }
        first
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unions_are_map_only_only_when_every_input_is() {
        assert_eq!(
            Layout::union([Layout::MAP_ONLY, Layout::MAP_ONLY]),
            Layout::MAP_ONLY
        );
        assert_eq!(
            Layout::union([Layout::MAP_ONLY, Layout::SHUFFLED]),
            Layout::SHUFFLED
        );
        assert_eq!(
            Layout::union([Layout::SHUFFLED, Layout::UNKNOWN]),
            Layout::UNKNOWN
        );
    }

    #[test]
    fn bindings_shuffled_by_different_steps_share_the_shape_but_not_the_step() {
        assert_eq!(
            Layout::common([Layout::shuffled_by(10), Layout::shuffled_by(10)]),
            Layout::shuffled_by(10)
        );
        assert_eq!(
            Layout::common([Layout::shuffled_by(10), Layout::shuffled_by(20)]),
            Layout::SHUFFLED
        );
        assert_eq!(
            Layout::common([Layout::shuffled_by(10), Layout::MAP_ONLY]),
            Layout::UNKNOWN
        );
    }
}
