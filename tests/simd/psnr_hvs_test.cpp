#include "features/kernels/psnr_hvs.hpp"

#include <cstring>
#include <random>
#include <vector>

#include "simd_util.hpp"

namespace vqfuse::test {
namespace {

class PsnrHvsKernel : public hwy::TestWithParamTarget {};
HWY_TARGET_INSTANTIATE_TEST_SUITE_P(PsnrHvsKernel);

kernels::PsnrHvsTables tables(uint64_t seed) {
  std::mt19937_64 rng(seed);
  kernels::PsnrHvsTables t{};
  for (int k = 0; k < 64; ++k) {
    t.csf[k] = 0.1f + static_cast<float>(rng() % 2000) / 1000.0f;
    const double m = t.csf[k] * 0.3885746225901003;
    t.mask[k] = static_cast<float>(m * m);
  }
  return t;
}

TEST_P(PsnrHvsKernel, MatchesScalarReference) {
  const kernels::PsnrHvsTables t = tables(3);
  for (size_t n : {size_t{1}, size_t{3}, size_t{15}, size_t{16}, size_t{17}, size_t{40}}) {
    for (int bpc : {8, 10, 12})
      for (int mode = 0; mode < 4; ++mode) {
        const size_t stride = (n + 15) / 16 * 16;
        std::vector<int32_t> s(64 * stride), d(64 * stride);
        std::mt19937_64 rng(n * 100 + bpc * 10 + mode);
        const int32_t maxv = (1 << bpc) - 1;
        for (size_t i = 0; i < s.size(); ++i) {
          switch (mode) {
            case 0: s[i] = rng() % (maxv + 1); d[i] = rng() % (maxv + 1); break;           // noise
            case 1: s[i] = (rng() & 1) ? maxv : 0; d[i] = maxv - s[i]; break;               // extremes
            case 2: s[i] = 100 << (bpc - 8); d[i] = s[i] + (rng() % 3) - 1; break;          // flat
            default: s[i] = (i & 1) ? maxv : 0; d[i] = s[i]; break;                          // identical
          }
        }
        std::vector<float> a(64 * stride), b(64 * stride);
        kernels::psnr_hvs_blocks(s.data(), d.data(), stride, n, t, a.data());
        kernels::ref::psnr_hvs_blocks(s.data(), d.data(), stride, n, t, b.data());
        for (int k = 0; k < 64; ++k)
          ASSERT_EQ(std::memcmp(a.data() + k * stride, b.data() + k * stride, n * sizeof(float)), 0)
              << hwy::TargetName(GetParam()) << " n=" << n << " bpc=" << bpc << " mode=" << mode << " k=" << k;
      }
  }
}

TEST(PsnrHvsReference, DctOfFlatBlockIsDcOnly) {
  int32_t b[64];
  for (int32_t& x : b) x = 10;
  kernels::ref::fdct8x8(b);
  EXPECT_NE(b[0], 0);
  for (int k = 1; k < 64; ++k) EXPECT_EQ(b[k], 0) << k;
}

}  // namespace
}  // namespace vqfuse::test
