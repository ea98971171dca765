// speed_chroma and speed_temporal against Netflix libvmaf 3.2.0 (netflix_full), every pair whose
// golden file has the names (p01 176x144 has no speed_chroma: too small, vqfuse refuses it).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "core/dispatch.hpp"
#include "golden.hpp"
#include "test_util.hpp"

namespace vqfuse::golden {
namespace {

const std::vector<std::string> kChromaNames = {"speed_chroma_u", "speed_chroma_v",
                                               "speed_chroma_uv"};

class SpeedGolden : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!available()) {
      if (test::in_ci()) FAIL() << "golden data missing under CI: " << golden_dir();
      GTEST_SKIP() << "golden data not found at " << golden_dir();
    }
  }
  // The speed names the pair's Netflix golden has.
  std::vector<std::string> expected_names(const std::string& pair) {
    std::vector<std::string> out;
    const auto names = golden_names(pair, "netflix_full.json");
    for (const char* n : {"speed_chroma_u", "speed_chroma_v", "speed_chroma_uv", "speed_temporal"})
      if (std::find(names.begin(), names.end(), n) != names.end()) out.push_back(n);
    return out;
  }
  static RunOptions options(int threads) {
    RunOptions o{.features = {"speed_chroma", "speed_temporal"}};
    o.threads = threads;
    o.skip_unsupported = true;  // p01: speed_chroma below its size limit
    return o;
  }
};

TEST_P(SpeedGolden, MatchesLibvmaf) {
  const std::string pair = GetParam();
  const auto names = expected_names(pair);
  ASSERT_FALSE(names.empty());
  const FeatureMatrix m = run_pair(pair, options(2));
  expect_golden(pair, m, names);
}

// Where Netflix has no speed_chroma (p01), vqfuse refuses it with the size limit.
TEST_P(SpeedGolden, ChromaOnlyWhereLibvmafHasIt) {
  const std::string pair = GetParam();
  const auto names = expected_names(pair);
  const bool netflix_has = std::find(names.begin(), names.end(), "speed_chroma_u") != names.end();
  const FeatureMatrix m = run_pair(pair, options(1));
  EXPECT_EQ(m.column("speed_chroma_u") >= 0, netflix_has) << pair;
  if (!netflix_has) {
    ASSERT_EQ(m.info.skipped.size(), 1u);
    EXPECT_EQ(m.info.skipped[0].extractor, "speed_chroma");
    EXPECT_NE(m.info.skipped[0].reason.find("80x80"), std::string::npos)
        << m.info.skipped[0].reason;
  }
}

void expect_same_columns(const FeatureMatrix& a, const FeatureMatrix& b, const std::string& what) {
  ASSERT_EQ(a.rows.size(), b.rows.size());
  for (const char* n : {"speed_chroma_u", "speed_chroma_v", "speed_chroma_uv", "speed_temporal"}) {
    const int ca = a.column(n), cb = b.column(n);
    ASSERT_EQ(ca >= 0, cb >= 0) << n;
    if (ca < 0) continue;
    for (size_t r = 0; r < a.rows.size(); ++r) {
      const double x = a.rows[r][static_cast<size_t>(ca)], y = b.rows[r][static_cast<size_t>(cb)];
      EXPECT_EQ(std::memcmp(&x, &y, sizeof x), 0)
          << what << " " << n << " frame " << r << ": " << x << " vs " << y;
    }
  }
}

TEST_P(SpeedGolden, SameForOneAndTwoThreads) {
  const std::string pair = GetParam();
  expect_same_columns(run_pair(pair, options(1)), run_pair(pair, options(2)), "threads 1 vs 2");
}

TEST_P(SpeedGolden, SameForScalarAndBestSimd) {
  const std::string pair = GetParam();
  ASSERT_TRUE(set_simd_target("scalar").ok());
  const FeatureMatrix scalar = run_pair(pair, options(2));
  ASSERT_TRUE(set_simd_target("auto").ok());
  const FeatureMatrix best = run_pair(pair, options(2));
  expect_same_columns(scalar, best, "scalar vs " + active_simd_target());
}

INSTANTIATE_TEST_SUITE_P(Pairs, SpeedGolden, ::testing::ValuesIn(kPairs),
                         [](const auto& p) { return p.param.substr(0, 3); });

}  // namespace
}  // namespace vqfuse::golden
