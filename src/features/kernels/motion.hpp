// Row kernels of the motion extractors (integer_motion.cpp, motion_v2.cpp, float_motion.cpp),
// and the whole-plane drivers built from them (motion_plane.cpp).
//
// Integer motion (libvmaf integer_motion.c at f85a853, the fused pipeline): the blur is linear,
// so libvmaf blurs the frame difference instead of each frame. For one output row:
//   d[k][x] = prev[r_k][x] - cur[r_k][x]                       (rows r_k = mirror(y - 2 + k))
//   v[x]    = (sum_k F[k] * d[k][x] + 2^(bpc-1)) >> bpc          (vertical, F sums to 2^16)
//   h[x]    = (sum_k F[k] * v[mirror(x - 2 + k)] + 2^15) >> 16   (horizontal)
//   row SAD = sum_x |h[x]| in uint32 (wrapping, as libvmaf), frame SAD = sum of rows in uint64.
// Shifts are arithmetic (floor). Every kernel is exact integer arithmetic, so SIMD and scalar
// agree bit for bit in any order.
//
// Float motion (libvmaf float_motion.c + motion.c + convolution.c): the luma as libvmaf's
// picture_copy(offset -128) gives it, blurred by a separable filter (vertical pass, then
// horizontal, each summed in tap order from k = 0 with separate multiply and add, mirrored
// edges), and the mean absolute difference of two blurred frames, where libvmaf sums each row in
// float from left to right and the row sums in float from top to bottom.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vqfuse::kernels {

// libvmaf integer_motion.h filter (Q16).
inline constexpr int32_t kMotionFilter[5] = {3571, 16004, 26386, 16004, 3571};

// libvmaf motion_tools.h filters (float motion): 5 taps (default), 3 taps, and the 5-tap
// "no-op" (identity) used for motion_filter_size=1.
inline constexpr float kMotionFilter5[5] = {0.054488685f, 0.244201342f, 0.402619947f, 0.244201342f,
                                            0.054488685f};
inline constexpr float kMotionFilter3[3] = {0.166378498f, 0.667243004f, 0.166378498f};
inline constexpr float kMotionFilterNoOp[5] = {0.f, 0.f, 1.f, 0.f, 0.f};
inline constexpr int kMotionMaxTaps = 5;

// Reflection without repeating the edge sample ("mirror" in libvmaf: -1 -> 1, n -> n - 2),
// continued periodically so that any index lands inside [0, n) even for n < 3, where libvmaf
// itself would read out of bounds.
inline int motion_mirror(int i, int n) {
  if (i >= 0 && i < n) return i;
  if (n == 1) return 0;
  const int period = 2 * (n - 1);
  i %= period;
  if (i < 0) i += period;
  return i < n ? i : period - i;
}

// ---- integer motion ----

// d[x] = a[x] - b[x].
void motion_diff_row(const uint16_t* a, const uint16_t* b, size_t w, int32_t* d);
// Vertical pass: v[x] = (sum_k kMotionFilter[k] * d[k][x] + 2^(bpc-1)) >> bpc, for
// |d| < 2^bpc, bpc in 8..16 (exact for bpc 16 too, where the sum needs 33 bits).
void motion_vconv_row(const int32_t* const d[5], size_t w, int bpc, int32_t* v);
// Horizontal pass, |.| and sum: v_pad holds w + 4 samples, v[x] at v_pad[x + 2] with two
// mirrored samples on each side; |v| <= 65535. Returns sum_x |h[x]| modulo 2^32.
uint32_t motion_hconv_abs_sum(const int32_t* v_pad, size_t w);

// ---- float motion ----

// out[x] = float(v[x]) / scale + offset (libvmaf picture_copy); scale must be a power of two
// (2^(bpc-8)), which makes the division exact in any form.
void motion_u16_to_float_row(const uint16_t* v, size_t w, float scale, float offset, float* out);
// Vertical pass: out[x] = sum_{k=0}^{taps-1} filt[k] * rows[k][x], summed in k order.
void motion_blur_vrow(const float* const rows[], const float* filt, int taps, size_t w, float* out);
// Horizontal pass: in_pad holds w + 2r samples (r = taps/2): in[x] at in_pad[x + r] with r
// mirrored samples on each side. out[x] = sum_k filt[k] * in_pad[x + k], in k order.
void motion_blur_hrow(const float* in_pad, const float* filt, int taps, size_t w, float* out);
// out[x] = |a[x] - b[x]|.
void motion_absdiff_row(const float* a, const float* b, size_t w, float* out);
// sums[r] = rows[r][0] + rows[r][1] + ... + rows[r][w-1] in float, left to right (libvmaf's
// serial row sum), for r < n_rows. SIMD runs one row per lane.
void motion_row_sums(const float* const* rows, int n_rows, size_t w, float* sums);

namespace ref {
void motion_diff_row(const uint16_t* a, const uint16_t* b, size_t w, int32_t* d);
void motion_vconv_row(const int32_t* const d[5], size_t w, int bpc, int32_t* v);
uint32_t motion_hconv_abs_sum(const int32_t* v_pad, size_t w);
void motion_u16_to_float_row(const uint16_t* v, size_t w, float scale, float offset, float* out);
void motion_blur_vrow(const float* const rows[], const float* filt, int taps, size_t w, float* out);
void motion_blur_hrow(const float* in_pad, const float* filt, int taps, size_t w, float* out);
void motion_absdiff_row(const float* a, const float* b, size_t w, float* out);
void motion_row_sums(const float* const* rows, int n_rows, size_t w, float* sums);
}  // namespace ref

}  // namespace vqfuse::kernels
