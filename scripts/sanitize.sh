#!/usr/bin/env bash
# Sanitizer + fuzz pass (part of scripts/test.sh, so of CI):
#  1. a gcc build with ASan + UBSan (-O1) runs the whole test suite (unit + golden; the fuzz
#     targets replay their committed corpora through a plain main);
#  2. a clang libFuzzer build (ASan + UBSan) of the eight fuzz targets runs each one
#     FUZZ_SECONDS (default 10) on its seed corpus.
# Any sanitizer report or fuzzer crash fails the run. Needs scripts/setup.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS="${FUZZ_SECONDS:-10}"
TARGETS=(y4m yuv model_json onnx sidecar csv manifest feature_spec)

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"

# 1. Whole suite under ASan + UBSan (gcc: clang takes minutes per Highway kernel file here).
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
  -DVQFUSE_SANITIZE=address,undefined >/dev/null
cmake --build build-asan -j"$(nproc)"
# (In sanitizer builds each gtest binary is one ctest entry: see tests/CMakeLists.txt.)
ctest --test-dir build-asan -j"$(nproc)" --output-on-failure --timeout 1500

# 2. libFuzzer targets (clang), only what they link.
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
  -DVQFUSE_SANITIZE=address,undefined -DVQFUSE_FUZZ=ON >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${TARGETS[@]/%/_fuzzer}"
mkdir -p build-fuzz/work
for t in "${TARGETS[@]}"; do
  work="build-fuzz/work/$t"
  rm -rf "$work" "build-fuzz/work/$t-"* && mkdir -p "$work"
  # New inputs go to the scratch directory; the committed corpus is only read.
  # Fixed seed: the same inputs every CI run (a longer local run finds more, see docs).
  if ! build-fuzz/tests/${t}_fuzzer -seed=1 -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 \
      -artifact_prefix="build-fuzz/work/${t}-" "$work" "tests/fuzz/corpus/$t" >"build-fuzz/work/$t.log" 2>&1; then
    tail -40 "build-fuzz/work/$t.log" >&2
    echo "sanitize: the $t fuzzer failed; reproducer: $(ls build-fuzz/work/${t}-* 2>/dev/null)" >&2
    exit 1
  fi
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "build-fuzz/work/$t.log" | grep -o '[0-9]*$')
  cov=$(grep -o 'cov: [0-9]*' "build-fuzz/work/$t.log" | tail -1)
  echo "sanitize: fuzz $t: ${execs:-?} executions in ${FUZZ_SECONDS}s, ${cov:-cov ?}, no crash"
done
echo "sanitize: clean"
