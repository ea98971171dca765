// vif (integer) and float_vif kernels: the dispatched Highway code against the scalar
// references on every compiled target, bit for bit, over edge widths, bit depths, scales and
// content that reaches every branch of the statistic.
#include <cmath>
#include <cstring>

#include "features/kernels/vif_float.hpp"
#include "features/kernels/vif_int.hpp"
#include "simd_util.hpp"

namespace vqfuse::test {
namespace {

using kernels::VifIntSums;

int mirror(int y, int n) { return y < 0 ? -y : (y >= n ? 2 * n - y - 2 : y); }

enum class Content { kRandom, kSmooth, kFlat, kMax, kAlternating, kBlocks };
const Content kContents[] = {Content::kRandom, Content::kSmooth,      Content::kFlat,
                             Content::kMax,    Content::kAlternating, Content::kBlocks};

// A w x h plane pair with values in [0, max]; dis is a distorted copy of ref.
void make_planes(int w, int h, uint32_t max, Content c, uint64_t seed, std::vector<uint16_t>& ref,
                 std::vector<uint16_t>& dis) {
  std::mt19937_64 rng(seed);
  ref.assign(static_cast<size_t>(w) * h, 0);
  dis.assign(ref.size(), 0);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const size_t i = static_cast<size_t>(y) * w + x;
      const uint64_t r = rng();
      double v = 0;
      switch (c) {
        case Content::kRandom: v = static_cast<double>(r % (max + 1)); break;
        case Content::kSmooth: v = max * (0.5 + 0.4 * std::sin(x * 0.3) * std::cos(y * 0.2)); break;
        case Content::kFlat: v = max / 3; break;
        case Content::kMax: v = max; break;
        case Content::kAlternating: v = ((x + y) & 1) ? max : 0; break;
        case Content::kBlocks: v = ((x / 4 + y / 3) % 3) * (max / 2); break;
      }
      ref[i] = static_cast<uint16_t>(std::min<double>(v, max));
      const int64_t noise = static_cast<int64_t>((r >> 32) % 9) - 4;
      const int64_t scaled = static_cast<int64_t>(noise * (max / 255.0 + 1));
      int64_t d = (r >> 40) % 5 == 0 ? max - ref[i] : ref[i] + scaled;  // some anti-correlation
      dis[i] = static_cast<uint16_t>(std::clamp<int64_t>(d, 0, max));
    }
}

template <class T>
std::vector<const T*> window_rows(const std::vector<T>& p, int w, int h, int first, int count) {
  std::vector<const T*> rows(count);
  for (int i = 0; i < count; ++i) rows[i] = p.data() + static_cast<size_t>(mirror(first + i, h)) * w;
  return rows;
}

struct IntCase {
  int scale;
  int mu_shift, sq_shift, v_shift;
  uint32_t max;
};
// Scale 0 at 8/10/12 bit, and the 16-bit planes of scales 1..3.
const IntCase kIntCases[] = {{0, 8, 0, 8, 255},     {0, 10, 4, 10, 1023},  {0, 12, 8, 12, 4095},
                             {1, 16, 16, 16, 65535}, {2, 16, 16, 16, 65535}, {3, 16, 16, 16, 65535}};

class VifKernels : public hwy::TestWithParamTarget {};
HWY_TARGET_INSTANTIATE_TEST_SUITE_P(VifKernels);

TEST_P(VifKernels, IntegerMatchesReference) {
  for (const IntCase& ic : kIntCases) {
    const kernels::VifIntFilter f = kernels::vif_int_filter(ic.scale);
    const int radius = f.taps / 2;
    for (size_t w : kWidths) {
      const int width = static_cast<int>(w);
      if (width < radius + 1) continue;
      const int h = std::max(radius + 1, 6);
      for (Content c : kContents) {
        std::vector<uint16_t> ref, dis;
        make_planes(width, h, ic.max, c, w * 31 + static_cast<int>(c), ref, dis);
        const auto rr = window_rows(ref, width, h, -radius, h + 2 * radius);
        const auto dr = window_rows(dis, width, h, -radius, h + 2 * radius);
        for (double gain : {100.0, 1.0}) {
          kernels::VifIntStatsArgs a{rr.data(), dr.data()};
          a.n_rows = h;
          a.width = width;
          a.filter = f;
          a.mu_shift = ic.mu_shift;
          a.sq_shift = ic.sq_shift;
          a.gain_limit = gain;
          const VifIntSums got = kernels::vif_int_stats(a), want = kernels::ref::vif_int_stats(a);
          ASSERT_TRUE(got == want) << hwy::TargetName(GetParam()) << " scale " << ic.scale
                                   << " w=" << w << " content " << static_cast<int>(c)
                                   << " num_log " << got.num_log << " vs " << want.num_log
                                   << " den_log " << got.den_log << " vs " << want.den_log;
        }
        if (ic.scale == 3) continue;
        // Decimation with the next scale's filter.
        const kernels::VifIntFilter fn = kernels::vif_int_filter(ic.scale + 1);
        const int rn = fn.taps / 2;
        const int n_out = h / 2;
        const auto dr_rows = window_rows(ref, width, h, -rn, 2 * (n_out - 1) + fn.taps);
        const auto dd_rows = window_rows(dis, width, h, -rn, 2 * (n_out - 1) + fn.taps);
        const int ow = width / 2;
        std::vector<uint16_t> g1(static_cast<size_t>(n_out) * (ow + 1), 7), g2 = g1, w1 = g1, w2 = g1;
        kernels::VifIntDecimateArgs d{dr_rows.data(), dd_rows.data()};
        d.n_out = n_out;
        d.width = width;
        d.filter = fn;
        d.v_shift = ic.v_shift;
        d.out_stride = ow + 1;
        d.ref_out = g1.data();
        d.dis_out = g2.data();
        kernels::vif_int_decimate(d);
        d.ref_out = w1.data();
        d.dis_out = w2.data();
        kernels::ref::vif_int_decimate(d);
        ASSERT_EQ(g1, w1) << hwy::TargetName(GetParam()) << " decimate scale " << ic.scale << " w=" << w;
        ASSERT_EQ(g2, w2) << hwy::TargetName(GetParam()) << " decimate scale " << ic.scale << " w=" << w;
      }
    }
  }
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

TEST_P(VifKernels, FloatMatchesReference) {
  // Kernel scales: the default (17/9/5/3 taps), a smaller and a larger one (generic paths).
  for (float ks : {1.0f, 0.5f, 1.5f}) {
    for (int scale = 0; scale < 4; ++scale) {
      const int taps = kernels::vif_float_filter_size(scale, ks);
      std::vector<float> filter(taps);
      kernels::vif_float_filter(scale, ks, filter.data());
      const int radius = taps / 2;
      for (size_t w : kWidths) {
        const int width = static_cast<int>(w);
        if (width < radius + 1) continue;
        const int h = std::max(radius + 1, 5);
        for (Content c : kContents) {
          std::vector<uint16_t> r16, d16;
          make_planes(width, h, 255, c, w * 7 + static_cast<int>(c) + scale, r16, d16);
          std::vector<float> rf(r16.size()), df(d16.size());
          for (size_t i = 0; i < rf.size(); ++i) {
            rf[i] = static_cast<float>(r16[i]) - 128.f;
            df[i] = static_cast<float>(d16[i]) - 128.f;
          }
          const auto rr = window_rows(rf, width, h, -radius, h + 2 * radius);
          const auto dr = window_rows(df, width, h, -radius, h + 2 * radius);
          for (double nsq : {2.0, 1.3}) {
            kernels::VifFloatStatsArgs a{rr.data(), dr.data()};
            a.n_rows = h;
            a.width = width;
            a.filter = filter.data();
            a.taps = taps;
            a.sigma_nsq = nsq;
            a.gain_limit = nsq == 2.0 ? 100.0 : 1.0;
            std::vector<float> gn(h), gd(h), wn(h), wd(h);
            a.num_rows = gn.data();
            a.den_rows = gd.data();
            kernels::vif_float_stats(a);
            a.num_rows = wn.data();
            a.den_rows = wd.data();
            kernels::ref::vif_float_stats(a);
            ASSERT_TRUE(same_bits(gn, wn) && same_bits(gd, wd))
                << hwy::TargetName(GetParam()) << " ks " << ks << " scale " << scale << " w=" << w
                << " content " << static_cast<int>(c) << " nsq " << nsq << " num " << gn[0]
                << " vs " << wn[0] << " den " << gd[0] << " vs " << wd[0];
          }
          const int n_out = h / 2;
          const auto dr_rows = window_rows(rf, width, h, -radius, 2 * (n_out - 1) + taps);
          const auto dd_rows = window_rows(df, width, h, -radius, 2 * (n_out - 1) + taps);
          const int ow = width / 2;
          std::vector<float> g1(static_cast<size_t>(n_out) * (ow + 1), 7.f), g2 = g1, w1 = g1, w2 = g1;
          kernels::VifFloatDecimateArgs d{dr_rows.data(), dd_rows.data()};
          d.n_out = n_out;
          d.width = width;
          d.filter = filter.data();
          d.taps = taps;
          d.out_stride = ow + 1;
          d.ref_out = g1.data();
          d.dis_out = g2.data();
          kernels::vif_float_decimate(d);
          d.ref_out = w1.data();
          d.dis_out = w2.data();
          kernels::ref::vif_float_decimate(d);
          ASSERT_TRUE(same_bits(g1, w1) && same_bits(g2, w2))
              << hwy::TargetName(GetParam()) << " decimate ks " << ks << " scale " << scale
              << " w=" << w;
        }
      }
    }
  }
}

TEST(VifKernelReference, Log2TableAndApprox) {
  const uint16_t* t = kernels::vif_int_log2_table();
  EXPECT_EQ(t[32768], 15 * 2048);  // log2(2^15) = 15 exactly
  EXPECT_EQ(t[65535], static_cast<uint16_t>(std::round(std::log2(65535.0f) * 2048)));
  // libvmaf's polynomial log2 is exact at powers of two and close elsewhere.
  EXPECT_EQ(kernels::vif_log2_approx(1.0f), 0.0f);
  EXPECT_EQ(kernels::vif_log2_approx(8.0f), 3.0f);
  EXPECT_NEAR(kernels::vif_log2_approx(3.0f), std::log2(3.0f), 1e-4);
}

TEST(VifKernelReference, FilterSizes) {
  EXPECT_EQ(kernels::vif_float_filter_size(0, 1.0f), 17);
  EXPECT_EQ(kernels::vif_float_filter_size(1, 1.0f), 9);
  EXPECT_EQ(kernels::vif_float_filter_size(2, 1.0f), 5);
  EXPECT_EQ(kernels::vif_float_filter_size(3, 1.0f), 3);
  float f[17];
  kernels::vif_float_filter(0, 1.0f, f);
  float sum = 0;
  for (float v : f) sum += v;
  EXPECT_NEAR(sum, 1.0f, 1e-6);
  EXPECT_EQ(f[0], f[16]);  // symmetric
  for (int s = 0; s < 4; ++s) {
    const kernels::VifIntFilter fi = kernels::vif_int_filter(s);
    uint32_t total = 0;
    for (int k = 0; k < fi.taps; ++k) total += fi.coeff[k];
    EXPECT_EQ(total, 65536u) << s;
  }
}

}  // namespace
}  // namespace vqfuse::test
