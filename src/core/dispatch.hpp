// SIMD target selection for Highway's dynamic dispatch (libvmaf's --cpumask, dav1d's
// --cpumask): `--cpu scalar|sse4|avx2|avx512|auto` or VQFUSE_SIMD restrict the best target.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vqfuse/error.hpp"

namespace vqfuse {

// Restricts dispatch to targets no better than `name`. "auto" lifts the restriction.
Result<void> set_simd_target(std::string_view name);
// Applies VQFUSE_SIMD when set (called by the CLI before any kernel runs).
Result<void> apply_simd_env();
// Name of the target dispatch currently picks ("AVX3", "AVX2", "SSE4", "EMU128" ...).
std::string active_simd_target();
// The target HWY_DYNAMIC_DISPATCH actually calls now (from a dispatched probe function).
std::string dispatched_target();
// The --cpu names this binary and CPU can run, best last: {"scalar", "sse4", "avx2", "avx512"}.
std::vector<std::string> available_simd_targets();

}  // namespace vqfuse
