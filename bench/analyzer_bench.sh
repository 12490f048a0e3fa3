#!/usr/bin/env bash
# The analyzer against its anchors, on the same translation units, alternating runs, median of
# RUNS (default 5) wall times, printed as RESULT lines for bench/summarize.py:
#   tracelint vs clang-19 -fsyntax-only        (goal <= 1.15x)
#   tracelint vs clang-tidy-19 running cppcoreguidelines-avoid-non-const-global-variables (goal <= 1.0x)
#   tracelint -j 2 vs -j 1 on all files
#   tracelint vs clang-19 -fsyntax-only on a large real code base: this repository's runtime (every
#     source of runtime/, its tests, its benchmark and every example; the analyzer's own sources are
#     left out: they need Clang's headers, which every TU would spend its time parsing)
# TUs: every example, the runtime's own sources, and a large TU (all of nlohmann/json + <bits/stdc++.h>).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TRACELINT_BUILD_DIR:-$root/build}
tool=$build/analyzer/tracelint
runs=${RUNS:-5}
TRACELINT_SETUP_EXTRA="clang-tidy-19" "$root/scripts/setup.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/large.cpp" <<'CPP'
#include <bits/stdc++.h>
#include <nlohmann/json.hpp>
#include <tl/tl.h>
int g = 0;
int main() {
  auto j = nlohmann::json::parse("{\"a\": 1}");
  auto f = tl::function([&](const tl::tensor& x) { ++g; return x; });
  return static_cast<int>(j.size()) + static_cast<int>(f(tl::ones({1})).size());
}
CPP
flags=(-std=c++20 -I"$root/runtime/include" -I"$root/runtime/src")
tus=("$root"/examples/*.cpp "$root"/runtime/src/api/function.cpp "$root"/runtime/src/executor/plan.cpp "$work/large.cpp")
now() { date +%s%N; }
med() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
t_tl=(); t_cc=(); t_ct=()
for _ in $(seq "$runs"); do
  s=$(now); for f in "${tus[@]}"; do "$tool" "$f" --quiet -- "${flags[@]}" >/dev/null 2>&1 || true; done; t_tl+=($(( $(now) - s )))
  s=$(now); for f in "${tus[@]}"; do clang-19 -fsyntax-only "${flags[@]}" "$f" >/dev/null 2>&1 || true; done; t_cc+=($(( $(now) - s )))
  s=$(now); for f in "${tus[@]}"; do clang-tidy-19 --quiet --checks='-*,cppcoreguidelines-avoid-non-const-global-variables' "$f" -- "${flags[@]}" >/dev/null 2>&1 || true; done; t_ct+=($(( $(now) - s )))
done
j1=(); j2=()
for _ in $(seq "$runs"); do
  s=$(now); "$tool" -j 1 --quiet "${tus[@]}" -- "${flags[@]}" >/dev/null 2>&1 || true; j1+=($(( $(now) - s )))
  s=$(now); "$tool" -j 2 --quiet "${tus[@]}" -- "${flags[@]}" >/dev/null 2>&1 || true; j2+=($(( $(now) - s )))
done
# The result cache: a cold run into an empty cache, then the same run again with nothing changed.
cold=(); warm=()
for _ in $(seq "$runs"); do
  rm -rf "$work/cache"
  s=$(now); "$tool" -j 1 --quiet --cache-dir="$work/cache" "${tus[@]}" -- "${flags[@]}" >"$work/cold.txt" 2>&1 || true; cold+=($(( $(now) - s )))
  s=$(now); "$tool" -j 1 --quiet --cache-dir="$work/cache" "${tus[@]}" -- "${flags[@]}" >"$work/warm.txt" 2>&1 || true; warm+=($(( $(now) - s )))
  cmp -s "$work/cold.txt" "$work/warm.txt" || { echo "analyzer_bench: the warm run's output differs from the cold run's" >&2; exit 1; }
done
# The large code base: one tracelint run over all of it (-j 1, as the other -j 1 rows) against clang
# parsing the same files one after the other.
mapfile -t repo_tus < <(cd "$root" && ls runtime/src/*/*.cpp runtime/symbolizer/*.cpp runtime/testing/src/*.cpp \
  tests/runtime/*.cpp bench/runtime_bench.cpp examples/*.cpp 2>/dev/null | sed "s|^|$root/|")
repo_flags=(-std=c++20 -fopenmp -I"$root/runtime/include" -I"$root/runtime/src" -I"$root/runtime/testing/include"
  -isystem /usr/include/x86_64-linux-gnu/openblas-openmp -I/usr/lib/llvm-19/include)
r_tl=(); r_cc=()
for _ in $(seq "$runs"); do
  s=$(now); "$tool" -j 1 --quiet "${repo_tus[@]}" -- "${repo_flags[@]}" >/dev/null 2>&1 || true; r_tl+=($(( $(now) - s )))
  s=$(now); for f in "${repo_tus[@]}"; do clang-19 -fsyntax-only "${repo_flags[@]}" "$f" >/dev/null 2>&1 || true; done; r_cc+=($(( $(now) - s )))
done
# One RESULT line per case (the anchors' format); bench/summarize.py makes the ratios.
result() { printf 'RESULT\tanalyzer_%s\t%s\tthreads=%s\tms\tbest=%s\tmedian=%s\tsamples=%s\n' "$1" "$2" "$3" \
  "$(printf '%s\n' "${@:4}" | sort -n | head -1 | awk '{printf "%.1f", $1/1e6}')" "$(med "${@:4}" | awk '{printf "%.1f", $1/1e6}')" "$runs"; }
echo "# analyzer: ${#tus[@]} TUs (examples, runtime sources, one large TU)"
result all_tus tracelint 1 "${t_tl[@]}"
result all_tus clang_syntax_only 1 "${t_cc[@]}"
result all_tus clang_tidy_one_check 1 "${t_ct[@]}"
result all_tus_one_process tracelint_j1 1 "${j1[@]}"
result all_tus_one_process tracelint_j2 2 "${j2[@]}"
echo "# analyzer: repository code base, ${#repo_tus[@]} TUs"
result repo_code_base tracelint 1 "${r_tl[@]}"
result repo_code_base clang_syntax_only 1 "${r_cc[@]}"
result all_tus_cache cold 1 "${cold[@]}"
result all_tus_cache warm 1 "${warm[@]}"
