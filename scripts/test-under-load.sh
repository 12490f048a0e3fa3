#!/usr/bin/env bash
# The README's test command, RUNS times in a row (default 2), from a fresh clone of this checkout's
# HEAD, while two busy loops keep both cores loaded: no test's verdict may depend on speed.
#   RUNS=2 scripts/test-under-load.sh [ctest args]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-2}
work=$(mktemp -d)
load_pids=()
cleanup() {
  for p in "${load_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
git clone -q "$root" "$work/clone"
for _ in 1 2; do
  (while :; do :; done) &
  load_pids+=($!)
done
for r in $(seq "$runs"); do
  echo "== run $r/$runs under load (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  start=$(date +%s)
  "$work/clone/scripts/test.sh" "$@"
  echo "== run $r/$runs passed in $(( $(date +%s) - start )) s"
done
