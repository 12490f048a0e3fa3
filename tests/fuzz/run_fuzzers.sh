#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang-19 (-fsanitize=fuzzer,address,undefined) and runs each
# for FUZZ_SECONDS (default 60) from the seed corpora. Extended test mode: not part of CI.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${FUZZ_DIR:-$root/build-fuzz}
seconds=${FUZZ_SECONDS:-60}
TRACELINT_SETUP_EXTRA="libclang-rt-19-dev" "$root/scripts/setup.sh"
mkdir -p "$out"
core=("$root"/analyzer/core/{Catalogue,Config,Glob,JsonFile,Nolint,Pack}.cpp "$root/analyzer/confirm/Confirm.cpp")
flags=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I"$root/analyzer"
       -DTRACELINT_SOURCE_RULES_DIR=\""$root/rules"\")
for h in config report; do
  clang++-19 "${flags[@]}" "$root/tests/fuzz/fuzz_$h.cpp" "${core[@]}" -o "$out/fuzz_$h"
  mkdir -p "$out/corpus_$h"
  cp -n "$root/tests/fuzz/corpus/$h/"* "$out/corpus_$h/" 2>/dev/null || true
  # Every input that once crashed a harness must pass now.
  for r in "$root"/tests/fuzz/regressions/*; do "$out/fuzz_$h" "$r" >/dev/null 2>&1 || { echo "regression $r fails fuzz_$h"; exit 1; }; done
  echo "== fuzz_$h for $seconds s"
  cd "$out"  # crash files land in the build tree
  "$out/fuzz_$h" -max_total_time="$seconds" -print_final_stats=1 "$out/corpus_$h" 2>&1 | grep -E "stat::number_of_executed_units|stat::peak_rss|ERROR|SUMMARY" || true
done
