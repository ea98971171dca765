#include <gtest/gtest.h>

#include "io/reader.hpp"
#include "test_util.hpp"

namespace vqfuse::test {
namespace {

TEST(YuvReader, ReadsPlanarFramesWithGivenGeometry) {
  TempDir tmp;
  for (int bd : {8, 10, 12, 16}) {
    for (Chroma c : {Chroma::k420, Chroma::k422, Chroma::k444, Chroma::k400}) {
      VideoInfo info = make_info(7, 5, bd, c);
      const std::string path = tmp.file("a.yuv");
      auto fn = noise_fn(3, bd);
      write_yuv(path, info, 3, fn);
      const std::string pf = c == Chroma::k400 ? "400" : chroma_name(c);
      auto r = io::open_video(path, {7, 5, pf, bd});
      ASSERT_TRUE(r.ok()) << r.error().to_string();
      Frame f;
      for (int n = 0; n < 3; ++n) {
        ASSERT_TRUE(r.value()->read(f).value());
        for (int p = 0; p < info.plane_count(); ++p)
          for (int y = 0; y < info.plane_height(p); ++y)
            for (int x = 0; x < info.plane_width(p); ++x)
              ASSERT_EQ(f.plane(p).row(y)[x], fn(n, p, x, y)) << bd << " " << pf;
      }
      EXPECT_FALSE(r.value()->read(f).value());
    }
  }
}

TEST(YuvReader, RejectsSizeThatIsNotAWholeNumberOfFrames) {
  TempDir tmp;
  const std::string path = tmp.file("a.yuv");
  write_file(path, std::string(100, 'x'));
  auto r = io::open_video(path, {4, 4, "420", 8});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not a multiple"), std::string::npos) << r.error().to_string();
}

TEST(YuvReader, NeedsGeometryForDotYuv) {
  TempDir tmp;
  const std::string path = tmp.file("a.yuv");
  write_file(path, std::string(24, 'x'));
  auto r = io::open_video(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
  auto bad = io::open_video(path, {4, 4, "411", 8});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("unknown pixel format"), std::string::npos);
  auto depth = io::open_video(path, {4, 4, "420", 9});
  ASSERT_FALSE(depth.ok());
  EXPECT_NE(depth.error().message.find("bit depth"), std::string::npos);
}

}  // namespace
}  // namespace vqfuse::test
