// Kernels of float_ansnr: libvmaf's two 2-D filters (3x3 on the reference, 5x5 on the
// distorted picture) with its exact float operation order, so every filtered value is
// bit-identical to libvmaf's ansnr_filter2d_s, and the per-row float sums of ansnr_mse_s.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vqfuse::kernels {

// libvmaf's 5x5 distorted-picture filter, {2,7,12,7,2; 7,31,52,31,7; 12,52,127,52,12; ...}/571
// rounded to float, row-major, and its 3x3 reference filter [1 2 1]^T [1 2 1] / 16.
extern const float kAnsnrDisFilter[25];
extern const float kAnsnrRefFilter[9];

// One output row of the 3x3 reference filter ([1 2 1]^T [1 2 1] / 16). rows[k] is the source
// row at vertical offset k-1 (already mirrored by the caller); columns are mirrored as libvmaf
// does (-1 -> 1, w -> w-1). Needs w >= 2.
void ansnr_filter_ref_row(const float* const rows[3], float* out, size_t w);
// One output row of the 5x5 distorted filter; rows[k] at vertical offset k-2. Columns mirror
// -1 -> 1, -2 -> 2, w -> w-1, w+1 -> w-2. Needs w >= 3.
void ansnr_filter_dis_row(const float* const rows[5], float* out, size_t w);
// libvmaf's picture_copy of one row with offset -128: v * inv_scale - 128 (inv_scale =
// 2^-(bpc-8); both steps are exact in float, so this equals float(v) / scaler - 128).
void ansnr_load_row(const uint16_t* src, float* dst, size_t n, float inv_scale);

namespace ref {
void ansnr_filter_ref_row(const float* const rows[3], float* out, size_t w);
void ansnr_filter_dis_row(const float* const rows[5], float* out, size_t w);
void ansnr_load_row(const uint16_t* src, float* dst, size_t n, float inv_scale);
}  // namespace ref

// libvmaf's column mirror for the filters: -i for i < 0, 2w-1-i for i >= w.
inline ptrdiff_t ansnr_mirror(ptrdiff_t i, ptrdiff_t n) { return i < 0 ? -i : (i >= n ? 2 * n - i - 1 : i); }

// One pixel of the 5x5 filter with mirrored columns, in libvmaf's order: each filter row summed
// left to right into a float, the five row sums added top to bottom.
inline float ansnr_dis_pixel(const float* const rows[5], ptrdiff_t x, ptrdiff_t w) {
  float acc = 0;
  for (int fi = 0; fi < 5; ++fi) {
    float inner = 0;
    for (int fj = 0; fj < 5; ++fj)
      inner += kAnsnrDisFilter[fi * 5 + fj] * rows[fi][ansnr_mirror(x + fj - 2, w)];
    acc += inner;
  }
  return acc;
}

// One pixel of the 3x3 filter. Every product and partial sum is exact in float (samples are
// multiples of 2^-8 below 2^8 in magnitude, weights 2^-4 * {1, 2, 4}), so any order gives
// libvmaf's value; this is its order.
inline float ansnr_ref_pixel(const float* const rows[3], ptrdiff_t x, ptrdiff_t w) {
  float acc = 0;
  for (int fi = 0; fi < 3; ++fi) {
    float inner = 0;
    for (int fj = 0; fj < 3; ++fj)
      inner += kAnsnrRefFilter[fi * 3 + fj] * rows[fi][ansnr_mirror(x + fj - 1, w)];
    acc += inner;
  }
  return acc;
}

}  // namespace vqfuse::kernels
