#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite through CTest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TRACELINT_BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"
"$root/scripts/build.sh" "$build"
(cd "$build" && ctest -j "${TRACELINT_JOBS:-2}" --output-on-failure "$@")
# The runtime suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
if [ "${TRACELINT_SKIP_SANITIZERS:-0}" != 1 ]; then
  echo "== runtime tests under ASan+UBSan"
  "$root/scripts/sanitize.sh"
fi
