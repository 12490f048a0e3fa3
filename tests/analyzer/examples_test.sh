#!/usr/bin/env bash
# tracelint over examples/: exactly the buggy examples are flagged.
set -euo pipefail
tool=$1 src=$2 build=$3
expected=$(cd "$src/examples" && ls *_buggy.cpp | tr "\n" " " | sed "s/ $//")
out=$("$tool" -p "$build" --format=json --quiet "$src"/examples/*.cpp) || { echo "tracelint failed: $?"; exit 1; }
flagged=$(printf '%s' "$out" | python3 -c '
import json, sys, os
r = json.load(sys.stdin)
print(" ".join(sorted(os.path.basename(f["uri"]) for f in r["files"] if f["diagnostics"])))')
echo "flagged: $flagged"
[ "$flagged" = "$expected" ] || { echo "expected: $expected"; exit 1; }
