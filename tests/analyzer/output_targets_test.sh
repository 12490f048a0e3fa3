#!/usr/bin/env bash
# Outputs never replace what they point at (issue 17, item 1): a symbolic link is followed and kept,
# a FIFO or a device is written in place, and a write error (ENOSPC) is exit 2 with the errno text.
source "$(dirname "$0")/common.sh"
cat > "$dir/good.cpp" <<'CPP'
#include <tl/tl.h>
#include <iostream>
int g = 0;
int main() { auto f = tl::function([](const tl::tensor& x) { g = 1; std::cout << x; return x; }); (void)f; }
CPP

# A link to /dev/full: the device behind it reports ENOSPC; the old writer renamed a regular file
# over the link and exited 0. (A link in our directory, so that no code can ever replace /dev/full.)
ln -s /dev/full "$dir/full"
for opt in --output --export-fixes; do
  "$tool" "$dir/good.cpp" --quiet --format=json "$opt=$dir/full" "${args[@]}" >/dev/null 2>"$dir/err"; rc=$?
  [ "$rc" = 2 ] || fail "$opt to a full device: exit $rc, want 2"
  grep -q "cannot write '$dir/full': No space left on device" "$dir/err" || fail "$opt error: $(cat "$dir/err")"
  [ -L "$dir/full" ] || fail "$opt replaced the link"
done
"$tool" "$dir/good.cpp" --quiet --format=json "${args[@]}" >/dev/full 2>"$dir/err"; rc=$?
[ "$rc" = 2 ] && grep -q "standard output: No space left on device" "$dir/err" || fail "stdout on a full device: exit $rc: $(cat "$dir/err")"

# A link to a regular file: the target gets the report, the link stays a link.
echo old > "$dir/real.json"
ln -s real.json "$dir/link.json"
"$tool" "$dir/good.cpp" --quiet --format=json --output="$dir/link.json" "${args[@]}" || fail "output through a link: exit $?"
[ -L "$dir/link.json" ] || fail "--output replaced the link with a regular file"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))["files"]' "$dir/real.json" || fail "the link's target has no report"

# A FIFO: written in place; the reader gets the whole report.
mkfifo "$dir/pipe"
cat "$dir/pipe" > "$dir/from-pipe" &
reader=$!
"$tool" "$dir/good.cpp" --quiet --format=json --output="$dir/pipe" "${args[@]}" || fail "output to a FIFO: exit $?"
wait "$reader"
[ -p "$dir/pipe" ] || fail "--output replaced the FIFO"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))["files"]' "$dir/from-pipe" || fail "the FIFO's reader got no report"

# /dev/stdout: into a pipe, and into a log opened for appending, whose earlier lines stay.
"$tool" "$dir/good.cpp" --quiet --format=json --output=/dev/stdout "${args[@]}" | cat > "$dir/piped" || fail "--output=/dev/stdout into a pipe: exit ${PIPESTATUS[0]}"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))["files"]' "$dir/piped" || fail "--output=/dev/stdout into a pipe gave no report"
echo "earlier line" > "$dir/log"
"$tool" "$dir/good.cpp" --quiet --format=json --output=/dev/stdout "${args[@]}" >> "$dir/log" || fail "--output=/dev/stdout appending: exit $?"
[ "$(head -1 "$dir/log")" = "earlier line" ] && grep -q '"diagnostics"' "$dir/log" || fail "--output=/dev/stdout replaced the log: $(head -3 "$dir/log")"

# confirm --output goes through the same writer.
"$tool" "$dir/good.cpp" --quiet --format=json --output="$dir/static.json" "${args[@]}"
printf '{"schema": "tracelint-runtime-report", "version": 1, "observations": []}\n' > "$dir/run.json"
"$tool" confirm --static "$dir/static.json" --dynamic "$dir/run.json" --output="$dir/full" 2>"$dir/err"; rc=$?
[ "$rc" = 2 ] && grep -q "No space left on device" "$dir/err" && [ -L "$dir/full" ] || fail "confirm --output to a full device: exit $rc"

# No temporary file is left beside any of them.
ls -a "$dir" | grep -q "tracelint-\|\.tmp$" && fail "a temporary file was left: $(ls -a "$dir")"

# --fix through a symlinked source: the real file is fixed, the link stays a link.
mkdir "$dir/fix"
cat > "$dir/fix/real.cpp" <<'CPP'
#include <iostream>
#include <tl/tl.h>
int main() {
  auto f = tl::function([](const tl::tensor& x) {
    std::cout << x;
    return x;
  });
  (void)f;
}
CPP
ln -s real.cpp "$dir/fix/link.cpp"
"$tool" --fix "$dir/fix/link.cpp" --checks='-*,trace-host-io' "${args[@]}" >/dev/null 2>"$dir/err" || fail "--fix through a link: $(cat "$dir/err")"
[ -L "$dir/fix/link.cpp" ] || fail "--fix replaced the symlinked source with a regular file"
grep -q 'tl::print(x);' "$dir/fix/real.cpp" || fail "--fix did not fix the link's target"
[ "$(ls -A "$dir/fix" | wc -l)" = 2 ] || fail "--fix left a temporary file: $(ls -A "$dir/fix")"
echo "output targets: ok"
