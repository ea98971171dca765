#include "features/intermediates.hpp"

#include <atomic>

namespace vqfuse::features {

int allocate_intermediate_slot() {
  static std::atomic<int> next{0};
  const int s = next.fetch_add(1);
  if (s >= kMaxIntermediates) std::abort();  // raise kMaxIntermediates
  return s;
}

void copy_plane_to_float(CPlaneU16 src, int bit_depth, float offset, ImageF& dst) {
  dst.reset(src.width, src.height);
  // libvmaf: (float)v / scaler + offset, scaler 1, 4, 16, 256 for 8, 10, 12, 16 bit.
  const float scaler = static_cast<float>(1 << (bit_depth - 8));
  for (int y = 0; y < src.height; ++y) {
    const uint16_t* s = src.row(y);
    float* d = dst.row(y);
    if (bit_depth == 8) {
      for (int x = 0; x < src.width; ++x) d[x] = static_cast<float>(s[x]) + offset;
    } else {
      for (int x = 0; x < src.width; ++x) d[x] = static_cast<float>(s[x]) / scaler + offset;
    }
  }
}

namespace {
PlanePairF build_luma(FrameCtx& f, float offset) {
  PlanePairF p;
  const int bpc = f.info().bit_depth;
  copy_plane_to_float(f.ref().plane(0), bpc, offset, p.ref);
  copy_plane_to_float(f.dis().plane(0), bpc, offset, p.dis);
  return p;
}
}  // namespace

const Intermediate<PlanePairF> kLumaF32("luma_f32", [](FrameCtx& f) { return build_luma(f, 0.f); });
const Intermediate<PlanePairF> kLumaF32Minus128("luma_f32_minus128",
                                                 [](FrameCtx& f) { return build_luma(f, -128.f); });

}  // namespace vqfuse::features
