// A dispatched function that reports which Highway target dynamic dispatch chose: the check
// that --cpu / VQFUSE_SIMD really reach the kernels.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "core/target_probe.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "core/dispatch.hpp"

HWY_BEFORE_NAMESPACE();
namespace vqfuse::HWY_NAMESPACE {
int64_t ProbeTarget() { return HWY_TARGET; }
}  // namespace vqfuse::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace vqfuse {
HWY_EXPORT(ProbeTarget);
std::string dispatched_target() { return hwy::TargetName(HWY_DYNAMIC_DISPATCH(ProbeTarget)()); }
}  // namespace vqfuse
#endif
