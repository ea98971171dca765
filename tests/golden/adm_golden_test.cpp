// adm (integer) and float_adm against Netflix libvmaf 3.2.0 on the six golden pairs, plus
// thread-count and SIMD-target independence of every value.
#include <gtest/gtest.h>

#include "core/dispatch.hpp"
#include "golden.hpp"
#include "test_util.hpp"

namespace vqfuse::golden {
namespace {

const std::vector<std::string> kIntegerNames = {
    "integer_adm2",           "integer_aim",            "integer_adm3",           "integer_adm_scale0",
    "integer_adm_scale1",     "integer_adm_scale2",     "integer_adm_scale3",     "integer_adm",
    "integer_adm_num",        "integer_adm_den",        "integer_adm_num_scale0", "integer_adm_den_scale0",
    "integer_adm_num_scale1", "integer_adm_den_scale1", "integer_adm_num_scale2", "integer_adm_den_scale2",
    "integer_adm_num_scale3", "integer_adm_den_scale3"};
const std::vector<std::string> kFloatNames = {
    "adm2",           "aim",            "adm3",           "adm_scale0",     "adm_scale1",     "adm_scale2",
    "adm_scale3",     "adm",            "adm_num",        "adm_den",        "adm_num_scale0", "adm_den_scale0",
    "adm_num_scale1", "adm_den_scale1", "adm_num_scale2", "adm_den_scale2", "adm_num_scale3", "adm_den_scale3"};

class AdmGolden : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!available()) {
      if (test::in_ci()) FAIL() << "golden data missing under CI: " << golden_dir();
      GTEST_SKIP() << "golden data not found at " << golden_dir();
    }
  }
};

TEST_P(AdmGolden, MatchesLibvmaf) {
  const std::string pair = GetParam();
  const FeatureMatrix m = run_pair(pair, {.features = {"adm=debug=true", "float_adm=debug=true"}});
  expect_golden(pair, m, kIntegerNames);
  expect_golden(pair, m, kFloatNames);
}

TEST_P(AdmGolden, SameForOneAndTwoThreads) {
  const std::string pair = GetParam();
  RunOptions o{.features = {"adm=debug=true", "float_adm=debug=true"}};
  o.threads = 1;
  const FeatureMatrix a = run_pair(pair, o);
  o.threads = 2;
  const FeatureMatrix b = run_pair(pair, o);
  ASSERT_EQ(a.info.columns.size(), b.info.columns.size());
  EXPECT_EQ(a.rows, b.rows);
}

TEST_P(AdmGolden, SameOnScalarAndBestTarget) {
  const std::string pair = GetParam();
  const RunOptions o{.features = {"adm=debug=true", "float_adm=debug=true"}};
  ASSERT_TRUE(set_simd_target("scalar").ok());
  const FeatureMatrix a = run_pair(pair, o);
  ASSERT_TRUE(set_simd_target("auto").ok());
  const FeatureMatrix b = run_pair(pair, o);
  EXPECT_EQ(a.rows, b.rows) << "best target " << active_simd_target();
}

INSTANTIATE_TEST_SUITE_P(Pairs, AdmGolden, ::testing::ValuesIn(kPairs),
                         [](const auto& p) { return p.param.substr(0, 3); });

}  // namespace
}  // namespace vqfuse::golden
