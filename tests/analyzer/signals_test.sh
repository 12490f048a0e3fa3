#!/usr/bin/env bash
# Stopping a run stops its workers (issue 17, item 3): SIGTERM, SIGINT or SIGHUP to the parent alone
# during -j 2 kills the worker processes and removes their result files; a worker dies with its
# parent even when the parent is killed outright. The workers are blocked for good (their file
# includes a FIFO nobody writes to), so every wait below ends on an event, never on a guess of speed.
source "$(dirname "$0")/common.sh"
set -m  # background jobs keep SIGINT (a non-interactive shell would start them with it ignored)
workers=
# Workers a broken build leaves behind would block on the FIFO forever.
cleanup() { kill -9 $workers 2>/dev/null; rm -rf "$dir"; }
mkfifo "$dir/never.fifo"
for f in a b; do printf '#include "%s"\nint main() {}\n' "$dir/never.fifo" > "$dir/$f.cpp"; done
mkdir "$dir/tmp"

alive() { [ -e "/proc/$1" ] && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]; }
# Waits for an event: up to 120 s, a bound only a broken build reaches.
wait_until() { for _ in $(seq 1200); do eval "$1" && return 0; sleep 0.1; done; return 1; }

start_run() {
  TMPDIR="$dir/tmp" "$tool" -j 2 --file-timeout=0 "$dir/a.cpp" "$dir/b.cpp" --quiet -- -std=c++20 >/dev/null 2>&1 &
  parent=$!
  wait_until '[ "$(pgrep -P $parent | wc -l)" -ge 2 ]' || fail "the workers did not start"
  workers=$(pgrep -P "$parent")
}

for sig in TERM INT HUP; do
  start_run
  kill -s "$sig" "$parent"
  wait "$parent"; rc=$?
  [ "$rc" = $((128 + $(kill -l "$sig"))) ] || fail "SIG$sig: the run ended with $rc, not by the signal"
  for w in $workers; do wait_until "! alive $w" || fail "SIG$sig: worker $w still runs"; done
  [ -z "$(ls -A "$dir/tmp")" ] || fail "SIG$sig: left in TMPDIR: $(ls -A "$dir/tmp")"
done

# SIGKILL cannot be handled: the workers die through PR_SET_PDEATHSIG.
start_run
kill -s KILL "$parent"
wait "$parent"
for w in $workers; do wait_until "! alive $w" || fail "SIGKILL: worker $w outlived its parent"; done
echo "signals: ok"
