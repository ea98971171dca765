// Kernels of integer VIF (libvmaf integer_vif.c): the fixed-point Gaussian filters, the
// per-pixel statistic with its Q11 log2 look-up table, and the filter-and-decimate step between
// scales. Every value is an integer except the gain g and sv_sq, which libvmaf computes in double
// per pixel (one IEEE division, one multiply-subtract without FMA): the results are exact and
// independent of summation order, so SIMD, tiling and threads cannot change them.
//
// Row windows: a kernel reads its input through arrays of row pointers in which the caller has
// already applied libvmaf's vertical mirroring (row -i = row i, row h-1+i = row h-1-i); the
// horizontal mirroring is done inside the kernels.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vqfuse::kernels {

inline constexpr int kVifIntMaxTaps = 17;

// The four filters of libvmaf's vif_filter1d_table (17, 9, 5, 3 taps, each summing to 65536).
struct VifIntFilter {
  const uint16_t* coeff;
  int taps;
};
VifIntFilter vif_int_filter(int scale);

// libvmaf's log_generate(): round(log2f(i) * 2048) for i in [32767, 65535] (other entries 0).
const uint16_t* vif_int_log2_table();

// The four accumulators of libvmaf's vif_statistic_*; exact integers.
struct VifIntSums {
  int64_t num_log = 0;      // sum of log2 numerator terms, Q11
  int64_t den_log = 0;      // sum of log2 denominator terms, Q11
  int64_t num_non_log = 0;  // sum of sigma2_sq where sigma1_sq < sigma_nsq
  int64_t den_non_log = 0;  // number of those pixels
  VifIntSums& operator+=(const VifIntSums& o) {
    num_log += o.num_log;
    den_log += o.den_log;
    num_non_log += o.num_non_log;
    den_non_log += o.den_non_log;
    return *this;
  }
  bool operator==(const VifIntSums&) const = default;
};

struct VifIntStatsArgs {
  // n_rows + taps - 1 row pointers each: the window of output row r is rows[r .. r + taps).
  const uint16_t* const* ref_rows;
  const uint16_t* const* dis_rows;
  int n_rows = 0;
  int width = 0;  // >= taps / 2 + 1
  VifIntFilter filter{};
  int mu_shift = 16;  // vertical rounding shift of the means: bpc at scale 0, else 16
  int sq_shift = 16;  // of the second moments: 2 * (bpc - 8) at scale 0, else 16
  double gain_limit = 100.0;
};
// Sums of the statistic over the output rows of one band.
VifIntSums vif_int_stats(const VifIntStatsArgs& a);

struct VifIntDecimateArgs {
  // 2 * (n_out - 1) + taps row pointers each: output row r filters rows[2r .. 2r + taps).
  const uint16_t* const* ref_rows;
  const uint16_t* const* dis_rows;
  int n_out = 0;
  int width = 0;  // input width; width / 2 samples are written per row
  VifIntFilter filter{};
  int v_shift = 16;  // vertical rounding shift: bpc from scale 0, else 16
  uint16_t* ref_out = nullptr;
  uint16_t* dis_out = nullptr;
  ptrdiff_t out_stride = 0;
};
// Filters with the next scale's filter and keeps every second sample of every second row.
void vif_int_decimate(const VifIntDecimateArgs& a);

namespace ref {
VifIntSums vif_int_stats(const VifIntStatsArgs& a);
void vif_int_decimate(const VifIntDecimateArgs& a);
}  // namespace ref

}  // namespace vqfuse::kernels
