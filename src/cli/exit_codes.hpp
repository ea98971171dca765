// Process exit codes (listed in the README). Never -1: the shell would see 255.
#pragma once

#include "vqfuse/error.hpp"

namespace vqfuse::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRuntime = 1;      // I/O, store, internal failure
inline constexpr int kExitUsage = 2;        // bad command line, unknown feature or option
inline constexpr int kExitInput = 3;        // malformed/unsupported input, ref/dis mismatch
inline constexpr int kExitModel = 4;        // model, sidecar or ONNX problem

inline int exit_code(Errc c) {
  switch (c) {
    case Errc::kInvalidArgument: return kExitUsage;
    case Errc::kParse:
    case Errc::kUnsupported:
    case Errc::kMismatch: return kExitInput;
    case Errc::kModel: return kExitModel;
    default: return kExitRuntime;
  }
}

}  // namespace vqfuse::cli
