#!/usr/bin/env bash
# A longer fuzz run than CI's: an optimized build of tests/fuzz.rs for SECONDS (default 600)
# from a fresh seed (or SPARKFIX_FUZZ_SEED), printing the seed so a failure can be reproduced.
# Failing inputs land in target/fuzz-failures/ (see tests/fuzz/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
seed=${SPARKFIX_FUZZ_SEED:-$(od -An -N8 -tu8 /dev/urandom | tr -d ' ')}
echo "fuzzing for ${seconds}s from seed ${seed}"
SPARKFIX_FUZZ_SECONDS=$seconds SPARKFIX_FUZZ_SEED=$seed SPARKFIX_FUZZ_CASES=1000000000 \
    cargo test --release --locked --test fuzz -- --nocapture
