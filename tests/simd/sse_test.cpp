#include "features/kernels/sse.hpp"

#include "simd_util.hpp"

namespace vqfuse::test {
namespace {

class SseKernel : public hwy::TestWithParamTarget {};
HWY_TARGET_INSTANTIATE_TEST_SUITE_P(SseKernel);

TEST_P(SseKernel, MatchesScalarReference) {
  for (size_t w : kWidths)
    for (Fill fill : kAllFills) {
      auto [a, b] = make_rows(w, fill, w);
      ASSERT_EQ(kernels::sse_u16(a.data(), b.data(), w), kernels::ref::sse_u16(a.data(), b.data(), w))
          << hwy::TargetName(GetParam()) << " w=" << w << " fill=" << fill_name(fill);
    }
}

TEST(SseReference, KnownValues) {
  const uint16_t a[] = {0, 10, 65535, 7};
  const uint16_t b[] = {3, 10, 0, 9};
  // 9 + 0 + 65535^2 + 4
  EXPECT_EQ(kernels::ref::sse_u16(a, b, 4), 9u + 4294836225u + 4u);
}

}  // namespace
}  // namespace vqfuse::test
