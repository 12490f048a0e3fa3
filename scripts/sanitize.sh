#!/usr/bin/env bash
# The runtime, its tests and the examples under AddressSanitizer + UndefinedBehaviorSanitizer, in
# their own build tree (build-asan/). Any sanitizer report fails the run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TRACELINT_ASAN_BUILD_DIR:-$root/build-asan}
"$root/scripts/setup.sh"
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTRACELINT_SANITIZE=address,undefined \
    -DTRACELINT_BUILD_ANALYZER=OFF -DTRACELINT_BUILD_BENCH=OFF
fi
cmake --build "$build" -j "${TRACELINT_JOBS:-2}"
cd "$build"
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
ctest -j "${TRACELINT_JOBS:-2}" --output-on-failure "$@"
