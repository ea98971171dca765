// Scalar reference (the specification) of float_ansnr.hpp.
#include "features/kernels/float_ansnr.hpp"

namespace vqfuse::kernels {

// Weights of libvmaf's ansnr_tools.c (double quotients rounded to float).
#define VQ_W(k) static_cast<float>(k / 571.0)
const float kAnsnrDisFilter[25] = {
    VQ_W(2),  VQ_W(7),  VQ_W(12),  VQ_W(7),  VQ_W(2),   //
    VQ_W(7),  VQ_W(31), VQ_W(52),  VQ_W(31), VQ_W(7),   //
    VQ_W(12), VQ_W(52), VQ_W(127), VQ_W(52), VQ_W(12),  //
    VQ_W(7),  VQ_W(31), VQ_W(52),  VQ_W(31), VQ_W(7),   //
    VQ_W(2),  VQ_W(7),  VQ_W(12),  VQ_W(7),  VQ_W(2)};
#undef VQ_W
const float kAnsnrRefFilter[9] = {1.0f / 16, 2.0f / 16, 1.0f / 16, 2.0f / 16, 4.0f / 16,
                                  2.0f / 16, 1.0f / 16, 2.0f / 16, 1.0f / 16};

namespace ref {

void ansnr_filter_ref_row(const float* const rows[3], float* out, size_t w) {
  const auto n = static_cast<ptrdiff_t>(w);
  for (ptrdiff_t x = 0; x < n; ++x) out[x] = ansnr_ref_pixel(rows, x, n);
}

void ansnr_filter_dis_row(const float* const rows[5], float* out, size_t w) {
  const auto n = static_cast<ptrdiff_t>(w);
  for (ptrdiff_t x = 0; x < n; ++x) out[x] = ansnr_dis_pixel(rows, x, n);
}

void ansnr_load_row(const uint16_t* src, float* dst, size_t n, float inv_scale) {
  for (size_t i = 0; i < n; ++i) dst[i] = static_cast<float>(src[i]) * inv_scale - 128.0f;
}

}  // namespace ref
}  // namespace vqfuse::kernels
