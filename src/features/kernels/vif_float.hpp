// Kernels of float VIF (libvmaf float_vif.c + vif.c + vif_tools.c): separable Gaussian filters in
// float, the per-pixel statistic with libvmaf's polynomial log2 (VIF_OPT_FAST_LOG2), and the
// filter-and-decimate step between scales.
//
// Bit-exactness: libvmaf (C and AVX paths alike) sums every filter tap in tap order starting from
// 0 with a separate multiply and add, evaluates the statistic with the same float/double mix
// per pixel, and adds each row's values sequentially in float (then the row sums in row order,
// done by the caller). These kernels do exactly those operations per pixel, vectorised across
// columns only, so every target produces the same bits as libvmaf.
//
// Row windows: as in vif_int.hpp, input rows come as arrays of row pointers with libvmaf's
// vertical mirroring already applied; horizontal mirroring is internal.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vqfuse::kernels {

inline constexpr int kVifFloatMaxTaps = 127;

// libvmaf vif_get_filter_size / vif_get_filter: a normalised Gaussian of odd size
// max(round_up_to_odd((2^(4-scale) + 1) * kernelscale), 3), sigma = size / 5.
int vif_float_filter_size(int scale, float kernelscale);
void vif_float_filter(int scale, float kernelscale, float* out);

// libvmaf's log2f_approx (degree-8 polynomial of the mantissa, Horner in float).
float vif_log2_approx(float x);

struct VifFloatStatsArgs {
  // n_rows + taps - 1 row pointers each: the window of output row r is rows[r .. r + taps).
  const float* const* ref_rows;
  const float* const* dis_rows;
  int n_rows = 0;
  int width = 0;  // >= taps / 2 + 1
  const float* filter = nullptr;
  int taps = 0;
  double sigma_nsq = 2.0;
  double gain_limit = 100.0;
  // Per output row: libvmaf's accum_inner_num / accum_inner_den (float, added in column order).
  float* num_rows = nullptr;
  float* den_rows = nullptr;
};
void vif_float_stats(const VifFloatStatsArgs& a);

struct VifFloatDecimateArgs {
  // 2 * (n_out - 1) + taps row pointers each: output row r filters rows[2r .. 2r + taps).
  const float* const* ref_rows;
  const float* const* dis_rows;
  int n_out = 0;
  int width = 0;  // input width; width / 2 samples are written per row
  const float* filter = nullptr;
  int taps = 0;
  float* ref_out = nullptr;
  float* dis_out = nullptr;
  ptrdiff_t out_stride = 0;
};
void vif_float_decimate(const VifFloatDecimateArgs& a);

namespace ref {
void vif_float_stats(const VifFloatStatsArgs& a);
void vif_float_decimate(const VifFloatDecimateArgs& a);
}  // namespace ref

}  // namespace vqfuse::kernels
