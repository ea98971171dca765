// Crash safety of `corpus extract`: SIGKILL at random points, then resume, gives a store
// identical to an uninterrupted run (no lost and no duplicate rows).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "test_util.hpp"
#include "vqfuse/store.hpp"

extern char** environ;

namespace vqfuse::test {
namespace {

// A corpus directory written by hand: 4 sources x 5 distortions, 320x240, 20 frames.
void make_corpus(const TempDir& d) {
  std::filesystem::create_directories(d.file("c/sources"));
  std::filesystem::create_directories(d.file("c/clips"));
  nlohmann::json j;
  j["name"] = "test";
  j["clips"] = nlohmann::json::array();
  const VideoInfo info = make_info(320, 240);
  for (int s = 0; s < 4; ++s) {
    const std::string ref = "sources/s" + std::to_string(s) + ".y4m";
    write_y4m(d.file("c/" + ref), info, 20, noise_fn(static_cast<uint64_t>(s), 8, 0));
    for (int k = 0; k < 5; ++k) {
      const std::string id = "s" + std::to_string(s) + "__d" + std::to_string(k);
      const std::string dis = "clips/" + id + ".dis.y4m";
      write_y4m(d.file("c/" + dis), info, 20, noise_fn(static_cast<uint64_t>(s), 8, 2 + 3 * k));
      j["clips"].push_back({{"clip_id", id}, {"source_id", "s" + std::to_string(s)}, {"ref", ref}, {"dis", dis},
                            {"codec", "synthetic"}, {"params", {{"noise", 2 + 3 * k}}}, {"failure_mode", k == 4 ? "banding" : ""},
                            {"width", 320}, {"height", 240}, {"bit_depth", 8}, {"chroma", "420"}, {"frames", 20}});
    }
  }
  write_file(d.file("c/corpus.json"), j.dump());
}

std::vector<std::string> extract_args(const TempDir& d, const std::string& store) {
  return {VQFUSE_BINARY, "corpus", "extract", d.file("c"), "--store", store, "--feature", "psnr=enable_mse=true",
          "--feature", "float_psnr", "--jobs", "2", "--threads", "1", "-q"};
}

pid_t spawn(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  EXPECT_EQ(posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&fa);
  return pid;
}

int wait_for(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

TEST(CorpusExtract, SigkillAndResumeEqualsUninterruptedRun) {
  TempDir d;
  make_corpus(d);
  // Uninterrupted reference run, timed.
  const auto t0 = std::chrono::steady_clock::now();
  const int st = wait_for(spawn(extract_args(d, d.file("full.sqlite"))));
  ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::string expected = store::Store::open(d.file("full.sqlite"), false).value()->dump().value();
  ASSERT_GT(expected.size(), 1000u);

  // Kill the extraction at random points of its run, 12 times, resuming each time.
  std::mt19937_64 rng(42);
  int killed_mid_run = 0;
  for (int k = 0; k < 12; ++k) {
    const pid_t pid = spawn(extract_args(d, d.file("resumed.sqlite")));
    const double at = std::uniform_real_distribution<double>(0.0, seconds * 0.8)(rng);
    std::this_thread::sleep_for(std::chrono::duration<double>(at));
    ::kill(pid, SIGKILL);
    const int s = wait_for(pid);
    if (WIFSIGNALED(s)) ++killed_mid_run;
    // The store is always readable after a kill.
    auto reopened = store::Store::open(d.file("resumed.sqlite"), false);
    if (std::filesystem::exists(d.file("resumed.sqlite"))) {
      ASSERT_TRUE(reopened.ok() || reopened.error().message.find("no such store") != std::string::npos)
          << reopened.error().to_string();
    }
  }
  EXPECT_GE(killed_mid_run, 5) << "most kills should land while the run is going";
  const int fin = wait_for(spawn(extract_args(d, d.file("resumed.sqlite"))));
  ASSERT_TRUE(WIFEXITED(fin) && WEXITSTATUS(fin) == 0);
  EXPECT_EQ(store::Store::open(d.file("resumed.sqlite"), false).value()->dump().value(), expected);
}

TEST(CorpusExtract, ShardsMergeToTheWholeCorpus) {
  TempDir d;
  make_corpus(d);
  auto run = [&](const std::string& store, std::vector<std::string> extra) {
    auto a = extract_args(d, store);
    a.insert(a.end(), extra.begin(), extra.end());
    a.erase(a.begin());  // run_cli adds the binary
    return run_cli(a).rc;
  };
  ASSERT_EQ(run(d.file("all.sqlite"), {}), 0);
  ASSERT_EQ(run(d.file("a.sqlite"), {"--shard", "0/3"}), 0);
  ASSERT_EQ(run(d.file("b.sqlite"), {"--shard", "1/3"}), 0);
  ASSERT_EQ(run(d.file("c.sqlite"), {"--shard", "2/3"}), 0);
  EXPECT_EQ(run_cli({"store", "merge", d.file("a.sqlite"), d.file("b.sqlite"), d.file("c.sqlite"), "-o",
                     d.file("m.sqlite")}).rc, 0);
  EXPECT_EQ(store::Store::open(d.file("m.sqlite"), false).value()->dump().value(),
            store::Store::open(d.file("all.sqlite"), false).value()->dump().value());
  EXPECT_NE(run_cli({"corpus", "extract", d.file("c"), "--store", d.file("x.sqlite"), "--shard", "3/3"}).rc, 0);
}

TEST(CorpusExtract, ComputesOnlyMissingFeatures) {
  TempDir d;
  make_corpus(d);
  auto run = [&](std::vector<std::string> feats) {
    std::vector<std::string> a = {"corpus", "extract", d.file("c"), "--store", d.file("s.sqlite")};
    for (auto& f : feats) {
      a.push_back("--feature");
      a.push_back(f);
    }
    return run_cli(a);
  };
  ASSERT_EQ(run({"psnr"}).rc, 0);
  auto r = run({"psnr", "float_psnr"});
  ASSERT_EQ(r.rc, 0);
  EXPECT_NE(r.err.find("20 computed, 0 already complete"), std::string::npos) << r.err;
  auto s = store::Store::open(d.file("s.sqlite"), false).value();
  EXPECT_EQ(s->complete_instances("s0__d0").value(), (std::set<std::string>{"float_psnr", "psnr"}));
  r = run({"float_psnr", "psnr"});
  EXPECT_NE(r.err.find("0 computed, 20 already complete"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace vqfuse::test
