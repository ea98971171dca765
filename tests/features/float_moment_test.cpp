// float_moment: known answers on synthetic frames.
#include <gtest/gtest.h>

#include <cmath>

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
  cfg.features = {"float_moment"};
  cfg.no_prediction = true;
  cfg.threads = threads;
  FrameSink* sinks[] = {&m};
  return extract(cfg, sinks);
}

SampleFn constant(uint16_t v) {
  return [v](int, int, int, int) { return v; };
}

TEST(FloatMoment, ConstantFrames) {
  FeatureMatrix m;
  ASSERT_TRUE(run(make_info(17, 13), 2, constant(100), constant(30), m).ok());
  ASSERT_EQ(m.rows.size(), 2u);
  EXPECT_EQ(m.at(0, "float_moment_ref1st"), 100.0);
  EXPECT_EQ(m.at(0, "float_moment_dis1st"), 30.0);
  EXPECT_EQ(m.at(0, "float_moment_ref2nd"), 10000.0);
  EXPECT_EQ(m.at(1, "float_moment_dis2nd"), 900.0);
}

TEST(FloatMoment, HighBitDepthUsesEightBitScale) {
  FeatureMatrix m;
  ASSERT_TRUE(run(make_info(16, 8, 10), 1, constant(1023), constant(2), m).ok());
  EXPECT_EQ(m.at(0, "float_moment_ref1st"), 255.75);
  EXPECT_EQ(m.at(0, "float_moment_ref2nd"), 255.75 * 255.75);
  EXPECT_EQ(m.at(0, "float_moment_dis1st"), 0.5);
  EXPECT_EQ(m.at(0, "float_moment_dis2nd"), 0.25);
}

TEST(FloatMoment, SixteenBitSquaresRoundedToFloat) {
  FeatureMatrix m;
  ASSERT_TRUE(run(make_info(5, 3, 16), 1, constant(65535), constant(4097), m).ok());
  const float a = 65535.0f / 256.0f, b = 4097.0f / 256.0f;
  EXPECT_EQ(m.at(0, "float_moment_ref2nd"), static_cast<double>(a * a));
  EXPECT_EQ(m.at(0, "float_moment_dis2nd"), static_cast<double>(b * b));
  EXPECT_EQ(m.at(0, "float_moment_dis1st"), static_cast<double>(b));
}

// libvmaf's moment.c: float samples on the 8-bit scale, float squares, double sums.
double libvmaf_moment(const SampleFn& fn, const VideoInfo& v, bool second) {
  const float scaler = static_cast<float>(1 << (v.bit_depth - 8));
  double cum = 0;
  for (int y = 0; y < v.height; ++y)
    for (int x = 0; x < v.width; ++x) {
      const float p = static_cast<float>(fn(0, 0, x, y)) / scaler;
      cum += second ? p * p : p;
    }
  return cum / (v.width * v.height);
}

TEST(FloatMoment, MatchesLibvmafLoopOnNoise) {
  for (int bpc : {8, 10, 12}) {
    for (auto [w, h] : {std::pair{1, 1}, {3, 2}, {17, 13}, {333, 197}}) {
      const VideoInfo v = make_info(w, h, bpc);
      const SampleFn ref = noise_fn(1, bpc, 60), dis = noise_fn(2, bpc, 60);
      FeatureMatrix m;
      ASSERT_TRUE(run(v, 1, ref, dis, m).ok()) << w << "x" << h;
      EXPECT_EQ(m.at(0, "float_moment_ref1st"), libvmaf_moment(ref, v, false)) << bpc << " " << w;
      EXPECT_EQ(m.at(0, "float_moment_dis2nd"), libvmaf_moment(dis, v, true)) << bpc << " " << w;
    }
  }
}

}  // namespace
}  // namespace vqfuse::test
