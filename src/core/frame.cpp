#include "vqfuse/frame.hpp"

#include <algorithm>

namespace vqfuse {

const char* chroma_name(Chroma c) {
  switch (c) {
    case Chroma::k400: return "400";
    case Chroma::k420: return "420";
    case Chroma::k422: return "422";
    case Chroma::k444: return "444";
  }
  return "?";
}

int VideoInfo::plane_width(int p) const {
  if (p == 0 || chroma == Chroma::k444) return width;
  if (chroma == Chroma::k400) return 0;
  return (width + 1) / 2;
}

int VideoInfo::plane_height(int p) const {
  if (p == 0) return height;
  switch (chroma) {
    case Chroma::k400: return 0;
    case Chroma::k420: return (height + 1) / 2;
    default: return height;
  }
}

size_t VideoInfo::frame_samples() const {
  size_t n = 0;
  for (int p = 0; p < plane_count(); ++p)
    n += static_cast<size_t>(plane_width(p)) * static_cast<size_t>(plane_height(p));
  return n;
}

std::string VideoInfo::describe() const {
  return std::to_string(width) + "x" + std::to_string(height) + " " + chroma_name(chroma) + " " +
         std::to_string(bit_depth) + "-bit";
}

void Frame::reset(const VideoInfo& info) {
  info_ = info;
  // Rows padded to 32 samples (64 bytes) so SIMD loads of a whole row stay inside the plane.
  constexpr ptrdiff_t kAlign = 32;
  size_t total = 0;
  ptrdiff_t strides[3] = {0, 0, 0};
  for (int p = 0; p < info.plane_count(); ++p) {
    strides[p] = (info.plane_width(p) + kAlign - 1) / kAlign * kAlign;
    total += static_cast<size_t>(strides[p]) * static_cast<size_t>(info.plane_height(p));
  }
  storage_.assign(total + kAlign, 0);
  uint16_t* base = storage_.data();
  // Align the first plane to 64 bytes.
  auto addr = reinterpret_cast<uintptr_t>(base);
  base += ((64 - addr % 64) % 64) / sizeof(uint16_t);
  for (int p = 0; p < 3; ++p) {
    if (p >= info.plane_count()) {
      planes_[p] = {};
      continue;
    }
    planes_[p] = {base, strides[p], info.plane_width(p), info.plane_height(p)};
    base += strides[p] * info.plane_height(p);
  }
}

}  // namespace vqfuse
