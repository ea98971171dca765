#include "features/intermediates.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <new>
#include <vector>

#include "core/parallel.hpp"
#ifdef __linux__
#include <sys/mman.h>
#endif
#include "features/kernels/ssimulacra2.hpp"

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

// ---- linear sRGB (ssimulacra2) ----
namespace {

// Recycles the 6-plane buffers of LinearRgbPair by size.
class PlaneStore {
 public:
  std::shared_ptr<float> get(size_t floats) {
    float* p = nullptr;
    {
      std::lock_guard lock(mu_);
      for (size_t i = 0; i < free_.size(); ++i)
        if (free_[i].second == floats) {
          p = free_[i].first;
          free_.erase(free_.begin() + static_cast<ptrdiff_t>(i));
          break;
        }
    }
    if (!p) {
      // 2 MiB aligned and marked for transparent huge pages: a 1080p pair is ~50 MB, and
      // faulting it in 4 KiB pages costs more than converting a frame.
      constexpr size_t kHuge = size_t{2} << 20;
      const size_t bytes = (floats * sizeof(float) + kHuge - 1) / kHuge * kHuge;
      p = static_cast<float*>(std::aligned_alloc(kHuge, bytes));
      if (!p) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
      madvise(p, bytes, MADV_HUGEPAGE);
#endif
    }
    return std::shared_ptr<float>(p, [this, floats](float* q) { put(q, floats); });
  }

 private:
  static constexpr size_t kMaxFree = 16;
  void put(float* p, size_t floats) {
    std::lock_guard lock(mu_);
    if (free_.size() >= kMaxFree) {
      std::free(free_.front().first);
      free_.erase(free_.begin());
    }
    free_.emplace_back(p, floats);
  }
  std::mutex mu_;
  std::vector<std::pair<float*, size_t>> free_;
};

PlaneStore& plane_store() {
  static auto* store = new PlaneStore;  // never destroyed: frames may outlive static teardown
  return *store;
}

void build_linear_srgb_image(const Frame& frame, const kernels::S2YuvParams& params,
                             const PlaneView<float>* rgb) {
  const VideoInfo& v = frame.info();
  const bool gray = v.chroma == Chroma::k400;
  const int shift = v.chroma == Chroma::k420 || v.chroma == Chroma::k422 ? 1 : 0;
  const bool sub_y = v.chroma == Chroma::k420;
  for_each_tile(v.height, kTileRows, [&](int, int y0, int y1) {
    for (int y = y0; y < y1; ++y) {
      const uint16_t* u = nullptr;
      const uint16_t* w = nullptr;
      if (!gray) {
        const CPlaneU16 cb = frame.plane(1), cr = frame.plane(2);
        const int cy = std::min(sub_y ? y >> 1 : y, cb.height - 1);
        u = cb.row(cy);
        w = cr.row(cy);
      }
      kernels::s2_yuv_to_linear_row(frame.plane(0).row(y), u, w, shift,
                                    static_cast<size_t>(v.width), params, rgb[0].row(y),
                                    rgb[1].row(y), rgb[2].row(y));
    }
  });
}

template <YuvMatrix kMatrix, bool kFull>
LinearRgbPair build_linear_srgb(FrameCtx& f) {
  static constexpr float kCoef[3][3] = {
      {0.2126f, 0.7152f, 0.0722f}, {0.299f, 0.587f, 0.114f}, {0.2627f, 0.678f, 0.0593f}};
  const float* k = kCoef[static_cast<int>(kMatrix)];
  const VideoInfo& v = f.info();
  const kernels::S2YuvParams params = kernels::s2_yuv_params(k[0], k[1], k[2], !kFull, v.bit_depth);
  // Rows padded to 64 bytes, plus one spare row as ImageF: SIMD tails may load past a row.
  const ptrdiff_t stride = (v.width + 15) / 16 * 16;
  const size_t plane = static_cast<size_t>(stride) * static_cast<size_t>(v.height);
  LinearRgbPair p;
  p.storage = plane_store().get(6 * plane + static_cast<size_t>(stride));
  PlaneView<float> planes[6];
  for (int i = 0; i < 6; ++i) {
    planes[i] = {p.storage.get() + static_cast<size_t>(i) * plane, stride, v.width, v.height};
    (i < 3 ? p.ref[i] : p.dis[i - 3]) = {planes[i].data, stride, v.width, v.height};
  }
  build_linear_srgb_image(f.ref(), params, planes);
  build_linear_srgb_image(f.dis(), params, planes + 3);
  return p;
}

const Intermediate<LinearRgbPair> kLinearSrgb[3][2] = {
    {{"linear_srgb_nn_lut1024_bt709_limited", build_linear_srgb<YuvMatrix::kBt709, false>},
     {"linear_srgb_nn_lut1024_bt709_full", build_linear_srgb<YuvMatrix::kBt709, true>}},
    {{"linear_srgb_nn_lut1024_bt601_limited", build_linear_srgb<YuvMatrix::kBt601, false>},
     {"linear_srgb_nn_lut1024_bt601_full", build_linear_srgb<YuvMatrix::kBt601, true>}},
    {{"linear_srgb_nn_lut1024_bt2020_limited", build_linear_srgb<YuvMatrix::kBt2020, false>},
     {"linear_srgb_nn_lut1024_bt2020_full", build_linear_srgb<YuvMatrix::kBt2020, true>}}};

}  // namespace

const Intermediate<LinearRgbPair>& linear_srgb_key(YuvMatrix matrix, bool full_range) {
  return kLinearSrgb[static_cast<int>(matrix)][full_range ? 1 : 0];
}

// ---- SSIM (float_ssim, float_ms_ssim) ----
const Intermediate<kernels::SsimMeans> kLumaSsim("luma_ssim_gauss11", [](FrameCtx& f) {
  const PlanePairF& p = f.get(kLumaF32);
  return kernels::ssim_means(p.ref.view(), p.dis.view());
});

}  // namespace vqfuse::features
