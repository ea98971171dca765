// Highway version of sse.hpp: |a-b| in u16 lanes, squared into u32, accumulated in u64.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "features/kernels/sse_simd.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "features/kernels/sse.hpp"

HWY_BEFORE_NAMESPACE();
namespace vqfuse::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

uint64_t SseU16(const uint16_t* HWY_RESTRICT a, const uint16_t* HWY_RESTRICT b, size_t n) {
  // u16 -> u32 for the squared difference (< 2^32), -> u64 for the sum. Working at the u64 lane
  // count keeps every step a plain promotion on every target, including HWY_SCALAR.
  const hn::ScalableTag<uint64_t> d64;
  const hn::Rebind<uint32_t, decltype(d64)> d32;
  const hn::Rebind<uint16_t, decltype(d64)> d16;
  const size_t N = hn::Lanes(d64);
  auto acc = hn::Zero(d64);
  size_t i = 0;
  for (; i + N <= n; i += N) {
    const auto va = hn::PromoteTo(d32, hn::LoadU(d16, a + i));
    const auto vb = hn::PromoteTo(d32, hn::LoadU(d16, b + i));
    const auto diff = hn::Sub(hn::Max(va, vb), hn::Min(va, vb));
    acc = hn::Add(acc, hn::PromoteTo(d64, hn::Mul(diff, diff)));
  }
  uint64_t sum = hn::GetLane(hn::SumOfLanes(d64, acc));
  for (; i < n; ++i) {
    const int64_t d = int64_t{a[i]} - int64_t{b[i]};
    sum += static_cast<uint64_t>(d * d);
  }
  return sum;
}

}  // namespace vqfuse::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace vqfuse::kernels {
HWY_EXPORT(SseU16);
uint64_t sse_u16(const uint16_t* a, const uint16_t* b, size_t n) {
  return HWY_DYNAMIC_DISPATCH(SseU16)(a, b, n);
}
}  // namespace vqfuse::kernels
#endif
