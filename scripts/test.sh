#!/usr/bin/env bash
# Installs, builds and runs the whole test suite (unit + golden). CI runs exactly this.
#
# The suite runs in the sanitizer build (gcc, ASan + UBSan: scripts/sanitize.sh), which also
# runs each libFuzzer target briefly; one build of the tests instead of two keeps CI under 30
# minutes on 2 cores. The Release binary (build/vqfuse, -O3) is then checked to write exactly
# the sanitizer build's output on golden pairs for the full feature set, so the golden results
# carry over to the binary users run (vqfuse's arithmetic does not depend on the optimisation
# level: no fast-math, no FP contraction).
#   VQFUSE_RELEASE_TESTS=1 scripts/test.sh   also builds and runs the suite in the Release build
#   VQFUSE_NO_SANITIZE=1 scripts/test.sh     Release suite only (no sanitizers, no fuzzing)
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${VQFUSE_NO_SANITIZE:-0}" == "1" || "${VQFUSE_RELEASE_TESTS:-0}" == "1" ]]; then
  scripts/setup.sh
  ctest --test-dir build -j"$(nproc)" --output-on-failure
  [[ "${VQFUSE_NO_SANITIZE:-0}" == "1" ]] && exit 0
else
  VQFUSE_BUILD_TARGET=vqfuse scripts/setup.sh
fi
scripts/sanitize.sh

# Release binary == sanitizer build, byte for byte (all but fps), on golden pairs.
golden=../shared/golden
if [[ -d "$golden" ]]; then
  for p in p03_coffee_333x197_420p8 p05_gradients_352x288_420p10 p06_smptecell_320x180_444p8; do
    for b in build build-asan; do
      "$b/vqfuse" extract -r "$golden/$p.ref.y4m" -d "$golden/$p.dis.y4m" --feature-set full \
        --skip-unsupported -q -o "$b/release_check_$p.json"
    done
    if ! cmp -s <(grep -v '"fps"' "build/release_check_$p.json") <(grep -v '"fps"' "build-asan/release_check_$p.json"); then
      echo "test: Release and sanitizer builds disagree on $p" >&2
      exit 1
    fi
  done
  echo "test: Release binary output equals the tested build's on 3 golden pairs (full feature set)"
elif [[ -n "${CI:-}" ]]; then
  echo "test: ../shared/golden missing under CI" >&2
  exit 1
fi
echo "test: all passed"
