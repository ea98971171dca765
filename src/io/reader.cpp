// The reader table: probe, validate, unpack.
#include <cstring>

#include "io/file.hpp"
#include "io/reader.hpp"

namespace vqfuse::io {

bool unpack_row(const uint8_t* src, uint16_t* dst, int width, int bit_depth) {
  if (bit_depth == 8) {
    for (int x = 0; x < width; ++x) dst[x] = src[x];
    return true;
  }
  std::memcpy(dst, src, static_cast<size_t>(width) * 2);  // little-endian host (x86-64, arm64)
  if (bit_depth == 16) return true;
  uint16_t any = 0;
  const uint16_t over = static_cast<uint16_t>(~((1u << bit_depth) - 1));
  for (int x = 0; x < width; ++x) any |= dst[x] & over;
  return any == 0;
}

Result<void> validate_geometry(const VideoInfo& info, const std::string& path) {
  if (info.width <= 0 || info.height <= 0)
    return Error(Errc::kParse,
                 "invalid dimensions " + std::to_string(info.width) + "x" + std::to_string(info.height),
                 path);
  if (info.width > kMaxDimension || info.height > kMaxDimension ||
      int64_t{info.width} * info.height > kMaxPixels)
    return Error(Errc::kUnsupported,
                 "dimensions " + std::to_string(info.width) + "x" + std::to_string(info.height) +
                     " exceed the limit (" + std::to_string(kMaxDimension) + " per side, " +
                     std::to_string(kMaxPixels) + " pixels)",
                 path);
  if (info.bit_depth != 8 && info.bit_depth != 10 && info.bit_depth != 12 && info.bit_depth != 16)
    return Error(Errc::kUnsupported,
                 "unsupported bit depth " + std::to_string(info.bit_depth) + " (supported: 8 10 12 16)",
                 path);
  return {};
}

namespace {
bool has_suffix(const std::string& s, std::string_view suf) {
  return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}
}  // namespace

Result<std::unique_ptr<VideoReader>> open_video(const std::string& path, const RawFormat& raw) {
  if (raw.given()) return open_raw(path, raw);
  InputFile f;
  VQ_TRY(f.open(path));
  char head[9] = {};
  const size_t n = f.read(head, sizeof head);
  f.close();
  if (n == sizeof head && std::memcmp(head, "YUV4MPEG2", 9) == 0) return open_y4m(path);
  if (has_suffix(path, ".y4m"))
    return Error(Errc::kParse, "not a YUV4MPEG2 file (no 'YUV4MPEG2' magic)", path, -1, "header");
  if (has_suffix(path, ".yuv"))
    return Error(Errc::kInvalidArgument,
                 "raw .yuv input needs -w/--width, -h/--height, -p/--pixel_format and -b/--bitdepth",
                 path);
  if (n == 0) return Error(Errc::kParse, "empty file", path);
  if (have_ffmpeg()) return open_ffmpeg(path);
  return Error(Errc::kUnsupported,
               "not Y4M and this build has no FFmpeg support for containers (rebuild with "
               "libavformat-dev, or convert to .y4m)",
               path);
}

}  // namespace vqfuse::io
