#!/usr/bin/env bash
# tracelint against clang-19 -fsyntax-only on the same TU (<vector>, <iostream>, <map> and the tl
# headers), run alternately, median of N (default 7) wall times each. Prints the ratio.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tool=${1:-$root/build/analyzer/tracelint}
runs=${RUNS:-7}
tu=$(mktemp --suffix=.cpp)
trap 'rm -f "$tu"' EXIT
cat > "$tu" <<'CPP'
#include <iostream>
#include <map>
#include <vector>
#include <tl/tl.h>
int calls = 0;
int main() {
  std::map<int, std::vector<float>> m;
  auto f = tl::function([&](const tl::tensor& x) { ++calls; return x * 2.0; });
  std::cout << f(tl::ones({2})) << m.size() << "\n";
}
CPP
flags=(-std=c++20 -I"$root/runtime/include")
t() { local s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; echo $(( $(date +%s%N) - s )); }
a=(); b=()
for _ in $(seq "$runs"); do
  a+=("$(t "$tool" "$tu" --quiet -- "${flags[@]}")")
  b+=("$(t clang-19 -fsyntax-only "${flags[@]}" "$tu")")
done
med() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
ma=$(med "${a[@]}"); mb=$(med "${b[@]}")
awk -v a="$ma" -v b="$mb" -v n="$runs" 'BEGIN { printf "tracelint %.1f ms, clang-19 -fsyntax-only %.1f ms (median of %d): ratio %.2fx (goal <= 1.20x)\n", a/1e6, b/1e6, n, a/b }'
