#!/usr/bin/env bash
set -euo pipefail
build=$1 consumer=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix with space"
cmake --install "$build" --prefix "$prefix" >/dev/null
# GoogleTest unfindable: the package must not need it unless its gtest component is asked for.
cmake -S "$consumer" -B "$work/consumer-build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_DISABLE_FIND_PACKAGE_GTest=ON >/dev/null
built=$(cmake --build "$work/consumer-build")
grep -q "trace-host-mutation" <<<"$built" || { echo "tracelint::tracelint did not run: $built"; exit 1; }
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

# Rule links (JSON codeDescription, SARIF helpUri) point at the installed rule pages, as file URIs
# that survive the space in the prefix.
cat > "$work/bug.cpp" <<'CPP'
#include <tl/tl.h>
int g = 0;
int main() { auto f = tl::function([](const tl::tensor& x) { g = 1; return x; }); (void)f; }
CPP
"$prefix/bin/tracelint" "$work/bug.cpp" --quiet --format=json -- -std=c++20 -I"$prefix/include" > "$work/bug.json"
python3 - "$work/bug.json" "$prefix" <<'PY'
import json, pathlib, sys, urllib.parse
href = json.load(open(sys.argv[1]))["files"][0]["diagnostics"][0]["codeDescription"]["href"]
path = pathlib.Path(urllib.parse.unquote(urllib.parse.urlparse(href).path))
want = pathlib.Path(sys.argv[2]).resolve() / "share/tracelint/docs/rules/trace-host-mutation.md"
assert href.startswith("file://") and path == want and path.is_file(), (href, str(want))
print("rule pages:", href)
PY
