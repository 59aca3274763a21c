#!/usr/bin/env bash
# Benchmark: sparkfix against three peers on two corpora of real Python written by others.
#
#   Peers (from PyPI, in the private virtualenv target/bench-venv):
#     ruff check --select E,F      a fast general linter (the Spark-free yardstick)
#     ast-grep run -p '$A.count()' a structural search over every file
#     pyspark-antipattern check    a PySpark-specific linter
#   Corpora (built here once, under target/bench-corpora/, cached):
#     spark-heavy  the PySpark source distribution's files that use the DataFrame API
#                  (`spark.` or `DataFrame` in the text; Apache Spark's example jobs and the
#                  pyspark library), copied round-robin into numbered folders of 500 files until
#                  about 7,000 files and 800,000 lines
#     spark-free   every .py file of this python3's standard library (site-packages excluded),
#                  test data that is not valid Python included: every tool must cope
#   Files are renamed f00000.py, f00001.py, ... (the map is in target/bench-corpora/*.sources.tsv)
#   so that no tool skips any of them for its name or folder (sparkfix skips test files by
#   default, ruff skips `venv/` folders): every tool sees the same files.
#
# Each corpus gets ONE hyperfine run of the four commands (sparkfix --diff and the peers; non-zero
# exit codes for findings are ignored, output goes to /dev/null), then a table of medians, CPU
# times, each peer's ratio to sparkfix with the issue's target, sparkfix's peak RSS (max of 3 runs
# of GNU time) and the corpus size. At the end, bench/eventlog.sh measures the event-log reader.
# Not part of the test suite. Needs the Rust toolchain, python3 and (for hyperfine and GNU time,
# if missing) apt-get as root or through sudo.
#
# Environment knobs:
#   RUNS=5         hyperfine runs per command (after 1 warmup run)
#   REBUILD=1      rebuild the corpora even if cached (the PySpark download stays cached)
#   SKIP_PEERS=1   time sparkfix alone (no peer install, no ratios)
#   EVENTLOG=0     do not run bench/eventlog.sh at the end (it builds a 1 GiB log; GIB=N there)
#   SPARKFIX=PATH  time this sparkfix binary instead of building target/release/sparkfix
#   PYSPARK=4.0.1  version of the PySpark source distribution to download when no local copy
#
#   bash bench/compare.sh
#   RUNS=10 EVENTLOG=0 bash bench/compare.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${RUNS:-5}
rebuild=${REBUILD:-0}
skip_peers=${SKIP_PEERS:-0}
eventlog=${EVENTLOG:-1}
pyspark_version=${PYSPARK:-4.0.1}
corpora=$root/target/bench-corpora
cache=$root/target/bench-cache
results=$root/target/bench-results
venv=$root/target/bench-venv
mkdir -p "$corpora" "$cache" "$results"

die() { echo "compare.sh: $*" >&2; exit 1; }

# --- Tools -------------------------------------------------------------------------------------
apt_install() { # apt_install PACKAGE: what a missing command needs
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || die "$1 is missing and we are not root: install package '$1'"
        sudo=sudo
    fi
    command -v apt-get >/dev/null || die "$1 is missing and apt-get is unavailable: install '$1' by hand"
    $sudo apt-get update -qq && $sudo apt-get install -y -qq "$1" >/dev/null \
        || die "apt-get install $1 failed: install '$1' by hand"
}
command -v hyperfine >/dev/null || apt_install hyperfine
[ -x /usr/bin/time ] || apt_install time
/usr/bin/time -f %M true 2>/dev/null >/dev/null || die "/usr/bin/time is not GNU time (need -f %M)"

if [ -n "${SPARKFIX:-}" ]; then
    sparkfix=$(realpath "$SPARKFIX")
else
    cargo build --release --quiet
    sparkfix=$root/target/release/sparkfix
fi

# The virtualenv also brings the pip that downloads PySpark (a system python3 may have none).
[ -x "$venv/bin/pip" ] || python3 -m venv "$venv" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
pip=("$venv/bin/pip" --quiet --disable-pip-version-check)
if [ "$skip_peers" != 1 ]; then
    if [ ! -x "$venv/bin/ruff" ] || [ ! -x "$venv/bin/ast-grep" ] || [ ! -x "$venv/bin/pyspark-antipattern" ]; then
        "${pip[@]}" install ruff ast-grep-cli pyspark-antipattern
    fi
fi

# --- Corpora -----------------------------------------------------------------------------------
# The PySpark files: a local PySpark install if there is one (the test suite's), else the
# source distribution from PyPI, downloaded once into target/bench-cache.
pyspark_root() {
    local d
    for d in "$root"/target/spark-venv/lib/python3*/site-packages/pyspark; do
        if [ -d "$d" ]; then echo "$d"; return; fi
    done
    local src=$cache/pyspark-$pyspark_version
    if [ ! -d "$src" ]; then
        local tgz=$cache/pyspark-$pyspark_version.tar.gz
        if [ ! -f "$tgz" ]; then
            echo "downloading the PySpark $pyspark_version source distribution (~430 MB, once)" >&2
            "${pip[@]}" download --no-deps --no-binary :all: -d "$cache" "pyspark==$pyspark_version" >&2
        fi
        tar xzf "$tgz" -C "$cache" --wildcards '*.py'
    fi
    echo "$src"
}

# build_corpus NAME KIND SOURCE_DIR: KIND is spark (filter and replicate) or all (copy once).
build_corpus() {
    local name=$1 kind=$2 src=$3
    if [ "$rebuild" = 1 ] || [ ! -f "$corpora/$name.json" ]; then
        rm -rf "${corpora:?}/$name" "$corpora/$name.json"
        python3 - "$kind" "$src" "$corpora/$name" <<'EOF'
import json, os, re, shutil, sys
kind, src, dest = sys.argv[1:]
FILES, LINES, PER_DIR = 7000, 800_000, 500
cands = []
for d, dirs, files in os.walk(src):
    dirs[:] = sorted(x for x in dirs if x != "site-packages")
    for f in sorted(files):
        if f.endswith(".py"):
            p = os.path.join(d, f)
            data = open(p, "rb").read()
            if kind == "spark" and not re.search(rb"spark\.|DataFrame", data):
                continue
            cands.append((p, data.count(b"\n")))
if not cands:
    sys.exit(f"no source files under {src}")
if kind == "spark":
    # The largest line-count cutoff whose files average at most LINES/FILES lines: copying them
    # round-robin up to FILES files then gives about LINES lines.
    by_len = sorted(cands, key=lambda c: c[1])
    total, keep = 0, 1
    for i, (_, n) in enumerate(by_len, 1):
        total += n
        if total / i <= LINES / FILES:
            keep = i
    chosen = {p for p, _ in by_len[:keep]}
    sel = [c for c in cands if c[0] in chosen]
    picks = [sel[i % len(sel)] for i in range(FILES)]
else:
    sel = picks = cands
lines = nbytes = 0
with open(dest + ".sources.tsv", "w") as m:
    for i, (p, n) in enumerate(picks):
        d = os.path.join(dest, f"d{i // PER_DIR:02d}")
        os.makedirs(d, exist_ok=True)
        out = os.path.join(d, f"f{i:05d}.py")
        shutil.copyfile(p, out)
        lines += n
        nbytes += os.path.getsize(out)
        m.write(f"{os.path.relpath(out, dest)}\t{os.path.relpath(p, src)}\n")
stats = {"distinct": len(sel), "files": len(picks), "lines": lines, "bytes": nbytes, "source": src}
json.dump(stats, open(dest + ".json", "w"))
EOF
    fi
    python3 -c 'import json, sys
s = json.load(open(sys.argv[1]))
print("corpus %s: %d distinct source files, %d files, %d lines, %.1f MB (from %s)"
      % (sys.argv[2], s["distinct"], s["files"], s["lines"], s["bytes"] / 1e6, s["source"]))' \
        "$corpora/$name.json" "$name"
}

build_corpus spark-heavy spark "$(pyspark_root)"
build_corpus spark-free all "$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')"

# --- Versions ----------------------------------------------------------------------------------
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/^Mem:/{print $2}') GiB"
echo "sparkfix $(git rev-parse --short HEAD 2>/dev/null || echo '?') ($("$sparkfix" --version))"
if [ "$skip_peers" != 1 ]; then
    echo "$("$venv/bin/ruff" --version); $("$venv/bin/ast-grep" --version);" \
        "pyspark-antipattern $("$venv/bin/pip" show pyspark-antipattern | awk '/^Version:/{print $2}')"
fi
echo "$(hyperfine --version); $(python3 --version)"

# --- Timing ------------------------------------------------------------------------------------
peak_rss() { # peak_rss CMD...: the max of 3 runs' peak RSS, in KiB
    local max=0 kb i
    for i in 1 2 3; do
        /usr/bin/time -o "$results/time.txt" -f %M "$@" >/dev/null 2>&1 || true
        kb=$(tail -n 1 "$results/time.txt")
        if ((kb > max)); then max=$kb; fi
    done
    echo "$max"
}

bench() { # bench NAME
    local name=$1 corpus=$corpora/$1
    local -a cmds=(-n sparkfix "'$sparkfix' --diff '$corpus'")
    if [ "$skip_peers" != 1 ]; then
        cmds+=(-n ruff "'$venv/bin/ruff' check --select E,F --no-cache --quiet '$corpus'"
               -n ast-grep "'$venv/bin/ast-grep' run -p '\$A.count()' --lang python '$corpus'"
               -n pyspark-antipattern "'$venv/bin/pyspark-antipattern' check '$corpus'")
    fi
    echo
    echo "== $name: hyperfine, 1 warmup + $runs runs per command"
    hyperfine -N --warmup 1 --runs "$runs" --ignore-failure --style basic \
        --export-json "$results/$name.json" "${cmds[@]}"
    peak_rss "$sparkfix" --diff "$corpus" > "$results/$name.rss"
}

report() { # report NAME: the table, from hyperfine's JSON
    python3 - "$1" "$results/$1.json" "$results/$1.rss" "$corpora/$1.json" <<'EOF'
import json, sys
name, hf, rss, corpus = sys.argv[1:]
res = json.load(open(hf))["results"]
med = {r["command"]: r["median"] for r in res}
cpu = {r["command"]: r["user"] + r["system"] for r in res}
c = json.load(open(corpus))
kib = int(open(rss).read())
# The issue's targets: sparkfix's time as a fraction of the peer's, at most this.
targets = {"spark-heavy": {"ast-grep": 0.8, "pyspark-antipattern": 0.5},
           "spark-free": {"ruff": 0.05}}[name]
sf = med["sparkfix"]
print(f"\n{name}: {c['files']} files, {c['lines']} lines, {c['bytes'] / 1e6:.1f} MB; "
      f"sparkfix --diff peak RSS {kib / 1024:.1f} MiB (max of 3 runs)")
print(f"{'command':<22}{'median s':>10}{'CPU s':>8}{'peer/sparkfix':>15}{'sparkfix/peer':>15}  target (sparkfix/peer)")
for cmd, m in med.items():
    if cmd == "sparkfix":
        print(f"{cmd:<22}{m:>10.3f}{cpu[cmd]:>8.2f}")
        continue
    line = f"{cmd:<22}{m:>10.3f}{cpu[cmd]:>8.2f}{m / sf:>14.2f}x{sf / m:>14.3f}x"
    if cmd in targets:
        t = targets[cmd]
        line += f"  <= {t}x: target {'met' if sf / m <= t else 'missed'}"
    print(line)
EOF
}

bench spark-heavy
bench spark-free
echo
echo "== results: median wall time; CPU s = mean user+system time (less sensitive to other load);"
echo "   ratios of medians: peer/sparkfix > 1 means sparkfix is faster; sparkfix/peer is what the targets bound"
report spark-heavy
report spark-free

if [ "$eventlog" = 1 ]; then
    echo
    echo "== event-log reader: bench/eventlog.sh"
    bash bench/eventlog.sh || echo "bench/eventlog.sh failed (exit $?)" >&2
fi
