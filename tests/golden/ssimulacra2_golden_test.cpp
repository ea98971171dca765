// ssimulacra2 against the lusoris/vmaf fork on the six pairs, determinism (threads, SIMD
// targets), and known properties on real images: identical images score 100, and the score
// falls monotonically along an encoder quality ladder made with ffmpeg.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/dispatch.hpp"
#include "golden.hpp"
#include "test_util.hpp"

namespace vqfuse::golden {
namespace {

class Ssimulacra2Golden : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!available()) {
      if (test::in_ci()) FAIL() << "golden data missing under CI: " << golden_dir();
      GTEST_SKIP() << "golden data not found at " << golden_dir();
    }
  }
};

TEST_P(Ssimulacra2Golden, MatchesFork) {
  const std::string pair = GetParam();
  const FeatureMatrix m = run_pair(pair, {.features = {"ssimulacra2"}});
  expect_golden(pair, m, {"ssimulacra2"});
}

TEST_P(Ssimulacra2Golden, SameForOneAndTwoThreads) {
  const std::string pair = GetParam();
  RunOptions o{.features = {"ssimulacra2"}};
  o.threads = 1;
  const FeatureMatrix a = run_pair(pair, o);
  o.threads = 2;
  const FeatureMatrix b = run_pair(pair, o);
  ASSERT_EQ(a.rows, b.rows);
}

TEST_P(Ssimulacra2Golden, SameForEverySimdTarget) {
  const std::string pair = GetParam();
  const RunOptions o{.features = {"ssimulacra2"}};
  ASSERT_TRUE(set_simd_target("auto").ok());
  const FeatureMatrix best = run_pair(pair, o);
  for (const std::string& target : available_simd_targets()) {
    ASSERT_TRUE(set_simd_target(target).ok()) << target;
    const FeatureMatrix m = run_pair(pair, o);
    EXPECT_EQ(m.rows, best.rows) << target << " vs " << active_simd_target();
  }
  ASSERT_TRUE(set_simd_target("auto").ok());
}

INSTANTIATE_TEST_SUITE_P(Pairs, Ssimulacra2Golden, ::testing::ValuesIn(kPairs),
                         [](const auto& p) { return p.param.substr(0, 3); });

FeatureMatrix run_files(const std::string& ref, const std::string& dis, int64_t frames = -1) {
  ExtractConfig cfg;
  cfg.reference = ref;
  cfg.distorted = dis;
  cfg.frame_cnt = frames;
  cfg.features = {"ssimulacra2"};
  cfg.no_prediction = true;
  cfg.threads = 2;
  FeatureMatrix m;
  FrameSink* sinks[] = {&m};
  auto r = extract(cfg, sinks);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return m;
}

double pooled_mean(const FeatureMatrix& m) {
  const int c = m.column("ssimulacra2");
  if (c < 0 || m.summary.pooled.empty()) return std::nan("");
  return m.summary.pooled[static_cast<size_t>(c)].mean;
}

TEST(Ssimulacra2Properties, IdenticalRealImagesScore100) {
  if (!available()) GTEST_SKIP() << "golden data not found";
  for (const std::string& pair : {kPairs[2], kPairs[4], kPairs[5]}) {
    const std::string ref = path(pair, ".ref.y4m");
    const FeatureMatrix m = run_files(ref, ref);
    ASSERT_FALSE(m.rows.empty());
    for (size_t f = 0; f < m.rows.size(); ++f) EXPECT_EQ(m.at(f, "ssimulacra2"), 100.0) << pair;
  }
}

// Encodes 6 frames of the ladybird reference with libx264 at rising CRF (and MJPEG at rising q),
// decodes back to Y4M and checks the pooled mean falls strictly at every step (measured:
// x264 CRF 10/25/40/51 -> 89.4, 71.5, 6.5, -51.6; MJPEG q 2/10/25 -> 87.1, 70.3, 46.6).
TEST(Ssimulacra2Properties, MonotoneOverEncoderQualityLadders) {
  if (!available()) GTEST_SKIP() << "golden data not found";
  if (std::system("ffmpeg -hide_banner -loglevel error -version > /dev/null 2>&1") != 0)
    GTEST_SKIP() << "ffmpeg not found";
  test::TempDir dir;
  const std::string ref = path(kPairs[3], ".ref.y4m");  // 640x360 natural photo, 12 frames
  struct Ladder {
    std::string name;
    std::vector<std::string> args;  // encoder options per rung, best first
    std::string ext;
  };
  const Ladder ladders[] = {
      {"x264",
       {"-c:v libx264 -preset veryfast -crf 10", "-c:v libx264 -preset veryfast -crf 25",
        "-c:v libx264 -preset veryfast -crf 40", "-c:v libx264 -preset veryfast -crf 51"},
       "mkv"},
      {"mjpeg", {"-c:v mjpeg -q:v 2", "-c:v mjpeg -q:v 10", "-c:v mjpeg -q:v 25"}, "avi"},
  };
  for (const Ladder& l : ladders) {
    double last = 100.0;
    for (size_t i = 0; i < l.args.size(); ++i) {
      const std::string enc = dir.file(l.name + std::to_string(i) + "." + l.ext);
      const std::string dec = dir.file(l.name + std::to_string(i) + ".y4m");
      const std::string pix = l.name == "mjpeg" ? " -pix_fmt yuvj420p" : " -pix_fmt yuv420p";
      const std::string cmd = "ffmpeg -hide_banner -loglevel error -y -i '" + ref +
                              "' -frames:v 6 " + l.args[i] + pix + " '" + enc +
                              "' && ffmpeg -hide_banner -loglevel error -y -i '" + enc +
                              "' -pix_fmt yuv420p '" + dec + "'";
      ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
      const double mean = pooled_mean(run_files(ref, dec, 6));
      EXPECT_LT(mean, last) << l.name << " rung " << i << " (" << l.args[i] << ")";
      EXPECT_GT(mean, -100.0);
      last = mean;
    }
  }
}

}  // namespace
}  // namespace vqfuse::golden
