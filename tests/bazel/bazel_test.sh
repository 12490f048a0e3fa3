#!/usr/bin/env bash
# Issue 21: tracelint under Bazel (integrations/bazel/). A workspace of cc_library and cc_binary
# targets is analyzed by the aspect, one action per source, and merged into one report, which must
# hold the findings one tracelint run over the same files reports (the cross-file ones included).
# Then `bazel clean` and the same build again: every tracelint action must come from the disk cache
# (Bazel's execution log says so, spawn by spawn, and so does its summary line; no timing decides).
# Then error-level findings fail a gated build.
# Offline: Debian's bazel-bootstrap with the stand-ins for rules_cc and rules_java
# (integrations/bazel/offline/), a private --output_user_root, the server shut down at the end.
# Skipped (exit 77) with the reason when Bazel is not installed or cannot start.
set -euo pipefail
tool=$1 src=$2
if ! command -v bazel >/dev/null; then
  echo "SKIPPED: bazel is not installed (Debian: apt-get install bazel-bootstrap; scripts/setup.sh does)"
  exit 77
fi
tmp=$(mktemp -d)
root="$tmp/root"
ws="$tmp/ws"
# A developer's ~/.bazelrc must not change what is tested. Debian's system rc (/etc/bazel/bazelrc)
# stays: it is what makes its Bazel run offline (--install_base=/usr/share/bazel, the local JDK).
bzl() { (cd "$ws" && bazel --nohome_rc --output_user_root="$root" "$@"); }
cleanup() {
  bzl shutdown >/dev/null 2>&1 || true
  chmod -R u+w "$tmp" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# The tracelint repository as an installed prefix: bin/, share/tracelint/rules and this integration.
repo="$tmp/tracelint"
mkdir -p "$repo/bin" "$repo/share/tracelint"
cp "$src"/integrations/bazel/{WORKSPACE,BUILD.bazel,tracelint.bzl,default.tracelint.json} "$repo/"
cp "$tool" "$repo/bin/tracelint"
cp -r "$src/rules" "$repo/share/tracelint/rules"
cp -r "$src/tests/bazel/workspace" "$ws"
cp "$src"/tests/analyzer/shard_merge/*.cpp "$ws/"
cat >"$ws/WORKSPACE" <<WS
local_repository(name = "tracelint", path = "$repo")
local_repository(name = "rules_cc", path = "$src/integrations/bazel/offline/rules_cc")
local_repository(name = "rules_java", path = "$src/integrations/bazel/offline/rules_java")
new_local_repository(
    name = "tl",
    path = "$src/runtime/include",
    build_file_content = 'cc_library(name = "tl", hdrs = glob(["tl/*.h"]), includes = ["."], visibility = ["//visibility:public"])',
)
WS
# Debian's bootstrap build has no version stamp (`bazel version` fails); `info` starts the server.
if ! bzl info release >"$tmp/start.log" 2>&1; then
  echo "SKIPPED: bazel cannot start here:"
  tail -5 "$tmp/start.log"
  exit 77
fi
echo "bazel: $(bazel --version 2>/dev/null) ($(dpkg-query -W -f='${Package} ${Version}' bazel-bootstrap 2>/dev/null || echo 'not from Debian'))"
common=(--disk_cache="$tmp/disk-cache" --noshow_progress --color=no --curses=no)

# Bazel's execution log: one JSON object per spawn, one after the other.
export SPAWNS_OF='
def spawns_of(path):
    text, spawns, at = open(path).read(), [], 0
    decoder = json.JSONDecoder()
    while text[at:].strip():
        while text[at].isspace():
            at += 1
        spawn, at = decoder.raw_decode(text, at)
        spawns.append(spawn)
    return spawns
'

# 1. The report, and what one tracelint run says about the same files.
bzl build //:report "${common[@]}" --execution_log_json_file="$tmp/exec1.json" >"$tmp/build1.log" 2>&1 ||
  { cat "$tmp/build1.log"; echo "the first build failed"; exit 1; }
cp "$ws/bazel-bin/report.sarif" "$tmp/report.sarif"
rc=0
"$tool" --quiet --format=sarif --output="$tmp/direct.sarif" "$ws"/{train,counters,logging,tool}.cpp -- -std=c++20 \
  -isystem "$src/runtime/include" || rc=$?
[ "$rc" -le 1 ] || { echo "tracelint on the workspace's files: exit $rc"; exit 1; }
python3 - "$tmp/report.sarif" "$tmp/direct.sarif" "$tmp/exec1.json" <<'PY'
import json, os, sys
exec(os.environ["SPAWNS_OF"])
def findings(path):
    run = json.load(open(path))["runs"][0]
    return sorted((r["ruleId"], os.path.basename(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]),
                   r["locations"][0]["physicalLocation"]["region"]["startLine"], r["message"]["text"])
                  for r in run["results"])
bazel, direct = findings(sys.argv[1]), findings(sys.argv[2])
assert bazel == direct, ("Bazel's report differs from one run", bazel, direct)
cross = [f for f in bazel if f[1] == "counters.cpp" or (f[1] == "logging.cpp" and "train_step" in f[3])]
assert cross, ("no cross-file finding in the Bazel report", bazel)
# One action per source: 4 sources, 4 tracelint actions, 1 merge.
spawns = spawns_of(sys.argv[3])
mnemonics = sorted(s.get("mnemonic", "") for s in spawns)
assert mnemonics.count("Tracelint") == 4 and mnemonics.count("TracelintMerge") == 1, mnemonics
print(f"bazel report: {len(bazel)} findings ({len(cross)} across files), as one tracelint run; 4 actions and a merge")
PY

# 2. From a clean output tree, every action again, each a disk cache hit.
bzl clean >/dev/null 2>&1
bzl build //:report "${common[@]}" --execution_log_json_file="$tmp/exec2.json" >"$tmp/build2.log" 2>&1 ||
  { cat "$tmp/build2.log"; echo "the second build failed"; exit 1; }
cmp "$ws/bazel-bin/report.sarif" "$tmp/report.sarif" || { echo "the cached report differs"; exit 1; }
python3 - "$tmp/exec2.json" "$tmp/build2.log" <<'PY'
import json, os, re, sys
exec(os.environ["SPAWNS_OF"])
spawns = spawns_of(sys.argv[1])
ours = [s for s in spawns if s.get("mnemonic") in ("Tracelint", "TracelintMerge")]
assert len(ours) == 5, [s.get("mnemonic") for s in spawns]
missed = [s.get("progressMessage", s.get("mnemonic")) for s in ours if not s.get("remoteCacheHit")]
assert not missed, ("not from the disk cache", missed)
line = next((l for l in open(sys.argv[2]) if re.search(r"\d+ process", l)), "").strip()
# Bazel 4 counts disk cache hits as "remote cache hit" (later versions say "disk cache hit").
hits = re.search(r"(\d+) (?:disk|remote) cache hit", line)
assert hits and int(hits.group(1)) == len(ours), line
print(f"after bazel clean: all {len(ours)} tracelint actions were disk cache hits ({line})")
PY

# 3. Findings fail the build when configured: every warning an error, fail_on_findings.
rc=0
bzl build //:gate "${common[@]}" --@tracelint//:config=//:strict.tracelint.json >"$tmp/gate.log" 2>&1 || rc=$?
[ "$rc" != 0 ] || { cat "$tmp/gate.log"; echo "the gated build passed despite error-level findings"; exit 1; }
grep -q "error: .*\[trace-host-mutation\]" "$tmp/gate.log" && grep -q "error-level findings" "$tmp/gate.log" ||
  { cat "$tmp/gate.log"; echo "the gated build failed without the findings"; exit 1; }
bzl build //:gate "${common[@]}" >"$tmp/gate-default.log" 2>&1 ||
  { cat "$tmp/gate-default.log"; echo "the gate failed on warnings with the default configuration"; exit 1; }
echo "gate: fails with every warning an error, passes with the default configuration"

# 4. The aspect alone, as clang-tidy aspects are used: every source's summaries and results.
bzl build //... "${common[@]}" --aspects=@tracelint//:tracelint.bzl%tracelint_aspect --output_groups=tracelint \
  >"$tmp/aspect.log" 2>&1 || { cat "$tmp/aspect.log"; echo "the aspect on //... failed"; exit 1; }
n=$(find -L "$ws/bazel-bin" -name '*.summaries.json' | wc -l)
[ "$n" = 4 ] || { echo "the aspect on //... wrote $n summaries files, want 4 (one per source)"; exit 1; }
echo "aspect on //...: one summaries file per source ($n)"
