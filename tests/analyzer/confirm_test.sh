#!/usr/bin/env bash
# The whole loop over examples/: analyze, run each example with TL_REPORT, confirm. Every static
# finding is confirmed, every runtime observation is matched, and the fixed and clean examples
# produce nothing on either side.
set -euo pipefail
tool=$1 src=$2 build=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$tool" -p "$build" -j 2 --quiet --format=json --output="$work/static.json" "$src"/examples/*.cpp || [ $? -eq 1 ]
mkdir "$work/runtime"
for example in "$src"/examples/*.cpp; do
  name=$(basename "$example" .cpp)
  TL_REPORT="$work/runtime/$name.json" TL_CHECK_MODE=warn "$build/examples/$name" >/dev/null 2>&1 || true
done
"$tool" confirm --static "$work/static.json" --dynamic "$work"/runtime/*.json --format=json --output="$work/confirm.json" --fail-on-missed
"$tool" confirm --static "$work/static.json" --dynamic "$work"/runtime/*.json | tail -1
# The joined SARIF comes from the analyzer's SARIF emitter: schema-valid, with rules[], the static
# report's fingerprints, and a verdict per result.
"$tool" -p "$build" -j 2 --quiet --format=sarif --output="$work/static.sarif" "$src"/examples/*.cpp || [ $? -eq 1 ]
"$tool" confirm --static "$work/static.sarif" --dynamic "$work"/runtime/*.json --format=sarif --output="$work/confirm.sarif"
python3 - "$work" "$src" <<'PY'
import json, os, sys
import jsonschema
work, src = sys.argv[1], sys.argv[2]
c = json.load(open(os.path.join(work, "confirm.json")))
s = c["summary"]
assert s["static_findings"] > 0 and s["confirmed"] == s["static_findings"], s
assert s["runtime_observations"] > 0 and s["missed"] == 0, s
static = json.load(open(os.path.join(work, "static.json")))
for f in static["files"]:
    name = os.path.basename(f["uri"])
    if not name.endswith("_buggy.cpp"):
        assert not f["diagnostics"], f"{name}: static findings on a fixed or clean example"
for r in os.listdir(os.path.join(work, "runtime")):
    obs = json.load(open(os.path.join(work, "runtime", r)))["observations"]
    if not r.endswith("_buggy.json"):
        assert not obs, f"{r}: runtime observations on a fixed or clean example"
    else:
        assert obs, f"{r}: a buggy example with no runtime observation"
joined_doc = json.load(open(os.path.join(work, "confirm.sarif")))
jsonschema.validate(joined_doc, json.load(open(os.path.join(src, "tests/analyzer/sarif-schema-2.1.0.json"))))
joined = joined_doc["runs"][0]
static_sarif = json.load(open(os.path.join(work, "static.sarif")))["runs"][0]
assert joined["tool"]["driver"]["name"] == "tracelint confirm", joined["tool"]["driver"]
assert [r["id"] for r in joined["tool"]["driver"]["rules"]] == [r["id"] for r in static_sarif["tool"]["driver"]["rules"]]
prints = sorted(r["partialFingerprints"]["tracelint/v2"] for r in static_sarif["results"])
assert sorted(r["partialFingerprints"]["tracelint/v2"] for r in joined["results"]) == prints
# Each joined result covers its static result's range (columns included).
def ranges(results):
    keys = ("startLine", "startColumn", "endLine", "endColumn")
    return sorted((r["partialFingerprints"]["tracelint/v2"],
                   tuple(r["locations"][0]["physicalLocation"]["region"].get(k) for k in keys)) for r in results)
assert ranges(joined["results"]) == ranges(static_sarif["results"])
assert any(region[1] > 1 for _, region in ranges(joined["results"])), "no result past column 1"
assert joined["results"] and all(r["properties"]["confirmed"] and r["level"] == "error" and r["properties"]["evidence"]
                                 for r in joined["results"]), joined["results"][:1]
print(f"confirm: {s['confirmed']}/{s['static_findings']} confirmed, {s['missed']} missed")
PY
