#!/usr/bin/env bash
# Joining works across several runtime reports (one per process) and for findings in headers.
set -euo pipefail
tool=$1 binary=$2 src=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$tool" "$src/tests/confirm/header_hazard.cpp" --quiet --header-filter='counters\.h' --format=sarif \
  --repo-root="$src" --output="$work/static.sarif" -- -std=c++20 -I"$src/runtime/include" || [ $? -eq 1 ]
TL_REPORT="$work/a.json" "$binary" a 2>/dev/null
TL_REPORT="$work/b.json" "$binary" b 2>/dev/null
"$tool" confirm --static "$work/static.sarif" --dynamic "$work/a.json" "$work/b.json" --format=json --output="$work/c.json" --fail-on-missed
python3 - "$work/c.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
s = c["summary"]
assert s["static_findings"] == 2 and s["confirmed"] == 2, s
assert s["runtime_observations"] == 2 and s["missed"] == 0, s
# The hazard is in counters.h, reached from header_hazard.cpp's traced functions: the main file's
# findings, at its calls (issue 28.1), and they still join with the runtime's observations.
assert all(x["file"].endswith("header_hazard.cpp") for x in c["static"]), c["static"]
assert sorted(x["function"] for x in c["runtime"]) == ["first", "second"]
print("confirm across processes and headers: ok")
PY
