// psnr and float_psnr against Netflix libvmaf 3.2.0 (and the fork for p03 chroma).
#include <gtest/gtest.h>

#include "golden.hpp"
#include "test_util.hpp"

namespace vqfuse::golden {
namespace {

class PsnrGolden : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!available()) {
      if (test::in_ci()) FAIL() << "golden data missing under CI: " << golden_dir();
      GTEST_SKIP() << "golden data not found at " << golden_dir();
    }
  }
};

TEST_P(PsnrGolden, MatchesLibvmaf) {
  const std::string pair = GetParam();
  const FeatureMatrix m =
      run_pair(pair, {.features = {"psnr=enable_chroma=true:enable_mse=true:enable_apsnr=true", "float_psnr"}});
  // The issue asks for 1e-6 absolute; integer SSE makes these bit-exact in practice.
  const Tolerance tol{1e-6, 0};
  expect_golden(pair, m,
                {"psnr_y", "psnr_cb", "psnr_cr", "mse_y", "mse_cb", "mse_cr", "float_psnr", "apsnr_y",
                 "apsnr_cb", "apsnr_cr"},
                tol);
}

TEST_P(PsnrGolden, SameForOneAndTwoThreads) {
  const std::string pair = GetParam();
  RunOptions o{.features = {"psnr=enable_mse=true", "float_psnr"}};
  o.threads = 1;
  const FeatureMatrix a = run_pair(pair, o);
  o.threads = 2;
  const FeatureMatrix b = run_pair(pair, o);
  ASSERT_EQ(a.rows, b.rows);
}

INSTANTIATE_TEST_SUITE_P(Pairs, PsnrGolden, ::testing::ValuesIn(kPairs),
                         [](const auto& p) { return p.param.substr(0, 3); });

}  // namespace
}  // namespace vqfuse::golden
