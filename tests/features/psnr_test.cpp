// psnr / float_psnr known answers on tiny synthetic frames.
#include <gtest/gtest.h>

#include <cmath>

#include "test_util.hpp"
#include "vqfuse/extract.hpp"

namespace vqfuse::test {
namespace {

FeatureMatrix run(const VideoInfo& info, const SampleFn& ref, const SampleFn& dis, std::vector<std::string> f,
                  int frames = 2) {
  TempDir d;
  write_y4m(d.file("r.y4m"), info, frames, ref);
  write_y4m(d.file("d.y4m"), info, frames, dis);
  ExtractConfig cfg;
  cfg.reference = d.file("r.y4m");
  cfg.distorted = d.file("d.y4m");
  cfg.features = std::move(f);
  FeatureMatrix m;
  FrameSink* s[] = {&m};
  auto r = extract(cfg, s);
  EXPECT_TRUE(r.ok()) << r.error().to_string();
  return m;
}

TEST(Psnr, IdenticalFramesHitTheCap) {
  for (int bd : {8, 10, 12, 16}) {
    const auto fn = noise_fn(1, bd);
    const FeatureMatrix m = run(make_info(9, 7, bd), fn, fn, {"psnr=enable_mse=true", "float_psnr"});
    EXPECT_EQ(m.at(0, "psnr_y"), 6.0 * bd + 12) << bd;  // libvmaf: psnr_max = 6*bpc + 12
    EXPECT_EQ(m.at(0, "psnr_cr"), 6.0 * bd + 12) << bd;
    EXPECT_EQ(m.at(0, "mse_y"), 0.0);
    const double float_cap = bd == 8 ? 60 : bd == 10 ? 72 : bd == 12 ? 84 : 108;
    EXPECT_EQ(m.at(0, "float_psnr"), float_cap) << bd;
  }
}

TEST(Psnr, ConstantOffsetGivesKnownMse) {
  // Every sample differs by 3: MSE 9, PSNR 10*log10(255^2/9).
  const FeatureMatrix m = run(make_info(8, 6, 8), [](int, int, int, int) { return uint16_t(100); },
                              [](int, int, int, int) { return uint16_t(103); }, {"psnr=enable_mse=true", "float_psnr"});
  EXPECT_EQ(m.at(0, "mse_y"), 9.0);
  EXPECT_EQ(m.at(1, "mse_cb"), 9.0);
  EXPECT_DOUBLE_EQ(m.at(0, "psnr_y"), 10 * std::log10(255.0 * 255.0 / 9.0));
  EXPECT_DOUBLE_EQ(m.at(0, "float_psnr"), 10 * std::log10(255.0 * 255.0 / 9.0));
}

TEST(Psnr, TenBitUsesItsOwnPeaks) {
  // 10-bit offset 4: psnr peak 1023, float_psnr works on v/4 with peak 255.75.
  const FeatureMatrix m = run(make_info(8, 6, 10), [](int, int, int, int) { return uint16_t(400); },
                              [](int, int, int, int) { return uint16_t(404); }, {"psnr", "float_psnr"});
  EXPECT_DOUBLE_EQ(m.at(0, "psnr_y"), 10 * std::log10(1023.0 * 1023.0 / 16.0));
  EXPECT_DOUBLE_EQ(m.at(0, "float_psnr"), 10 * std::log10(255.75 * 255.75 / 1.0));
}

TEST(Psnr, ChromaOffOnMonochromeAndOnRequest) {
  const auto a = noise_fn(2, 8), b = noise_fn(3, 8);
  const FeatureMatrix mono = run(make_info(8, 6, 8, Chroma::k400), a, b, {"psnr"});
  EXPECT_EQ(mono.column("psnr_cb"), -1);
  EXPECT_GE(mono.column("psnr_y"), 0);
  const FeatureMatrix luma = run(make_info(8, 6, 8), a, b, {"psnr=enable_chroma=false"});
  EXPECT_EQ(luma.info.columns.size(), 1u);
}

TEST(Psnr, MinSseSetsTheCap) {
  const auto fn = noise_fn(1, 8);
  const FeatureMatrix m = run(make_info(16, 8, 8), fn, fn, {"psnr=min_sse=0.5"});
  // psnr_max = ceil(10*log10(255^2 / (0.5 / 128))) = ceil(72.21) = 73; min_sse is not a
  // name-changing option in libvmaf.
  EXPECT_EQ(m.at(0, "psnr_y"), 73.0);
}

TEST(Psnr, OddSizeChromaIsCeil) {
  // 5x3 4:2:0 -> 3x2 chroma; a difference only in the last chroma column must count.
  const auto ref = [](int, int, int, int) { return uint16_t(50); };
  const auto dis = [](int, int p, int x, int) { return uint16_t(p == 1 && x == 2 ? 60 : 50); };
  const FeatureMatrix m = run(make_info(5, 3, 8), ref, dis, {"psnr=enable_mse=true"});
  EXPECT_DOUBLE_EQ(m.at(0, "mse_cb"), 2 * 100.0 / 6);
  EXPECT_EQ(m.at(0, "mse_cr"), 0.0);
}

}  // namespace
}  // namespace vqfuse::test
