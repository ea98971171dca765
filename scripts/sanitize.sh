#!/usr/bin/env bash
# Sanitizer + fuzz pass (part of scripts/test.sh, so of CI): a clang build with ASan + UBSan and
# libFuzzer instrumentation runs the whole test suite (unit + golden; the fuzz targets replay
# their committed corpora), then each libFuzzer target runs FUZZ_SECONDS (default 20) on its
# seed corpus. Any sanitizer report fails the run. Needs scripts/setup.sh first (clang,
# libclang-rt-14-dev).
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS="${FUZZ_SECONDS:-20}"
export CC=clang CXX=clang++
# -O1: sanitizers stay precise and the build stays affordable in CI; -g1 for line numbers.
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
  -DVQFUSE_SANITIZE=address,undefined -DVQFUSE_FUZZ=ON >/dev/null
cmake --build build-asan -j"$(nproc)"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
ctest --test-dir build-asan -j"$(nproc)" --output-on-failure --timeout 900
mkdir -p build-asan/fuzz-work
for t in y4m yuv model_json onnx sidecar csv manifest feature_spec; do
  work="build-asan/fuzz-work/$t"
  rm -rf "$work" && mkdir -p "$work"
  echo "sanitize: fuzzing $t for ${FUZZ_SECONDS}s"
  # New inputs go to the scratch directory; the committed corpus is only read.
  build-asan/tests/${t}_fuzzer -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 \
    -artifact_prefix="build-asan/fuzz-work/${t}-" "$work" "tests/fuzz/corpus/$t" 2>&1 |
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE|==[0-9]+==ERROR|SUMMARY)" || true
  if ls build-asan/fuzz-work/${t}-* >/dev/null 2>&1; then
    echo "sanitize: $t fuzzer found a crash: $(ls build-asan/fuzz-work/${t}-*)" >&2
    exit 1
  fi
done
echo "sanitize: clean"
