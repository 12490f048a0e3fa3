#!/usr/bin/env bash
# The main job on the bundled examples: set up, build, run the analyzer over examples/, then run
# every example (its output shows the runtime behaviour of the bug and of its fix).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TRACELINT_BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"
"$root/scripts/build.sh" "$build"
echo "== tracelint over examples/"
set +e
"$build/analyzer/tracelint" -p "$build" "$root"/examples/*.cpp
rc=$?
set -e
echo "(tracelint exit code $rc: 0 = no error-level findings)"
for example in "$root"/examples/*.cpp; do
  name=$(basename "$example" .cpp)
  echo "== $name: $(grep -m1 -o 'Expect:.*' "$example" || echo 'trains an MLP')"
  "$build/examples/$name" | tail -n 4
done
