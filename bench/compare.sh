#!/usr/bin/env bash
# Benchmark: sparkfix against ruff and ast-grep on a generated corpus of PySpark jobs.
# Prints wall time (best of 3) and peak memory side by side. Not part of the test suite.
#
#   bash bench/compare.sh            # 3000 files
#   FILES=20000 bash bench/compare.sh
set -euo pipefail
cd "$(dirname "$0")/.."
files=${FILES:-3000}

cargo build --release --quiet
sparkfix=target/release/sparkfix

# Peers, installed from PyPI into a private virtualenv.
venv=target/bench-venv
if [ ! -x "$venv/bin/ruff" ] || [ ! -x "$venv/bin/ast-grep" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet ruff ast-grep-cli
fi

# The corpus: copies of the examples and the rule fixtures (all but the one with a syntax error),
# plus one plain-Python file in four that has no Spark marker.
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
mapfile -t sources < <(ls examples/*.py tests/fixtures/*/*.py | grep -v syntax_error)
printf 'import os\n\ndef main():\n    for p in os.listdir("."):\n        print(os.path.join(".", p))\n' > "$corpus/plain.txt"
for ((i = 0; i < files; i++)); do
    dir="$corpus/repo$((i / 500))"
    mkdir -p "$dir"
    if ((i % 4 == 3)); then
        cp "$corpus/plain.txt" "$dir/util_$i.py"
    else
        cp "${sources[i % ${#sources[@]}]}" "$dir/job_$i.py"
    fi
done
rm "$corpus/plain.txt"
bytes=$(du -sb "$corpus" | cut -f1)

measure() {
    local best="" mem=0 stats
    stats=$(mktemp)
    for _ in 1 2 3; do
        # Exit codes 1 (findings) are expected: only the figures matter here.
        /usr/bin/time -o "$stats" -f '%e %M' "$@" >/dev/null 2>&1 || true
        local secs kb
        read -r secs kb < <(tail -n 1 "$stats")
        if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
        if ((kb > mem)); then mem=$kb; fi
    done
    rm -f "$stats"
    local label="$(basename "$1") ${*:2}"
    printf '%-60s %8s s %8d MB\n' "${label//$corpus/CORPUS}" "$best" $((mem / 1024))
}

echo "corpus: $files files, $((bytes / 1024)) KiB, $(nproc) cores"
printf '%-60s %10s %11s\n' "command" "wall" "peak RSS"
measure "$sparkfix" "$corpus"
measure "$sparkfix" --diff "$corpus"
measure "$venv/bin/ruff" check --no-cache --select ALL --quiet "$corpus"
measure "$venv/bin/ruff" check --no-cache --select F --quiet "$corpus"
measure "$venv/bin/ast-grep" run --pattern '$DF.count()' --lang python "$corpus"
