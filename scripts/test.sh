#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite through CTest, then the sanitizer runs; prints each
# stage's wall time (CI stops at 90 minutes: the stage that grows is the one to look at).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TRACELINT_BUILD_DIR:-$root/build}
stage() {  # <name> <command...>
  local start=$SECONDS
  echo "== $1"
  "${@:2}"
  echo "== $1: $((SECONDS - start)) s"
}
stage "setup" "$root/scripts/setup.sh"
stage "build" "$root/scripts/build.sh" "$build"
stage "tests (CTest)" bash -c 'cd "$1" && shift && ctest -j "${TRACELINT_JOBS:-2}" --output-on-failure "$@"' _ "$build" "$@"
# The runtime suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
if [ "${TRACELINT_SKIP_SANITIZERS:-0}" != 1 ]; then
  stage "sanitizers (ASan+UBSan, then TSan)" "$root/scripts/sanitize.sh"
fi
