// float_ansnr, float_moment, ciede and psnr_hvs against Netflix libvmaf 3.2.0 (and the fork for
// p03 chroma-based values, tests/golden/expectations.cpp), plus determinism across thread counts
// and SIMD targets.
#include <gtest/gtest.h>

#include <cstring>

#include "core/dispatch.hpp"
#include "golden.hpp"
#include "test_util.hpp"

namespace vqfuse::golden {
namespace {

const std::vector<std::string> kExtractors = {"float_ansnr", "float_moment", "ciede", "psnr_hvs"};
const std::vector<std::string> kNames = {
    "float_ansnr",         "float_anpsnr",        "float_moment_ref1st", "float_moment_dis1st",
    "float_moment_ref2nd", "float_moment_dis2nd", "ciede2000",           "psnr_hvs_y",
    "psnr_hvs_cb",         "psnr_hvs_cr",         "psnr_hvs"};

class ClassicGolden : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!available()) {
      if (test::in_ci()) FAIL() << "golden data missing under CI: " << golden_dir();
      GTEST_SKIP() << "golden data not found at " << golden_dir();
    }
  }
};

// Bit-for-bit equality of every value (NaN and inf included).
void expect_identical(const FeatureMatrix& a, const FeatureMatrix& b, const std::string& what) {
  ASSERT_EQ(a.rows.size(), b.rows.size()) << what;
  ASSERT_FALSE(a.rows.empty()) << what;
  for (const std::string& n : kNames) {
    const int ca = a.column(n), cb = b.column(n);
    ASSERT_GE(ca, 0) << n;
    ASSERT_GE(cb, 0) << n;
    for (size_t r = 0; r < a.rows.size(); ++r)
      EXPECT_EQ(std::memcmp(&a.rows[r][ca], &b.rows[r][cb], sizeof(double)), 0)
          << what << ": " << n << " frame " << r << ": " << a.rows[r][ca] << " vs " << b.rows[r][cb];
  }
}

TEST_P(ClassicGolden, MatchesLibvmaf) {
  const std::string pair = GetParam();
  const FeatureMatrix m = run_pair(pair, {.features = kExtractors});
  expect_golden(pair, m, kNames);
}

TEST_P(ClassicGolden, SameForOneAndTwoThreads) {
  const std::string pair = GetParam();
  RunOptions o{.features = kExtractors};
  o.threads = 1;
  const FeatureMatrix a = run_pair(pair, o);
  o.threads = 2;
  const FeatureMatrix b = run_pair(pair, o);
  expect_identical(a, b, "threads 1 vs 2");
}

TEST_P(ClassicGolden, SameForScalarAndBestSimdTarget) {
  const std::string pair = GetParam();
  ASSERT_TRUE(set_simd_target("scalar").ok());
  const FeatureMatrix a = run_pair(pair, {.features = kExtractors});
  ASSERT_TRUE(set_simd_target("auto").ok());
  const FeatureMatrix b = run_pair(pair, {.features = kExtractors});
  expect_identical(a, b, "scalar vs " + active_simd_target());
}

INSTANTIATE_TEST_SUITE_P(Pairs, ClassicGolden, ::testing::ValuesIn(kPairs),
                         [](const auto& p) { return p.param.substr(0, 3); });

}  // namespace
}  // namespace vqfuse::golden
