// motion (integer) and float_motion against Netflix libvmaf 3.2.0, motion_v2 against the
// lusoris/vmaf fork; thread counts and SIMD targets must not change a single value.
#include <gtest/gtest.h>
#include <hwy/targets.h>

#include "golden.hpp"
#include "test_util.hpp"

namespace vqfuse::golden {
namespace {

const std::vector<std::string> kNames = {"VMAF_integer_feature_motion_sad_score",
                                         "integer_motion",
                                         "integer_motion2",
                                         "integer_motion3",
                                         "motion",
                                         "motion2",
                                         "motion3",
                                         "VMAF_integer_feature_motion_v2_sad_score",
                                         "VMAF_integer_feature_motion2_v2_score",
                                         "VMAF_integer_feature_motion3_v2_score"};
const std::vector<std::string> kFeatures = {"motion=debug=true", "float_motion", "motion_v2"};

class MotionGolden : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!available()) {
      if (test::in_ci()) FAIL() << "golden data missing under CI: " << golden_dir();
      GTEST_SKIP() << "golden data not found at " << golden_dir();
    }
  }
};

TEST_P(MotionGolden, MatchesPeers) {
  const std::string pair = GetParam();
  const FeatureMatrix m = run_pair(pair, {.features = kFeatures});
  expect_golden(pair, m, kNames);
}

TEST_P(MotionGolden, SameForOneAndTwoThreads) {
  const std::string pair = GetParam();
  RunOptions o{.features = kFeatures};
  o.threads = 1;
  const FeatureMatrix a = run_pair(pair, o);
  o.threads = 2;
  const FeatureMatrix b = run_pair(pair, o);
  ASSERT_EQ(a.info.columns.size(), b.info.columns.size());
  ASSERT_EQ(a.rows, b.rows);
}

// Every SIMD target the CPU runs gives the values of the best one. The targets are switched
// with Highway's own mock: with this libhwy (1.0.3), vqfuse::set_simd_target's DisableTargets
// is undone by the next SupportedTargets() call, which re-selects the best target for dispatch.
TEST_P(MotionGolden, SameForEverySimdTarget) {
  const std::string pair = GetParam();
  const FeatureMatrix best = run_pair(pair, {.features = kFeatures});
  const int64_t supported = hwy::SupportedTargets() & HWY_TARGETS;
  for (int64_t rest = supported; rest != 0; rest &= rest - 1) {
    const int64_t target = rest & -rest;
    hwy::SetSupportedTargetsForTest(target);
    const FeatureMatrix m = run_pair(pair, {.features = kFeatures});
    // Dispatch really ran this target.
    const size_t chosen = hwy::GetChosenTarget().GetIndex();
    hwy::SetSupportedTargetsForTest(0);
    hwy::GetChosenTarget().Update(target);
    EXPECT_EQ(chosen, hwy::GetChosenTarget().GetIndex()) << hwy::TargetName(target);
    hwy::GetChosenTarget().DeInit();
    EXPECT_EQ(m.rows, best.rows) << hwy::TargetName(target);
  }
}

INSTANTIATE_TEST_SUITE_P(Pairs, MotionGolden, ::testing::ValuesIn(kPairs),
                         [](const auto& p) { return p.param.substr(0, 3); });

}  // namespace
}  // namespace vqfuse::golden
