// Highway version of the ssim_int.hpp row kernels. Moments are exact integers (double lanes
// above 8 bit, uint32 lanes up to 8 bit), so the symmetric-tap pairing below changes no value;
// the per-pixel term keeps the fork's operation order in double.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "features/kernels/ssim_int_simd.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "features/kernels/ssim.hpp"
#include "features/kernels/ssim_int.hpp"

HWY_BEFORE_NAMESPACE();
namespace vqfuse::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using DD = hn::ScalableTag<double>;
using VD = hn::Vec<DD>;
using D32 = hn::ScalableTag<uint32_t>;
using V32 = hn::Vec<D32>;

constexpr int kHalf = kIntSsimTaps / 2;

// Sum of the 9 symmetric taps at p[0..8] (exact integer arithmetic in either lane type).
template <class D, class T>
HWY_INLINE hn::Vec<D> Sym9(D d, const T* p, const hn::Vec<D>* k) {
  auto s = hn::Mul(k[4], hn::LoadU(d, p + 4));
  for (int i = 0; i < 4; ++i)
    s = hn::Add(s, hn::Mul(k[i], hn::Add(hn::LoadU(d, p + i), hn::LoadU(d, p + 8 - i))));
  return s;
}

// Vertical twin of Sym9 over nine row pointers.
template <class D, class T>
HWY_INLINE hn::Vec<D> Sym9Rows(D d, const T* const* r, size_t x, const hn::Vec<D>* k) {
  auto s = hn::Mul(k[4], hn::LoadU(d, r[4] + x));
  for (int i = 0; i < 4; ++i)
    s = hn::Add(s, hn::Mul(k[i], hn::Add(hn::LoadU(d, r[i] + x), hn::LoadU(d, r[8 - i] + x))));
  return s;
}

// The fork's per-pixel term from the five moments (double lanes), in its operation order.
HWY_INLINE VD TermFromMoments(DD dd, const VD* m, VD w_d, VD k1s, VD k2s) {
  const VD c1 = hn::Mul(hn::Mul(k1s, w_d), w_d);
  const VD c2 = hn::Mul(hn::Mul(k2s, w_d), w_d);
  const VD mx2 = hn::Mul(m[kIMuX], m[kIMuX]);
  const VD mxy = hn::Mul(m[kIMuX], m[kIMuY]);
  const VD my2 = hn::Mul(m[kIMuY], m[kIMuY]);
  const VD two = hn::Set(dd, 2.0);
  const VD num = hn::Mul(hn::Mul(w_d, hn::Add(hn::Mul(two, mxy), c1)),
                         hn::Add(c2, hn::Mul(two, hn::Sub(hn::Mul(m[kIXY], w_d), mxy))));
  const VD var = hn::Add(
      hn::Sub(hn::Add(hn::Sub(hn::Mul(m[kIX2], w_d), mx2), hn::Mul(m[kIY2], w_d)), my2), c2);
  const VD den = hn::Mul(hn::Add(hn::Add(mx2, my2), c1), var);
  return hn::Div(num, den);
}

// Accumulates term(i) of every output into lane i % 16 of `lanes` (in-out), vectors first,
// then the scalar tail: the per-lane order is increasing i in both paths.
template <class VecTerm, class ScalarTerm>
HWY_INLINE void AccumulateLanes(size_t n, double* lanes, const VecTerm& vec_term,
                                const ScalarTerm& scalar_term) {
  const DD dd;
  constexpr size_t N = hn::MaxLanes(DD());
  static_assert(N <= kSsimLanes && kSsimLanes % N == 0, "16 virtual lanes per row");
  constexpr size_t kGroups = kSsimLanes / N;
  VD acc[kGroups];
  for (size_t g = 0; g < kGroups; ++g) acc[g] = hn::LoadU(dd, lanes + g * N);
  size_t i = 0;
  for (; i + kSsimLanes <= n; i += kSsimLanes)
    for (size_t g = 0; g < kGroups; ++g) acc[g] = hn::Add(acc[g], vec_term(i + g * N));
  for (; i + N <= n; i += N) {
    const size_t g = (i % kSsimLanes) / N;
    acc[g] = hn::Add(acc[g], vec_term(i));
  }
  for (size_t g = 0; g < kGroups; ++g) hn::StoreU(acc[g], dd, lanes + g * N);
  for (; i < n; ++i) lanes[i % kSsimLanes] += scalar_term(i);
}

// ---- any bit depth: double moments ----

void IntSsimHRow(const uint16_t* HWY_RESTRICT a, const uint16_t* HWY_RESTRICT b, size_t n,
                 double* const* out, double* HWY_RESTRICT scratch) {
  const DD dd;
  const hn::Rebind<int32_t, DD> di;
  const hn::Rebind<uint16_t, DD> du;
  const size_t N = hn::Lanes(dd);
  const size_t w = n + kIntSsimTaps - 1;
  double* in[kIntSsimMoments];
  for (int m = 0; m < kIntSsimMoments; ++m) in[m] = scratch + m * w;
  size_t x = 0;
  for (; x + N <= w; x += N) {
    const VD s = hn::PromoteTo(dd, hn::PromoteTo(di, hn::LoadU(du, a + x)));
    const VD d = hn::PromoteTo(dd, hn::PromoteTo(di, hn::LoadU(du, b + x)));
    hn::StoreU(s, dd, in[kIMuX] + x);
    hn::StoreU(d, dd, in[kIMuY] + x);
    hn::StoreU(hn::Mul(s, s), dd, in[kIX2] + x);
    hn::StoreU(hn::Mul(s, d), dd, in[kIXY] + x);
    hn::StoreU(hn::Mul(d, d), dd, in[kIY2] + x);
  }
  for (; x < w; ++x) {
    const double s = a[x], d = b[x];
    in[kIMuX][x] = s;
    in[kIMuY][x] = d;
    in[kIX2][x] = s * s;
    in[kIXY][x] = s * d;
    in[kIY2][x] = d * d;
  }
  VD k[kIntSsimTaps];
  for (int i = 0; i < kIntSsimTaps; ++i) k[i] = hn::Set(dd, kIntSsimKernel[i]);
  x = 0;
  for (; x + N <= n; x += N)
    for (int m = 0; m < kIntSsimMoments; ++m) hn::StoreU(Sym9(dd, in[m] + x, k), dd, out[m] + x);
  for (; x < n; ++x)
    for (int m = 0; m < kIntSsimMoments; ++m) {
      double s = 0;
      for (int i = 0; i < kIntSsimTaps; ++i) s += kIntSsimKernel[i] * in[m][x + i];
      out[m][x] = s;
    }
}

void IntSsimVRow(const double* const (*rows)[kIntSsimTaps], const double* HWY_RESTRICT wx,
                 double wy, size_t n, double k1s, double k2s, double* HWY_RESTRICT lanes) {
  const DD dd;
  VD k[kIntSsimTaps];
  for (int i = 0; i < kIntSsimTaps; ++i) k[i] = hn::Set(dd, kIntSsimKernel[i]);
  const VD vwy = hn::Set(dd, wy), vk1 = hn::Set(dd, k1s), vk2 = hn::Set(dd, k2s);
  AccumulateLanes(
      n, lanes,
      [&](size_t x) {
        VD m[kIntSsimMoments];
        for (int j = 0; j < kIntSsimMoments; ++j) m[j] = Sym9Rows(dd, rows[j], x, k);
        return TermFromMoments(dd, m, hn::Mul(hn::LoadU(dd, wx + x), vwy), vk1, vk2);
      },
      [&](size_t x) {
        double m[kIntSsimMoments];
        for (int j = 0; j < kIntSsimMoments; ++j) {
          double s = 0;
          for (int i = 0; i < kIntSsimTaps; ++i) s += kIntSsimKernel[i] * rows[j][i][x];
          m[j] = s;
        }
        return int_ssim_term(m[kIMuX], m[kIMuY], m[kIX2], m[kIXY], m[kIY2], wx[x] * wy, k1s, k2s);
      });
}

// ---- bit depth <= 8: uint32 moments ----

void IntSsimHRowU8(const uint16_t* HWY_RESTRICT a, const uint16_t* HWY_RESTRICT b, size_t n,
                   uint32_t* const* out, uint32_t* HWY_RESTRICT scratch) {
  const D32 d;
  const hn::Rebind<uint16_t, D32> d16;
  const size_t N = hn::Lanes(d);
  const size_t w = n + kIntSsimTaps - 1;
  uint32_t* in[kIntSsimMoments];
  for (int m = 0; m < kIntSsimMoments; ++m) in[m] = scratch + m * w;
  size_t x = 0;
  for (; x + N <= w; x += N) {
    const V32 s = hn::PromoteTo(d, hn::LoadU(d16, a + x));
    const V32 t = hn::PromoteTo(d, hn::LoadU(d16, b + x));
    hn::StoreU(s, d, in[kIMuX] + x);
    hn::StoreU(t, d, in[kIMuY] + x);
    hn::StoreU(hn::Mul(s, s), d, in[kIX2] + x);
    hn::StoreU(hn::Mul(s, t), d, in[kIXY] + x);
    hn::StoreU(hn::Mul(t, t), d, in[kIY2] + x);
  }
  for (; x < w; ++x) {
    const uint32_t s = a[x], t = b[x];
    in[kIMuX][x] = s;
    in[kIMuY][x] = t;
    in[kIX2][x] = s * s;
    in[kIXY][x] = s * t;
    in[kIY2][x] = t * t;
  }
  V32 k[kIntSsimTaps];
  for (int i = 0; i < kIntSsimTaps; ++i)
    k[i] = hn::Set(d, static_cast<uint32_t>(kIntSsimKernel[i]));
  x = 0;
  for (; x + N <= n; x += N)
    for (int m = 0; m < kIntSsimMoments; ++m) hn::StoreU(Sym9(d, in[m] + x, k), d, out[m] + x);
  for (; x < n; ++x)
    for (int m = 0; m < kIntSsimMoments; ++m) {
      uint32_t s = 0;
      for (int i = 0; i < kIntSsimTaps; ++i)
        s += static_cast<uint32_t>(kIntSsimKernel[i]) * in[m][x + i];
      out[m][x] = s;
    }
}

// Vertical sums in full-width uint32 over chunks of 256 columns, then the per-pixel term in
// double lanes.
void IntSsimVRowU8(const uint32_t* const (*rows)[kIntSsimTaps], const double* HWY_RESTRICT wx,
                   double wy, size_t n, double k1s, double k2s, double* HWY_RESTRICT lanes) {
  const D32 d;
  const DD dd;
  const hn::Rebind<uint32_t, DD> du;
  const hn::Rebind<int32_t, DD> di;
  const size_t N32 = hn::Lanes(d);
  constexpr size_t kChunk = 256;
  static_assert(kChunk % kSsimLanes == 0, "chunks keep the lane of every column");
  HWY_ALIGN uint32_t tmp[kIntSsimMoments][kChunk];
  V32 k[kIntSsimTaps];
  for (int i = 0; i < kIntSsimTaps; ++i)
    k[i] = hn::Set(d, static_cast<uint32_t>(kIntSsimKernel[i]));
  const VD vwy = hn::Set(dd, wy), vk1 = hn::Set(dd, k1s), vk2 = hn::Set(dd, k2s);
  const auto sign = hn::Set(du, 0x80000000u);
  const VD two31 = hn::Set(dd, 2147483648.0);
  for (size_t x0 = 0; x0 < n; x0 += kChunk) {
    const size_t cw = n - x0 < kChunk ? n - x0 : kChunk;
    size_t i = 0;
    for (; i + N32 <= cw; i += N32)
      for (int m = 0; m < kIntSsimMoments; ++m)
        hn::Store(Sym9Rows(d, rows[m], x0 + i, k), d, tmp[m] + i);
    for (; i < cw; ++i)
      for (int m = 0; m < kIntSsimMoments; ++m) {
        uint32_t s = 0;
        for (int t = 0; t < kIntSsimTaps; ++t)
          s += static_cast<uint32_t>(kIntSsimKernel[t]) * rows[m][t][x0 + i];
        tmp[m][i] = s;
      }
    AccumulateLanes(
        cw, lanes,
        [&](size_t c) {
          VD m[kIntSsimMoments];
          for (int j = 0; j < kIntSsimMoments; ++j) {
            const auto v = hn::Load(du, tmp[j] + c);
            // Means stay below 2^31; second moments may not: offset by 2^31 around the
            // signed conversion.
            m[j] = j <= kIMuY
                       ? hn::PromoteTo(dd, hn::BitCast(di, v))
                       : hn::Add(hn::PromoteTo(dd, hn::BitCast(di, hn::Xor(v, sign))), two31);
          }
          return TermFromMoments(dd, m, hn::Mul(hn::LoadU(dd, wx + x0 + c), vwy), vk1, vk2);
        },
        [&](size_t c) {
          return int_ssim_term(tmp[kIMuX][c], tmp[kIMuY][c], tmp[kIX2][c], tmp[kIXY][c],
                               tmp[kIY2][c], wx[x0 + c] * wy, k1s, k2s);
        });
  }
}

}  // namespace vqfuse::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace vqfuse::kernels {
HWY_EXPORT(IntSsimHRow);
HWY_EXPORT(IntSsimVRow);
HWY_EXPORT(IntSsimHRowU8);
HWY_EXPORT(IntSsimVRowU8);

void int_ssim_h_row(const uint16_t* a, const uint16_t* b, size_t n,
                    double* const out[kIntSsimMoments], double* scratch) {
  HWY_DYNAMIC_DISPATCH(IntSsimHRow)(a, b, n, out, scratch);
}
void int_ssim_v_row(const double* const rows[kIntSsimMoments][kIntSsimTaps], const double* wx,
                    double wy, size_t n, double k1s, double k2s, double* lanes) {
  HWY_DYNAMIC_DISPATCH(IntSsimVRow)(rows, wx, wy, n, k1s, k2s, lanes);
}
void int_ssim_h_row_u8(const uint16_t* a, const uint16_t* b, size_t n,
                       uint32_t* const out[kIntSsimMoments], uint32_t* scratch) {
  HWY_DYNAMIC_DISPATCH(IntSsimHRowU8)(a, b, n, out, scratch);
}
void int_ssim_v_row_u8(const uint32_t* const rows[kIntSsimMoments][kIntSsimTaps], const double* wx,
                       double wy, size_t n, double k1s, double k2s, double* lanes) {
  HWY_DYNAMIC_DISPATCH(IntSsimVRowU8)(rows, wx, wy, n, k1s, k2s, lanes);
}
}  // namespace vqfuse::kernels
#endif
