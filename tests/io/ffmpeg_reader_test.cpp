// Container input: a losslessly encoded reference decodes to the same samples and features as
// the Y4M it came from, and the reader is chosen by probing, not by the file name.
#include <gtest/gtest.h>

#include <cstdlib>

#include "io/reader.hpp"
#include "test_util.hpp"
#include "vqfuse/extract.hpp"

namespace vqfuse::test {
namespace {

bool have_ffmpeg_cli() { return std::system("ffmpeg -hide_banner -version >/dev/null 2>&1") == 0; }

void encode(const std::string& in, const std::string& args, const std::string& out) {
  const std::string cmd = "ffmpeg -hide_banner -loglevel error -y -i '" + in + "' " + args + " '" + out + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

void expect_same_frames(const std::string& a, const std::string& b) {
  auto ra = io::open_video(a);
  auto rb = io::open_video(b);
  ASSERT_TRUE(ra.ok()) << ra.error().to_string();
  ASSERT_TRUE(rb.ok()) << rb.error().to_string();
  ASSERT_TRUE(ra.value()->info().same_geometry(rb.value()->info()));
  Frame fa, fb;
  int n = 0;
  for (;; ++n) {
    const bool ga = ra.value()->read(fa).value();
    const bool gb = rb.value()->read(fb).value();
    ASSERT_EQ(ga, gb) << "frame count differs at " << n;
    if (!ga) break;
    for (int p = 0; p < fa.info().plane_count(); ++p)
      for (int y = 0; y < fa.plane(p).height; ++y)
        for (int x = 0; x < fa.plane(p).width; ++x)
          ASSERT_EQ(fa.plane(p).row(y)[x], fb.plane(p).row(y)[x]) << "frame " << n << " plane " << p;
  }
  EXPECT_GT(n, 0);
}

class FfmpegReader : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!io::have_ffmpeg()) GTEST_SKIP() << "built without FFmpeg";
    if (!have_ffmpeg_cli()) GTEST_SKIP() << "ffmpeg CLI not installed";
  }
};

TEST_F(FfmpegReader, LosslessContainersMatchY4m) {
  TempDir tmp;
  struct Fmt {
    int bd;
    Chroma c;
    const char* pix;
  } fmts[] = {{8, Chroma::k420, "yuv420p"}, {10, Chroma::k420, "yuv420p10le"}, {8, Chroma::k444, "yuv444p"},
              {8, Chroma::k422, "yuv422p"}, {12, Chroma::k444, "yuv444p12le"}};
  for (const Fmt& f : fmts) {
    const std::string y4m = tmp.file("src.y4m");
    write_y4m(y4m, make_info(35, 19, f.bd, f.c), 4, noise_fn(9, f.bd));
    const std::string mkv = tmp.file("a.mkv");
    encode(y4m, std::string("-c:v ffv1 -pix_fmt ") + f.pix, mkv);
    expect_same_frames(y4m, mkv);
  }
}

TEST_F(FfmpegReader, ProbesContentNotExtension) {
  TempDir tmp;
  const std::string y4m = tmp.file("src.y4m");
  write_y4m(y4m, make_info(32, 16, 8, Chroma::k420), 3, noise_fn(2, 8));
  const std::string mp4 = tmp.file("a.mp4");
  encode(y4m, "-c:v libx264 -qp 0 -pix_fmt yuv420p -threads 1", mp4);
  std::rename(mp4.c_str(), tmp.file("video.bin").c_str());
  expect_same_frames(y4m, tmp.file("video.bin"));
}

TEST_F(FfmpegReader, SemiPlanarIsConvertedLosslessly) {
  TempDir tmp;
  const std::string y4m = tmp.file("src.y4m");
  write_y4m(y4m, make_info(16, 8, 8, Chroma::k420), 2, noise_fn(4, 8));
  const std::string nut = tmp.file("a.nut");
  encode(y4m, "-c:v rawvideo -pix_fmt nv12", nut);
  expect_same_frames(y4m, nut);
}

TEST_F(FfmpegReader, RgbIsRefusedWithAClearMessage) {
  TempDir tmp;
  const std::string y4m = tmp.file("src.y4m");
  write_y4m(y4m, make_info(16, 8, 8, Chroma::k444), 1, noise_fn(4, 8));
  const std::string png = tmp.file("a.png");
  encode(y4m, "-frames:v 1 -pix_fmt rgb24", png);
  auto r = io::open_video(png);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kUnsupported);
  EXPECT_NE(r.error().message.find("not YUV"), std::string::npos) << r.error().to_string();
}

TEST_F(FfmpegReader, CorruptContainerIsAnError) {
  TempDir tmp;
  write_file(tmp.file("junk.mkv"), std::string("\x1a\x45\xdf\xa3 this is not a real matroska file"));
  auto r = io::open_video(tmp.file("junk.mkv"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().file, tmp.file("junk.mkv"));
}

// The check on real content: a golden reference in ffv1/mkv and x264 lossless/mp4 gives
// the same features as the Y4M.
TEST_F(FfmpegReader, GoldenReferenceFeaturesEqualThroughContainers) {
  const std::string dir = shared_dir();
  if (dir.empty()) {
    if (in_ci()) FAIL() << "shared data missing under CI";
    GTEST_SKIP() << "no ../shared";
  }
  TempDir tmp;
  const std::string ref = dir + "/golden/p02_mandelbrot_320x240_420p8.ref.y4m";
  const std::string dis = dir + "/golden/p02_mandelbrot_320x240_420p8.dis.y4m";
  for (const std::string args : {"-c:v ffv1 -pix_fmt yuv420p", "-c:v libx264 -qp 0 -pix_fmt yuv420p -threads 1"}) {
    const std::string out = tmp.file(args.find("ffv1") != std::string::npos ? "ref.mkv" : "ref.mp4");
    encode(ref, args, out);
    auto run = [&](const std::string& r) {
      ExtractConfig cfg;
      cfg.reference = r;
      cfg.distorted = dis;
      cfg.features = {"psnr=enable_mse=true", "float_psnr"};
      FeatureMatrix m;
      FrameSink* s[] = {&m};
      auto res = extract(cfg, s);
      EXPECT_TRUE(res.ok()) << res.error().to_string();
      return m;
    };
    const FeatureMatrix a = run(ref), b = run(out);
    ASSERT_EQ(a.rows.size(), 12u);
    EXPECT_EQ(a.rows, b.rows) << args;
  }
}

}  // namespace
}  // namespace vqfuse::test
