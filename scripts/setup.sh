#!/usr/bin/env bash
# Installs the Debian 12 packages the build needs, and nothing when they are all present.
# Used by both README commands and by .ci/run, so a fresh machine and a warm one take the same path.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config
  # LLVM/Clang 19: ClangConfig.cmake ships in clang-19, headers in libclang-19-dev, the shared
  # libclang-cpp.so symlink in libclang-cpp19-dev, omp.h for the resource dir in libomp-19-dev.
  llvm-19-dev libclang-19-dev libclang-cpp19-dev clang-19 libomp-19-dev llvm-19-tools
  nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev
  # One OpenMP thread pool for our kernels and BLAS (the pthread build would fight OpenMP for 2 cores).
  libopenblas-openmp-dev
  python3
  # Validates our SARIF against the 2.1.0 schema in the tests.
  python3-jsonschema
  # Issue 18's integration tests: git for --diff, pre-commit for the hook, Neovim's built-in LSP
  # client for `tracelint lsp`.
  git pre-commit neovim
  # clang-apply-replacements-19, which applies --export-fixes in the tests (issue 31.2).
  clang-tools-19
  # The format check (CTest structure.format, scripts/check-format.sh).
  clang-format-19
  # HIP's real runtime headers: the cuda-graphs pack's HIP cases are parsed against them.
  libamdhip64-dev
  # Issue 21: the Bazel aspect's test (tests/bazel/), with Debian's offline-capable Bazel 4.
  bazel-bootstrap
)
if [[ "${TRACELINT_SETUP_EXTRA:-}" != "" ]]; then
  read -r -a extra <<<"$TRACELINT_SETUP_EXTRA"
  packages+=("${extra[@]}")
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    echo "setup: these Debian packages are missing and installing them needs root:" >&2
    echo "  ${missing[*]}" >&2
    echo "setup: run as root, or: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
else
  SUDO=()
fi

echo "setup: installing ${missing[*]}" >&2
apt_opts=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3 -y -q --no-install-recommends)
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=600 -q update >&2
"${SUDO[@]}" apt-get "${apt_opts[@]}" install "${missing[@]}" >&2
