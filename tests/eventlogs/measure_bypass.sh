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

[[ "$N" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [N] (N >= 1 runs per variant)" >&2; exit 2; }
[ -x "$SPARK4_VENV/bin/python" ] || { echo "no python in $SPARK4_VENV (run generate.sh once)" >&2; exit 1; }
command -v zstd >/dev/null || { echo "the zstd command is needed" >&2; exit 1; }

WORK="$(mktemp -d /tmp/sparkfix-measure-bypass.XXXXXX)"
echo "runs under $WORK"

if [ ! -d "$BASE/bucket/transactions" ]; then
    echo "writing the input data into $BASE (make_data.py)"
    mkdir -p "$BASE"
    (
        cd "$BASE"
        unset SPARK_HOME
        SPARK_LOCAL_IP=127.0.0.1 PYSPARK_PYTHON="$SPARK4_VENV/bin/python" \
            PYSPARK_SUBMIT_ARGS="--master local[2] --conf spark.ui.enabled=false pyspark-shell" \
            "$SPARK4_VENV/bin/python" "$HERE/make_data.py" "$BASE"
    ) >"$WORK/make_data.txt" 2>&1 || { tail -n 40 "$WORK/make_data.txt"; exit 1; }
fi

# run LABEL [--conf k=v ...]: one run of the job, as generate.sh's `run`, into $WORK/LABEL/
run() {
    local label="$1"
    shift
    local dir="$WORK/$label"
    mkdir -p "$dir/events" "$dir/cwd"
    if ! (
        cd "$dir/cwd"
        unset SPARK_HOME
        export SPARK_LOCAL_IP=127.0.0.1
        export PYSPARK_PYTHON="$SPARK4_VENV/bin/python"
        export PYSPARK_SUBMIT_ARGS="--master local[2] --conf spark.ui.enabled=false \
--conf spark.eventLog.enabled=true --conf spark.eventLog.dir=file://$dir/events $* pyspark-shell"
        "$SPARK4_VENV/bin/python" "$JOB" "$BASE"
    ) >"$dir/console.txt" 2>&1; then
        tail -n 40 "$dir/console.txt"
        echo "FAILED: $label (console output in $dir/console.txt)" >&2
        exit 1
    fi
}

# summary LOGDIR: prints "<duration ms> <aggregate nodes of the last plan>" from an event log
summary() {
    python3 - "$1" <<'EOF'
import json
import os
import re
import subprocess
import sys

folder = sys.argv[1]
parts = sorted(
    (p for p in os.listdir(folder) if p.startswith("events_")),
    key=lambda p: int(p.split("_")[1]),
)
start = end = None
plan = None
for part in parts:
    path = os.path.join(folder, part)
    if part.endswith(".zstd"):
        text = subprocess.run(["zstd", "-dc", path], check=True, capture_output=True).stdout
    else:
        text = open(path, "rb").read()
    for line in text.decode("utf-8").splitlines():
        if not line.strip():
            continue
        event = json.loads(line)
        kind = event["Event"]
        if kind == "SparkListenerApplicationStart":
            start = event["Timestamp"]
        elif kind == "SparkListenerApplicationEnd":
            end = event["Timestamp"]
        elif kind.endswith((".SparkListenerSQLExecutionStart", ".SparkListenerSQLAdaptiveExecutionUpdate")):
            plan = event["sparkPlanInfo"]
if start is None or end is None:
    sys.exit(f"{folder}: no SparkListenerApplicationStart/End")

aggregates = []
def walk(node):
    if node["nodeName"].endswith("Aggregate"):
        mode = "partial" if re.search(r"\bpartial_", node["simpleString"]) else "final/complete"
        aggregates.append(f"{node['nodeName']}({mode})")
    for child in node.get("children", []):
        walk(child)
if plan is not None:
    walk(plan)
print(end - start, " ".join(aggregates) or "-")
EOF
}

declare -A durations=([default]="" [bypass]="")
for i in $(seq 1 "$N"); do
    for variant in default bypass; do
        label="$variant-$i"
        if [ "$variant" = bypass ]; then run "$label" "${BYPASS[@]}"; else run "$label"; fi
        entries=("$WORK/$label/events"/*)
        [ "${#entries[@]}" -eq 1 ] || { echo "expected one event log in $WORK/$label/events" >&2; exit 1; }
        read -r ms aggs < <(summary "${entries[0]}")
        printf '%-10s %8.3f s   aggregates: %s   log: %s\n' "$label" "$(awk -v ms="$ms" 'BEGIN { printf "%.3f", ms / 1000 }')" \
            "$aggs" "${entries[0]}"
        durations[$variant]+="$ms "
    done
done

median() { # values in ms -> median in s
    tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f", m / 1000 }'
}
echo "median default: $(median "${durations[default]}") s over $N runs"
echo "median bypass:  $(median "${durations[bypass]}") s over $N runs"
