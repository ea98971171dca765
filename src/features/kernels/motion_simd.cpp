// Highway versions of motion.hpp.
//
// Integer kernels work in int32 lanes. The 5-tap sums can need 33 bits (|v| <= 65535 times a
// filter summing to 2^16), so the Q16 rounding shift is rewritten with the filter's halves
// (F = 2G + [1, 0, 0, 0, 1], all of G < 2^15):
//   (sum F*v + 2^15) >> 16 = (G_sum + ((v0 + v4 + 2^15) >> 1)) >> 15,   G_sum = sum G*v,
// and G_sum is split into its high part (>> 15) and low 15 bits before the round term is added,
// so no step leaves int32 (floor division nests: floor(floor(x)/m) = floor(x/m)).
// Float kernels do the same multiplies and adds in the same order as the scalar reference
// (no FMA), so every target returns identical values.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "features/kernels/motion_simd.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <algorithm>
#include <cmath>

#include "features/kernels/motion.hpp"

HWY_BEFORE_NAMESPACE();
namespace vqfuse::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Halves of kMotionFilter: F = 2G + (1 at the outer taps).
constexpr int32_t kMotionG0 = kMotionFilter[0] / 2;  // 1785
constexpr int32_t kMotionG1 = kMotionFilter[1] / 2;  // 8002
constexpr int32_t kMotionG2 = kMotionFilter[2] / 2;  // 13193
static_assert(kMotionFilter[0] % 2 == 1 && kMotionFilter[1] % 2 == 0 && kMotionFilter[2] % 2 == 0);

// Scalar form of the same identity, for row tails.
inline int32_t motion_q16_round_sum5(int32_t v0, int32_t v1, int32_t v2, int32_t v3, int32_t v4) {
  const int32_t g = kMotionG0 * (v0 + v4) + kMotionG1 * (v1 + v3) + kMotionG2 * v2;
  const int32_t r = (v0 + v4 + (1 << 15)) >> 1;
  return (g >> 15) + (((g & 0x7fff) + r) >> 15);
}

template <class D, class V>
HWY_INLINE V MotionQ16RoundSum5(D d, V v0, V v1, V v2, V v3, V v4) {
  const V outer = hn::Add(v0, v4);
  const V g = hn::Add(hn::Add(hn::Mul(hn::Set(d, kMotionG0), outer),
                              hn::Mul(hn::Set(d, kMotionG1), hn::Add(v1, v3))),
                      hn::Mul(hn::Set(d, kMotionG2), v2));
  const V r = hn::ShiftRight<1>(hn::Add(outer, hn::Set(d, 1 << 15)));
  const V lo = hn::And(g, hn::Set(d, 0x7fff));
  return hn::Add(hn::ShiftRight<15>(g), hn::ShiftRight<15>(hn::Add(lo, r)));
}

void MotionDiffRow(const uint16_t* HWY_RESTRICT a, const uint16_t* HWY_RESTRICT b, size_t w,
                   int32_t* HWY_RESTRICT d) {
  const hn::ScalableTag<int32_t> d32;
  const hn::Rebind<uint16_t, decltype(d32)> d16;
  const size_t N = hn::Lanes(d32);
  size_t x = 0;
  for (; x + N <= w; x += N) {
    const auto va = hn::PromoteTo(d32, hn::LoadU(d16, a + x));
    const auto vb = hn::PromoteTo(d32, hn::LoadU(d16, b + x));
    hn::StoreU(hn::Sub(va, vb), d32, d + x);
  }
  for (; x < w; ++x) d[x] = int32_t{a[x]} - int32_t{b[x]};
}

void MotionVconvRow(const int32_t* const rows[5], size_t w, int bpc, int32_t* HWY_RESTRICT v) {
  const hn::ScalableTag<int32_t> d;
  const size_t N = hn::Lanes(d);
  const int32_t* HWY_RESTRICT r0 = rows[0];
  const int32_t* HWY_RESTRICT r1 = rows[1];
  const int32_t* HWY_RESTRICT r2 = rows[2];
  const int32_t* HWY_RESTRICT r3 = rows[3];
  const int32_t* HWY_RESTRICT r4 = rows[4];
  size_t x = 0;
  if (bpc <= 12) {
    // |sum| < 2^12 * 2^16: plain int32.
    const auto f0 = hn::Set(d, kMotionFilter[0]);
    const auto f1 = hn::Set(d, kMotionFilter[1]);
    const auto f2 = hn::Set(d, kMotionFilter[2]);
    const auto round = hn::Set(d, 1 << (bpc - 1));
    for (; x + N <= w; x += N) {
      const auto outer = hn::Add(hn::LoadU(d, r0 + x), hn::LoadU(d, r4 + x));
      const auto inner = hn::Add(hn::LoadU(d, r1 + x), hn::LoadU(d, r3 + x));
      const auto sum = hn::Add(hn::Add(hn::Mul(f0, outer), hn::Mul(f1, inner)),
                               hn::Mul(f2, hn::LoadU(d, r2 + x)));
      hn::StoreU(hn::ShiftRightSame(hn::Add(sum, round), bpc), d, v + x);
    }
    for (; x < w; ++x) {
      const int32_t sum = kMotionFilter[0] * (r0[x] + r4[x]) + kMotionFilter[1] * (r1[x] + r3[x]) +
                          kMotionFilter[2] * r2[x];
      v[x] = (sum + (1 << (bpc - 1))) >> bpc;
    }
    return;
  }
  // 13..16 bit: the sum can need 33 bits. Only bpc == 16 shifts by 16 exactly; other depths
  // take the 64-bit scalar path (no such input reaches here today: VideoInfo allows 8/10/12/16).
  if (bpc == 16) {
    for (; x + N <= w; x += N) {
      hn::StoreU(
          MotionQ16RoundSum5(d, hn::LoadU(d, r0 + x), hn::LoadU(d, r1 + x), hn::LoadU(d, r2 + x),
                             hn::LoadU(d, r3 + x), hn::LoadU(d, r4 + x)),
          d, v + x);
    }
    for (; x < w; ++x) v[x] = motion_q16_round_sum5(r0[x], r1[x], r2[x], r3[x], r4[x]);
    return;
  }
  ref::motion_vconv_row(rows, w, bpc, v);
}

uint32_t MotionHconvAbsSum(const int32_t* HWY_RESTRICT v_pad, size_t w) {
  const hn::ScalableTag<int32_t> d;
  const hn::RebindToUnsigned<decltype(d)> du;
  const size_t N = hn::Lanes(d);
  auto acc = hn::Zero(du);
  size_t x = 0;
  for (; x + N <= w; x += N) {
    const int32_t* p = v_pad + x;
    const auto h = MotionQ16RoundSum5(d, hn::LoadU(d, p), hn::LoadU(d, p + 1), hn::LoadU(d, p + 2),
                                      hn::LoadU(d, p + 3), hn::LoadU(d, p + 4));
    acc = hn::Add(acc, hn::BitCast(du, hn::Abs(h)));
  }
  uint32_t sum = hn::GetLane(hn::SumOfLanes(du, acc));
  for (; x < w; ++x) {
    const int32_t* p = v_pad + x;
    const int32_t h = motion_q16_round_sum5(p[0], p[1], p[2], p[3], p[4]);
    sum += static_cast<uint32_t>(h < 0 ? -h : h);
  }
  return sum;
}

void MotionU16ToFloatRow(const uint16_t* HWY_RESTRICT v, size_t w, float scale, float offset,
                         float* HWY_RESTRICT out) {
  const hn::ScalableTag<float> df;
  const hn::RebindToSigned<decltype(df)> di;
  const hn::Rebind<uint16_t, decltype(di)> d16;
  const size_t N = hn::Lanes(df);
  // scale is a power of two: multiplying by its inverse is exact and equals the division.
  const auto vinv = hn::Set(df, 1.0f / scale);
  const auto voffset = hn::Set(df, offset);
  size_t x = 0;
  for (; x + N <= w; x += N) {
    const auto f = hn::ConvertTo(df, hn::PromoteTo(di, hn::LoadU(d16, v + x)));
    hn::StoreU(hn::Add(hn::Mul(f, vinv), voffset), df, out + x);
  }
  for (; x < w; ++x) out[x] = static_cast<float>(v[x]) / scale + offset;
}

template <int kTaps>
void MotionBlurVrowT(const float* const rows[], const float* filt, size_t w,
                     float* HWY_RESTRICT out) {
  const hn::ScalableTag<float> df;
  const size_t N = hn::Lanes(df);
  hn::Vec<decltype(df)> f[kTaps];
  for (int k = 0; k < kTaps; ++k) f[k] = hn::Set(df, filt[k]);
  size_t x = 0;
  for (; x + N <= w; x += N) {
    auto acc = hn::Mul(f[0], hn::LoadU(df, rows[0] + x));
    for (int k = 1; k < kTaps; ++k) acc = hn::Add(acc, hn::Mul(f[k], hn::LoadU(df, rows[k] + x)));
    hn::StoreU(acc, df, out + x);
  }
  for (; x < w; ++x) {
    float acc = filt[0] * rows[0][x];
    for (int k = 1; k < kTaps; ++k) acc += filt[k] * rows[k][x];
    out[x] = acc;
  }
}

void MotionBlurVrow(const float* const rows[], const float* filt, int taps, size_t w, float* out) {
  if (taps == 5) return MotionBlurVrowT<5>(rows, filt, w, out);
  if (taps == 3) return MotionBlurVrowT<3>(rows, filt, w, out);
  ref::motion_blur_vrow(rows, filt, taps, w, out);
}

template <int kTaps>
void MotionBlurHrowT(const float* HWY_RESTRICT in_pad, const float* filt, size_t w,
                     float* HWY_RESTRICT out) {
  const hn::ScalableTag<float> df;
  const size_t N = hn::Lanes(df);
  hn::Vec<decltype(df)> f[kTaps];
  for (int k = 0; k < kTaps; ++k) f[k] = hn::Set(df, filt[k]);
  size_t x = 0;
  for (; x + N <= w; x += N) {
    auto acc = hn::Mul(f[0], hn::LoadU(df, in_pad + x));
    for (int k = 1; k < kTaps; ++k)
      acc = hn::Add(acc, hn::Mul(f[k], hn::LoadU(df, in_pad + x + k)));
    hn::StoreU(acc, df, out + x);
  }
  for (; x < w; ++x) {
    float acc = filt[0] * in_pad[x];
    for (int k = 1; k < kTaps; ++k) acc += filt[k] * in_pad[x + k];
    out[x] = acc;
  }
}

void MotionBlurHrow(const float* in_pad, const float* filt, int taps, size_t w, float* out) {
  if (taps == 5) return MotionBlurHrowT<5>(in_pad, filt, w, out);
  if (taps == 3) return MotionBlurHrowT<3>(in_pad, filt, w, out);
  ref::motion_blur_hrow(in_pad, filt, taps, w, out);
}

void MotionAbsdiffRow(const float* HWY_RESTRICT a, const float* HWY_RESTRICT b, size_t w,
                      float* HWY_RESTRICT out) {
  const hn::ScalableTag<float> df;
  const size_t N = hn::Lanes(df);
  size_t x = 0;
  for (; x + N <= w; x += N)
    hn::StoreU(hn::Abs(hn::Sub(hn::LoadU(df, a + x), hn::LoadU(df, b + x))), df, out + x);
  for (; x < w; ++x) out[x] = std::fabs(a[x] - b[x]);
}

// One lane per row for the serial row sums: every 4 rows x 4 columns are transposed inside a
// 128-bit block, so each lane receives its row's columns x, x+1, x+2, x+3 in that order and the
// sums stay serial, left to right, whatever the vector width.
#if HWY_TARGET == HWY_SCALAR
void MotionRowSums(const float* const* rows, int n_rows, size_t w, float* sums) {
  ref::motion_row_sums(rows, n_rows, w, sums);
}
#else
// Rows r, r + 4, r + 8, ... of `rows` at columns x..x+3, one row per 128-bit block.
template <class D>
HWY_INLINE hn::Vec<D> MotionLoadBlocks(D d, const float* const* rows, size_t x) {
  if constexpr (hn::MaxLanes(D()) == 4) {
    return hn::LoadU(d, rows[0] + x);
  } else {
    const hn::Half<D> dh;
    constexpr size_t kHalf = hn::MaxLanes(D()) / 2;
    return hn::Combine(d, MotionLoadBlocks(dh, rows + kHalf, x), MotionLoadBlocks(dh, rows, x));
  }
}

void MotionRowSums(const float* const* rows, int n_rows, size_t w, float* sums) {
  const hn::ScalableTag<float> d;
  const hn::Repartition<double, decltype(d)> dd;
  constexpr size_t N = hn::MaxLanes(hn::ScalableTag<float>());
  static_assert(N % 4 == 0);
  for (int g = 0; g < n_rows; g += static_cast<int>(N)) {
    // Missing rows of the last group repeat the last row; their lanes are dropped.
    const float* grp[N];
    for (size_t i = 0; i < N; ++i) grp[i] = rows[std::min(g + static_cast<int>(i), n_rows - 1)];
    auto acc = hn::Zero(d);
    size_t x = 0;
    for (; x + 4 <= w; x += 4) {
      const auto r0 = MotionLoadBlocks(d, grp + 0, x);
      const auto r1 = MotionLoadBlocks(d, grp + 1, x);
      const auto r2 = MotionLoadBlocks(d, grp + 2, x);
      const auto r3 = MotionLoadBlocks(d, grp + 3, x);
      const auto t0 = hn::BitCast(dd, hn::InterleaveLower(r0, r1));
      const auto t1 = hn::BitCast(dd, hn::InterleaveLower(r2, r3));
      const auto t2 = hn::BitCast(dd, hn::InterleaveUpper(d, r0, r1));
      const auto t3 = hn::BitCast(dd, hn::InterleaveUpper(d, r2, r3));
      acc = hn::Add(acc, hn::BitCast(d, hn::InterleaveLower(t0, t1)));
      acc = hn::Add(acc, hn::BitCast(d, hn::InterleaveUpper(dd, t0, t1)));
      acc = hn::Add(acc, hn::BitCast(d, hn::InterleaveLower(t2, t3)));
      acc = hn::Add(acc, hn::BitCast(d, hn::InterleaveUpper(dd, t2, t3)));
    }
    HWY_ALIGN float lanes[N];
    hn::Store(acc, d, lanes);
    for (size_t i = 0; i < N && g + static_cast<int>(i) < n_rows; ++i) {
      float s = lanes[i];
      for (size_t t = x; t < w; ++t) s += grp[i][t];
      sums[g + static_cast<int>(i)] = s;
    }
  }
}
#endif

}  // namespace vqfuse::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace vqfuse::kernels {
HWY_EXPORT(MotionDiffRow);
HWY_EXPORT(MotionVconvRow);
HWY_EXPORT(MotionHconvAbsSum);
HWY_EXPORT(MotionU16ToFloatRow);
HWY_EXPORT(MotionBlurVrow);
HWY_EXPORT(MotionBlurHrow);
HWY_EXPORT(MotionAbsdiffRow);
HWY_EXPORT(MotionRowSums);

void motion_diff_row(const uint16_t* a, const uint16_t* b, size_t w, int32_t* d) {
  HWY_DYNAMIC_DISPATCH(MotionDiffRow)(a, b, w, d);
}
void motion_vconv_row(const int32_t* const d[5], size_t w, int bpc, int32_t* v) {
  HWY_DYNAMIC_DISPATCH(MotionVconvRow)(d, w, bpc, v);
}
uint32_t motion_hconv_abs_sum(const int32_t* v_pad, size_t w) {
  return HWY_DYNAMIC_DISPATCH(MotionHconvAbsSum)(v_pad, w);
}
void motion_u16_to_float_row(const uint16_t* v, size_t w, float scale, float offset, float* out) {
  HWY_DYNAMIC_DISPATCH(MotionU16ToFloatRow)(v, w, scale, offset, out);
}
void motion_blur_vrow(const float* const rows[], const float* filt, int taps, size_t w,
                      float* out) {
  HWY_DYNAMIC_DISPATCH(MotionBlurVrow)(rows, filt, taps, w, out);
}
void motion_blur_hrow(const float* in_pad, const float* filt, int taps, size_t w, float* out) {
  HWY_DYNAMIC_DISPATCH(MotionBlurHrow)(in_pad, filt, taps, w, out);
}
void motion_absdiff_row(const float* a, const float* b, size_t w, float* out) {
  HWY_DYNAMIC_DISPATCH(MotionAbsdiffRow)(a, b, w, out);
}
void motion_row_sums(const float* const* rows, int n_rows, size_t w, float* sums) {
  HWY_DYNAMIC_DISPATCH(MotionRowSums)(rows, n_rows, w, sums);
}
}  // namespace vqfuse::kernels
#endif
