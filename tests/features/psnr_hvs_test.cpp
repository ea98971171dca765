// psnr_hvs: known answers on synthetic frames, size limits.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "features/kernels/psnr_hvs.hpp"
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
  cfg.features = {"psnr_hvs"};
  cfg.no_prediction = true;
  cfg.threads = threads;
  FrameSink* sinks[] = {&m};
  return extract(cfg, sinks);
}

const char* const kNames[] = {"psnr_hvs_y", "psnr_hvs_cb", "psnr_hvs_cr", "psnr_hvs"};

TEST(PsnrHvs, IdenticalFramesAreInfinite) {
  FeatureMatrix m;
  const SampleFn f = noise_fn(5, 8);
  ASSERT_TRUE(run(make_info(48, 32), 1, f, f, m).ok());
  for (const char* n : kNames) EXPECT_EQ(m.at(0, n), std::numeric_limits<double>::infinity()) << n;
}

int32_t flat_dc(int32_t v) {
  int32_t b[64];
  for (int32_t& x : b) x = v;
  kernels::ref::fdct8x8(b);
  for (int k = 1; k < 64; ++k) EXPECT_EQ(b[k], 0) << "flat block has AC energy";
  return b[0];
}

TEST(PsnrHvs, FlatOffsetIsDcErrorOnly) {
  // Flat blocks: no AC energy, so no masking; only the DC term, weighted by csf_y[0], counts.
  const int w = 36, h = 22;  // 5 x 3 blocks of step 7
  FeatureMatrix m;
  auto luma = [](uint16_t y) { return [y](int, int p, int, int) -> uint16_t { return p ? 128 : y; }; };
  ASSERT_TRUE(run(make_info(w, h), 1, luma(100), luma(110), m).ok());
  const float err = static_cast<float>(std::abs(flat_dc(100) - flat_dc(110)));
  const float csf0 = static_cast<float>(1.6193873005);
  const float term = (err * csf0) * (err * csf0);
  const int blocks = 5 * 3;
  float ret = 0;
  for (int b = 0; b < blocks; ++b) ret += term;
  ret /= static_cast<float>(64 * blocks);
  ret /= static_cast<float>(255 * 255);
  EXPECT_EQ(m.at(0, "psnr_hvs_y"), -10 * std::log10(static_cast<double>(ret)));
  EXPECT_EQ(m.at(0, "psnr_hvs_cb"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(m.at(0, "psnr_hvs"), -10 * std::log10(static_cast<double>(ret) * .8));
}

TEST(PsnrHvs, SameForAnyThreadCountAndOddSizes) {
  for (auto [w, h] : {std::pair{15, 15}, {17, 17}, {64, 9 * 2}, {333, 197}}) {
    for (int bpc : {8, 10, 12}) {
      const VideoInfo v = make_info(w, h, bpc);
      FeatureMatrix a, b;
      ASSERT_TRUE(run(v, 2, noise_fn(1, bpc, 30), noise_fn(2, bpc, 30), a, 1).ok()) << w << "x" << h;
      ASSERT_TRUE(run(v, 2, noise_fn(1, bpc, 30), noise_fn(2, bpc, 30), b, 3).ok());
      EXPECT_EQ(a.rows, b.rows);
      for (const char* n : kNames) EXPECT_TRUE(std::isfinite(a.at(0, n))) << n << " " << w << "x" << h;
    }
  }
}

TEST(PsnrHvs, SizeAndFormatLimits) {
  struct Case {
    VideoInfo v;
    const char* text;
  };
  const Case cases[] = {{make_info(7, 20), ">= 8x8"},
                        {make_info(14, 14), ">= 8x8"},  // 4:2:0 chroma is 7x7
                        {make_info(16, 16, 16), "bit depth <= 12"},
                        {make_info(16, 16, 8, Chroma::k400), "4:0:0"}};
  for (const Case& c : cases) {
    FeatureMatrix m;
    auto r = run(c.v, 1, noise_fn(1, c.v.bit_depth), noise_fn(2, c.v.bit_depth), m);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.error().code, Errc::kUnsupported);
    EXPECT_NE(r.error().message.find("psnr_hvs"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find(c.text), std::string::npos) << r.error().message;
  }
  FeatureMatrix m;
  EXPECT_TRUE(run(make_info(15, 15), 1, noise_fn(1, 8), noise_fn(2, 8), m).ok());
}

}  // namespace
}  // namespace vqfuse::test
