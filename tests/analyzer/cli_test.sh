#!/usr/bin/env bash
# The CLI contract: exit codes, configuration errors, failure records, column conversion.
source "$(dirname "$0")/common.sh"

cat > "$dir/bad.cpp" <<'CPP'
int main() { return undeclared_name; }
CPP
# A non-ASCII line before the finding's column: "é" is 2 bytes, 1 UTF-16 unit.
cat > "$dir/good.cpp" <<'CPP'
#include <tl/tl.h>
int g = 0;
int main() {
  auto f = tl::function([](const tl::tensor& x) { const char* s = "é"; (void)s; g = 1; return x; });
  (void)f;
}
CPP

"$tool" "$dir/good.cpp" --quiet "${args[@]}" >/dev/null; rc=$?
[ $rc -eq 0 ] || fail "warnings only: exit $rc, want 0"
"$tool" "$dir/good.cpp" --quiet --warnings-as-errors='trace-*' "${args[@]}" >/dev/null; rc=$?
[ $rc -eq 1 ] || fail "warnings-as-errors: exit $rc, want 1"
out=$("$tool" "$dir/bad.cpp" "$dir/good.cpp" --quiet --format=json "${args[@]}" 2>"$dir/err"); rc=$?
[ $rc -eq 3 ] || fail "parse failure: exit $rc, want 3"
grep -q "bad.cpp: error: analysis failed: did not parse" "$dir/err" || fail "no failure record on stderr"
printf '%s' "$out" | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert any(f["uri"].endswith("bad.cpp") for f in r["failures"]), "bad.cpp not recorded as failed"
good = [f for f in r["files"] if f["uri"].endswith("good.cpp")][0]
d = good["diagnostics"][0]
line = open(sys.argv[1], encoding="utf-8").read().splitlines()[3]
byte_col = line.encode("utf-8").index(b"g = 1")
assert d["range"]["start"]["character"] == byte_col - 1, (d["range"], byte_col)
' "$dir/good.cpp" || fail "json output"
"$tool" "$dir/good.cpp" --quiet --format=sarif --repo-root="$dir" "${args[@]}" > "$dir/out.sarif" || fail "sarif run"
python3 - "$dir/out.sarif" "$dir/good.cpp" <<'PY' || fail "sarif output"
import json, sys
s = json.load(open(sys.argv[1]))
run = s["runs"][0]
assert s["version"] == "2.1.0"
ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
assert "trace-host-mutation" in ids and len(ids) == len(set(ids))
res = run["results"][0]
loc = res["locations"][0]["physicalLocation"]
assert loc["artifactLocation"]["uri"] == "good.cpp", loc
line = open(sys.argv[2], encoding="utf-8").read().splitlines()[3]
assert loc["region"]["startColumn"] == line.index("g = 1") + 1, loc["region"]
assert res["partialFingerprints"]["tracelint/v2"]
assert res["relatedLocations"][0]["message"]["text"]
PY
text=$("$tool" "$dir/good.cpp" --quiet --use-color=false "${args[@]}")
echo "$text" | head -1 | grep -qE "good.cpp:4:[0-9]+: warning: global 'g' is assigned while tracing 'f'.*\[trace-host-mutation\]$" || fail "text format: $text"
byte=$(( $(sed -n 4p "$dir/good.cpp" | grep -ob "g = 1" | cut -d: -f1) + 1 ))
echo "$text" | head -1 | grep -q "good.cpp:4:$byte:" || fail "text column is not the 1-based byte column $byte"

echo '{ "Checks": 5 }' > "$dir/.tracelint.json"
"$tool" "$dir/good.cpp" --quiet "${args[@]}" 2>"$dir/err" >/dev/null; rc=$?
[ $rc -eq 2 ] || fail "malformed config: exit $rc, want 2"
grep -q ".tracelint.json:1:3: configuration key 'Checks' must be a string" "$dir/err" || fail "config error message: $(cat "$dir/err")"
# A configuration that disables every check is a usage error, as in clang-tidy ("no checks enabled").
echo '{ "Checks": "-*" }' > "$dir/.tracelint.json"
"$tool" "$dir/good.cpp" --quiet --format=json "${args[@]}" >/dev/null 2>"$dir/err"; rc=$?
[ $rc -eq 2 ] && grep -q "no checks enabled" "$dir/err" || fail "Checks: -*: exit $rc: $(cat "$dir/err")"
echo '{ "Checks": "-*,trace-host-io" }' > "$dir/.tracelint.json"
out=$("$tool" "$dir/good.cpp" --quiet --format=json "${args[@]}") || fail "one check enabled"
printf '%s' "$out" | python3 -c 'import json,sys; r=json.load(sys.stdin); assert not r["files"][0]["diagnostics"]' || fail "a disabled check still reported"
rm "$dir/.tracelint.json"
"$tool" --list-checks | grep "trace-host-mutation" >/dev/null || fail "--list-checks"
"$tool" --explain=trace-host-mutation | grep "once per trace" >/dev/null || fail "--explain"
"$tool" --explain=no-such-check >/dev/null 2>&1; [ $? -eq 2 ] || fail "--explain unknown: want 2"
"$tool" --format=xml "$dir/good.cpp" "${args[@]}" >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad --format: want 2"
"$tool" "$dir/missing.cpp" "$dir/good.cpp" --quiet "${args[@]}" >/dev/null 2>&1; rc=$?
[ $rc -eq 3 ] || fail "missing file: exit $rc, want 3"
[ -f "$("$tool" --print-resource-dir)/include/stddef.h" ] || fail "--print-resource-dir"
# Header filter: a write in a header is shown only when the header matches.
cat > "$dir/bump.h" <<'CPP'
#include <tl/tl.h>
inline int hits = 0;
inline void bump() { ++hits; }
inline auto make_counted() { return tl::function([](const tl::tensor& x) { ++hits; return x; }); }
CPP
cat > "$dir/uses_header.cpp" <<'CPP'
#include <tl/tl.h>
#include "bump.h"
int main() {
  auto f = tl::function([](const tl::tensor& x) { bump(); return x; });
  auto g = make_counted();
  (void)f; (void)g;
}
CPP
# A hazard reached in the header from this file's traced function is this file's finding (issue
# 28.1); one whose traced function is in the header is the header's, shown by --header-filter.
out=$("$tool" "$dir/uses_header.cpp" --quiet --format=json "${args[@]}")
n=$(count_findings <<<"$out")
[ "$n" = 1 ] && grep -q "uses_header.cpp" <<<"$out" || fail "without --header-filter: $n findings, expected the main file's one: $out"
n=$("$tool" "$dir/uses_header.cpp" --quiet --format=json --header-filter='bump\.h' "${args[@]}" | count_findings)
[ "$n" = 2 ] || fail "header finding not shown with --header-filter ($n)"
# Line filter: only listed lines of listed files report.
n=$("$tool" "$dir/good.cpp" --quiet --format=json --line-filter='[{"name":"good.cpp","lines":[[1,3]]}]' "${args[@]}" | count_findings)
[ "$n" = 0 ] || fail "line filter kept a finding outside its lines"
n=$("$tool" "$dir/good.cpp" --quiet --format=json --line-filter='[{"name":"good.cpp","lines":[[4,4]]}]' "${args[@]}" | count_findings)
[ "$n" = 1 ] || fail "line filter dropped a finding on its line"
# -j 2 gives the same report as -j 1.
one=$("$tool" "$dir/good.cpp" "$dir/uses_header.cpp" --quiet --format=json -j 1 --header-filter=. "${args[@]}")
two=$("$tool" "$dir/good.cpp" "$dir/uses_header.cpp" --quiet --format=json -j 2 --header-filter=. "${args[@]}")
[ "$one" = "$two" ] || fail "-j 2 differs from -j 1"
# Configuration lookup: the nearest .tracelint.json applies, InheritParentConfig merges the parent.
mkdir -p "$dir/sub"
cp "$dir/good.cpp" "$dir/sub/good.cpp"
echo '{ "WarningsAsErrors": "trace-*" }' > "$dir/.tracelint.json"
echo '{ "InheritParentConfig": true }' > "$dir/sub/.tracelint.json"
"$tool" "$dir/sub/good.cpp" --quiet "${args[@]}" >/dev/null; rc=$?
[ $rc -eq 1 ] || fail "inherited WarningsAsErrors: exit $rc, want 1"
echo '{ "InheritParentConfig": false }' > "$dir/sub/.tracelint.json"
"$tool" "$dir/sub/good.cpp" --quiet "${args[@]}" >/dev/null; rc=$?
[ $rc -eq 0 ] || fail "non-inheriting config: exit $rc, want 0"
rm -f "$dir/.tracelint.json" "$dir/sub/.tracelint.json"
# Unmatched NOLINTBEGIN is an error.
printf '%s\n' '// NOLINTBEGIN' 'int x = 0;' > "$dir/nolint.cpp"
"$tool" "$dir/nolint.cpp" --quiet -- -std=c++20 >/dev/null; rc=$?
[ $rc -eq 1 ] || fail "unmatched NOLINTBEGIN: exit $rc, want 1"
# Fix-its: `std::cout << t;` in a traced function becomes `tl::print(t);`, exported in clang-tidy's
# YAML; applying the replacement to the file gives the expected text.
cat > "$dir/io.cpp" <<'CPP'
#include <tl/tl.h>
#include <iostream>
int main() {
  auto f = tl::function([](const tl::tensor& x) {
    std::cout << x * 2.0;
    std::cout << "text" << x;
    return x;
  });
  (void)f;
}
CPP
"$tool" "$dir/io.cpp" --quiet --export-fixes="$dir/fixes.yaml" "${args[@]}" >/dev/null || fail "export-fixes run"
# Only the plain `std::cout << tensor;` statement gets a fix (export_fixes_test.sh applies them).
[ "$(grep -c 'ReplacementText:' "$dir/fixes.yaml")" = 1 ] || fail "exported fixes: $(cat "$dir/fixes.yaml")"

# --fix: the file is rewritten in place (same permissions, no temporary left), the fixed file has no
# host-io finding left, and a second --fix has nothing to do.
cat > "$dir/fixme.cpp" <<'CPP'
#include <iostream>
#include <tl/tl.h>
int main() {
  auto f = tl::function([](const tl::tensor& x) {
    std::cout << x * 2.0;
    std::cout << x;
    return x;
  });
  (void)f;
}
CPP
chmod 0604 "$dir/fixme.cpp"
"$tool" --fix "$dir/fixme.cpp" --checks='-*,trace-host-io' "${args[@]}" >/dev/null 2>"$dir/err"; rc=$?
[ "$rc" = 0 ] || fail "--fix: exit $rc: $(cat "$dir/err")"
grep -q "applied the fixes of 2 findings in 1 file" "$dir/err" || fail "--fix summary: $(cat "$dir/err")"
grep -q '    tl::print(x \* 2.0);' "$dir/fixme.cpp" && grep -q '    tl::print(x);' "$dir/fixme.cpp" || fail "--fix result: $(cat "$dir/fixme.cpp")"
[ "$(stat -c %a "$dir/fixme.cpp")" = 604 ] || fail "--fix changed the permissions"
ls "$dir"/fixme.cpp.* >/dev/null 2>&1 && fail "--fix left a temporary file"
out=$("$tool" --fix "$dir/fixme.cpp" --checks='-*,trace-host-io' "${args[@]}" 2>&1); rc=$?
[ "$rc" = 0 ] && ! grep -q "applied" <<<"$out" || fail "second --fix: exit $rc: $out"

# Issue 32.12: --fix keeps the file's owner (a run as root must not take a user's file) and its hard
# links (every name sees the fix).
cp "$dir/io.cpp" "$dir/owned.cpp"
ln "$dir/owned.cpp" "$dir/owned-link.cpp"
"$tool" --fix "$dir/owned.cpp" --checks='-*,trace-host-io' --quiet "${args[@]}" >/dev/null 2>&1
grep -q "tl::print" "$dir/owned-link.cpp" || fail "--fix broke the hard link: the other name holds the old text"
[ "$(stat -c %i "$dir/owned.cpp")" = "$(stat -c %i "$dir/owned-link.cpp")" ] || fail "--fix replaced a hard-linked file"
if [ "$(id -u)" = 0 ]; then
  cp "$dir/io.cpp" "$dir/theirs.cpp"
  chown 65534:65534 "$dir/theirs.cpp"
  "$tool" --fix "$dir/theirs.cpp" --checks='-*,trace-host-io' --quiet "${args[@]}" >/dev/null 2>&1
  grep -q "tl::print" "$dir/theirs.cpp" || fail "--fix as root did not fix a user's file"
  [ "$(stat -c %u:%g "$dir/theirs.cpp")" = 65534:65534 ] || fail "--fix as root changed the owner: $(stat -c %u:%g "$dir/theirs.cpp")"
fi

# Issue 31.6: progress on stderr as each file of several finishes ("[n/N] file"); none with --quiet.
write_good "$dir/p1.cpp"; write_good "$dir/p2.cpp"
"$tool" "$dir/p1.cpp" "$dir/p2.cpp" --use-color=false "${args[@]}" 2> "$dir/progress.txt" >/dev/null
grep -qx "\[1/2\] $dir/p[12].cpp" "$dir/progress.txt" && grep -qx "\[2/2\] $dir/p[12].cpp" "$dir/progress.txt" ||
  fail "no progress lines: $(cat "$dir/progress.txt")"
"$tool" "$dir/p1.cpp" "$dir/p2.cpp" --quiet "${args[@]}" 2> "$dir/progress.txt" >/dev/null
grep -q "^\[" "$dir/progress.txt" && fail "progress printed under --quiet: $(cat "$dir/progress.txt")"
echo "cli contract: ok"
