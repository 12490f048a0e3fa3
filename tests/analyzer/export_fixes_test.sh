#!/usr/bin/env bash
# --export-fixes through the real clang-apply-replacements-19 (issue 31.2): a fix whose argument
# spans lines, one holding quotes and one holding non-ASCII text reach the file exactly, the file
# still compiles, and it is byte for byte what `tracelint --fix` makes of the same file.
source "$(dirname "$0")/common.sh"
car=$(command -v clang-apply-replacements-19) || fail "clang-apply-replacements-19 is not installed (scripts/setup.sh installs clang-tools-19)"
cat > "$dir/fix.cpp" <<'CPP'
#include <iostream>
#include <tl/tl.h>
tl::tensor tagged(const tl::tensor& t, const char* tag) { return tag[0] ? t : -t; }
int main() {
  auto f = tl::function([](const tl::tensor& x) {
    std::cout << x *
                 2.0;
    std::cout << tagged(x, "it's a \"quote\": 'a' # b");
    auto été = x + 1.0;
    std::cout << été;
    return x;
  });
  f(tl::ones({2}));
}
CPP
mkdir -p "$dir/car" "$dir/fixed"
cp "$dir/fix.cpp" "$dir/fixed/fix.cpp"
"$tool" "$dir/fix.cpp" --quiet --export-fixes="$dir/car/fixes.yaml" "${args[@]}" >/dev/null
rc=$?
[ "$rc" = 0 ] || fail "export-fixes run: exit $rc"
"$car" "$dir/car" || fail "clang-apply-replacements-19 refused the exported YAML: $(cat "$dir/car/fixes.yaml")"
grep -qF '    tl::print(x *
                 2.0);' "$dir/fix.cpp" || fail "the multi-line fix did not survive: $(cat "$dir/fix.cpp")"
grep -qF '    tl::print(tagged(x, "it'"'"'s a \"quote\": '"'"'a'"'"' # b"));' "$dir/fix.cpp" || fail "the fix with quotes did not survive: $(cat "$dir/fix.cpp")"
grep -qF '    tl::print(été);' "$dir/fix.cpp" || fail "the non-ASCII fix did not survive: $(cat "$dir/fix.cpp")"
c++ -std=c++20 -fsyntax-only -I"$src/runtime/include" "$dir/fix.cpp" || fail "the file no longer compiles after clang-apply-replacements-19"
"$tool" "$dir/fixed/fix.cpp" --quiet --fix "${args[@]}" >/dev/null
cmp "$dir/fix.cpp" "$dir/fixed/fix.cpp" || fail "clang-apply-replacements-19 and --fix made different files: $(diff "$dir/fix.cpp" "$dir/fixed/fix.cpp")"
echo "export-fixes round trip: ok"
