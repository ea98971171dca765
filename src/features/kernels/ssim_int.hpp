// Integer SSIM kernels ("ssim" of the lusoris/vmaf fork, integer_ssim.c, itself the Xiph/Daala
// fixed-point SSIM): 9-tap integer Gaussian (sigma 1.5, weights summing to 256) applied
// separably to the five moments of the raw samples, windows clipped at the borders (the
// weight sum of the in-bounds taps goes with each window), then a per-pixel SSIM in double.
//
// The moments are integers below 2^49 at 16 bit, so the kernels keep them in double: every
// sum is exact in any order and the SIMD code equals the fork's int64 arithmetic. The
// per-pixel formula follows the fork's operation order; the frame sum uses 16 virtual lanes
// and per-row partials.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vqfuse/frame.hpp"

namespace vqfuse::kernels {

inline constexpr int kIntSsimTaps = 9;
// gaussian_filter_init(sigma 1.5, max_len 5) of the fork: round(256 * N(0, 1.5)(k)) for the
// outer taps and 256 minus their sum in the centre.
inline constexpr int kIntSsimKernel[kIntSsimTaps] = {2, 9, 28, 55, 68, 55, 28, 9, 2};

enum IntSsimMoment { kIMuX, kIMuY, kIX2, kIXY, kIY2, kIntSsimMoments };

// Horizontal pass over a strip of n outputs: a, b hold the n + 8 samples around it (zeros
// outside the plane, which reproduces the fork's clipped windows); writes n outputs of each
// moment. `scratch` holds 5 * (n + 8) values.
void int_ssim_h_row(const uint16_t* a, const uint16_t* b, size_t n,
                    double* const out[kIntSsimMoments], double* scratch);
// Vertical pass and SSIM terms of n outputs of one row: rows[m][k] is horizontal row y - 4 + k
// of moment m (an all-zero row outside the plane), wx[i] the in-bounds horizontal weight sum, wy
// the vertical one; k1s / k2s = samplemax^2 * K1 / K2. Adds the weighted SSIM term of output i
// to lanes[i % 16], in increasing i (strips of a row starting at multiples of 16 accumulate
// exactly as the whole row would).
void int_ssim_v_row(const double* const rows[kIntSsimMoments][kIntSsimTaps], const double* wx,
                    double wy, size_t n, double k1s, double k2s, double* lanes);

// The same two passes for bit depth <= 8, where every moment fits uint32 (x^2 sums reach
// 255^2 * 2^16 < 2^32): 16 integer lanes per AVX-512 vector instead of 8 double lanes.
void int_ssim_h_row_u8(const uint16_t* a, const uint16_t* b, size_t n,
                       uint32_t* const out[kIntSsimMoments], uint32_t* scratch);
void int_ssim_v_row_u8(const uint32_t* const rows[kIntSsimMoments][kIntSsimTaps], const double* wx,
                       double wy, size_t n, double k1s, double k2s, double* lanes);

namespace ref {
void int_ssim_h_row(const uint16_t* a, const uint16_t* b, size_t n,
                    double* const out[kIntSsimMoments], double* scratch);
void int_ssim_v_row(const double* const rows[kIntSsimMoments][kIntSsimTaps], const double* wx,
                    double wy, size_t n, double k1s, double k2s, double* lanes);
void int_ssim_h_row_u8(const uint16_t* a, const uint16_t* b, size_t n,
                       uint32_t* const out[kIntSsimMoments], uint32_t* scratch);
void int_ssim_v_row_u8(const uint32_t* const rows[kIntSsimMoments][kIntSsimTaps], const double* wx,
                       double wy, size_t n, double k1s, double k2s, double* lanes);
}  // namespace ref

// The fork's calc_ssim on one plane pair (any size >= 1x1, bit depth 8..16).
double int_ssim(CPlaneU16 a, CPlaneU16 b, int bit_depth);

namespace ref {
// Transcription of the fork's loops (int64 moments, raster order), the drivers' specification.
double int_ssim(CPlaneU16 a, CPlaneU16 b, int bit_depth);
}  // namespace ref

// The per-pixel SSIM term in the fork's operation order (shared by the scalar code paths).
inline double int_ssim_term(double mux, double muy, double x2, double xy, double y2, double w_d,
                            double k1s, double k2s) {
  const double c1 = k1s * w_d * w_d;
  const double c2 = k2s * w_d * w_d;
  const double mx2 = mux * mux;
  const double mxy = mux * muy;
  const double my2 = muy * muy;
  return w_d * (2 * mxy + c1) * (c2 + 2 * (xy * w_d - mxy)) /
         ((mx2 + my2 + c1) * (x2 * w_d - mx2 + y2 * w_d - my2 + c2));
}

// samplemax^2 * K1 and * K2 as the fork evaluates them: samplemax * samplemax in int (wrapping
// at 16 bit, where the fork's product overflows), times the double constant.
double int_ssim_k1s(int bit_depth);
double int_ssim_k2s(int bit_depth);

}  // namespace vqfuse::kernels
