#!/usr/bin/env bash
# The tree is clang-formatted, and the check names a file that is not (so this test can fail).
set -euo pipefail
root=$1
"$root/scripts/check-format.sh" "$root"
fixture=$(mktemp -d)
trap 'rm -rf "$fixture"' EXIT
cp "$root/.clang-format" "$root/.clang-format-ignore" "$fixture/"
mkdir -p "$fixture/src" "$fixture/examples/deep"
printf 'int  f(int &x){return x;}\n' >"$fixture/src/bad.cpp"
printf 'int f(int& x) { return x; }\n' >"$fixture/src/good.cpp"
printf 'int  ignored(int &x){return x;}\n' >"$fixture/examples/kept.cpp"
printf 'int  nested(int &x){return x;}\n' >"$fixture/examples/deep/kept_too.cpp"
if out=$("$root/scripts/check-format.sh" "$fixture" 2>&1); then
  echo "FAIL: an unformatted file passed"; echo "$out"; exit 1
fi
grep -q "not formatted: src/bad.cpp" <<<"$out" || { echo "FAIL: bad.cpp not named"; echo "$out"; exit 1; }
if grep -q -e good.cpp -e kept.cpp -e kept_too.cpp <<<"$out"; then
  echo "FAIL: a formatted or ignored file was named"; echo "$out"; exit 1
fi
echo "PASS: format"
