#!/usr/bin/env bash
# All benchmarks, printed as one table of ratios against baselines measured in the same run, with
# the goals (bench/summarize.py holds them). The runtime benchmark, libtorch and the hand-written
# Eigen program alternate round by round (one process each per round and thread count), so load on
# this shared machine hits them alike.
#   ROUNDS=5        rounds (each figure is a median over them)
#   THREADS="1 2"   OMP_NUM_THREADS values for the runtime cases
#   SKIP_ANALYZER=1 runtime only
#   SKIP_BUILD=1    use the benchmarks already built in the build directory (no setup, no build)
#   OPENBLAS_CORETYPE  OpenBLAS's kernel set. Unset on a CPU with AVX-512 (F, BW, DQ, VL), this script
#                   sets SkylakeX: Debian's OpenBLAS 0.3.21 does not know newer AMD cores (this machine's
#                   EPYC is family 26, Zen 5) and falls back to its Haswell (AVX2) kernels, which run the
#                   MLP's GEMMs 1.6-1.8x slower than its AVX-512 ones. tl and libtorch both call this
#                   OpenBLAS; the Eigen program is built -march=native. OPENBLAS_CORETYPE=detect keeps
#                   OpenBLAS's own choice.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TRACELINT_BUILD_DIR:-$root/build}
rounds=${ROUNDS:-5}
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  TRACELINT_SETUP_EXTRA="libtorch-dev clang-tidy-19 libeigen3-dev" "$root/scripts/setup.sh"
  "$root/scripts/build.sh" "$build"
  cmake -S "$root" -B "$build" >/dev/null  # finds libtorch and Eigen if they were installed after the first configure
  cmake --build "$build" --target libtorch_bench mlp_eigen_bench
fi
if [[ -z "${OPENBLAS_CORETYPE:-}" ]] &&
  flags=$(grep -m1 '^flags' /proc/cpuinfo) &&
  [[ " $flags " == *" avx512f "* && " $flags " == *" avx512bw "* && " $flags " == *" avx512dq "* && " $flags " == *" avx512vl "* ]]; then
  export OPENBLAS_CORETYPE=SkylakeX
elif [[ "${OPENBLAS_CORETYPE:-}" == detect ]]; then
  unset OPENBLAS_CORETYPE
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
{
  echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load at start $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# $(date -Is), rounds=$rounds, OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-detected by OpenBLAS}"
} | tee "$log"
for r in $(seq "$rounds"); do
  for t in ${THREADS:-1 2}; do
    echo "round $r/$rounds, OMP_NUM_THREADS=$t" >&2
    OMP_NUM_THREADS=$t "$build/bench/runtime_bench" 1 >>"$log"
    OMP_NUM_THREADS=$t "$build/bench/libtorch_bench" 1 >>"$log"
    OMP_NUM_THREADS=$t "$build/bench/mlp_eigen_bench" 1 >>"$log"
  done
done
if [[ "${SKIP_ANALYZER:-0}" != 1 ]]; then
  echo "analyzer benchmarks" >&2
  TRACELINT_BUILD_DIR="$build" RUNS="$rounds" "$root/bench/analyzer_bench.sh" >>"$log"
fi
echo "# load at end $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$log"
if [[ -n "${BENCH_LOG:-}" ]]; then cp "$log" "$BENCH_LOG"; fi
python3 "$root/bench/summarize.py" "$log"
