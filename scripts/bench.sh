#!/usr/bin/env bash
# All benchmarks, each a ratio against a baseline run side by side in the same run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TRACELINT_BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"
"$root/scripts/build.sh" "$build"
echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for t in 1 2; do
  echo "== runtime, OMP_NUM_THREADS=$t"
  OMP_NUM_THREADS=$t TL_CHECK_MODE=warn "$build/bench/runtime_bench" "${ROUNDS:-5}" | sed -n '/^| comparison/,$p'
done
echo "== analyzer"
"$root/bench/analyzer_bench.sh"
