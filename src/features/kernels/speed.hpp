// Hot loops of SpEED-QA (speed_chroma, speed_temporal): the vertical pass of the anti-alias
// Gaussian on the rows the 16x decimation keeps, and the 25x25 covariance of 5x5 neighbourhoods.
//
// Both keep libvmaf's arithmetic lane by lane, so every SIMD target equals the scalar reference
// bit for bit and the results equal libvmaf's plain C path:
//  - filter: per column, a float sum over the taps in tap order starting from 0, separate
//    multiply and add (no FMA);
//  - covariance: one double accumulator per pair of neighbourhood offsets, summed over the window
//    in raster order (libvmaf's compute_cov_kernel_scalar); SIMD runs across the pairs, never
//    across the window, so no sum is reassociated.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vqfuse::kernels {

// Side of the SpEED neighbourhood (5x5 blocks) and the number of offsets in it.
inline constexpr int kSpeedBlock = 5;
inline constexpr int kSpeedDim = kSpeedBlock * kSpeedBlock;
// Row stride (doubles) of the covariance accumulator array: kSpeedDim rounded up to a multiple of
// every vector length, so a row can be updated in whole vectors.
inline constexpr int kSpeedCovStride = 32;

// out[x] = sum_t taps[t] * v_t[x] for x < n, where
//   v_t[x] = float(int32(a[t][x]) - (b ? int32(b[t][x]) : bias)) * scale.
// With scale = 2^-(bpc-8) this is exactly libvmaf's picture_copy value (v / 2^(bpc-8) + offset)
// for bias = 128 * 2^(bpc-8), and exactly the difference of two such values for a second plane b.
void speed_vfilter_u16(const uint16_t* const* a, const uint16_t* const* b, int32_t bias,
                       float scale, const float* taps, int ntaps, float* out, size_t n);

// out[x] = sum_t taps[t] * rows[t][x] (float rows, same summation order).
void speed_vfilter_f32(const float* const* rows, const float* taps, int ntaps, float* out,
                       size_t n);

// Covariance sums of the 25 shifted windows. For offset k = 5 * r + c, x_k(i, j) =
// double(data[(i + r) * stride + j + c]) - mean[k], over the window i < sub_h, j < sub_w.
// Adds sum_{i,j} x_a * x_b (raster order) to acc[a * kSpeedCovStride + b] for every b <= a;
// acc must hold kSpeedDim * kSpeedCovStride doubles, zeroed by the caller. Entries with b > a are
// scratch. The data must be readable up to row sub_h + 3, column sub_w + 3.
void speed_cov_accumulate(const float* data, ptrdiff_t stride, int sub_w, int sub_h,
                          const double* mean, double* acc);

namespace ref {
void speed_vfilter_u16(const uint16_t* const* a, const uint16_t* const* b, int32_t bias,
                       float scale, const float* taps, int ntaps, float* out, size_t n);
void speed_vfilter_f32(const float* const* rows, const float* taps, int ntaps, float* out,
                       size_t n);
void speed_cov_accumulate(const float* data, ptrdiff_t stride, int sub_w, int sub_h,
                          const double* mean, double* acc);
}  // namespace ref

}  // namespace vqfuse::kernels
