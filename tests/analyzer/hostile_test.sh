#!/usr/bin/env bash
# Hostile inputs: each gives a clear message and the documented exit code, and the other files are
# still analyzed and reported.
set -uo pipefail
tool=$1 src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
inc=-I"$src/runtime/include"
cat > "$dir/good.cpp" <<'CPP'
#include <tl/tl.h>
int g = 0;
int main() { auto f = tl::function([](const tl::tensor& x) { g = 1; return x; }); (void)f; }
CPP
findings() { python3 -c 'import json,sys; r=json.load(sys.stdin); print(sum(len(f["diagnostics"]) for f in r["files"]))'; }

# Non-UTF-8 bytes: a parse failure of that file (exit 3), the good file still reported.
printf 'int main() { return 0; }\n\xff\xfe\x80 stray bytes\n' > "$dir/bytes.cpp"
n=$("$tool" "$dir/bytes.cpp" "$dir/good.cpp" --quiet --format=json -- -std=c++20 "$inc" 2>"$dir/err" | findings); rc=${PIPESTATUS[0]}
[ "$rc" = 3 ] && [ "$n" = 1 ] || fail "non-UTF-8: exit $rc, $n findings"
grep -q "bytes.cpp: error: analysis failed: did not parse" "$dir/err" || fail "non-UTF-8 message"

# A 50,000-line generated file: analyzed, its finding reported.
python3 - "$dir/big.cpp" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("#include <tl/tl.h>\nint g2 = 0;\n")
    for i in range(50000):
        f.write(f"int f{i}(int x) {{ return x + {i}; }}\n")
    f.write("int main() { auto f = tl::function([](const tl::tensor& x) { g2 = 2; return x; }); (void)f; }\n")
PY
n=$("$tool" "$dir/big.cpp" --quiet --format=json -- -std=c++20 "$inc" | findings)
[ "$n" = 1 ] || fail "50,000-line file: $n findings"

# Deep template and macro nesting, and a traced lambda defined inside a macro.
cat > "$dir/deep.cpp" <<'CPP'
#include <tl/tl.h>
template <int N> struct Deep { static int value() { return Deep<N - 1>::value() + 1; } };
template <> struct Deep<0> { static int value() { return 0; } };
#define W1(x) (x)
#define W2(x) W1(W1(x))
#define W4(x) W2(W2(x))
#define W8(x) W4(W4(x))
#define TRACED(name, body) auto name = tl::function([](const tl::tensor& x) { body; return x; })
int g3 = 0;
int main() {
  int v = W8(Deep<400>::value());
  TRACED(step, g3 += W8(1));
  (void)step;
  return v;
}
CPP
n=$("$tool" "$dir/deep.cpp" --quiet --format=json -- -std=c++20 "$inc" | findings)
[ "$n" = 1 ] || fail "deep nesting / macro lambda: $n findings"

# A compile database written by g++, with flags clang does not know, and a relative file name.
printf '[{"directory": "%s", "command": "g++ -fconcepts-diagnostics-depth=2 -Wlogical-op -std=c++20 %s -c good.cpp", "file": "good.cpp"}]\n' "$dir" "$inc" > "$dir/compile_commands.json"
n=$(cd / && "$tool" -p "$dir" "$dir/good.cpp" --quiet --format=json | findings); rc=$?
[ "$n" = 1 ] || fail "g++ database: $n findings"
# A malformed and a missing database: usage errors (exit 2) that name the problem.
echo '[{"directory": ' > "$dir/compile_commands.json"
"$tool" -p "$dir" "$dir/good.cpp" --quiet 2>"$dir/err" >/dev/null; rc=$?
[ "$rc" = 2 ] && grep -q "cannot load a compilation database" "$dir/err" || fail "malformed database: exit $rc"
rm "$dir/compile_commands.json"
mkdir "$dir/empty"
"$tool" -p "$dir/empty" "$dir/good.cpp" --quiet 2>/dev/null >/dev/null; rc=$?
[ "$rc" = 2 ] || fail "missing database: exit $rc"

# An unwritable output path: exit 2 and a message naming it, nothing half-written.
"$tool" "$dir/good.cpp" --quiet --format=json --output=/proc/no/such/dir/out.json -- -std=c++20 "$inc" 2>"$dir/err" >/dev/null; rc=$?
[ "$rc" = 2 ] && grep -q "cannot write '/proc/no/such/dir/out.json'" "$dir/err" || fail "unwritable output: exit $rc"

# A malformed pack named by the configuration: exit 2 with path, line and column.
printf '{ "pack": "mine", "entry_points": [ { "kind": "construct", } ] }\n' > "$dir/mine.json"
printf '{ "Packs": ["./mine.json"] }\n' > "$dir/.tracelint.json"
"$tool" "$dir/good.cpp" --quiet -- -std=c++20 "$inc" 2>"$dir/err" >/dev/null; rc=$?
[ "$rc" = 2 ] && grep -q "mine.json:1:.*malformed API pack" "$dir/err" || fail "malformed pack: exit $rc: $(cat "$dir/err")"
# A pack of the user's own describing an in-house API works like the tl pack.
cat > "$dir/mine.json" <<'JSON'
{ "pack": "mine", "library_namespaces": ["acme"],
  "entry_points": [ { "kind": "call", "function": "acme::capture", "callable_arg": 0 } ],
  "state_handle_types": [] }
JSON
cat > "$dir/acme.cpp" <<'CPP'
namespace acme { template <class F> void capture(F f) { f(); } }
int counter = 0;
int main() { acme::capture([] { ++counter; }); }
CPP
n=$("$tool" "$dir/acme.cpp" --quiet --format=json -- -std=c++20 | findings)
[ "$n" = 1 ] || fail "user pack: $n findings"
# Regressions found by fuzzing (tests/fuzz): a number too large for a double in a configuration and
# in a report used to escape as an uncaught exception.
printf '{ "Checks": 1e99999 }\n' > "$dir/.tracelint.json"
"$tool" "$dir/good.cpp" --quiet -- -std=c++20 "$inc" 2>"$dir/err" >/dev/null; rc=$?
[ "$rc" = 2 ] && grep -q "malformed configuration" "$dir/err" || fail "huge number in configuration: exit $rc"
rm "$dir/.tracelint.json"
printf '4e554rule"' > "$dir/report.json"
"$tool" confirm --static "$dir/report.json" --dynamic "$dir/report.json" 2>"$dir/err" >/dev/null; rc=$?
[ "$rc" = 2 ] && grep -q "report.json" "$dir/err" || fail "huge number in a report: exit $rc"

# Crash isolation and the per-file time budget: a file that crashes the compiler and a file whose
# parse never ends each become that file's "analysis failed" record; the good file's finding is
# still reported, in every output format. The never-ending file includes a FIFO nobody writes to, so
# it blocks until it is killed however fast the machine is, and the budget (60 s) only has to be
# generous for the good file (about 1 s; it once ran past a 5 s budget under ASan with other builds
# running). No verdict here compares a duration: `timeout` only turns a budget that is not enforced
# into a failure instead of a hung test.
cat > "$dir/crash.cpp" <<'CPP'
#pragma clang __debug crash
int main() {}
CPP
mkfifo "$dir/never.fifo"
printf '#include "%s"\nint main() {}\n' "$dir/never.fifo" > "$dir/hang.cpp"
n=$(cd "$dir" && timeout 280 "$tool" --file-timeout=60 -j 2 crash.cpp good.cpp hang.cpp --quiet --format=json -- -std=c++20 "$inc" 2>"$dir/err" | findings); rc=${PIPESTATUS[0]}
[ "$rc" != 124 ] || fail "the time budget did not stop a file that never finishes"
[ "$rc" = 3 ] && [ "$n" = 1 ] || fail "crash + hang + good: exit $rc, $n findings: $(cat "$dir/err")"
grep -q "crash.cpp: error: analysis failed: the analyzer crashed on this file" "$dir/err" || fail "crash message: $(cat "$dir/err")"
grep -q "hang.cpp: error: analysis failed: exceeded the time budget of 60 s" "$dir/err" || fail "time budget message: $(cat "$dir/err")"
ls "$dir"/core* >/dev/null 2>&1 && fail "a worker left a core file"
(cd "$dir" && "$tool" crash.cpp good.cpp --quiet --format=sarif -- -std=c++20 "$inc" 2>/dev/null) > "$dir/out.sarif"
python3 - "$dir/out.sarif" <<'PY' || fail "SARIF of a crashed file"
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
assert len(run["results"]) == 1, run["results"]
notes = run["invocations"][0]["toolExecutionNotifications"]
assert any("crashed" in n["message"]["text"] for n in notes), notes
PY
echo "hostile inputs: ok"
