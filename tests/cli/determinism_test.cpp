// The fused engine's contract on the golden pairs, through the CLI: the JSON (everything but
// `fps`) is byte-identical for --threads 1, 2 and 4 and for every SIMD target this machine runs,
// for the full feature set; and the canonical columns of a full run equal those of a canonical
// run bit for bit (features do not change when other extractors share the frame).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

#include "core/dispatch.hpp"
#include "test_util.hpp"

namespace vqfuse::test {
namespace {

using nlohmann::json;

std::string golden(const std::string& pair, const std::string& suffix) {
  return std::string(VQFUSE_SHARED_DIR) + "/golden/" + pair + suffix;
}

bool have_golden() {
  if (std::filesystem::exists(golden("p03_coffee_333x197_420p8", ".ref.y4m"))) return true;
  if (in_ci()) ADD_FAILURE() << "golden data missing under CI";
  return false;
}

// The output without the run's fps (the only field allowed to differ).
std::string run_full(const TempDir& d, const std::string& pair, const std::vector<std::string>& extra) {
  std::vector<std::string> a = {"extract", "-r", golden(pair, ".ref.y4m"), "-d", golden(pair, ".dis.y4m"),
                                "--feature-set", "full", "--skip-unsupported", "-q", "-o", d.file("o.json")};
  a.insert(a.end(), extra.begin(), extra.end());
  const CliResult r = run_cli(a);
  EXPECT_EQ(r.rc, 0) << r.err;
  json j = json::parse(read_file(d.file("o.json")));
  j.erase("fps");
  return j.dump();
}

class Determinism : public ::testing::TestWithParam<std::string> {};

TEST_P(Determinism, FullSetIsByteIdenticalForThreadsAndSimdTargets) {
  if (!have_golden()) GTEST_SKIP();
  const std::string pair = GetParam();
  TempDir d;
  const std::string base = run_full(d, pair, {"--threads", "1", "--cpu", "scalar"});
  EXPECT_GT(base.size(), 1000u);
  for (const char* t : {"2", "4"}) EXPECT_EQ(run_full(d, pair, {"--threads", t}), base) << "--threads " << t;
  for (const std::string& cpu : available_simd_targets())
    EXPECT_EQ(run_full(d, pair, {"--threads", "2", "--cpu", cpu}), base) << "--cpu " << cpu;
}

TEST_P(Determinism, CanonicalColumnsOfAFullRunEqualACanonicalRun) {
  if (!have_golden()) GTEST_SKIP();
  const std::string pair = GetParam();
  TempDir d;
  const json full = json::parse(run_full(d, pair, {}));
  const CliResult r = run_cli({"extract", "-r", golden(pair, ".ref.y4m"), "-d", golden(pair, ".dis.y4m"),
                               "--feature-set", "canonical", "-q", "-o", d.file("c.json")});
  ASSERT_EQ(r.rc, 0) << r.err;
  const json canon = json::parse(read_file(d.file("c.json")));
  ASSERT_EQ(full["frames"].size(), canon["frames"].size());
  ASSERT_EQ(canon["frames"][0]["metrics"].size(), 7u);  // six inputs + vmaf
  for (size_t f = 0; f < canon["frames"].size(); ++f)
    for (const auto& [name, v] : canon["frames"][f]["metrics"].items()) {
      ASSERT_TRUE(full["frames"][f]["metrics"].contains(name)) << name;
      EXPECT_EQ(full["frames"][f]["metrics"][name].get<double>(), v.get<double>()) << name << " frame " << f;
    }
}

// An odd size (333x197) and the 10-bit pair.
INSTANTIATE_TEST_SUITE_P(Golden, Determinism,
                         ::testing::Values("p03_coffee_333x197_420p8", "p05_gradients_352x288_420p10"),
                         [](const auto& p) { return p.param.substr(0, 3); });

}  // namespace
}  // namespace vqfuse::test
