# The code-scanning action (action.yml) run as GitHub would run its tracelint step, on a temporary
# repository: the SARIF is written and valid, covers the database's files in the repository only,
# carries relative URIs and fingerprints, honours extra options (--baseline), and bad input is an
# error that says what is wrong.
# Usage: code_scanning_test.sh <tracelint> <source dir>
source "$(dirname "$0")/common.sh"

repo="$dir/repo"
mkdir -p "$repo/build" "$dir/outside"
write_good "$repo/a.cpp"
printf '#include <tl/tl.h>\nint clean() { return 0; }\n' > "$repo/b.cpp"
write_good "$repo/build/generated.cpp"
write_good "$dir/outside/vendored.cpp"
python3 - "$repo" "$src" "$dir/outside/vendored.cpp" <<'PY'
import json, sys
repo, src, outside = sys.argv[1:4]
files = [f"{repo}/a.cpp", f"{repo}/b.cpp", f"{repo}/build/generated.cpp", outside]
json.dump([{"directory": f"{repo}/build", "file": f, "arguments": ["c++", "-std=c++20", f"-I{src}/runtime/include", "-c", f]}
           for f in files], open(f"{repo}/build/compile_commands.json", "w"))
PY

# The action's tracelint step, as the runner executes it (composite action, bash).
python3 -c 'import sys, yaml; a = yaml.safe_load(open(sys.argv[1]))
steps = a["runs"]["steps"]
assert any("upload-sarif" in s.get("uses", "") for s in steps), "no upload-sarif step"
print(steps[0]["run"])' "$src/action.yml" > "$dir/step.sh" || fail "action.yml has no tracelint step and upload step"
step() {  # <build dir> <args>
  (cd "$repo" && GITHUB_ACTION_PATH="$src" GITHUB_WORKSPACE="$repo" TL_BUILD_DIR="$1" TL_TOOL="$tool" \
     TL_SARIF="$dir/out.sarif" TL_ARGS="$2" bash -e "$dir/step.sh")
}

step build "" > "$dir/log.txt" 2>&1 || fail "the step failed on findings: $(cat "$dir/log.txt")"
python3 - "$dir/out.sarif" "$src/tests/analyzer/sarif-schema-2.1.0.json" <<'PY' || fail "SARIF check failed"
import json, sys, jsonschema
sarif = json.load(open(sys.argv[1]))
jsonschema.validate(sarif, json.load(open(sys.argv[2])))
results = sarif["runs"][0]["results"]
uris = sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results)
assert uris == ["a.cpp"], f"expected one finding in a.cpp only (generated and outside files left out), got {uris}"
assert all(r["partialFingerprints"]["tracelint/v2"] for r in results)
assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
PY
grep -q "analyzing 2 files" "$dir/log.txt" || fail "expected a.cpp and b.cpp analyzed: $(cat "$dir/log.txt")"

# Extra options reach tracelint: a baseline of today's findings leaves none.
"$tool" -p "$repo/build" "$repo/a.cpp" --quiet --write-baseline="$repo/baseline.json" > /dev/null 2>&1 || fail "no baseline"
step build "--baseline=$repo/baseline.json" > "$dir/log.txt" 2>&1 || fail "the step with a baseline failed: $(cat "$dir/log.txt")"
# Accepted findings stay in the log, suppressed, so that code scanning does not close them as fixed.
python3 -c 'import json,sys; r = json.load(open(sys.argv[1]))["runs"][0]["results"]; assert r and all(x.get("suppressions") for x in r), r' "$dir/out.sarif" \
  || fail "the baseline did not reach tracelint"

# Bad input: no database, an unknown option. Exit 2 with the reason.
step "$dir/nowhere" "" > "$dir/log.txt" 2>&1
[[ $? == 2 ]] || fail "a missing database is not exit 2"
grep -q "no compile_commands.json" "$dir/log.txt" || fail "a missing database is not named: $(cat "$dir/log.txt")"
step build "--no-such-option" > "$dir/log.txt" 2>&1
[[ $? == 2 ]] || fail "an unknown tracelint option is not exit 2: $(cat "$dir/log.txt")"
echo "code scanning: ok"
