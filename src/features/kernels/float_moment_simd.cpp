// Highway version of float_moment.hpp: u16 samples promoted to u32 lanes; squares (< 2^24)
// summed in u32 for at most kFlush vectors (kFlush * 2^24 < 2^32), then added to uint64_t.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "features/kernels/float_moment_simd.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "features/kernels/float_moment.hpp"

HWY_BEFORE_NAMESPACE();
namespace vqfuse::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

void MomentU16(const uint16_t* HWY_RESTRICT p, size_t n, MomentSums& acc) {
  constexpr size_t kFlush = 128;
  const hn::ScalableTag<uint32_t> d32;
  const hn::Rebind<uint16_t, decltype(d32)> d16;
  const size_t N = hn::Lanes(d32);
  size_t i = 0;
  while (i + N <= n) {
    auto sum = hn::Zero(d32);
    auto sum_sq = hn::Zero(d32);
    for (size_t k = 0; k < kFlush && i + N <= n; ++k, i += N) {
      const auto v = hn::PromoteTo(d32, hn::LoadU(d16, p + i));
      sum = hn::Add(sum, v);
      sum_sq = hn::Add(sum_sq, hn::Mul(v, v));
    }
    // sum lanes stay < 2^19 and their total < 2^23: SumOfLanes cannot wrap. The squares can.
    acc.sum += hn::GetLane(hn::SumOfLanes(d32, sum));
    alignas(64) uint32_t lanes[HWY_MAX_BYTES / sizeof(uint32_t)];
    hn::Store(sum_sq, d32, lanes);
    for (size_t l = 0; l < N; ++l) acc.sum_sq += lanes[l];
  }
  for (; i < n; ++i) {
    const uint64_t v = p[i];
    acc.sum += v;
    acc.sum_sq += v * v;
  }
}

}  // namespace vqfuse::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace vqfuse::kernels {
HWY_EXPORT(MomentU16);
void moment_u16(const uint16_t* p, size_t n, MomentSums& acc) {
  HWY_DYNAMIC_DISPATCH(MomentU16)(p, n, acc);
}
}  // namespace vqfuse::kernels
#endif
