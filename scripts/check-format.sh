#!/usr/bin/env bash
# Fails when a C++ source of the repository differs from what clang-format-19 makes of it under the
# repository's .clang-format. Paths in .clang-format-ignore (annotated test inputs, examples) are
# skipped by clang-format itself. Usage: scripts/check-format.sh [root]   (--fix rewrites in place)
set -euo pipefail
fix=0
if [[ "${1:-}" == "--fix" ]]; then fix=1; shift; fi
root=$(cd "${1:-$(dirname "$0")/..}" && pwd)
cd "$root"
formatter=${CLANG_FORMAT:-clang-format-19}
if ! command -v "$formatter" >/dev/null 2>&1; then
  echo "check-format: $formatter not found; scripts/setup.sh installs it (Debian package clang-format-19)" >&2
  exit 2
fi
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git -C "$root" ls-files --cached --others --exclude-standard -- \
    '*.cpp' '*.h' '*.hpp' '*.cc' '*.cu' '*.c' | while read -r f; do [[ -f "$f" ]] && echo "$f"; done)
else
  mapfile -t files < <(find . -path ./build\* -prune -o -type f \
    \( -name '*.cpp' -o -name '*.h' -o -name '*.hpp' -o -name '*.cc' -o -name '*.cu' -o -name '*.c' \) -print |
    sed 's|^\./||')
fi
if ((${#files[@]} == 0)); then
  echo "check-format: no C++ sources under $root" >&2
  exit 2
fi
if ((fix)); then
  "$formatter" -i "${files[@]}"
  echo "check-format: formatted ${#files[@]} files"
  exit 0
fi
if ! out=$("$formatter" --dry-run -Werror "${files[@]}" 2>&1); then
  printf '%s\n' "$out" | grep -E '^[^ ].*: error:' | sed 's/: error: code should be clang-formatted.*//' |
    cut -d: -f1 | sort -u | sed 's/^/check-format: not formatted: /' >&2
  echo "check-format: run scripts/check-format.sh --fix" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files checked, all formatted (or listed in .clang-format-ignore)"
