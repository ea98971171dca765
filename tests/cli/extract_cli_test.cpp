// `vqfuse extract` end to end: output formats, frame selection options, summary, listing.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>

#include "test_util.hpp"

namespace vqfuse::test {
namespace {

using nlohmann::json;

struct Pair {
  TempDir dir;
  std::string ref, dis;
  explicit Pair(int frames = 6, int bd = 8) {
    ref = dir.file("ref.y4m");
    dis = dir.file("dis.y4m");
    write_y4m(ref, make_info(24, 16, bd), frames, noise_fn(1, bd, 0));
    write_y4m(dis, make_info(24, 16, bd), frames, noise_fn(1, bd, 6));
  }
};

TEST(ExtractCli, JsonFollowsLibvmafSchema) {
  Pair p;
  const std::string out = p.dir.file("o.json");
  const auto r = run_cli({"extract", "-r", p.ref, "-d", p.dis, "--feature",
                          "psnr=enable_mse=true:enable_apsnr=true", "--feature", "float_psnr", "--json", "-o", out});
  ASSERT_EQ(r.rc, 0) << r.err;
  const json j = json::parse(read_file(out));
  ASSERT_TRUE(j.contains("version"));
  ASSERT_TRUE(j["fps"].is_number());
  ASSERT_EQ(j["frames"].size(), 6u);
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(j["frames"][i]["frameNum"], i);
    const json& m = j["frames"][i]["metrics"];
    for (const char* k : {"psnr_y", "psnr_cb", "psnr_cr", "mse_y", "mse_cb", "mse_cr", "float_psnr"})
      EXPECT_TRUE(m.contains(k)) << k;
  }
  const json& pooled = j["pooled_metrics"]["psnr_y"];
  for (const char* k : {"min", "max", "mean", "harmonic_mean"}) EXPECT_TRUE(pooled[k].is_number()) << k;
  // mean is the plain mean of the per-frame values, harmonic_mean is libvmaf's n/sum(1/(x+1))-1
  double sum = 0, isum = 0;
  for (const auto& f : j["frames"]) {
    sum += f["metrics"]["psnr_y"].get<double>();
    isum += 1.0 / (f["metrics"]["psnr_y"].get<double>() + 1.0);
  }
  EXPECT_EQ(pooled["mean"].get<double>(), sum / 6);
  EXPECT_EQ(pooled["harmonic_mean"].get<double>(), 6 / isum - 1.0);
  EXPECT_TRUE(j["aggregate_metrics"]["apsnr_y"].is_number());
}

TEST(ExtractCli, NumbersRoundTripAtFullPrecision) {
  Pair p;
  const std::string out = p.dir.file("o.json");
  ASSERT_EQ(run_cli({"extract", "-r", p.ref, "-d", p.dis, "--feature", "psnr=enable_mse=true", "-o", out}).rc, 0);
  const std::string text = read_file(out);
  const json j = json::parse(text);
  // mse_y = SSE / 384 has a long binary expansion; the text must read back exactly.
  const double mse = j["frames"][0]["metrics"]["mse_y"].get<double>();
  const size_t pos = text.find("\"mse_y\": ");
  const double parsed = std::strtod(text.c_str() + pos + 9, nullptr);
  EXPECT_EQ(mse, parsed);
  EXPECT_EQ(std::fmod(mse * 384, 1.0), 0.0) << "mse * n_pixels must be the integer SSE";
}

TEST(ExtractCli, CsvAndXmlFollowLibvmafLayout) {
  Pair p(3);
  const std::string csv = p.dir.file("o.csv"), xml = p.dir.file("o.xml");
  ASSERT_EQ(run_cli({"extract", "-r", p.ref, "-d", p.dis, "--feature", "psnr", "--csv", "-o", csv}).rc, 0);
  const std::string c = read_file(csv);
  EXPECT_EQ(c.substr(0, c.find('\n')), "Frame,psnr_y,psnr_cb,psnr_cr,");
  EXPECT_EQ(std::count(c.begin(), c.end(), '\n'), 4);
  ASSERT_EQ(run_cli({"extract", "-r", p.ref, "-d", p.dis, "--feature", "psnr", "-o", xml}).rc, 0);
  const std::string x = read_file(xml);
  EXPECT_EQ(x.rfind("<VMAF version=", 0), 0u);
  EXPECT_NE(x.find("<frame frameNum=\"2\" psnr_y=\""), std::string::npos);
  EXPECT_NE(x.find("<metric name=\"psnr_cr\" min=\""), std::string::npos);
  EXPECT_NE(x.find("</VMAF>"), std::string::npos);
}

TEST(ExtractCli, SummaryOnStdoutWithoutOutputFile) {
  Pair p(2);
  const auto r = run_cli({"extract", "-r", p.ref, "-d", p.dis, "--feature", "psnr"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("2 frames, 24x16 420 8-bit"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("psnr_y"), std::string::npos);
}

TEST(ExtractCli, JsonToStdout) {
  Pair p(2);
  const auto r = run_cli({"extract", "-r", p.ref, "-d", p.dis, "--feature", "psnr", "--json", "-o", "-", "-q"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["frames"].size(), 2u);
}

std::vector<double> column(const json& j, const char* name) {
  std::vector<double> v;
  for (const auto& f : j["frames"]) v.push_back(f["metrics"][name].get<double>());
  return v;
}

TEST(ExtractCli, FrameSelection) {
  Pair p(6);
  const std::string all = p.dir.file("all.json"), sel = p.dir.file("sel.json");
  ASSERT_EQ(run_cli({"extract", "-r", p.ref, "-d", p.dis, "--feature", "psnr", "-o", all}).rc, 0);
  const auto full = column(json::parse(read_file(all)), "psnr_y");
  // --subsample 2: frames 0, 2, 4 with their own numbers
  ASSERT_EQ(run_cli({"extract", "-r", p.ref, "-d", p.dis, "--feature", "psnr", "--subsample", "2", "-o", sel}).rc, 0);
  json j = json::parse(read_file(sel));
  ASSERT_EQ(j["frames"].size(), 3u);
  EXPECT_EQ(j["frames"][1]["frameNum"], 2);
  EXPECT_EQ(column(j, "psnr_y"), (std::vector<double>{full[0], full[2], full[4]}));
  // --frame-cnt 4 (both accepted spellings)
  ASSERT_EQ(run_cli({"extract", "-r", p.ref, "-d", p.dis, "--feature", "psnr", "--frame_cnt", "4", "-o", sel}).rc, 0);
  EXPECT_EQ(column(json::parse(read_file(sel)), "psnr_y"), std::vector<double>(full.begin(), full.begin() + 4));
  // skipping the same number on both sides shifts the sequence
  ASSERT_EQ(run_cli({"extract", "-r", p.ref, "-d", p.dis, "--feature", "psnr", "--frame-skip-ref", "2",
                     "--frame-skip-dist", "2", "-o", sel}).rc, 0);
  EXPECT_EQ(column(json::parse(read_file(sel)), "psnr_y"), std::vector<double>(full.begin() + 2, full.end()));
  // unequal skips with --frame-cnt: compares ref frame n+1 with dis frame n
  ASSERT_EQ(run_cli({"extract", "-r", p.ref, "-d", p.dis, "--feature", "psnr", "--frame-skip-ref", "1",
                     "--frame-cnt", "5", "-o", sel}).rc, 0);
  EXPECT_EQ(json::parse(read_file(sel))["frames"].size(), 5u);
}

TEST(ExtractCli, RawYuvWithLibvmafFlags) {
  TempDir d;
  const VideoInfo info = make_info(10, 6, 10, Chroma::k422);
  write_yuv(d.file("r.yuv"), info, 2, noise_fn(5, 10, 0));
  write_yuv(d.file("d.yuv"), info, 2, noise_fn(5, 10, 3));
  write_y4m(d.file("r.y4m"), info, 2, noise_fn(5, 10, 0));
  write_y4m(d.file("d.y4m"), info, 2, noise_fn(5, 10, 3));
  ASSERT_EQ(run_cli({"extract", "-r", d.file("r.yuv"), "-d", d.file("d.yuv"), "-w", "10", "-h", "6", "-p", "422",
                     "-b", "10", "--feature", "psnr", "-o", d.file("a.json")}).rc, 0);
  ASSERT_EQ(run_cli({"extract", "-r", d.file("r.y4m"), "-d", d.file("d.y4m"), "--feature", "psnr", "-o",
                     d.file("b.json")}).rc, 0);
  EXPECT_EQ(json::parse(read_file(d.file("a.json")))["frames"], json::parse(read_file(d.file("b.json")))["frames"]);
}

TEST(ExtractCli, ListFeaturesComesFromTheTable) {
  const auto r = run_cli({"extract", "--list-features"});
  ASSERT_EQ(r.rc, 0);
  EXPECT_NE(r.out.find("psnr: "), std::string::npos);
  EXPECT_NE(r.out.find("option enable_mse (bool, default false)"), std::string::npos);
  EXPECT_NE(r.out.find("mse_y   [enable_mse=true]"), std::string::npos);
  EXPECT_NE(r.out.find("integer_vif_scale0"), std::string::npos);
}

TEST(ExtractCli, UsageErrorsExitTwo) {
  EXPECT_EQ(run_cli({"extract", "--no-such-flag"}).rc, 2);
  EXPECT_EQ(run_cli({}).rc, 2);
  const auto r = run_cli({"extract", "-r", "a.y4m"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("required"), std::string::npos);
  EXPECT_EQ(run_cli({"extract", "--cpu", "mmx", "-r", "a", "-d", "b"}).rc, 2);
}

}  // namespace
}  // namespace vqfuse::test
