#!/usr/bin/env bash
# Effect summaries across files: analyzed together, the writes in util.cpp are reported for the
# traced function in train.cpp; train.cpp alone reports nothing (the calls are unknown).
set -euo pipefail
tool=$1 src=$2
dir="$src/tests/analyzer/cross_tu"
args=(-- -std=c++20 -I"$src/runtime/include")
together=$("$tool" "$dir/train.cpp" "$dir/util.cpp" --quiet --format=json -j 2 "${args[@]}")
python3 - "$dir/util.cpp" <<PY
import json, re, sys
report = json.loads('''$together''')
got = sorted((d["range"]["start"]["line"] + 1, d["code"], d["data"]["tracedFunction"])
             for f in report["files"] if f["uri"].endswith("util.cpp") for d in f["diagnostics"])
want = sorted((n, m.group(1), "train_step") for n, line in enumerate(open(sys.argv[1]), 1)
              for m in [re.search(r"WARN\[([\w-]+)\]", line)] if m)
assert got == want, (got, want)
print(f"cross-TU: {len(got)} findings in util.cpp, as annotated")
PY
alone=$("$tool" "$dir/train.cpp" --quiet --format=json "${args[@]}")
n=$(printf '%s' "$alone" | python3 -c 'import json,sys; print(sum(len(f["diagnostics"]) for f in json.load(sys.stdin)["files"]))')
[ "$n" = 0 ] || { echo "train.cpp alone reported $n findings"; exit 1; }

# Capture regions across files: graph.cu's functions begin and end a capture; the code step.cu runs
# between the two calls is capture-time code. Through worker processes (-j 2) and in-process.
cdir="$src/tests/analyzer/cross_tu_capture"
cargs=(-- -x cuda --cuda-host-only -nocudainc -nocudalib -Wno-unknown-cuda-version -std=c++17 -isystem "$src/tests/analyzer/packs/include")
for mode in "-j 2" "--isolate=false"; do
  # shellcheck disable=SC2086
  report=$("$tool" "$cdir/step.cu" "$cdir/graph.cu" --quiet --format=json $mode "${cargs[@]}") || [ $? = 1 ]  # 1: error-level findings
  python3 - "$cdir/step.cu" "$mode" <<PY
import json, re, sys
report = json.loads('''$report''')
got = sorted((d["range"]["start"]["line"] + 1, d["code"]) for f in report["files"] if f["uri"].endswith("step.cu")
             for d in f["diagnostics"])
want = sorted((n, m.group(2)) for n, line in enumerate(open(sys.argv[1]), 1)
              for m in [re.search(r"(WARN|ERROR)\[([\w-]+)\]", line)] if m)
assert got == want, (sys.argv[2], got, want)
print(f"cross-TU capture ({sys.argv[2]}): {len(got)} findings in step.cu, as annotated")
PY
done
n=$("$tool" "$cdir/step.cu" --quiet --format=json "${cargs[@]}" |
    python3 -c 'import json,sys; print(sum(len(f["diagnostics"]) for f in json.load(sys.stdin)["files"]))')
[ "$n" = 0 ] || { echo "step.cu alone reported $n findings"; exit 1; }
