// Highway version of vif_int.hpp. All sums are exact integers (any order), so the kernels use
// the filters' symmetry (c[k] = c[taps-1-k]: one multiply per tap pair) and split 32-bit second
// moments into 16-bit halves wherever a filter sum would need 48 bits:
//   sum c * v = (sum c * hi) * 2^16 + sum c * lo,   v = hi * 2^16 + lo,
// each half-sum fits 32 bits because the coefficients sum to 2^16. The per-pixel statistic runs
// in double lanes: every integer involved is below 2^53, the log2 table is gathered, and g and
// sv_sq use the same IEEE operations as libvmaf (division, multiply, subtract, truncation).
// HWY_SCALAR runs the reference itself.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "features/kernels/vif_int_simd.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/aligned_allocator.h>
#include <hwy/highway.h>

#include <algorithm>
#include <cstring>

#include "features/kernels/vif_int.hpp"

#ifndef VQFUSE_VIF_INT_SIMD_ONCE
#define VQFUSE_VIF_INT_SIMD_ONCE
namespace vqfuse::kernels::vif_int_detail {

inline int round_up(int x, int m) { return (x + m - 1) / m * m; }
inline int mirror(int x, int n) { return x < 0 ? -x : (x >= n ? 2 * n - x - 2 : x); }
inline int mirror_clamped(int x, int n) {
  if (n < 2) return 0;
  int m = mirror(x, n);
  while (m < 0 || m >= n) m = m < 0 ? m + 2 : m - 2;
  return m;
}

template <class T>
inline void pad_row(T* row, int w, int radius) {
  for (int m = 1; m <= radius; ++m) {
    row[-m] = row[m];
    row[w - 1 + m] = row[w - 1 - m];
  }
}

inline uint32_t round_shift(uint64_t v, int shift) {
  return static_cast<uint32_t>(shift == 0 ? v : (v + (uint64_t{1} << (shift - 1))) >> shift);
}

// The log2 table widened to int32 for gathers.
inline const int32_t* log2_table32() {
  static const struct Table {
    int32_t v[65536];
    Table() {
      const uint16_t* t = vif_int_log2_table();
      for (int i = 0; i < 65536; ++i) v[i] = t[i];
    }
  } table;
  return table.v;
}

// Planes of the vertical pass: the means and the 16-bit halves of the second moments.
enum Plane { kMu1, kMu2, kXxHi, kXxLo, kYyHi, kYyLo, kXyHi, kXyLo, kPlanes };

// The vertical pass stores its 16-bit values biased by -2^15 as int16 (the operand type of the
// 16-bit multiply-add): with coefficients summing to 2^16 the bias adds exactly -2^31 to every
// horizontal sum, undone modulo 2^32.
inline int16_t biased(uint32_t v) { return static_cast<int16_t>(static_cast<int32_t>(v) - 32768); }

// One column of the vertical pass (vector tails), exactly as the reference.
inline void vertical_column(const uint16_t* const* rr, const uint16_t* const* dr,
                            const uint16_t* c, int taps, int j, int mu_shift, int sq_shift,
                            int16_t* const out[kPlanes]) {
  uint32_t m1 = 0, m2 = 0;
  uint64_t sxx = 0, syy = 0, sxy = 0;
  for (int k = 0; k < taps; ++k) {
    const uint32_t x = rr[k][j], y = dr[k][j];
    m1 += c[k] * x;
    m2 += c[k] * y;
    sxx += uint64_t{c[k]} * x * x;
    syy += uint64_t{c[k]} * y * y;
    sxy += uint64_t{c[k]} * x * y;
  }
  const uint32_t xx = round_shift(sxx, sq_shift), yy = round_shift(syy, sq_shift),
                 xy = round_shift(sxy, sq_shift);
  out[kMu1][j] = biased(round_shift(m1, mu_shift));
  out[kMu2][j] = biased(round_shift(m2, mu_shift));
  out[kXxHi][j] = biased(xx >> 16);
  out[kXxLo][j] = biased(xx & 0xFFFF);
  out[kYyHi][j] = biased(yy >> 16);
  out[kYyLo][j] = biased(yy & 0xFFFF);
  out[kXyHi][j] = biased(xy >> 16);
  out[kXyLo][j] = biased(xy & 0xFFFF);
}

struct StatTotals {
  int64_t num_log = 0, den_log = 0, den_non_log = 0;
  double num_non_log = 0;  // exact: integers below 2^53
};

}  // namespace vqfuse::kernels::vif_int_detail
#endif

HWY_BEFORE_NAMESPACE();
namespace vqfuse::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
// File-local: other kernels share this namespace per target.
namespace {

#if HWY_TARGET == HWY_SCALAR

VifIntSums VifIntStats(const VifIntStatsArgs& a) { return ref::vif_int_stats(a); }
void VifIntDecimate(const VifIntDecimateArgs& a) { ref::vif_int_decimate(a); }

#else

using namespace vif_int_detail;  // NOLINT

using D32 = hn::ScalableTag<uint32_t>;
using D16 = hn::Rebind<uint16_t, D32>;

template <class V>
HWY_INLINE V LoadW(const uint16_t* p) {
  return hn::PromoteTo(D32(), hn::LoadU(D16(), p));
}

HWY_INLINE void StoreNarrow(hn::Vec<D32> v, uint16_t* p) {
  const hn::RebindToSigned<D32> di;
  hn::StoreU(hn::DemoteTo(D16(), hn::BitCast(di, v)), D16(), p);
}

// Stores 16-bit values biased by -2^15 (see biased()).
HWY_INLINE void StoreBiased(hn::Vec<D32> v, int16_t* p) {
  const hn::RebindToSigned<D32> di;
  const hn::Rebind<int16_t, D32> d16;
  hn::StoreU(hn::DemoteTo(d16, hn::Sub(hn::BitCast(di, v), hn::Set(di, 32768))), d16, p);
}

// Vertical pass of one output row into the eight 16-bit planes. kNarrow: 8-bit samples with
// sq_shift 0, where x^2 < 2^16 and every second-moment sum fits 32 bits directly.
template <bool kNarrow>
void Vertical(const uint16_t* const* rr, const uint16_t* const* dr, const uint16_t* c, int taps,
              int w, int mu_shift, int sq_shift, int16_t* const out[kPlanes]) {
  const D32 d;
  using V = hn::Vec<D32>;
  const int n = static_cast<int>(hn::Lanes(d));
  const int radius = taps / 2;
  const V mu_rnd = hn::Set(d, mu_shift ? 1u << (mu_shift - 1) : 0u);
  const V sq_rnd = hn::Set(d, sq_shift ? 1u << (sq_shift - 1) : 0u);
  const V lo_mask = hn::Set(d, 0xFFFFu);
  int j = 0;
  for (; j + n <= w; j += n) {
    const V cc = hn::Set(d, c[radius]);
    const V xc = LoadW<V>(rr[radius] + j), yc = LoadW<V>(dr[radius] + j);
    V m1 = hn::Mul(xc, cc), m2 = hn::Mul(yc, cc);
    V xx, yy, xy;  // narrow: full sums; wide: hi sums
    V xxl, yyl, xyl;  // wide: lo sums
    if constexpr (kNarrow) {
      xx = hn::Mul(hn::Mul(xc, xc), cc);
      yy = hn::Mul(hn::Mul(yc, yc), cc);
      xy = hn::Mul(hn::Mul(xc, yc), cc);
    } else {
      const V pxx = hn::Mul(xc, xc), pyy = hn::Mul(yc, yc), pxy = hn::Mul(xc, yc);
      xx = hn::Mul(hn::ShiftRight<16>(pxx), cc);
      yy = hn::Mul(hn::ShiftRight<16>(pyy), cc);
      xy = hn::Mul(hn::ShiftRight<16>(pxy), cc);
      xxl = hn::Mul(hn::And(pxx, lo_mask), cc);
      yyl = hn::Mul(hn::And(pyy, lo_mask), cc);
      xyl = hn::Mul(hn::And(pxy, lo_mask), cc);
    }
    for (int k = 0; k < radius; ++k) {
      const V ck = hn::Set(d, c[k]);
      const V xa = LoadW<V>(rr[k] + j), xb = LoadW<V>(rr[taps - 1 - k] + j);
      const V ya = LoadW<V>(dr[k] + j), yb = LoadW<V>(dr[taps - 1 - k] + j);
      m1 = hn::Add(m1, hn::Mul(hn::Add(xa, xb), ck));
      m2 = hn::Add(m2, hn::Mul(hn::Add(ya, yb), ck));
      if constexpr (kNarrow) {
        xx = hn::Add(xx, hn::Mul(hn::Add(hn::Mul(xa, xa), hn::Mul(xb, xb)), ck));
        yy = hn::Add(yy, hn::Mul(hn::Add(hn::Mul(ya, ya), hn::Mul(yb, yb)), ck));
        xy = hn::Add(xy, hn::Mul(hn::Add(hn::Mul(xa, ya), hn::Mul(xb, yb)), ck));
      } else {
        const V pxa = hn::Mul(xa, xa), pxb = hn::Mul(xb, xb);
        const V pya = hn::Mul(ya, ya), pyb = hn::Mul(yb, yb);
        const V pca = hn::Mul(xa, ya), pcb = hn::Mul(xb, yb);
        xx = hn::Add(xx, hn::Mul(hn::Add(hn::ShiftRight<16>(pxa), hn::ShiftRight<16>(pxb)), ck));
        yy = hn::Add(yy, hn::Mul(hn::Add(hn::ShiftRight<16>(pya), hn::ShiftRight<16>(pyb)), ck));
        xy = hn::Add(xy, hn::Mul(hn::Add(hn::ShiftRight<16>(pca), hn::ShiftRight<16>(pcb)), ck));
        xxl = hn::Add(xxl, hn::Mul(hn::Add(hn::And(pxa, lo_mask), hn::And(pxb, lo_mask)), ck));
        yyl = hn::Add(yyl, hn::Mul(hn::Add(hn::And(pya, lo_mask), hn::And(pyb, lo_mask)), ck));
        xyl = hn::Add(xyl, hn::Mul(hn::Add(hn::And(pca, lo_mask), hn::And(pcb, lo_mask)), ck));
      }
    }
    StoreBiased(hn::ShiftRightSame(hn::Add(m1, mu_rnd), mu_shift), out[kMu1] + j);
    StoreBiased(hn::ShiftRightSame(hn::Add(m2, mu_rnd), mu_shift), out[kMu2] + j);
    if constexpr (!kNarrow) {
      // (hi * 2^16 + lo + rnd) >> s = (hi << (16 - s)) + ((lo + rnd) >> s), modulo 2^32.
      xx = hn::Add(hn::ShiftLeftSame(xx, 16 - sq_shift),
                   hn::ShiftRightSame(hn::Add(xxl, sq_rnd), sq_shift));
      yy = hn::Add(hn::ShiftLeftSame(yy, 16 - sq_shift),
                   hn::ShiftRightSame(hn::Add(yyl, sq_rnd), sq_shift));
      xy = hn::Add(hn::ShiftLeftSame(xy, 16 - sq_shift),
                   hn::ShiftRightSame(hn::Add(xyl, sq_rnd), sq_shift));
    }
    StoreBiased(hn::ShiftRight<16>(xx), out[kXxHi] + j);
    StoreBiased(hn::And(xx, lo_mask), out[kXxLo] + j);
    StoreBiased(hn::ShiftRight<16>(yy), out[kYyHi] + j);
    StoreBiased(hn::And(yy, lo_mask), out[kYyLo] + j);
    StoreBiased(hn::ShiftRight<16>(xy), out[kXyHi] + j);
    StoreBiased(hn::And(xy, lo_mask), out[kXyLo] + j);
  }
  for (; j < w; ++j) vertical_column(rr, dr, c, taps, j, mu_shift, sq_shift, out);
}

// round(a * b / 2^32) per lane (libvmaf's mu1_sq_val etc.): 64-bit products of even and odd lanes.
HWY_INLINE hn::Vec<D32> MulHiRound(hn::Vec<D32> a, hn::Vec<D32> b) {
  const D32 d;
  const hn::Repartition<uint64_t, D32> d64;
  const auto half = hn::Set(d64, uint64_t{1} << 31);
  const auto even = hn::ShiftRight<32>(hn::Add(hn::MulEven(a, b), half));
  const auto ao = hn::BitCast(d, hn::ShiftRight<32>(hn::BitCast(d64, a)));
  const auto bo = hn::BitCast(d, hn::ShiftRight<32>(hn::BitCast(d64, b)));
  const auto odd = hn::And(hn::Add(hn::MulEven(ao, bo), half), hn::Set(d64, ~uint64_t{0} << 32));
  return hn::BitCast(d, hn::Or(even, odd));
}

// sigma1_sq, sigma2_sq (clamped at 0) and sigma12 from the eight horizontal sums (each biased
// by -2^31: undone by the XOR with 2^31, modulo 2^32).
HWY_INLINE void Sigmas(const hn::Vec<D32> (&h)[kPlanes], int32_t* s1, int32_t* s2, int32_t* s12) {
  const D32 d;
  const hn::RebindToSigned<D32> di;
  hn::Vec<D32> v[kPlanes];
  for (int p = 0; p < kPlanes; ++p) v[p] = hn::Xor(h[p], hn::Set(d, 0x80000000u));
  const auto rnd = hn::Set(d, 32768u);
  const auto xx = hn::Add(v[kXxHi], hn::ShiftRight<16>(hn::Add(v[kXxLo], rnd)));
  const auto yy = hn::Add(v[kYyHi], hn::ShiftRight<16>(hn::Add(v[kYyLo], rnd)));
  const auto xy = hn::Add(v[kXyHi], hn::ShiftRight<16>(hn::Add(v[kXyLo], rnd)));
  hn::Store(hn::BitCast(di, hn::Sub(xx, MulHiRound(v[kMu1], v[kMu1]))), di, s1);
  hn::Store(hn::Max(hn::BitCast(di, hn::Sub(yy, MulHiRound(v[kMu2], v[kMu2]))), hn::Zero(di)), di,
            s2);
  hn::Store(hn::BitCast(di, hn::Sub(xy, MulHiRound(v[kMu1], v[kMu2]))), di, s12);
}

// Horizontal pass with the 16-bit multiply-add (pmaddwd): one instruction multiplies the pairs
// of adjacent samples by a coefficient pair (c[2m], c[2m+1]) and adds them, so each lane
// collects two taps of the output two columns apart. The outputs of one block of 2 * lanes
// columns come out as even columns then odd columns, and are stored in that order (the
// statistic does not depend on pixel order). Needs every coefficient < 2^15.
void HorizontalSigmaMadd(const int16_t* const p[kPlanes], const uint16_t* c, int taps, int w,
                         int32_t* s1, int32_t* s2, int32_t* s12) {
  const D32 d;
  const hn::RebindToSigned<D32> di;
  const hn::Repartition<int16_t, D32> d16;
  const int n = static_cast<int>(hn::Lanes(d));
  const int radius = taps / 2;
  const int pairs = (taps + 1) / 2;
  hn::Vec<decltype(d16)> cp[kVifIntMaxTaps / 2 + 1];
  for (int m = 0; m < pairs; ++m) {
    const uint32_t hi = 2 * m + 1 < taps ? c[2 * m + 1] : 0;
    cp[m] = hn::BitCast(d16, hn::Set(d, c[2 * m] | hi << 16));
  }
  for (int j = 0; j < w; j += 2 * n) {
    for (int par = 0; par < 2; ++par) {
      hn::Vec<D32> h[kPlanes];
      for (int q = 0; q < kPlanes; ++q) {
        const int16_t* base = p[q] + j + par - radius;
        auto acc = hn::Zero(di), unused = hn::Zero(di);
        for (int m = 0; m < pairs; ++m)
          acc = hn::ReorderWidenMulAccumulate(di, hn::LoadU(d16, base + 2 * m), cp[m], acc, unused);
        h[q] = hn::BitCast(d, acc);
      }
      Sigmas(h, s1 + j + par * n, s2 + j + par * n, s12 + j + par * n);
    }
  }
}

// Horizontal pass in 32-bit lanes (any coefficients, natural column order).
void HorizontalSigmaWide(const int16_t* const p[kPlanes], const uint16_t* c, int taps, int w,
                         int32_t* s1, int32_t* s2, int32_t* s12) {
  const D32 d;
  const hn::RebindToSigned<D32> di;
  const hn::Rebind<int16_t, D32> d16;
  const int n = static_cast<int>(hn::Lanes(d));
  const int radius = taps / 2;
  auto load = [&](const int16_t* q) { return hn::PromoteTo(di, hn::LoadU(d16, q)); };
  for (int j = 0; j < w; j += n) {
    hn::Vec<D32> h[kPlanes];
    for (int q = 0; q < kPlanes; ++q) {
      const int16_t* base = p[q] + j;
      auto acc = hn::Mul(load(base), hn::Set(di, c[radius]));
      for (int k = 0; k < radius; ++k)
        acc = hn::Add(acc, hn::Mul(hn::Add(load(base - radius + k), load(base + radius - k)),
                                   hn::Set(di, c[k])));
      h[q] = hn::BitCast(d, acc);
    }
    Sigmas(h, s1 + j, s2 + j, s12 + j);
  }
}

using DD = hn::ScalableTag<double>;
using DI64 = hn::RebindToSigned<DD>;
using DU64 = hn::RebindToUnsigned<DD>;
using DI32 = hn::Rebind<int32_t, DD>;

// libvmaf's log2_32 / log2_64 for integer-valued doubles v in [2^15, 2^53): the top 16 bits index
// the Q11 table, plus 2048 per dropped bit.
HWY_INLINE hn::Vec<DI64> Log2Q11(hn::Vec<DD> v, const int32_t* table) {
  const DD dd;
  const DI64 di64;
  const DU64 du64;
  const DI32 di32;
  const auto expo = hn::BitCast(di64, hn::ShiftRight<52>(hn::BitCast(du64, v)));
  const auto k = hn::Sub(expo, hn::Set(di64, 1023 + 15));
  // 2^-k as a double (exact scaling), then floor: v >> k.
  const auto scale =
      hn::BitCast(dd, hn::ShiftLeft<52>(hn::BitCast(du64, hn::Sub(hn::Set(di64, 1023), k))));
  const auto idx = hn::DemoteTo(di32, hn::Floor(hn::Mul(v, scale)));
  // Scalar look-ups: much faster than vpgatherdd on the CPUs measured (AMD Zen).
  HWY_ALIGN int32_t ib[HWY_MAX_BYTES / 8];
  HWY_ALIGN int32_t ob[HWY_MAX_BYTES / 8];
  hn::Store(idx, di32, ib);
  for (size_t l = 0; l < hn::Lanes(di32); ++l) ob[l] = table[ib[l]];
  const auto tab = hn::PromoteTo(di64, hn::Load(di32, ob));
  return hn::Add(tab, hn::ShiftLeft<11>(k));
}

// The statistic over one row of sigmas. `block` = 0: natural column order; else the
// even-then-odd order of HorizontalSigmaMadd with blocks of `block` columns.
void StatRow(const int32_t* s1p, const int32_t* s2p, const int32_t* s12p, int w, int block,
             double gain_limit, StatTotals& t) {
  const DD dd;
  const DI64 di64;
  const DI32 di32;
  const int n = static_cast<int>(hn::Lanes(dd));
  const int32_t* table = log2_table32();
  const auto nsq = hn::Set(dd, 131072.0);
  const auto safe = hn::Set(dd, 65536.0);  // a valid log argument for masked-off lanes
  const auto zero = hn::Zero(dd);
  const auto eps = hn::Set(dd, 65536 * 1.0e-10);
  const auto lim = hn::Set(dd, gain_limit);
  auto num_log = hn::Zero(di64), den_log = hn::Zero(di64);
  auto non_log = hn::Zero(dd);
  int64_t den_non_log = 0;
  const int positions = block ? round_up(w, block) : w;
  for (int j = 0; j < positions; j += n) {
    // Columns of these lanes: j + lane, or base + 2 * lane within an even/odd half-block.
    int valid_lanes = w - j;
    if (block) {
      const int within = j % block, half = block / 2;
      const int base = j - within + 2 * (within % half) + within / half;
      valid_lanes = (w - base + 1) / 2;
    }
    const auto valid = hn::FirstN(dd, static_cast<size_t>(std::max(valid_lanes, 0)));
    const auto s1 = hn::PromoteTo(dd, hn::Load(di32, s1p + j));
    const auto s2 = hn::PromoteTo(dd, hn::Load(di32, s2p + j));
    const auto s12 = hn::PromoteTo(dd, hn::Load(di32, s12p + j));
    const auto mlog = hn::And(valid, hn::Ge(s1, nsq));
    const auto mnon = hn::AndNot(mlog, valid);
    non_log = hn::Add(non_log, hn::IfThenElseZero(mnon, s2));
    den_non_log += static_cast<int64_t>(hn::CountTrue(dd, mnon));
    const auto den_arg = hn::IfThenElse(mlog, hn::Add(s1, nsq), safe);
    den_log = hn::Add(den_log, hn::IfThenElseZero(hn::RebindMask(di64, mlog),
                                                  hn::Sub(Log2Q11(den_arg, table),
                                                          hn::Set(di64, 2048 * 17))));
    const auto mnum = hn::And(mlog, hn::And(hn::Gt(s12, zero), hn::Gt(s2, zero)));
    auto g = hn::Div(s12, hn::Add(s1, eps));
    const auto sv_i = hn::DemoteTo(di32, hn::Sub(s2, hn::Mul(g, s12)));
    const auto sv = hn::PromoteTo(dd, hn::Max(sv_i, hn::Zero(di32)));
    g = hn::IfThenElse(hn::Lt(g, lim), g, lim);
    const auto numer1 = hn::Add(sv, nsq);
    const auto numer_g = hn::Add(hn::Trunc(hn::Mul(hn::Mul(g, g), s1)), numer1);
    const auto a = hn::IfThenElse(mnum, numer_g, safe);
    const auto b = hn::IfThenElse(mnum, numer1, safe);
    num_log = hn::Add(num_log, hn::IfThenElseZero(hn::RebindMask(di64, mnum),
                                                  hn::Sub(Log2Q11(a, table), Log2Q11(b, table))));
  }
  HWY_ALIGN int64_t lanes_i[2 * HWY_MAX_BYTES / 8];
  HWY_ALIGN double lanes_d[HWY_MAX_BYTES / 8];
  hn::Store(num_log, di64, lanes_i);
  hn::Store(den_log, di64, lanes_i + n);
  hn::Store(non_log, dd, lanes_d);
  for (int i = 0; i < n; ++i) {
    t.num_log += lanes_i[i];
    t.den_log += lanes_i[n + i];
    t.num_non_log += lanes_d[i];
  }
  t.den_non_log += den_non_log;
}

// Per-thread scratch, grown on demand (kernels never nest, so one buffer per thread is safe).
uint8_t* scratch(size_t bytes) {
  thread_local hwy::AlignedFreeUniquePtr<uint8_t[]> buf;
  thread_local size_t size = 0;
  if (size < bytes) {
    buf = hwy::AllocateAligned<uint8_t>(bytes);
    std::memset(buf.get(), 0, bytes);  // padding lanes are read (and discarded)
    size = bytes;
  }
  return buf.get();
}

VifIntSums VifIntStats(const VifIntStatsArgs& a) {
  const int w = a.width, taps = a.filter.taps, radius = taps / 2;
  const uint16_t* c = a.filter.coeff;
  constexpr int kPad = 32;
  const size_t wr = static_cast<size_t>(round_up(w, 64));
  const size_t plane_len = kPad + wr + kPad + 64;
  uint8_t* buf = scratch(kPlanes * plane_len * sizeof(int16_t) + 3 * wr * sizeof(int32_t));
  int16_t* planes[kPlanes];
  const int16_t* cplanes[kPlanes];
  int16_t* pbase = reinterpret_cast<int16_t*>(buf);
  for (int p = 0; p < kPlanes; ++p) cplanes[p] = planes[p] = pbase + p * plane_len + kPad;
  int32_t* s1 = reinterpret_cast<int32_t*>(buf + kPlanes * plane_len * sizeof(int16_t));
  int32_t* s2 = s1 + wr;
  int32_t* s12 = s2 + wr;
  StatTotals t;
  const bool narrow = a.sq_shift == 0;
  bool madd = true;
  for (int k = 0; k < taps; ++k) madd = madd && c[k] < 32768;
  const int block = madd ? 2 * static_cast<int>(hn::Lanes(D32())) : 0;
  for (int r = 0; r < a.n_rows; ++r) {
    if (narrow)
      Vertical<true>(a.ref_rows + r, a.dis_rows + r, c, taps, w, a.mu_shift, a.sq_shift, planes);
    else
      Vertical<false>(a.ref_rows + r, a.dis_rows + r, c, taps, w, a.mu_shift, a.sq_shift, planes);
    for (int p = 0; p < kPlanes; ++p) pad_row(planes[p], w, radius);
    if (madd)
      HorizontalSigmaMadd(cplanes, c, taps, w, s1, s2, s12);
    else
      HorizontalSigmaWide(cplanes, c, taps, w, s1, s2, s12);
    StatRow(s1, s2, s12, w, block, a.gain_limit, t);
  }
  VifIntSums s;
  s.num_log = t.num_log;
  s.den_log = t.den_log;
  s.num_non_log = static_cast<int64_t>(t.num_non_log);
  s.den_non_log = t.den_non_log;
  return s;
}

// Vertical filter of one plane for one output row into its even/odd column split.
void VerticalSplit(const uint16_t* const* rows, const uint16_t* c, int taps, int w, int shift,
                   uint32_t* ev, uint32_t* od) {
  const D32 d;
  using V = hn::Vec<D32>;
  const int n = static_cast<int>(hn::Lanes(d));
  const int radius = taps / 2;
  const V rnd = hn::Set(d, 1u << (shift - 1));
  auto column = [&](int j, int off) {
    V acc = hn::Mul(LoadW<V>(rows[radius] + j + off), hn::Set(d, c[radius]));
    for (int k = 0; k < radius; ++k)
      acc = hn::Add(acc, hn::Mul(hn::Add(LoadW<V>(rows[k] + j + off),
                                         LoadW<V>(rows[taps - 1 - k] + j + off)),
                                 hn::Set(d, c[k])));
    return hn::ShiftRightSame(hn::Add(acc, rnd), shift);
  };
  int j = 0;
  for (; j + 2 * n <= w; j += 2 * n) {
    const V lo = column(j, 0), hi = column(j, n);
    hn::StoreU(hn::ConcatEven(d, hi, lo), d, ev + j / 2);
    hn::StoreU(hn::ConcatOdd(d, hi, lo), d, od + j / 2);
  }
  for (; j < w; ++j) {
    uint32_t s = 0;
    for (int k = 0; k < taps; ++k) s += c[k] * uint32_t{rows[k][j]};
    // (Two plain stores: gcc 12 -O1 -fsanitize=address miscompiled the `(j & 1) ? od : ev`
    // pointer select here into a store through an uninitialised index.)
    const uint32_t v = static_cast<uint16_t>(round_shift(s, shift));
    if (j & 1)
      od[j >> 1] = v;
    else
      ev[j >> 1] = v;
  }
}

// Horizontal filter at even columns: tap offset x from column 2o reads ev/od by parity; the
// symmetric taps share parity.
void HorizontalEven(const uint32_t* ev, const uint32_t* od, const uint16_t* c, int taps,
                    int n_out, uint16_t* dst) {
  const D32 d;
  using V = hn::Vec<D32>;
  const int n = static_cast<int>(hn::Lanes(d));
  const int radius = taps / 2;
  auto src = [&](int x) { return (x & 1) ? od + ((x - 1) >> 1) : ev + (x >> 1); };
  const V rnd = hn::Set(d, 32768u);
  int o = 0;
  for (; o + n <= n_out; o += n) {
    V acc = hn::Mul(hn::LoadU(d, src(0) + o), hn::Set(d, c[radius]));
    for (int k = 0; k < radius; ++k)
      acc = hn::Add(acc, hn::Mul(hn::Add(hn::LoadU(d, src(k - radius) + o),
                                         hn::LoadU(d, src(radius - k) + o)),
                                 hn::Set(d, c[k])));
    StoreNarrow(hn::ShiftRight<16>(hn::Add(acc, rnd)), dst + o);
  }
  for (; o < n_out; ++o) {
    uint32_t s = 0;
    for (int k = 0; k < taps; ++k) s += c[k] * src(k - radius)[o];
    dst[o] = static_cast<uint16_t>((s + 32768) >> 16);
  }
}

void VifIntDecimate(const VifIntDecimateArgs& a) {
  const int w = a.width, taps = a.filter.taps, radius = taps / 2;
  const uint16_t* c = a.filter.coeff;
  const int pad = round_up(radius / 2 + 1, 16);
  const int half = round_up(w / 2 + 1, 16);
  const size_t len = static_cast<size_t>(pad + half + pad);
  uint32_t* buf = reinterpret_cast<uint32_t*>(scratch(4 * len * sizeof(uint32_t)));
  uint32_t* ev[2] = {buf + pad, buf + len + pad};
  uint32_t* od[2] = {buf + 2 * len + pad, buf + 3 * len + pad};
  const int ne = (w + 1) / 2, no = w / 2;
  for (int r = 0; r < a.n_out; ++r) {
    for (int p = 0; p < 2; ++p) {
      VerticalSplit((p == 0 ? a.ref_rows : a.dis_rows) + 2 * r, c, taps, w, a.v_shift, ev[p], od[p]);
      for (int i = -pad; i < 0; ++i) {
        ev[p][i] = ev[p][mirror_clamped(2 * i, w) >> 1];
        od[p][i] = od[p][mirror_clamped(2 * i + 1, w) >> 1];
      }
      for (int i = ne; i < ne + pad; ++i) ev[p][i] = ev[p][mirror_clamped(2 * i, w) >> 1];
      for (int i = no; i < no + pad; ++i) od[p][i] = od[p][mirror_clamped(2 * i + 1, w) >> 1];
    }
    HorizontalEven(ev[0], od[0], c, taps, w / 2, a.ref_out + r * a.out_stride);
    HorizontalEven(ev[1], od[1], c, taps, w / 2, a.dis_out + r * a.out_stride);
  }
}

#endif  // HWY_TARGET == HWY_SCALAR

}  // namespace
}  // namespace vqfuse::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace vqfuse::kernels {
HWY_EXPORT(VifIntStats);
HWY_EXPORT(VifIntDecimate);
VifIntSums vif_int_stats(const VifIntStatsArgs& a) { return HWY_DYNAMIC_DISPATCH(VifIntStats)(a); }
void vif_int_decimate(const VifIntDecimateArgs& a) { HWY_DYNAMIC_DISPATCH(VifIntDecimate)(a); }
}  // namespace vqfuse::kernels
#endif
