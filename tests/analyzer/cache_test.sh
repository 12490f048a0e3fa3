#!/usr/bin/env bash
# The result cache (--cache-dir): a warm run of unchanged files reuses every result and prints the
# same report; a changed header, changed checks or a rebuilt entry are misses; a corrupted entry is
# ignored, never trusted.
set -euo pipefail
tool=$1
root=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src"
cat >"$work/src/scale.h" <<'H'
#pragma once
inline double g_scale = 2.0;
#define STEP_EFFECT()
H
cat >"$work/src/step.cpp" <<'C'
#include <tl/tl.h>
#include "scale.h"
int g_calls = 0;
int g_steps = 0;
int main() {
  auto f = tl::function([](const tl::tensor& x) {
    ++g_calls;
    STEP_EFFECT();
    return x * g_scale;
  });
  f(tl::ones({2}));
  return 0;
}
C
cp "$work/src/step.cpp" "$work/src/other.cpp"
args=(-- -std=c++20 -I"$root/runtime/include")
run() { "$tool" "$work/src/step.cpp" "$work/src/other.cpp" --format=json --cache-dir="$work/cache" "$@" "${args[@]}" 2>"$work/err" || true; }
fail() { echo "FAIL: $*"; cat "$work/err"; exit 1; }

cold=$(run)
grep -q "0 from the result cache" "$work/err" || fail "cold run reused results"
[ "$(ls "$work/cache" | grep -c '\.json$')" = 2 ] || fail "cold run did not store one entry per file"
warm=$(run)
grep -q "2 from the result cache" "$work/err" || fail "warm run did not reuse both results"
[ "$cold" = "$warm" ] || fail "warm report differs from the cold one"
grep -q trace-host-mutation <<<"$warm" || fail "no finding in the report"

# A header both files include changes: both are analyzed again, and the report follows the change.
printf '#pragma once\ninline double g_scale = 2.0;\n#define STEP_EFFECT() (++g_steps)\n' >"$work/src/scale.h"
cold_after_change=$(run)
grep -q "0 from the result cache" "$work/err" || fail "a changed header still hit the cache"
[ "$cold_after_change" != "$cold" ] || fail "the report did not follow the changed header"

# Other checks: another key.
run --checks='-*,trace-host-io' >/dev/null
grep -q "0 from the result cache" "$work/err" || fail "changed checks still hit the cache"

# Corrupted and truncated entries are misses; the run's report is the cold one.
for entry in "$work"/cache/*.json; do printf '{"format": 1, "dependencies": [["%s", "0"]]' "$work/src/step.cpp" >"$entry"; done
again=$(run)
grep -q "0 from the result cache" "$work/err" || fail "a corrupted entry was trusted"
[ "$again" = "$cold_after_change" ] || fail "the report after a corrupted entry differs from a fresh one"
for entry in "$work"/cache/*.json; do echo 'not json' >"$entry"; done
run >/dev/null
grep -q "0 from the result cache" "$work/err" || fail "an entry that is not JSON was trusted"

# Issue 32.9: nothing in the cache may turn a finding into silence.
rm -rf "$work/cache"
fresh=$(run)
run >/dev/null
grep -q "2 from the result cache" "$work/err" || fail "no warm run to start from"
# An entry whose findings were edited (a hand, a tool, a disk) is a miss: it is sealed.
python3 - "$work/cache" <<'PY'
import glob, json, sys
for p in glob.glob(sys.argv[1] + "/*.json"):
    e = json.load(open(p))
    e["entry"]["result"]["Findings"] = []
    json.dump(e, open(p, "w"))
PY
edited=$(run)
grep -q "0 from the result cache" "$work/err" || fail "an entry with edited findings was trusted"
[ "$edited" = "$fresh" ] || fail "the report after an edited entry differs from a fresh one"
# A header added earlier on the include path shadows the one the result was computed with.
mkdir -p "$work/early"
early() { "$tool" "$work/src/step.cpp" "$work/src/other.cpp" --format=json --cache-dir="$work/cache" \
  -- -std=c++20 -I"$work/early" -I"$root/runtime/include" 2>"$work/err" || true; }
early >/dev/null
early >/dev/null
grep -q "2 from the result cache" "$work/err" || fail "no warm run with the early include directory"
mkdir -p "$work/early/tl"
{ cat "$root/runtime/include/tl/tl.h"; echo 'inline int g_shadow = 0;'; } >"$work/early/tl/tl.h"
sed -i "s|#pragma once|#pragma once\n#include_next <tl/tl.h>|" "$work/early/tl/tl.h"
early >/dev/null
grep -q "0 from the result cache" "$work/err" || fail "a header added earlier on the include path served a stale result"
# CPATH is part of the compiler's include path.
run >/dev/null
CPATH="$work/early" run >/dev/null
grep -q "0 from the result cache" "$work/err" || fail "a CPATH change served a stale result"
# A cache directory that cannot be used says so, once, and the run goes on.
touch "$work/not-a-dir"
out=$("$tool" "$work/src/step.cpp" "$work/src/other.cpp" --format=json --cache-dir="$work/not-a-dir/c" "${args[@]}" 2>"$work/err" || true)
[ "$(grep -c "warning: result cache" "$work/err")" = 1 ] || fail "an unusable cache directory gives no single warning"
[ "$out" = "$fresh" ] || fail "the report with an unusable cache differs"
echo "PASS: result cache"
