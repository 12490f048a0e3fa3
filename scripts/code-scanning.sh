#!/usr/bin/env bash
# Runs tracelint over every file of a compilation database that lies in the repository and writes
# SARIF for GitHub code scanning (action.yml runs it, then uploads the file; docs/adoption.md ("GitHub code scanning")).
#
#   scripts/code-scanning.sh --build-dir <dir with compile_commands.json> [--output tracelint.sarif]
#                            [--tracelint <path>] [--source-root <dir>] [-- <more tracelint options>]
#
# Findings do not fail the script: code scanning shows and tracks them (by the SARIF results'
# partialFingerprints). A usage or configuration error (exit 2) or a file that could not be analyzed
# (exit 3, after the SARIF is written, with the file in the SARIF's notifications) does.
set -euo pipefail

build_dir="" output="tracelint.sarif" tool="${TRACELINT:-tracelint}" root=""
extra=()
while (($#)); do
  case "$1" in
    --build-dir) build_dir=${2:?--build-dir needs a directory}; shift 2 ;;
    --output) output=${2:?--output needs a file}; shift 2 ;;
    --tracelint) tool=${2:?--tracelint needs a path}; shift 2 ;;
    --source-root) root=${2:?--source-root needs a directory}; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "code-scanning: unknown argument '$1' (see the comment at the top of $0)" >&2; exit 2 ;;
  esac
done
[[ -n "$build_dir" ]] || { echo "code-scanning: --build-dir <dir> is required" >&2; exit 2; }
[[ -f "$build_dir/compile_commands.json" ]] || {
  echo "code-scanning: no compile_commands.json in '$build_dir' (configure with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)" >&2
  exit 2
}
if [[ -z "$root" ]]; then
  root=${GITHUB_WORKSPACE:-$(git rev-parse --show-toplevel 2>/dev/null || pwd)}
fi
root=$(cd "$root" && pwd -P)

# The database's files beneath the source root and not generated into the build directory.
mapfile -t files < <(python3 - "$build_dir/compile_commands.json" "$root" "$build_dir" <<'PY'
import json, os, sys
db, root, build = sys.argv[1], os.path.realpath(sys.argv[2]), os.path.realpath(sys.argv[3])
seen = set()
for entry in json.load(open(db)):
    path = os.path.realpath(os.path.join(entry.get("directory", ""), entry["file"]))
    inside = lambda d: os.path.commonpath([path, d]) == d
    if inside(root) and not inside(build) and path not in seen:
        seen.add(path)
        print(path)
PY
)
if ((${#files[@]} == 0)); then
  echo "code-scanning: the compilation database names no file under $root" >&2
  exit 2
fi
echo "code-scanning: analyzing ${#files[@]} files under $root" >&2
set +e
"$tool" -p "$build_dir" --format=sarif --output="$output" --repo-root="$root" -j"$(nproc)" "${extra[@]}" "${files[@]}"
rc=$?
set -e
case $rc in
  0 | 1) exit 0 ;;
  *) exit "$rc" ;;
esac
