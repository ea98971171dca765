// Highway version of psnr_hvs.hpp: one block per lane, every lane running the reference's
// sequence of float and int32 operations (separate Mul and Add, IEEE division and sqrt), so the
// terms are bit-identical to the scalar reference on every target.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "features/kernels/psnr_hvs_simd.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "features/kernels/psnr_hvs.hpp"

HWY_BEFORE_NAMESPACE();
namespace vqfuse::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using DF = hn::ScalableTag<float>;
using DI = hn::RebindToSigned<DF>;
using VF = hn::Vec<DF>;
using VI = hn::Vec<DI>;

// Daala's unbiased shift by one (rounds toward zero): (a + (a < 0)) >> 1.
HWY_INLINE VI Half(VI a) { return hn::ShiftRight<1>(hn::Sub(a, hn::ShiftRight<31>(a))); }

template <int kShift>
HWY_INLINE VI MulShift(VI t, int32_t c, int32_t r) {
  const DI di;
  return hn::ShiftRight<kShift>(hn::Add(hn::Mul(t, hn::Set(di, c)), hn::Set(di, r)));
}

// ref::fdct8 on vectors: x[k * xs] in, y[k * ys] out.
HWY_INLINE void Fdct8(VI* y, int ys, const VI* x, int xs) {
  VI t0 = x[0 * xs], t4 = x[1 * xs], t2 = x[2 * xs], t6 = x[3 * xs];
  VI t7 = x[4 * xs], t3 = x[5 * xs], t5 = x[6 * xs], t1 = x[7 * xs];
  t1 = hn::Sub(t0, t1);
  const VI t1h = Half(t1);
  t0 = hn::Sub(t0, t1h);
  t4 = hn::Add(t4, t5);
  const VI t4h = Half(t4);
  t5 = hn::Sub(t5, t4h);
  t3 = hn::Sub(t2, t3);
  t2 = hn::Sub(t2, Half(t3));
  t6 = hn::Add(t6, t7);
  const VI t6h = Half(t6);
  t7 = hn::Sub(t6h, t7);
  t0 = hn::Add(t0, t6h);
  t6 = hn::Sub(t0, t6);
  t2 = hn::Sub(t4h, t2);
  t4 = hn::Sub(t2, t4);
  t0 = hn::Sub(t0, MulShift<15>(t4, 13573, 16384));
  t4 = hn::Add(t4, MulShift<14>(t0, 11585, 8192));
  t0 = hn::Sub(t0, MulShift<15>(t4, 13573, 16384));
  t6 = hn::Sub(t6, MulShift<15>(t2, 21895, 16384));
  t2 = hn::Add(t2, MulShift<14>(t6, 15137, 8192));
  t6 = hn::Sub(t6, MulShift<15>(t2, 21895, 16384));
  t3 = hn::Add(t3, MulShift<15>(t5, 19195, 16384));
  t5 = hn::Add(t5, MulShift<14>(t3, 11585, 8192));
  t3 = hn::Sub(t3, MulShift<13>(t5, 7489, 4096));
  t7 = hn::Sub(Half(t5), t7);
  t5 = hn::Sub(t5, t7);
  t3 = hn::Sub(t1h, t3);
  t1 = hn::Sub(t1, t3);
  t7 = hn::Add(t7, MulShift<15>(t1, 3227, 16384));
  t1 = hn::Sub(t1, MulShift<15>(t7, 6393, 16384));
  t7 = hn::Add(t7, MulShift<15>(t1, 3227, 16384));
  t5 = hn::Add(t5, MulShift<13>(t3, 2485, 4096));
  t3 = hn::Sub(t3, MulShift<15>(t5, 18205, 16384));
  t5 = hn::Add(t5, MulShift<13>(t3, 2485, 4096));
  y[0 * ys] = t0; y[1 * ys] = t1; y[2 * ys] = t2; y[3 * ys] = t3;
  y[4 * ys] = t4; y[5 * ys] = t5; y[6 * ys] = t6; y[7 * ys] = t7;
}

HWY_INLINE void Fdct8x8(VI* x) {
  VI z[64];
  for (int i = 0; i < 8; ++i) Fdct8(z + 8 * i, 1, x + i, 8);
  for (int i = 0; i < 8; ++i) Fdct8(x + 8 * i, 1, z + i, 8);
}

HWY_INLINE int Sub4(int k) { return ((k >> 3) >= 4) + 2 * ((k & 7) >= 4); }

// ref var_ratio on vectors.
HWY_INLINE VF VarRatio(const VI* x) {
  const DF df;
  VF gmean = hn::Zero(df);
  VF means[4] = {gmean, gmean, gmean, gmean};
  for (int k = 0; k < 64; ++k) {
    const VF v = hn::ConvertTo(df, x[k]);
    gmean = hn::Add(gmean, v);
    means[Sub4(k)] = hn::Add(means[Sub4(k)], v);
  }
  gmean = hn::Div(gmean, hn::Set(df, 64.f));
  for (VF& m : means) m = hn::Div(m, hn::Set(df, 16.f));
  VF gvar = hn::Zero(df);
  VF vars[4] = {gvar, gvar, gvar, gvar};
  for (int k = 0; k < 64; ++k) {
    const VF v = hn::ConvertTo(df, x[k]);
    const VF dg = hn::Sub(v, gmean);
    const VF ds = hn::Sub(v, means[Sub4(k)]);
    gvar = hn::Add(gvar, hn::Mul(dg, dg));
    vars[Sub4(k)] = hn::Add(vars[Sub4(k)], hn::Mul(ds, ds));
  }
  gvar = hn::Mul(gvar, hn::Set(df, kPsnrHvsGlobalVarScale));
  for (VF& v : vars) v = hn::Mul(v, hn::Set(df, kPsnrHvsSubVarScale));
  const VF sum = hn::Add(hn::Add(hn::Add(vars[0], vars[1]), vars[2]), vars[3]);
  return hn::IfThenElse(hn::Gt(gvar, hn::Zero(df)), hn::Div(sum, gvar), gvar);
}

HWY_INLINE VF MaskOf(const VI* c, VF ratio, const PsnrHvsTables& t) {
  const DF df;
  VF m = hn::Zero(df);
  for (int k = 1; k < 64; ++k)
    m = hn::Add(m, hn::Mul(hn::ConvertTo(df, hn::Mul(c[k], c[k])), hn::Set(df, t.mask[k])));
  return hn::Div(hn::Sqrt(hn::Mul(m, ratio)), hn::Set(df, 32.f));
}

void PsnrHvsBlocks(const int32_t* HWY_RESTRICT src, const int32_t* HWY_RESTRICT dst, size_t stride,
                   size_t n, const PsnrHvsTables& t, float* HWY_RESTRICT terms) {
  const DF df;
  const DI di;
  const size_t N = hn::Lanes(df);
  for (size_t b = 0; b < n; b += N) {
    VI s[64], d[64];
    for (int k = 0; k < 64; ++k) {
      s[k] = hn::LoadU(di, src + k * stride + b);
      d[k] = hn::LoadU(di, dst + k * stride + b);
    }
    const VF s_ratio = VarRatio(s);
    const VF d_ratio = VarRatio(d);
    Fdct8x8(s);
    Fdct8x8(d);
    const VF sm = MaskOf(s, s_ratio, t);
    const VF dm = MaskOf(d, d_ratio, t);
    const VF m = hn::IfThenElse(hn::Gt(dm, sm), dm, sm);
    for (int k = 0; k < 64; ++k) {
      VF err = hn::ConvertTo(df, hn::Abs(hn::Sub(s[k], d[k])));
      if (k != 0) {
        const VF thr = hn::Div(m, hn::Set(df, t.mask[k]));
        err = hn::IfThenZeroElse(hn::Lt(err, thr), hn::Sub(err, thr));
      }
      const VF e = hn::Mul(err, hn::Set(df, t.csf[k]));
      hn::StoreU(hn::Mul(e, e), df, terms + k * stride + b);
    }
  }
}

}  // namespace vqfuse::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace vqfuse::kernels {
HWY_EXPORT(PsnrHvsBlocks);
void psnr_hvs_blocks(const int32_t* src, const int32_t* dst, size_t stride, size_t n,
                     const PsnrHvsTables& t, float* terms) {
  HWY_DYNAMIC_DISPATCH(PsnrHvsBlocks)(src, dst, stride, n, t, terms);
}
}  // namespace vqfuse::kernels
#endif
