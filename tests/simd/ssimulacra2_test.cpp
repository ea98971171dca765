// SSIMULACRA 2 kernels: every Highway target against the scalar reference, bit for bit.
#include "features/kernels/ssimulacra2.hpp"

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "simd_util.hpp"

namespace vqfuse::test {
namespace {

namespace k = kernels;

std::vector<float> random_floats(size_t n, uint64_t seed, float lo, float hi) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

::testing::AssertionResult same_bits(const float* a, const float* b, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (std::memcmp(a + i, b + i, sizeof(float)) != 0)
      return ::testing::AssertionFailure() << "index " << i << ": " << a[i] << " vs " << b[i];
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult same_bits(const double* a, const double* b, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (std::memcmp(a + i, b + i, sizeof(double)) != 0)
      return ::testing::AssertionFailure() << "index " << i << ": " << a[i] << " vs " << b[i];
  return ::testing::AssertionSuccess();
}

class Ssimulacra2Kernel : public hwy::TestWithParamTarget {};
HWY_TARGET_INSTANTIATE_TEST_SUITE_P(Ssimulacra2Kernel);

TEST_P(Ssimulacra2Kernel, YuvToLinearMatchesReference) {
  const float coef[2][3] = {{0.2126f, 0.7152f, 0.0722f}, {0.299f, 0.587f, 0.114f}};
  for (int bpc : {8, 10, 12, 16})
    for (int m = 0; m < 2; ++m)
      for (bool limited : {true, false}) {
        const k::S2YuvParams p = k::s2_yuv_params(coef[m][0], coef[m][1], coef[m][2], limited, bpc);
        for (size_t w : kWidths) {
          std::mt19937_64 rng(w * 31 + static_cast<uint64_t>(bpc));
          std::vector<uint16_t> y(w), u(w), v(w);
          const uint32_t mask = (1u << bpc) - 1u;
          for (size_t i = 0; i < w; ++i) {
            y[i] = static_cast<uint16_t>(rng() & mask);
            u[i] = static_cast<uint16_t>(rng() & mask);
            v[i] = static_cast<uint16_t>(rng() & mask);
            if (i % 7 == 3) y[i] = static_cast<uint16_t>(mask);  // saturating R'G'B'
            if (i % 11 == 5) y[i] = 0;
          }
          for (int mode = 0; mode < 3; ++mode) {  // 4:4:4, subsampled chroma, 4:0:0
            std::vector<float> a(3 * w), b(3 * w);
            const uint16_t* uu = mode == 2 ? nullptr : u.data();
            const uint16_t* vv = mode == 2 ? nullptr : v.data();
            const int shift = mode == 1 ? 1 : 0;
            k::s2_yuv_to_linear_row(y.data(), uu, vv, shift, w, p, a.data(), a.data() + w,
                                    a.data() + 2 * w);
            k::ref::s2_yuv_to_linear_row(y.data(), uu, vv, shift, w, p, b.data(), b.data() + w,
                                         b.data() + 2 * w);
            ASSERT_TRUE(same_bits(a.data(), b.data(), 3 * w))
                << hwy::TargetName(GetParam()) << " bpc=" << bpc << " w=" << w << " mode=" << mode;
          }
        }
      }
}

TEST_P(Ssimulacra2Kernel, XybMatchesReference) {
  for (size_t w : kWidths) {
    std::vector<float> in = random_floats(3 * w, w, 0.0f, 1.0f);
    for (size_t i = 0; i < 3 * w; i += 5) in[i] = (i % 3) ? 0.0f : 1.0f;
    std::vector<float> a(3 * w), b(3 * w);
    k::s2_xyb_row(in.data(), in.data() + w, in.data() + 2 * w, w, a.data(), a.data() + w,
                  a.data() + 2 * w);
    k::ref::s2_xyb_row(in.data(), in.data() + w, in.data() + 2 * w, w, b.data(), b.data() + w,
                       b.data() + 2 * w);
    ASSERT_TRUE(same_bits(a.data(), b.data(), 3 * w)) << hwy::TargetName(GetParam()) << " w=" << w;
  }
}

TEST_P(Ssimulacra2Kernel, DownsampleMatchesReference) {
  for (size_t w : kWidths) {
    std::vector<float> r0 = random_floats(w, w, 0.0f, 1.0f), r1 = random_floats(w, w + 1, 0.0f, 1.0f);
    const size_t ow = (w + 1) / 2;
    std::vector<float> a(ow), b(ow);
    k::s2_downsample_row(r0.data(), r1.data(), w, a.data());
    k::ref::s2_downsample_row(r0.data(), r1.data(), w, b.data());
    ASSERT_TRUE(same_bits(a.data(), b.data(), ow)) << hwy::TargetName(GetParam()) << " w=" << w;
  }
}

TEST_P(Ssimulacra2Kernel, ProductsMatchReference) {
  for (size_t w : kWidths) {
    std::vector<float> in = random_floats(6 * w, w, -0.2f, 1.2f);
    const float* ref[3] = {in.data(), in.data() + w, in.data() + 2 * w};
    const float* dis[3] = {in.data() + 3 * w, in.data() + 4 * w, in.data() + 5 * w};
    std::vector<float> a(16 * w, 7.0f), b(16 * w, 7.0f);
    k::s2_products_row(ref, dis, w, a.data());
    k::ref::s2_products_row(ref, dis, w, b.data());
    ASSERT_TRUE(same_bits(a.data(), b.data(), 16 * w)) << hwy::TargetName(GetParam()) << " w=" << w;
  }
}

TEST_P(Ssimulacra2Kernel, HorizontalBlurMatchesReference) {
  const k::S2Gauss g = k::s2_gauss(1.5);
  const ptrdiff_t rad = g.radius;
  const size_t lead = 2 * static_cast<size_t>(rad);
  for (size_t w : kWidths) {
    const ptrdiff_t n = static_cast<ptrdiff_t>(w);
    std::vector<float> in[2], a[2], b[2], sa[2], sb[2];
    for (int j = 0; j < 2; ++j) {
      in[j].assign((lead + w + rad) * 16, 0.0f);
      const std::vector<float> vals = random_floats(w * 16, w + 7 * j, 0.0f, 2.0f);
      std::copy(vals.begin(), vals.end(), in[j].begin() + static_cast<ptrdiff_t>(lead * 16));
      a[j].assign(16 * w, 0.0f);
      b[j].assign(16 * w, 0.0f);
      sa[j].assign(k::kS2HState, 0.0f);
      sb[j].assign(k::kS2HState, 0.0f);
      k::ref::s2_hblur_row(g, in[j].data() + lead * 16, 1 - rad, n, b[j].data(), sb[j].data());
    }
    // Two rows, in two pieces (the state carried across a stripe edge at `mid`).
    const ptrdiff_t mid = n / 3;
    for (auto [begin, end] : {std::pair{1 - rad, mid}, std::pair{mid, n}})
      k::s2_hblur_rows(g, in[0].data() + lead * 16, in[1].data() + lead * 16, begin, end,
                       a[0].data(), a[1].data(), sa[0].data(), sa[1].data());
    for (int j = 0; j < 2; ++j) {
      ASSERT_TRUE(same_bits(a[j].data(), b[j].data(), 16 * w))
          << hwy::TargetName(GetParam()) << " w=" << w << " row " << j;
      ASSERT_TRUE(same_bits(sa[j].data(), sb[j].data(), k::kS2HState));
    }
    std::vector<float> single(16 * w, 0.0f), state(k::kS2HState, 0.0f);
    k::s2_hblur_rows(g, in[1].data() + lead * 16, nullptr, 1 - rad, n, single.data(), nullptr,
                     state.data(), nullptr);
    ASSERT_TRUE(same_bits(single.data(), b[1].data(), 16 * w)) << hwy::TargetName(GetParam());
  }
}

TEST_P(Ssimulacra2Kernel, VerticalBlurAndMapsMatchReference) {
  const k::S2Gauss g = k::s2_gauss(1.5);
  constexpr size_t kRowFloats = 3 * k::kS2StripPixels * k::kS2Lanes;  // rows of three strips
  const std::vector<float> zero(kRowFloats, 0.0f);
  for (size_t steps : {1, 4, 16, 17, 21, 40})
    for (size_t first_out : {size_t{0}, size_t{4}})
      for (size_t pixels : {1, 5, 15, 16}) {
        if (first_out >= steps) continue;
        const uint64_t seed = steps * 1000 + first_out * 100 + pixels;
        std::vector<float> rows = random_floats(steps * kRowFloats, seed, 0.0f, 1.5f);
        std::vector<float> xyb = random_floats(steps * 6 * 48, seed + 1, 0.0f, 1.0f);
        std::vector<const float*> left(steps), right(steps), xp((steps - first_out) * 6);
        for (size_t s = 0; s < steps; ++s) {
          left[s] = s % 5 == 0 ? zero.data() : rows.data() + s * kRowFloats;
          right[s] = rows.data() + ((s * 7) % steps) * kRowFloats;
        }
        for (size_t i = 0; i < xp.size(); ++i) xp[i] = xyb.data() + i * 48;
        k::S2Band band;
        band.steps = steps;
        band.first_out = first_out;
        band.left = left.data();
        band.right = right.data();
        band.xyb = xp.data();
        band.x0 = 16;  // the middle strip
        band.pixels = pixels;
        // The double-precision edge tail from pixel 21 of the last output row on (48-wide rows).
        band.row0 = 3;
        band.col0 = 32;
        band.width = 80;
        band.wide_from = (3 + steps - first_out - 1) * 80 + 32 + 21;
        std::vector<float> state_a = random_floats(6 * 256, seed + 2, -0.5f, 0.5f);
        std::vector<float> state_b = state_a;
        std::vector<double> acc_a(3 * 6 * 16, 0.25), acc_b = acc_a;
        k::s2_vblur_maps_strip(g, band, state_a.data(), acc_a.data());
        k::ref::s2_vblur_maps_strip(g, band, state_b.data(), acc_b.data());
        ASSERT_TRUE(same_bits(state_a.data(), state_b.data(), state_a.size()))
            << hwy::TargetName(GetParam()) << " steps=" << steps << " pixels=" << pixels;
        ASSERT_TRUE(same_bits(acc_a.data(), acc_b.data(), acc_a.size()))
            << hwy::TargetName(GetParam()) << " steps=" << steps << " pixels=" << pixels;
      }
}

TEST(Ssimulacra2Reference, CubeRootErrorBound) {
  // The documented bound (kernels/ssimulacra2.hpp): relative error below 1.2e-6 for every
  // positive normal float; sampled here, exhaustive over the XYB range offline.
  double worst = 0;
  for (uint32_t bits = 0x00800000u; bits < 0x7f800000u; bits += 4099) {
    float x;
    std::memcpy(&x, &bits, 4);
    const double t = std::cbrt(static_cast<double>(x));
    worst = std::max(worst, std::fabs(k::s2_cbrt(x) - t) / t);
  }
  EXPECT_LT(worst, 1.2e-6);
  EXPECT_EQ(k::s2_cbrt(0.0f), 0.0f);
  EXPECT_EQ(k::s2_cbrt(-1.0f), 0.0f);
}

TEST(Ssimulacra2Reference, EotfTableAndGaussian) {
  const float* lut = k::s2_eotf_table();
  EXPECT_EQ(lut[0], 0.0f);
  EXPECT_EQ(lut[k::kS2EotfSize - 1], 1.0f);
  EXPECT_FLOAT_EQ(lut[10], static_cast<float>(10.0 / 1023.0 / 12.92));
  EXPECT_FLOAT_EQ(lut[512], static_cast<float>(std::pow((512.0 / 1023.0 + 0.055) / 1.055, 2.4)));
  const k::S2Gauss g = k::s2_gauss(1.5);
  EXPECT_EQ(g.radius, 5);
  // The recursion's impulse response sums to ~1 (a normalised Gaussian).
  std::vector<float> in((10 + 64 + 5) * 16, 0.0f), out(64 * 16), state(k::kS2HState, 0.0f);
  in[(10 + 32) * 16] = 1.0f;
  k::ref::s2_hblur_row(g, in.data() + 10 * 16, 1 - g.radius, 64, out.data(), state.data());
  double sum = 0;
  for (int x = 0; x < 64; ++x) sum += out[x * 16];
  EXPECT_NEAR(sum, 1.0, 1e-3);
}

}  // namespace
}  // namespace vqfuse::test
