// The VMAF v0.6.1 score end to end: the built-in model on vqfuse's own adm/vif/motion features
// against libvmaf 3.2.0's per-frame `vmaf` and its pooled mean / harmonic mean, on all six
// golden pairs; the canonical feature set; thread-count independence.
#include <gtest/gtest.h>

#include "golden.hpp"
#include "test_util.hpp"

namespace vqfuse::golden {
namespace {

const std::vector<std::string> kCanonical = {"integer_adm2",       "integer_motion2",    "integer_vif_scale0",
                                             "integer_vif_scale1", "integer_vif_scale2", "integer_vif_scale3"};

class VmafGolden : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!available()) {
      if (test::in_ci()) FAIL() << "golden data missing under CI: " << golden_dir();
      GTEST_SKIP() << "golden data not found at " << golden_dir();
    }
  }
};

TEST_P(VmafGolden, BuiltInModelMatchesLibvmaf) {
  const std::string pair = GetParam();
  const FeatureMatrix m = run_pair(pair, {.models = {"version=vmaf_v0.6.1"}});
  std::vector<std::string> names = kCanonical;
  names.push_back("vmaf");  // per frame, and pooled min/max/mean/harmonic_mean
  expect_golden(pair, m, names);
}

TEST_P(VmafGolden, ModelFileFromSharedEqualsBuiltIn) {
  const std::string pair = GetParam();
  const std::string file = golden_dir() + "/../models/vmaf_v0.6.1.json";
  const FeatureMatrix a = run_pair(pair, {.models = {"version=vmaf_v0.6.1"}});
  const FeatureMatrix b = run_pair(pair, {.models = {"path=" + file}});
  ASSERT_EQ(a.rows.size(), b.rows.size());
  const int ca = a.column("vmaf"), cb = b.column("vmaf");
  ASSERT_GE(ca, 0);
  ASSERT_GE(cb, 0);
  for (size_t f = 0; f < a.rows.size(); ++f)
    EXPECT_EQ(a.rows[f][static_cast<size_t>(ca)], b.rows[f][static_cast<size_t>(cb)]) << f;
}

TEST_P(VmafGolden, SameForOneAndTwoThreads) {
  const std::string pair = GetParam();
  RunOptions o{.models = {"version=vmaf_v0.6.1"}};
  o.threads = 1;
  const FeatureMatrix a = run_pair(pair, o);
  o.threads = 2;
  const FeatureMatrix b = run_pair(pair, o);
  EXPECT_EQ(a.rows, b.rows);
}

INSTANTIATE_TEST_SUITE_P(Pairs, VmafGolden, ::testing::ValuesIn(kPairs),
                         [](const auto& p) { return p.param.substr(0, 3); });

}  // namespace
}  // namespace vqfuse::golden
