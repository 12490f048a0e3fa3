#!/usr/bin/env bash
# The worker pool (--isolate): each job's worker analyzes one file after another, so a file that
# crashes or hangs in the middle of a worker's files must cost that file only: the files before it
# keep their findings, and the files after it go to a new worker. -j 1, so that one worker gets all
# the files in order. The hang is a file that includes a FIFO nobody writes to (it never finishes,
# however fast the machine); the budget (60 s) only has to be generous for the good files.
source "$(dirname "$0")/common.sh"
write_good "$dir/one.cpp"
write_good "$dir/three.cpp"
cat > "$dir/two.cpp" <<'CPP'
#pragma clang __debug crash
int main() {}
CPP
mkfifo "$dir/never.fifo"
printf '#include "%s"\nint main() {}\n' "$dir/never.fifo" > "$dir/hang.cpp"

# A crash in the second of three files.
n=$(cd "$dir" && timeout 280 "$tool" -j 1 one.cpp two.cpp three.cpp --quiet --format=json "${args[@]}" 2>"$dir/err" |
  count_findings); rc=${PIPESTATUS[0]}
[ "$rc" = 3 ] && [ "$n" = 2 ] || fail "crash in file 2: exit $rc, $n findings: $(cat "$dir/err")"
grep -q "two.cpp: error: analysis failed: the analyzer crashed on this file" "$dir/err" || fail "crash message: $(cat "$dir/err")"
[ "$(grep -c 'analysis failed' "$dir/err")" = 1 ] || fail "other files failed too: $(cat "$dir/err")"

# Two crashes in a row, then a good file: each crash costs its own file.
cp "$dir/two.cpp" "$dir/two_b.cpp"
n=$(cd "$dir" && timeout 280 "$tool" -j 1 two.cpp two_b.cpp one.cpp --quiet --format=json "${args[@]}" 2>"$dir/err" |
  count_findings); rc=${PIPESTATUS[0]}
[ "$rc" = 3 ] && [ "$n" = 1 ] || fail "two crashes then a good file: exit $rc, $n findings: $(cat "$dir/err")"
[ "$(grep -c 'analysis failed: the analyzer crashed' "$dir/err")" = 2 ] || fail "two crashes: $(cat "$dir/err")"

# A hang in the second of three files: stopped at the budget, the third still analyzed.
n=$(cd "$dir" && timeout 280 "$tool" -j 1 --file-timeout=60 one.cpp hang.cpp three.cpp --quiet --format=json "${args[@]}" \
  2>"$dir/err" | count_findings); rc=${PIPESTATUS[0]}
[ "$rc" != 124 ] || fail "the time budget did not stop a file that never finishes"
[ "$rc" = 3 ] && [ "$n" = 2 ] || fail "hang in file 2: exit $rc, $n findings: $(cat "$dir/err")"
grep -q "hang.cpp: error: analysis failed: exceeded the time budget of 60 s" "$dir/err" || fail "time budget message: $(cat "$dir/err")"
[ "$(grep -c 'analysis failed' "$dir/err")" = 1 ] || fail "other files failed too: $(cat "$dir/err")"

# The pool gives the same report as one process without workers.
(cd "$dir" && "$tool" -j 1 one.cpp three.cpp --format=json "${args[@]}" 2>/dev/null) > "$dir/pool.json"
(cd "$dir" && "$tool" -j 1 --isolate=false one.cpp three.cpp --format=json "${args[@]}" 2>/dev/null) > "$dir/inproc.json"
cmp -s "$dir/pool.json" "$dir/inproc.json" || fail "the workers' report differs from the in-process one"
ls "$dir"/core* >/dev/null 2>&1 && fail "a worker left a core file"
echo "worker pool: ok"
