# The repository's .pre-commit-hooks.yaml with Debian's pre-commit, offline: a temporary hook
# repository holds this tree's hooks file and is cloned through a file URL; in a temporary project
# repository a commit adding a finding is refused and a clean commit passes.
# Exit 77 (skipped) when pre-commit is absent; scripts/setup.sh installs it.
# Usage: precommit_test.sh <tracelint> <source dir>
source "$(dirname "$0")/common.sh"
command -v pre-commit >/dev/null || { echo "SKIP: pre-commit is not installed (scripts/setup.sh installs it)"; exit 77; }
export PATH="$(dirname "$tool"):$PATH" PRE_COMMIT_HOME="$dir/cache" HOME="$dir/home"
mkdir -p "$HOME"
git config --global user.email t@example.org && git config --global user.name t && git config --global init.defaultBranch main

hooks="$dir/hooks"
mkdir -p "$hooks" && cp "$src/.pre-commit-hooks.yaml" "$hooks/" || fail "no hooks file"
git -C "$hooks" init -q && git -C "$hooks" add -A && git -C "$hooks" commit -qm hooks || fail "cannot commit the hooks"
rev=$(git -C "$hooks" rev-parse HEAD)

proj="$dir/proj"
mkdir -p "$proj" && cd "$proj" || fail "no project dir"
git init -q .
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: file://$hooks
    rev: $rev
    hooks:
      - id: tracelint
YAML
python3 - "$proj" "$src" <<'PY'
import json, sys
proj, src = sys.argv[1], sys.argv[2]
json.dump([{"directory": proj, "file": f"{proj}/{f}", "arguments": ["c++", "-std=c++20", f"-I{src}/runtime/include", "-c", f]}
           for f in ("buggy.cpp", "clean.cpp")], open(f"{proj}/compile_commands.json", "w"))
PY
git add -A && git commit -qm setup || fail "cannot commit the set-up"
pre-commit install > "$dir/install.txt" 2>&1 || fail "pre-commit install: $(cat "$dir/install.txt")"

write_good "$proj/buggy.cpp"
git add buggy.cpp
if git commit -qm "adds a finding" > "$dir/out.txt" 2>&1; then fail "a commit with a finding passed: $(cat "$dir/out.txt")"; fi
grep -q "trace-host-mutation" "$dir/out.txt" || fail "the refusal does not show the finding: $(cat "$dir/out.txt")"
[[ -z $(git log --oneline -- buggy.cpp) ]] || fail "buggy.cpp was committed"

git reset -q buggy.cpp && rm buggy.cpp
printf '#include <tl/tl.h>\nint main() { auto f = tl::function([](const tl::tensor& x) { return x; }); (void)f; }\n' > clean.cpp
git add clean.cpp
git commit -qm "clean" > "$dir/out.txt" 2>&1 || fail "a clean commit was refused: $(cat "$dir/out.txt")"
grep -q "tracelint.*Passed" "$dir/out.txt" || fail "the hook did not run on the clean commit: $(cat "$dir/out.txt")"
echo "pre-commit: ok"
