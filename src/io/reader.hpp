// Video readers: Y4M, raw planar YUV and (optionally) anything libavformat/libavcodec decode.
//
// A reader table in the manner of dav1d's demuxers: each entry has a probe on the first bytes of
// the file, and open_video() picks the first that claims it. Raw YUV has no magic, so it is
// chosen by the -w/-h/-p/-b options (or a .yuv extension, which then requires them).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "vqfuse/error.hpp"
#include "vqfuse/frame.hpp"

namespace vqfuse::io {

// Geometry for raw .yuv input, with libvmaf's flag spellings (-w -h -p 420|422|444 -b 8..16).
struct RawFormat {
  int width = 0;
  int height = 0;
  std::string pixel_format;  // "420", "422", "444", "400"
  int bit_depth = 0;
  bool given() const { return width || height || !pixel_format.empty() || bit_depth; }
};

// Largest accepted picture: a corrupt header must not make us allocate gigabytes.
inline constexpr int kMaxDimension = 16384;
inline constexpr int64_t kMaxPixels = int64_t{8192} * 8192;

class VideoReader {
 public:
  virtual ~VideoReader() = default;
  const VideoInfo& info() const { return info_; }
  const std::string& path() const { return path_; }
  // Reads the next frame into `out` (reset to info() when needed). Returns false at a clean end
  // of stream; a truncated or malformed frame is an Error naming the file and the frame.
  virtual Result<bool> read(Frame& out) = 0;
  // Number of frames read so far.
  int64_t frames_read() const { return frames_read_; }
  virtual const char* kind() const = 0;  // "y4m", "yuv", "ffmpeg"

 protected:
  VideoInfo info_;
  std::string path_;
  int64_t frames_read_ = 0;
};

Result<std::unique_ptr<VideoReader>> open_y4m(const std::string& path);
Result<std::unique_ptr<VideoReader>> open_raw(const std::string& path, const RawFormat& fmt);
Result<std::unique_ptr<VideoReader>> open_ffmpeg(const std::string& path);
bool have_ffmpeg();

// Probes the file and opens the right reader.
Result<std::unique_ptr<VideoReader>> open_video(const std::string& path, const RawFormat& raw = {});

// Checks a geometry against kMaxDimension/kMaxPixels and the supported bit depths.
Result<void> validate_geometry(const VideoInfo& info, const std::string& path);

// Converts little-endian samples or bytes of one plane row into uint16_t, checking the range of
// >8-bit samples (values above 2^bit_depth - 1 would break integer kernels).
bool unpack_row(const uint8_t* src, uint16_t* dst, int width, int bit_depth);

}  // namespace vqfuse::io
