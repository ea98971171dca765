#!/usr/bin/env bash
# Installs, builds and runs the whole test suite (unit + golden) in the Release build, then the
# sanitizer pass (the suite under ASan + UBSan, and each libFuzzer target for a few seconds:
# scripts/sanitize.sh). CI runs exactly this. VQFUSE_NO_SANITIZE=1 skips the second part.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
ctest --test-dir build -j"$(nproc)" --output-on-failure
if [[ "${VQFUSE_NO_SANITIZE:-0}" != "1" ]]; then
  scripts/sanitize.sh
fi
