#!/usr/bin/env bash
# Benchmark: the example job before and after SPK005 (count-in-passing) with real PySpark, on
# the data of tests/eventlogs/make_data.py (3 million transactions), local[2]. Runs each version
# RUNS times (alternating) and prints the median wall time of each. Not part of the test suite.
#
#   bash bench/count_in_passing.sh         # 3 runs each
#   RUNS=5 bash bench/count_in_passing.sh
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}

cargo build --release --quiet
python=target/spark-venv/bin/python
if [ ! -x "$python" ]; then
    echo "no target/spark-venv: run the test suite once (it installs PySpark there)" >&2
    exit 1
fi
export SPARK_LOCAL_IP=127.0.0.1 PYSPARK_PYTHON="$PWD/$python"
export PYSPARK_SUBMIT_ARGS="--master local[2] --conf spark.ui.enabled=false pyspark-shell"
unset SPARK_HOME

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python" tests/eventlogs/make_data.py "$work/data" > /dev/null 2>&1
sed "s#s3://bucket/#file://$work/data/bucket/#g" examples/customer_purchase_analytics.py > "$work/before.py"
cp "$work/before.py" "$work/after.py"
target/release/sparkfix --write --unsafe-fixes --select SPK005 "$work/after.py" > /dev/null 2>&1 || true
grep -q "observe(" "$work/after.py" || { echo "SPK005 did not rewrite the job" >&2; exit 1; }

time_of() {
    local start end
    start=$(date +%s.%N)
    "$python" "$1" > /dev/null 2>&1
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}
median() { sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] }'; }

: > "$work/before.times"
: > "$work/after.times"
for ((i = 0; i < runs; i++)); do
    time_of "$work/before.py" >> "$work/before.times"
    time_of "$work/after.py" >> "$work/after.times"
done
before=$(median < "$work/before.times")
after=$(median < "$work/after.times")
printf '%-44s %8s\n' "example job (PySpark $("$python" -c 'import pyspark; print(pyspark.__version__)'), local[2])" "median"
printf '%-44s %7s s\n' "as written (4 logging counts)" "$before"
printf '%-44s %7s s\n' "after SPK005 (2 counts folded into the write)" "$after"
printf '%-44s %7.2fx\n' "speed-up" "$(echo "$before / $after" | bc -l)"
