# Shared by the measuring scripts of this folder (measure_bypass.sh,
# measure_broadcast_regrouping.sh): sourced, not run. Expects HERE (this folder), BASE (the data
# folder), SPARK4_VENV and WORK (the run's temporary folder) to be set.
#
#   measure_init             checks the tools and writes the input data into $BASE with
#                            make_data.py (as generate.sh does) if bucket/transactions/ is missing
#   measure_run LABEL JOB [--conf k=v ...]
#                            one run of JOB as generate.sh's `run` does (local[2], event logging
#                            switched on from outside through PYSPARK_SUBMIT_ARGS), into
#                            $WORK/LABEL/ (events/, cwd/, console.txt); prints its event log
#   measure_summary LOGDIR   "<duration ms> <last SQL execution ms> <aggregate nodes of the last
#                            plan>" from an event log (ApplicationEnd - ApplicationStart; .zstd
#                            parts decompressed with the `zstd` command)
#   measure_median "MS MS.." the median, in seconds

measure_init() {
    [ -x "$SPARK4_VENV/bin/python" ] || { echo "no python in $SPARK4_VENV (run generate.sh once)" >&2; exit 1; }
    command -v zstd >/dev/null || { echo "the zstd command is needed" >&2; exit 1; }
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
}

measure_run() {
    local label="$1" job="$2"
    shift 2
    local dir="$WORK/$label"
    mkdir -p "$dir/events" "$dir/cwd"
    if ! (
        cd "$dir/cwd"
        unset SPARK_HOME
        export SPARK_LOCAL_IP=127.0.0.1
        export PYSPARK_PYTHON="$SPARK4_VENV/bin/python"
        export PYSPARK_SUBMIT_ARGS="--master local[2] --conf spark.ui.enabled=false \
--conf spark.eventLog.enabled=true --conf spark.eventLog.dir=file://$dir/events $* pyspark-shell"
        "$SPARK4_VENV/bin/python" "$job" "$BASE"
    ) >"$dir/console.txt" 2>&1; then
        tail -n 40 "$dir/console.txt" >&2
        echo "FAILED: $label (console output in $dir/console.txt)" >&2
        exit 1
    fi
    local entries=("$dir/events"/*)
    [ "${#entries[@]}" -eq 1 ] || { echo "expected one event log in $dir/events" >&2; exit 1; }
    echo "${entries[0]}"
}

measure_summary() {
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
executions = {}
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
            if kind.endswith("Start"):
                executions[event["executionId"]] = [event["time"], None]
        elif kind.endswith(".SparkListenerSQLExecutionEnd"):
            executions[event["executionId"]][1] = event["time"]
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
last = executions[max(executions)] if executions else [0, 0]
print(end - start, (last[1] or last[0]) - last[0], " ".join(aggregates) or "-")
EOF
}

measure_median() {
    tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f", m / 1000 }'
}

measure_seconds() { awk -v ms="$1" 'BEGIN { printf "%.3f", ms / 1000 }'; }
