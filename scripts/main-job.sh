#!/usr/bin/env bash
# The main job on the bundled examples: set up, build, run tracelint over examples/, run every
# example under the runtime's checks with TL_REPORT, and join both sides with `tracelint confirm`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TRACELINT_BUILD_DIR:-$root/build}
out=${TRACELINT_MAIN_JOB_DIR:-$build/main-job}
"$root/scripts/setup.sh"
"$root/scripts/build.sh" "$build"
rm -rf "$out" && mkdir -p "$out/runtime"

echo "== 1. tracelint over examples/ (static)"
set +e
"$build/analyzer/tracelint" -p "$build" -j 2 --quiet "$root"/examples/*.cpp
"$build/analyzer/tracelint" -p "$build" -j 2 --quiet --format=json --output="$out/static.json" "$root"/examples/*.cpp
rc=$?
set -e
[ $rc -le 1 ] || { echo "tracelint failed with exit code $rc"; exit $rc; }

echo "== 2. the examples under the runtime's checks (TL_CHECK_MODE=warn, TL_REPORT)"
for example in "$root"/examples/*.cpp; do
  name=$(basename "$example" .cpp)
  printf '%-50s ' "$name"
  TL_REPORT="$out/runtime/$name.json" TL_CHECK_MODE=warn "$build/examples/$name" >"$out/runtime/$name.out" 2>&1 || true
  observed=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(", ".join(sorted({o["rule"] for o in r["observations"]})) or "-")' "$out/runtime/$name.json")
  echo "$observed"
done

echo "== 3. tracelint confirm"
"$build/analyzer/tracelint" confirm --static "$out/static.json" --dynamic "$out"/runtime/*.json
