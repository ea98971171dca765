#include "core/dispatch.hpp"

#include <gtest/gtest.h>

namespace vqfuse {
namespace {

TEST(Dispatch, CpuRestrictionReachesTheKernels) {
  const auto names = available_simd_targets();
  ASSERT_FALSE(names.empty());
  EXPECT_EQ(names.front(), "scalar");
  const std::string best = dispatched_target();
  for (const auto& n : names) {
    ASSERT_TRUE(set_simd_target(n).ok()) << n;
    const std::string got = dispatched_target();
    const std::string want = n == "scalar" ? "SCALAR" : n == "sse4" ? "SSE4" : n == "avx2" ? "AVX2" : "AVX3";
    EXPECT_EQ(got, want) << "--cpu " << n << " dispatched " << got;
    EXPECT_EQ(active_simd_target(), want);
  }
  ASSERT_TRUE(set_simd_target("auto").ok());
  EXPECT_EQ(dispatched_target(), best);
  EXPECT_FALSE(set_simd_target("mmx").ok());
  EXPECT_EQ(dispatched_target(), best) << "a refused name changes nothing";
}

}  // namespace
}  // namespace vqfuse
