// SSIM kernels (float IQA port and the fork's integer SSIM): every dispatched kernel and plane
// driver equals its scalar reference bit for bit on every compiled target.
#include "features/kernels/ssim.hpp"

#include <cstring>
#include <random>
#include <utility>

#include "features/kernels/ssim_int.hpp"
#include "simd_util.hpp"
#include "test_util.hpp"

namespace vqfuse::test {
namespace {

// Luma-like float samples: 8-bit integers, 10-bit quarters (kLumaF32), or arbitrary floats in
// [0, 256) as the MS-SSIM scales produce them.
enum class FloatFill { k8bit, k10bit, kArbitrary, kFlat, kExtreme };
constexpr FloatFill kFloatFills[] = {FloatFill::k8bit, FloatFill::k10bit, FloatFill::kArbitrary,
                                     FloatFill::kFlat, FloatFill::kExtreme};

std::vector<float> float_samples(size_t n, FloatFill fill, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) {
    const uint64_t r = rng();
    switch (fill) {
      case FloatFill::k8bit:
        v[i] = static_cast<float>(r & 255);
        break;
      case FloatFill::k10bit:
        v[i] = static_cast<float>(r & 1023) / 4.0f;
        break;
      case FloatFill::kArbitrary:
        v[i] = static_cast<float>(r >> 11) * 0x1.0p-53f * 256.0f;
        break;
      case FloatFill::kFlat:
        v[i] = 117.0f;
        break;
      case FloatFill::kExtreme:
        v[i] = (r & 1) ? 255.0f : 0.0f;
        break;
    }
  }
  return v;
}

// A plane whose rows are correlated with a second one (so SSIM is neither 0 nor 1).
ImageF float_plane(int w, int h, FloatFill fill, uint64_t seed, const ImageF* base = nullptr) {
  ImageF img(w, h);
  for (int y = 0; y < h; ++y) {
    std::vector<float> r = float_samples(static_cast<size_t>(w), fill, seed * 1000 + y);
    for (int x = 0; x < w; ++x) {
      float v = r[x];
      if (base && fill != FloatFill::kFlat)
        v = (base->row(y)[x] * 3 + v) / 4;  // dyadic stays dyadic
      img.row(y)[x] = v;
    }
  }
  return img;
}

bool same(const kernels::SsimMeans& a, const kernels::SsimMeans& b) {
  return std::memcmp(&a, &b, sizeof(a)) == 0;
}

class SsimKernel : public hwy::TestWithParamTarget {};
HWY_TARGET_INSTANTIATE_TEST_SUITE_P(SsimKernel);

TEST_P(SsimKernel, HorizontalRowMatchesReference) {
  for (size_t n : kWidths)
    for (FloatFill fill : kFloatFills) {
      const std::vector<float> a = float_samples(n + 10, fill, n);
      const std::vector<float> b = float_samples(n + 10, fill, n + 7);
      std::vector<float> got(5 * n), want(5 * n), scratch(3 * (n + 10));
      float* og[5];
      float* ow[5];
      for (int m = 0; m < 5; ++m) og[m] = got.data() + m * n, ow[m] = want.data() + m * n;
      kernels::ssim_h_row(a.data(), b.data(), n, og, scratch.data());
      kernels::ref::ssim_h_row(a.data(), b.data(), n, ow, scratch.data());
      ASSERT_EQ(0, std::memcmp(got.data(), want.data(), got.size() * sizeof(float)))
          << hwy::TargetName(GetParam()) << " n=" << n;
    }
}

TEST_P(SsimKernel, VerticalRowMatchesReference) {
  for (size_t n : kWidths)
    for (FloatFill fill : kFloatFills) {
      // Realistic moment rows: the horizontal pass of 11 input row pairs.
      std::vector<float> hrows(11 * 5 * n), scratch(3 * (n + 10));
      const float* rows[5][11];
      for (int t = 0; t < 11; ++t) {
        const std::vector<float> a = float_samples(n + 10, fill, 31 * n + t);
        std::vector<float> b = float_samples(n + 10, fill, 37 * n + t);
        for (size_t i = 0; i < b.size(); ++i) b[i] = (a[i] + b[i]) / 2;
        float* out[5];
        for (int m = 0; m < 5; ++m) out[m] = hrows.data() + (t * 5 + m) * n;
        kernels::ref::ssim_h_row(a.data(), b.data(), n, out, scratch.data());
        for (int m = 0; m < 5; ++m) rows[m][t] = out[m];
      }
      const kernels::SsimRowSums got = kernels::ssim_v_row(rows, n);
      const kernels::SsimRowSums want = kernels::ref::ssim_v_row(rows, n);
      ASSERT_EQ(0, std::memcmp(&got, &want, sizeof(got)))
          << hwy::TargetName(GetParam()) << " n=" << n << " lcs " << got.lcs << " vs " << want.lcs;
    }
}

TEST_P(SsimKernel, DecimateRowMatchesReference) {
  for (size_t n : kWidths)
    for (FloatFill fill : kFloatFills) {
      std::vector<std::vector<float>> e(9), o(9);
      const float* ep[9];
      const float* op[9];
      for (int v = 0; v < 9; ++v) {
        e[v] = float_samples(n + 4, fill, 5 * n + v);
        o[v] = float_samples(n + 4, fill, 7 * n + v);
        ep[v] = e[v].data();
        op[v] = o[v].data();
      }
      std::vector<float> got(n), want(n);
      kernels::ms_ssim_decimate_row(ep, op, n, got.data());
      kernels::ref::ms_ssim_decimate_row(ep, op, n, want.data());
      ASSERT_EQ(0, std::memcmp(got.data(), want.data(), n * sizeof(float)))
          << hwy::TargetName(GetParam()) << " n=" << n;
    }
}

TEST_P(SsimKernel, BoxAccumulateMatchesReference) {
  for (size_t n : kWidths) {
    const std::vector<float> row = float_samples(n, FloatFill::kArbitrary, n);
    std::vector<double> got(n, 0.5), want(n, 0.5);
    for (bool first : {false, true}) {
      kernels::ssim_box_accumulate(row.data(), n, 1.0f / 9, first, got.data());
      kernels::ref::ssim_box_accumulate(row.data(), n, 1.0f / 9, first, want.data());
      ASSERT_EQ(0, std::memcmp(got.data(), want.data(), n * sizeof(double))) << n;
    }
  }
}

struct Size {
  int w, h;
};
constexpr Size kPlaneSizes[] = {{11, 11}, {12, 20}, {17, 13}, {64, 48}, {97, 61}, {333, 197}};

TEST_P(SsimKernel, SsimPlaneMatchesReference) {
  for (Size sz : kPlaneSizes)
    for (FloatFill fill : kFloatFills) {
      const ImageF a = float_plane(sz.w, sz.h, fill, 1);
      const ImageF b = float_plane(sz.w, sz.h, fill, 2, &a);
      const kernels::SsimMeans got = kernels::ssim_means(a.view(), b.view());
      const kernels::SsimMeans want = kernels::ref::ssim_means(a.view(), b.view());
      ASSERT_TRUE(same(got, want)) << hwy::TargetName(GetParam()) << " " << sz.w << "x" << sz.h
                                   << " ssim " << got.ssim << " vs " << want.ssim;
      if (fill == FloatFill::kFlat) {
        EXPECT_EQ(got.ssim, 1.0f);
      }
    }
}

TEST_P(SsimKernel, MsSsimDecimateMatchesReference) {
  for (Size sz : kPlaneSizes)
    for (FloatFill fill : {FloatFill::k8bit, FloatFill::kArbitrary}) {
      const ImageF a = float_plane(sz.w, sz.h, fill, 3);
      const ImageF got = kernels::ms_ssim_decimate(a.view());
      const ImageF want = kernels::ref::ms_ssim_decimate(a.view());
      ASSERT_EQ(got.width(), want.width());
      ASSERT_EQ(got.height(), want.height());
      for (int y = 0; y < got.height(); ++y)
        ASSERT_EQ(0, std::memcmp(got.row(y), want.row(y), sizeof(float) * got.width()))
            << hwy::TargetName(GetParam()) << " " << sz.w << "x" << sz.h << " row " << y;
    }
}

// The box decimation sums in a different order than libvmaf; on kLumaF32 data (multiples of
// 2^-8 below 256) every order is exact, which this checks for every factor.
TEST_P(SsimKernel, BoxDecimateMatchesReference) {
  for (Size sz : {Size{40, 33}, Size{97, 61}, Size{333, 197}})
    for (FloatFill fill : {FloatFill::k8bit, FloatFill::k10bit, FloatFill::kExtreme})
      for (int f = 2; f <= 10; ++f) {
        const ImageF a = float_plane(sz.w, sz.h, fill, 4);
        const ImageF got = kernels::ssim_box_decimate(a.view(), f);
        const ImageF want = kernels::ref::ssim_box_decimate(a.view(), f);
        ASSERT_EQ(got.width(), want.width());
        for (int y = 0; y < got.height(); ++y)
          ASSERT_EQ(0, std::memcmp(got.row(y), want.row(y), sizeof(float) * got.width()))
              << sz.w << "x" << sz.h << " f=" << f << " row " << y;
      }
}

// Padded input rows (n + 8 samples) of the integer kernels.
std::pair<std::vector<uint16_t>, std::vector<uint16_t>> int_rows(size_t n, Fill fill, int bits) {
  auto [a, b] = make_rows(n + 8, fill, n);
  const uint16_t mask = static_cast<uint16_t>((1u << bits) - 1);
  for (size_t i = 0; i < a.size(); ++i) a[i] &= mask, b[i] &= mask;
  return {a, b};
}

TEST_P(SsimKernel, IntRowsMatchReference) {
  for (size_t n : kWidths)
    for (Fill fill : kAllFills) {
      auto [a, b] = int_rows(n, fill, 16);
      std::vector<double> got(5 * n), want(5 * n), scratch(5 * (n + 8));
      double* og[5];
      double* ow[5];
      for (int m = 0; m < 5; ++m) og[m] = got.data() + m * n, ow[m] = want.data() + m * n;
      kernels::int_ssim_h_row(a.data(), b.data(), n, og, scratch.data());
      kernels::ref::int_ssim_h_row(a.data(), b.data(), n, ow, scratch.data());
      ASSERT_EQ(0, std::memcmp(got.data(), want.data(), got.size() * sizeof(double)))
          << hwy::TargetName(GetParam()) << " n=" << n << " " << fill_name(fill);
      // Vertical over nine copies of the row, weights reduced at the left border, lanes
      // accumulated on top of earlier values.
      const double* rows[5][9];
      for (int m = 0; m < 5; ++m)
        for (int k = 0; k < 9; ++k) rows[m][k] = og[m];
      std::vector<double> wx(n, 256.0);
      for (size_t x = 0; x < n && x < 3; ++x) wx[x] = 200.0 + x;
      for (int bd : {8, 10, 16}) {
        const double k1 = kernels::int_ssim_k1s(bd), k2 = kernels::int_ssim_k2s(bd);
        double lg[16], lr[16];
        for (int i = 0; i < 16; ++i) lg[i] = lr[i] = 0.25 * i;
        kernels::int_ssim_v_row(rows, wx.data(), 256.0, n, k1, k2, lg);
        kernels::ref::int_ssim_v_row(rows, wx.data(), 256.0, n, k1, k2, lr);
        ASSERT_EQ(0, std::memcmp(lg, lr, sizeof(lg))) << n << " " << fill_name(fill) << " " << bd;
      }
    }
}

TEST_P(SsimKernel, IntRowsU8MatchReference) {
  for (size_t n : kWidths)
    for (Fill fill : {Fill::kRandom, Fill::kZero, Fill::kMax8, Fill::kAlternating}) {
      auto [a, b] = int_rows(n, fill, 8);
      std::vector<uint32_t> got(5 * n), want(5 * n), scratch(5 * (n + 8));
      uint32_t* og[5];
      uint32_t* ow[5];
      for (int m = 0; m < 5; ++m) og[m] = got.data() + m * n, ow[m] = want.data() + m * n;
      kernels::int_ssim_h_row_u8(a.data(), b.data(), n, og, scratch.data());
      kernels::ref::int_ssim_h_row_u8(a.data(), b.data(), n, ow, scratch.data());
      ASSERT_EQ(got, want) << hwy::TargetName(GetParam()) << " n=" << n << " " << fill_name(fill);
      // Nine copies of the row per moment: vertical sums reach 255^2 * 2^16 (above 2^31).
      const uint32_t* rows[5][9];
      for (int m = 0; m < 5; ++m)
        for (int k = 0; k < 9; ++k) rows[m][k] = og[m];
      std::vector<double> wx(n, 256.0);
      for (size_t x = 0; x < n && x < 4; ++x) wx[x] = 150.0 + 20 * x;
      const double k1 = kernels::int_ssim_k1s(8), k2 = kernels::int_ssim_k2s(8);
      double lg[16], lr[16];
      for (int i = 0; i < 16; ++i) lg[i] = lr[i] = 0.5 * i;
      kernels::int_ssim_v_row_u8(rows, wx.data(), 256.0, n, k1, k2, lg);
      kernels::ref::int_ssim_v_row_u8(rows, wx.data(), 256.0, n, k1, k2, lr);
      ASSERT_EQ(0, std::memcmp(lg, lr, sizeof(lg))) << n << " " << fill_name(fill);
    }
}

TEST_P(SsimKernel, IntPlaneMatchesReference) {
  for (Size sz : {Size{1, 1}, Size{3, 2}, Size{9, 9}, Size{17, 13}, Size{64, 70}, Size{140, 40},
                  Size{333, 197}})
    for (int bd : {8, 10, 12, 16})
      for (Fill fill : {Fill::kRandom, Fill::kAlternating, Fill::kZero}) {
        const uint16_t mask = static_cast<uint16_t>((1u << bd) - 1);
        Frame ra(make_info(sz.w, sz.h, bd, Chroma::k400)),
            da(make_info(sz.w, sz.h, bd, Chroma::k400));
        for (int y = 0; y < sz.h; ++y) {
          auto [a, b] = make_rows(static_cast<size_t>(sz.w), fill, 17 * y + bd);
          for (int x = 0; x < sz.w; ++x) {
            ra.plane(0).row(y)[x] = a[x] & mask;
            da.plane(0).row(y)[x] = static_cast<uint16_t>(((a[x] & mask) + (b[x] & mask)) / 2);
          }
        }
        const double got =
            kernels::int_ssim(std::as_const(ra).plane(0), std::as_const(da).plane(0), bd);
        const double want =
            kernels::ref::int_ssim(std::as_const(ra).plane(0), std::as_const(da).plane(0), bd);
        ASSERT_EQ(0, std::memcmp(&got, &want, sizeof(got)))
            << hwy::TargetName(GetParam()) << " " << sz.w << "x" << sz.h << " bd " << bd << " "
            << got << " vs " << want;
      }
}

}  // namespace
}  // namespace vqfuse::test
