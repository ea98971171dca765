// float_vif's optional frame rescaling before VIF (libvmaf vif_tools.c vif_scale_frame_s, options
// vif_prescale / vif_prescale_method). Scalar: it only runs for non-default options.
#pragma once

#include <cstddef>
#include <string_view>

namespace vqfuse::kernels {

enum class VifPrescaleMethod { kNearest, kBilinear, kBicubic, kLanczos4 };

// "nearest", "bilinear", "bicubic", "lanczos4"; false for anything else.
bool vif_prescale_method(std::string_view name, VifPrescaleMethod& out);

// Resamples src (src_w x src_h) to dst (dst_w x dst_h) with libvmaf's arithmetic (mirrored
// borders, pixel-centre alignment except for nearest). Same size: a plain copy.
void vif_prescale(VifPrescaleMethod m, const float* src, ptrdiff_t src_stride, int src_w,
                  int src_h, float* dst, ptrdiff_t dst_stride, int dst_w, int dst_h);

}  // namespace vqfuse::kernels
