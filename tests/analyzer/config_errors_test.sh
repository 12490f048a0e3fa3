# Issue 31.5: configuration mistakes are errors, never a silently weaker run. A typo in --checks,
# --warnings-as-errors or the configuration's Checks is exit 2 naming it (with the nearest check);
# --list-checks reads .tracelint.json; --dump-config and --verify-config exist; -p takes the
# compile_commands.json file as clang-tidy does; NO_COLOR turns automatic color off.
# Usage: config_errors_test.sh <tracelint> <source dir>
source "$(dirname "$0")/common.sh"
cd "$dir" || fail "no scratch dir"
write_good a.cpp

expect_usage_error() {  # <what> <text the message must hold> <tracelint args...>
  local what=$1 part=$2; shift 2
  "$tool" "$@" > out.txt 2>&1
  local rc=$?
  [[ $rc == 2 ]] || fail "$what: exit $rc, want 2: $(cat out.txt)"
  grep -qF -- "$part" out.txt || fail "$what: the message lacks '$part': $(cat out.txt)"
  echo "$what: $(head -1 out.txt)"
}
expect_usage_error "typo in --checks" "'trace-host-mutaton' matches no check (did you mean 'trace-host-mutation'?)" \
  a.cpp --checks='-*,trace-host-mutaton' "${args[@]}"
expect_usage_error "typo in --warnings-as-errors" "--warnings-as-errors: 'trace-hostio' matches no check" \
  a.cpp --warnings-as-errors='trace-hostio' "${args[@]}"
expect_usage_error "typo in a removal" "'-trace-host-randm' matches no check" a.cpp --checks='-trace-host-randm' "${args[@]}"
printf '{"Checks": "-*,trace-stale-captures"}' > .tracelint.json
expect_usage_error "typo in the configuration" "$dir/.tracelint.json: Checks: 'trace-stale-captures' matches no check" \
  a.cpp "${args[@]}"
expect_usage_error "--verify-config on a typo" "trace-stale-captures" --verify-config
printf '{"Checks": "-*,trace-stale-capture", "WarningsAsErrors": "trace-*"}' > .tracelint.json

# --list-checks reads the configuration of the current directory (or of the file given).
"$tool" --list-checks > out.txt 2>&1 || fail "--list-checks: exit $?"
[[ "$(grep -c '^    trace-' out.txt)" == 1 ]] && grep -q "trace-stale-capture" out.txt ||
  fail "--list-checks ignores .tracelint.json: $(cat out.txt)"
"$tool" --list-checks --checks='trace-host-io' > out.txt 2>&1 || fail "--list-checks --checks: exit $?"
[[ "$(grep -c '^    trace-' out.txt)" == 2 ]] || fail "--list-checks does not add --checks to the configuration: $(cat out.txt)"
"$tool" --verify-config > out.txt 2>&1 || fail "--verify-config on a valid configuration: exit $?: $(cat out.txt)"
grep -q "No config errors detected." out.txt || fail "--verify-config says nothing: $(cat out.txt)"
"$tool" --dump-config a.cpp > out.json 2>&1 || fail "--dump-config: exit $?"
python3 - out.json "$dir" <<'PY' || fail "--dump-config: $(cat out.json)"
import json, sys
c = json.load(open(sys.argv[1]))
assert c["EnabledChecks"] == ["trace-stale-capture"], c
assert c["WarningsAsErrors"] == "trace-*", c
assert c["ConfigurationFiles"] == [sys.argv[2] + "/.tracelint.json"], c
assert c["Packs"], c
PY
rm .tracelint.json

# -p with the database file itself.
mkdir -p build
python3 - "$dir" "$src" <<'PY'
import json, sys
d, src = sys.argv[1], sys.argv[2]
json.dump([{"directory": d, "file": f"{d}/a.cpp", "arguments": ["c++", "-std=c++20", f"-I{src}/runtime/include", "-c", "a.cpp"]}],
          open(f"{d}/build/compile_commands.json", "w"))
PY
"$tool" -p build/compile_commands.json a.cpp --quiet --use-color=false > out.txt 2>&1
[[ $? == 0 ]] && grep -q "a.cpp:3:.*trace-host-mutation" out.txt || fail "-p <file>.json: $(cat out.txt)"
"$tool" -p build a.cpp --quiet --use-color=false > out2.txt 2>&1
cmp out.txt out2.txt || fail "-p <file> and -p <dir> differ"

# NO_COLOR: under a terminal (script(1) gives one), automatic color is on without it, off with it.
if command -v script >/dev/null; then
  script -qec "'$tool' -p build a.cpp --quiet" /dev/null > tty.txt 2>&1
  grep -q $'\e\[' tty.txt || fail "no color on a terminal without NO_COLOR (the test's premise): $(cat -v tty.txt)"
  NO_COLOR=1 script -qec "'$tool' -p build a.cpp --quiet" /dev/null > tty.txt 2>&1
  grep -q $'\e\[' tty.txt && fail "NO_COLOR=1 still colors: $(cat -v tty.txt)"
  NO_COLOR=1 script -qec "'$tool' -p build a.cpp --quiet --use-color" /dev/null > tty.txt 2>&1
  grep -q $'\e\[' tty.txt || fail "--use-color does not win over NO_COLOR: $(cat -v tty.txt)"
fi
echo "configuration errors: ok"
