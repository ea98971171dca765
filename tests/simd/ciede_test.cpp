#include "features/kernels/ciede.hpp"

#include <cstring>
#include <random>
#include <vector>

#include "simd_util.hpp"

namespace vqfuse::test {
namespace {

class CiedeKernel : public hwy::TestWithParamTarget {};
HWY_TARGET_INSTANTIATE_TEST_SUITE_P(CiedeKernel);

TEST_P(CiedeKernel, MatchesScalarReference) {
  for (size_t w : kWidths)
    for (int bpc : {8, 10, 12, 16})
      for (int shift : {0, 1})
        for (int mode = 0; mode < 3; ++mode) {
          const size_t cw = (w + shift) >> shift;
          std::mt19937_64 rng(w * 1000 + bpc * 10 + shift + 100 * mode);
          const uint32_t maxv = (1u << bpc) - 1;
          std::vector<uint16_t> p[6];
          for (int i = 0; i < 6; ++i) p[i].resize((i % 3) ? cw : w);
          for (int i = 0; i < 3; ++i)
            for (size_t x = 0; x < p[i].size(); ++x) {
              uint32_t v;
              if (mode == 0) v = rng() % (maxv + 1);                  // any colour
              else if (mode == 1) v = (rng() & 1) ? maxv : 0;         // extremes
              else v = (i ? 128u : 60u + static_cast<uint32_t>(rng() % 120)) << (bpc - 8);  // greys
              p[i][x] = static_cast<uint16_t>(v);
              const int32_t dv = static_cast<int32_t>(v) + static_cast<int32_t>(rng() % 7) - 3;
              p[i + 3][x] = static_cast<uint16_t>(std::clamp<int32_t>(dv, 0, static_cast<int32_t>(maxv)));
            }
          const uint16_t* ref[3] = {p[0].data(), p[1].data(), p[2].data()};
          const uint16_t* dis[3] = {p[3].data(), p[4].data(), p[5].data()};
          const kernels::CiedeScale s = kernels::ciede_scale(bpc);
          double a[16] = {}, b[16] = {};
          kernels::ciede_row(ref, dis, w, shift, s, a);
          kernels::ref::ciede_row(ref, dis, w, shift, s, b);
          ASSERT_EQ(std::memcmp(a, b, sizeof a), 0) << hwy::TargetName(GetParam()) << " w=" << w << " bpc=" << bpc
                                                    << " shift=" << shift << " mode=" << mode;
        }
}

TEST(CiedeReference, IdenticalColoursHaveZeroDifference) {
  const kernels::CiedeScale s = kernels::ciede_scale(8);
  for (int y : {0, 16, 128, 235, 255})
    for (int c : {0, 64, 128, 200, 255}) {
      const kernels::ref::Lab l = kernels::ref::yuv_to_lab(y, c, 255 - c, s);
      EXPECT_EQ(kernels::ref::delta_e(l, l), 0.0f);
    }
}

}  // namespace
}  // namespace vqfuse::test
