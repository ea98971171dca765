#include "features/kernels/float_moment.hpp"

#include "simd_util.hpp"

namespace vqfuse::test {
namespace {

class FloatMomentKernel : public hwy::TestWithParamTarget {};
HWY_TARGET_INSTANTIATE_TEST_SUITE_P(FloatMomentKernel);

TEST_P(FloatMomentKernel, MatchesScalarReference) {
  for (size_t w : kWidths)
    for (Fill fill : kAllFills) {
      auto [a, b] = make_rows(w, fill, w + 1);
      for (auto& v : a) v &= 0xfff;  // the kernel's domain: samples below 2^12
      kernels::MomentSums s, r;
      kernels::moment_u16(a.data(), w, s);
      kernels::ref::moment_u16(a.data(), w, r);
      ASSERT_EQ(s.sum, r.sum) << hwy::TargetName(GetParam()) << " w=" << w << " fill=" << fill_name(fill);
      ASSERT_EQ(s.sum_sq, r.sum_sq) << hwy::TargetName(GetParam()) << " w=" << w << " fill=" << fill_name(fill);
    }
  // Long rows of maximal samples: the u32 partial sums must not wrap.
  std::vector<uint16_t> big(70000, 4095);
  kernels::MomentSums s, r;
  kernels::moment_u16(big.data(), big.size(), s);
  kernels::ref::moment_u16(big.data(), big.size(), r);
  EXPECT_EQ(s.sum, r.sum);
  EXPECT_EQ(s.sum_sq, r.sum_sq);
}

TEST(FloatMomentReference, KnownValues) {
  const uint16_t p[] = {0, 1, 2, 4095};
  kernels::MomentSums s;
  kernels::ref::moment_u16(p, 4, s);
  EXPECT_EQ(s.sum, 4098u);
  EXPECT_EQ(s.sum_sq, 5u + 4095u * 4095u);
}

}  // namespace
}  // namespace vqfuse::test
