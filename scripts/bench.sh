#!/usr/bin/env bash
# All benchmarks, printed as one table of ratios against baselines measured in the same run, with
# the goals (bench/summarize.py holds them). The runtime benchmark, libtorch and the hand-written
# Eigen program (and the FMA peak probe) alternate round by round (one process each per round and thread count), so load on
# this shared machine hits them alike.
#   ROUNDS=5        rounds (each figure is a median over them)
#   THREADS="1 2"   OMP_NUM_THREADS values for the runtime cases
#   SKIP_ANALYZER=1 runtime only
#   SKIP_BUILD=1    use the benchmarks already built in the build directory (no setup, no build)
#   OPENBLAS_CORETYPE is passed through and recorded: it names OpenBLAS's kernel set for every program
#   here that calls OpenBLAS (tl and libtorch). Unset, OpenBLAS picks by CPU (Cooperlake, AVX-512, on
#   this machine's EPYC); this machine's environment sets Haswell (AVX2), whose kernels run the MLP's
#   two large GEMMs 1.6-1.9x slower than the AVX-512 ones (docs/performance.md). The Eigen program
#   is built -march=native whatever it says.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TRACELINT_BUILD_DIR:-$root/build}
rounds=${ROUNDS:-5}
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  TRACELINT_SETUP_EXTRA="libtorch-dev clang-tidy-19 libeigen3-dev" "$root/scripts/setup.sh"
  "$root/scripts/build.sh" "$build"
  cmake -S "$root" -B "$build" >/dev/null  # finds libtorch and Eigen if they were installed after the first configure
  cmake --build "$build" --target libtorch_bench mlp_eigen_bench fma_peak_bench
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
{
  echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load at start $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# $(date -Is), rounds=$rounds, OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset (detected by OpenBLAS)}"
} | tee "$log"
for r in $(seq "$rounds"); do
  for t in ${THREADS:-1 2}; do
    echo "round $r/$rounds, OMP_NUM_THREADS=$t" >&2
    OMP_NUM_THREADS=$t "$build/bench/runtime_bench" 1 >>"$log"
    OMP_NUM_THREADS=$t "$build/bench/libtorch_bench" 1 >>"$log"
    OMP_NUM_THREADS=$t "$build/bench/mlp_eigen_bench" 1 >>"$log"
    OMP_NUM_THREADS=$t "$build/bench/fma_peak_bench" 1 >>"$log"
  done
done
if [[ "${SKIP_ANALYZER:-0}" != 1 ]]; then
  echo "analyzer benchmarks" >&2
  TRACELINT_BUILD_DIR="$build" RUNS="$rounds" "$root/bench/analyzer_bench.sh" >>"$log"
fi
echo "# load at end $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$log"
if [[ -n "${BENCH_LOG:-}" ]]; then cp "$log" "$BENCH_LOG"; fi
python3 "$root/bench/summarize.py" "$log"
