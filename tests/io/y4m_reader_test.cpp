#include <gtest/gtest.h>

#include <fstream>

#include "io/reader.hpp"
#include "test_util.hpp"

namespace vqfuse::test {
namespace {

struct HeaderCase {
  std::string header;  // after "YUV4MPEG2 "
  Chroma chroma;
  int bit_depth;
  int w, h;
  int chroma_w, chroma_h;
};

class Y4mHeader : public ::testing::TestWithParam<HeaderCase> {};

TEST_P(Y4mHeader, ParsesGeometryAndReadsFrames) {
  const HeaderCase& c = GetParam();
  TempDir tmp;
  const std::string path = tmp.file("a.y4m");
  VideoInfo info = make_info(c.w, c.h, c.bit_depth, c.chroma);
  // Write with the explicit header under test.
  {
    std::ofstream os(path, std::ios::binary);
    os << "YUV4MPEG2 " << c.header << "\n";
    for (int f = 0; f < 2; ++f) {
      os << (f == 0 ? "FRAME\n" : "FRAME Ixyz Xfoo=1\n");
      for (int p = 0; p < info.plane_count(); ++p)
        for (int y = 0; y < info.plane_height(p); ++y)
          for (int x = 0; x < info.plane_width(p); ++x) {
            const uint16_t v = static_cast<uint16_t>((x + 2 * y + 3 * p + f) % 200);
            os.put(static_cast<char>(v & 0xff));
            if (c.bit_depth > 8) os.put(static_cast<char>(v >> 8));
          }
    }
  }
  auto r = io::open_video(path);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  auto& reader = *r.value();
  EXPECT_EQ(reader.info().width, c.w);
  EXPECT_EQ(reader.info().height, c.h);
  EXPECT_EQ(reader.info().bit_depth, c.bit_depth);
  EXPECT_EQ(reader.info().chroma, c.chroma);
  EXPECT_EQ(reader.info().plane_width(1), c.chroma_w);
  EXPECT_EQ(reader.info().plane_height(1), c.chroma_h);
  Frame f;
  for (int n = 0; n < 2; ++n) {
    auto got = reader.read(f);
    ASSERT_TRUE(got.ok()) << got.error().to_string();
    ASSERT_TRUE(got.value());
    const int last_p = info.plane_count() - 1;
    const auto pl = f.plane(last_p);
    const int x = pl.width - 1, y = pl.height - 1;
    EXPECT_EQ(pl.row(y)[x], (x + 2 * y + 3 * last_p + n) % 200) << "frame " << n;
  }
  auto end = reader.read(f);
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end.value());
}

INSTANTIATE_TEST_SUITE_P(
    Tags, Y4mHeader,
    ::testing::Values(
        HeaderCase{"W16 H8 F25:1 Ip A1:1 C420jpeg XYSCSS=420JPEG", Chroma::k420, 8, 16, 8, 8, 4},
        HeaderCase{"W16 H8 F30000:1001 C420paldv", Chroma::k420, 8, 16, 8, 8, 4},
        HeaderCase{"W16 H8 C420mpeg2 XCOLORRANGE=LIMITED", Chroma::k420, 8, 16, 8, 8, 4},
        HeaderCase{"W16 H8 C420", Chroma::k420, 8, 16, 8, 8, 4},
        HeaderCase{"W16 H8", Chroma::k420, 8, 16, 8, 8, 4},  // no C: 420jpeg
        HeaderCase{"W333 H197 F25:1 Ip A1:1 C420jpeg XYSCSS=420JPEG XCOLORRANGE=LIMITED",
                   Chroma::k420, 8, 333, 197, 167, 99},  // odd size: ceil chroma
        HeaderCase{"W15 H7 C420p10 XYSCSS=420P10", Chroma::k420, 10, 15, 7, 8, 4},
        HeaderCase{"W16 H8 C420p12", Chroma::k420, 12, 16, 8, 8, 4},
        HeaderCase{"W16 H8 C420p16", Chroma::k420, 16, 16, 8, 8, 4},
        HeaderCase{"W17 H9 C422", Chroma::k422, 8, 17, 9, 9, 9},
        HeaderCase{"W16 H8 C422p10", Chroma::k422, 10, 16, 8, 8, 8},
        HeaderCase{"W5 H3 C444 It", Chroma::k444, 8, 5, 3, 5, 3},
        HeaderCase{"W16 H8 C444p12 Ib A0:0", Chroma::k444, 12, 16, 8, 16, 8},
        HeaderCase{"W16 H8 C444p16", Chroma::k444, 16, 16, 8, 16, 8},
        HeaderCase{"W16 H8 Cmono", Chroma::k400, 8, 16, 8, 0, 0},
        HeaderCase{"W16 H8 Cmono16", Chroma::k400, 16, 16, 8, 0, 0},
        HeaderCase{"W1 H1 C420jpeg", Chroma::k420, 8, 1, 1, 1, 1}));

struct BadCase {
  std::string name;
  std::string content;
  std::string expect;  // substring of the error
  int64_t frame;       // expected frame in the error, -1 none
};

class Y4mBad : public ::testing::TestWithParam<BadCase> {};

TEST_P(Y4mBad, FailsWithClearError) {
  const BadCase& c = GetParam();
  TempDir tmp;
  const std::string path = tmp.file("bad.y4m");
  write_file(path, c.content);
  auto r = io::open_video(path);
  Error err;
  if (r.ok()) {
    Frame f;
    Result<bool> got = true;
    for (int i = 0; i < 10 && got.ok() && got.value(); ++i) got = r.value()->read(f);
    ASSERT_FALSE(got.ok()) << c.name << ": no error";
    err = got.error();
  } else {
    err = r.error();
  }
  EXPECT_NE(err.to_string().find(c.expect), std::string::npos) << c.name << ": " << err.to_string();
  EXPECT_EQ(err.file, path) << c.name;
  EXPECT_EQ(err.frame, c.frame) << c.name << ": " << err.to_string();
}

std::string frame8(int w, int h) { return "FRAME\n" + std::string(size_t(w) * h * 3 / 2, 'x'); }

INSTANTIATE_TEST_SUITE_P(
    Cases, Y4mBad,
    ::testing::Values(
        BadCase{"wrong_magic", "YUV4MPEG3 W4 H4\nFRAME\n", "not a YUV4MPEG2 file", -1},
        BadCase{"truncated_header", "YUV4MPEG2 W4 H4 C420", "truncated header", -1},
        BadCase{"missing_width", "YUV4MPEG2 H4 C420jpeg\n", "missing W", -1},
        BadCase{"zero_width", "YUV4MPEG2 W0 H4\n", "bad width", -1},
        BadCase{"negative_height", "YUV4MPEG2 W4 H-4\n", "bad height", -1},
        BadCase{"junk_dimension", "YUV4MPEG2 W4x H4\n", "bad width", -1},
        BadCase{"huge_dimension", "YUV4MPEG2 W2147483647 H2147483647\n", "bad width", -1},
        BadCase{"too_large", "YUV4MPEG2 W16384 H16384\nFRAME\n", "exceed the limit", -1},
        BadCase{"unknown_colorspace", "YUV4MPEG2 W4 H4 C411\n", "unsupported 'C411'", -1},
        BadCase{"alpha", "YUV4MPEG2 W4 H4 C444alpha\n", "unsupported 'C444alpha'", -1},
        BadCase{"bad_frame_rate", "YUV4MPEG2 W4 H4 F25:0\n", "bad frame rate", -1},
        BadCase{"payload_shorter_than_one_frame", "YUV4MPEG2 W4 H4\nFRAME\nxx", "less than one", -1},
        BadCase{"truncated_second_frame", "YUV4MPEG2 W4 H4\n" + frame8(4, 4) + "FRAME\nxxx",
                "expected 24 bytes, got 3", 1},
        BadCase{"truncated_marker", "YUV4MPEG2 W4 H4\n" + frame8(4, 4) + "FRA", "truncated FRAME header", 1},
        BadCase{"bad_marker", "YUV4MPEG2 W4 H4\n" + frame8(4, 4) + "FRAMX\n" + std::string(24, 'x'),
                "expected 'FRAME'", 1},
        BadCase{"marker_no_newline", "YUV4MPEG2 W4 H4\n" + frame8(4, 4) + "FRAME", "truncated FRAME header", 1},
        BadCase{"sample_out_of_range", "YUV4MPEG2 W2 H2 C420p10\nFRAME\n" + std::string(12, '\xff'),
                "above the 10-bit range", 0}),
    [](const auto& p) { return p.param.name; });

TEST(Y4mReader, MissingFileNamesIt) {
  auto r = io::open_video("/nonexistent/dir/x.y4m");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().file, "/nonexistent/dir/x.y4m");
  EXPECT_NE(r.error().message.find("cannot open"), std::string::npos);
}

TEST(Y4mReader, HighBitDepthIsLittleEndian) {
  TempDir tmp;
  const std::string path = tmp.file("a.y4m");
  VideoInfo info = make_info(2, 2, 10, Chroma::k420);
  write_y4m(path, info, 1, [](int, int p, int x, int y) { return uint16_t(1023 - p * 100 - x - 2 * y); });
  auto r = io::open_video(path);
  ASSERT_TRUE(r.ok());
  Frame f;
  ASSERT_TRUE(r.value()->read(f).value());
  EXPECT_EQ(f.plane(0).row(1)[1], 1023 - 3);
  EXPECT_EQ(f.plane(2).row(0)[0], 1023 - 200);
}

}  // namespace
}  // namespace vqfuse::test
