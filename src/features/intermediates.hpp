// Shared per-frame intermediates. Each key is one exact recipe (libvmaf converts luma to float
// with a -128 offset for adm, vif, ansnr and float_motion, and without for psnr, ssim, ms_ssim
// and moment: two keys, never one), so sharing never changes a number.
#pragma once

#include "core/image.hpp"
#include "features/extractor.hpp"
#include "features/kernels/ssim.hpp"

namespace vqfuse::features {

struct PlanePairF {
  ImageF ref;
  ImageF dis;
};

// Luma as float on libvmaf's 8-bit scale: v / 2^(bpc-8) (libvmaf picture_copy, offset 0).
extern const Intermediate<PlanePairF> kLumaF32;
// The same minus 128 (picture_copy offset -128).
extern const Intermediate<PlanePairF> kLumaF32Minus128;

// libvmaf's picture_copy of one plane: float(v) / scaler + offset, scaler = 2^(bpc-8).
void copy_plane_to_float(CPlaneU16 src, int bit_depth, float offset, ImageF& dst);

// YUV -> linear sRGB, the recipe of the lusoris/vmaf fork's ssimulacra2 (all float): chroma
// upsampled by nearest neighbour (x >> 1, y >> 1); every code times 1/(2^bpc - 1); limited
// range Y' = (y - 16/255) * 255/219 and C = (c - 1/2) * 255/224, full range Y' = y and
// C = c - 1/2; R'G'B' by the inverse of the matrix's kr, kg, kb (BT.709 0.2126/0.7152/0.0722,
// BT.601 0.299/0.587/0.114, BT.2020 0.2627/0.678/0.0593), clamped to [0, 1]; then the sRGB EOTF
// through a 1024-entry table with linear interpolation (kernels/ssimulacra2.hpp). 4:0:0 input
// has neutral chroma. One key per matrix and range, e.g. "linear_srgb_nn_lut1024_bt709_limited".
// The planes live in recycled storage (no page faults for a fresh 6-plane frame each time).
enum class YuvMatrix : uint8_t { kBt709, kBt601, kBt2020 };
struct LinearRgbPair {
  PlaneView<const float> ref[3];  // R, G, B
  PlaneView<const float> dis[3];
  std::shared_ptr<float> storage;
};
const Intermediate<LinearRgbPair>& linear_srgb_key(YuvMatrix matrix, bool full_range);

// SSIM of kLumaF32 at full resolution (libvmaf _iqa_ssim: 11x11 Gaussian, valid region):
// float_ssim when its scale resolves to 1 and float_ms_ssim's scale 0 compute exactly this.
extern const Intermediate<kernels::SsimMeans> kLumaSsim;

}  // namespace vqfuse::features
