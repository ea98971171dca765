#include "features/kernels/float_ansnr.hpp"

#include <cstring>
#include <random>
#include <vector>

#include "simd_util.hpp"

namespace vqfuse::test {
namespace {

class FloatAnsnrKernel : public hwy::TestWithParamTarget {};
HWY_TARGET_INSTANTIATE_TEST_SUITE_P(FloatAnsnrKernel);

// Rows of samples on libvmaf's -128 float scale for bit depth bpc.
std::vector<std::vector<float>> rows_of(size_t w, int bpc, uint64_t seed, bool extreme) {
  std::mt19937_64 rng(seed);
  std::vector<std::vector<float>> rows(5, std::vector<float>(w + 16));
  const uint32_t maxv = (1u << bpc) - 1;
  for (auto& r : rows)
    for (size_t x = 0; x < w; ++x) {
      const uint32_t v = extreme ? ((rng() & 1) ? maxv : 0) : static_cast<uint32_t>(rng() % (maxv + 1));
      r[x] = static_cast<float>(v) / static_cast<float>(1 << (bpc - 8)) - 128;
    }
  return rows;
}

bool same_bits(const float* a, const float* b, size_t n) { return std::memcmp(a, b, n * sizeof(float)) == 0; }

TEST_P(FloatAnsnrKernel, FiltersMatchScalarReference) {
  for (size_t w : kWidths) {
    if (w < 3) continue;  // the filters' domain
    for (int bpc : {8, 10, 12, 16})
      for (bool extreme : {false, true}) {
        const auto rows = rows_of(w, bpc, w * 31 + bpc, extreme);
        const float* r5[5] = {rows[0].data(), rows[1].data(), rows[2].data(), rows[3].data(), rows[4].data()};
        const float* r3[3] = {rows[1].data(), rows[2].data(), rows[3].data()};
        std::vector<float> a(w), b(w);
        kernels::ansnr_filter_dis_row(r5, a.data(), w);
        kernels::ref::ansnr_filter_dis_row(r5, b.data(), w);
        ASSERT_TRUE(same_bits(a.data(), b.data(), w)) << hwy::TargetName(GetParam()) << " dis w=" << w << " bpc=" << bpc;
        kernels::ansnr_filter_ref_row(r3, a.data(), w);
        kernels::ref::ansnr_filter_ref_row(r3, b.data(), w);
        ASSERT_TRUE(same_bits(a.data(), b.data(), w)) << hwy::TargetName(GetParam()) << " ref w=" << w << " bpc=" << bpc;
      }
  }
}

TEST_P(FloatAnsnrKernel, LoadRowMatchesScalarReference) {
  for (size_t w : kWidths)
    for (Fill fill : kAllFills) {
      auto [a, b] = make_rows(w, fill, w);
      for (float inv : {1.0f, 0.25f, 1.0f / 16, 1.0f / 256}) {
        std::vector<float> x(w), y(w);
        kernels::ansnr_load_row(a.data(), x.data(), w, inv);
        kernels::ref::ansnr_load_row(a.data(), y.data(), w, inv);
        ASSERT_TRUE(same_bits(x.data(), y.data(), w)) << hwy::TargetName(GetParam()) << " w=" << w;
      }
    }
}

TEST(FloatAnsnrReference, MirrorAndFlatRows) {
  EXPECT_EQ(kernels::ansnr_mirror(-2, 5), 2);
  EXPECT_EQ(kernels::ansnr_mirror(5, 5), 4);
  EXPECT_EQ(kernels::ansnr_mirror(6, 5), 3);
  // A flat picture stays flat through the exact 3x3 filter.
  std::vector<float> row(8, -27.0f), out(8);
  const float* r3[3] = {row.data(), row.data(), row.data()};
  kernels::ref::ansnr_filter_ref_row(r3, out.data(), 8);
  for (float v : out) EXPECT_EQ(v, -27.0f);
}

}  // namespace
}  // namespace vqfuse::test
