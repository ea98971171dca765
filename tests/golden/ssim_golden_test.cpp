// float_ssim and float_ms_ssim against Netflix libvmaf 3.2.0, ssim (integer) against the
// lusoris/vmaf fork; thread-count and SIMD-target determinism; the MS-SSIM size limit on p01.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "core/dispatch.hpp"
#include "golden.hpp"
#include "test_util.hpp"

namespace vqfuse::golden {
namespace {

const std::vector<std::string> kSsimNames = {"float_ssim", "float_ssim_l", "float_ssim_c",
                                             "float_ssim_s"};

std::vector<std::string> ms_ssim_names() {
  std::vector<std::string> n = {"float_ms_ssim"};
  for (const char* t : {"l", "c", "s"})
    for (int i = 0; i < 5; ++i)
      n.push_back(std::string("float_ms_ssim_") + t + "_scale" + std::to_string(i));
  return n;
}

// p01 (176x144) is below MS-SSIM's 176x176 limit; the peers have no golden for it there.
bool has_ms_ssim(const std::string& pair) { return pair.rfind("p01_", 0) != 0; }

std::vector<std::string> features_for(const std::string& pair) {
  std::vector<std::string> f = {"float_ssim=enable_lcs=true", "ssim"};
  if (has_ms_ssim(pair)) f.push_back("float_ms_ssim=enable_lcs=true");
  return f;
}

std::vector<std::string> names_for(const std::string& pair) {
  std::vector<std::string> n = kSsimNames;
  n.push_back("ssim");
  if (has_ms_ssim(pair))
    for (const std::string& s : ms_ssim_names()) n.push_back(s);
  return n;
}

void expect_identical(const FeatureMatrix& a, const FeatureMatrix& b,
                      const std::vector<std::string>& names) {
  ASSERT_EQ(a.rows.size(), b.rows.size());
  for (const std::string& n : names) {
    ASSERT_GE(a.column(n), 0) << n;
    for (size_t f = 0; f < a.rows.size(); ++f) {
      const double x = a.at(f, n), y = b.at(f, n);
      EXPECT_EQ(0, std::memcmp(&x, &y, sizeof(x)))
          << n << " frame " << f << ": " << x << " vs " << y;
    }
  }
}

class SsimGolden : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!available()) {
      if (test::in_ci()) FAIL() << "golden data missing under CI: " << golden_dir();
      GTEST_SKIP() << "golden data not found at " << golden_dir();
    }
  }
};

TEST_P(SsimGolden, MatchesPeers) {
  const std::string pair = GetParam();
  const FeatureMatrix m = run_pair(pair, {.features = features_for(pair)});
  expect_golden(pair, m, names_for(pair));
}

TEST_P(SsimGolden, SameForOneAndTwoThreads) {
  const std::string pair = GetParam();
  RunOptions o{.features = features_for(pair)};
  o.threads = 1;
  const FeatureMatrix a = run_pair(pair, o);
  o.threads = 2;
  const FeatureMatrix b = run_pair(pair, o);
  expect_identical(a, b, names_for(pair));
}

TEST_P(SsimGolden, SameForScalarAndBestTarget) {
  const std::string pair = GetParam();
  const RunOptions o{.features = features_for(pair)};
  const FeatureMatrix best = run_pair(pair, o);
  ASSERT_TRUE(set_simd_target("scalar").ok());
  const FeatureMatrix scalar = run_pair(pair, o);
  ASSERT_TRUE(set_simd_target("auto").ok());
  expect_identical(best, scalar, names_for(pair));
}

INSTANTIATE_TEST_SUITE_P(Pairs, SsimGolden, ::testing::ValuesIn(kPairs),
                         [](const auto& p) { return p.param.substr(0, 3); });

TEST(SsimGoldenLimits, MsSsimOnP01FailsOrIsSkipped) {
  if (!available()) GTEST_SKIP() << "golden data not found at " << golden_dir();
  const std::string pair = kPairs[0];  // 176x144
  ExtractConfig cfg;
  cfg.reference = path(pair, ".ref.y4m");
  cfg.distorted = path(pair, ".dis.y4m");
  cfg.features = {"float_ssim", "float_ms_ssim=enable_lcs=true"};
  cfg.no_prediction = true;
  {
    FeatureMatrix m;
    FrameSink* sinks[] = {&m};
    const auto r = extract(cfg, sinks);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::kUnsupported);
    EXPECT_NE(r.error().to_string().find("float_ms_ssim"), std::string::npos)
        << r.error().to_string();
    EXPECT_NE(r.error().message.find("176x144"), std::string::npos) << r.error().message;
  }
  cfg.skip_unsupported = true;
  std::vector<std::string> warnings;
  cfg.warn = [&](const std::string& w) { warnings.push_back(w); };
  FeatureMatrix m;
  FrameSink* sinks[] = {&m};
  const auto r = extract(cfg, sinks);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_EQ(m.info.skipped.size(), 1u);
  EXPECT_EQ(m.info.skipped[0].extractor, "float_ms_ssim");
  EXPECT_EQ(m.info.skipped[0].names.size(), 16u);
  EXPECT_EQ(m.column("float_ms_ssim"), -1);
  EXPECT_FALSE(warnings.empty());
  expect_golden(pair, m, {"float_ssim"});
}

}  // namespace
}  // namespace vqfuse::golden
