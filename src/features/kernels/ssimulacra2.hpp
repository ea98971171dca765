// Kernels of SSIMULACRA 2 (features/ssimulacra2.cpp): YUV -> linear sRGB, linear sRGB -> XYB,
// 2x2 box downsampling, the 3-pole recursive Gaussian (horizontal pass per row, vertical pass per
// band) and the SSIM / edge-difference map reductions.
//
// Every kernel evaluates each value with the same float operations in the same order as the
// scalar reference (ref::), so the SIMD versions are bit-identical to it on every target; the
// reductions use 16 virtual double lanes (pixel x -> lane x % 16), so they are too.
//
// "Q16" rows hold the 15 per-pixel quantities the blur needs, interleaved: pixel x occupies the
// 16 floats at q16 + 16 * x, lane c * 5 + k for colour channel c (X, Y, B) and
// k = 0: ref, 1: dis, 2: ref * ref, 3: dis * dis, 4: ref * dis; lane 15 is 0. The horizontal
// recursion then runs along x with 16 independent lanes per step.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vqfuse::kernels {

inline constexpr int kS2Lanes = 16;        // floats per Q16 pixel, virtual reduction lanes
inline constexpr int kS2Quantities = 15;   // used lanes of a Q16 pixel
inline constexpr int kS2Stats = 6;         // per channel: ssim l1, l4, artifact l1, l4, detail l1, l4
inline constexpr int kS2StripPixels = 16;  // pixels per vertical-pass strip (one reduction block)

// libjxl's opsin absorbance matrix (lib/jxl/cms/opsin_params.h) and bias; the diagonal terms are
// 1 minus the row's other two, computed in float (s2_opsin_diagonal()).
inline constexpr float kS2M00 = 0.30f, kS2M02 = 0.078f;
inline constexpr float kS2M10 = 0.23f, kS2M12 = 0.078f;
inline constexpr float kS2M20 = 0.24342268924547819f, kS2M21 = 0.20476744424496821f;
inline constexpr float kS2OpsinBias = 0.0037930732552754493f;
inline constexpr float kS2C2 = 0.0009f;  // SSIM stabiliser (tools/ssimulacra2.cc kC2)

// The fork's YUV -> R'G'B' constants, all computed in float as it does (see ssimulacra2.cpp).
struct S2YuvParams {
  float inv_peak = 0;  // 1 / (2^bpc - 1)
  float y_off = 0;     // 16/255 (limited) or 0
  float y_scale = 1;   // 255/219 (limited) or 1
  float c_off = 0.5f;
  float c_scale = 1;   // 255/224 (limited) or 1
  float cr_r = 0, cb_g = 0, cr_g = 0, cb_b = 0;
};
// kr, kg, kb: luma coefficients of the matrix (BT.709: 0.2126, 0.7152, 0.0722).
S2YuvParams s2_yuv_params(float kr, float kg, float kb, bool limited, int bit_depth);

// Coefficients of the recursive Gaussian (Charalampidis 2016, as libjxl CreateRecursiveGaussian).
struct S2Gauss {
  float n2[3] = {};
  float d1[3] = {};
  int radius = 0;
};
S2Gauss s2_gauss(double sigma);

// sRGB EOTF table: 1024 entries (plus a copy of the last, so that i + 1 is always valid) of ((v + 0.055) / 1.055)^2.4 (v / 12.92 at v <= 0.04045) for
// v = i / 1023, evaluated in double and rounded to float (the fork's ssimulacra2_eotf_lut.h).
inline constexpr int kS2EotfSize = 1024;
const float* s2_eotf_table();
// The same as (lut[i], lut[i + 1]) float pairs in 64-bit words, for one gather per lookup.
const uint64_t* s2_eotf_pairs();

// The fork's cube root: exponent bit trick then two Newton steps in float (scalar definition;
// the XYB kernels inline the same operations).
float s2_cbrt(float x);

// Dispatched (Highway) kernels. n = pixels of the row.
// y, u, v: codes of one row; pixel x takes chroma u[x >> chroma_shift] (nearest-neighbour
// upsampling of 4:2:0 / 4:2:2 with shift 1); u == nullptr: neutral chroma (4:0:0). Writes
// linear R, G, B in [0, 1].
void s2_yuv_to_linear_row(const uint16_t* y, const uint16_t* u, const uint16_t* v,
                          int chroma_shift, size_t n, const S2YuvParams& p, float* r, float* g,
                          float* b);
// Linear RGB -> XYB with libjxl's MakePositiveXYB offsets.
void s2_xyb_row(const float* r, const float* g, const float* b, size_t n, float* x, float* y,
                float* bo);
// out[i] = (((r0[2i] + r0[2i+1]) + r1[2i]) + r1[2i+1]) * 0.25 for i < (n + 1) / 2, the last
// column repeated when n is odd.
void s2_downsample_row(const float* r0, const float* r1, size_t n, float* out);
// Products of the XYB rows (ref[c], dis[c]) into a Q16 row of n pixels.
void s2_products_row(const float* const ref[3], const float* const dis[3], size_t n, float* q16);
// Horizontal recursive Gaussian of Q16 rows, resumable: runs the recursion steps
// x = begin .. end-1 (begin = 1 - radius starts a row, with the state zero), storing out[x] for
// x >= 0, and reads in[x - radius - 1] and in[x + radius - 1] (the caller keeps pixels outside
// the image zero: libjxl's zero boundary). state: kS2HState floats (prev1[3], prev2[3] per lane)
// read before and written after, so a row can be processed in column stripes with identical
// results. Two rows per call (in1, out1, state1 may be null).
inline constexpr int kS2HState = 6 * kS2Lanes;
void s2_hblur_rows(const S2Gauss& g, const float* in0, const float* in1, ptrdiff_t begin,
                   ptrdiff_t end, float* out0, float* out1, float* state0, float* state1);

// One band of the vertical recursive Gaussian over one strip of kS2StripPixels pixels, followed
// by the SSIM and edge maps of its output rows.
struct S2Band {
  size_t steps = 0;      // recursion steps of the band
  size_t first_out = 0;  // steps before this one only warm the state up (rows < 0)
  // Per step: the horizontal-blur Q16 rows entering the recursion (row n - radius - 1 and
  // n + radius - 1, zero rows outside the image).
  const float* const* left = nullptr;
  const float* const* right = nullptr;
  // Per output step (index step - first_out): 6 XYB rows (ref X, Y, B, dis X, Y, B) for the
  // edge maps.
  const float* const* xyb = nullptr;
  size_t x0 = 0;      // first pixel of the strip in those rows
  size_t pixels = 0;  // valid pixels of the strip (<= kS2StripPixels); the rest is not counted
  // The edge map subtracts |xyb - mu| in float, except from raster index (row * width + x)
  // `wide_from` on, where it subtracts in double: the fork's AVX-512 kernel handles the last
  // (w * h) % 16 pixels of a plane in its scalar tail, which does. row0: image row of the first
  // output step; col0: image column of pixel 0 of the rows above (x = col0 + x0 + pixel).
  size_t row0 = 0;
  size_t col0 = 0;
  size_t width = 0;
  size_t wide_from = SIZE_MAX;
};
// state: 6 * kS2StripPixels * kS2Lanes floats (prev1[3], prev2[3]) carried between bands.
// acc: 3 channels x kS2Stats x kS2Lanes doubles, added to.
void s2_vblur_maps_strip(const S2Gauss& g, const S2Band& band, float* state, double* acc);

namespace ref {
void s2_yuv_to_linear_row(const uint16_t* y, const uint16_t* u, const uint16_t* v,
                          int chroma_shift, size_t n, const S2YuvParams& p, float* r, float* g,
                          float* b);
void s2_xyb_row(const float* r, const float* g, const float* b, size_t n, float* x, float* y,
                float* bo);
void s2_downsample_row(const float* r0, const float* r1, size_t n, float* out);
void s2_products_row(const float* const ref[3], const float* const dis[3], size_t n, float* q16);
void s2_hblur_row(const S2Gauss& g, const float* in, ptrdiff_t begin, ptrdiff_t end, float* out,
                  float* state);
void s2_vblur_maps_strip(const S2Gauss& g, const S2Band& band, float* state, double* acc);
}  // namespace ref

}  // namespace vqfuse::kernels
