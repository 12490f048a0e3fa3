#!/usr/bin/env bash
# Issue 21: a run split into shards (--shard=i/n, each writing --export-summaries and
# --export-results) and joined by `tracelint merge` reports exactly what one run over all files
# reports, in SARIF and in JSON, with the same exit code. The files call each other's helpers
# (shard_merge/ and cross_tu/), so some cross-file findings exist only once the shards are merged.
# Nothing is normalized: both reports come from the same directory and the same binary, and neither
# format holds a time or an invocation-specific field. Then bad input to merge: exit 2, the file named.
set -euo pipefail
tool=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src"  # shards are chosen by the path relative to the current directory, as in a CI checkout
files=(tests/analyzer/shard_merge/train.cpp tests/analyzer/shard_merge/counters.cpp tests/analyzer/shard_merge/logging.cpp
       tests/analyzer/cross_tu/train.cpp tests/analyzer/cross_tu/util.cpp
       examples/seed000_metric_accumulator_buggy.cpp examples/seed003_host_counters_buggy.cpp)
python3 - "$src" "$tmp/compile_commands.json" "${files[@]}" <<'PY'
import json, sys
src, out, files = sys.argv[1], sys.argv[2], sys.argv[3:]
json.dump([{"directory": src, "file": f, "arguments": ["c++", "-std=c++20", "-I" + src + "/runtime/include", "-c", f]}
           for f in files], open(out, "w"), indent=1)
PY
run() { "$@" || { rc=$?; [ "$rc" = 1 ] || { echo "exit $rc: $*"; exit 1; }; }; }
for format in sarif json; do
  one_rc=0
  "$tool" -p "$tmp" --quiet -j 2 --format=$format --output="$tmp/one.$format" "${files[@]}" || one_rc=$?
  [ "$one_rc" -le 1 ] || { echo "one run: exit $one_rc"; exit 1; }
done
split_seen=0
for n in 2 3 4; do
  exports=()
  for i in $(seq 1 $n); do
    run "$tool" -p "$tmp" --quiet -j 2 --shard=$i/$n --export-summaries="$tmp/s$i.json" --export-results="$tmp/r$i.json" \
      --output=/dev/null
    exports+=("$tmp/s$i.json" "$tmp/r$i.json")
  done
  for format in sarif json; do
    rc=0
    "$tool" merge --quiet --format=$format --output="$tmp/merged.$format" "${exports[@]}" || rc=$?
    [ "$rc" = "$one_rc" ] || { echo "merge of $n shards: exit $rc, one run's was $one_rc"; exit 1; }
    cmp "$tmp/one.$format" "$tmp/merged.$format" || {
      diff "$tmp/one.$format" "$tmp/merged.$format" | head -40
      echo "$n shards merged differ from one run ($format)"
      exit 1
    }
  done
  # The shards together hold every file once, and some findings came from the merge alone.
  split=$(python3 - "$tmp" "$n" "$src" <<'PY'
import json, sys
tmp, n, src = sys.argv[1], int(sys.argv[2]), sys.argv[3]
files, local = [], 0
for i in range(1, n + 1):
    r = json.load(open(f"{tmp}/r{i}.json"))
    s = json.load(open(f"{tmp}/s{i}.json"))
    assert r["format"] == "tracelint-results" and s["format"] == "tracelint-summaries" and r["version"] == s["version"] == 2
    assert sorted(u["file"] for u in s["units"]) == sorted(r["filesAnalyzed"])
    files += r["filesAnalyzed"]
    local += len(r["findings"])
assert len(files) == len(set(files)) == 7, files
merged = sum(len(f["diagnostics"]) for f in json.load(open(f"{tmp}/merged.json"))["files"])
print(1 if merged > local else 0)
PY
)
  echo "$n shards: same SARIF and JSON as one run (cross-file findings only after the merge: $split)"
  split_seen=$((split_seen + split))
  rm -f "$tmp"/s*.json "$tmp"/r*.json
done
[ "$split_seen" -gt 0 ] || { echo "no shard count separated a traced function from its helpers: the test proves nothing"; exit 1; }

# What shards cannot see: a capture begun in another shard's file. graph.cu's functions begin and
# end a capture that step.cu uses (cross_tu_capture/); analyzed apart, the merge says so.
cdir=tests/analyzer/cross_tu_capture
cargs=(-- -x cuda --cuda-host-only -nocudainc -nocudalib -Wno-unknown-cuda-version -std=c++17 -isystem tests/analyzer/packs/include)
for f in step graph; do
  "$tool" --quiet "$cdir/$f.cu" --export-summaries="$tmp/$f.s.json" --export-results="$tmp/$f.r.json" --output=/dev/null \
    "${cargs[@]}" || true
done
warning=$("$tool" merge --quiet --output=/dev/null "$tmp"/{step,graph}.{s,r}.json 2>&1 || true)
[[ "$warning" == *"warning: "*"step.cu calls a function that begins or ends a capture in another shard ('$tmp/graph.s.json')"* ]] ||
  { echo "no warning about the capture across shards: $warning"; exit 1; }
echo "capture across shards: $warning"

# Bad input to merge: a clear error naming the file, exit 2, never a crash.
"$tool" --quiet -p "$tmp" --shard=1/1 --export-summaries="$tmp/good.json" --output=/dev/null || true
expect_error() {  # <what> <file> <message part> -- merge arguments
  local what=$1 file=$2 part=$3
  shift 4
  local rc=0 err
  err=$("$tool" merge --quiet "$@" 2>&1 >/dev/null) || rc=$?
  [ "$rc" = 2 ] || { echo "$what: exit $rc, want 2 ($err)"; exit 1; }
  [[ "$err" == *"$file"* && "$err" == *"$part"* ]] || { echo "$what: message '$err' lacks '$file' or '$part'"; exit 1; }
  echo "$what: exit 2, $err"
}
expect_error "missing file" "$tmp/nope.json" "cannot read" -- "$tmp/good.json" "$tmp/nope.json"
printf '{"format": "tracelint-summaries", "version": 2, "units": [' >"$tmp/cut.json"
expect_error "malformed JSON" "$tmp/cut.json" "not JSON" -- "$tmp/cut.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["version"]=99; json.dump(d, open(sys.argv[2], "w"))' "$tmp/good.json" "$tmp/v99.json"
expect_error "wrong version" "$tmp/v99.json" "version 99" -- "$tmp/good.json" "$tmp/v99.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["units"][0]["summaries"]["Functions"]=7; json.dump(d, open(sys.argv[2], "w"))' "$tmp/good.json" "$tmp/bad.json"
expect_error "malformed summaries" "$tmp/bad.json" "malformed tracelint-summaries" -- "$tmp/bad.json"
expect_error "another tool's JSON" "$tmp/one.json" "not a file of --export-summaries" -- "$tmp/one.json"
expect_error "no inputs" "merge" "no input files" --
rc=0
"$tool" merge --checks=-* "$tmp/good.json" 2>/dev/null || rc=$?
[ "$rc" = 2 ] || { echo "merge with --checks: exit $rc, want 2"; exit 1; }
# Damaged files (values of the wrong type, out of range, missing) are an exit 2 or are read, never a crash.
"$tool" --quiet -p "$tmp" --shard=1/1 --export-results="$tmp/good-results.json" --output=/dev/null || true
python3 - "$tool" "$tmp" <<'PY'
import json, random, subprocess, sys
tool, tmp = sys.argv[1], sys.argv[2]
base = {"s": json.load(open(f"{tmp}/good.json")), "r": json.load(open(f"{tmp}/good-results.json"))}
rng = random.Random(21)  # seeded: the same damaged files on every run
def damage(x):
    if isinstance(x, (dict, list)) and x:
        k = rng.choice(list(x)) if isinstance(x, dict) else rng.randrange(len(x))
        if rng.random() < 0.3:
            x[k] = rng.choice([None, -1, 2**40, "", [], {}, "x", 1.5, True])
        else:
            damage(x[k])
codes = {}
for n in range(100):
    kind = rng.choice(["s", "r"])
    doc = json.loads(json.dumps(base[kind]))
    damage(doc)
    damage(doc)
    json.dump(doc, open(f"{tmp}/damaged.json", "w"))
    other = f"{tmp}/good-results.json" if kind == "s" else f"{tmp}/good.json"
    p = subprocess.run([tool, "merge", "--quiet", "--format=sarif", "--output=/dev/null", f"{tmp}/damaged.json", other],
                       capture_output=True, text=True)
    assert p.returncode in (0, 1, 2, 3), (n, p.returncode, p.stderr[-500:])
    assert p.returncode != 2 or f"{tmp}/damaged.json" in p.stderr, (n, p.stderr)
    codes[p.returncode] = codes.get(p.returncode, 0) + 1
print(f"100 damaged files: exit codes {codes}, no crash, every error names the file")
PY
for bad in 0/2 3/2 x/2 2 1/0; do
  rc=0
  "$tool" -p "$tmp" --shard=$bad --quiet >/dev/null 2>&1 || rc=$?
  [ "$rc" = 2 ] || { echo "--shard=$bad: exit $rc, want 2"; exit 1; }
done
echo "shard and merge: all checks passed"
