#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>

#include "test_util.hpp"
#include "vqfuse/corpus.hpp"

namespace vqfuse::test {
namespace {

const char* kTiny = R"({
  "name": "tiny",
  "defaults": {"width": 64, "height": 48, "frames": 6, "fps": 25},
  "sources": [{"id": "bars", "lavfi": "testsrc2=size=64x48:rate=25"},
              {"id": "noise", "lavfi": "mandelbrot=size=128x96:rate=25", "failure_mode": "banding"}],
  "plan": [{"codec": "libx264", "crf": [20, 40]},
           {"codec": "libx264", "crf": [30], "scales": [0.5], "scaler": "bilinear", "sources": ["bars"]},
           {"codec": "libx264", "crf": [30], "bit_depth": 10, "sources": ["bars"]},
           {"codec": "none", "chroma": "444", "chroma_roundtrip": "420", "sources": ["bars"], "failure_mode": "chroma"}]
})";

bool have_ffmpeg() { return std::system("ffmpeg -hide_banner -version >/dev/null 2>&1") == 0; }

TEST(CorpusManifest, ExpandsDeterministicClipIds) {
  auto m = corpus::parse_manifest(kTiny, "tiny.json");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  const auto clips = corpus::plan_clips(m.value());
  std::vector<std::string> ids;
  for (const auto& c : clips) ids.push_back(c.clip_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"bars__libx264_crf20", "bars__libx264_crf40", "noise__libx264_crf20",
                                           "noise__libx264_crf40", "bars__libx264_crf30_s0.5_bilinear",
                                           "bars__libx264_crf30_10bit", "bars__roundtrip420_444"}));
  EXPECT_EQ(clips[2].failure_mode, "banding");
  EXPECT_EQ(clips[6].failure_mode, "chroma");
  EXPECT_EQ(clips[5].ref, "sources/bars_420p10.y4m");
}

struct BadManifest {
  std::string name, json, expect;
};
class CorpusManifestBad : public ::testing::TestWithParam<BadManifest> {};
TEST_P(CorpusManifestBad, NamesTheField) {
  auto m = corpus::parse_manifest(GetParam().json, "m.json");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().file, "m.json");
  EXPECT_NE(m.error().to_string().find(GetParam().expect), std::string::npos) << m.error().to_string();
}
INSTANTIATE_TEST_SUITE_P(
    Cases, CorpusManifestBad,
    ::testing::Values(
        BadManifest{"not_json", "{", "not valid JSON"},
        BadManifest{"no_sources", R"({"plan": [{"crf": [1]}]})", "sources"},
        BadManifest{"two_kinds", R"({"sources": [{"id": "a", "lavfi": "x", "image": "y"}], "plan": [{"crf": [1]}]})",
                    "sources[0]"},
        BadManifest{"bad_id", R"({"sources": [{"id": "a/b", "lavfi": "x"}], "plan": [{"crf": [1]}]})", "sources[0].id"},
        BadManifest{"dup_id", R"({"sources": [{"id": "a", "lavfi": "x"}, {"id": "a", "lavfi": "y"}], "plan": [{"crf": [1]}]})",
                    "duplicate id"},
        BadManifest{"odd_size", R"({"sources": [{"id": "a", "lavfi": "x", "width": 33}], "plan": [{"crf": [1]}]})", "even"},
        BadManifest{"codec", R"({"sources": [{"id": "a", "lavfi": "x"}], "plan": [{"codec": "h264", "crf": [1]}]})",
                    "plan[0].codec"},
        BadManifest{"no_crf", R"({"sources": [{"id": "a", "lavfi": "x"}], "plan": [{"codec": "libx264"}]})", "crf"},
        BadManifest{"crf_range", R"({"sources": [{"id": "a", "lavfi": "x"}], "plan": [{"crf": [99]}]})", "plan[0].crf"},
        BadManifest{"scale", R"({"sources": [{"id": "a", "lavfi": "x"}], "plan": [{"crf": [1], "scales": [2]}]})", "scales"},
        BadManifest{"depth", R"({"sources": [{"id": "a", "lavfi": "x"}], "plan": [{"crf": [1], "bit_depth": 12}]})", "bit_depth"},
        BadManifest{"unknown_src", R"({"sources": [{"id": "a", "lavfi": "x"}], "plan": [{"crf": [1], "sources": ["b"]}]})",
                    "unknown source 'b'"},
        BadManifest{"wrong_type", R"({"sources": [{"id": "a", "lavfi": "x", "frames": "ten"}], "plan": [{"crf": [1]}]})",
                    "sources[0].frames"}),
    [](const auto& p) { return p.param.name; });

TEST(CorpusBuild, SameManifestGivesTheSameFiles) {
  if (!have_ffmpeg()) GTEST_SKIP() << "ffmpeg not installed";
  auto m = corpus::parse_manifest(kTiny, "tiny.json").value();
  TempDir a, b;
  corpus::BuildOptions oa;
  oa.out_dir = a.path();
  oa.jobs = 2;
  corpus::BuildOptions ob = oa;
  ob.out_dir = b.path();
  ob.jobs = 1;
  auto ra = corpus::build(m, oa);
  ASSERT_TRUE(ra.ok()) << ra.error().to_string();
  auto rb = corpus::build(m, ob);
  ASSERT_TRUE(rb.ok()) << rb.error().to_string();
  ASSERT_EQ(ra->size(), 7u);
  for (size_t i = 0; i < ra->size(); ++i) {
    EXPECT_EQ((*ra)[i].dis_sha256, (*rb)[i].dis_sha256) << (*ra)[i].clip_id;
    EXPECT_EQ((*ra)[i].ref_sha256, (*rb)[i].ref_sha256) << (*ra)[i].clip_id;
    EXPECT_EQ((*ra)[i].dis_sha256.size(), 64u);
  }
  // Every distorted clip decodes to the reference geometry.
  auto clips = corpus::read_corpus(a.path()).value();
  for (const auto& c : clips) {
    const std::string dis = read_file(a.path() + "/" + c.dis);
    EXPECT_EQ(dis.rfind("YUV4MPEG2 W64 H48", 0), 0u) << c.clip_id;
  }
  // Resume: a second build reuses every file.
  auto again = corpus::build(m, oa);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)[0].dis_sha256, (*ra)[0].dis_sha256);
  // Extract the corpus into a store through the CLI.
  const auto r = run_cli({"corpus", "extract", a.path(), "--store", a.file("s.sqlite"), "--feature", "psnr"});
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.err.find("7 clips"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace vqfuse::test
