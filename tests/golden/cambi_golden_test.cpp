// cambi against Netflix libvmaf 3.2.0 (p02..p06; p01 is below libvmaf's 216-pixel limit), plus
// determinism across thread counts and SIMD targets.
#include <gtest/gtest.h>

#include <cstring>

#include "core/dispatch.hpp"
#include "golden.hpp"
#include "test_util.hpp"

namespace vqfuse::golden {
namespace {

const std::string kP01 = "p01_testsrc2_176x144_420p8";

class CambiGolden : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!available()) {
      if (test::in_ci()) FAIL() << "golden data missing under CI: " << golden_dir();
      GTEST_SKIP() << "golden data not found at " << golden_dir();
    }
  }
};

std::vector<double> column(const FeatureMatrix& m, const std::string& name) {
  std::vector<double> out;
  const int c = m.column(name);
  EXPECT_GE(c, 0) << name;
  if (c < 0) return out;
  for (const auto& r : m.rows) out.push_back(r[static_cast<size_t>(c)]);
  return out;
}

// Bitwise equality (NaN-safe).
void expect_identical(const std::vector<double>& a, const std::vector<double>& b,
                      const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_EQ(std::memcmp(&a[i], &b[i], sizeof(double)), 0)
        << what << " frame " << i << ": " << a[i] << " vs " << b[i];
}

TEST_P(CambiGolden, MatchesLibvmaf) {
  const std::string pair = GetParam();
  const FeatureMatrix m = run_pair(pair, {.features = {"cambi"}});
  expect_golden(pair, m, {"cambi"});
}

TEST_P(CambiGolden, SameForOneAndTwoThreads) {
  const std::string pair = GetParam();
  RunOptions o{.features = {"cambi=full_ref=true"}};
  o.threads = 1;
  const FeatureMatrix a = run_pair(pair, o);
  o.threads = 2;
  const FeatureMatrix b = run_pair(pair, o);
  for (const char* name : {"cambi", "cambi_source", "cambi_full_reference"})
    expect_identical(column(a, name), column(b, name), name);
}

TEST_P(CambiGolden, SameForScalarAndBestSimdTarget) {
  const std::string pair = GetParam();
  ASSERT_TRUE(set_simd_target("scalar").ok());
  const FeatureMatrix scalar = run_pair(pair, {.features = {"cambi"}});
  ASSERT_TRUE(set_simd_target("auto").ok());
  const FeatureMatrix best = run_pair(pair, {.features = {"cambi"}});
  expect_identical(column(scalar, "cambi"), column(best, "cambi"), "cambi " + active_simd_target());
}

// p01 (176x144) is below cambi's 216-pixel minimum: no golden there, CambiGoldenLimits covers it.
std::vector<std::string> cambi_pairs() {
  std::vector<std::string> v;
  for (const auto& p : kPairs)
    if (p != kP01) v.push_back(p);
  return v;
}

INSTANTIATE_TEST_SUITE_P(Pairs, CambiGolden, ::testing::ValuesIn(cambi_pairs()),
                         [](const auto& p) { return p.param.substr(0, 3); });

TEST(CambiGoldenLimits, P01IsRejectedOrSkipped) {
  if (!available()) GTEST_SKIP();
  ExtractConfig cfg;
  cfg.reference = path(kP01, ".ref.y4m");
  cfg.distorted = path(kP01, ".dis.y4m");
  cfg.features = {"cambi"};
  cfg.no_prediction = true;
  FeatureMatrix m;
  FrameSink* sinks[] = {&m};
  auto r = extract(cfg, sinks);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kUnsupported);
  EXPECT_NE(r.error().message.find("216"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("176x144"), std::string::npos) << r.error().message;

  const FeatureMatrix skipped =
      run_pair(kP01, {.features = {"cambi", "psnr"}, .skip_unsupported = true});
  ASSERT_EQ(skipped.info.skipped.size(), 1u);
  EXPECT_EQ(skipped.info.skipped[0].extractor, "cambi");
  EXPECT_NE(skipped.info.skipped[0].reason.find("176x144"), std::string::npos);
  EXPECT_LT(skipped.column("cambi"), 0);
  EXPECT_GE(skipped.column("psnr_y"), 0);
}

}  // namespace
}  // namespace vqfuse::golden
