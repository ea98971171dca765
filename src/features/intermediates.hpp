// Shared per-frame intermediates. Each key is one exact recipe (libvmaf converts luma to float
// with a -128 offset for adm, vif, ansnr and float_motion, and without for psnr, ssim, ms_ssim
// and moment: two keys, never one), so sharing never changes a number.
#pragma once

#include "core/image.hpp"
#include "features/extractor.hpp"

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

}  // namespace vqfuse::features
