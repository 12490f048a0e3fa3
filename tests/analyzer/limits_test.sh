#!/usr/bin/env bash
# Limits are never silent (issue 17, item 8): deep call chains, a file named twice, -j beyond the
# CPUs, compiler arguments that make no AST, a directory given as a source.
source "$(dirname "$0")/common.sh"
write_good "$dir/good.cpp"

# A write 100 calls below the traced function is reported; the notes say how many calls they skip.
python3 - "$dir/deep.cpp" <<'PY'
import sys
depth = 100
with open(sys.argv[1], "w") as f:
    f.write("#include <tl/tl.h>\nint hits = 0;\n")
    f.write(f"void f{depth}() {{ ++hits; }}\n")
    for i in range(depth - 1, -1, -1):
        f.write(f"void f{i}() {{ f{i + 1}(); }}\n")
    f.write("int main() { auto step = tl::function([](const tl::tensor& x) { f0(); return x; }); (void)step; }\n")
PY
"$tool" "$dir/deep.cpp" --quiet --format=json "${args[@]}" > "$dir/deep.json" || fail "deep chain run: exit $?"
python3 - "$dir/deep.json" <<'PY' || fail "deep call chain"
import json, sys
diags = [d for f in json.load(open(sys.argv[1]))["files"] for d in f["diagnostics"]]
assert len(diags) == 1, f"{len(diags)} findings, want the write in f100"
notes = [r["message"] for r in diags[0].get("relatedInformation", [])]
assert any("37 further calls down to 'f100' not shown" in n for n in notes), notes
PY

# The same file named three ways is analyzed once: one finding, "in 1 file".
ln -s good.cpp "$dir/alias.cpp"
out=$(cd "$dir" && "$tool" good.cpp ./good.cpp "$dir/alias.cpp" --format=json "${args[@]}" 2>"$dir/err")
n=$(printf '%s' "$out" | count_findings)
[ "$n" = 1 ] || fail "a file named three times: $n findings, want 1"
grep -q "1 warning and 0 errors in 1 file\." "$dir/err" || fail "summary of a file named three times: $(cat "$dir/err")"

# -j beyond the CPUs available is reduced, and the run says so.
cpus=$(python3 -c 'import os; print(len(os.sched_getaffinity(0)))')
cp "$dir/good.cpp" "$dir/other.cpp"
"$tool" -j 1000 "$dir/good.cpp" "$dir/other.cpp" --format=json "${args[@]}" 2>"$dir/err" >/dev/null || fail "-j 1000: exit $?"
want=$(( cpus < 2 ? cpus : 2 ))
grep -q "note: -j 1000: $cpus CPUs are available; running $want jobs at a time" "$dir/err" || fail "-j 1000 note: $(cat "$dir/err")"
# grep reads the whole help (-q would close the pipe early and the tool would die of SIGPIPE under pipefail).
"$tool" --help | grep "at most the number of files and of CPUs" >/dev/null || fail "--help does not say how -j is bounded"

# Compiler arguments that stop before an AST: a usage error that says so, not "no compile_commands.json".
for flag in -E -M; do
  "$tool" "$dir/good.cpp" -- -std=c++20 "$flag" >/dev/null 2>"$dir/err"; rc=$?
  [ "$rc" = 2 ] && grep -q "'$flag'.* no AST to analyze" "$dir/err" || fail "-- $flag: exit $rc: $(cat "$dir/err")"
done

# A directory given as a source file.
mkdir "$dir/sub"
"$tool" "$dir/sub" "$dir/good.cpp" --quiet "${args[@]}" >/dev/null 2>"$dir/err"; rc=$?
[ "$rc" = 3 ] && grep -q "'$dir/sub' is a directory, not a source file" "$dir/err" || fail "directory as a source: exit $rc: $(cat "$dir/err")"
echo "limits: ok"
