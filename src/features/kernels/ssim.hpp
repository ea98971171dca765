// Float SSIM kernels (libvmaf's IQA port: iqa/ssim_tools.c, convolve.c, decimate.c) for
// float_ssim and float_ms_ssim.
//
// libvmaf filters with a separable 11-tap Gaussian over the "valid" region only (no border
// handling: the map is (w-10) x (h-10)); every tap product is rounded to float and the 11
// products are summed in double, then rounded to float once per pass. The kernels here keep
// exactly that arithmetic (float multiply, double add in tap order, float result), so every
// SSIM map value is bit-identical to libvmaf's C code; only the order of the final sum over the
// map differs (16 virtual lanes and per-row partials, see docs/ADDING_AN_EXTRACTOR.md), which
// moves the double sums by ~1e-16 relative before they are rounded to float as libvmaf does.
//
// Row kernels (dispatched Highway code, scalar twins in namespace ref) and plane drivers (row
// bands in parallel, per-row sums added in row order: identical for any thread count).
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/image.hpp"

namespace vqfuse::kernels {

inline constexpr int kSsimTaps = 11;   // Gaussian window, sigma 1.5
inline constexpr int kSsimLanes = 16;  // virtual accumulator lanes of the map sums
inline constexpr int kLpfTaps = 9;     // MS-SSIM 9/7 biorthogonal low-pass

// The five filtered moment planes of SSIM, in this order.
enum SsimMoment { kMuA, kMuB, kAA, kBB, kAB, kSsimMoments };

// libvmaf's 1-D Gaussian (sigma 1.5, 11 taps; iqa/ssim_tools.h g_gaussian_window_h).
extern const float kSsimGaussian[kSsimTaps];
// libvmaf's 2-D 9/7 biorthogonal low-pass used to decimate MS-SSIM scales (ms_ssim.c g_lpf);
// its values are rounded on their own, so it is not the outer product of the 1-D filter.
extern const float kMsSsimLpf[kLpfTaps][kLpfTaps];
// Stabilising constants of _iqa_ssim with K1 = 0.01, K2 = 0.03, L = 255 (float arithmetic).
float ssim_c1();
float ssim_c2();

// Sums over one row of the SSIM map: luminance, contrast, structure and their product.
struct SsimRowSums {
  double l = 0, c = 0, s = 0, lcs = 0;
};

// Combines 16 lane sums in a fixed pairwise order.
double sum_lanes16(const double* v);

// Horizontal pass of one input row: a, b hold n + 10 samples; writes n outputs of each moment
// (out[kMuA] = G*a, ..., out[kAB] = G*(a*b)). `scratch` holds 3 * (n + 10) floats.
void ssim_h_row(const float* a, const float* b, size_t n, float* const out[kSsimMoments],
                float* scratch);
// Vertical pass of one output row plus the SSIM terms: rows[m][v] is horizontal row v (0..10)
// of moment m; n outputs. Pixel x adds to virtual lane x % 16.
SsimRowSums ssim_v_row(const float* const rows[kSsimMoments][kSsimTaps], size_t n);
// One output row of the MS-SSIM low-pass decimation by 2. even[v] / odd[v] are the even and odd
// samples of the mirror-padded input row 2y + v - 4 (padded[j] = row[mirror(j - 4)]), each with
// n + 4 valid entries; out[x] sums the 81 products of the window centred on column 2x.
void ms_ssim_decimate_row(const float* const even[kLpfTaps], const float* const odd[kLpfTaps],
                          size_t n, float* out);
// acc[j] += (double)(row[j] * k) for j < n (box decimation of float_ssim, column sums); with
// `first` acc[j] = 0.0 + (double)(row[j] * k).
void ssim_box_accumulate(const float* row, size_t n, float k, bool first, double* acc);

namespace ref {
void ssim_h_row(const float* a, const float* b, size_t n, float* const out[kSsimMoments],
                float* scratch);
SsimRowSums ssim_v_row(const float* const rows[kSsimMoments][kSsimTaps], size_t n);
void ms_ssim_decimate_row(const float* const even[kLpfTaps], const float* const odd[kLpfTaps],
                          size_t n, float* out);
void ssim_box_accumulate(const float* row, size_t n, float k, bool first, double* acc);
}  // namespace ref

// ---- Plane drivers -------------------------------------------------------------------------

// Means of the SSIM map, rounded to float as libvmaf returns them.
struct SsimMeans {
  float l = 0, c = 0, s = 0, ssim = 0;
};

using CPlaneF = PlaneView<const float>;

// _iqa_ssim with the default arguments on two planes of equal size (both >= 11 x 11).
SsimMeans ssim_means(CPlaneF a, CPlaneF b);
// _iqa_decimate by `factor` with libvmaf's box low-pass 1/factor^2 (float_ssim's `scale`):
// output (w/f + (w&1)) x (h/f + (h&1)), symmetric borders. Bit-identical to libvmaf for
// samples that are multiples of 2^-8 below 256 (kLumaF32 at any bit depth), where the sum is
// exact in any order; the driver sums columns first.
ImageF ssim_box_decimate(CPlaneF img, int factor);
// _iqa_decimate by 2 with the 9x9 low-pass (one MS-SSIM scale step), symmetric borders.
ImageF ms_ssim_decimate(CPlaneF img);

// Size of one decimation step as libvmaf computes it: n / f + (n & 1).
inline int ssim_decimated_size(int n, int factor) { return n / factor + (n & 1); }
// libvmaf's automatic float_ssim scale: max(1, round(min(w, h) / 256)).
int ssim_auto_scale(int w, int h);

namespace ref {
// Whole-plane transcriptions of libvmaf's loops (the specification of the drivers above).
SsimMeans ssim_means(CPlaneF a, CPlaneF b);
ImageF ssim_box_decimate(CPlaneF img, int factor);
ImageF ms_ssim_decimate(CPlaneF img);
}  // namespace ref

}  // namespace vqfuse::kernels
