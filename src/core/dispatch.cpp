#include "core/dispatch.hpp"

#include <hwy/highway.h>
#include <hwy/targets.h>

#include <cstdlib>

namespace vqfuse {
namespace {

struct TargetName {
  std::string_view name;
  int64_t target;  // the best Highway target this name allows
};

#if HWY_ARCH_X86
constexpr TargetName kNames[] = {
    {"scalar", HWY_SCALAR}, {"sse4", HWY_SSE4}, {"avx2", HWY_AVX2}, {"avx512", HWY_AVX3}};
#else
constexpr TargetName kNames[] = {{"scalar", HWY_SCALAR}};
#endif

int64_t g_disabled = 0;

// Highway 1.0.3's SupportedTargets() re-detects the CPU and resets dispatch, which undoes
// DisableTargets(); the test mock survives it, so the restriction is expressed as "the CPU's
// targets minus the disabled ones".
void disable(int64_t mask) {
  g_disabled = mask;
  hwy::SetSupportedTargetsForTest(0);
  if (mask == 0) return;
  const int64_t detected = hwy::SupportedTargets();
  int64_t allowed = detected & ~mask;
  if (allowed == 0) allowed = HWY_SCALAR;
  hwy::SetSupportedTargetsForTest(allowed);
}

int64_t best_target() {
  const int64_t t = hwy::SupportedTargets() & HWY_TARGETS;
  return t & -t;  // lowest bit = best target
}

}  // namespace

Result<void> set_simd_target(std::string_view name) {
  if (name == "auto" || name.empty()) {
    disable(0);
    return {};
  }
  for (const auto& n : kNames) {
    if (n.name != name) continue;
    const int64_t before = g_disabled;
    disable(0);
    if (!(hwy::SupportedTargets() & n.target) && n.target != HWY_SCALAR) {
      disable(before);
      return Error(Errc::kUnsupported,
                   "this CPU cannot run the " + std::string(name) + " target", "", -1, "--cpu");
    }
    // Highway orders targets best first as the lowest bits: disable every better one.
    disable(n.target - 1);
    return {};
  }
  std::string known;
  for (const auto& n : kNames) known += " " + std::string(n.name);
  return Error(Errc::kInvalidArgument,
               "unknown target '" + std::string(name) + "' (choose from auto" + known + ")", "", -1,
               "--cpu");
}

Result<void> apply_simd_env() {
  const char* env = std::getenv("VQFUSE_SIMD");
  if (!env || !*env) return {};
  auto r = set_simd_target(env);
  if (!r.ok()) {
    Error e = std::move(r).error();
    e.field = "VQFUSE_SIMD";
    return e;
  }
  return {};
}

std::string active_simd_target() { return hwy::TargetName(best_target()); }

std::vector<std::string> available_simd_targets() {
  std::vector<std::string> out;
  const int64_t before = g_disabled;
  disable(0);
  const int64_t supported = hwy::SupportedTargets() & HWY_TARGETS;
  disable(before);
  for (const auto& n : kNames)
    if ((supported & n.target) || n.target == HWY_SCALAR) out.emplace_back(n.name);
  return out;
}

}  // namespace vqfuse
