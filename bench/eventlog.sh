#!/usr/bin/env bash
# Benchmark: reading a large Spark event log. Builds a log of about 1 GiB (uncompressed) by
# repeating the events of a real log of tests/eventlogs/ (a run of the example job), then times
# `sparkfix profile` on it, plain and zstd-compressed as Spark 4 writes it, next to two peers
# that read the same bytes: Python's json module parsing every line (what a Python advisor does)
# and `jq -c .Event` (a streaming JSON tool), plus `zstd -dc` alone (the floor: decompression).
# Prints wall time and peak memory side by side. Not part of the test suite.
#
#   bash bench/eventlog.sh              # 1 GiB
#   GIB=2 bash bench/eventlog.sh
set -euo pipefail
cd "$(dirname "$0")/.."
gib=${GIB:-1}

cargo build --release --quiet
sparkfix=target/release/sparkfix

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The seed: the Spark 3.5 log of the example job (every event kind a real run writes), kept
# gzipped in the repository.
gz=$(find tests/eventlogs/logs/spark35/customer_purchase_analytics/gzip -name '*.gz' | head -1)
if [ -z "$gz" ]; then
    echo "no gzipped Spark 3.5 log under tests/eventlogs/logs: run tests/eventlogs/generate.sh" >&2
    exit 1
fi
seed="$work/seed"
gzip -dc "$gz" > "$seed"
big="$work/app-bench"
target=$((gib * 1024 * 1024 * 1024))
# The first copy whole; then the events between the environment and the application end, again
# and again: one application with many queries, stages and tasks.
cp "$seed" "$big"
grep -v -e SparkListenerLogStart -e SparkListenerApplicationStart -e SparkListenerApplicationEnd \
    -e SparkListenerEnvironmentUpdate "$seed" > "$work/middle"
while [ "$(stat -c %s "$big")" -lt "$target" ]; do
    cat "$work/middle" "$work/middle" "$work/middle" "$work/middle" >> "$big"
done
bytes=$(stat -c %s "$big")
lines=$(wc -l < "$big")
zstd -q -3 -T2 "$big" -o "$big.zstd"
zbytes=$(stat -c %s "$big.zstd")
echo "log: $lines events, $((bytes / 1024 / 1024)) MiB plain, $((zbytes / 1024 / 1024)) MiB as zstd (seed: $gz)"
echo

measure() {
    local name=$1
    shift
    local stats
    /usr/bin/time -o "$work/time" -f '%e %M' "$@" > /dev/null 2>&1 || true
    stats=$(tail -1 "$work/time")
    local seconds=${stats% *} kib=${stats#* }
    printf '%-40s %8.1f s %8d MB %8.0f MB/s\n' "$name" "$seconds" $((kib / 1024)) \
        "$(echo "$bytes / 1048576 / $seconds" | bc -l)"
}

printf '%-40s %10s %11s %13s\n' "reader" "wall" "peak RSS" "plain MB/s"
measure "sparkfix profile (plain)" "$sparkfix" profile "$big"
measure "sparkfix profile (zstd)" "$sparkfix" profile "$big.zstd"
measure "zstd -dc (decompression only)" zstd -dc "$big.zstd"
if command -v jq >/dev/null; then
    measure "jq -c .Event (plain)" jq -c .Event "$big"
fi
measure "python3 json.loads per line (plain)" python3 -c '
import json, sys
for line in open(sys.argv[1], "rb"):
    json.loads(line)
' "$big"
