#!/usr/bin/env bash
# Installs, builds and runs the whole test suite (unit + golden). CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
ctest --test-dir build -j"$(nproc)" --output-on-failure
