// Highway versions of adm_float.hpp: the same float operations in the same order per lane (the
// build uses -ffp-contract=off, so no FMA). Steps that libvmaf evaluates in double (the 1/30
// and 1/15 weights) run at the double lane count. Tails go to the scalar reference.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "features/kernels/adm_float_simd.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <cmath>

#include "features/kernels/adm_float.hpp"

HWY_BEFORE_NAMESPACE();
namespace vqfuse::kernels::admf::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using DF = hn::ScalableTag<float>;
using VF = hn::Vec<DF>;
using DD = hn::ScalableTag<double>;
using DFH = hn::Rebind<float, DD>;  // float with the double lane count

constexpr float kLo[4] = {0.482962913144690, 0.836516303737469, 0.224143868041857,
                          -0.129409522550921};
constexpr float kHi[4] = {-0.129409522550921, -0.224143868041857, 0.836516303737469,
                          -0.482962913144690};
constexpr double kOneBy30 = 0.0333333351;
constexpr double kOneBy15 = 0.0666666701;

template <class D, class V>
HWY_INLINE V Taps(D d, const float* f, V s0, V s1, V s2, V s3) {
  V acc = hn::Mul(hn::Set(d, f[0]), s0);
  acc = hn::Add(acc, hn::Mul(hn::Set(d, f[1]), s1));
  acc = hn::Add(acc, hn::Mul(hn::Set(d, f[2]), s2));
  return hn::Add(acc, hn::Mul(hn::Set(d, f[3]), s3));
}

void DwtVertU16(const uint16_t* const rows[4], int n, int bpc, float* lo, float* hi) {
  const DF d;
  const hn::Rebind<uint16_t, DF> du16;
  const hn::Rebind<int32_t, DF> di32;
  const int N = static_cast<int>(hn::Lanes(d));
  // Division by the power of two 2^(bpc-8) is exact as a multiplication by its inverse.
  const VF inv = hn::Set(d, 1.0f / static_cast<float>(1 << (bpc - 8)));
  const VF offset = hn::Set(d, -128.0f);
  int j = 0;
  for (; j + N <= n; j += N) {
    VF s[4];
    for (int k = 0; k < 4; ++k) {
      const VF v = hn::ConvertTo(d, hn::PromoteTo(di32, hn::LoadU(du16, rows[k] + j)));
      s[k] = hn::Add(hn::Mul(v, inv), offset);
    }
    hn::StoreU(Taps(d, kLo, s[0], s[1], s[2], s[3]), d, lo + j);
    if (hi) hn::StoreU(Taps(d, kHi, s[0], s[1], s[2], s[3]), d, hi + j);
  }
  if (j < n) {
    const uint16_t* t[4] = {rows[0] + j, rows[1] + j, rows[2] + j, rows[3] + j};
    ref::dwt_vert_u16(t, n - j, bpc, lo + j, hi ? hi + j : nullptr);
  }
}

void DwtVert(const float* const rows[4], int n, float* lo, float* hi) {
  const DF d;
  const int N = static_cast<int>(hn::Lanes(d));
  int j = 0;
  for (; j + N <= n; j += N) {
    const VF s0 = hn::LoadU(d, rows[0] + j), s1 = hn::LoadU(d, rows[1] + j);
    const VF s2 = hn::LoadU(d, rows[2] + j), s3 = hn::LoadU(d, rows[3] + j);
    hn::StoreU(Taps(d, kLo, s0, s1, s2, s3), d, lo + j);
    if (hi) hn::StoreU(Taps(d, kHi, s0, s1, s2, s3), d, hi + j);
  }
  if (j < n) {
    const float* t[4] = {rows[0] + j, rows[1] + j, rows[2] + j, rows[3] + j};
    ref::dwt_vert(t, n - j, lo + j, hi ? hi + j : nullptr);
  }
}

void DwtHori(const float* src, int j0, int j1, float* out_lo, float* out_hi) {
  const DF d;
  const int N = static_cast<int>(hn::Lanes(d));
  int j = j0;
  for (; j + N <= j1; j += N) {
    VF a0, b0, a1, b1;
    hn::LoadInterleaved2(d, src + 2 * j, a0, b0);
    hn::LoadInterleaved2(d, src + 2 * j + 2, a1, b1);
    if (out_lo) hn::StoreU(Taps(d, kLo, a0, b0, a1, b1), d, out_lo + j);
    if (out_hi) hn::StoreU(Taps(d, kHi, a0, b0, a1, b1), d, out_hi + j);
  }
  if (j < j1) ref::dwt_hori(src, j, j1, out_lo, out_hi);
}

void Decouple(const float* const o[3], const float* const t[3], int n, float gain_limit,
              float* const r[3], float* const a[3]) {
  const DF d;
  const int N = static_cast<int>(hn::Lanes(d));
  const float cos1sq = static_cast<float>(std::cos(1.0 * 3.14159265358979323846 / 180.0) *
                                          std::cos(1.0 * 3.14159265358979323846 / 180.0));
  const VF vcos = hn::Set(d, cos1sq), eps = hn::Set(d, 1e-30f), gain = hn::Set(d, gain_limit);
  const VF zero = hn::Zero(d), one = hn::Set(d, 1.0f);
  int j = 0;
  for (; j + N <= n; j += N) {
    const VF oh = hn::LoadU(d, o[0] + j), ov = hn::LoadU(d, o[1] + j);
    const VF th = hn::LoadU(d, t[0] + j), tv = hn::LoadU(d, t[1] + j);
    const VF dp = hn::Add(hn::Mul(oh, th), hn::Mul(ov, tv));
    const VF om = hn::Add(hn::Mul(oh, oh), hn::Mul(ov, ov));
    const VF tm = hn::Add(hn::Mul(th, th), hn::Mul(tv, tv));
    const auto angle = hn::And(dp >= zero, hn::Mul(dp, dp) >= hn::Mul(hn::Mul(vcos, om), tm));
    for (int b = 0; b < 3; ++b) {
      const VF ob = hn::LoadU(d, o[b] + j), tb = hn::LoadU(d, t[b] + j);
      VF k = hn::Div(tb, hn::Add(ob, eps));
      k = hn::IfThenElse(k < zero, zero, hn::IfThenElse(k > one, one, k));
      VF rst = hn::Mul(k, ob);
      VF c = hn::Mul(rst, gain);
      rst = hn::IfThenElse(hn::And(angle, rst > zero), hn::IfThenElse(c < tb, c, tb), rst);
      c = hn::Mul(rst, gain);
      rst = hn::IfThenElse(hn::And(angle, rst < zero), hn::IfThenElse(c > tb, c, tb), rst);
      hn::StoreU(rst, d, r[b] + j);
      hn::StoreU(hn::Sub(tb, rst), d, a[b] + j);
    }
  }
  if (j < n) {
    const float* oo[3] = {o[0] + j, o[1] + j, o[2] + j};
    const float* tt[3] = {t[0] + j, t[1] + j, t[2] + j};
    float* rr[3] = {r[0] + j, r[1] + j, r[2] + j};
    float* aa[3] = {a[0] + j, a[1] + j, a[2] + j};
    ref::decouple(oo, tt, n - j, gain_limit, rr, aa);
  }
}

void Csf(const float* src, int n, float rf, float* mag, float* flt) {
  const DD dd;
  const DFH df;
  const int N = static_cast<int>(hn::Lanes(dd));
  const auto vrf = hn::Set(df, rf);
  const auto k30 = hn::Set(dd, kOneBy30);
  int j = 0;
  for (; j + N <= n; j += N) {
    const auto m = hn::Abs(hn::Mul(vrf, hn::LoadU(df, src + j)));
    hn::StoreU(m, df, mag + j);
    hn::StoreU(hn::DemoteTo(df, hn::Mul(k30, hn::PromoteTo(dd, m))), df, flt + j);
  }
  if (j < n) ref::csf(src + j, n - j, rf, mag + j, flt + j);
}

void DenTerms(const float* src, int n, float rf, bool cube, float* out) {
  const DF d;
  const int N = static_cast<int>(hn::Lanes(d));
  const VF vrf = hn::Set(d, rf);
  int j = 0;
  for (; j + N <= n; j += N) {
    const VF v = hn::Abs(hn::Mul(vrf, hn::LoadU(d, src + j)));
    hn::StoreU(cube ? hn::Mul(hn::Mul(v, v), v) : v, d, out + j);
  }
  if (j < n) ref::den_terms(src + j, n - j, rf, cube, out + j);
}

void CmTerms(const CmRows& rows, int n, const float rf[3], bool bypass, bool cube,
             float* const out[3]) {
  const DD dd;
  const DFH df;
  const int N = static_cast<int>(hn::Lanes(dd));
  const auto k15 = hn::Set(dd, kOneBy15);
  const auto zero = hn::Zero(df);
  int j = 0;
  for (; j + N <= n; j += N) {
    auto thr = zero;
    if (!bypass) {
      for (int b = 0; b < 3; ++b) {
        const float* ab = rows.above[b] + j;
        const float* ce = rows.center[b] + j;
        const float* be = rows.below[b] + j;
        auto s = hn::LoadU(df, ab - 1);
        s = hn::Add(s, hn::LoadU(df, ab));
        s = hn::Add(s, hn::LoadU(df, ab + 1));
        s = hn::Add(s, hn::LoadU(df, ce - 1));
        // libvmaf adds the double-valued centre term to the float sum in double.
        const auto ctr = hn::Mul(k15, hn::PromoteTo(dd, hn::LoadU(df, rows.mag[b] + j)));
        s = hn::DemoteTo(df, hn::Add(hn::PromoteTo(dd, s), ctr));
        s = hn::Add(s, hn::LoadU(df, ce + 1));
        s = hn::Add(s, hn::LoadU(df, be - 1));
        s = hn::Add(s, hn::LoadU(df, be));
        s = hn::Add(s, hn::LoadU(df, be + 1));
        thr = hn::Add(thr, s);
      }
    }
    for (int b = 0; b < 3; ++b) {
      auto x = hn::Sub(hn::Abs(hn::Mul(hn::LoadU(df, rows.src[b] + j), hn::Set(df, rf[b]))), thr);
      x = hn::IfThenElse(x < zero, zero, x);
      hn::StoreU(cube ? hn::Mul(hn::Mul(x, x), x) : x, df, out[b] + j);
    }
  }
  if (j < n) {
    CmRows t;
    for (int b = 0; b < 3; ++b) {
      t.src[b] = rows.src[b] + j;
      t.mag[b] = rows.mag[b] + j;
      t.above[b] = rows.above[b] + j;
      t.center[b] = rows.center[b] + j;
      t.below[b] = rows.below[b] + j;
    }
    float* oo[3] = {out[0] + j, out[1] + j, out[2] + j};
    ref::cm_terms(t, n - j, rf, bypass, cube, oo);
  }
}

double Sum16(const float* v, int n) {
  const DD dd;
  const DFH df;
  constexpr int kMaxVecs = 16;
  const int N = static_cast<int>(hn::Lanes(dd));
  const int vecs = 16 / N;  // N divides 16 on every target
  hn::Vec<DD> acc[kMaxVecs];
  for (int m = 0; m < vecs; ++m) acc[m] = hn::Zero(dd);
  int i = 0;
  for (; i + 16 <= n; i += 16)
    for (int m = 0; m < vecs; ++m)
      acc[m] = hn::Add(acc[m], hn::PromoteTo(dd, hn::LoadU(df, v + i + m * N)));
  HWY_ALIGN double lanes[16];
  for (int m = 0; m < vecs; ++m) hn::Store(acc[m], dd, lanes + m * N);
  for (int k = 0; i + k < n; ++k) lanes[k] += v[i + k];
  for (int w = 8; w >= 1; w /= 2)
    for (int k = 0; k < w; ++k) lanes[k] += lanes[k + w];
  return lanes[0];
}

}  // namespace vqfuse::kernels::admf::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace vqfuse::kernels::admf {
HWY_EXPORT(DwtVertU16);
HWY_EXPORT(DwtVert);
HWY_EXPORT(DwtHori);
HWY_EXPORT(Decouple);
HWY_EXPORT(Csf);
HWY_EXPORT(DenTerms);
HWY_EXPORT(CmTerms);
HWY_EXPORT(Sum16);

void dwt_vert_u16(const uint16_t* const rows[4], int n, int bpc, float* lo, float* hi) {
  HWY_DYNAMIC_DISPATCH(DwtVertU16)(rows, n, bpc, lo, hi);
}
void dwt_vert(const float* const rows[4], int n, float* lo, float* hi) {
  HWY_DYNAMIC_DISPATCH(DwtVert)(rows, n, lo, hi);
}
void dwt_hori(const float* src, int j0, int j1, float* out_lo, float* out_hi) {
  HWY_DYNAMIC_DISPATCH(DwtHori)(src, j0, j1, out_lo, out_hi);
}
void decouple(const float* const o[3], const float* const t[3], int n, float gain_limit,
              float* const r[3], float* const a[3]) {
  HWY_DYNAMIC_DISPATCH(Decouple)(o, t, n, gain_limit, r, a);
}
void csf(const float* src, int n, float rf, float* mag, float* flt) {
  HWY_DYNAMIC_DISPATCH(Csf)(src, n, rf, mag, flt);
}
void den_terms(const float* src, int n, float rf, bool cube, float* out) {
  HWY_DYNAMIC_DISPATCH(DenTerms)(src, n, rf, cube, out);
}
void cm_terms(const CmRows& rows, int n, const float rf[3], bool bypass, bool cube,
              float* const out[3]) {
  HWY_DYNAMIC_DISPATCH(CmTerms)(rows, n, rf, bypass, cube, out);
}
double sum16(const float* v, int n) { return HWY_DYNAMIC_DISPATCH(Sum16)(v, n); }
}  // namespace vqfuse::kernels::admf
#endif
