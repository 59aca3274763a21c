#!/usr/bin/env bash
# Regenerates every event log under tests/eventlogs/logs/ from scratch, with real PySpark runs
# (see README.md). Idempotent: it wipes and recreates the data folder /tmp/sparkfix-eventlogs/
# (a fixed path, so that the paths recorded inside the logs are the same on every run) and
# replaces logs/ only once every run and check has succeeded.
#
# Usage: tests/eventlogs/generate.sh
# Needs python3 (3.9+), Java 17, zstd and network access to PyPI on the first run (two
# virtualenvs under target/: spark-venv with PySpark 4.3.0, spark35-venv with PySpark 3.5.9).
# Runs one Spark job at a time, each on local[2]; about 7 minutes on 2 cores.
# Every file it keeps under logs/ is under 1,000,000 bytes (checked at the end): the plain
# (uncompressed) 3.5 log of customer_purchase_analytics is 1.3 MB, so only its gzip copy is
# kept, and the plain 3.5 log kept (and damaged) is the small one of partitioned_daily.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
TARGET="$REPO/target"
BASE=/tmp/sparkfix-eventlogs
SPARK4_VERSION=4.3.0
SPARK35_VERSION=3.5.9
SPARK4_VENV="$TARGET/spark-venv"
SPARK35_VENV="$TARGET/spark35-venv"
OUT="$BASE/logs"       # logs are assembled here, then moved to $HERE/logs at the end
RUNS="$BASE/runs"      # one event-log folder and one console output per run

started=$SECONDS
say() { printf '[%4ds] %s\n' "$((SECONDS - started))" "$*"; }

has_pyspark() { # PYTHON VERSION
    [ -x "$1" ] && "$1" -c "import sys, pyspark; sys.exit(pyspark.__version__ != '$2')" 2>/dev/null
}

ensure_venv() { # VENV VERSION
    local venv="$1" version="$2"
    if has_pyspark "$venv/bin/python" "$version"; then
        return
    fi
    say "installing pyspark==$version into $venv"
    mkdir -p "$TARGET"
    # The Rust tests bootstrap target/spark-venv under an OS lock on target/spark-venv.lock;
    # take the same lock so that the two never install at once.
    (
        flock 9
        if ! has_pyspark "$venv/bin/python" "$version"; then
            [ -x "$venv/bin/pip" ] || python3 -m venv --clear "$venv"
            "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "pyspark==$version"
        fi
    ) 9>"$TARGET/$(basename "$venv").lock"
    has_pyspark "$venv/bin/python" "$version"
}

# run VENV LABEL SCRIPT [--conf k=v ...]: runs SCRIPT BASE on local[2] with event logging
# switched on from outside the job (PYSPARK_SUBMIT_ARGS), into $RUNS/LABEL/events/.
run() {
    local venv="$1" label="$2" script="$3"
    shift 3
    local dir="$RUNS/$label"
    mkdir -p "$dir/events" "$dir/cwd"
    say "run $label: $(basename "$script") $*"
    if ! (
        cd "$dir/cwd"
        unset SPARK_HOME
        export SPARK_LOCAL_IP=127.0.0.1
        export PYSPARK_PYTHON="$venv/bin/python"
        export PYSPARK_SUBMIT_ARGS="--master local[2] --conf spark.ui.enabled=false \
--conf spark.eventLog.enabled=true --conf spark.eventLog.dir=file://$dir/events $* pyspark-shell"
        "$venv/bin/python" "$script" "$BASE"
    ) >"$dir/console.txt" 2>&1; then
        tail -n 40 "$dir/console.txt"
        say "FAILED: $label (console output in $dir/console.txt)"
        exit 1
    fi
}

# the one entry Spark wrote into $RUNS/LABEL/events/
produced() {
    local entries=("$RUNS/$1/events"/*)
    [ "${#entries[@]}" -eq 1 ] || { say "expected one event log in $RUNS/$1/events"; exit 1; }
    echo "${entries[0]}"
}

# keep LABEL DEST: moves the log of run LABEL into $OUT/DEST/, with the name Spark gave it
keep() {
    mkdir -p "$OUT/$2"
    mv "$(produced "$1")" "$OUT/$2/"
}

one() { # the single log under $OUT/DIR
    local entries=("$OUT/$1"/*)
    echo "${entries[0]}"
}

ensure_venv "$SPARK4_VENV" "$SPARK4_VERSION"
ensure_venv "$SPARK35_VENV" "$SPARK35_VERSION"

say "wiping $BASE"
rm -rf "$BASE"
mkdir -p "$BASE" "$OUT" "$RUNS"

say "writing the input data"
(
    cd "$BASE"
    unset SPARK_HOME
    SPARK_LOCAL_IP=127.0.0.1 PYSPARK_PYTHON="$SPARK4_VENV/bin/python" \
        PYSPARK_SUBMIT_ARGS="--master local[2] --conf spark.ui.enabled=false pyspark-shell" \
        "$SPARK4_VENV/bin/python" "$HERE/make_data.py" "$BASE"
) >"$RUNS/make_data.txt" 2>&1 || { tail -n 40 "$RUNS/make_data.txt"; exit 1; }

# At this scale the dimensions are KBs: the 10 MB default would broadcast them. 1 KB keeps
# the proportions of the real job, whose dimensions exceed the threshold (sort-merge joins).
SMALL_BROADCAST=(--conf spark.sql.autoBroadcastJoinThreshold=1024)
JOBS="$HERE/jobs"

# --- PySpark 4.3: rolled folders eventlog_v2_<appid>/events_<n>_<appid>.zstd (defaults) ----
run "$SPARK4_VENV" spark4-customer "$JOBS/customer_purchase_analytics.py" "${SMALL_BROADCAST[@]}"
keep spark4-customer spark4/customer_purchase_analytics
run "$SPARK4_VENV" spark4-bigdim "$JOBS/big_dimension_join.py" "${SMALL_BROADCAST[@]}"
keep spark4-bigdim spark4/big_dimension_join
run "$SPARK4_VENV" spark4-smallfiles "$JOBS/small_files_copy.py"
keep spark4-smallfiles spark4/small_files_copy
# With defaults Spark packs the 300 small input files into a few splits (each file counts
# 4 MB of open cost against 128 MB splits), so the copy above writes ~10 files. Here an
# open cost of 128 MB makes every small file fill a split, as on a cluster with many cores:
# 300 read tasks, 300 tiny output files.
run "$SPARK4_VENV" spark4-smallfiles-split "$JOBS/small_files_copy.py" \
    --conf spark.sql.files.openCostInBytes=134217728
keep spark4-smallfiles-split spark4/small_files_copy_split_per_file
# With the executors' memory peaks per stage (SparkListenerStageExecutorMetrics); executors
# sample their memory at heartbeats (10 s by default, longer than these stages): sample often.
run "$SPARK4_VENV" spark4-daily "$JOBS/partitioned_daily.py" \
    --conf spark.eventLog.logStageExecutorMetrics=true \
    --conf spark.executor.metrics.pollingInterval=100ms --conf spark.executor.heartbeatInterval=1s
keep spark4-daily spark4/partitioned_daily
run "$SPARK4_VENV" spark4-lineage "$JOBS/recomputed_lineage.py"
keep spark4-lineage spark4/recomputed_lineage
# 10m is the smallest rolling size Spark accepts; 1000 shuffle partitions without AQE give
# enough task events (about 17 MB of JSON) for two parts.
run "$SPARK4_VENV" spark4-rolled "$JOBS/recomputed_lineage.py" \
    --conf spark.eventLog.rolling.maxFileSize=10m \
    --conf spark.sql.shuffle.partitions=1000 --conf spark.sql.adaptive.enabled=false
keep spark4-rolled spark4/recomputed_lineage_rolled
# A groupBy on the unique key of the fact table: the partial (pre-shuffle) aggregation
# outputs as many rows as it reads (3,000,000), so it reduces nothing.
run "$SPARK4_VENV" spark4-dedupe "$JOBS/dedupe_transactions.py"
keep spark4-dedupe spark4/dedupe_transactions

# --- PySpark 3.5: single files local-<digits>[.codec] --------------------------------------
CPA="$JOBS/customer_purchase_analytics.py"
# The plain log of the example job is about 1.3 MB of JSON, over the 1 MB limit of committed
# files: it stays in $RUNS, and only its gzip copy (as users archive logs) is kept.
run "$SPARK35_VENV" spark35-plain "$CPA" "${SMALL_BROADCAST[@]}"
CPA_PLAIN="$(produced spark35-plain)"
mkdir -p "$OUT/spark35/customer_purchase_analytics/gzip"
gzip -k "$CPA_PLAIN"
mv "$CPA_PLAIN.gz" "$OUT/spark35/customer_purchase_analytics/gzip/"
for codec in lz4 snappy lzf zstd; do
    run "$SPARK35_VENV" "spark35-$codec" "$CPA" "${SMALL_BROADCAST[@]}" \
        --conf spark.eventLog.compress=true --conf "spark.eventLog.compression.codec=$codec"
    keep "spark35-$codec" "spark35/customer_purchase_analytics/$codec"
done
# The plain (uncompressed: 3.5's default) log that is kept, and damaged below: a small job.
run "$SPARK35_VENV" spark35-daily "$JOBS/partitioned_daily.py"
keep spark35-daily spark35/partitioned_daily/plain

PLAIN="$(one spark35/partitioned_daily/plain)"
NAME="$(basename "$PLAIN")"

# --- damaged copies -------------------------------------------------------------------------
say "making the damaged copies"
damage() { # KIND SRC DESTDIR DESTNAME
    mkdir -p "$OUT/damaged/$3"
    python3 "$HERE/damage.py" "$1" "$2" "$OUT/damaged/$3/$4"
}
ZSTD35="$(one spark35/customer_purchase_analytics/zstd)"
LZ435="$(one spark35/customer_purchase_analytics/lz4)"
damage inprogress "$PLAIN" inprogress "$NAME.inprogress"
damage corrupt-zstd "$ZSTD35" corrupt_zstd "$(basename "$ZSTD35")"
damage truncate-lz4 "$LZ435" truncated_lz4 "$(basename "$LZ435")"
damage spark-2.4.8 "$PLAIN" spark_version_2.4.8 "$NAME"
damage unknown-event "$PLAIN" unknown_event "$NAME"

# --- checks ---------------------------------------------------------------------------------
say "checking"
fail() { say "CHECK FAILED: $*"; exit 1; }
magic() { head -c "$2" "$1" | od -An -c | tr -s ' '; }
cd "$OUT"
for f in spark4/*/eventlog_v2_*/events_*.zstd spark35/*/zstd/*.zstd; do
    zstd -q -t "$f" || fail "zstd -t $f"
done
[ "$(head -c 8 "$LZ435")" = "LZ4Block" ] || fail "lz4 magic: $(magic "$LZ435" 8)"
[ "$(head -c 8 "$(one spark35/customer_purchase_analytics/snappy)" | od -An -tx1 | tr -d ' ')" \
    = "82534e4150505900" ] || fail "snappy magic"
[ "$(head -c 2 "$(one spark35/customer_purchase_analytics/lzf)")" = "ZV" ] || fail "lzf magic"
gzip -t "$(one spark35/customer_purchase_analytics/gzip)" || fail "gzip -t"
[ "$(head -c 33 "$PLAIN")" = '{"Event":"SparkListenerLogStart",' ] \
    || fail "$PLAIN is not plain JSON: $(magic "$PLAIN" 16)"
GOOD=(spark4/*/eventlog_v2_* spark35/*/*/*)
python3 "$HERE/inspect_log.py" --check "${GOOD[@]}" >"$RUNS/check.txt" || { cat "$RUNS/check.txt"; fail "inspect --check"; }
python3 "$HERE/inspect_log.py" --check damaged/spark_version_2.4.8/* damaged/unknown_event/* >>"$RUNS/check.txt" \
    || { cat "$RUNS/check.txt"; fail "damaged copies that must still parse"; }
for f in damaged/inprogress/* damaged/corrupt_zstd/* damaged/truncated_lz4/*; do
    if python3 "$HERE/inspect_log.py" --check "$f" >>"$RUNS/check.txt"; then fail "$f still decodes"; fi
done
zstd -q -t damaged/corrupt_zstd/* 2>/dev/null && fail "zstd -t accepts the corrupt copy"
[ "$(ls spark4/recomputed_lineage_rolled/eventlog_v2_*/ | grep -c '^events_')" -ge 2 ] \
    || fail "the rolled log has fewer than 2 parts"
cat "$RUNS/check.txt"

{
    echo "# Generated by generate.sh: python3 inspect_log.py on every log (paths relative to logs/)."
    echo "# Byte counts of reads are fixed by the data; written bytes can vary slightly between runs."
    for log in "${GOOD[@]}" damaged/spark_version_2.4.8/* damaged/unknown_event/*; do
        python3 "$HERE/inspect_log.py" "$log"
        echo
    done
} >"$OUT/SUMMARY.txt"

# Every committed file (SUMMARY.txt included) must stay under 1,000,000 bytes.
big="$(find . -type f -size +999999c -printf '%p (%s B)\n')"
[ -z "$big" ] || fail "files of 1,000,000 bytes or more under logs/: $big"

rm -rf "$HERE/logs"
mv "$OUT" "$HERE/logs"
say "done: $(du -sh "$HERE/logs" | cut -f1) in $HERE/logs"
