// Row kernels of the float ADM (libvmaf "float_adm", Netflix/vmaf f85a853 adm.c and
// adm_tools.c). Every per-pixel value follows libvmaf's float (and, where libvmaf mixes in a
// double constant, double) arithmetic in the same operation order, without FMA; the one
// per-pixel difference is the decoupling ratio, an exact division where libvmaf multiplies by an
// SSE reciprocal estimate refined once. Sums are left to sum16(), which is deterministic on every
// target. Bands are indexed h, v, d.
#pragma once

#include <cstdint>

namespace vqfuse::kernels::admf {

// Vertical pass of the db2 DWT (float taps) for one output row; `hi` may be null. The u16
// variant converts samples as libvmaf's picture_copy: v / 2^(bpc-8) - 128.
void dwt_vert_u16(const uint16_t* const rows[4], int n, int bpc, float* lo, float* hi);
void dwt_vert(const float* const rows[4], int n, float* lo, float* hi);
// Horizontal pass for columns [j0, j1); `src` points at element -1 of a mirror-padded row
// (see admi::dwt_hori). Either output may be null.
void dwt_hori(const float* src, int j0, int j1, float* out_lo, float* out_hi);

// Decoupling into restored (r) and additive (a) parts with the enhancement gain limit.
void decouple(const float* const o[3], const float* const t[3], int n, float gain_limit,
              float* const r[3], float* const a[3]);

// CSF of one band: mag = |rf * x| and flt = mag / 30 as libvmaf rounds them.
void csf(const float* src, int n, float rf, float* mag, float* flt);

// Per-pixel terms of the denominator: |rf * x|^3, or |rf * x| when !cube (p-norm != 3: the
// caller raises to p).
void den_terms(const float* src, int n, float rf, bool cube, float* out);

// Per-pixel contrast-masked terms of one row for the three bands: x = |rf * src| - thr clipped
// at 0, cubed when `cube`. thr is libvmaf's 3x3 sum over the three bands of flt (rows above,
// centre, below; pointers at column 0 of the span, element -1 and n readable) with the centre
// replaced by mag / 15; zero when `bypass`.
struct CmRows {
  const float* src[3];
  const float* mag[3];   // centre row
  const float* above[3];
  const float* center[3];
  const float* below[3];
};
void cm_terms(const CmRows& rows, int n, const float rf[3], bool bypass, bool cube,
              float* const out[3]);

// Sum of n floats in double: value i goes to accumulator i % 16 in order, the 16 accumulators
// are added pairwise (0+8, 1+9, ..., then 0+4, ..., 0+2, 0+1). Identical on every target.
double sum16(const float* v, int n);

namespace ref {
void dwt_vert_u16(const uint16_t* const rows[4], int n, int bpc, float* lo, float* hi);
void dwt_vert(const float* const rows[4], int n, float* lo, float* hi);
void dwt_hori(const float* src, int j0, int j1, float* out_lo, float* out_hi);
void decouple(const float* const o[3], const float* const t[3], int n, float gain_limit,
              float* const r[3], float* const a[3]);
void csf(const float* src, int n, float rf, float* mag, float* flt);
void den_terms(const float* src, int n, float rf, bool cube, float* out);
void cm_terms(const CmRows& rows, int n, const float rf[3], bool bypass, bool cube,
              float* const out[3]);
double sum16(const float* v, int n);
}  // namespace ref

}  // namespace vqfuse::kernels::admf
