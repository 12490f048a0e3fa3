# Issue 31.3 and 31.4, with real git: a new finding whose statement is identical to an accepted one
# is reported at its own line, in full runs and under --diff, wherever it is inserted (above, below,
# between identical accepted statements), and an accepted finding is still accepted after edits
# elsewhere. And --diff keeps reading a file's changes after an added line that begins with "++ "
# (git shows it as "+++ ", the look of a file header).
# Usage: baseline_identical_test.sh <tracelint> <source dir>
source "$(dirname "$0")/common.sh"

repo="$dir/repo"
mkdir -p "$repo" && cd "$repo" || fail "no scratch repository"
git init -q . && git config user.email t@example.org && git config user.name t
python3 - "$repo" "$src" <<'PY'
import json, sys
repo, src = sys.argv[1], sys.argv[2]
json.dump([{"directory": repo, "file": f"{repo}/t.cpp", "arguments": ["c++", "-std=c++20", f"-I{src}/runtime/include", "-c", "t.cpp"]}],
          open(f"{repo}/compile_commands.json", "w"))
PY
# t.cpp from a list of the traced body's statements.
write() {
  python3 - "$@" <<'PY'
import sys
body = "".join(f"    {s}\n" for s in sys.argv[1:])
open("t.cpp", "w").write("#include <tl/tl.h>\nint traces = 0;\nint other = 0;\nint main() {\n"
                         "  auto f = tl::function([](const tl::tensor& x) {\n" + body +
                         "    return x;\n  });\n  f(tl::ones({2}));\n}\n")
PY
}
# A run (full, or --diff=HEAD when $1 is "diff") into out.json; sets rc.
run_mode() {
  local extra=()
  [[ $1 == diff ]] && extra=(--diff=HEAD)
  "$tool" -p . t.cpp "${extra[@]}" --baseline=baseline.json --warnings-as-errors='*' --format=json --quiet \
    > "$dir/out.json" 2> "$dir/err.txt"
  rc=$?
}
# The lines of the findings in out.json.
lines() {
  python3 -c 'import json,sys; print(" ".join(str(d["range"]["start"]["line"] + 1) for f in json.load(open(sys.argv[1]))["files"] for d in f["diagnostics"]))' "$dir/out.json"
}
# expect <case> <mode> <lines reported> <exit code>
expect() {
  local got
  run_mode "$2"
  got=$(lines)
  [[ "$got" == "$3" && $rc == "$4" ]] ||
    fail "$1 ($2): reported lines '$got' exit $rc, expected '$3' exit $4: $(cat "$dir/err.txt")"
  echo "$1 ($2): lines '$got', exit $rc"
}
accept() {  # commits t.cpp with its findings as the baseline
  "$tool" -p . t.cpp --write-baseline=baseline.json --quiet > /dev/null 2>&1 || fail "cannot write a baseline"
  git add -A && git commit -qm "$1" || fail "cannot commit"
}

# Statements "yN" are neighbours that are no finding: auto yN = x + N.0;
y() { echo "auto y$1 = x + $1.0;"; }
# One accepted ++traces; (line 7).
write "$(y 1)" "++traces;" "$(y 2)"
accept one
for mode in full diff; do expect "nothing new" $mode "" 0; done
write "$(y 1)" "++traces;" "++traces;" "$(y 2)"
added=$(git diff -U0 | sed -n 's/^@@ .* +\([0-9]*\).*/\1/p')
expect "inserted next to it" diff "$added" 1  # git decides which of the two is the added line
expect "inserted next to it" full "8" 1
write "++traces;" "$(y 1)" "++traces;" "$(y 2)"
expect "inserted above, apart" full "6" 1
expect "inserted above, apart" diff "6" 1
write "$(y 1)" "++traces;" "$(y 2)" "++traces;"
expect "inserted below, apart" full "9" 1
expect "inserted below, apart" diff "9" 1
write "// a comment" "" "$(y 1)" "++traces;" "$(y 2)"
expect "an edit elsewhere" full "" 0

# Two accepted identical statements (lines 7 and 9), a new one between them.
write "$(y 1)" "++traces;" "$(y 2)" "++traces;" "$(y 3)"
accept two
write "$(y 1)" "++traces;" "$(y 2)" "++traces;" "$(y 4)" "++traces;" "$(y 3)"
expect "inserted between" full "11" 1
expect "inserted between" diff "11" 1

# A deleted accepted one and the other kept: nothing reported.
write "$(y 1)" "$(y 2)" "++traces;" "$(y 3)"
expect "one removed" full "" 0

# 31.4: the added line "++ traces;" at column 0 is "+++ traces;" in git diff -U0; the change after
# it in the same file (a new write of 'other') must still be seen.
git checkout -q t.cpp
python3 - <<'PY'
t = open("t.cpp").read()
t = t.replace("    auto y1 = x + 1.0;\n", "    auto y1 = x + 1.0;\n++ traces;\n", 1).replace("    return x;\n", "    other += 9;\n    return x;\n", 1)
open("t.cpp", "w").write(t)
PY
git diff -U0 | grep -q '^+++ traces;' || fail "the test's premise: git shows the added line as '+++ traces;'"
expect "a line beginning with ++" diff "7 12" 1
echo "baseline with identical statements: ok"
