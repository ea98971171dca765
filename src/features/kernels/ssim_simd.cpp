// Highway version of the ssim.hpp row kernels. Vectors run at the double lane count: a float
// half-vector is multiplied by the tap, promoted and added to a double accumulator, which is
// exactly libvmaf's per-pixel arithmetic; the long tap chains are interleaved over several
// x-vectors so the double adds overlap instead of waiting on each other.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "features/kernels/ssim_simd.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "features/kernels/ssim.hpp"
#include "features/kernels/ssim_pixel.hpp"

HWY_BEFORE_NAMESPACE();
namespace vqfuse::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using DD = hn::ScalableTag<double>;
using DF = hn::Rebind<float, DD>;
using VD = hn::Vec<DD>;
using VF = hn::Vec<DF>;

// Scalar 11-tap pass, the tails' twin of the vector loops.
HWY_INLINE float Gauss11Scalar(const float* const* rows, size_t x) {
  double sum = 0.0;
  for (int t = 0; t < kSsimTaps; ++t) sum += rows[t][x] * kSsimGaussian[t];
  return static_cast<float>(sum);
}

void SsimHRow(const float* HWY_RESTRICT a, const float* HWY_RESTRICT b, size_t n, float* const* out,
              float* HWY_RESTRICT scratch) {
  const size_t w = n + kSsimTaps - 1;
  float* aa = scratch;
  float* bb = scratch + w;
  float* ab = scratch + 2 * w;
  {
    const hn::ScalableTag<float> d;
    const size_t NF = hn::Lanes(d);
    size_t i = 0;
    for (; i + NF <= w; i += NF) {
      const auto va = hn::LoadU(d, a + i);
      const auto vb = hn::LoadU(d, b + i);
      hn::StoreU(hn::Mul(va, va), d, aa + i);
      hn::StoreU(hn::Mul(vb, vb), d, bb + i);
      hn::StoreU(hn::Mul(va, vb), d, ab + i);
    }
    for (; i < w; ++i) {
      aa[i] = a[i] * a[i];
      bb[i] = b[i] * b[i];
      ab[i] = a[i] * b[i];
    }
  }
  const float* in[kSsimMoments] = {a, b, aa, bb, ab};
  const DD dd;
  const DF df;
  const size_t N = hn::Lanes(dd);
  VF k[kSsimTaps];
  for (int t = 0; t < kSsimTaps; ++t) k[t] = hn::Set(df, kSsimGaussian[t]);
  size_t x = 0;
  for (; x + N <= n; x += N) {
    VD acc[kSsimMoments];
    for (int m = 0; m < kSsimMoments; ++m) acc[m] = hn::Zero(dd);
    for (int t = 0; t < kSsimTaps; ++t)
      for (int m = 0; m < kSsimMoments; ++m)
        acc[m] = hn::Add(acc[m], hn::PromoteTo(dd, hn::Mul(hn::LoadU(df, in[m] + x + t), k[t])));
    for (int m = 0; m < kSsimMoments; ++m) hn::StoreU(hn::DemoteTo(df, acc[m]), df, out[m] + x);
  }
  for (; x < n; ++x)
    for (int m = 0; m < kSsimMoments; ++m) {
      double sum = 0.0;
      for (int t = 0; t < kSsimTaps; ++t) sum += in[m][x + t] * kSsimGaussian[t];
      out[m][x] = static_cast<float>(sum);
    }
}

struct SsimVecTerms {
  VD l, c, s;
};

// SSIM terms of N adjacent map pixels, the vector twin of ssim_pixel_terms.
HWY_INLINE SsimVecTerms SsimVecPixel(const float* const (*rows)[kSsimTaps], size_t x, const VF* k,
                                     float c1, float c2, float c3) {
  const DD dd;
  const DF df;
  const VF zf = hn::Zero(df);
  VD acc[kSsimMoments];
  for (int m = 0; m < kSsimMoments; ++m) acc[m] = hn::Zero(dd);
  for (int t = 0; t < kSsimTaps; ++t)
    for (int m = 0; m < kSsimMoments; ++m)
      acc[m] = hn::Add(acc[m], hn::PromoteTo(dd, hn::Mul(hn::LoadU(df, rows[m][t] + x), k[t])));
  const VF mua = hn::DemoteTo(df, acc[kMuA]);
  const VF mub = hn::DemoteTo(df, acc[kMuB]);
  const VF mama = hn::Mul(mua, mua);
  const VF mbmb = hn::Mul(mub, mub);
  VF sa = hn::Sub(hn::DemoteTo(df, acc[kAA]), mama);
  VF sb = hn::Sub(hn::DemoteTo(df, acc[kBB]), mbmb);
  sa = hn::IfThenElse(hn::Gt(zf, sa), zf, sa);
  sb = hn::IfThenElse(hn::Gt(zf, sb), zf, sb);
  const VF sab = hn::Sub(hn::DemoteTo(df, acc[kAB]), hn::Mul(mua, mub));
  const VF srs = hn::Sqrt(hn::Mul(sa, sb));
  const VD two = hn::Set(dd, 2.0);
  const VD l =
      hn::Div(hn::Add(hn::Mul(hn::Mul(two, hn::PromoteTo(dd, mua)), hn::PromoteTo(dd, mub)),
                      hn::Set(dd, static_cast<double>(c1))),
              hn::PromoteTo(dd, hn::Add(hn::Add(mama, mbmb), hn::Set(df, c1))));
  const VD c =
      hn::Div(hn::Add(hn::Mul(two, hn::PromoteTo(dd, srs)), hn::Set(dd, static_cast<double>(c2))),
              hn::PromoteTo(dd, hn::Add(hn::Add(sa, sb), hn::Set(df, c2))));
  const VF sab_c = hn::IfThenElse(hn::And(hn::Lt(sab, zf), hn::Le(srs, zf)), zf, sab);
  const VF c3f = hn::Set(df, c3);
  const VD s = hn::PromoteTo(dd, hn::Div(hn::Add(sab_c, c3f), hn::Add(srs, c3f)));
  return {l, c, s};
}

SsimRowSums SsimVRow(const float* const (*rows)[kSsimTaps], size_t n) {
  const DD dd;
  constexpr size_t N = hn::MaxLanes(DD());
  static_assert(N <= kSsimLanes && kSsimLanes % N == 0, "16 virtual lanes per row");
  constexpr size_t kGroups = kSsimLanes / N;  // vectors per 16 lanes
  const float c1 = ssim_c1(), c2 = ssim_c2(), c3 = c2 / 2.0f;
  const DF df;
  VF k[kSsimTaps];
  for (int t = 0; t < kSsimTaps; ++t) k[t] = hn::Set(df, kSsimGaussian[t]);

  VD al[kGroups], ac[kGroups], as[kGroups], alcs[kGroups];
  for (size_t g = 0; g < kGroups; ++g) al[g] = ac[g] = as[g] = alcs[g] = hn::Zero(dd);
  const auto add = [&](size_t g, const SsimVecTerms& r) {
    alcs[g] = hn::Add(alcs[g], hn::Mul(hn::Mul(r.l, r.c), r.s));
    al[g] = hn::Add(al[g], r.l);
    ac[g] = hn::Add(ac[g], r.c);
    as[g] = hn::Add(as[g], r.s);
  };
  size_t x = 0;
  for (; x + kSsimLanes <= n; x += kSsimLanes)
    for (size_t g = 0; g < kGroups; ++g) add(g, SsimVecPixel(rows, x + g * N, k, c1, c2, c3));
  for (; x + N <= n; x += N) add((x % kSsimLanes) / N, SsimVecPixel(rows, x, k, c1, c2, c3));

  HWY_ALIGN double ll[kSsimLanes], lc[kSsimLanes], ls[kSsimLanes], llcs[kSsimLanes];
  for (size_t g = 0; g < kGroups; ++g) {
    hn::Store(al[g], dd, ll + g * N);
    hn::Store(ac[g], dd, lc + g * N);
    hn::Store(as[g], dd, ls + g * N);
    hn::Store(alcs[g], dd, llcs + g * N);
  }
  for (; x < n; ++x) {
    float v[kSsimMoments];
    for (int m = 0; m < kSsimMoments; ++m) v[m] = Gauss11Scalar(rows[m], x);
    const SsimTerms r = ssim_pixel_terms(v[kMuA], v[kMuB], v[kAA], v[kBB], v[kAB], c1, c2, c3);
    const size_t lane = x % kSsimLanes;
    llcs[lane] += r.l * r.c * r.s;
    ll[lane] += r.l;
    lc[lane] += r.c;
    ls[lane] += r.s;
  }
  return {sum_lanes16(ll), sum_lanes16(lc), sum_lanes16(ls), sum_lanes16(llcs)};
}

// kChains x-vectors at a time keep that many independent 81-add chains in flight.
void MsSsimDecimateRow(const float* const* even, const float* const* odd, size_t n,
                       float* HWY_RESTRICT out) {
  const DD dd;
  const DF df;
  constexpr size_t N = hn::MaxLanes(DD());
  constexpr size_t kChains = 8;
  const float* src[kLpfTaps * kLpfTaps];
  for (int v = 0; v < kLpfTaps; ++v)
    for (int t = 0; t < kLpfTaps; ++t) src[v * kLpfTaps + t] = ((t & 1) ? odd[v] : even[v]) + t / 2;
  const float* lpf = &kMsSsimLpf[0][0];
  size_t x = 0;
  for (; x + kChains * N <= n; x += kChains * N) {
    VD a[kChains];
    for (size_t c = 0; c < kChains; ++c) a[c] = hn::Zero(dd);
    for (int i = 0; i < kLpfTaps * kLpfTaps; ++i) {
      const VF k = hn::Set(df, lpf[i]);
      const float* p = src[i] + x;
      for (size_t c = 0; c < kChains; ++c)
        a[c] = hn::Add(a[c], hn::PromoteTo(dd, hn::Mul(hn::LoadU(df, p + c * N), k)));
    }
    for (size_t c = 0; c < kChains; ++c) hn::StoreU(hn::DemoteTo(df, a[c]), df, out + x + c * N);
  }
  for (; x + N <= n; x += N) {
    VD a0 = hn::Zero(dd);
    for (int i = 0; i < kLpfTaps * kLpfTaps; ++i)
      a0 = hn::Add(a0, hn::PromoteTo(dd, hn::Mul(hn::LoadU(df, src[i] + x), hn::Set(df, lpf[i]))));
    hn::StoreU(hn::DemoteTo(df, a0), df, out + x);
  }
  for (; x < n; ++x) {
    double sum = 0.0;
    for (int i = 0; i < kLpfTaps * kLpfTaps; ++i) sum += src[i][x] * lpf[i];
    out[x] = static_cast<float>(sum);
  }
}

void SsimBoxAccumulate(const float* HWY_RESTRICT row, size_t n, float k, bool first,
                       double* HWY_RESTRICT acc) {
  const DD dd;
  const DF df;
  const size_t N = hn::Lanes(dd);
  const VF kv = hn::Set(df, k);
  size_t j = 0;
  for (; j + N <= n; j += N) {
    const VD base = first ? hn::Zero(dd) : hn::LoadU(dd, acc + j);
    hn::StoreU(hn::Add(base, hn::PromoteTo(dd, hn::Mul(hn::LoadU(df, row + j), kv))), dd, acc + j);
  }
  for (; j < n; ++j) acc[j] = (first ? 0.0 : acc[j]) + row[j] * k;
}

}  // namespace vqfuse::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace vqfuse::kernels {
HWY_EXPORT(SsimHRow);
HWY_EXPORT(SsimVRow);
HWY_EXPORT(MsSsimDecimateRow);
HWY_EXPORT(SsimBoxAccumulate);

void ssim_h_row(const float* a, const float* b, size_t n, float* const out[kSsimMoments],
                float* scratch) {
  HWY_DYNAMIC_DISPATCH(SsimHRow)(a, b, n, out, scratch);
}
SsimRowSums ssim_v_row(const float* const rows[kSsimMoments][kSsimTaps], size_t n) {
  return HWY_DYNAMIC_DISPATCH(SsimVRow)(rows, n);
}
void ms_ssim_decimate_row(const float* const even[kLpfTaps], const float* const odd[kLpfTaps],
                          size_t n, float* out) {
  HWY_DYNAMIC_DISPATCH(MsSsimDecimateRow)(even, odd, n, out);
}
void ssim_box_accumulate(const float* row, size_t n, float k, bool first, double* acc) {
  HWY_DYNAMIC_DISPATCH(SsimBoxAccumulate)(row, n, k, first, acc);
}
}  // namespace vqfuse::kernels
#endif
