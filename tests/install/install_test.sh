#!/usr/bin/env bash
set -euo pipefail
build=$1 consumer=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix with space"
cmake --install "$build" --prefix "$prefix" >/dev/null
cmake -S "$consumer" -B "$work/consumer-build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/consumer-build" >/dev/null
out=$("$work/consumer-build/consumer")
echo "consumer: $out"
[ "$out" = "traced 3 calls, 1 trace, sum 12" ] || { echo "unexpected consumer output"; exit 1; }

# The installed analyzer, run from outside the build tree, finds Clang's builtin headers.
cat > "$work/std.cpp" <<'CPP'
#include <cstddef>
#include <vector>
std::size_t n() { return std::vector<int>(3).size(); }
CPP
"$prefix/bin/tracelint" "$work/std.cpp" --quiet -- -std=c++20
echo "resource dir: $("$prefix/bin/tracelint" --print-resource-dir)"
"$prefix/bin/tracelint" --list-checks | grep -q trace-host-mutation
