// Whole-plane motion computations built from the row kernels of motion.hpp, split into fixed
// row bands (for_each_tile) so the result does not depend on the thread count.
#pragma once

#include <cstdint>

#include "core/image.hpp"
#include "vqfuse/frame.hpp"

namespace vqfuse::kernels {

// libvmaf's fused integer motion SAD (integer_motion.c): sum over the plane of
// |blur(prev - cur)| in the Q16 fixed-point pipeline of motion.hpp. Planes of equal size.
uint64_t integer_motion_sad(CPlaneU16 prev, CPlaneU16 cur, int bpc);

// Float motion blur of one plane: picture_copy(offset -128) then the separable filter
// `filt` (3 or 5 taps) with mirrored edges, exactly as libvmaf's convolution_f32_c_s. `out` is
// reused when it already has the plane's size.
void motion_blur_plane(CPlaneU16 src, int bpc, const float* filt, int taps, ImageF& out);

// motion_mean_abs_diff(blur(a), blur(b)) fused: both blurs are made row by row inside each
// band and never stored, so only the two source planes are read from memory.
float motion_blur_mean_abs_diff(CPlaneU16 a, CPlaneU16 b, int bpc, const float* filt, int taps);

// libvmaf vmaf_image_sad_c without scale 1: float sum of |a - b| per row (left to right), the
// row sums added in float from top to bottom, divided by float(w * h).
float motion_mean_abs_diff(const ImageF& a, const ImageF& b);

// libvmaf vif_scale_frame_s(vif_scale_bilinear) to dw x dh (copy when the size is unchanged);
// `dst` is reused when it already has that size.
void motion_scale_bilinear(const ImageF& src, int dw, int dh, ImageF& dst);

}  // namespace vqfuse::kernels
