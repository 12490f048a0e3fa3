#!/usr/bin/env bash
# The runtime, the analyzer, all their tests and the examples under AddressSanitizer +
# UndefinedBehaviorSanitizer (build-asan/; Clang's own libraries are not instrumented, our code
# around them is), then the runtime tests under ThreadSanitizer (build-tsan/). Any report fails the run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TRACELINT_ASAN_BUILD_DIR:-$root/build-asan}
"$root/scripts/setup.sh"
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTRACELINT_SANITIZE=address,undefined \
    -DTRACELINT_BUILD_ANALYZER=ON -DTRACELINT_BUILD_BENCH=OFF
fi
cmake --build "$build" -j "${TRACELINT_JOBS:-2}"

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
(cd "$build" && ctest -j "${TRACELINT_JOBS:-2}" --output-on-failure "$@")

# ThreadSanitizer on the runtime's tests (concurrent calls, retraces from 8 threads, concurrent
# replays). OMP_NUM_THREADS=1 keeps kernels out of OpenMP regions: libgomp is not instrumented, so
# TSan cannot see its synchronization and would report its thread pool.
tsan=${TRACELINT_TSAN_BUILD_DIR:-$root/build-tsan}
if [ ! -f "$tsan/build.ninja" ]; then
  cmake -S "$root" -B "$tsan" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTRACELINT_SANITIZE=thread \
    -DTRACELINT_BUILD_ANALYZER=OFF -DTRACELINT_BUILD_BENCH=OFF
fi
cmake --build "$tsan" -j "${TRACELINT_JOBS:-2}" --target runtime_tests
echo "== runtime tests under ThreadSanitizer"
OMP_NUM_THREADS=1 TSAN_OPTIONS=halt_on_error=1 "$tsan/tests/runtime/runtime_tests" --gtest_brief=1
