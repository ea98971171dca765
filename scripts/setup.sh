#!/usr/bin/env bash
# Installs what vqfuse needs from Debian 12 packages (only what is missing; non-interactive),
# then configures and builds into build/ (binary: build/vqfuse).
#   scripts/setup.sh            install + Release build
#   VQFUSE_BUILD_TYPE=Debug scripts/setup.sh
#   VQFUSE_SKIP_APT=1 scripts/setup.sh   (build only)
#   VQFUSE_BUILD_TARGET=vqfuse scripts/setup.sh   (only the binary, not the tests)
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  # toolchain
  g++ cmake ninja-build pkg-config git
  # libraries
  libhwy-dev libeigen3-dev libtbb-dev libavformat-dev libavcodec-dev libavutil-dev libswscale-dev
  libsqlite3-dev nlohmann-json3-dev libcli11-dev libfmt-dev libxgboost-dev libonnx-dev
  libprotobuf-dev protobuf-compiler libcairo2-dev libssl-dev libgtest-dev libbenchmark-dev
  # encoders/decoders for samples, corpora and container tests
  ffmpeg
  # natural photos for the corpus presets (offline content)
  mate-backgrounds
  # test-only oracles (never used by the product)
  python3 python3-numpy python3-sklearn python3-onnx python3-xgboost zlib1g-dev
  # fuzzing and sanitizers
  clang libclang-rt-14-dev
)

# Node.js + npm (test oracle: ONNX Runtime) from Debian unless some other install provides them
# (e.g. a NodeSource nodejs, which bundles npm and conflicts with Debian's npm package).
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)

if [[ "${VQFUSE_SKIP_APT:-0}" != "1" ]]; then
  missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    SUDO=""
    [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    echo "setup: installing ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi

# Test-only oracle: ONNX Runtime for Node (its install scripts, which would download extra
# providers, are skipped; the CPU runtime ships in the package).
if command -v npm >/dev/null 2>&1 && [[ ! -d tests/oracle/node_modules/onnxruntime-node ]]; then
  (cd tests/oracle && npm install --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null) ||
    echo "setup: warning: onnxruntime-node not installed; the ONNX Runtime conformance test will skip"
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="${VQFUSE_BUILD_TYPE:-Release}" >/dev/null
if [[ -n "${VQFUSE_BUILD_TARGET:-}" ]]; then
  cmake --build build -j"$(nproc)" --target "$VQFUSE_BUILD_TARGET"
else
  cmake --build build -j"$(nproc)"
fi
echo "setup: built build/vqfuse"
