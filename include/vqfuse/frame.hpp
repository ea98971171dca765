// Video geometry and decoded pictures.
//
// Every sample is stored as uint16_t whatever the bit depth: one code path for 8..16 bit, and
// the extra bandwidth for 8-bit input is small next to the feature kernels. Chroma planes of
// subsampled formats are ceil(w/2) x ceil(h/2) (4:2:0) as Y4M and FFmpeg write them; libvmaf's
// own reader uses floor sizes and cannot read odd-size Y4M.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace vqfuse {

enum class Chroma : uint8_t { k400, k420, k422, k444 };

enum class ColorRange : uint8_t { kLimited, kFull };
// Matrix of the Y'CbCr -> R'G'B' conversion, when the container says it.
enum class ColorMatrix : uint8_t { kUnspecified, kBt601, kBt709, kBt2020 };

const char* chroma_name(Chroma c);  // "420", "422", "444", "400"

struct VideoInfo {
  int width = 0;
  int height = 0;
  int bit_depth = 8;  // 8, 10, 12 or 16
  Chroma chroma = Chroma::k420;
  ColorRange range = ColorRange::kLimited;
  ColorMatrix matrix = ColorMatrix::kUnspecified;
  int fps_num = 25;
  int fps_den = 1;

  int plane_count() const { return chroma == Chroma::k400 ? 1 : 3; }
  int plane_width(int p) const;   // ceil(w/2) for subsampled chroma
  int plane_height(int p) const;  // ceil(h/2) for 4:2:0 chroma
  size_t frame_samples() const;   // samples of all planes
  // "1920x1080 420 8-bit"
  std::string describe() const;
  bool same_geometry(const VideoInfo& o) const {
    return width == o.width && height == o.height && bit_depth == o.bit_depth &&
           chroma == o.chroma;
  }
};

// A non-owning view of one plane. stride is in samples.
template <class T>
struct PlaneView {
  T* data = nullptr;
  ptrdiff_t stride = 0;
  int width = 0;
  int height = 0;
  T* row(int y) const { return data + static_cast<ptrdiff_t>(y) * stride; }
};

using PlaneU16 = PlaneView<uint16_t>;
using CPlaneU16 = PlaneView<const uint16_t>;

// A decoded picture: up to three planes in one allocation, rows padded to 64 bytes.
class Frame {
 public:
  Frame() = default;
  explicit Frame(const VideoInfo& info) { reset(info); }
  void reset(const VideoInfo& info);

  const VideoInfo& info() const { return info_; }
  PlaneU16 plane(int p) { return planes_[p]; }
  CPlaneU16 plane(int p) const {
    const PlaneU16& v = planes_[p];
    return {v.data, v.stride, v.width, v.height};
  }

 private:
  VideoInfo info_;
  std::vector<uint16_t> storage_;
  PlaneU16 planes_[3];
};

}  // namespace vqfuse
