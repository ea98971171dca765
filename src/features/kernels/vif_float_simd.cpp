// Highway version of vif_float.hpp. Every output value is computed with the scalar reference's
// operations in the same order, vectorised across columns only: filters accumulate tap by tap
// from 0 with Mul then Add (the build uses -ffp-contract=off), the statistic promotes to double
// exactly where libvmaf does, and log2 is libvmaf's float polynomial evaluated lane-wise. Row
// sums stay sequential float additions (scalar, several rows interleaved for throughput).
// HWY_SCALAR runs the reference itself.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "features/kernels/vif_float_simd.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/aligned_allocator.h>
#include <hwy/highway.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

#include "features/kernels/vif_float.hpp"

#ifndef VQFUSE_VIF_FLOAT_SIMD_ONCE
#define VQFUSE_VIF_FLOAT_SIMD_ONCE
namespace vqfuse::kernels::vif_float_detail {

inline int round_up(int x, int m) { return (x + m - 1) / m * m; }
inline int mirror(int x, int n) { return x < 0 ? -x : (x >= n ? 2 * n - x - 2 : x); }
// mirror() kept inside [0, n) with its parity, for padding entries no filter tap reads.
inline int mirror_clamped(int x, int n) {
  if (n < 2) return 0;
  int m = mirror(x, n);
  while (m < 0 || m >= n) m = m < 0 ? m + 2 : m - 2;
  return m;
}

// Mirrors `radius` samples beyond both ends of row[0, w) (libvmaf's reflect-101 edges).
inline void pad_row(float* row, int w, int radius) {
  for (int m = 1; m <= radius; ++m) {
    row[-m] = row[m];
    row[w - 1 + m] = row[w - 1 - m];
  }
}

// The float 'matching_matlab' statistic thresholds in the form the vector code compares with.
struct StatConsts {
  float eps = 1.0e-10f;
  float gain_limit;
  float sigma_max_inv;
  float nsq_up;  // smallest float >= sigma_nsq: (double)s < nsq  <=>  s < nsq_up
  double nsq;
};

inline StatConsts stat_consts(double sigma_nsq, double gain_limit) {
  StatConsts c;
  c.gain_limit = static_cast<float>(gain_limit);
  c.sigma_max_inv =
      static_cast<float>(std::pow(static_cast<float>(sigma_nsq), 2.0f) / (255.0 * 255.0));
  c.nsq = sigma_nsq;
  float up = static_cast<float>(sigma_nsq);
  if (static_cast<double>(up) < sigma_nsq) up = std::nextafter(up, INFINITY);
  c.nsq_up = up;
  return c;
}

}  // namespace vqfuse::kernels::vif_float_detail
#endif

HWY_BEFORE_NAMESPACE();
namespace vqfuse::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
// File-local: other kernels share this namespace per target.
namespace {

#if HWY_TARGET == HWY_SCALAR

void VifFloatStats(const VifFloatStatsArgs& a) { ref::vif_float_stats(a); }
void VifFloatDecimate(const VifFloatDecimateArgs& a) { ref::vif_float_decimate(a); }

#else

using namespace vif_float_detail;  // NOLINT

// Per-thread scratch, grown on demand (kernels never nest, so one buffer per thread is safe).
float* scratch(size_t n) {
  thread_local hwy::AlignedFreeUniquePtr<float[]> buf;
  thread_local size_t size = 0;
  if (size < n) {
    buf = hwy::AllocateAligned<float>(n);
    std::memset(buf.get(), 0, n * sizeof(float));  // padding lanes must hold finite values
    size = n;
  }
  return buf.get();
}

// libvmaf's log2f_approx on lanes (inputs are >= 1 here, so its 0 / negative cases never occur).
template <class D>
HWY_INLINE hn::Vec<D> Log2Approx(D d, hn::Vec<D> x) {
  const hn::RebindToUnsigned<D> du;
  const hn::RebindToSigned<D> di;
  const auto u = hn::BitCast(du, x);
  const auto expo = hn::BitCast(di, hn::ShiftRight<23>(hn::And(u, hn::Set(du, 0x7F800000u))));
  const auto base = hn::ConvertTo(d, hn::Sub(expo, hn::Set(di, 127)));
  const auto one_m =
      hn::BitCast(d, hn::Or(hn::And(u, hn::Set(du, 0x007FFFFFu)), hn::Set(du, 0x3F800000u)));
  const auto t = hn::Sub(one_m, hn::Set(d, 1.0f));
  static constexpr float kPoly[9] = {-0.012671635276421f, 0.064841182402670f,
                                     -0.157048836463065f, 0.257167726303123f,
                                     -0.353800560300520f, 0.480131410397451f,
                                     -0.721314327952201f, 1.442694803896991f, 0.0f};
  auto p = hn::Zero(d);
  for (float c : kPoly) p = hn::Add(hn::Mul(p, t), hn::Set(d, c));
  return hn::Add(base, p);
}

// Rows of the vertical pass computed together: each input row (and its squares) is loaded
// once for all of them; every output still adds its taps in tap order.
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX3
constexpr int kBlock = 4;  // 20 accumulators fit the 32 vector registers
#else
constexpr int kBlock = 2;
#endif

// Vertical pass of the five planes for kB consecutive output rows; output row b filters
// rows[b .. b + taps).
template <int kB>
void VerticalFive(const float* const* rr, const float* const* dr, const float* f, int taps, int w,
                  float* const (*out)[5]) {
  const hn::ScalableTag<float> d;
  using V = hn::Vec<decltype(d)>;
  const int n = static_cast<int>(hn::Lanes(d));
  int j = 0;
  for (; j + n <= w; j += n) {
    V acc[kB][5];
    for (int b = 0; b < kB; ++b)
      for (int p = 0; p < 5; ++p) acc[b][p] = hn::Zero(d);
    for (int i = 0; i < taps + kB - 1; ++i) {
      const V x = hn::LoadU(d, rr[i] + j);
      const V y = hn::LoadU(d, dr[i] + j);
      const V xx = hn::Mul(x, x), yy = hn::Mul(y, y), xy = hn::Mul(x, y);
      for (int b = 0; b < kB; ++b) {
        const int k = i - b;
        if (k < 0 || k >= taps) continue;
        const V fk = hn::Set(d, f[k]);
        acc[b][0] = hn::Add(acc[b][0], hn::Mul(fk, x));
        acc[b][1] = hn::Add(acc[b][1], hn::Mul(fk, y));
        acc[b][2] = hn::Add(acc[b][2], hn::Mul(fk, xx));
        acc[b][3] = hn::Add(acc[b][3], hn::Mul(fk, yy));
        acc[b][4] = hn::Add(acc[b][4], hn::Mul(fk, xy));
      }
    }
    for (int b = 0; b < kB; ++b)
      for (int p = 0; p < 5; ++p) hn::StoreU(acc[b][p], d, out[b][p] + j);
  }
  for (; j < w; ++j) {
    for (int b = 0; b < kB; ++b) {
      float m1 = 0, m2 = 0, sxx = 0, syy = 0, sxy = 0;
      for (int k = 0; k < taps; ++k) {
        const float x = rr[b + k][j], y = dr[b + k][j];
        m1 += f[k] * x;
        m2 += f[k] * y;
        sxx += f[k] * (x * x);
        syy += f[k] * (y * y);
        sxy += f[k] * (x * y);
      }
      out[b][0][j] = m1;
      out[b][1][j] = m2;
      out[b][2][j] = sxx;
      out[b][3][j] = syy;
      out[b][4][j] = sxy;
    }
  }
}

#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX3
// AVX-512: unaligned loads at every tap offset split cache lines and bound the horizontal
// pass; three aligned loads plus lane shifts (valignd) give the same vectors.
template <int kOff>
HWY_INLINE __m512 ShiftedLanes(__m512 a, __m512 b, __m512 c) {
  if constexpr (kOff < 0) {
    return _mm512_castsi512_ps(
        _mm512_alignr_epi32(_mm512_castps_si512(b), _mm512_castps_si512(a), 16 + kOff));
  } else if constexpr (kOff == 0) {
    return b;
  } else {
    return _mm512_castsi512_ps(
        _mm512_alignr_epi32(_mm512_castps_si512(c), _mm512_castps_si512(b), kOff));
  }
}

template <int kRadius, int... kTap>
HWY_INLINE __m512 FilterAligned(const float* p, const float* f,
                                std::integer_sequence<int, kTap...>) {
  const __m512 a = _mm512_load_ps(p - 16), b = _mm512_load_ps(p), c = _mm512_load_ps(p + 16);
  __m512 acc = _mm512_setzero_ps();
  // Tap order, as the reference: ((0 + f0 x0) + f1 x1) + ...
  ((acc = _mm512_add_ps(acc, _mm512_mul_ps(_mm512_set1_ps(f[kTap]),
                                           ShiftedLanes<kTap - kRadius>(a, b, c)))),
   ...);
  return acc;
}

template <int kRadius>
void HorizontalAligned(float* const* src, const float* f, int w, float* const* dst) {
  for (int j = 0; j < w; j += 16)
    for (int p = 0; p < 5; ++p)
      _mm512_store_ps(dst[p] + j, FilterAligned<kRadius>(src[p] + j, f,
                                                         std::make_integer_sequence<int, 2 * kRadius + 1>()));
}
#endif

// Horizontal pass of the five padded rows (src[p][-radius .. w + radius) valid, 64-byte aligned),
// all lanes up to round_up(w, lanes) (the extra lanes read finite padding and are never used).
void Horizontal(float* const* src, const float* f, int taps, int w, float* const* dst) {
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX3
  switch (taps) {
    case 17: return HorizontalAligned<8>(src, f, w, dst);
    case 9: return HorizontalAligned<4>(src, f, w, dst);
    case 5: return HorizontalAligned<2>(src, f, w, dst);
    case 3: return HorizontalAligned<1>(src, f, w, dst);
    default: break;
  }
#endif
  const hn::ScalableTag<float> d;
  using V = hn::Vec<decltype(d)>;
  const int n = static_cast<int>(hn::Lanes(d));
  const int radius = taps / 2;
  for (int j = 0; j < w; j += n) {
    V acc[5];
    for (int p = 0; p < 5; ++p) acc[p] = hn::Zero(d);
    for (int k = 0; k < taps; ++k) {
      const V fk = hn::Set(d, f[k]);
      for (int p = 0; p < 5; ++p)
        acc[p] = hn::Add(acc[p], hn::Mul(fk, hn::LoadU(d, src[p] - radius + j + k)));
    }
    for (int p = 0; p < 5; ++p) hn::Store(acc[p], d, dst[p] + j);
  }
}

// 1.0 + (double)a / ((double)b + add_b) (or (double)a * inv_b when the divisor is a power-of-two
// constant: exact), rounded to float, per lane.
template <class DF>
HWY_INLINE hn::Vec<DF> OnePlusRatio(DF df, hn::Vec<DF> a, hn::Vec<DF> b, double add_b,
                                    bool by_inverse, double inv_b) {
  const hn::Half<DF> dh;
  const hn::Repartition<double, DF> dd;
  const auto one = hn::Set(dd, 1.0);
  auto half = [&](hn::Vec<decltype(dh)> x, hn::Vec<decltype(dh)> y) {
    const auto xd = hn::PromoteTo(dd, x);
    const auto q = by_inverse ? hn::Mul(xd, hn::Set(dd, inv_b))
                              : hn::Div(xd, hn::Add(hn::PromoteTo(dd, y), hn::Set(dd, add_b)));
    return hn::DemoteTo(dh, hn::Add(one, q));
  };
  const auto lo = half(hn::LowerHalf(dh, a), hn::LowerHalf(dh, b));
  const auto hi = half(hn::UpperHalf(dh, a), hn::UpperHalf(dh, b));
  return hn::Combine(df, hi, lo);
}

// The per-pixel statistic of one row from the filtered planes; num/den per pixel.
void StatRow(const float* const h[5], int w, const StatConsts& c, float* num_out, float* den_out) {
  const hn::ScalableTag<float> df;
  const int n = static_cast<int>(hn::Lanes(df));
  const auto zero = hn::Zero(df);
  const auto eps = hn::Set(df, c.eps);
  const auto lim = hn::Set(df, c.gain_limit);
  const auto one = hn::Set(df, 1.0f);
  const auto nsq_up = hn::Set(df, c.nsq_up);
  const auto smi = hn::Set(df, c.sigma_max_inv);
  int e = 0;
  const bool pow2 = std::frexp(c.nsq, &e) == 0.5;
  const double inv_nsq = 1.0 / c.nsq;
  for (int j = 0; j < w; j += n) {
    const auto mu1 = hn::Load(df, h[0] + j);
    const auto mu2 = hn::Load(df, h[1] + j);
    auto s1 = hn::Sub(hn::Load(df, h[2] + j), hn::Mul(mu1, mu1));
    auto s2 = hn::Sub(hn::Load(df, h[3] + j), hn::Mul(mu2, mu2));
    const auto s12 = hn::Sub(hn::Load(df, h[4] + j), hn::Mul(mu1, mu2));
    s1 = hn::IfThenElseZero(hn::Gt(s1, zero), s1);
    s2 = hn::IfThenElseZero(hn::Gt(s2, zero), s2);
    auto g = hn::Div(s12, hn::Add(s1, eps));
    auto sv = hn::Sub(s2, hn::Mul(g, s12));
    const auto s1_tiny = hn::Lt(s1, eps);
    g = hn::IfThenZeroElse(s1_tiny, g);
    sv = hn::IfThenElse(s1_tiny, s2, sv);
    s1 = hn::IfThenZeroElse(s1_tiny, s1);
    const auto s2_tiny = hn::Lt(s2, eps);
    g = hn::IfThenZeroElse(s2_tiny, g);
    sv = hn::IfThenZeroElse(s2_tiny, sv);
    const auto g_neg = hn::Lt(g, zero);
    sv = hn::IfThenElse(g_neg, s2, sv);
    g = hn::IfThenZeroElse(g_neg, g);
    sv = hn::IfThenElse(hn::Gt(sv, eps), sv, eps);
    g = hn::IfThenElse(hn::Lt(g, lim), g, lim);
    const auto gg_s1 = hn::Mul(hn::Mul(g, g), s1);
    auto num = Log2Approx(df, OnePlusRatio(df, gg_s1, sv, c.nsq, false, 0.0));
    auto den = Log2Approx(df, pow2 ? OnePlusRatio(df, s1, s1, 0.0, true, inv_nsq)
                                   : OnePlusRatio(df, s1, zero, c.nsq, false, 0.0));
    num = hn::IfThenZeroElse(hn::Lt(s12, zero), num);
    const auto low = hn::Lt(s1, nsq_up);
    num = hn::IfThenElse(low, hn::Sub(one, hn::Mul(s2, smi)), num);
    den = hn::IfThenElse(low, one, den);
    hn::Store(num, df, num_out + j);
    hn::Store(den, df, den_out + j);
  }
}

// Sequential float sums of each row (libvmaf's accum_inner) for up to `lanes` rows at once:
// tiles of lanes x lanes terms are transposed (log2(lanes) rounds of even/odd lane
// concatenation) so that lane r adds row r's terms in column order.
void RowSums(const float* vals, ptrdiff_t stride, int rows, int w, float* sums) {
  const hn::ScalableTag<float> d;
  using V = hn::Vec<decltype(d)>;
  constexpr size_t kMaxLanes = HWY_MAX_BYTES / sizeof(float);
  const int n = static_cast<int>(hn::Lanes(d));
  V acc = hn::Zero(d);
  V t[kMaxLanes], u[kMaxLanes];
  for (int j0 = 0; j0 < w; j0 += n) {
    for (int r = 0; r < n; ++r) t[r] = hn::Load(d, vals + r * stride + j0);
    for (int step = 1; step < n; step *= 2) {
      for (int i = 0; i < n / 2; ++i) {
        u[i] = hn::ConcatEven(d, t[2 * i + 1], t[2 * i]);
        u[i + n / 2] = hn::ConcatOdd(d, t[2 * i + 1], t[2 * i]);
      }
      for (int i = 0; i < n; ++i) t[i] = u[i];
    }
    const int cols = std::min(n, w - j0);
    for (int c = 0; c < cols; ++c) acc = hn::Add(acc, t[c]);
  }
  HWY_ALIGN float out[kMaxLanes];
  hn::Store(acc, d, out);
  for (int r = 0; r < rows; ++r) sums[r] = out[r];
}

void VifFloatStats(const VifFloatStatsArgs& a) {
  // Rows whose terms are kept for the transposed sums: one per lane.
  const int group = static_cast<int>(hn::Lanes(hn::ScalableTag<float>()));
  const int w = a.width, taps = a.taps, radius = taps / 2;
  const int pad = round_up(radius, 16);
  const size_t wr = static_cast<size_t>(round_up(w, 64));
  const size_t vlen = static_cast<size_t>(pad) + wr + static_cast<size_t>(pad) + 64;
  float* buf = scratch(kBlock * 5 * vlen + 5 * wr + 2 * group * wr);
  float* v[kBlock][5];
  for (int b = 0; b < kBlock; ++b)
    for (int p = 0; p < 5; ++p) v[b][p] = buf + (b * 5 + p) * vlen + pad;
  float* hbuf = buf + kBlock * 5 * vlen;
  const float* hc[5];
  float* hdst[5];
  for (int p = 0; p < 5; ++p) hc[p] = hdst[p] = hbuf + p * wr;
  float* num_terms = hbuf + 5 * wr;
  float* den_terms = num_terms + group * wr;
  const StatConsts c = stat_consts(a.sigma_nsq, a.gain_limit);
  for (int r0 = 0; r0 < a.n_rows; r0 += group) {
    const int rows = std::min(group, a.n_rows - r0);
    for (int i = 0; i < rows; i += kBlock) {
      const int r = r0 + i;
      const int nb = std::min(kBlock, rows - i);
      if (nb == kBlock)
        VerticalFive<kBlock>(a.ref_rows + r, a.dis_rows + r, a.filter, taps, w, v);
      else
        for (int b = 0; b < nb; ++b)
          VerticalFive<1>(a.ref_rows + r + b, a.dis_rows + r + b, a.filter, taps, w, v + b);
      for (int b = 0; b < nb; ++b) {
        for (int p = 0; p < 5; ++p) pad_row(v[b][p], w, radius);
        Horizontal(v[b], a.filter, taps, w, hdst);
        StatRow(hc, w, c, num_terms + (i + b) * wr, den_terms + (i + b) * wr);
      }
    }
    RowSums(num_terms, static_cast<ptrdiff_t>(wr), rows, w, a.num_rows + r0);
    RowSums(den_terms, static_cast<ptrdiff_t>(wr), rows, w, a.den_rows + r0);
  }
}

// Horizontal pass at even output columns from the even/odd split of a mirrored row:
// ev[i] = v[mirror(2i)], od[i] = v[mirror(2i + 1)], valid for i in [-pad, ...).
void HorizontalEven(const float* ev, const float* od, const float* f, int taps, int n_out,
                    float* dst) {
  const hn::ScalableTag<float> d;
  const int n = static_cast<int>(hn::Lanes(d));
  const int radius = taps / 2;
  int o = 0;
  for (; o + n <= n_out; o += n) {
    auto acc = hn::Zero(d);
    for (int k = 0; k < taps; ++k) {
      const int x = k - radius;  // offset of the tap from column 2o
      const float* src = (x & 1) ? od + ((x - 1) >> 1) : ev + (x >> 1);
      acc = hn::Add(acc, hn::Mul(hn::Set(d, f[k]), hn::LoadU(d, src + o)));
    }
    hn::StoreU(acc, d, dst + o);
  }
  for (; o < n_out; ++o) {
    float acc = 0;
    for (int k = 0; k < taps; ++k) {
      const int x = k - radius;
      const float* src = (x & 1) ? od + ((x - 1) >> 1) : ev + (x >> 1);
      acc += f[k] * src[o];
    }
    dst[o] = acc;
  }
}

void VifFloatDecimate(const VifFloatDecimateArgs& a) {
  const hn::ScalableTag<float> d;
  const int n = static_cast<int>(hn::Lanes(d));
  const int w = a.width, taps = a.taps, radius = taps / 2;
  const int pad = round_up(radius / 2 + 1, 16);
  const int half = round_up(w / 2 + 1, 16);
  const size_t len = static_cast<size_t>(pad + half + pad);
  float* buf = scratch(4 * len);
  float* ev[2] = {buf + pad, buf + len + pad};
  float* od[2] = {buf + 2 * len + pad, buf + 3 * len + pad};
  const int ne = (w + 1) / 2, no = w / 2;
  for (int r = 0; r < a.n_out; ++r) {
    for (int p = 0; p < 2; ++p) {
      const float* const* rows = (p == 0 ? a.ref_rows : a.dis_rows) + 2 * r;
      int j = 0;
      for (; j + 2 * n <= w; j += 2 * n) {
        auto s0 = hn::Zero(d), s1 = hn::Zero(d);
        for (int k = 0; k < taps; ++k) {
          const auto fk = hn::Set(d, a.filter[k]);
          s0 = hn::Add(s0, hn::Mul(fk, hn::LoadU(d, rows[k] + j)));
          s1 = hn::Add(s1, hn::Mul(fk, hn::LoadU(d, rows[k] + j + n)));
        }
        hn::StoreU(hn::ConcatEven(d, s1, s0), d, ev[p] + j / 2);
        hn::StoreU(hn::ConcatOdd(d, s1, s0), d, od[p] + j / 2);
      }
      for (; j < w; ++j) {
        float s = 0;
        for (int k = 0; k < taps; ++k) s += a.filter[k] * rows[k][j];
        if (j & 1)  // (not a pointer select: see vif_int_simd.cpp VerticalSplit)
          od[p][j >> 1] = s;
        else
          ev[p][j >> 1] = s;
      }
      // Mirrored borders: even columns stay even, odd stay odd under reflect-101. Entries no
      // output reads are clamped (they only have to be finite and in bounds).
      for (int i = -pad; i < 0; ++i) {
        ev[p][i] = ev[p][mirror_clamped(2 * i, w) >> 1];
        od[p][i] = od[p][mirror_clamped(2 * i + 1, w) >> 1];
      }
      for (int i = ne; i < ne + pad; ++i) ev[p][i] = ev[p][mirror_clamped(2 * i, w) >> 1];
      for (int i = no; i < no + pad; ++i) od[p][i] = od[p][mirror_clamped(2 * i + 1, w) >> 1];
    }
    HorizontalEven(ev[0], od[0], a.filter, taps, w / 2, a.ref_out + r * a.out_stride);
    HorizontalEven(ev[1], od[1], a.filter, taps, w / 2, a.dis_out + r * a.out_stride);
  }
}

#endif  // HWY_TARGET == HWY_SCALAR

}  // namespace
}  // namespace vqfuse::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace vqfuse::kernels {
HWY_EXPORT(VifFloatStats);
HWY_EXPORT(VifFloatDecimate);
void vif_float_stats(const VifFloatStatsArgs& a) { HWY_DYNAMIC_DISPATCH(VifFloatStats)(a); }
void vif_float_decimate(const VifFloatDecimateArgs& a) {
  HWY_DYNAMIC_DISPATCH(VifFloatDecimate)(a);
}
}  // namespace vqfuse::kernels
#endif
