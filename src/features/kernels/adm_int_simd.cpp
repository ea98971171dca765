// Highway versions of adm_int.hpp. Where a step needs 64-bit products the kernel works at the
// int64 lane count (int32 data loaded as half vectors and promoted), so every target, including
// 1-lane HWY_SCALAR, uses the same code. Tails go to the scalar reference, which is the spec.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "features/kernels/adm_int_simd.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <cmath>

#include "features/kernels/adm_int.hpp"

HWY_BEFORE_NAMESPACE();
namespace vqfuse::kernels::admi::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using D32 = hn::ScalableTag<int32_t>;
using D64 = hn::ScalableTag<int64_t>;

// Sum of the 64-bit lanes modulo 2^64. Not SumOfLanes: gcc's _mm512_reduce_add_epi64 adds as
// signed long long, undefined behaviour when extreme inputs wrap (libvmaf wraps silently).
template <class D>
HWY_INLINE uint64_t WrapSum64(D d, hn::Vec<D> v) {
  const hn::Repartition<uint64_t, D> du;
  HWY_ALIGN uint64_t lanes[hn::MaxLanes(du)];
  hn::Store(hn::BitCast(du, v), du, lanes);
  uint64_t t = 0;
  for (size_t i = 0; i < hn::Lanes(du); ++i) t += lanes[i];
  return t;
}
using D32H = hn::Rebind<int32_t, D64>;  // int32 with the int64 lane count
using V32 = hn::Vec<D32>;
using V64 = hn::Vec<D64>;
using V32H = hn::Vec<D32H>;

constexpr int32_t kLo[4] = {15826, 27411, 7345, -4240};
constexpr int32_t kHi[4] = {-4240, -7345, 27411, -15826};

// Signed product of the low 32 bits of each int64 lane (vpmuldq).
HWY_INLINE V64 Mul32(V64 a, V64 b) {
#if HWY_TARGET == HWY_SCALAR
  const int64_t x = static_cast<int32_t>(hn::GetLane(a));
  const int64_t y = static_cast<int32_t>(hn::GetLane(b));
  return hn::Set(D64(), x * y);
#else
  const hn::Repartition<int32_t, D64> d32;
  return hn::MulEven(hn::BitCast(d32, a), hn::BitCast(d32, b));
#endif
}

// Unsigned product of the low 32 bits of each uint64 lane (vpmuludq).
template <class VU>
HWY_INLINE VU MulU32(VU a, VU b) {
  const hn::DFromV<VU> du;
#if HWY_TARGET == HWY_SCALAR
  const uint64_t x = static_cast<uint32_t>(hn::GetLane(a));
  const uint64_t y = static_cast<uint32_t>(hn::GetLane(b));
  return hn::Set(du, x * y);
#else
  const hn::Repartition<uint32_t, decltype(du)> d32;
  return hn::MulEven(hn::BitCast(d32, a), hn::BitCast(d32, b));
#endif
}

// Low 32 bits of each int64 lane, as int32.
HWY_INLINE V32H Trunc32(V64 v) {
  const hn::Rebind<uint64_t, D64> du64;
  const hn::Rebind<uint32_t, D64> du32;
  return hn::BitCast(D32H(), hn::TruncateTo(du32, hn::BitCast(du64, v)));
}

template <class V>
HWY_INLINE V Wrap16(V v) {
  return hn::ShiftRight<16>(hn::ShiftLeft<16>(v));
}

HWY_INLINE V64 Load64(const int32_t* p) { return hn::PromoteTo(D64(), hn::LoadU(D32H(), p)); }

// (int64)v * rf for an int32 v and an uint32 weight rf, exact.
HWY_INLINE V64 MulWeight(V32H v, V64 rf) {
  const hn::Rebind<uint32_t, D64> du32;
  const hn::Rebind<uint64_t, D64> du64;
  const V64 v64 = hn::PromoteTo(D64(), v);
  const auto mag = hn::PromoteTo(du64, hn::BitCast(du32, hn::Abs(v)));
  const V64 p = hn::BitCast(D64(), MulU32(mag, hn::BitCast(du64, rf)));
  return hn::IfThenElse(v64 < hn::Zero(D64()), hn::Neg(p), p);
}

// libvmaf's i4 CSF weighting: (int32)((v * rf + 2^27) >> 28).
HWY_INLINE V32H WeightI4(V32H v, V64 rf) {
  return Trunc32(hn::ShiftRight<28>(hn::Add(MulWeight(v, rf), hn::Set(D64(), 1 << 27))));
}

// (int32)((k * |v| - 2^31) >> 32) with abs(INT32_MIN) == INT32_MIN, as libvmaf.
HWY_INLINE V32H ScaledAbsI4(V32H v, V64 k) {
  const V64 m = hn::PromoteTo(D64(), hn::Abs(v));
  return Trunc32(hn::ShiftRight<32>(hn::Sub(Mul32(m, k), hn::Set(D64(), 2147483648LL))));
}

// (sum f*s + 2^(sh-1)) >> sh truncated to int32 for int32 samples s and 16-bit taps f, without
// 64-bit lanes: with s = 2^16*hi + lo (lo unsigned), sum f*s = 2^16*A + B where A = sum f*hi fits
// int32 and B = sum f*lo lies in [bmin, bmin + 2^32), so B - bmin is exact in uint32 even though
// B wraps. Then the result is A * 2^(16-sh) + q + ((B - bmin + r) >> sh) with bmin + 2^(sh-1) =
// q * 2^sh + r; all terms wrap like libvmaf's truncation to int32.
struct SplitTaps {
  int32_t f[4];
  int32_t bmin, q;
  uint32_t r;
  int shift;
};

HWY_INLINE SplitTaps MakeSplit(const int32_t f[4], int shift) {
  SplitTaps t;
  int64_t neg = 0;
  for (int k = 0; k < 4; ++k) {
    t.f[k] = f[k];
    if (f[k] < 0) neg -= f[k];
  }
  const int64_t bmin = -neg * 65535;
  const int64_t c = bmin + (int64_t{1} << (shift - 1));
  const int64_t q = c >= 0 ? c >> shift : -((-c + (int64_t{1} << shift) - 1) >> shift);
  t.bmin = static_cast<int32_t>(bmin);
  t.q = static_cast<int32_t>(q);
  t.r = static_cast<uint32_t>(c - q * (int64_t{1} << shift));
  t.shift = shift;
  return t;
}

HWY_INLINE V32 SplitFilter(const SplitTaps& t, const V32 hi[4], const V32 lo[4]) {
  const D32 d;
  const hn::RebindToUnsigned<D32> du;
  V32 a = hn::Mul(hi[0], hn::Set(d, t.f[0]));
  V32 b = hn::Mul(lo[0], hn::Set(d, t.f[0]));
  for (int k = 1; k < 4; ++k) {
    a = hn::Add(a, hn::Mul(hi[k], hn::Set(d, t.f[k])));
    b = hn::Add(b, hn::Mul(lo[k], hn::Set(d, t.f[k])));
  }
  const auto bu = hn::BitCast(du, hn::Sub(b, hn::Set(d, t.bmin)));
  const V32 frac = hn::BitCast(d, hn::ShiftRightSame(hn::Add(bu, hn::Set(du, t.r)), t.shift));
  return hn::Add(hn::Add(hn::ShiftLeftSame(a, 16 - t.shift), frac), hn::Set(d, t.q));
}

HWY_INLINE void Split(V32 s, V32& hi, V32& lo) {
  hi = hn::ShiftRight<16>(s);
  lo = hn::And(s, hn::Set(D32(), 0xFFFF));
}

// Runs body(j) on [j0, j1) in steps of N; an incomplete last step re-runs the last full vector
// (elementwise kernels recompute identical values), or the reference when the span is short.
template <class Body, class Tail>
HWY_INLINE void Elementwise(int j0, int j1, int N, const Body& body, const Tail& tail) {
  int j = j0;
  for (; j + N <= j1; j += N) body(j);
  if (j == j1) return;
  if (j1 - j0 >= N) body(j1 - N);
  else tail(j, j1);
}

#if HWY_ARCH_X86 && HWY_TARGET != HWY_SCALAR
// x86: pmaddwd (ReorderWidenMulAccumulate pairs adjacent int16 lanes there) on the int16 rows
// of scale 0. Two taps per instruction; packssdw after the per-128-bit-block unpacks restores
// the column order.
using D16 = hn::ScalableTag<int16_t>;
using DW = hn::Repartition<int32_t, D16>;

HWY_INLINE hn::Vec<D16> TapPair(int32_t f0, int32_t f1) {
  return hn::BitCast(D16(), hn::Set(DW(), static_cast<int32_t>((static_cast<uint32_t>(f1) << 16) |
                                                                  (static_cast<uint32_t>(f0) & 0xFFFF))));
}

HWY_INLINE hn::Vec<DW> Madd(hn::Vec<D16> a, hn::Vec<D16> b, hn::Vec<DW> sum) {
  hn::Vec<DW> unused = hn::Zero(DW());
  return hn::ReorderWidenMulAccumulate(DW(), a, b, sum, unused);
}

void DwtVertS0(const uint16_t* const rows[4], int n, int bpc, int16_t* lo, int16_t* hi) {
  const D16 d;
  const DW dw;
  const hn::RebindToUnsigned<D16> du;
  const int N = static_cast<int>(hn::Lanes(d));
  const int32_t round = 1 << (bpc - 1);
  const auto lo_bias = hn::Set(dw, -46342 * round + round), hi_bias = hn::Set(dw, round);
  const auto lo01 = TapPair(kLo[0], kLo[1]), lo23 = TapPair(kLo[2], kLo[3]);
  const auto hi01 = TapPair(kHi[0], kHi[1]), hi23 = TapPair(kHi[2], kHi[3]);
  // Samples < 2^12 are valid int16; the results fit int16 (|.| <= 27411), so the saturating
  // pack is exact and libvmaf's int16 store needs no wrap.
  const auto body = [&](int j) {
    hn::Vec<D16> r[4];
    for (int k = 0; k < 4; ++k) r[k] = hn::BitCast(d, hn::LoadU(du, rows[k] + j));
    const auto a01 = hn::InterleaveLower(d, r[0], r[1]), b01 = hn::InterleaveUpper(d, r[0], r[1]);
    const auto a23 = hn::InterleaveLower(d, r[2], r[3]), b23 = hn::InterleaveUpper(d, r[2], r[3]);
    const auto pack = [&](hn::Vec<D16> t01, hn::Vec<D16> t23, hn::Vec<DW> bias) {
      const auto x = hn::ShiftRightSame(Madd(a23, t23, Madd(a01, t01, bias)), bpc);
      const auto y = hn::ShiftRightSame(Madd(b23, t23, Madd(b01, t01, bias)), bpc);
      return hn::ReorderDemote2To(d, x, y);
    };
    hn::StoreU(pack(lo01, lo23, lo_bias), d, lo + j);
    if (hi) hn::StoreU(pack(hi01, hi23, hi_bias), d, hi + j);
  };
  Elementwise(0, n, N, body, [&](int j, int j1) {
    const uint16_t* t[4] = {rows[0] + j, rows[1] + j, rows[2] + j, rows[3] + j};
    ref::dwt_vert_s0(t, j1 - j, bpc, lo + j, hi ? hi + j : nullptr);
  });
}

void DwtHoriS0(const int16_t* src, int j0, int j1, int32_t* out_lo, int32_t* out_hi) {
  const D16 d;
  const DW dw;
  const int N = static_cast<int>(hn::Lanes(dw));
  const auto lo01 = TapPair(kLo[0], kLo[1]), lo23 = TapPair(kLo[2], kLo[3]);
  const auto hi01 = TapPair(kHi[0], kHi[1]), hi23 = TapPair(kHi[2], kHi[3]);
  const auto round = hn::Set(dw, 32768);
  // Output j = taps . src[2j .. 2j+3]: the pairs (2j, 2j+1) and (2j+2, 2j+3) are adjacent
  // int16 lanes, so no shuffles are needed.
  const auto body = [&](int j) {
    const auto x = hn::LoadU(d, src + 2 * j), y = hn::LoadU(d, src + 2 * j + 2);
    if (out_lo) hn::StoreU(hn::ShiftRight<16>(Madd(y, lo23, Madd(x, lo01, round))), dw, out_lo + j);
    if (out_hi) hn::StoreU(hn::ShiftRight<16>(Madd(y, hi23, Madd(x, hi01, round))), dw, out_hi + j);
  };
  Elementwise(j0, j1, N, body, [&](int j, int e) { ref::dwt_hori_s0(src, j, e, out_lo, out_hi); });
}
#else
void DwtVertS0(const uint16_t* const rows[4], int n, int bpc, int16_t* lo, int16_t* hi) {
  ref::dwt_vert_s0(rows, n, bpc, lo, hi);
}
void DwtHoriS0(const int16_t* src, int j0, int j1, int32_t* out_lo, int32_t* out_hi) {
  ref::dwt_hori_s0(src, j0, j1, out_lo, out_hi);
}
#endif

void DwtVertS123(const int32_t* const rows[4], int n, int scale, int32_t* lo, int32_t* hi) {
  const D32 d;
  const int N = static_cast<int>(hn::Lanes(d));
  const auto tail = [&](int j, int e) {
    const int32_t* t[4] = {rows[0] + j, rows[1] + j, rows[2] + j, rows[3] + j};
    ref::dwt_vert_s123(t, e - j, scale, lo + j, hi ? hi + j : nullptr);
  };
  if (scale == 1) {
    // No shift: the low 32 bits of the int64 sum are the int32 wrapping sum.
    Elementwise(0, n, N, [&](int j) {
      V32 s[4];
      for (int k = 0; k < 4; ++k) s[k] = hn::LoadU(d, rows[k] + j);
      V32 l = hn::Add(hn::Add(hn::Mul(s[0], hn::Set(d, kLo[0])), hn::Mul(s[1], hn::Set(d, kLo[1]))),
                      hn::Add(hn::Mul(s[2], hn::Set(d, kLo[2])), hn::Mul(s[3], hn::Set(d, kLo[3]))));
      hn::StoreU(l, d, lo + j);
      if (hi) {
        V32 h = hn::Add(hn::Add(hn::Mul(s[0], hn::Set(d, kHi[0])), hn::Mul(s[1], hn::Set(d, kHi[1]))),
                        hn::Add(hn::Mul(s[2], hn::Set(d, kHi[2])), hn::Mul(s[3], hn::Set(d, kHi[3]))));
        hn::StoreU(h, d, hi + j);
      }
    }, tail);
  } else {
    const SplitTaps lo_taps = MakeSplit(kLo, 16), hi_taps = MakeSplit(kHi, 16);
    Elementwise(0, n, N, [&](int j) {
      V32 sh[4], sl[4];
      for (int k = 0; k < 4; ++k) Split(hn::LoadU(d, rows[k] + j), sh[k], sl[k]);
      hn::StoreU(SplitFilter(lo_taps, sh, sl), d, lo + j);
      if (hi) hn::StoreU(SplitFilter(hi_taps, sh, sl), d, hi + j);
    }, tail);
  }
}

void DwtHori(const int32_t* src, int j0, int j1, int scale, int32_t* out_lo, int32_t* out_hi) {
  const D32 d;
  const int N = static_cast<int>(hn::Lanes(d));
  const int shift = scale == 2 ? 16 : 15;
  const SplitTaps lo_taps = MakeSplit(kLo, shift), hi_taps = MakeSplit(kHi, shift);
  Elementwise(j0, j1, N, [&](int j) {
    V32 v[4];
    hn::LoadInterleaved2(d, src + 2 * j, v[0], v[1]);
    hn::LoadInterleaved2(d, src + 2 * j + 2, v[2], v[3]);
    V32 sh[4], sl[4];
    for (int k = 0; k < 4; ++k) Split(v[k], sh[k], sl[k]);
    if (out_lo) hn::StoreU(SplitFilter(lo_taps, sh, sl), d, out_lo + j);
    if (out_hi) hn::StoreU(SplitFilter(hi_taps, sh, sl), d, out_hi + j);
  }, [&](int j, int e) { ref::dwt_hori(src, j, e, scale, out_lo, out_hi); });
}

// int64 -> float rounding (as libvmaf's (float) cast), returned as double. Converts to double
// with round-to-odd first so that the second rounding to float is exact.
template <class DF>
HWY_INLINE hn::Vec<DF> RoundToFloat(DF df, V64 x) {
  const D64 d;
  const hn::Rebind<float, D64> dff;
  auto v = hn::ConvertTo(df, x);
  const V64 rest = hn::Sub(x, hn::ConvertTo(d, v));
  const V64 bits = hn::BitCast(d, v);
  const auto even = hn::And(bits, hn::Set(d, 1)) == hn::Zero(d);
  const auto inexact = rest != hn::Zero(d);
  // One ulp toward x: magnitude up when x lies further from zero than v.
  const auto away = hn::Xor(rest > hn::Zero(d), bits < hn::Zero(d));
  const V64 step = hn::IfThenElse(away, hn::Set(d, 1), hn::Set(d, -1));
  const V64 odd = hn::IfThenElse(hn::And(even, inexact), hn::Add(bits, step), bits);
  return hn::PromoteTo(df, hn::DemoteTo(dff, hn::BitCast(df, odd)));
}

// Scale 0 (int16 bands): every intermediate is an integer below 2^53, so double lanes compute
// libvmaf's int64 steps exactly, the reciprocal is libvmaf's direct div_lookup[o + 32768]
// (which equals the best-15-bits lookup of the scales 1..3 path for int16 input), and the angle
// test rounds exact values to float once.
void DecoupleS0(const int32_t* const o[3], const int32_t* const t[3], int n, double gain_limit,
                float cos1sq, int32_t* const r[3], int32_t* const a[3]) {
  const hn::ScalableTag<double> df;
  const hn::Rebind<int32_t, decltype(df)> d32;
  const hn::Rebind<float, decltype(df)> dff;
  using VD = hn::Vec<decltype(df)>;
  const int N = static_cast<int>(hn::Lanes(df));
  const VD k2p30 = hn::Set(df, 1073741824.0);
  const VD vcos = hn::Set(df, static_cast<double>(cos1sq)), vgain = hn::Set(df, gain_limit);
  const VD zero = hn::Zero(df), round = hn::Set(df, 16384.0), inv = hn::Set(df, 1.0 / 32768);
  const VD kmax = hn::Set(df, 32768.0);
  const auto to_float = [&](VD v) { return hn::PromoteTo(df, hn::DemoteTo(dff, v)); };
  const auto body = [&](int j) {
    hn::Vec<decltype(d32)> o32[3], t32[3];
    VD od[3], td[3];
    for (int b = 0; b < 3; ++b) {
      o32[b] = hn::LoadU(d32, o[b] + j);
      t32[b] = hn::LoadU(d32, t[b] + j);
      od[b] = hn::PromoteTo(df, o32[b]);
      td[b] = hn::PromoteTo(df, t32[b]);
    }
    const VD dp = to_float(hn::Add(hn::Mul(od[0], td[0]), hn::Mul(od[1], td[1])));
    const VD om = to_float(hn::Add(hn::Mul(od[0], od[0]), hn::Mul(od[1], od[1])));
    const VD tm = to_float(hn::Add(hn::Mul(td[0], td[0]), hn::Mul(td[1], td[1])));
    const auto angle = hn::And(dp >= zero, hn::Mul(dp, dp) >= hn::Mul(hn::Mul(vcos, om), tm));
    for (int b = 0; b < 3; ++b) {
      // div_lookup[o + 32768] = trunc(2^30 / o): a gather is slow on some CPUs, and the floor of
      // the correctly rounded double quotient is exact (its fraction is >= 2^-15 > the error).
      const VD recip = hn::CopySign(hn::Floor(hn::Div(k2p30, hn::Abs(od[b]))), od[b]);
      VD k = hn::Floor(hn::Mul(hn::Add(hn::Mul(recip, td[b]), round), inv));
      k = hn::IfThenElse(od[b] == zero, kmax, k);
      k = hn::Min(hn::Max(k, zero), kmax);
      const VD rst = hn::Floor(hn::Mul(hn::Add(hn::Mul(k, od[b]), round), inv));
      // k > 0 implies o and t share a sign, so libvmaf's MIN (o > 0) / MAX (o < 0) against t is
      // the smaller magnitude with t's sign.
      const VD lim = hn::CopySign(hn::Min(hn::Abs(hn::Mul(rst, vgain)), hn::Abs(td[b])), td[b]);
      const VD res = hn::IfThenElse(hn::And(angle, k > zero), lim, rst);
      // |r| <= |o| and a = t - r with r between 0 and t: both fit int16, no wrap needed.
      const auto r32 = hn::DemoteTo(d32, res);
      hn::StoreU(r32, d32, r[b] + j);
      hn::StoreU(hn::Sub(t32[b], r32), d32, a[b] + j);
    }
  };
  Elementwise(0, n, N, body, [&](int j, int e) {
    const int32_t* oo[3] = {o[0] + j, o[1] + j, o[2] + j};
    const int32_t* tt[3] = {t[0] + j, t[1] + j, t[2] + j};
    int32_t* rr[3] = {r[0] + j, r[1] + j, r[2] + j};
    int32_t* aa[3] = {a[0] + j, a[1] + j, a[2] + j};
    ref::decouple(oo, tt, e - j, gain_limit, true, rr, aa);
  });
}

void Decouple(const int32_t* const o[3], const int32_t* const t[3], int n, double gain_limit,
              bool wrap16, int32_t* const r[3], int32_t* const a[3]) {
  const D64 d;
  const D32H d32;
  const hn::Rebind<uint32_t, D64> du32;
  const hn::Rebind<float, D64> dff;
  const hn::Rebind<double, D64> df;
  const int N = static_cast<int>(hn::Lanes(d));
  const float cos1sq = static_cast<float>(std::cos(1.0 * 3.14159265358979323846 / 180.0) *
                                          std::cos(1.0 * 3.14159265358979323846 / 180.0));
  if (wrap16) return DecoupleS0(o, t, n, gain_limit, cos1sq, r, a);
  const auto vcos = hn::Set(df, static_cast<double>(cos1sq));
  const auto vgain = hn::Set(df, gain_limit);
  const auto dzero = hn::Zero(df), kmax = hn::Set(df, 32768.0), k2p30 = hn::Set(df, 1073741824.0);
  const auto r15 = hn::Set(df, 16384.0), inv15 = hn::Set(df, 1.0 / 32768);
  const auto body = [&](int j) {
    const V64 oh = Load64(o[0] + j), ov = Load64(o[1] + j);
    const V64 th = Load64(t[0] + j), tv = Load64(t[1] + j);
    const auto dp = RoundToFloat(df, hn::Add(Mul32(oh, th), Mul32(ov, tv)));
    const auto om = RoundToFloat(df, hn::Add(Mul32(oh, oh), Mul32(ov, ov)));
    const auto tm = RoundToFloat(df, hn::Add(Mul32(th, th), Mul32(tv, tv)));
    const auto angle_f = hn::And(dp >= dzero, hn::Mul(dp, dp) >= hn::Mul(hn::Mul(vcos, om), tm));
    for (int b = 0; b < 3; ++b) {
      const V32H o32 = hn::LoadU(d32, o[b] + j);
      const V32H t32 = hn::LoadU(d32, t[b] + j);
      const auto od = hn::PromoteTo(df, o32), td = hn::PromoteTo(df, t32);
      // Best 15 bits of |o|: shift = bit length - 15 when |o| >= 2^15 (libvmaf get_best15_from32).
      const V32H abs32 = hn::Abs(o32);  // INT32_MIN stays negative: its magnitude is 2^31
      const auto mag = hn::BitCast(du32, abs32);
      const auto big = hn::Or(abs32 > hn::Set(d32, 32767), abs32 < hn::Zero(d32));
      const V32H expo = hn::BitCast(d32, hn::ConvertTo(dff, hn::BitCast(d32, hn::ShiftRight<8>(mag))));
      const V32H shift = hn::IfThenElseZero(big, hn::Sub(hn::ShiftRight<23>(expo), hn::Set(d32, 133)));
      const V32H shift1 = hn::Max(shift, hn::Set(d32, 1));
      const auto half = hn::Set(du32, 1u) << hn::BitCast(du32, hn::Sub(shift1, hn::Set(d32, 1)));
      const auto rounded = hn::Add(mag, half) >> hn::BitCast(du32, shift1);
      const V32H msb = hn::IfThenElse(big, hn::BitCast(d32, rounded), hn::BitCast(d32, mag));
      // k = clamp((recip * t * sign + round) >> (15 + shift), 0, 32768) in double: the product
      // is exact below 2^53 and beyond that k clamps the same whatever the rounding.
      const auto recip = hn::Floor(hn::Div(k2p30, hn::PromoteTo(df, msb)));
      auto prod = hn::Mul(recip, td);
      prod = hn::IfThenElse(od < dzero, hn::Neg(prod), prod);
      // libvmaf adds (int)(1 << (14 + shift)), which is INT32_MIN for shift 17.
      const auto round = hn::PromoteTo(df, hn::Set(d32, 1) << hn::Add(shift, hn::Set(d32, 14)));
      const auto scale = hn::PromoteTo(df, hn::BitCast(dff, hn::ShiftLeft<23>(hn::Sub(hn::Set(d32, 112), shift))));
      auto k = hn::Floor(hn::Mul(hn::Add(prod, round), scale));
      k = hn::IfThenElse(od == dzero, kmax, k);
      k = hn::Min(hn::Max(k, dzero), kmax);
      const auto rst = hn::Floor(hn::Mul(hn::Add(hn::Mul(k, od), r15), inv15));
      const auto lim = hn::CopySign(hn::Min(hn::Abs(hn::Mul(rst, vgain)), hn::Abs(td)), td);
      const auto res = hn::IfThenElse(hn::And(angle_f, k > dzero), lim, rst);
      const V32H r32 = hn::DemoteTo(d32, res);
      hn::StoreU(r32, d32, r[b] + j);
      hn::StoreU(hn::Sub(t32, r32), d32, a[b] + j);
    }
  };
  Elementwise(0, n, N, body, [&](int j, int e) {
    const int32_t* oo[3] = {o[0] + j, o[1] + j, o[2] + j};
    const int32_t* tt[3] = {t[0] + j, t[1] + j, t[2] + j};
    int32_t* rr[3] = {r[0] + j, r[1] + j, r[2] + j};
    int32_t* aa[3] = {a[0] + j, a[1] + j, a[2] + j};
    ref::decouple(oo, tt, e - j, gain_limit, wrap16, rr, aa);
  });
}

void DenS0(const int32_t* const b[3], int n, uint64_t sum[3]) {
  const D64 d;
  const int N = static_cast<int>(hn::Lanes(d));
  int j = 0;
  V64 acc[3] = {hn::Zero(d), hn::Zero(d), hn::Zero(d)};
  for (; j + N <= n; j += N) {
    for (int k = 0; k < 3; ++k) {
      const V64 v = hn::PromoteTo(d, hn::Abs(hn::LoadU(D32H(), b[k] + j)));
      acc[k] = hn::Add(acc[k], Mul32(Mul32(v, v), v));
    }
  }
  uint64_t tail[3] = {0, 0, 0};
  if (j < n) {
    const int32_t* bb[3] = {b[0] + j, b[1] + j, b[2] + j};
    ref::den_s0(bb, n - j, tail);
  }
  for (int k = 0; k < 3; ++k)
    sum[k] = WrapSum64(d, acc[k]) + tail[k];
}

void DenS123(const int32_t* const b[3], int n, int shift_sq, int shift_cub, uint64_t sum[3]) {
  const hn::ScalableTag<uint64_t> du;
  const hn::Rebind<uint32_t, decltype(du)> du32;
  const int N = static_cast<int>(hn::Lanes(du));
  const auto add_sq = hn::Set(du, uint64_t{1} << shift_sq);
  const auto add_cub = hn::Set(du, shift_cub > 0 ? uint64_t{1} << (shift_cub - 1) : 0);
  int j = 0;
  hn::Vec<decltype(du)> acc[3] = {hn::Zero(du), hn::Zero(du), hn::Zero(du)};
  for (; j + N <= n; j += N) {
    for (int k = 0; k < 3; ++k) {
      const auto v = hn::PromoteTo(du, hn::BitCast(du32, hn::Abs(hn::LoadU(D32H(), b[k] + j))));
      const auto sq = hn::ShiftRightSame(hn::Add(MulU32(v, v), add_sq), shift_sq);
      // sq can reach 2^32 + 2 (|x| near 2^31): add the product of its upper part.
      const auto cube = hn::Add(MulU32(sq, v), hn::ShiftLeft<32>(MulU32(hn::ShiftRight<32>(sq), v)));
      acc[k] = hn::Add(acc[k], hn::ShiftRightSame(hn::Add(cube, add_cub), shift_cub));
    }
  }
  uint64_t tail[3] = {0, 0, 0};
  if (j < n) {
    const int32_t* bb[3] = {b[0] + j, b[1] + j, b[2] + j};
    ref::den_s123(bb, n - j, shift_sq, shift_cub, tail);
  }
  for (int k = 0; k < 3; ++k) sum[k] = WrapSum64(du, acc[k]) + tail[k];
}

void CsfS0(const int32_t* const src[3], int n, const uint16_t rfactor[3], int32_t* f,
           int32_t* c) {
  const D32 d;
  const int N = static_cast<int>(hn::Lanes(d));
  const V32 k30 = hn::Set(d, 4369), k15 = hn::Set(d, 8738), r12 = hn::Set(d, 2048);
  const auto body = [&](int j) {
    V32 dst[3];
    dst[0] = hn::ShiftRight<15>(hn::Add(hn::Mul(hn::LoadU(d, src[0] + j), hn::Set(d, rfactor[0])), hn::Set(d, 16384)));
    dst[1] = hn::ShiftRight<15>(hn::Add(hn::Mul(hn::LoadU(d, src[1] + j), hn::Set(d, rfactor[1])), hn::Set(d, 16384)));
    dst[2] = hn::ShiftRight<17>(hn::Add(hn::Mul(hn::LoadU(d, src[2] + j), hn::Set(d, rfactor[2])), hn::Set(d, 65535)));
    V32 fs = hn::Zero(d), cs = hn::Zero(d);
    for (int b = 0; b < 3; ++b) {
      const V32 mag = hn::Abs(Wrap16(dst[b]));
      fs = hn::Add(fs, Wrap16(hn::ShiftRight<12>(hn::Add(hn::Mul(mag, k30), r12))));
      cs = hn::Add(cs, Wrap16(hn::ShiftRight<12>(hn::Add(hn::Mul(mag, k15), r12))));
    }
    hn::StoreU(fs, d, f + j);
    hn::StoreU(cs, d, c + j);
  };
  Elementwise(0, n, N, body, [&](int j, int e) {
    const int32_t* s[3] = {src[0] + j, src[1] + j, src[2] + j};
    ref::csf_s0(s, e - j, rfactor, f + j, c + j);
  });
}

void CsfS123(const int32_t* const src[3], int n, const uint32_t rfactor[3], int32_t* f,
             int32_t* c) {
  const D64 d;
  const D32H d32;
  const int N = static_cast<int>(hn::Lanes(d));
  const V64 k30 = hn::Set(d, 143165577), k15 = hn::Set(d, 286331153);
  V64 rf[3];
  for (int b = 0; b < 3; ++b) rf[b] = hn::Set(d, static_cast<int64_t>(rfactor[b]));
  const auto body = [&](int j) {
    V32H fs = hn::Zero(d32), cs = hn::Zero(d32);
    for (int b = 0; b < 3; ++b) {
      const V32H dst = WeightI4(hn::LoadU(d32, src[b] + j), rf[b]);
      fs = hn::Add(fs, ScaledAbsI4(dst, k30));
      cs = hn::Add(cs, ScaledAbsI4(dst, k15));
    }
    hn::StoreU(fs, d32, f + j);
    hn::StoreU(cs, d32, c + j);
  };
  Elementwise(0, n, N, body, [&](int j, int e) {
    const int32_t* s[3] = {src[0] + j, src[1] + j, src[2] + j};
    ref::csf_s123(s, e - j, rfactor, f + j, c + j);
  });
}

void Cm(const int32_t* const src[3], const int32_t* fa, const int32_t* fc, const int32_t* fb,
        const int32_t* c, int n, const CmParams& p, int64_t sum[3]) {
  const D64 d;
  const D32H d32;
  const int N = static_cast<int>(hn::Lanes(d));
  V64 acc[3] = {hn::Zero(d), hn::Zero(d), hn::Zero(d)};
  const hn::Repartition<uint64_t, D64> du_acc;
  V64 rf64[3], add_sq[3], add_cub[3];
  V32H rf32[3];
  for (int b = 0; b < 3; ++b) {
    rf64[b] = hn::Set(d, static_cast<int64_t>(p.rfactor[b]));
    rf32[b] = hn::Set(d32, static_cast<int32_t>(p.rfactor[b]));
    add_sq[b] = hn::Set(d, int64_t{1} << (p.shift_sq[b] - 1));
    add_cub[b] = hn::Set(d, p.shift_cub[b] > 0 ? int64_t{1} << (p.shift_cub[b] - 1) : 0);
  }
  int j = 0;
  for (; j + N <= n; j += N) {
    V32H thr = hn::LoadU(d32, c + j);
    thr = hn::Add(thr, hn::Add(hn::LoadU(d32, fa + j - 1), hn::LoadU(d32, fb + j - 1)));
    thr = hn::Add(thr, hn::Add(hn::LoadU(d32, fa + j), hn::LoadU(d32, fb + j)));
    thr = hn::Add(thr, hn::Add(hn::LoadU(d32, fa + j + 1), hn::LoadU(d32, fb + j + 1)));
    thr = hn::Add(thr, hn::Add(hn::LoadU(d32, fc + j - 1), hn::LoadU(d32, fc + j + 1)));
    for (int b = 0; b < 3; ++b) {
      const V32H s = hn::LoadU(d32, src[b] + j);
      V32H x = p.s123 ? WeightI4(s, rf64[b]) : hn::Mul(s, rf32[b]);
      x = hn::Max(hn::Sub(hn::Abs(x), hn::ShiftLeftSame(thr, p.sub[b])), hn::Zero(d32));
      const V64 x64 = hn::PromoteTo(d, x);
      // The squared term is truncated to int32 as libvmaf does: Mul32 reads its low half.
      const V64 sq = hn::ShiftRightSame(hn::Add(Mul32(x64, x64), add_sq[b]), p.shift_sq[b]);
      acc[b] = hn::BitCast(d, hn::Add(hn::BitCast(du_acc, acc[b]),
                                      hn::BitCast(du_acc, hn::ShiftRightSame(hn::Add(Mul32(sq, x64), add_cub[b]),
                                                                             p.shift_cub[b]))));
    }
  }
  int64_t tail[3] = {0, 0, 0};
  if (j < n) {
    const int32_t* s[3] = {src[0] + j, src[1] + j, src[2] + j};
    ref::cm(s, fa + j, fc + j, fb + j, c + j, n - j, p, tail);
  }
  // Lane sums wrap modulo 2^64 like the scalar reference (unsigned: no signed-overflow UB).
  for (int b = 0; b < 3; ++b)
    sum[b] = static_cast<int64_t>(WrapSum64(d, acc[b]) + static_cast<uint64_t>(tail[b]));
}

}  // namespace vqfuse::kernels::admi::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace vqfuse::kernels::admi {
HWY_EXPORT(DwtVertS0);
HWY_EXPORT(DwtVertS123);
HWY_EXPORT(DwtHoriS0);
HWY_EXPORT(DwtHori);
HWY_EXPORT(Decouple);
HWY_EXPORT(DenS0);
HWY_EXPORT(DenS123);
HWY_EXPORT(CsfS0);
HWY_EXPORT(CsfS123);
HWY_EXPORT(Cm);

void dwt_vert_s0(const uint16_t* const rows[4], int n, int bpc, int16_t* lo, int16_t* hi) {
  HWY_DYNAMIC_DISPATCH(DwtVertS0)(rows, n, bpc, lo, hi);
}
void dwt_hori_s0(const int16_t* src, int j0, int j1, int32_t* out_lo, int32_t* out_hi) {
  HWY_DYNAMIC_DISPATCH(DwtHoriS0)(src, j0, j1, out_lo, out_hi);
}
void dwt_vert_s123(const int32_t* const rows[4], int n, int scale, int32_t* lo, int32_t* hi) {
  HWY_DYNAMIC_DISPATCH(DwtVertS123)(rows, n, scale, lo, hi);
}
void dwt_hori(const int32_t* src, int j0, int j1, int scale, int32_t* out_lo, int32_t* out_hi) {
  HWY_DYNAMIC_DISPATCH(DwtHori)(src, j0, j1, scale, out_lo, out_hi);
}
void decouple(const int32_t* const o[3], const int32_t* const t[3], int n, double gain_limit,
              bool wrap16, int32_t* const r[3], int32_t* const a[3]) {
  HWY_DYNAMIC_DISPATCH(Decouple)(o, t, n, gain_limit, wrap16, r, a);
}
void den_s0(const int32_t* const b[3], int n, uint64_t sum[3]) {
  HWY_DYNAMIC_DISPATCH(DenS0)(b, n, sum);
}
void den_s123(const int32_t* const b[3], int n, int shift_sq, int shift_cub, uint64_t sum[3]) {
  HWY_DYNAMIC_DISPATCH(DenS123)(b, n, shift_sq, shift_cub, sum);
}
void csf_s0(const int32_t* const src[3], int n, const uint16_t rfactor[3], int32_t* f,
            int32_t* c) {
  HWY_DYNAMIC_DISPATCH(CsfS0)(src, n, rfactor, f, c);
}
void csf_s123(const int32_t* const src[3], int n, const uint32_t rfactor[3], int32_t* f,
              int32_t* c) {
  HWY_DYNAMIC_DISPATCH(CsfS123)(src, n, rfactor, f, c);
}
void cm(const int32_t* const src[3], const int32_t* f_above, const int32_t* f_center,
        const int32_t* f_below, const int32_t* c, int n, const CmParams& p, int64_t sum[3]) {
  HWY_DYNAMIC_DISPATCH(Cm)(src, f_above, f_center, f_below, c, n, p, sum);
}
}  // namespace vqfuse::kernels::admi
#endif
