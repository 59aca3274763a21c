#!/usr/bin/env bash
# Validates `sparkfix report` against real PySpark runs: does the job get as much faster as the
# report says once its fixes are in? On tests/eventlogs/jobs/customer_purchase_analytics.py:
#   1. runs the original job once with event logging (the "profiled run");
#   2. makes the report from that log (`sparkfix report --unsafe-fixes --profile LOG`), as
#      Markdown and JSON, and takes its measured duration, its predicted duration after the fixes
#      (same cluster) and each finding's estimate;
#   3. makes the fixed job: a copy of the job fixed with `sparkfix --write --unsafe-fixes
#      --profile LOG` (the diff is printed); and a second copy fixed the same way but with
#      `--ignore SPK004` (no partition-output-by-date, fixed-nodate): the fixes the report's
#      total stands for, since the report does not estimate the new output layout in time (it
#      says the layout makes this job slower, its gain being in the readers of the output);
#   4. times N runs of each of three variants, alternating: the original job, the fixed job and
#      fixed-nodate (the report's SPK007 finding has no code fix: an earlier version of this
#      script also ran it with --driver-memory 3g, with no gain); durations are read from each run's event log
#      (ApplicationEnd - ApplicationStart), as tests/eventlogs/measure_bypass.sh does, with the
#      duration of each SQL execution;
#   5. checks that the fixed jobs write the same data as the original (row count, sums, exceptAll
#      both ways) on the outputs of each variant's last run;
#   6. prints the predicted change against the measured change (medians) and the prediction's
#      error, PASS when within 25% of the measured change (headline: fixed-nodate, the fixes
#      the report's total counts; the fixed variant is printed beside it).
# Every run is as tests/eventlogs/generate.sh's `run`: local[2], event logging switched on from
# outside (PYSPARK_SUBMIT_ARGS), --conf spark.sql.autoBroadcastJoinThreshold=1024 (the job's
# SMALL_BROADCAST there), one Spark job at a time, each with its own folder under a fresh
# temporary folder (kept; its path is printed, the reports are saved there too). Each run first
# waits for a quiet machine (processes outside this script using under QUIET=0.3 cores over 10 s,
# at most QUIET_MAX_WAIT=1800 s) and records the CPU time other processes used during it
# (other_cpu_s), since another Spark job or a build on the same cores skews the durations; a
# run during which they used more than MAX_OTHER_CPU=3 s is set aside and run again (at most
# ATTEMPTS=10 attempts per run).
#
# Usage: docs/report-validation.sh [N]      (N runs per variant, default 3)
#        SPARKFIX=/path/to/sparkfix docs/report-validation.sh 3
# Needs target/spark-venv with PySpark 4.3.0 (override with SPARK4_VENV=...; generate.sh makes
# it), Java 17, zstd, python3. SPARKFIX defaults to target/release/sparkfix, built with
# `cargo build --release --locked` if missing. Reads the data under /tmp/sparkfix-eventlogs/
# (BASE=... to override) and writes it first with make_data.py, as generate.sh does, if
# bucket/transactions/ is missing. Overwrites BASE/bucket/summaries/customer_purchase_summary/
# (the job's output). About (1 + 3 x N) x 30 s plus 2 minutes for the data check on 2 cores
# (N=3: roughly 10-15 minutes on a quiet machine).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
N="${1:-3}"
BASE="${BASE:-/tmp/sparkfix-eventlogs}"
SPARK4_VENV="${SPARK4_VENV:-$REPO/target/spark-venv}"
SPARKFIX="${SPARKFIX:-$REPO/target/release/sparkfix}"
JOB_REL=tests/eventlogs/jobs/customer_purchase_analytics.py
JOB="$REPO/$JOB_REL"
OUTPUT="$BASE/bucket/summaries/customer_purchase_summary"
SMALL_BROADCAST=(--conf spark.sql.autoBroadcastJoinThreshold=1024)
TOLERANCE=25 # percent of the measured change

[[ "$N" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [N] (N >= 1 runs per variant)" >&2; exit 2; }
[ -x "$SPARK4_VENV/bin/python" ] || { echo "no python in $SPARK4_VENV (run tests/eventlogs/generate.sh once)" >&2; exit 1; }
command -v zstd >/dev/null || { echo "the zstd command is needed" >&2; exit 1; }
if [ ! -x "$SPARKFIX" ]; then
    echo "building $SPARKFIX (cargo build --release --locked)"
    (cd "$REPO" && cargo build --release --locked)
    [ -x "$SPARKFIX" ] || { echo "no binary at $SPARKFIX after the build" >&2; exit 1; }
fi

WORK="$(mktemp -d /tmp/sparkfix-report-validation.XXXXXX)"
started=$SECONDS
say() { printf '[%4ds] %s\n' "$((SECONDS - started))" "$*"; }
say "runs under $WORK; sparkfix: $SPARKFIX ($("$SPARKFIX" --version))"
say "machine: $(nproc) cores, $("$SPARK4_VENV/bin/python" -c 'import pyspark; print("PySpark", pyspark.__version__)'), $(java -version 2>&1 | head -n 1)"

if [ ! -d "$BASE/bucket/transactions" ]; then
    say "writing the input data into $BASE (make_data.py)"
    mkdir -p "$BASE"
    (
        cd "$BASE"
        unset SPARK_HOME
        SPARK_LOCAL_IP=127.0.0.1 PYSPARK_PYTHON="$SPARK4_VENV/bin/python" \
            PYSPARK_SUBMIT_ARGS="--master local[2] --conf spark.ui.enabled=false pyspark-shell" \
            "$SPARK4_VENV/bin/python" "$REPO/tests/eventlogs/make_data.py" "$BASE"
    ) >"$WORK/make_data.txt" 2>&1 || { tail -n 40 "$WORK/make_data.txt"; exit 1; }
fi

# Other work on the machine (another Spark job, a build) takes cores from the timed runs: the
# runs wait for a quiet machine (other processes using under QUIET cores over 10 s, for at most
# QUIET_MAX_WAIT s), and each run records the CPU time other processes used meanwhile.
QUIET="${QUIET:-0.3}"
QUIET_MAX_WAIT="${QUIET_MAX_WAIT:-1800}"
MAX_OTHER_CPU="${MAX_OTHER_CPU:-3}"
ATTEMPTS="${ATTEMPTS:-10}"
export SPARKFIX_VALIDATION_MARKER="$$-$RANDOM" # inherited by everything this script starts
cat >"$WORK/cpu_watch.py" <<'PYEOF'
"""cpu_watch.py: CPU time used by processes outside this script's process family.

  watch OUT      samples every 0.5 s until SIGTERM, then writes "<foreign cpu s> <own cpu s>" to OUT
  quiet SECONDS  prints the foreign CPU rate (cores) over SECONDS

A process is this script's when its environment holds SPARKFIX_VALIDATION_MARKER=<the marker>
(exported by report-validation.sh, so every run's Python and JVM inherit it).
"""
import os
import signal
import sys
import time

MARK = ("SPARKFIX_VALIDATION_MARKER=" + os.environ["SPARKFIX_VALIDATION_MARKER"]).encode()
TICK = os.sysconf("SC_CLK_TCK")
own_cache = {}


def sample():
    """{pid: (starttime, cpu ticks, own?)} of every process"""
    out = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            start = int(fields[19])
            key = (pid, start)
            if key not in own_cache:
                with open(f"/proc/{pid}/environ", "rb") as f:
                    own_cache[key] = MARK in f.read().split(b"\0")
            out[key] = (int(fields[11]) + int(fields[12]), own_cache[key])
        except (OSError, IndexError, ValueError):
            continue
    return out


def delta(first, last):
    foreign = own = 0
    for key, (ticks, mine) in last.items():
        used = ticks - first[key][0] if key in first else ticks
        if mine:
            own += used
        else:
            foreign += used
    return foreign / TICK, own / TICK


if sys.argv[1] == "quiet":
    first = sample()
    time.sleep(float(sys.argv[2]))
    foreign, _ = delta(first, sample())
    print(f"{foreign / float(sys.argv[2]):.2f}")
else:
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    first = sample()
    seen = dict(first)
    while not stop:
        time.sleep(0.5)
        seen.update(sample())  # keeps the last reading of processes that have ended
    foreign, own = delta(first, seen)
    with open(sys.argv[2], "w") as f:
        f.write(f"{foreign:.1f} {own:.1f}\n")
PYEOF

wait_quiet() { # LABEL
    local waited=0 rate
    while :; do
        rate="$(python3 "$WORK/cpu_watch.py" quiet 10)"
        awk -v r="$rate" -v q="$QUIET" 'BEGIN { exit !(r < q) }' && break
        waited=$((waited + 10))
        if [ "$waited" -ge "$QUIET_MAX_WAIT" ]; then
            say "   $1: still $rate cores busy elsewhere after ${waited} s: running anyway"
            return
        fi
        [ $((waited % 60)) -ne 10 ] || say "   $1: waiting for a quiet machine ($rate cores busy elsewhere)"
    done
    [ "$waited" -eq 0 ] || say "   $1: waited ${waited} s for a quiet machine"
}

# run LABEL SCRIPT [spark-submit args ...]: one run of SCRIPT BASE, as generate.sh's `run`,
# into $WORK/runs/LABEL/ (events/, cwd/, console.txt; other.txt: "<CPU s used by other
# processes during the run> <CPU s used by the run>"). A run during which other processes used
# more than MAX_OTHER_CPU s of CPU is set aside (as LABEL.contended-<attempt>) and run again, up
# to ATTEMPTS times; the last attempt is kept whatever it measured.
run() {
    local label="$1" script="$2"
    shift 2
    local dir="$WORK/runs/$label" attempt watcher other own
    for attempt in $(seq 1 "$ATTEMPTS"); do
        rm -rf "$dir"
        mkdir -p "$dir/events" "$dir/cwd"
        wait_quiet "$label"
        python3 "$WORK/cpu_watch.py" watch "$dir/other.txt" &
        watcher=$!
        if ! (
            cd "$dir/cwd"
            unset SPARK_HOME
            export SPARK_LOCAL_IP=127.0.0.1
            export PYSPARK_PYTHON="$SPARK4_VENV/bin/python"
            export PYSPARK_SUBMIT_ARGS="--master local[2] --conf spark.ui.enabled=false \
--conf spark.eventLog.enabled=true --conf spark.eventLog.dir=file://$dir/events $* pyspark-shell"
            "$SPARK4_VENV/bin/python" "$script" "$BASE"
        ) >"$dir/console.txt" 2>&1; then
            kill "$watcher"
            tail -n 40 "$dir/console.txt"
            say "FAILED: $label (console output in $dir/console.txt)"
            exit 1
        fi
        kill "$watcher"
        wait "$watcher"
        read -r other own <"$dir/other.txt"
        awk -v o="$other" -v m="$MAX_OTHER_CPU" 'BEGIN { exit !(o <= m) }' && return
        [ "$attempt" -lt "$ATTEMPTS" ] || break
        mv "$dir" "$dir.contended-$attempt"
        say "   $label: other processes used $other s of CPU during the run: set aside ($dir.contended-$attempt), run again"
    done
    say "   $label: other processes used $other s of CPU during the last of $ATTEMPTS attempts: kept"
}

# log_of LABEL: the one entry Spark wrote into $WORK/runs/LABEL/events/
log_of() {
    local entries=("$WORK/runs/$1/events"/*)
    [ "${#entries[@]}" -eq 1 ] || { say "expected one event log in $WORK/runs/$1/events"; exit 1; }
    echo "${entries[0]}"
}

# summary LOG: prints "<duration ms> <SQL executions> <tasks> <task run time ms> <spill MiB>
# q<id>:<s>,...", the last the duration of each SQL execution (start to end) in seconds,
# from an event log (a Spark 4 eventlog_v2_ folder of .zstd parts, or one plain file)
summary() {
    python3 - "$1" <<'EOF'
import json
import os
import subprocess
import sys

log = sys.argv[1]
if os.path.isdir(log):
    parts = sorted(
        (os.path.join(log, p) for p in os.listdir(log) if p.startswith("events_")),
        key=lambda p: int(os.path.basename(p).split("_")[1]),
    )
else:
    parts = [log]
start = end = None
sql = tasks = task_ms = spill = 0
queries = {}
for path in parts:
    if path.endswith(".zstd"):
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
        elif kind.endswith(".SparkListenerSQLExecutionStart"):
            sql += 1
            queries[event["executionId"]] = [event["time"], None]
        elif kind.endswith(".SparkListenerSQLExecutionEnd"):
            queries[event["executionId"]][1] = event["time"]
        elif kind == "SparkListenerTaskEnd":
            tasks += 1
            metrics = event.get("Task Metrics") or {}
            task_ms += metrics.get("Executor Run Time", 0)
            spill += metrics.get("Memory Bytes Spilled", 0)
if start is None or end is None:
    sys.exit(f"{log}: no SparkListenerApplicationStart/End")
per_query = ",".join(
    f"q{q}:{(t - s) / 1000:.1f}" if t is not None else f"q{q}:?" for q, (s, t) in sorted(queries.items())
)
print(end - start, sql, tasks, task_ms, f"{spill / 2**20:.1f}", per_query)
EOF
}

secs() { awk -v ms="$1" 'BEGIN { printf "%.3f", ms / 1000 }'; }

# --- 1. the profiled run ---------------------------------------------------------------------
say "1. profiled run of the original job: $JOB_REL ${SMALL_BROADCAST[*]}"
run profiled "$JOB" "${SMALL_BROADCAST[@]}"
PROFILE="$(log_of profiled)"
read -r profiled_ms profiled_sql profiled_tasks profiled_task_ms profiled_spill profiled_queries < <(summary "$PROFILE")
[ -n "${profiled_spill:-}" ] || { say "FAILED: no duration in $PROFILE"; exit 1; }
read -r profiled_other profiled_own <"$WORK/runs/profiled/other.txt"
say "   profiled run: $(secs "$profiled_ms") s, $profiled_sql SQL executions, $profiled_tasks tasks, $(secs "$profiled_task_ms") s of task time, $profiled_spill MiB spilled, SQL executions $profiled_queries (s), $profiled_other s of CPU used by other processes meanwhile (log: $PROFILE)"

# --- 2. the report ---------------------------------------------------------------------------
say "2. sparkfix report --unsafe-fixes --profile LOG $JOB_REL"
cd "$REPO"
"$SPARKFIX" report --unsafe-fixes --profile "$PROFILE" "$JOB_REL" >"$WORK/report.md"
"$SPARKFIX" report --unsafe-fixes --format json --profile "$PROFILE" "$JOB_REL" >"$WORK/report.json"
say "   saved $WORK/report.md and $WORK/report.json"
python3 - "$WORK/report.json" >"$WORK/prediction.txt" <<'EOF'
import json
import sys

report = json.load(open(sys.argv[1]))
s = report["summary"]
print(s["measured_ms"], s["after_fixes_ms"], s["model_error"], s["estimated"], s["not_estimated"])
EOF
read -r measured_ms after_fixes_ms model_error n_estimated n_not_estimated <"$WORK/prediction.txt"
echo "   report: measured ${measured_ms} ms, after the fixes ${after_fixes_ms} ms (modelled, same cluster);" \
    "$n_estimated findings estimated, $n_not_estimated not; replay model error $model_error"
echo "   findings:"
python3 - "$WORK/report.json" <<'EOF'
import json
import sys

for f in json.load(open(sys.argv[1]))["findings"]:
    est = f["estimate"]
    if est and est.get("kind") == "modelled":
        what = f"saves {est['saved_ms']} ms (modelled; {est['task_ms_removed']} ms of task time removed)"
    else:
        what = "not estimated"
    fix = f["fix"]["applicability"] + " fix" if f.get("fix") else "no fix"
    print(f"     {f['code']} {f['name']:<26} line {f['line']:<3} {fix:<11} {what}")
EOF

# --- 3. the fixed job ------------------------------------------------------------------------
mkdir -p "$WORK/original" "$WORK/fixed"
cp "$JOB" "$WORK/original/"
cp "$JOB" "$WORK/fixed/"
FIXED="$WORK/fixed/$(basename "$JOB")"
say "3. sparkfix --write --unsafe-fixes --profile LOG $FIXED"
rc=0
"$SPARKFIX" --write --unsafe-fixes --profile "$PROFILE" "$FIXED" >"$WORK/write.txt" 2>&1 || rc=$?
sed 's/^/   /' "$WORK/write.txt"
if [ "$rc" -gt 1 ]; then
    say "FAILED: sparkfix --write exited $rc"
    exit 1
fi
echo "   (exit code $rc; 1 means findings without a fix remain, 2 an error)"
echo "   diff -u original fixed:"
diff -u "$WORK/original/$(basename "$JOB")" "$FIXED" >"$WORK/fix.diff" || [ $? -eq 1 ] || exit 1
[ -s "$WORK/fix.diff" ] || { say "FAILED: sparkfix changed nothing"; exit 1; }
sed 's/^/   /' "$WORK/fix.diff"

# The same fixes without SPK004 partition-output-by-date (and so without the SPK003 rebalance
# that the partitioned write then gets): how much of the measured change is the new layout.
mkdir -p "$WORK/fixed-nodate"
cp "$JOB" "$WORK/fixed-nodate/"
FIXED_NODATE="$WORK/fixed-nodate/$(basename "$JOB")"
say "   and without partition-output-by-date: sparkfix --write --unsafe-fixes --ignore SPK004 --profile LOG $FIXED_NODATE"
rc=0
"$SPARKFIX" --write --unsafe-fixes --ignore SPK004 --profile "$PROFILE" "$FIXED_NODATE" >"$WORK/write-nodate.txt" 2>&1 || rc=$?
[ "$rc" -le 1 ] || { cat "$WORK/write-nodate.txt"; say "FAILED: sparkfix --write exited $rc"; exit 1; }
echo "   diff -u fixed fixed-nodate:"
diff -u "$FIXED" "$FIXED_NODATE" >"$WORK/nodate.diff" || [ $? -eq 1 ] || exit 1
sed 's/^/   /' "$WORK/nodate.diff"

# --- 4. the timed runs -----------------------------------------------------------------------
VARIANTS=(original fixed fixed-nodate)
HEADLINE=fixed-nodate
declare -A describe=(
    [original]="the job as it is"
    [fixed]="sparkfix --write --unsafe-fixes"
    [fixed-nodate]="the fixes without SPK004 partition-output-by-date"
)
say "4. $N runs of each of: ${VARIANTS[*]} (alternating)"
declare -A durations last_log
printf '   %-14s %10s %5s %6s %12s %10s %12s  %s\n' run duration_s sql tasks task_time_s spill_MiB other_cpu_s "SQL executions (s)"
for i in $(seq 1 "$N"); do
    for variant in "${VARIANTS[@]}"; do
        label="$variant-$i"
        case "$variant" in
            original) run "$label" "$JOB" "${SMALL_BROADCAST[@]}" ;;
            fixed) run "$label" "$FIXED" "${SMALL_BROADCAST[@]}" ;;
            fixed-nodate) run "$label" "$FIXED_NODATE" "${SMALL_BROADCAST[@]}" ;;
        esac
        log="$(log_of "$label")"
        read -r ms sql tasks task_ms spill queries < <(summary "$log")
        [ -n "${queries:-}" ] || { say "FAILED: no duration in $log"; exit 1; }
        read -r other own <"$WORK/runs/$label/other.txt"
        printf '   %-14s %10s %5s %6s %12s %10s %12s  %s\n' "$label" "$(secs "$ms")" "$sql" "$tasks" \
            "$(secs "$task_ms")" "$spill" "$other" "$queries"
        echo "$label $ms $sql $tasks $task_ms $spill $other $own $queries" >>"$WORK/runs.txt"
        durations[$variant]+="$ms "
        if [ "$i" -eq "$N" ]; then
            # the next variant overwrites the output: keep this one's aside for step 5
            cp -r "$OUTPUT" "$WORK/output-$variant"
            last_log[$variant]="$log"
        fi
    done
done

# --- 5. same data? ---------------------------------------------------------------------------
say "5. comparing the outputs of the last runs (original against each fixed variant)"
data_ok=1
outputs=()
for variant in "${VARIANTS[@]}"; do outputs+=("$WORK/output-$variant"); done
(
    cd "$WORK"
    unset SPARK_HOME
    SPARK_LOCAL_IP=127.0.0.1 PYSPARK_PYTHON="$SPARK4_VENV/bin/python" \
        PYSPARK_SUBMIT_ARGS="--master local[2] --conf spark.ui.enabled=false pyspark-shell" \
        "$SPARK4_VENV/bin/python" - "${outputs[@]}" <<'EOF'
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

spark = SparkSession.builder.appName("report_validation_compare").getOrCreate()
spark.sparkContext.setLogLevel("WARN")
COLUMNS = ["customer_id", "product_category", "transaction_date", "total_amount", "transaction_count"]


def load(path):
    # A partitioned output gives transaction_date back as an inferred partition column (a date):
    # both sides as strings, in the same column order.
    df = spark.read.parquet(path)
    return df.withColumn("transaction_date", F.col("transaction_date").cast("string")).select(COLUMNS)


def facts(df):
    row = df.agg(
        F.count("*").alias("rows"),
        F.sum("total_amount").alias("total_amount"),
        F.sum("transaction_count").alias("transaction_count"),
    ).first()
    return row["rows"], row["total_amount"], row["transaction_count"]


def cents(df):
    # total_amount is a double summed in a plan-dependent order: also compared to the cent
    return df.withColumn("total_amount", F.round("total_amount", 2))


original = load(sys.argv[1])
o_rows, o_amount, o_count = facts(original)
print(f"   original: {o_rows} rows, sum(total_amount) {o_amount:.2f}, sum(transaction_count) {o_count}"
      f" ({len(original.inputFiles())} files)")
ok = True
for path in sys.argv[2:]:
    name = path.rsplit("output-", 1)[1]
    other = load(path)
    rows, amount, count = facts(other)
    exact = (original.exceptAll(other).count(), other.exceptAll(original).count())
    rounded = (cents(original).exceptAll(cents(other)).count(), cents(other).exceptAll(cents(original)).count())
    same = (rows == o_rows and round(amount, 2) == round(o_amount, 2) and count == o_count
            and rounded == (0, 0))
    ok = ok and same
    print(f"   {name}: {rows} rows, sum(total_amount) {amount:.2f}, sum(transaction_count) {count}"
          f" ({len(other.inputFiles())} files); exceptAll both ways: {exact[0]}, {exact[1]} rows exactly,"
          f" {rounded[0]}, {rounded[1]} with total_amount to the cent: {'SAME' if same else 'DIFFERENT'}")
spark.stop()
sys.exit(0 if ok else 3)
EOF
) 2>"$WORK/compare.stderr" || data_ok=0
if [ "$data_ok" -eq 1 ]; then data_check=SAME; else data_check=DIFFERENT; tail -n 20 "$WORK/compare.stderr"; fi
echo "   console lines of the last runs (the fixed jobs print the observed counts after the write):"
for variant in "${VARIANTS[@]}"; do
    grep -oE '(Processing [0-9]+ transactions|Valid transactions: [0-9]+|After joins: [0-9]+ records|Summary records: [0-9]+)' \
        "$WORK/runs/$variant-$N/console.txt" | paste -sd ';' | sed "s/^/     $variant: /; s/;/; /g" || true
done

# the report of a fixed run (the report's "measure the next run" step), for what remains
"$SPARKFIX" report --unsafe-fixes --profile "${last_log[fixed]}" "$FIXED" >"$WORK/report-after-fixes.md" || true
echo "   report of the last fixed run: $WORK/report-after-fixes.md; its executive summary:"
sed -n '/^## Executive summary/,/^## Findings/p' "$WORK/report-after-fixes.md" | grep '^- ' | sed 's/^/     /' || true

# --- 6. summary ------------------------------------------------------------------------------
median() { # values in ms -> median in ms
    tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.0f", m }'
}
# error of the predicted change relative to the measured change, in percent; PASS within TOLERANCE
verdict() { # PREDICTED MEASURED -> "<error %> PASS|MISS"
    awk -v p="$1" -v m="$2" -v t="$TOLERANCE" 'BEGIN {
        if (m <= 0) { print "n/a MISS"; exit }
        e = (p - m) / m * 100; a = e < 0 ? -e : e
        printf "%+.1f%% %s\n", e, (a <= t ? "PASS" : "MISS") }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
percent() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f%%", (a - b) / b * 100 }'; }
declare -A med
for variant in "${VARIANTS[@]}"; do med[$variant]="$(median "${durations[$variant]}")"; done
predicted=$((measured_ms - after_fixes_ms))

say "6. summary"
echo "   profiled run (original job, the report's log):  $(secs "$profiled_ms") s"
echo "   report: measured duration of that run:          $(secs "$measured_ms") s (replay model error $model_error)"
echo "   report: predicted duration after the fixes:     $(secs "$after_fixes_ms") s (same cluster)"
echo "   report: predicted change:                       $(secs "$predicted") s ($n_estimated of $((n_estimated + n_not_estimated)) findings estimated)"
for variant in "${VARIANTS[@]}"; do
    line="$(printf '   median %-13s (%s runs): %10s s  [%s]' "$variant" "$N" "$(secs "${med[$variant]}")" "${durations[$variant]% }")"
    [ "$variant" = original ] || line+="  ($(ratio "${med[original]}" "${med[$variant]}") faster than the original)"
    echo "$line   ${describe[$variant]}"
done
for variant in "${VARIANTS[@]:1}"; do
    measured=$((med[original] - med[$variant]))
    read -r error result < <(verdict "$predicted" "$measured")
    [ "$variant" != "$HEADLINE" ] || { headline_error="$error"; headline_result="$result"; headline_measured="$measured"; }
    printf '   %-13s measured change (median original - median %s): %s s; prediction error (predicted - measured) / measured = %s: %s (within %s%%)\n' \
        "$variant:" "$variant" "$(secs "$measured")" "$error" "$result" "$TOLERANCE"
done
echo "   predicted duration after the fixes against the median $HEADLINE run: $(secs "$after_fixes_ms") s vs $(secs "${med[$HEADLINE]}") s ($(percent "$after_fixes_ms" "${med[$HEADLINE]}"))"
echo "   predicted share of the run saved: $(awk -v p="$predicted" -v m="$measured_ms" 'BEGIN { printf "%.1f%%", p / m * 100 }'); measured share (median $HEADLINE against median original): $(awk -v a="${med[original]}" -v b="${med[$HEADLINE]}" 'BEGIN { printf "%.1f%%", (a - b) / a * 100 }')"
echo "   profiled run against the median original run: $(secs "$profiled_ms") s vs $(secs "${med[original]}") s ($(percent "$profiled_ms" "${med[original]}"))"
echo "   data check (original vs every fixed variant, last runs): $data_check"
echo "   CPU used by other processes during a timed run: at most $(awk '$7 > m { m = $7 } END { printf "%.1f", m }' "$WORK/runs.txt") s (per run: $WORK/runs.txt)"
echo "   HEADLINE: predicted change $(secs "$predicted") s, measured change $(secs "$headline_measured") s" \
    "(median original $(secs "${med[original]}") s - median $HEADLINE $(secs "${med[$HEADLINE]}") s)," \
    "error $headline_error: $headline_result; data check: $data_check"
echo "   everything is under $WORK"
