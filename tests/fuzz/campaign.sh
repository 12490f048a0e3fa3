#!/usr/bin/env bash
# A long fuzzing campaign with a persistent corpus (not run in CI; run_fuzzers.sh is the short one).
# Builds the harnesses through run_fuzzers.sh, then runs each until it has executed its target
# number of inputs, keeping what it learns in $CAMPAIGN_DIR/corpus_<harness> for the next campaign.
#   CAMPAIGN_ONLY="config report"   harnesses to run (default: config report source; ops on request,
#                                   since the runtime is built for it)
#   CAMPAIGN_RUNS_<harness>=N       executions (defaults: config and report 10,000,000, source
#                                   200,000, ops 10,000,000)
#   CAMPAIGN_DIR                    corpora, crash files and logs (default: build-fuzz/campaign)
#   CAMPAIGN_SECONDS=S              stop each harness after S seconds even short of its target
# Run it niced on a shared machine: nice -n 19 tests/fuzz/campaign.sh
# Prints one line per harness: executions, seconds, corpus size and crash files found.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${FUZZ_DIR:-$root/build-fuzz}
only=${CAMPAIGN_ONLY:-config report source}
campaign=${CAMPAIGN_DIR:-$out/campaign}
declare -A default_runs=([config]=10000000 [report]=10000000 [source]=200000 [ops]=10000000)

# Builds what is missing and replays every regression input first (a known crash stops the campaign).
FUZZ_ONLY="$only" FUZZ_BUILD_ONLY=1 FUZZ_DIR="$out" "$root/tests/fuzz/run_fuzzers.sh"
mkdir -p "$campaign"
for h in $only; do
  var="CAMPAIGN_RUNS_$h"
  runs=${!var:-${default_runs[$h]}}
  corpus="$campaign/corpus_$h"
  crashes="$campaign/crashes_$h"
  mkdir -p "$corpus" "$crashes"
  # Seeds from the short runs' corpus (which run_fuzzers.sh has just refreshed); -n keeps ours.
  cp -n "$out/corpus_$h/"* "$corpus/" 2>/dev/null || true
  log="$campaign/fuzz_$h.log"
  start=$(date +%s)
  # A crash ends that harness's run (libFuzzer's way) with its input in $crashes; -timeout: an input
  # running over 10 s is a hang. The executions are counted from libFuzzer's final stats.
  (cd "$crashes" && OMP_NUM_THREADS=1 "$out/fuzz_$h" -runs="$runs" ${CAMPAIGN_SECONDS:+-max_total_time=$CAMPAIGN_SECONDS} -timeout=10 -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix="$crashes/" "$corpus" >"$log" 2>&1) || true
  took=$(( $(date +%s) - start ))
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo 0)
  found=$(find "$crashes" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l)
  echo "fuzz_$h: $execs executions in $took s, corpus $(ls "$corpus" | wc -l) inputs, $found crash/hang/oom files in $crashes (log: $log)"
done
