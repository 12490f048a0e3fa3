# --diff=<rev>: in a temporary git repository with a compile database, only the findings on lines
# the change touches are reported, only changed files in the database are analyzed, and a bad
# revision or a directory outside any repository is a usage error that says so.
# Usage: diff_test.sh <tracelint> <source dir>
source "$(dirname "$0")/common.sh"

repo="$dir/repo"
mkdir -p "$repo"
cd "$repo" || fail "no scratch repository"
git init -q . && git config user.email t@example.org && git config user.name t
bug() {  # a traced function writing global $1
  printf '#include <tl/tl.h>\nint %s = 0;\nint main_%s() {\n  auto f = tl::function([](const tl::tensor& x) { %s += 1; return x; });\n  f(tl::ones({2}));\n  return 0;\n}\n' "$1" "$1" "$1"
}
bug old_a > a.cpp
printf '#include <tl/tl.h>\nint clean() { return 0; }\n' > b.cpp
bug not_in_db > c.cpp
python3 - "$repo" "$src" <<'PY'
import json, sys
repo, src = sys.argv[1], sys.argv[2]
json.dump([{"directory": repo, "file": f"{repo}/{f}", "arguments": ["c++", "-std=c++20", f"-I{src}/runtime/include", "-c", f]}
           for f in ("a.cpp", "b.cpp")], open(f"{repo}/compile_commands.json", "w"))
PY
git add -A && git commit -qm base || fail "cannot commit"

"$tool" --diff=HEAD -p . --quiet > "$dir/out.txt" 2>&1 || fail "no change: exit $?: $(cat "$dir/out.txt")"
[[ ! -s "$dir/out.txt" ]] || fail "no change, yet output: $(cat "$dir/out.txt")"

# A new line far from a.cpp's old finding, a new bug in b.cpp, a change to c.cpp (not in the database).
sed -i '1i // a new first line' a.cpp
bug new_b > b.cpp
echo '// touched' >> c.cpp
"$tool" --diff=HEAD -p . --use-color=false > "$dir/out.txt" 2> "$dir/err.txt"
rc=$?
[[ $rc == 0 ]] || fail "exit $rc: $(cat "$dir/out.txt" "$dir/err.txt")"
grep -q "b.cpp:4:.*'new_b'" "$dir/out.txt" || fail "the new finding in b.cpp is not reported: $(cat "$dir/out.txt")"
grep -q "old_a" "$dir/out.txt" && fail "a finding on an unchanged line is reported: $(cat "$dir/out.txt")"
grep -q "not_in_db" "$dir/out.txt" && fail "a file outside the compilation database was analyzed"
grep -q "in 2 files" "$dir/err.txt" || fail "expected a.cpp and b.cpp analyzed: $(cat "$dir/err.txt")"

# Files given on the command line are analyzed whether changed or not (a changed header is checked
# through them), still with findings on changed lines only; SARIF works as usual.
git add -A && git commit -qm "b"
"$tool" --diff=HEAD -p . a.cpp --format=sarif --quiet > "$dir/out.sarif" 2>&1 || fail "a.cpp alone: exit $?"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]["results"]; assert r == [], r' "$dir/out.sarif" \
  || fail "a.cpp's unchanged finding reported: $(cat "$dir/out.sarif")"
printf '#pragma once\nextern int hdr;\ninline void touch() { hdr = 2; }\n' > h.h
printf '#include <tl/tl.h>\n#include "h.h"\nint hdr = 0;\nint main() {\n  auto f = tl::function([](const tl::tensor& x) { touch(); return x; });\n  f(tl::ones({2}));\n}\n' > a.cpp
git add -A && git commit -qm "header" && sed -i 's/hdr = 2;/hdr = 3;/' h.h
"$tool" --diff=HEAD -p . a.cpp --header-filter='h\.h' --use-color=false > "$dir/out.txt" 2>&1
# The hazard is reached from a.cpp's traced function, so it is a.cpp's finding, at the call (issue
# 28.1); it is reported because the header line it comes from changed.
grep -q "a.cpp:5:.*'hdr'" "$dir/out.txt" && grep -q "h.h:3:.*note: the hazard itself" "$dir/out.txt" ||
  fail "a changed header's finding is not reported through its includer: $(cat "$dir/out.txt")"
"$tool" --diff=HEAD -p . --use-color=false > "$dir/out.txt" 2>&1 || fail "header-only change: exit $?"
grep -q "hdr" "$dir/out.txt" && fail "a header-only change analyzed unnamed sources: $(cat "$dir/out.txt")"

# Errors: a revision that names no commit, a directory outside any repository, with --line-filter.
"$tool" --diff=no-such-rev -p . > "$dir/out.txt" 2>&1
[[ $? == 2 ]] || fail "a bad revision is not exit 2"
grep -q "no-such-rev" "$dir/out.txt" || fail "the bad revision is not named: $(cat "$dir/out.txt")"
"$tool" --diff=--output=x -p . > "$dir/out.txt" 2>&1
[[ $? == 2 ]] || fail "an option as a revision is not exit 2"
mkdir "$dir/plain" && cd "$dir/plain" || fail "no plain dir"
GIT_CEILING_DIRECTORIES="$dir" "$tool" --diff=HEAD -p "$repo" > "$dir/out.txt" 2>&1
[[ $? == 2 ]] || fail "outside a repository is not exit 2"
grep -q "not a git repository" "$dir/out.txt" || fail "outside a repository: git's reason missing: $(cat "$dir/out.txt")"
cd "$repo" || fail
"$tool" --diff=HEAD --line-filter='[]' -p . > /dev/null 2>&1
[[ $? == 2 ]] || fail "--diff with --line-filter is not a usage error"
echo "diff: ok"
