#!/usr/bin/env bash
# Measures the effect of spark.sql.execution.bypassPartialAggregation=true (a session SQL
# setting new in Spark 4.3.0: no pre-shuffle partial aggregation, one Complete-mode
# aggregation after the shuffle) on jobs/dedupe_transactions.py, a groupBy on the unique key
# of the fact table, whose partial aggregation reduces nothing.
#
# Runs the job N times with the defaults and N times with
#   --conf spark.sql.execution.bypassPartialAggregation=true
# alternating the two (default, bypass, default, ...), one Spark job at a time, on local[2],
# exactly as generate.sh's `run` does (event logging switched on from outside through
# PYSPARK_SUBMIT_ARGS), each run with its own event-log folder and working folder under a
# fresh temporary folder (kept, its path is printed). For each run it prints the duration
# read from the event log (SparkListenerApplicationEnd minus SparkListenerApplicationStart
# timestamps; the .zstd parts are decompressed with the `zstd` command) and the aggregate
# nodes of the write's final plan, then the median duration of each variant.
#
# Usage: tests/eventlogs/measure_bypass.sh [N]      (N runs per variant, default 3)
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
JOB="$HERE/jobs/dedupe_transactions.py"
BYPASS=(--conf spark.sql.execution.bypassPartialAggregation=true)
# shellcheck source=tests/eventlogs/measure_lib.sh
source "$HERE/measure_lib.sh"

[[ "$N" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [N] (N >= 1 runs per variant)" >&2; exit 2; }
WORK="$(mktemp -d /tmp/sparkfix-measure-bypass.XXXXXX)"
echo "runs under $WORK"
measure_init

declare -A durations=([default]="" [bypass]="")
for i in $(seq 1 "$N"); do
    for variant in default bypass; do
        label="$variant-$i"
        if [ "$variant" = bypass ]; then
            log="$(measure_run "$label" "$JOB" "${BYPASS[@]}")"
        else
            log="$(measure_run "$label" "$JOB")"
        fi
        read -r ms _ aggs < <(measure_summary "$log")
        printf '%-10s %8s s   aggregates: %s   log: %s\n' "$label" "$(measure_seconds "$ms")" "$aggs" "$log"
        durations[$variant]+="$ms "
    done
done

echo "median default: $(measure_median "${durations[default]}") s over $N runs"
echo "median bypass:  $(measure_median "${durations[bypass]}") s over $N runs"
