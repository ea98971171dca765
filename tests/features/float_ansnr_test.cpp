// float_ansnr: known answers on synthetic frames, and equality with a direct transcription of
// libvmaf's float algorithm (2-D filters with mirrored borders, float row sums).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "test_util.hpp"
#include "vqfuse/extract.hpp"

namespace vqfuse::test {
namespace {

Result<RunSummary> run(const VideoInfo& info, int frames, const SampleFn& ref, const SampleFn& dis,
                       FeatureMatrix& m, int threads = 1) {
  TempDir dir;
  write_y4m(dir.file("r.y4m"), info, frames, ref);
  write_y4m(dir.file("d.y4m"), info, frames, dis);
  ExtractConfig cfg;
  cfg.reference = dir.file("r.y4m");
  cfg.distorted = dir.file("d.y4m");
  cfg.features = {"float_ansnr"};
  cfg.no_prediction = true;
  cfg.threads = threads;
  FrameSink* sinks[] = {&m};
  return extract(cfg, sinks);
}

SampleFn constant(uint16_t v) {
  return [v](int, int, int, int) { return v; };
}

// Straightforward transcription of the algorithm (what libvmaf's ansnr.c computes).
struct Naive {
  double ansnr, anpsnr;
};
Naive naive_ansnr(const SampleFn& rfn, const SampleFn& dfn, const VideoInfo& v) {
  const int w = v.width, h = v.height;
  const float scaler = static_cast<float>(1 << (v.bit_depth - 8));
  std::vector<float> r(w * h), d(w * h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      r[y * w + x] = static_cast<float>(rfn(0, 0, x, y)) / scaler + -128;
      d[y * w + x] = static_cast<float>(dfn(0, 0, x, y)) / scaler + -128;
    }
  auto filter = [&](const std::vector<float>& src, const std::vector<float>& f, int fw) {
    std::vector<float> out(w * h);
    for (int i = 0; i < h; ++i)
      for (int j = 0; j < w; ++j) {
        float acc = 0;
        for (int fi = 0; fi < fw; ++fi) {
          float inner = 0;
          for (int fj = 0; fj < fw; ++fj) {
            int ii = i - fw / 2 + fi, jj = j - fw / 2 + fj;
            ii = ii < 0 ? -ii : (ii >= h ? 2 * h - ii - 1 : ii);
            jj = jj < 0 ? -jj : (jj >= w ? 2 * w - jj - 1 : jj);
            inner += f[fi * fw + fj] * src[ii * w + jj];
          }
          acc += inner;
        }
        out[i * w + j] = acc;
      }
    return out;
  };
  std::vector<float> fr(9), fd(25);
  const double r1[3] = {1, 2, 1};
  for (int i = 0; i < 9; ++i) fr[i] = static_cast<float>(r1[i / 3] * r1[i % 3] / 16.0);
  const double d5[25] = {2, 7, 12, 7, 2, 7, 31, 52, 31, 7, 12, 52, 127, 52, 12, 7, 31, 52, 31, 7, 2, 7, 12, 7, 2};
  for (int i = 0; i < 25; ++i) fd[i] = static_cast<float>(d5[i] / 571.0);
  const std::vector<float> rf = filter(r, fr, 3), df = filter(d, fd, 5);
  float sig = 0, noise = 0;
  for (int i = 0; i < h; ++i) {
    float s = 0, n = 0;
    for (int j = 0; j < w; ++j) {
      const float a = rf[i * w + j], b = df[i * w + j];
      s += a * a;
      n += (a - b) * (a - b);
    }
    sig += s;
    noise += n;
  }
  const double peak = v.bit_depth == 8 ? 255.0 : v.bit_depth == 10 ? 255.75 : 255.9375;
  const double pmax = v.bit_depth == 8 ? 60.0 : v.bit_depth == 10 ? 72.0 : 84.0;
  return {noise == 0 ? pmax : 10.0 * std::log10(static_cast<double>(sig / noise)),
          std::min(10 * std::log10(peak * peak * w * h / std::max(static_cast<double>(noise), 1e-10)), pmax)};
}

TEST(FloatAnsnr, ZeroNoiseGivesPsnrMax) {
  // Sample 128 is 0 on the -128 scale: both filters give exactly 0, so noise is 0. (Identical
  // non-flat frames are not noise-free: the two pictures go through different filters.)
  FeatureMatrix m;
  ASSERT_TRUE(run(make_info(32, 24), 1, constant(128), constant(128), m).ok());
  EXPECT_EQ(m.at(0, "float_ansnr"), 60.0);
  EXPECT_EQ(m.at(0, "float_anpsnr"), 60.0);
}

TEST(FloatAnsnr, ConstantOffset) {
  // Flat pictures stay flat through both filters (weights sum to 1, up to float rounding).
  FeatureMatrix m;
  ASSERT_TRUE(run(make_info(40, 30), 1, constant(178), constant(168), m).ok());
  EXPECT_NEAR(m.at(0, "float_ansnr"), 10 * std::log10(50.0 * 50.0 / (10.0 * 10.0)), 1e-4);
  EXPECT_NEAR(m.at(0, "float_anpsnr"), 10 * std::log10(255.0 * 255.0 / (10.0 * 10.0)), 1e-4);
}

TEST(FloatAnsnr, BitExactWithLibvmafAlgorithm) {
  for (int bpc : {8, 10, 12}) {
    for (auto [w, h] : {std::pair{3, 3}, {4, 7}, {17, 13}, {67, 41}, {333, 197}}) {
      const VideoInfo v = make_info(w, h, bpc);
      const SampleFn ref = noise_fn(11, bpc, 40), dis = noise_fn(12, bpc, 40);
      FeatureMatrix m;
      ASSERT_TRUE(run(v, 1, ref, dis, m, 2).ok()) << w << "x" << h;
      const Naive n = naive_ansnr(ref, dis, v);
      EXPECT_EQ(m.at(0, "float_ansnr"), n.ansnr) << bpc << " " << w << "x" << h;
      EXPECT_EQ(m.at(0, "float_anpsnr"), n.anpsnr) << bpc << " " << w << "x" << h;
    }
  }
}

TEST(FloatAnsnr, RejectsPicturesBelowThreeByThree) {
  for (auto [w, h] : {std::pair{1, 1}, {2, 5}, {5, 2}}) {
    FeatureMatrix m;
    auto r = run(make_info(w, h), 1, constant(1), constant(2), m);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::kUnsupported);
    EXPECT_NE(r.error().message.find("float_ansnr"), std::string::npos);
    EXPECT_NE(r.error().message.find(">= 3"), std::string::npos);
  }
}

}  // namespace
}  // namespace vqfuse::test
