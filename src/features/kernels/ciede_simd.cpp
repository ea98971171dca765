// Highway version of ciede.hpp: ref::yuv_to_lab and ref::delta_e on float vectors, operation by
// operation (both sides of every branch are computed and selected, which never changes the
// selected values), so every lane is bit-identical to the scalar reference on every target.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "features/kernels/ciede_simd.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "features/kernels/ciede.hpp"

HWY_BEFORE_NAMESPACE();
namespace vqfuse::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
using namespace ciede;  // NOLINT(build/namespaces)

using DF = hn::ScalableTag<float>;
using DI = hn::RebindToSigned<DF>;
using DU = hn::RebindToUnsigned<DF>;
using VF = hn::Vec<DF>;
using VI = hn::Vec<DI>;
using MF = hn::Mask<DF>;

HWY_INLINE VF K(float c) { return hn::Set(DF(), c); }
HWY_INLINE VI KI(int32_t c) { return hn::Set(DI(), c); }

template <size_t N>
HWY_INLINE VF Horner(const float (&c)[N], VF z) {
  VF p = K(c[0]);
  for (size_t i = 1; i < N; ++i) p = hn::Add(hn::Mul(p, z), K(c[i]));
  return p;
}

HWY_INLINE VF Mantissa(VF x) {
  const DI di;
  const VI bits = hn::BitCast(di, x);
  return hn::BitCast(DF(), hn::Or(hn::And(bits, KI(0x7fffff)), KI(0x3f800000)));
}
HWY_INLINE VI Exponent(VF x, int32_t lo, int32_t hi) {
  const DU du;
  const VI e = hn::Sub(hn::BitCast(DI(), hn::ShiftRight<23>(hn::BitCast(du, x))), KI(127));
  return hn::Min(hn::Max(e, KI(lo)), KI(hi));
}
HWY_INLINE VF Pow2I(VI n) { return hn::BitCast(DF(), hn::ShiftLeft<23>(hn::Add(n, KI(127)))); }

// table[idx] for idx in [0, 16) (tables padded to 16 entries): one lane permutation per
// Lanes()-sized chunk of the table.
HWY_INLINE VF Lookup16(const float* HWY_RESTRICT table, VI idx) {
#if HWY_TARGET == HWY_SCALAR
  return K(table[hn::GetLane(idx)]);
#else
  const DF df;
  const DI di;
  const size_t N = hn::Lanes(df);
  if (N >= 16) return hn::TableLookupLanes(hn::LoadU(df, table), hn::IndicesFromVec(df, idx));
  const VI lane = hn::And(idx, KI(static_cast<int32_t>(N - 1)));
  const VI chunk = hn::ShiftRightSame(idx, static_cast<int>(hwy::FloorLog2(N)));
  const auto ind = hn::IndicesFromVec(df, lane);
  VF r = hn::TableLookupLanes(hn::LoadU(df, table), ind);
  for (size_t c = 1; c * N < 16; ++c) {
    const VF v = hn::TableLookupLanes(hn::LoadU(df, table + c * N), ind);
    r = hn::IfThenElse(hn::RebindMask(df, hn::Eq(chunk, hn::Set(di, static_cast<int32_t>(c)))), v, r);
  }
  return r;
#endif
}

HWY_INLINE VF Pow24(VF t) {
  const VI e = Exponent(t, kPow24MinExp, kPow24MaxExp);
  const VF p = Horner(kPow24Poly, hn::Sub(Mantissa(t), K(1.5f)));
  return hn::Mul(p, Lookup16(kPow24Scale, hn::Sub(e, KI(kPow24MinExp))));
}

HWY_INLINE VF CbrtPos(VF x) {
  const VI e = Exponent(x, kCbrtMinExp, kCbrtMaxExp);
  const VF p = Horner(kCbrtPoly, hn::Sub(Mantissa(x), K(1.5f)));
  return hn::Mul(p, Lookup16(kCbrtScale, hn::Sub(e, KI(kCbrtMinExp))));
}

HWY_INLINE VF GammaExpand(VF c) {
  const VF pw = Pow24(hn::Mul(hn::Add(c, K(kGammaOffset)), K(kGammaScale)));
  return hn::IfThenElse(hn::Gt(c, K(kGammaThreshold)), pw, hn::Mul(c, K(kLinearScale)));
}

HWY_INLINE VF LabF(VF c) {
  const VF lin = hn::Mul(hn::Add(hn::Mul(K(kLabKappa), c), K(16.0f)), K(kInv116));
  return hn::IfThenElse(hn::Gt(c, K(kLabEpsilon)), CbrtPos(c), lin);
}

HWY_INLINE VF ExpNeg(VF q) {
  const DI di;
  const VF y = hn::Min(hn::Mul(q, K(kLog2e)), K(kExpClamp));
  const VI n = hn::ConvertTo(di, y);
  const VF g = hn::Sub(y, hn::ConvertTo(DF(), n));
  return hn::Mul(Horner(kExp2NegPoly, g), Pow2I(hn::Neg(n)));
}

HWY_INLINE VF Pow7(VF x) {
  const VF x2 = hn::Mul(x, x);
  const VF x3 = hn::Mul(x2, x);
  const VF x6 = hn::Mul(x3, x3);
  return hn::Mul(x6, x);
}

HWY_INLINE VF Atan2(VF y, VF x) {
  const DF df;
  const VF zero = hn::Zero(df);
  const VF ax = hn::Abs(x), ay = hn::Abs(y);
  const VF mx = hn::Max(ax, ay), mn = hn::Min(ax, ay);
  const VF t = hn::IfThenElse(hn::Gt(mx, zero), hn::Div(mn, mx), zero);
  VF a = hn::Mul(t, Horner(kAtanPoly, hn::Mul(t, t)));
  a = hn::IfThenElse(hn::Gt(ay, ax), hn::Sub(K(kHalfPi), a), a);
  a = hn::IfThenElse(hn::Lt(x, zero), hn::Sub(K(kFloatPi), a), a);
  return hn::IfThenElse(hn::Lt(y, zero), hn::Neg(a), a);
}

struct LabV {
  VF l, a, b;
};

// ref::yuv_to_lab up to the XYZ values (returned in l, a, b).
HWY_INLINE LabV YuvToXyz(VI yi, VI ui, VI vi, const CiedeScale& s) {
  const DF df;
  const VF y = hn::Mul(hn::Sub(hn::ConvertTo(df, yi), K(s.y_off)), K(s.y_scale));
  const VF u = hn::Mul(hn::Sub(hn::ConvertTo(df, ui), K(s.c_off)), K(s.c_scale));
  const VF v = hn::Mul(hn::Sub(hn::ConvertTo(df, vi), K(s.c_off)), K(s.c_scale));
  const VF r = GammaExpand(hn::Add(y, hn::Mul(K(kCrToR), v)));
  const VF g = GammaExpand(hn::Sub(hn::Sub(y, hn::Mul(K(kCbToG), u)), hn::Mul(K(kCrToG), v)));
  const VF b = GammaExpand(hn::Add(y, hn::Mul(K(kCbToB), u)));
  auto row = [&](int i) {
    return hn::Add(hn::Add(hn::Mul(K(kXyz[i]), r), hn::Mul(K(kXyz[i + 1]), g)), hn::Mul(K(kXyz[i + 2]), b));
  };
  return {row(0), row(3), row(6)};
}

// The rest of ref::yuv_to_lab.
HWY_INLINE LabV XyzToLab(const LabV& c) {
  const VF fx = LabF(c.l);
  const VF fy = LabF(c.a);
  const VF fz = LabF(c.b);
  return {hn::Sub(hn::Mul(K(116.0f), fy), K(16.0f)), hn::Mul(K(500.0f), hn::Sub(fx, fy)),
          hn::Mul(K(200.0f), hn::Sub(fy, fz))};
}

HWY_INLINE VF DeltaE(const LabV& c1, const LabV& c2) {
  const DF df;
  const VF zero = hn::Zero(df);
  const VF half = K(0.5f);
  const VF dl = hn::Sub(c2.l, c1.l);
  const VF lbar = hn::Mul(hn::Add(c1.l, c2.l), half);
  const VF ch1 = hn::Sqrt(hn::Add(hn::Mul(c1.a, c1.a), hn::Mul(c1.b, c1.b)));
  const VF ch2 = hn::Sqrt(hn::Add(hn::Mul(c2.a, c2.a), hn::Mul(c2.b, c2.b)));
  const VF cbar7 = Pow7(hn::Mul(hn::Add(ch1, ch2), half));
  const VF g = hn::Mul(half, hn::Sub(K(1.0f), hn::Sqrt(hn::Div(cbar7, hn::Add(cbar7, K(k25Pow7))))));
  const VF ap1 = hn::Add(c1.a, hn::Mul(c1.a, g));
  const VF ap2 = hn::Add(c2.a, hn::Mul(c2.a, g));
  const VF cp1 = hn::Sqrt(hn::Add(hn::Mul(ap1, ap1), hn::Mul(c1.b, c1.b)));
  const VF cp2 = hn::Sqrt(hn::Add(hn::Mul(ap2, ap2), hn::Mul(c2.b, c2.b)));
  const VF cbarp = hn::Mul(hn::Add(cp1, cp2), half);
  const VF dcp = hn::Sub(cp2, cp1);
  const VF lm = hn::Sub(lbar, K(50.0f));
  const VF lt = hn::Mul(lm, lm);
  const VF q = hn::Sqrt(hn::Add(K(20.0f), lt));
  const VF sc = hn::Add(K(1.0f), hn::Mul(K(0.045f), cbarp));

  const VF p = hn::Mul(cp1, cp2);
  const VF re = hn::Add(hn::Mul(ap1, ap2), hn::Mul(c1.b, c2.b));
  const VF im = hn::Sub(hn::Mul(ap1, c2.b), hn::Mul(c1.b, ap2));
  const MF stable = hn::Gt(re, zero);
  const VF two = K(2.0f);
  const VF nh = hn::IfThenElse(stable, hn::Mul(two, hn::Mul(im, im)), hn::Mul(two, hn::Sub(p, re)));
  const VF dh = hn::IfThenElse(stable, hn::Add(p, re), K(1.0f));
  const MF small1 = hn::Or(hn::Gt(c1.b, zero), hn::And(hn::Eq(c1.b, zero), hn::Gt(ap1, zero)));
  const MF neg = hn::Or(hn::Lt(im, zero),
                        hn::AndNot(small1, hn::And(hn::Eq(im, zero), hn::Lt(re, zero))));
  const VF root = hn::Sqrt(hn::Mul(nh, dh));
  const VF dh_signed = hn::IfThenElse(neg, hn::Neg(root), root);

  const MF same_half = hn::Ge(re, zero);
  const VF sx = hn::Add(hn::Mul(ap1, cp2), hn::Mul(ap2, cp1));
  const VF sy = hn::Add(hn::Mul(c1.b, cp2), hn::Mul(c2.b, cp1));
  const VF dx = hn::Sub(hn::Mul(ap2, cp1), hn::Mul(ap1, cp2));
  const VF dy = hn::Sub(hn::Mul(c2.b, cp1), hn::Mul(c1.b, cp2));
  VF wx = hn::IfThenElse(same_half, sx, hn::IfThenElse(neg, hn::Neg(dy), dy));
  VF wy = hn::IfThenElse(same_half, sy, hn::IfThenElse(neg, dx, hn::Neg(dx)));
  const MF degenerate = hn::Eq(hn::Add(hn::Mul(wx, wx), hn::Mul(wy, wy)), zero);
  if (HWY_UNLIKELY(!hn::AllFalse(df, degenerate))) {
    wx = hn::IfThenElse(degenerate, K(1.0f), wx);
    wy = hn::IfThenElseZero(hn::Not(degenerate), wy);
  }
  const VF inv_w = hn::Div(K(1.0f), hn::Sqrt(hn::Add(hn::Mul(wx, wx), hn::Mul(wy, wy))));
  const VF ch = hn::Mul(wx, inv_w), sh = hn::Mul(wy, inv_w);
  const VF c2h = hn::Sub(hn::Mul(ch, ch), hn::Mul(sh, sh));
  const VF s2h = hn::Mul(two, hn::Mul(ch, sh));
  const VF c3h = hn::Sub(hn::Mul(c2h, ch), hn::Mul(s2h, sh));
  const VF s3h = hn::Add(hn::Mul(s2h, ch), hn::Mul(c2h, sh));
  const VF c4h = hn::Sub(hn::Mul(c2h, c2h), hn::Mul(s2h, s2h));
  const VF s4h = hn::Mul(two, hn::Mul(s2h, c2h));
  const VF t1 = hn::Sub(K(1.0f), hn::Mul(K(0.17f), hn::Add(hn::Mul(ch, K(kCos30)), hn::Mul(sh, K(kSin30)))));
  const VF t2 = hn::Add(t1, hn::Mul(K(0.24f), c2h));
  const VF t3 = hn::Add(t2, hn::Mul(K(0.32f), hn::Sub(hn::Mul(c3h, K(kCos6)), hn::Mul(s3h, K(kSin6)))));
  const VF t = hn::Sub(t3, hn::Mul(K(0.20f), hn::Add(hn::Mul(c4h, K(kCos63)), hn::Mul(s4h, K(kSin63)))));
  const VF shh = hn::Add(K(1.0f), hn::Mul(hn::Mul(K(0.015f), cbarp), t));

  const VF vx = hn::Add(hn::Mul(ch, K(kCos275)), hn::Mul(sh, K(kSin275)));
  const VF vy = hn::Sub(hn::Mul(sh, K(kCos275)), hn::Mul(ch, K(kSin275)));
  const MF up1 = hn::Ge(c1.b, zero), up2 = hn::Ge(c2.b, zero);
  const MF wrap = hn::Or(hn::And(hn::AndNot(up2, up1), hn::Lt(im, zero)),
                         hn::And(hn::AndNot(up1, up2), hn::Gt(im, zero)));
  const MF far = hn::Le(vx, K(kCos112_5));
  const MF below_95 = hn::AndNot(wrap, hn::And(hn::Gt(vy, zero), hn::Lt(vx, K(kCos85))));
  const MF active = hn::Not(hn::Or(far, below_95));
  VF rt = zero;
  if (!hn::AllFalse(df, active)) {
    const VF deg = hn::Mul(Atan2(vy, vx), K(kRadTo25Deg));
    const VF theta = hn::Mul(ExpNeg(hn::Mul(deg, deg)), K(kPiOver3));
    const VF sin_theta = hn::Mul(theta, Horner(kSinPoly, hn::Mul(theta, theta)));
    const VF cbarp7 = Pow7(cbarp);
    rt = hn::IfThenElseZero(
        active, hn::Mul(K(-2.0f), hn::Mul(hn::Sqrt(hn::Div(cbarp7, hn::Add(cbarp7, K(k25Pow7)))), sin_theta)));
  }

  const VF a = hn::Mul(K(kKl), hn::Add(q, hn::Mul(K(0.015f), lt)));
  const VF cc = hn::Mul(K(kKh), shh);
  const VF inv = hn::Div(K(1.0f), hn::Mul(hn::Mul(hn::Mul(a, sc), cc), dh));
  const VF lterm = hn::Mul(hn::Mul(hn::Mul(hn::Mul(hn::Mul(dl, q), sc), cc), dh), inv);
  const VF cterm = hn::Mul(hn::Mul(hn::Mul(hn::Mul(dcp, a), cc), dh), inv);
  const VF hterm = hn::Mul(hn::Mul(hn::Mul(dh_signed, a), sc), inv);
  const VF sum = hn::Add(hn::Add(hn::Add(hn::Mul(lterm, lterm), hn::Mul(cterm, cterm)), hn::Mul(hterm, hterm)),
                         hn::Mul(hn::Mul(rt, cterm), hterm));
  return hn::Sqrt(sum);
}

// Adds lane i of d (pixel x0 + i) into acc[(x0 + i) % 16], i < count: every slot receives its
// pixels in x order, as in the reference.
HWY_INLINE void AccumulateTail(VF d, size_t x0, size_t count, double acc[16]) {
  HWY_ALIGN float tmp[HWY_MAX_BYTES / sizeof(float)];
  hn::Store(d, DF(), tmp);
  for (size_t i = 0; i < count; ++i) acc[(x0 + i) & 15] += static_cast<double>(tmp[i]);
}

// The same for a full vector at x0 (a multiple of Lanes(), which divides 16).
HWY_INLINE void Accumulate(VF d, size_t x0, double acc[16]) {
#if HWY_TARGET == HWY_SCALAR
  AccumulateTail(d, x0, 1, acc);
#else
  const DF df;
  const hn::Half<DF> dh;
  const hn::Rebind<double, decltype(dh)> dd;
  double* slot = acc + (x0 & 15);
  const size_t H = hn::Lanes(dd);
  hn::StoreU(hn::Add(hn::LoadU(dd, slot), hn::PromoteTo(dd, hn::LowerHalf(dh, d))), dd, slot);
  hn::StoreU(hn::Add(hn::LoadU(dd, slot + H), hn::PromoteTo(dd, hn::UpperHalf(dh, d))), dd, slot + H);
  (void)df;
#endif
}

// Three passes over chunks of kChunk pixels (YUV -> XYZ, XYZ -> L*a*b*, dE00) through L1-resident
// buffers: each loop keeps its constants in registers instead of spilling one huge body.
void CiedeRow(const uint16_t* const ref[3], const uint16_t* const dis[3], size_t n,
              int chroma_shift, const CiedeScale& s, double acc[16]) {
  constexpr size_t kChunk = 256;  // a multiple of 16: chunks start at slot 0
  const DF df;
  const DI di;
  const hn::Rebind<uint16_t, DF> d16;
  const DU du;
  const size_t N = hn::Lanes(df);
  auto load = [&](const uint16_t* p) { return hn::BitCast(di, hn::PromoteTo(du, hn::LoadU(d16, p))); };
  // Lane i of a subsampled chroma vector takes sample i / 2.
  HWY_ALIGN int32_t half_idx[HWY_MAX_BYTES / sizeof(int32_t)];
  for (size_t i = 0; i < N; ++i) half_idx[i] = static_cast<int32_t>(i / 2);
  const auto up = hn::SetTableIndices(di, half_idx);
  auto load_c = [&](const uint16_t* row, size_t x) {
    if (chroma_shift == 0) return load(row + x);
    return hn::TableLookupLanes(load(row + (x >> 1)), up);
  };
  const size_t cw = (n + (size_t{1} << chroma_shift) - 1) >> chroma_shift;
  HWY_ALIGN float buf[6][kChunk];
  HWY_ALIGN int32_t pad[6][HWY_MAX_BYTES / sizeof(int32_t)];
  auto store = [&](const LabV& c, float* const* dst, size_t i) {
    hn::Store(c.l, df, dst[0] + i);
    hn::Store(c.a, df, dst[1] + i);
    hn::Store(c.b, df, dst[2] + i);
  };
  float* const out1[3] = {buf[0], buf[1], buf[2]};
  float* const out2[3] = {buf[3], buf[4], buf[5]};
  for (size_t x0 = 0; x0 < n; x0 += kChunk) {
    const size_t count = n - x0 < kChunk ? n - x0 : kChunk;
    for (size_t i = 0; i < count; i += N) {
      const size_t x = x0 + i;
      if (x + N <= n && (x >> chroma_shift) + N <= cw) {
        store(YuvToXyz(load(ref[0] + x), load_c(ref[1], x), load_c(ref[2], x), s), out1, i);
        store(YuvToXyz(load(dis[0] + x), load_c(dis[1], x), load_c(dis[2], x), s), out2, i);
        continue;
      }
      // Row end: lanes past n repeat the last pixel (computed, never summed).
      for (size_t k = 0; k < N; ++k) {
        const size_t px = x + k < n ? x + k : n - 1;
        const size_t c = px >> chroma_shift;
        pad[0][k] = ref[0][px]; pad[1][k] = ref[1][c]; pad[2][k] = ref[2][c];
        pad[3][k] = dis[0][px]; pad[4][k] = dis[1][c]; pad[5][k] = dis[2][c];
      }
      store(YuvToXyz(hn::Load(di, pad[0]), hn::Load(di, pad[1]), hn::Load(di, pad[2]), s), out1, i);
      store(YuvToXyz(hn::Load(di, pad[3]), hn::Load(di, pad[4]), hn::Load(di, pad[5]), s), out2, i);
    }
    for (size_t i = 0; i < count; i += N)
      for (int c = 0; c < 6; c += 3) {
        float* const io[3] = {buf[c], buf[c + 1], buf[c + 2]};
        store(XyzToLab({hn::Load(df, io[0] + i), hn::Load(df, io[1] + i), hn::Load(df, io[2] + i)}), io, i);
      }
    for (size_t i = 0; i < count; i += N) {
      const LabV l1{hn::Load(df, buf[0] + i), hn::Load(df, buf[1] + i), hn::Load(df, buf[2] + i)};
      const LabV l2{hn::Load(df, buf[3] + i), hn::Load(df, buf[4] + i), hn::Load(df, buf[5] + i)};
      const VF de = DeltaE(l1, l2);
      if (i + N <= count) {
        Accumulate(de, x0 + i, acc);
      } else {
        AccumulateTail(de, x0 + i, count - i, acc);
      }
    }
  }
}

}  // namespace vqfuse::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace vqfuse::kernels {
HWY_EXPORT(CiedeRow);
void ciede_row(const uint16_t* const ref[3], const uint16_t* const dis[3], size_t n,
               int chroma_shift, const CiedeScale& s, double acc[16]) {
  HWY_DYNAMIC_DISPATCH(CiedeRow)(ref, dis, n, chroma_shift, s, acc);
}
}  // namespace vqfuse::kernels
#endif
