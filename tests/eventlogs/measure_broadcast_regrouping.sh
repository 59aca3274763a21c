#!/usr/bin/env bash
# Measures what broadcasting each dimension of jobs/customer_purchase_analytics.py does on
# Spark 4.3, where the aggregation after the second join (on customer_id) runs in one phase on
# the partitioning of that sort-merge join's shuffle. Three variants of the job, made from it
# with sed: `none` (as it is), `products` (broadcast(products_df) only: what sparkfix writes,
# since the profile shows broadcasting customers_df would make that aggregation shuffle and
# build its groups twice) and `both` (broadcast(products_df) and broadcast(customers_df)).
#
# Runs them alternating (none, products, both, none, ...) N times each, one Spark job at a
# time, on local[2] with --conf spark.sql.autoBroadcastJoinThreshold=1024 (generate.sh's
# SMALL_BROADCAST, so that Spark does not broadcast on its own), exactly as generate.sh's `run`
# does (event logging switched on from outside through PYSPARK_SUBMIT_ARGS), each run with its
# own event-log folder and working folder under a fresh temporary folder (kept, its path is
# printed). For each run it prints the duration read from the event log
# (SparkListenerApplicationEnd minus SparkListenerApplicationStart; .zstd parts decompressed
# with the `zstd` command), the duration of the last SQL execution (the write) and the
# aggregate nodes of the write's final plan, then the median duration of each variant.
#
# Usage: tests/eventlogs/measure_broadcast_regrouping.sh [N]    (N runs per variant, default 3)
# Needs target/spark-venv with PySpark 4.3.0 (override with SPARK4_VENV=...), Java 17, zstd.
# Reads the data under /tmp/sparkfix-eventlogs/ (BASE=... to override) and writes it first,
# with make_data.py as generate.sh does, if bucket/transactions/ is missing. Each run takes
# about 30 s on 2 cores. Does not touch tests/eventlogs/logs/.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
N="${1:-3}"
BASE="${BASE:-/tmp/sparkfix-eventlogs}"
SPARK4_VENV="${SPARK4_VENV:-$REPO/target/spark-venv}"
JOB="$HERE/jobs/customer_purchase_analytics.py"
SMALL_BROADCAST=(--conf spark.sql.autoBroadcastJoinThreshold=1024)
# shellcheck source=tests/eventlogs/measure_lib.sh
source "$HERE/measure_lib.sh"

[[ "$N" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [N] (N >= 1 runs per variant)" >&2; exit 2; }
WORK="$(mktemp -d /tmp/sparkfix-measure-regrouping.XXXXXX)"
echo "runs under $WORK"
measure_init

# The variants of the job: the import, then each join wrapped or not.
mkdir -p "$WORK/jobs"
cp "$JOB" "$WORK/jobs/none.py"
with_import='s/^from pyspark.sql.functions import col, sum, count$/from pyspark.sql.functions import col, sum, count, broadcast/'
sed -e "$with_import" -e 's/\.join(products_df, "product_id")/.join(broadcast(products_df), "product_id")/' \
    "$JOB" >"$WORK/jobs/products.py"
sed -e "$with_import" -e 's/\.join(products_df, "product_id")/.join(broadcast(products_df), "product_id")/' \
    -e 's/\.join(customers_df, "customer_id")/.join(broadcast(customers_df), "customer_id")/' \
    "$JOB" >"$WORK/jobs/both.py"
for variant in products both; do
    grep -q 'broadcast(products_df)' "$WORK/jobs/$variant.py" || { echo "the job's joins were not found: $JOB changed?" >&2; exit 1; }
done
grep -q 'broadcast(customers_df)' "$WORK/jobs/both.py" || { echo "the job's joins were not found: $JOB changed?" >&2; exit 1; }

VARIANTS=(none products both)
declare -A durations writes
for i in $(seq 1 "$N"); do
    for variant in "${VARIANTS[@]}"; do
        label="$variant-$i"
        log="$(measure_run "$label" "$WORK/jobs/$variant.py" "${SMALL_BROADCAST[@]}")"
        read -r ms write_ms aggs < <(measure_summary "$log")
        printf '%-11s %8s s   write %6s s   aggregates: %s   log: %s\n' "$label" \
            "$(measure_seconds "$ms")" "$(measure_seconds "$write_ms")" "$aggs" "$log"
        durations[$variant]+="$ms "
        writes[$variant]+="$write_ms "
    done
done

for variant in "${VARIANTS[@]}"; do
    printf 'median %-9s %s s over %s runs (the write: %s s)\n' "$variant:" \
        "$(measure_median "${durations[$variant]}")" "$N" "$(measure_median "${writes[$variant]}")"
done
