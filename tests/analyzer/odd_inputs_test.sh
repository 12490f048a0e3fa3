# Issue 32: inputs that once crashed the analyzer, hung it or hid a finding.
# Usage: hostile_inputs_test.sh <tracelint> <source dir>
source "$(dirname "$0")/common.sh"
cd "$dir" || fail "no scratch dir"
write_good a.cpp

# 32.13: a 55,000-term expression in a traced lambda parses in Clang; the analysis must not
# overflow its stack on it (it runs on a stack of its own, as clangd's does).
python3 - <<'PY'
terms = " + ".join(["x"] * 55000)
open("deep.cpp", "w").write("#include <tl/tl.h>\nint g = 0;\nint main() {\n"
                            "  auto f = tl::function([](const tl::tensor& x) {\n    g = 1;\n    return " + terms + ";\n  });\n"
                            "  f(tl::ones({2}));\n}\n")
PY
"$tool" deep.cpp --quiet --format=json "${args[@]}" > out.json 2> err.txt
rc=$?
[[ $rc == 0 ]] || fail "deep expression: exit $rc: $(tail -c 400 err.txt)"
[[ $(count_findings < out.json) == 1 ]] || fail "deep expression: the finding on 'g' is missing: $(head -c 400 out.json)"
echo "deep expression: ok"

# 32.14: --header-filter='(a+)+b' on a long path finishes (std::regex backtracked for hours).
long=$(python3 -c 'print("a" * 60)')
mkdir -p "$long" && printf '#pragma once\nextern int hg;\ninline void bump() { hg = 1; }\n' > "$long/h.h"
printf '#include <tl/tl.h>\n#include "%s/h.h"\nint hg = 0;\nint main() { auto f = tl::function([](const tl::tensor& x) { bump(); return x; }); f(tl::ones({2})); }\n' "$long" > uses.cpp
timeout 120 "$tool" uses.cpp --quiet --header-filter='(a+)+b' "${args[@]}" > /dev/null 2>&1
rc=$?
[[ $rc != 124 ]] || fail "--header-filter='(a+)+b' did not finish in 120 s"
echo "catastrophic header filter: exit $rc"
"$tool" uses.cpp --quiet --header-filter='(' "${args[@]}" > out.txt 2>&1
[[ $? == 2 ]] && grep -q "not a valid regular expression" out.txt || fail "a bad header filter: $(cat out.txt)"

# 32.16: /dev/zero is no source file (it read as an empty one, with no finding and exit 0).
"$tool" /dev/zero --quiet "${args[@]}" > out.txt 2>&1
[[ $? == 3 ]] && grep -q "not a regular file" out.txt || fail "/dev/zero: $(cat out.txt)"

# 32.16: a baseline read through a pipe matches as the same file would.
"$tool" a.cpp --quiet --write-baseline=base.json "${args[@]}" > /dev/null 2>&1
"$tool" a.cpp --quiet --warnings-as-errors='*' --baseline=<(cat base.json) "${args[@]}" > out.txt 2>&1
[[ $? == 0 && ! -s out.txt ]] || fail "a baseline through a pipe accepts nothing: $(cat out.txt)"

# 32.16: merge refuses a line below 1 and a file of another tracelint.
"$tool" a.cpp --quiet --export-results=r.json --export-summaries=s.json "${args[@]}" > /dev/null 2>&1
python3 - <<'PY'
import json
r = json.load(open("r.json"))
r["findings"][0]["Where"]["Line"] = -1
json.dump(r, open("neg.json", "w"))
r = json.load(open("r.json"))
r["toolVersion"] = "0.0.1-other"
json.dump(r, open("other.json", "w"))
PY
"$tool" merge s.json neg.json > out.txt 2>&1
[[ $? == 2 ]] && grep -q "not a line number" out.txt || fail "merge took line -1: $(cat out.txt)"
"$tool" merge s.json other.json > out.txt 2>&1
[[ $? == 2 ]] && grep -q "0.0.1-other" out.txt || fail "merge took another tracelint's results: $(cat out.txt)"

# 31.10: `confirm` calls a finding of a rule the runtime cannot observe "static only", and a missing
# runtime report "no such file" (it said "not valid JSON").
cat > io.cpp <<'CPP'
#include <cstdio>
#include <tl/tl.h>
int main() { auto f = tl::function([](const tl::tensor& x) { std::puts("tracing"); return x; }); f(tl::ones({2})); }
CPP
"$tool" io.cpp --quiet --format=json --output=static.json "${args[@]}"
printf '{"schema": "tracelint-runtime-report", "version": 1, "observations": []}' > runtime.json
"$tool" confirm --static static.json --dynamic runtime.json > out.txt 2>&1 || fail "confirm: exit $?: $(cat out.txt)"
grep -q "static only  trace-host-io" out.txt && grep -q "0 not observed, 1 static only" out.txt ||
  fail "a host-io finding is not static only: $(cat out.txt)"
"$tool" confirm --static static.json --dynamic nope.json > out.txt 2>&1
[[ $? == 2 ]] && grep -q "nope.json: cannot read the report (no such file)" out.txt || fail "missing report: $(cat out.txt)"
echo "hostile inputs: ok"
