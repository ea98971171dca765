// SpEED kernels: every compiled SIMD target against the scalar reference, bit for bit.
#include "features/kernels/speed.hpp"

#include <cstring>
#include <random>
#include <vector>

#include "simd_util.hpp"

namespace vqfuse::test {
namespace {

class SpeedKernel : public hwy::TestWithParamTarget {};
HWY_TARGET_INSTANTIATE_TEST_SUITE_P(SpeedKernel);

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

std::vector<float> taps_for(int n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  std::vector<float> t(static_cast<size_t>(n));
  for (float& v : t) v = u(rng);
  return t;
}

TEST_P(SpeedKernel, VfilterU16MatchesReference) {
  const int bit_depths[] = {8, 10, 12, 16};
  for (int ntaps : {3, 9, 35})
    for (size_t w : kWidths)
      for (Fill fill : kAllFills)
        for (int bpc : bit_depths) {
          const uint64_t seed = w * 131 + static_cast<uint64_t>(ntaps);
          std::vector<std::vector<uint16_t>> a(static_cast<size_t>(ntaps)), b(a.size());
          std::vector<const uint16_t*> pa, pb;
          for (int t = 0; t < ntaps; ++t) {
            auto [ra, rb] = make_rows(w, fill, seed + static_cast<uint64_t>(t));
            a[static_cast<size_t>(t)] = ra;
            b[static_cast<size_t>(t)] = rb;
            pa.push_back(a[static_cast<size_t>(t)].data());
            pb.push_back(b[static_cast<size_t>(t)].data());
          }
          const auto taps = taps_for(ntaps, seed);
          const float scale = 1.0f / static_cast<float>(1 << (bpc - 8));
          const int32_t bias = 128 << (bpc - 8);
          for (bool diff : {false, true}) {
            std::vector<float> got(w), want(w);
            const uint16_t* const* second = diff ? pb.data() : nullptr;
            kernels::speed_vfilter_u16(pa.data(), second, bias, scale, taps.data(), ntaps,
                                       got.data(), w);
            kernels::ref::speed_vfilter_u16(pa.data(), second, bias, scale, taps.data(), ntaps,
                                            want.data(), w);
            ASSERT_TRUE(same_bits(got, want))
                << hwy::TargetName(GetParam()) << " w=" << w << " taps=" << ntaps
                << " fill=" << fill_name(fill) << " bpc=" << bpc << " diff=" << diff;
          }
        }
}

TEST_P(SpeedKernel, VfilterF32MatchesReference) {
  for (int ntaps : {3, 9, 35})
    for (size_t w : kWidths) {
      std::mt19937_64 rng(w + static_cast<uint64_t>(ntaps));
      std::uniform_real_distribution<float> u(-300.0f, 300.0f);
      std::vector<std::vector<float>> rows(static_cast<size_t>(ntaps), std::vector<float>(w));
      std::vector<const float*> pr;
      for (auto& r : rows) {
        for (float& v : r) v = u(rng);
        pr.push_back(r.data());
      }
      const auto taps = taps_for(ntaps, w);
      std::vector<float> got(w), want(w);
      kernels::speed_vfilter_f32(pr.data(), taps.data(), ntaps, got.data(), w);
      kernels::ref::speed_vfilter_f32(pr.data(), taps.data(), ntaps, want.data(), w);
      ASSERT_TRUE(same_bits(got, want))
          << hwy::TargetName(GetParam()) << " w=" << w << " taps=" << ntaps;
    }
}

TEST_P(SpeedKernel, CovarianceMatchesReference) {
  using kernels::kSpeedCovStride;
  using kernels::kSpeedDim;
  const int sizes[][2] = {{1, 1}, {2, 1}, {6, 1}, {1, 7}, {16, 6}, {33, 17}, {116, 61}};
  for (const auto& s : sizes)
    for (int kind = 0; kind < 3; ++kind) {
      const int sw = s[0], sh = s[1];
      const int w = sw + 4, h = sh + 4;
      const ptrdiff_t stride = w + 3;
      std::mt19937_64 rng(static_cast<uint64_t>(sw * 1000 + sh * 10 + kind));
      std::uniform_real_distribution<float> u(-200.0f, 200.0f);
      std::vector<float> data(static_cast<size_t>(stride * h), 0.0f);
      for (float& v : data) v = kind == 0 ? u(rng) : (kind == 1 ? 0.0f : 1e-3f * u(rng) + 100.0f);
      std::vector<double> mean(kSpeedDim);
      for (double& m : mean) m = kind == 1 ? 0.0 : static_cast<double>(u(rng)) * 0.1;
      std::vector<double> got(kSpeedDim * kSpeedCovStride, 0.0), want(got.size(), 0.0);
      kernels::speed_cov_accumulate(data.data(), stride, sw, sh, mean.data(), got.data());
      kernels::ref::speed_cov_accumulate(data.data(), stride, sw, sh, mean.data(), want.data());
      for (int a = 0; a < kSpeedDim; ++a)
        for (int b = 0; b <= a; ++b) {
          const double x = got[static_cast<size_t>(a * kSpeedCovStride + b)];
          const double y = want[static_cast<size_t>(a * kSpeedCovStride + b)];
          ASSERT_EQ(std::memcmp(&x, &y, sizeof x), 0)
              << hwy::TargetName(GetParam()) << " " << sw << "x" << sh << " kind=" << kind
              << " pair " << a << "," << b << ": " << x << " vs " << y;
        }
    }
}

TEST(SpeedReference, VfilterKnownValues) {
  // Two taps over 8-bit rows: 0.25 * (10 - 128) + 0.75 * (130 - 128) = -28.
  const uint16_t r0[] = {10}, r1[] = {130};
  const uint16_t* rows[] = {r0, r1};
  const float taps[] = {0.25f, 0.75f};
  float out = 0;
  kernels::ref::speed_vfilter_u16(rows, nullptr, 128, 1.0f, taps, 2, &out, 1);
  EXPECT_EQ(out, -28.0f);
  // Difference of 10-bit rows: (400 - 100) / 4 = 75 per tap.
  const uint16_t b0[] = {100}, b1[] = {100};
  const uint16_t a0[] = {400}, a1[] = {400};
  const uint16_t* ra[] = {a0, a1};
  const uint16_t* rb[] = {b0, b1};
  kernels::ref::speed_vfilter_u16(ra, rb, 0, 0.25f, taps, 2, &out, 1);
  EXPECT_EQ(out, 75.0f);
}

TEST(SpeedReference, CovarianceKnownValues) {
  // 5x5 data, 1x1 window: every pair is the product of the two centred samples.
  std::vector<float> data(25);
  for (int i = 0; i < 25; ++i) data[static_cast<size_t>(i)] = static_cast<float>(i);
  std::vector<double> mean(25, 12.0);
  std::vector<double> acc(25 * kernels::kSpeedCovStride, 0.0);
  kernels::ref::speed_cov_accumulate(data.data(), 5, 1, 1, mean.data(), acc.data());
  EXPECT_EQ(acc[24 * kernels::kSpeedCovStride + 0], (24.0 - 12.0) * (0.0 - 12.0));
  EXPECT_EQ(acc[7 * kernels::kSpeedCovStride + 7], 25.0);
}

}  // namespace
}  // namespace vqfuse::test
