#!/usr/bin/env bash
# Configures (once) and builds the whole tree with Ninja; -j2 keeps the Clang TUs within memory.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$build" -j "${TRACELINT_JOBS:-2}"
