// Row kernels of cambi (src/features/cambi.cpp, pipeline in cambi_pipeline.cpp). Every kernel is
// integer or exactly rounded float arithmetic, so the SIMD versions equal the scalar references
// (namespace ref) bit for bit on every target.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vqfuse::kernels::cambi {

// Key of a pixel that is outside the spatial mask or outside the histogram band.
inline constexpr uint16_t kNoKey = 0xFFFF;
// Extra columns every histogram row and c-value row must have past the width (vector tails).
inline constexpr int kRowSlack = 64;

// Fixed inputs of the c-value computation of one scale.
struct CParams {
  int num_diffs = 4;                 // 2^max_log_contrast
  const uint32_t* gates = nullptr;   // per key: bit d set when contrast step d+1 is examined
  const int32_t* weights = nullptr;  // per d: suprathreshold contrast weight
  const float* recip = nullptr;      // libvmaf's reciprocal table, index p0 + p_max
  const uint16_t* hist = nullptr;    // histogram rows, one per key (HistStrip)
  ptrdiff_t hist_stride = 0;         // elements between histogram rows
};

// Converts one row to 10 bits as libvmaf's cambi preprocessing: 8 bit << 2, 10 bit copied,
// 12/16 bit (v + half) >> (bpc - 10). Returns the largest input sample (range validation).
uint16_t to10_row(const uint16_t* in, uint16_t* out, size_t n, int bpc);
// libvmaf's anti-dithering 2x2 average: out[j] = (r0[j] + r0[j+1] + r1[j] + r1[j+1]) >> 2, the
// last column averages vertically, the last row (r1 = null) horizontally, the corner is copied.
void antidither_row(const uint16_t* r0, const uint16_t* r1, uint16_t* out, size_t n);
// 1 where a sample equals its right and lower neighbour (missing neighbours count as equal;
// below = null for the last row).
void zero_deriv_row(const uint16_t* cur, const uint16_t* below, uint8_t* out, size_t n);
// colsum[j] += add[j] (sign > 0) or -= add[j].
void colsum_update(uint8_t* colsum, const uint8_t* add, size_t n, int sign);
// mask[j] = (colsum[j-3] + ... + colsum[j+3] > threshold); colsum has 3 zero columns on each
// side (colsum[-3..-1], colsum[n..n+2]) and is indexed from its first real column.
void mask_row(const uint8_t* colsum, uint8_t* mask, size_t n, int threshold);
// libvmaf's mode3 along a row: first and last sample copied.
void hmode_row(const uint16_t* in, uint16_t* out, size_t n);
// mode3 across three rows.
void vmode_row(const uint16_t* a, const uint16_t* b, const uint16_t* c, uint16_t* out, size_t n);
// out[j] = in[2j], j < out_n (out may alias in). Reads up to in[2 * out_n - 1], one sample past
// an odd-width row.
void decimate_row_u16(const uint16_t* in, uint16_t* out, size_t out_n);
void decimate_row_u8(const uint8_t* in, uint8_t* out, size_t out_n);
// keys[j] = img[j] - base when mask[j] and img[j] - base < size, else kNoKey.
void keys_row(const uint16_t* img, const uint8_t* mask, uint16_t* keys, size_t n, uint16_t base,
              uint16_t size);
// Histograms of one column strip: key sample j of a row is histogram column j + origin
// (origin <= 0: a strip also sees the pad columns left of it); columns are [0, width).
struct HistStrip {
  uint16_t* hist = nullptr;  // row k is the histogram of key k; 64-byte aligned rows
  ptrdiff_t stride = 0;      // >= width + kRowSlack, a multiple of 32
  int pad = 0;               // half window
  int origin = 0;
  int width = 0;
};

// Moves the window histograms by one row: adds the keys of `enter` and removes those of `leave`
// (either may be null), n samples each. Every run of equal keys adds, at each column c, the
// number of run columns within pad of c (its box-filtered indicator, a trapezoid) to the key's
// row; an entering and a leaving pixel with the same key in the same column cancel first. Only
// columns [0, width) are meaningful: the SIMD version may also change slack columns, always by
// amounts linear in the keys, so adding and later removing the same rows restores every word.
// tmp_enter/tmp_leave: scratch rows of n + kRowSlack samples with one sample before index 0.
void slide_rows(const HistStrip& g, const uint16_t* enter, const uint16_t* leave,
                uint16_t* tmp_enter, uint16_t* tmp_leave, size_t n);
// c-values of one row from its keys and the window histograms: 0 for kNoKey, else the largest
// weighted contrast of libvmaf's c_value_pixel. Appends the non-zero ones to nz (with kRowSlack
// spare floats past the end; count in/out) and returns their exact sum: every c-value is a
// multiple of 2^-25 below 2^14, so a row sum fits a double exactly in any order. c: scratch row
// of n + kRowSlack floats.
double c_row(const CParams& p, const uint16_t* keys, float* c, size_t n, float* nz,
             size_t* nz_count);

namespace ref {
uint16_t to10_row(const uint16_t* in, uint16_t* out, size_t n, int bpc);
void antidither_row(const uint16_t* r0, const uint16_t* r1, uint16_t* out, size_t n);
void zero_deriv_row(const uint16_t* cur, const uint16_t* below, uint8_t* out, size_t n);
void colsum_update(uint8_t* colsum, const uint8_t* add, size_t n, int sign);
void mask_row(const uint8_t* colsum, uint8_t* mask, size_t n, int threshold);
void hmode_row(const uint16_t* in, uint16_t* out, size_t n);
void vmode_row(const uint16_t* a, const uint16_t* b, const uint16_t* c, uint16_t* out, size_t n);
void decimate_row_u16(const uint16_t* in, uint16_t* out, size_t out_n);
void decimate_row_u8(const uint8_t* in, uint8_t* out, size_t out_n);
void keys_row(const uint16_t* img, const uint8_t* mask, uint16_t* keys, size_t n, uint16_t base,
              uint16_t size);
void slide_rows(const HistStrip& g, const uint16_t* enter, const uint16_t* leave,
                uint16_t* tmp_enter, uint16_t* tmp_leave, size_t n);
double c_row(const CParams& p, const uint16_t* keys, float* c, size_t n, float* nz,
             size_t* nz_count);
// Building blocks shared with the SIMD kernels. hist_run adds (sign > 0) or subtracts the
// trapezoid of the run [a, b] at columns [0, width).
void hist_run(uint16_t* hist, int a, int b, int pad, int width, int sign);
// One pixel of c_row (shared by the SIMD kernel's mixed-key path).
float c_pixel(const CParams& p, int key, size_t x);
}  // namespace ref

}  // namespace vqfuse::kernels::cambi
