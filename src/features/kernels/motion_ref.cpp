// Scalar reference (the specification) of motion.hpp: the formulas of libvmaf's C code, with
// 64-bit intermediates where libvmaf uses them.
#include <cmath>

#include "features/kernels/motion.hpp"

namespace vqfuse::kernels::ref {

void motion_diff_row(const uint16_t* a, const uint16_t* b, size_t w, int32_t* d) {
  for (size_t x = 0; x < w; ++x) d[x] = int32_t{a[x]} - int32_t{b[x]};
}

void motion_vconv_row(const int32_t* const d[5], size_t w, int bpc, int32_t* v) {
  const int64_t round = int64_t{1} << (bpc - 1);
  for (size_t x = 0; x < w; ++x) {
    int64_t acc = 0;
    for (int k = 0; k < 5; ++k) acc += int64_t{kMotionFilter[k]} * d[k][x];
    v[x] = static_cast<int32_t>((acc + round) >> bpc);
  }
}

uint32_t motion_hconv_abs_sum(const int32_t* v_pad, size_t w) {
  uint32_t sum = 0;
  for (size_t x = 0; x < w; ++x) {
    int64_t acc = 0;
    for (int k = 0; k < 5; ++k) acc += int64_t{kMotionFilter[k]} * v_pad[x + k];
    const int64_t h = (acc + (int64_t{1} << 15)) >> 16;
    sum += static_cast<uint32_t>(h < 0 ? -h : h);
  }
  return sum;
}

void motion_u16_to_float_row(const uint16_t* v, size_t w, float scale, float offset, float* out) {
  for (size_t x = 0; x < w; ++x) out[x] = static_cast<float>(v[x]) / scale + offset;
}

void motion_blur_vrow(const float* const rows[], const float* filt, int taps, size_t w,
                      float* out) {
  for (size_t x = 0; x < w; ++x) {
    float acc = 0.f;
    for (int k = 0; k < taps; ++k) acc += filt[k] * rows[k][x];
    out[x] = acc;
  }
}

void motion_blur_hrow(const float* in_pad, const float* filt, int taps, size_t w, float* out) {
  for (size_t x = 0; x < w; ++x) {
    float acc = 0.f;
    for (int k = 0; k < taps; ++k) acc += filt[k] * in_pad[x + k];
    out[x] = acc;
  }
}

void motion_absdiff_row(const float* a, const float* b, size_t w, float* out) {
  for (size_t x = 0; x < w; ++x) out[x] = std::fabs(a[x] - b[x]);
}

void motion_row_sums(const float* const* rows, int n_rows, size_t w, float* sums) {
  for (int r = 0; r < n_rows; ++r) {
    float s = 0.f;
    for (size_t x = 0; x < w; ++x) s += rows[r][x];
    sums[r] = s;
  }
}

}  // namespace vqfuse::kernels::ref
