#!/usr/bin/env bash
# File names in URIs and columns after a byte order mark (issue 17, item 7): SARIF and JSON URIs are
# percent-encoded (RFC 3986), and a UTF-8 BOM does not shift the columns of line 1.
source "$(dirname "$0")/common.sh"
body='#include <tl/tl.h>
int g = 0;
int main() { auto f = tl::function([](const tl::tensor& x) { g = 1; return x; }); (void)f; }'
names=('a#b.cpp' '100%.cpp' 'with space.cpp' 'é?.cpp')
for n in "${names[@]}"; do printf '%s\n' "$body" > "$dir/$n"; done
(cd "$dir" && "$tool" "${names[@]}" --quiet --format=sarif --repo-root="$dir" "${args[@]}") > "$dir/out.sarif" || fail "sarif run: exit $?"
(cd "$dir" && "$tool" "${names[@]}" --quiet --format=json "${args[@]}") > "$dir/out.json" || fail "json run: exit $?"
python3 - "$dir" <<'PY' || fail "percent-encoded URIs"
import json, sys, urllib.parse
d = sys.argv[1]
want = {"a%23b.cpp", "100%25.cpp", "with%20space.cpp", "%C3%A9%3F.cpp"}
run = json.load(open(f"{d}/out.sarif"))["runs"][0]
uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
assert uris == want, uris
root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
assert urllib.parse.unquote(urllib.parse.urlparse(root).path).rstrip("/") == d, root
files = json.load(open(f"{d}/out.json"))["files"]
for f in files:
    u = urllib.parse.urlparse(f["uri"])
    assert u.scheme == "file" and not u.fragment and not u.query, f["uri"]
    assert urllib.parse.unquote(u.path).rsplit("/", 1)[1] in {urllib.parse.unquote(w) for w in want}, f["uri"]
PY

# A BOM and a non-ASCII character before the finding on line 1: LSP's 0-based and SARIF's 1-based
# UTF-16 columns count neither the BOM nor more than one unit for "é".
# The finding must be on the BOM's line, so the header comes in through -include.
printf '\xef\xbb\xbfint g = 0; int main() { auto f = tl::function([](const tl::tensor& x) { const char* s = "\xc3\xa9"; (void)s; g = 1; return x; }); (void)f; }\n' > "$dir/bom.cpp"
"$tool" "$dir/bom.cpp" --quiet --format=json "${args[@]}" -include tl/tl.h > "$dir/bom.json" || fail "bom json: exit $?"
"$tool" "$dir/bom.cpp" --quiet --format=sarif --repo-root="$dir" "${args[@]}" -include tl/tl.h > "$dir/bom.sarif" || fail "bom sarif: exit $?"
python3 - "$dir" <<'PY' || fail "columns after a BOM"
import json, sys
d = sys.argv[1]
line = open(f"{d}/bom.cpp", encoding="utf-8-sig").read().splitlines()[0]   # the BOM removed
col = len(line[:line.index("g = 1")].encode("utf-16-le")) // 2               # UTF-16 units before it
diag = json.load(open(f"{d}/bom.json"))["files"][0]["diagnostics"][0]
assert diag["range"]["start"] == {"line": 0, "character": col}, (diag["range"], col)
region = json.load(open(f"{d}/bom.sarif"))["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
assert region == {"startLine": 1, "startColumn": col + 1, "endLine": 1, "endColumn": col + 2}, (region, col)
PY
echo "uris and columns: ok"
