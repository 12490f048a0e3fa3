# --baseline / --write-baseline: accepted findings stay accepted when the file is edited elsewhere,
# new ones are reported (and fail the run under --warnings-as-errors), a bad baseline is an error
# that names the problem, and writing a baseline goes through the one output writer.
# Usage: baseline_test.sh <tracelint> <source dir>
source "$(dirname "$0")/common.sh"

cat > "$dir/a.cpp" <<'CPP'
#include <tl/tl.h>
int steps = 0;
int main() {
  auto f = tl::function([](const tl::tensor& x) { steps += 1; return x; });
  f(tl::ones({2}));
}
CPP
run() { "$tool" "$dir/a.cpp" --quiet --use-color=false --warnings-as-errors='*' "$@" "${args[@]}"; }

run >/dev/null 2>&1; [[ $? == 1 ]] || fail "the file's finding does not fail the run"
run --write-baseline="$dir/baseline.json" > "$dir/out.txt" 2>&1 || fail "writing a baseline is not exit 0: $(cat "$dir/out.txt")"
grep -q '"file": "a.cpp"' "$dir/baseline.json" || fail "baseline does not name a.cpp relative to itself: $(cat "$dir/baseline.json")"
run --baseline="$dir/baseline.json" > "$dir/out.txt" 2>&1 || fail "a baselined finding fails the run: $(cat "$dir/out.txt")"
[[ ! -s "$dir/out.txt" ]] || fail "a baselined finding is reported: $(cat "$dir/out.txt")"

# Edits elsewhere: lines above, re-indentation. The accepted finding stays accepted.
python3 - "$dir/a.cpp" <<'PY'
import sys
p = sys.argv[1]
t = open(p).read().replace("int steps = 0;\n", "int steps = 0;\n// a comment\n\nint unrelated = 3;\n")
t = t.replace("{ steps += 1; return x; }", "{\n      steps   +=  1;\n      return x;\n  }")
open(p, "w").write(t)
PY
run --baseline="$dir/baseline.json" > "$dir/out.txt" 2>&1 || fail "an edit elsewhere un-baselines the finding: $(cat "$dir/out.txt")"
"$tool" "$dir/a.cpp" --baseline="$dir/baseline.json" --use-color=false "${args[@]}" 2>&1 | grep "1 in the baseline" >/dev/null \
  || fail "the summary does not count the baselined finding"
json=$("$tool" "$dir/a.cpp" --baseline="$dir/baseline.json" --format=json --quiet "${args[@]}")
[[ $(count_findings <<<"$json") == 0 ]] || fail "JSON report lists a baselined finding"
python3 -c 'import json,sys; assert json.load(sys.stdin)["baselined"] == 1' <<<"$json" || fail "JSON report has no baselined count"

# A new finding is reported, the old one still is not.
python3 - "$dir/a.cpp" <<'PY'
import sys
p = sys.argv[1]
t = open(p).read().replace("  f(tl::ones({2}));\n", "  f(tl::ones({2}));\n  auto h = tl::function([](const tl::tensor& x) { steps = 7; return x; });\n  h(tl::ones({2}));\n")
open(p, "w").write(t)
PY
run --baseline="$dir/baseline.json" > "$dir/out.txt" 2>&1
rc=$?
[[ $rc == 1 ]] || fail "a new finding does not fail the run (exit $rc): $(cat "$dir/out.txt")"
[[ $(grep -c "error: .*\[trace-host-mutation\]" "$dir/out.txt") == 1 ]] || fail "expected exactly the new finding: $(cat "$dir/out.txt")"
grep -q "steps = 7" "$dir/out.txt" || fail "the reported finding is not the new one: $(cat "$dir/out.txt")"

# Issue 31.8: SARIF keeps the accepted finding, suppressed (code scanning would close it as fixed
# otherwise); the message links its notes; no property holds an absolute path.
(cd "$dir" && "$tool" a.cpp --baseline=baseline.json --format=sarif --quiet "${args[@]}") > "$dir/out.sarif"
python3 - "$dir/out.sarif" "$dir" <<'PY' || fail "SARIF with a baseline: $(cat "$dir/out.sarif")"
import json, sys
results = json.load(open(sys.argv[1]))["runs"][0]["results"]
accepted = [r for r in results if r.get("suppressions")]
new = [r for r in results if not r.get("suppressions")]
assert len(accepted) == 1 and len(new) == 1, results
assert accepted[0]["suppressions"][0]["kind"] == "external", accepted
assert any(r.get("relatedLocations") for r in results), results
for r in results:
    links = r.get("relatedLocations", [])
    assert all(f"]({l['id']})" in r["message"]["text"] for l in links), r["message"]
    for k, v in r["properties"].items():
        assert sys.argv[2] not in str(v), (k, v)
PY

# Bad baselines: exit 2, the file named, the problem said; nothing analyzed.
printf '{"tool": "tracelint", "baselineVersion": 1, "findings": [' > "$dir/truncated.json"
printf '{"tool": "tracelint", "baselineVersion": 1, "findings": [{"file": "a.cpp"}]}' > "$dir/nofp.json"
printf '[]' > "$dir/other.json"
for bad in truncated nofp other missing; do
  run --baseline="$dir/$bad.json" > "$dir/out.txt" 2>&1
  rc=$?
  [[ $rc == 2 ]] || fail "$bad baseline: exit $rc, expected 2"
  grep -q "error: .*$bad.json" "$dir/out.txt" || fail "$bad baseline: error does not name the file: $(cat "$dir/out.txt")"
done
grep -q "fingerprint" <(run --baseline="$dir/nofp.json" 2>&1) || fail "a missing fingerprint is not named"
run --baseline="$dir/baseline.json" --write-baseline="$dir/b2.json" >/dev/null 2>&1
[[ $? == 2 ]] || fail "--baseline with --write-baseline is not a usage error"

# --write-baseline writes through a link and never leaves a half-written file on error.
echo keep > "$dir/target.json"
ln -s target.json "$dir/link.json"
run --write-baseline="$dir/link.json" >/dev/null 2>&1 || fail "writing through a link failed"
[[ -L "$dir/link.json" ]] || fail "the link was replaced"
grep -q '"fingerprint"' "$dir/target.json" || fail "the link's target was not written"
run --write-baseline="$dir/no/such/dir/b.json" > "$dir/out.txt" 2>&1
[[ $? == 2 ]] || fail "an unwritable baseline is not exit 2"
grep -q "cannot write" "$dir/out.txt" || fail "an unwritable baseline gives no reason: $(cat "$dir/out.txt")"
echo "baseline: ok"
