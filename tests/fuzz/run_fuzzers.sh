#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang-19 (-fsanitize=fuzzer,address,undefined) and runs each
# for FUZZ_SECONDS (default 60) from the seed corpora. Extended test mode: not part of CI.
#   fuzz_config   .tracelint.json parsing and API-pack loading
#   fuzz_report   the static and runtime report parsers of `tracelint confirm`, and the join
#   fuzz_source   the analyzer (Clang and every check) on arbitrary source text
#   fuzz_ops      the runtime's shape inference, broadcasting and op builders, eager and traced
#   FUZZ_ONLY="source ops"   a subset
#   FUZZ_BUILD_ONLY=1        build the harnesses and replay the regressions, run nothing (campaign.sh)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${FUZZ_DIR:-$root/build-fuzz}
seconds=${FUZZ_SECONDS:-60}
only=${FUZZ_ONLY:-config report source ops}
TRACELINT_SETUP_EXTRA="libclang-rt-19-dev" "$root/scripts/setup.sh"
mkdir -p "$out"
want() { [[ " $only " == *" $1 "* ]]; }
san=(-fsanitize=address,undefined -fno-sanitize-recover=undefined)
core=("$root"/analyzer/core/{Catalogue,Config,Fingerprint,Glob,JsonFile,Nolint,Pack}.cpp "$root/analyzer/confirm/Confirm.cpp"
      "$root"/analyzer/output/{Columns,OutputFile,SourceText}.cpp)
flags=(-std=c++20 -O1 -g "${san[@]}" -I"$root/analyzer" -DTRACELINT_SOURCE_RULES_DIR=\""$root/rules"\")

# Objects are compiled once per change (the analyzer's take minutes), two at a time, with
# -fsanitize=fuzzer-no-link so libFuzzer sees their coverage; harnesses link with -fsanitize=fuzzer.
# An object is rebuilt when its source or any header of the project is newer.
OBJS=()
build_objects() {  # build_objects <object dir> <sources...> -- <flags...>; sets OBJS
  local objdir=$1
  shift
  local srcs=()
  while [[ $1 != -- ]]; do srcs+=("$1"); shift; done
  shift
  mkdir -p "$objdir"
  local newest_header
  newest_header=$(find "$root/analyzer" "$root/runtime" -name '*.h' -printf '%T@ %p\n' | sort -n | tail -1 | cut -d' ' -f2)
  local pids=()
  OBJS=()
  for src in "${srcs[@]}"; do
    local obj="$objdir/$(echo "${src#"$root"/}" | tr / _).o"
    OBJS+=("$obj")
    if [[ ! -f "$obj" || "$src" -nt "$obj" || "$newest_header" -nt "$obj" ]]; then
      clang++-19 "$@" -fsanitize=fuzzer-no-link -c "$src" -o "$obj" &
      pids+=($!)
      if ((${#pids[@]} >= 2)); then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
    fi
  done
  for p in "${pids[@]}"; do wait "$p"; done
}

if want config || want report; then
  for h in config report; do
    want $h || continue
    clang++-19 "${flags[@]}" -fsanitize=fuzzer "$root/tests/fuzz/fuzz_$h.cpp" "${core[@]}" -o "$out/fuzz_$h"
  done
fi
if want source; then
  llvm=/usr/lib/llvm-19
  # LLVM is built without RTTI; our classes derive from Clang's, so they must be too.
  aflags=("${flags[@]}" -fno-rtti -isystem "$llvm/include" -D_GNU_SOURCE -D__STDC_CONSTANT_MACROS
          -D__STDC_FORMAT_MACROS -D__STDC_LIMIT_MACROS -DTRACELINT_LLVM_MAJOR=\"19\"
          -DTRACELINT_CLANG_RESOURCE_DIR=\""$llvm/lib/clang/19"\" -DTRACELINT_VERSION=\"fuzz\")
  srcs=("${core[@]}" "$root"/analyzer/model/*.cpp "$root"/analyzer/checks/*.cpp "$root/analyzer/cli/Driver.cpp"
        "$root"/analyzer/cli/{FileAnalysis,FindingFilter,ResultCache}.cpp)
  build_objects "$out/obj-analyzer" "${srcs[@]}" -- "${aflags[@]}"
  clang++-19 "${aflags[@]}" -DTRACELINT_FUZZ_STUB_PATH=\""$root/tests/fuzz/tl_stub.h"\" -fsanitize=fuzzer \
    "$root/tests/fuzz/fuzz_source.cpp" "${OBJS[@]}" -L"$llvm/lib" -Wl,-rpath,"$llvm/lib" -lclang-cpp -lLLVM \
    -o "$out/fuzz_source"
fi
if want ops; then
  rflags=(-std=c++20 -O1 -g "${san[@]}" -fopenmp -Wno-pass-failed -I"$root/runtime/include" -I"$root/runtime/src"
          -I/usr/include/x86_64-linux-gnu/openblas-openmp)
  build_objects "$out/obj-runtime" "$root"/runtime/src/*/*.cpp -- "${rflags[@]}"
  clang++-19 "${rflags[@]}" -fsanitize=fuzzer "$root/tests/fuzz/fuzz_ops.cpp" "${OBJS[@]}" -lopenblas \
    -o "$out/fuzz_ops"
fi

for h in $only; do
  mkdir -p "$out/corpus_$h"
  cp -n "$root/tests/fuzz/corpus/$h/"* "$out/corpus_$h/" 2>/dev/null || true
  if [[ $h == source ]]; then
    # The annotated analyzer cases seed the source corpus, without their standard-library includes
    # (the harness parses with -nostdinc against tests/fuzz/tl_stub.h).
    for c in "$root"/tests/analyzer/cases/*.cpp; do
      grep -v -e '^#include <[^t]' -e '#include <tl/testing' "$c" > "$out/corpus_source/case-$(basename "$c")"
    done
  fi
  # Every input that once crashed a harness must pass now.
  for r in "$root"/tests/fuzz/regressions/"$h"-* "$root"/tests/fuzz/regressions/any-*; do
    [[ -f "$r" ]] || continue
    "$out/fuzz_$h" "$r" >/dev/null 2>&1 || { echo "regression $r fails fuzz_$h"; exit 1; }
  done
  [[ -n "${FUZZ_BUILD_ONLY:-}" ]] && continue
  echo "== fuzz_$h for $seconds s"
  cd "$out"  # crash files land in the build tree
  # -timeout: an input that takes longer than 10 s is a hang, reported as a crash.
  OMP_NUM_THREADS=1 "$out/fuzz_$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
    "$out/corpus_$h" 2>&1 | grep -E "stat::number_of_executed_units|stat::peak_rss|ERROR|SUMMARY|Test unit written" || true
done
