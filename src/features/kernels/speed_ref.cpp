// Scalar reference (the specification) of speed.hpp.
#include "features/kernels/speed.hpp"

namespace vqfuse::kernels::ref {

void speed_vfilter_u16(const uint16_t* const* a, const uint16_t* const* b, int32_t bias,
                       float scale, const float* taps, int ntaps, float* out, size_t n) {
  for (size_t x = 0; x < n; ++x) {
    float acc = 0.0f;
    for (int t = 0; t < ntaps; ++t) {
      const int32_t sub = b ? static_cast<int32_t>(b[t][x]) : bias;
      const float v = static_cast<float>(static_cast<int32_t>(a[t][x]) - sub) * scale;
      acc += taps[t] * v;
    }
    out[x] = acc;
  }
}

void speed_vfilter_f32(const float* const* rows, const float* taps, int ntaps, float* out,
                       size_t n) {
  for (size_t x = 0; x < n; ++x) {
    float acc = 0.0f;
    for (int t = 0; t < ntaps; ++t) acc += taps[t] * rows[t][x];
    out[x] = acc;
  }
}

void speed_cov_accumulate(const float* data, ptrdiff_t stride, int sub_w, int sub_h,
                          const double* mean, double* acc) {
  // Pair by pair, exactly libvmaf's compute_cov_kernel_scalar loop.
  for (int a = 0; a < kSpeedDim; ++a) {
    const float* xa = data + (a / kSpeedBlock) * stride + a % kSpeedBlock;
    for (int b = 0; b <= a; ++b) {
      const float* xb = data + (b / kSpeedBlock) * stride + b % kSpeedBlock;
      double s = acc[a * kSpeedCovStride + b];
      for (int i = 0; i < sub_h; ++i)
        for (int j = 0; j < sub_w; ++j)
          s += (static_cast<double>(xa[i * stride + j]) - mean[a]) *
               (static_cast<double>(xb[i * stride + j]) - mean[b]);
      acc[a * kSpeedCovStride + b] = s;
    }
  }
}

}  // namespace vqfuse::kernels::ref
