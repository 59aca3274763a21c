//! What a run costs: a price per core-hour, per DPU-hour (AWS Glue: 1 DPU = 4 vCPU and 16 GB)
//! or per instance-hour (one executor per instance), times the cluster's size and the run's
//! duration. Only the compute the job holds is priced: the driver's own machine, storage and
//! requests are not.

use serde::Serialize;

/// AWS Glue's price per DPU-hour in most regions (the default when no price is given).
pub const GLUE_DPU_HOUR: f64 = 0.44;
/// vCPUs in one Glue DPU.
pub const CORES_PER_DPU: f64 = 4.0;

/// How compute is billed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "unit", rename_all = "snake_case")]
pub enum Pricing {
    /// Per core (vCPU) and hour.
    CoreHour { price: f64 },
    /// Per AWS Glue DPU and hour: `cores / 4` DPUs.
    DpuHour { price: f64 },
    /// Per instance and hour, one executor per instance.
    InstanceHour { price: f64 },
}

impl Default for Pricing {
    fn default() -> Self {
        Pricing::DpuHour {
            price: GLUE_DPU_HOUR,
        }
    }
}

/// A cluster to price: executors and cores each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cluster {
    pub executors: u32,
    pub cores_per_executor: u32,
}

impl Cluster {
    pub fn slots(self) -> u32 {
        self.executors * self.cores_per_executor
    }
}

impl Pricing {
    /// The billed units of `cluster` (cores, DPUs or instances).
    pub fn units(self, cluster: Cluster) -> f64 {
        match self {
            Pricing::CoreHour { .. } => f64::from(cluster.slots()),
            Pricing::DpuHour { .. } => f64::from(cluster.slots()) / CORES_PER_DPU,
            Pricing::InstanceHour { .. } => f64::from(cluster.executors),
        }
    }

    pub fn price(self) -> f64 {
        match self {
            Pricing::CoreHour { price }
            | Pricing::DpuHour { price }
            | Pricing::InstanceHour { price } => price,
        }
    }

    /// `core`, `DPU` or `instance`.
    pub fn unit_name(self) -> &'static str {
        match self {
            Pricing::CoreHour { .. } => "core",
            Pricing::DpuHour { .. } => "DPU",
            Pricing::InstanceHour { .. } => "instance",
        }
    }

    /// The cost of holding `cluster` for `duration_ms`.
    pub fn cost(self, cluster: Cluster, duration_ms: u64) -> f64 {
        self.units(cluster) * duration_ms as f64 / 3_600_000.0 * self.price()
    }

    /// How [`Pricing::cost`] computes, for the report: `0.5 DPU (2 cores / 4) x hours x $0.44`.
    pub fn method(self, cluster: Cluster) -> String {
        let units = self.units(cluster);
        let how = match self {
            Pricing::CoreHour { .. } => format!("{} cores", cluster.slots()),
            Pricing::DpuHour { .. } => format!(
                "{} DPU ({} cores / 4: 1 DPU = 4 vCPU and 16 GB)",
                trim(units),
                cluster.slots()
            ),
            Pricing::InstanceHour { .. } => {
                format!("{} instances (one per executor)", cluster.executors)
            }
        };
        format!(
            "{how} x hours x ${} per {}-hour",
            trim(self.price()),
            self.unit_name()
        )
    }
}

/// A number without trailing zeros: `0.5`, `2`, `0.44`.
pub(crate) fn trim(value: f64) -> String {
    let text = format!("{value:.4}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_follow_the_unit() {
        let glue = Cluster {
            executors: 10,
            cores_per_executor: 4,
        };
        // The seed's cluster: 10 DPUs for 2.5 hours at $0.44 = $11.00.
        let cost = Pricing::default().cost(glue, 9_000_000);
        assert!((cost - 11.0).abs() < 1e-9, "{cost}");
        assert_eq!(Pricing::CoreHour { price: 0.05 }.units(glue), 40.0);
        assert_eq!(Pricing::InstanceHour { price: 1.0 }.units(glue), 10.0);
        let local = Cluster {
            executors: 1,
            cores_per_executor: 2,
        };
        assert_eq!(
            Pricing::default().method(local),
            "0.5 DPU (2 cores / 4: 1 DPU = 4 vCPU and 16 GB) x hours x $0.44 per DPU-hour"
        );
    }
}
