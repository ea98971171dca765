// vif (integer) and float_vif against Netflix libvmaf 3.2.0 (netflix_full: bit-identical to its
// C path for both extractors).
#include <gtest/gtest.h>

#include "core/dispatch.hpp"
#include "golden.hpp"
#include "test_util.hpp"

namespace vqfuse::golden {
namespace {

const std::vector<std::string> kIntegerNames = {
    "integer_vif_scale0",     "integer_vif_scale1",     "integer_vif_scale2",
    "integer_vif_scale3",     "integer_vif",            "integer_vif_num",
    "integer_vif_den",        "integer_vif_num_scale0", "integer_vif_den_scale0",
    "integer_vif_num_scale1", "integer_vif_den_scale1", "integer_vif_num_scale2",
    "integer_vif_den_scale2", "integer_vif_num_scale3", "integer_vif_den_scale3"};

const std::vector<std::string> kFloatNames = {
    "vif_scale0",     "vif_scale1",     "vif_scale2",     "vif_scale3",     "vif",
    "vif_num",        "vif_den",        "vif_num_scale0", "vif_den_scale0", "vif_num_scale1",
    "vif_den_scale1", "vif_num_scale2", "vif_den_scale2", "vif_num_scale3", "vif_den_scale3"};

const std::vector<std::string> kFeatures = {"vif=debug=true", "float_vif=debug=true"};

class VifGolden : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!available()) {
      if (test::in_ci()) FAIL() << "golden data missing under CI: " << golden_dir();
      GTEST_SKIP() << "golden data not found at " << golden_dir();
    }
  }
};

TEST_P(VifGolden, MatchesLibvmaf) {
  const std::string pair = GetParam();
  const FeatureMatrix m = run_pair(pair, {.features = kFeatures});
  expect_golden(pair, m, kIntegerNames);
  expect_golden(pair, m, kFloatNames);
}

void expect_same_columns(const FeatureMatrix& a, const FeatureMatrix& b) {
  ASSERT_EQ(a.rows.size(), b.rows.size());
  for (const auto& names : {kIntegerNames, kFloatNames})
    for (const std::string& n : names) {
      const int ca = a.column(n), cb = b.column(n);
      ASSERT_GE(ca, 0) << n;
      ASSERT_GE(cb, 0) << n;
      for (size_t r = 0; r < a.rows.size(); ++r)
        ASSERT_EQ(a.rows[r][ca], b.rows[r][cb]) << n << " frame " << r;
    }
}

TEST_P(VifGolden, SameForOneAndTwoThreads) {
  const std::string pair = GetParam();
  RunOptions o{.features = kFeatures};
  o.threads = 1;
  const FeatureMatrix a = run_pair(pair, o);
  o.threads = 2;
  const FeatureMatrix b = run_pair(pair, o);
  expect_same_columns(a, b);
}

TEST_P(VifGolden, SameForScalarAndBestTarget) {
  const std::string pair = GetParam();
  const FeatureMatrix best = run_pair(pair, {.features = kFeatures});
  ASSERT_TRUE(set_simd_target("scalar").ok());
  const FeatureMatrix scalar = run_pair(pair, {.features = kFeatures});
  ASSERT_TRUE(set_simd_target("auto").ok());
  expect_same_columns(best, scalar);
}

INSTANTIATE_TEST_SUITE_P(Pairs, VifGolden, ::testing::ValuesIn(kPairs),
                         [](const auto& p) { return p.param.substr(0, 3); });

}  // namespace
}  // namespace vqfuse::golden
