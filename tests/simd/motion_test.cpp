// Motion kernels (integer_motion, motion_v2, float_motion): every dispatched row kernel equals
// its scalar reference on every compiled target, and the plane drivers equal a direct
// transcription of libvmaf's loops (2-D, 64-bit integers, float in libvmaf's order).
#include "features/kernels/motion.hpp"

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "core/image.hpp"
#include "features/kernels/motion_plane.hpp"
#include "simd_util.hpp"

namespace vqfuse::test {
namespace {

using kernels::motion_mirror;

class MotionKernel : public hwy::TestWithParamTarget {};
HWY_TARGET_INSTANTIATE_TEST_SUITE_P(MotionKernel);

constexpr int kDepths[] = {8, 10, 12, 16};

// Samples of `bpc` bits: random, or the extremes that maximise every intermediate.
std::vector<uint16_t> samples(size_t n, int bpc, int mode, uint64_t seed) {
  std::mt19937_64 rng(seed);
  const uint16_t max = static_cast<uint16_t>((1u << bpc) - 1);
  std::vector<uint16_t> v(n);
  for (size_t i = 0; i < n; ++i) {
    const uint64_t r = rng();
    switch (mode) {
      case 0:
        v[i] = static_cast<uint16_t>(r & max);
        break;
      case 1:
        v[i] = (r & 1) ? max : 0;
        break;
      default:
        v[i] = static_cast<uint16_t>(mode == 2 ? max : 0);
        break;
    }
  }
  return v;
}

// ---- row kernels ----

TEST_P(MotionKernel, DiffRowMatchesReference) {
  for (size_t w : kWidths)
    for (Fill fill : kAllFills) {
      auto [a, b] = make_rows(w, fill, w + 7);
      std::vector<int32_t> got(w), want(w);
      kernels::motion_diff_row(a.data(), b.data(), w, got.data());
      kernels::ref::motion_diff_row(a.data(), b.data(), w, want.data());
      ASSERT_EQ(got, want) << hwy::TargetName(GetParam()) << " w=" << w << " " << fill_name(fill);
    }
}

TEST_P(MotionKernel, VconvRowMatchesReference) {
  for (int bpc : kDepths)
    for (int mode = 0; mode < 4; ++mode)
      for (size_t w : kWidths) {
        // Differences of two sample rows: |d| < 2^bpc; modes 2/3 give +-max everywhere.
        std::vector<std::vector<int32_t>> d(5, std::vector<int32_t>(w));
        for (int k = 0; k < 5; ++k) {
          const auto a = samples(w, bpc, mode, w * 5 + k);
          const auto b = samples(w, bpc, mode == 2 ? 3 : (mode == 3 ? 2 : mode), w * 7 + k);
          for (size_t x = 0; x < w; ++x) d[k][x] = int32_t{a[x]} - int32_t{b[x]};
        }
        const int32_t* rows[5] = {d[0].data(), d[1].data(), d[2].data(), d[3].data(), d[4].data()};
        std::vector<int32_t> got(w), want(w);
        kernels::motion_vconv_row(rows, w, bpc, got.data());
        kernels::ref::motion_vconv_row(rows, w, bpc, want.data());
        ASSERT_EQ(got, want) << hwy::TargetName(GetParam()) << " bpc=" << bpc << " mode=" << mode
                             << " w=" << w;
      }
}

TEST_P(MotionKernel, HconvAbsSumMatchesReference) {
  std::mt19937_64 rng(3);
  for (int mode = 0; mode < 5; ++mode)
    for (size_t w : kWidths) {
      // |v| <= 65535 (the vertical pass output at 16 bit); modes: random, +-65535 alternating,
      // all +65535, all -65535, small values.
      std::vector<int32_t> v(w + 4);
      for (auto& x : v) {
        const int32_t r = static_cast<int32_t>(rng() % 131071) - 65535;
        switch (mode) {
          case 0:
            x = r;
            break;
          case 1:
            x = (rng() & 1) ? 65535 : -65535;
            break;
          case 2:
            x = 65535;
            break;
          case 3:
            x = -65535;
            break;
          default:
            x = r % 300;
            break;
        }
      }
      ASSERT_EQ(kernels::motion_hconv_abs_sum(v.data(), w),
                kernels::ref::motion_hconv_abs_sum(v.data(), w))
          << hwy::TargetName(GetParam()) << " mode=" << mode << " w=" << w;
    }
}

TEST_P(MotionKernel, FloatRowKernelsMatchReference) {
  std::mt19937_64 rng(11);
  const auto bits = [](const std::vector<float>& v) {
    std::vector<uint32_t> b(v.size());
    std::memcpy(b.data(), v.data(), v.size() * sizeof(float));
    return b;
  };
  for (int bpc : kDepths)
    for (size_t w : kWidths) {
      const auto s = samples(w, bpc, 0, w + bpc);
      const float scale = static_cast<float>(1 << (bpc - 8));
      std::vector<float> got(w), want(w);
      kernels::motion_u16_to_float_row(s.data(), w, scale, -128.f, got.data());
      kernels::ref::motion_u16_to_float_row(s.data(), w, scale, -128.f, want.data());
      ASSERT_EQ(bits(got), bits(want))
          << hwy::TargetName(GetParam()) << " bpc=" << bpc << " w=" << w;
    }
  const float* filters[] = {kernels::kMotionFilter5, kernels::kMotionFilter3,
                            kernels::kMotionFilterNoOp};
  const int taps[] = {5, 3, 5};
  for (int fi = 0; fi < 3; ++fi)
    for (size_t w : kWidths) {
      std::vector<std::vector<float>> in(5, std::vector<float>(w + 4));
      for (auto& row : in)
        for (auto& x : row) x = static_cast<float>(rng() % 65536) / 256.0f - 128.0f;
      const float* rows[5] = {in[0].data(), in[1].data(), in[2].data(), in[3].data(), in[4].data()};
      std::vector<float> got(w), want(w);
      // The scalar reference starts its sums at +0, the kernels at the first product: they can
      // only differ in the sign of a zero result, so compare values (-0 == +0).
      kernels::motion_blur_vrow(rows, filters[fi], taps[fi], w, got.data());
      kernels::ref::motion_blur_vrow(rows, filters[fi], taps[fi], w, want.data());
      ASSERT_EQ(got, want) << hwy::TargetName(GetParam()) << " vrow taps=" << taps[fi]
                           << " w=" << w;
      kernels::motion_blur_hrow(in[0].data(), filters[fi], taps[fi], w, got.data());
      kernels::ref::motion_blur_hrow(in[0].data(), filters[fi], taps[fi], w, want.data());
      ASSERT_EQ(got, want) << hwy::TargetName(GetParam()) << " hrow taps=" << taps[fi]
                           << " w=" << w;
      kernels::motion_absdiff_row(in[1].data(), in[2].data(), w, got.data());
      kernels::ref::motion_absdiff_row(in[1].data(), in[2].data(), w, want.data());
      ASSERT_EQ(bits(got), bits(want)) << hwy::TargetName(GetParam()) << " absdiff w=" << w;
    }
}

TEST_P(MotionKernel, RowSumsAreSerialPerRow) {
  std::mt19937_64 rng(5);
  for (int n_rows : {1, 3, 4, 7, 8, 15, 16, 17, 32})
    for (size_t w : kWidths) {
      // Values of very different magnitudes make any change of summation order visible.
      std::vector<std::vector<float>> data(static_cast<size_t>(n_rows), std::vector<float>(w));
      std::vector<const float*> rows;
      for (auto& row : data) {
        for (auto& v : row)
          v = std::ldexp(static_cast<float>(rng() % 1000), static_cast<int>(rng() % 30) - 15);
        rows.push_back(row.data());
      }
      std::vector<float> got(static_cast<size_t>(n_rows), -1.f), want(static_cast<size_t>(n_rows));
      kernels::motion_row_sums(rows.data(), n_rows, w, got.data());
      kernels::ref::motion_row_sums(rows.data(), n_rows, w, want.data());
      ASSERT_EQ(got, want) << hwy::TargetName(GetParam()) << " rows=" << n_rows << " w=" << w;
    }
}

// ---- plane drivers against libvmaf's loops ----

struct Size {
  int w, h;
};
constexpr Size kSizes[] = {{1, 1},   {3, 2},   {2, 3},     {5, 1},
                           {17, 13}, {64, 40}, {333, 197}, {70, 70}};

// integer_motion.c motion_score_pipeline_{8,16}, with the periodic mirror for tiny sizes.
uint64_t libvmaf_integer_sad(const std::vector<uint16_t>& prev, const std::vector<uint16_t>& cur,
                             int w, int h, int bpc) {
  uint64_t sad = 0;
  std::vector<int32_t> y_row(static_cast<size_t>(w));
  for (int i = 0; i < h; ++i) {
    for (int j = 0; j < w; ++j) {
      int64_t acc = 0;
      for (int k = 0; k < 5; ++k) {
        const int r = motion_mirror(i - 2 + k, h);
        acc += int64_t{kernels::kMotionFilter[k]} *
               (int32_t{prev[r * w + j]} - int32_t{cur[r * w + j]});
      }
      y_row[j] = static_cast<int32_t>((acc + (int64_t{1} << (bpc - 1))) >> bpc);
    }
    uint32_t row_sad = 0;
    for (int j = 0; j < w; ++j) {
      int64_t acc = 0;
      for (int k = 0; k < 5; ++k)
        acc += int64_t{kernels::kMotionFilter[k]} * y_row[motion_mirror(j - 2 + k, w)];
      const int64_t v = (acc + (1 << 15)) >> 16;
      row_sad += static_cast<uint32_t>(v < 0 ? -v : v);
    }
    sad += row_sad;
  }
  return sad;
}

// float_motion.c: picture_copy(-128), convolution_f32_c_s (y then x, sums from 0 in tap order),
// vmaf_image_sad_c (float row sums, float total, / float(w*h)).
std::vector<float> libvmaf_blur(const std::vector<uint16_t>& src, int w, int h, int bpc,
                                const float* f, int taps) {
  const float scale = static_cast<float>(1 << (bpc - 8));
  const int radius = taps / 2;
  std::vector<float> in(src.size()), tmp(src.size()), out(src.size());
  for (size_t i = 0; i < src.size(); ++i) in[i] = static_cast<float>(src[i]) / scale + -128.f;
  for (int i = 0; i < h; ++i)
    for (int j = 0; j < w; ++j) {
      float acc = 0;
      for (int k = 0; k < taps; ++k) acc += f[k] * in[motion_mirror(i - radius + k, h) * w + j];
      tmp[i * w + j] = acc;
    }
  for (int i = 0; i < h; ++i)
    for (int j = 0; j < w; ++j) {
      float acc = 0;
      for (int k = 0; k < taps; ++k) acc += f[k] * tmp[i * w + motion_mirror(j - radius + k, w)];
      out[i * w + j] = acc;
    }
  return out;
}

float libvmaf_sad(const std::vector<float>& a, const std::vector<float>& b, int w, int h) {
  float accum = 0;
  for (int i = 0; i < h; ++i) {
    float line = 0;
    for (int j = 0; j < w; ++j) line += std::fabs(a[i * w + j] - b[i * w + j]);
    accum += line;
  }
  return accum / static_cast<float>(w * h);
}

CPlaneU16 view(const std::vector<uint16_t>& v, int w, int h) { return {v.data(), w, w, h}; }

TEST_P(MotionKernel, IntegerSadMatchesLibvmafLoops) {
  for (int bpc : kDepths)
    for (const Size s : kSizes)
      for (int mode = 0; mode < 3; ++mode) {
        const size_t n = static_cast<size_t>(s.w) * s.h;
        // mode 2: maximal difference (prev all max, cur all 0) stresses the 33-bit sums.
        const auto prev = samples(n, bpc, mode == 2 ? 2 : mode, 100 + n);
        const auto cur = samples(n, bpc, mode == 2 ? 3 : mode, 200 + n);
        ASSERT_EQ(kernels::integer_motion_sad(view(prev, s.w, s.h), view(cur, s.w, s.h), bpc),
                  libvmaf_integer_sad(prev, cur, s.w, s.h, bpc))
            << hwy::TargetName(GetParam()) << " bpc=" << bpc << " " << s.w << "x" << s.h
            << " mode=" << mode;
      }
}

TEST_P(MotionKernel, FloatSadMatchesLibvmafLoops) {
  const float* filters[] = {kernels::kMotionFilter5, kernels::kMotionFilter3,
                            kernels::kMotionFilterNoOp};
  const int taps[] = {5, 3, 5};
  for (int bpc : kDepths)
    for (const Size s : kSizes)
      for (int fi = 0; fi < 3; ++fi) {
        const size_t n = static_cast<size_t>(s.w) * s.h;
        const auto a = samples(n, bpc, 0, 300 + n + fi);
        const auto b = samples(n, bpc, 0, 400 + n + fi);
        const auto ba = libvmaf_blur(a, s.w, s.h, bpc, filters[fi], taps[fi]);
        const auto bb = libvmaf_blur(b, s.w, s.h, bpc, filters[fi], taps[fi]);
        const float want = libvmaf_sad(ba, bb, s.w, s.h);
        const std::string where = std::string(hwy::TargetName(GetParam())) +
                                  " bpc=" + std::to_string(bpc) + " " + std::to_string(s.w) + "x" +
                                  std::to_string(s.h) + " taps=" + std::to_string(taps[fi]);
        ASSERT_EQ(kernels::motion_blur_mean_abs_diff(view(a, s.w, s.h), view(b, s.w, s.h), bpc,
                                                     filters[fi], taps[fi]),
                  want)
            << where;
        ImageF pa, pb;
        kernels::motion_blur_plane(view(a, s.w, s.h), bpc, filters[fi], taps[fi], pa);
        kernels::motion_blur_plane(view(b, s.w, s.h), bpc, filters[fi], taps[fi], pb);
        for (int y = 0; y < s.h; ++y)
          for (int x = 0; x < s.w; ++x)
            ASSERT_EQ(pa.row(y)[x], ba[y * s.w + x]) << where << " x=" << x << " y=" << y;
        ASSERT_EQ(kernels::motion_mean_abs_diff(pa, pb), want) << where;
      }
}

TEST(MotionReference, MirrorIsLibvmafReflection) {
  // libvmaf: -i below 0, 2n - i - 2 past the end.
  EXPECT_EQ(motion_mirror(-1, 10), 1);
  EXPECT_EQ(motion_mirror(-2, 10), 2);
  EXPECT_EQ(motion_mirror(10, 10), 8);
  EXPECT_EQ(motion_mirror(11, 10), 7);
  EXPECT_EQ(motion_mirror(4, 10), 4);
  // Tiny planes stay inside (libvmaf would read outside).
  for (int n = 1; n <= 4; ++n)
    for (int i = -6; i < n + 6; ++i) {
      const int m = motion_mirror(i, n);
      EXPECT_TRUE(m >= 0 && m < n) << i << " " << n;
    }
}

TEST(MotionReference, ConstantDifferenceGivesItsSize) {
  // blur(d) of a constant d is 256 d after the vertical pass and again after the horizontal one
  // (the Q16 filter sums to 65536), so the SAD per pixel is 256 |d|.
  const int w = 40, h = 30;
  std::vector<uint16_t> prev(w * h, 100), cur(w * h, 93);
  EXPECT_EQ(kernels::integer_motion_sad(view(prev, w, h), view(cur, w, h), 8),
            uint64_t{256} * 7 * w * h);
}

TEST(MotionReference, BilinearHalvesAConstantPlane) {
  ImageF src(9, 7), dst;
  for (int y = 0; y < 7; ++y)
    for (int x = 0; x < 9; ++x) src.row(y)[x] = 3.5f;
  kernels::motion_scale_bilinear(src, 5, 4, dst);
  ASSERT_EQ(dst.width(), 5);
  ASSERT_EQ(dst.height(), 4);
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 5; ++x) EXPECT_FLOAT_EQ(dst.row(y)[x], 3.5f);
  // Same size: a copy.
  kernels::motion_scale_bilinear(src, 9, 7, dst);
  EXPECT_EQ(dst.row(6)[8], 3.5f);
}

}  // namespace
}  // namespace vqfuse::test
