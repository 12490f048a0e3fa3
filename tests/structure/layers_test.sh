#!/usr/bin/env bash
# The runtime's includes obey docs/architecture.md's layer order, and the checker catches an include
# that points up and two modules that include each other.
set -euo pipefail
root=$1
python3 "$root/scripts/check_layers.py" "$root"
fixture=$(mktemp -d)
trap 'rm -rf "$fixture"' EXIT
mkdir -p "$fixture/docs" "$fixture/runtime/src/core" "$fixture/runtime/src/tracer"
cp "$root/docs/architecture.md" "$fixture/docs/"
printf '#include "tracer/trace.h"\n' >"$fixture/runtime/src/core/storage.cpp"
printf '#pragma once\n' >"$fixture/runtime/src/core/storage.h"
printf '#pragma once\n#include "core/storage.h"\n' >"$fixture/runtime/src/tracer/trace.h"
printf '#include "tracer/trace.h"\n' >"$fixture/runtime/src/tracer/trace.cpp"
if out=$(python3 "$root/scripts/check_layers.py" "$fixture"); then
  echo "FAIL: the checker accepted an upward include"; exit 1
fi
grep -q "runtime/src/core/storage.cpp (core) includes runtime/src/tracer/trace.h (tracer): up the layer order" <<<"$out" ||
  { echo "FAIL: upward include not named"; echo "$out"; exit 1; }
grep -q "modules include each other: runtime/src/core/storage, runtime/src/tracer/trace" <<<"$out" ||
  { echo "FAIL: the core/tracer cycle not named"; echo "$out"; exit 1; }
echo "PASS: layers"
