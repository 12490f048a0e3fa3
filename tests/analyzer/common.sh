# Sourced by the analyzer's shell tests (run as `<test>.sh <tracelint> <source dir>`): a scratch
# directory removed on exit, fail(), the compiler arguments for code using <tl/tl.h>, and a counter
# of the findings in a --format=json report.
set -uo pipefail
tool=$1 src=${2:-}
dir=$(mktemp -d)
cleanup() { rm -rf "$dir"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
args=(-- -std=c++20 -I"$src/runtime/include")
count_findings() { python3 -c 'import json,sys; print(sum(len(f["diagnostics"]) for f in json.load(sys.stdin)["files"]))'; }
# A file with one finding (a global written while tracing).
write_good() {
  cat > "$1" <<'CPP'
#include <tl/tl.h>
int g = 0;
int main() { auto f = tl::function([](const tl::tensor& x) { g = 1; return x; }); (void)f; }
CPP
}
