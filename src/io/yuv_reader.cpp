// Raw planar YUV reader (-w W -h H -p 420|422|444|400 -b 8|10|12|16, little-endian above 8 bit),
// with libvmaf's flag spellings. Frames are back to back; a partial last frame is an error.
#include <vector>

#include "io/file.hpp"
#include "io/reader.hpp"

namespace vqfuse::io {
namespace {

class YuvReader final : public VideoReader {
 public:
  Result<void> open(const std::string& path, const RawFormat& fmt) {
    path_ = path;
    if (fmt.width <= 0 || fmt.height <= 0 || fmt.pixel_format.empty() || fmt.bit_depth == 0)
      return Error(Errc::kInvalidArgument,
                   "raw YUV input needs -w/--width, -h/--height, -p/--pixel_format and "
                   "-b/--bitdepth",
                   path);
    info_.width = fmt.width;
    info_.height = fmt.height;
    info_.bit_depth = fmt.bit_depth;
    const std::string& p = fmt.pixel_format;
    if (p == "420" || p == "yuv420p")
      info_.chroma = Chroma::k420;
    else if (p == "422" || p == "yuv422p")
      info_.chroma = Chroma::k422;
    else if (p == "444" || p == "yuv444p")
      info_.chroma = Chroma::k444;
    else if (p == "400" || p == "gray")
      info_.chroma = Chroma::k400;
    else
      return Error(Errc::kInvalidArgument,
                   "unknown pixel format '" + p + "' (supported: 420 422 444 400)", path,
                   -1, "-p/--pixel_format");
    VQ_TRY(validate_geometry(info_, path_));
    VQ_TRY(file_.open(path));
    frame_bytes_ = info_.frame_samples() * (info_.bit_depth > 8 ? 2 : 1);
    if (file_.size() >= 0 && file_.size() % static_cast<long long>(frame_bytes_) != 0)
      return Error(Errc::kParse,
                   "size " + std::to_string(file_.size()) + " bytes is not a multiple of the " +
                       info_.describe() + " frame size (" + std::to_string(frame_bytes_) +
                       " bytes): wrong -w/-h/-p/-b, or a truncated file",
                   path_);
    return {};
  }

  const char* kind() const override { return "yuv"; }

  Result<bool> read(Frame& out) override {
    const int64_t n = frames_read_;
    buf_.resize(frame_bytes_);
    const size_t got = file_.read(buf_.data(), frame_bytes_);
    if (got == 0 && !file_.error()) return false;
    if (got != frame_bytes_)
      return Error(Errc::kParse,
                   "expected " + std::to_string(frame_bytes_) + " bytes, got " +
                       std::to_string(got) + " (file truncated?)",
                   path_, n, "frame payload");
    if (!out.info().same_geometry(info_) || out.plane(0).data == nullptr) out.reset(info_);
    const uint8_t* src = buf_.data();
    const int bytes = info_.bit_depth > 8 ? 2 : 1;
    for (int p = 0; p < info_.plane_count(); ++p) {
      PlaneU16 pl = out.plane(p);
      for (int y = 0; y < pl.height; ++y) {
        if (!unpack_row(src, pl.row(y), pl.width, info_.bit_depth))
          return Error(Errc::kParse,
                       "sample above the " + std::to_string(info_.bit_depth) +
                           "-bit range in plane " + std::to_string(p) + " row " + std::to_string(y) +
                           " (wrong -b?)",
                       path_, n, "frame payload");
        src += static_cast<size_t>(pl.width) * bytes;
      }
    }
    ++frames_read_;
    return true;
  }

 private:
  InputFile file_;
  size_t frame_bytes_ = 0;
  std::vector<uint8_t> buf_;
};

}  // namespace

Result<std::unique_ptr<VideoReader>> open_raw(const std::string& path, const RawFormat& fmt) {
  auto r = std::make_unique<YuvReader>();
  VQ_TRY(r->open(path, fmt));
  return std::unique_ptr<VideoReader>(std::move(r));
}

}  // namespace vqfuse::io
