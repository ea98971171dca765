// Row kernels of the integer ADM (libvmaf "adm"), bit-exact with libvmaf's plain C path
// (Netflix/vmaf f85a853 integer_adm.c).
//
// Every band is held as int32. Scale 0 runs libvmaf's int16 pipeline: its values are int16
// and the kernels wrap results to int16 wherever libvmaf stores into an int16 buffer
// (`wrap16`); scales 1..3 are libvmaf's int32 ("i4") pipeline. Bands are indexed h, v, d
// (libvmaf's theta 0, 1, 2). All sums are integers, so any evaluation order gives the same
// result; SIMD and scalar kernels agree bit for bit.
#pragma once

#include <cstdint>

namespace vqfuse::kernels::admi {

// Vertical pass of the db2 DWT for one output row. `rows` are the four source rows of the
// taps (2i-1 .. 2i+2, mirrored by the caller); `hi` may be null.
// Scale 0 (uint16 samples, bpc 8..12; libvmaf's int16 rows): lo/hi = (int16)((sum f*s -
// 46342*r*[lo] + r) >> bpc) with r = 2^(bpc-1). Scales 1..3: (sum f*s + r) >> shift as int64,
// truncated to int32 (shift 0, 16, 16).
void dwt_vert_s0(const uint16_t* const rows[4], int n, int bpc, int16_t* lo, int16_t* hi);
void dwt_vert_s123(const int32_t* const rows[4], int n, int scale, int32_t* lo, int32_t* hi);

// Horizontal pass for columns [j0, j1) of one band row. `src` points at element -1 of a row
// padded as the DWT mirrors it (src[0] = row[1], row[w] = row[w-1], row[w+1] = row[w-2]);
// output j reads src[2j .. 2j+3]. Either output may be null. Scale 0 rounds with
// (sum + 2^15) >> 16; scales 1..3 (dwt_hori, scale >= 1) with (2^14, 15), (2^15, 16), (2^14, 15).
void dwt_hori_s0(const int16_t* src, int j0, int j1, int32_t* out_lo, int32_t* out_hi);
void dwt_hori(const int32_t* src, int j0, int j1, int scale, int32_t* out_lo, int32_t* out_hi);

// Decoupling of the reference (o) and distorted (t) detail bands into the restored (r) and
// additive (a) parts, libvmaf adm_decouple / adm_decouple_s123 (the two agree on int16 input).
void decouple(const int32_t* const o[3], const int32_t* const t[3], int n, double gain_limit,
              bool wrap16, int32_t* const r[3], int32_t* const a[3]);

// Denominator sums of one row: sum of |x|^3 (scale 0) or of libvmaf's rounded cube
// ((((x*x + 2^sq) >> sq) * x + 2^(cub-1)) >> cub) (scales 1..3), per band.
void den_s0(const int32_t* const b[3], int n, uint64_t sum[3]);
void den_s123(const int32_t* const b[3], int n, int shift_sq, int shift_cub, uint64_t sum[3]);

// CSF of one row and the masking terms it feeds: per band dst = CSF-weighted value,
// flt = dst/30 and ctr = dst/15 in libvmaf's fixed point; writes f = sum of flt and
// c = sum of ctr over the three bands (the masking threshold only needs these sums).
void csf_s0(const int32_t* const src[3], int n, const uint16_t rfactor[3], int32_t* f,
            int32_t* c);
void csf_s123(const int32_t* const src[3], int n, const uint32_t rfactor[3], int32_t* f,
              int32_t* c);

// Contrast masking of one row: thr = 3x3 sum of f (rows above/centre/below) minus the centre,
// plus c; x = |src * rfactor| - thr << sub, clipped at 0; sums of the rounded cubes.
struct CmParams {
  bool s123 = false;       // false: scale 0 (x = src * rfactor); true: i4 (x = (src*rf + 2^27) >> 28)
  uint32_t rfactor[3] = {};
  int sub[3] = {};         // threshold shift (10, 10, 12 at scale 0; 0 at scales 1..3)
  int shift_sq[3] = {};
  int shift_cub[3] = {};
};
void cm(const int32_t* const src[3], const int32_t* f_above, const int32_t* f_center,
        const int32_t* f_below, const int32_t* c, int n, const CmParams& p, int64_t sum[3]);

namespace ref {
void dwt_vert_s0(const uint16_t* const rows[4], int n, int bpc, int16_t* lo, int16_t* hi);
void dwt_vert_s123(const int32_t* const rows[4], int n, int scale, int32_t* lo, int32_t* hi);
void dwt_hori_s0(const int16_t* src, int j0, int j1, int32_t* out_lo, int32_t* out_hi);
void dwt_hori(const int32_t* src, int j0, int j1, int scale, int32_t* out_lo, int32_t* out_hi);
void decouple(const int32_t* const o[3], const int32_t* const t[3], int n, double gain_limit,
              bool wrap16, int32_t* const r[3], int32_t* const a[3]);
void den_s0(const int32_t* const b[3], int n, uint64_t sum[3]);
void den_s123(const int32_t* const b[3], int n, int shift_sq, int shift_cub, uint64_t sum[3]);
void csf_s0(const int32_t* const src[3], int n, const uint16_t rfactor[3], int32_t* f,
            int32_t* c);
void csf_s123(const int32_t* const src[3], int n, const uint32_t rfactor[3], int32_t* f,
              int32_t* c);
void cm(const int32_t* const src[3], const int32_t* f_above, const int32_t* f_center,
        const int32_t* f_below, const int32_t* c, int n, const CmParams& p, int64_t sum[3]);
}  // namespace ref

}  // namespace vqfuse::kernels::admi
