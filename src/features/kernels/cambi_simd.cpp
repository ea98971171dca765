// Highway versions of cambi.hpp. All integer except c_row, whose float steps (int -> float
// conversion, table lookup, one multiply, max) are exactly rounded and so equal the scalar
// reference on every target.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "features/kernels/cambi_simd.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <cstring>

#include "features/kernels/cambi.hpp"

HWY_BEFORE_NAMESPACE();
namespace vqfuse::kernels::cambi::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// libvmaf's mode3: the repeated value if any two agree, else the smallest.
template <class D, class V>
HWY_INLINE V Mode3(D d, V a, V b, V c) {
  (void)d;
  const auto a_dup = hn::Or(hn::Eq(a, b), hn::Eq(a, c));
  const auto bc = hn::Eq(b, c);
  const V lo = hn::Min(hn::Min(a, b), c);
  return hn::IfThenElse(a_dup, a, hn::IfThenElse(bc, b, lo));
}

uint16_t To10Row(const uint16_t* HWY_RESTRICT in, uint16_t* HWY_RESTRICT out, size_t n, int bpc) {
  const hn::ScalableTag<uint16_t> d;
  const size_t N = hn::Lanes(d);
  auto hi = hn::Zero(d);
  size_t j = 0;
  if (bpc <= 10) {
    const int s = 10 - bpc;
    for (; j + N <= n; j += N) {
      const auto v = hn::LoadU(d, in + j);
      hi = hn::Max(hi, v);
      hn::StoreU(hn::ShiftLeftSame(v, s), d, out + j);
    }
  } else {
    // (v + 2^(s-1)) >> s without 16-bit overflow: v >> s plus bit s-1 of v.
    const int s = bpc - 10;
    const auto one = hn::Set(d, 1);
    for (; j + N <= n; j += N) {
      const auto v = hn::LoadU(d, in + j);
      hi = hn::Max(hi, v);
      const auto r = hn::And(hn::ShiftRightSame(v, s - 1), one);
      hn::StoreU(hn::Add(hn::ShiftRightSame(v, s), r), d, out + j);
    }
  }
  uint16_t m = hn::GetLane(hn::MaxOfLanes(d, hi));
  if (j < n) {
    const uint16_t t = ref::to10_row(in + j, out + j, n - j, bpc);
    m = m > t ? m : t;
  }
  return m;
}

void AntiditherRow(const uint16_t* HWY_RESTRICT r0, const uint16_t* HWY_RESTRICT r1,
                   uint16_t* HWY_RESTRICT out, size_t n) {
  const hn::ScalableTag<uint16_t> d;
  const size_t N = hn::Lanes(d);
  size_t j = 0;
  if (r1) {
    for (; j + N + 1 <= n; j += N) {
      const auto s = hn::Add(hn::Add(hn::LoadU(d, r0 + j), hn::LoadU(d, r0 + j + 1)),
                             hn::Add(hn::LoadU(d, r1 + j), hn::LoadU(d, r1 + j + 1)));
      hn::StoreU(hn::ShiftRight<2>(s), d, out + j);
    }
    ref::antidither_row(r0 + j, r1 + j, out + j, n - j);
  } else {
    for (; j + N + 1 <= n; j += N) {
      const auto s = hn::Add(hn::LoadU(d, r0 + j), hn::LoadU(d, r0 + j + 1));
      hn::StoreU(hn::ShiftRight<1>(s), d, out + j);
    }
    ref::antidither_row(r0 + j, nullptr, out + j, n - j);
  }
}

void ZeroDerivRow(const uint16_t* HWY_RESTRICT cur, const uint16_t* HWY_RESTRICT below,
                  uint8_t* HWY_RESTRICT out, size_t n) {
  const hn::ScalableTag<int16_t> d;
  const hn::Rebind<uint8_t, decltype(d)> d8;
  const size_t N = hn::Lanes(d);
  const int16_t* c16 = reinterpret_cast<const int16_t*>(cur);
  const int16_t* b16 = reinterpret_cast<const int16_t*>(below);
  const auto one = hn::Set(d, 1);
  size_t j = 0;
  for (; j + N + 1 <= n; j += N) {
    const auto v = hn::LoadU(d, c16 + j);
    auto m = hn::Eq(v, hn::LoadU(d, c16 + j + 1));
    if (below) m = hn::And(m, hn::Eq(v, hn::LoadU(d, b16 + j)));
    hn::StoreU(hn::DemoteTo(d8, hn::IfThenElseZero(m, one)), d8, out + j);
  }
  ref::zero_deriv_row(cur + j, below ? below + j : nullptr, out + j, n - j);
}

void ColsumUpdate(uint8_t* HWY_RESTRICT colsum, const uint8_t* HWY_RESTRICT add, size_t n,
                  int sign) {
  const hn::ScalableTag<uint8_t> d;
  const size_t N = hn::Lanes(d);
  size_t j = 0;
  if (sign > 0) {
    for (; j + N <= n; j += N)
      hn::StoreU(hn::Add(hn::LoadU(d, colsum + j), hn::LoadU(d, add + j)), d, colsum + j);
  } else {
    for (; j + N <= n; j += N)
      hn::StoreU(hn::Sub(hn::LoadU(d, colsum + j), hn::LoadU(d, add + j)), d, colsum + j);
  }
  ref::colsum_update(colsum + j, add + j, n - j, sign);
}

void MaskRow(const uint8_t* HWY_RESTRICT colsum, uint8_t* HWY_RESTRICT mask, size_t n,
             int threshold) {
  // Sums are at most 49: signed 8-bit compares are exact.
  const hn::ScalableTag<int8_t> d;
  const size_t N = hn::Lanes(d);
  const int8_t* c = reinterpret_cast<const int8_t*>(colsum);
  const auto thr = hn::Set(d, static_cast<int8_t>(threshold > 127 ? 127 : threshold));
  const auto one = hn::Set(d, 1);
  size_t j = 0;
  for (; j + N <= n; j += N) {
    const int8_t* p = c + j;
    auto s = hn::Add(hn::LoadU(d, p - 3), hn::LoadU(d, p - 2));
    s = hn::Add(s, hn::Add(hn::LoadU(d, p - 1), hn::LoadU(d, p)));
    s = hn::Add(s, hn::Add(hn::LoadU(d, p + 1), hn::LoadU(d, p + 2)));
    s = hn::Add(s, hn::LoadU(d, p + 3));
    hn::StoreU(hn::IfThenElseZero(hn::Gt(s, thr), one), d, reinterpret_cast<int8_t*>(mask + j));
  }
  ref::mask_row(colsum + j, mask + j, n - j, threshold);
}

void HmodeRow(const uint16_t* HWY_RESTRICT in, uint16_t* HWY_RESTRICT out, size_t n) {
  const hn::ScalableTag<uint16_t> d;
  const size_t N = hn::Lanes(d);
  if (n < N + 2) return ref::hmode_row(in, out, n);
  out[0] = in[0];
  size_t j = 1;
  for (; j + N + 1 <= n; j += N) {
    hn::StoreU(Mode3(d, hn::LoadU(d, in + j - 1), hn::LoadU(d, in + j), hn::LoadU(d, in + j + 1)),
               d, out + j);
  }
  // The last full vector ending at column n-2 covers the rest (recomputing some columns).
  if (j + 1 < n) {
    j = n - 1 - N;
    hn::StoreU(Mode3(d, hn::LoadU(d, in + j - 1), hn::LoadU(d, in + j), hn::LoadU(d, in + j + 1)),
               d, out + j);
  }
  out[n - 1] = in[n - 1];
}

void VmodeRow(const uint16_t* HWY_RESTRICT a, const uint16_t* HWY_RESTRICT b,
              const uint16_t* HWY_RESTRICT c, uint16_t* HWY_RESTRICT out, size_t n) {
  const hn::ScalableTag<uint16_t> d;
  const size_t N = hn::Lanes(d);
  size_t j = 0;
  for (; j + N <= n; j += N)
    hn::StoreU(Mode3(d, hn::LoadU(d, a + j), hn::LoadU(d, b + j), hn::LoadU(d, c + j)), d, out + j);
  ref::vmode_row(a + j, b + j, c + j, out + j, n - j);
}

// Reads of 2N samples precede the store of N: safe in place (out == in).
void DecimateRowU16(const uint16_t* in, uint16_t* out, size_t out_n) {
  const hn::ScalableTag<uint16_t> d;
  const size_t N = hn::Lanes(d);
  size_t j = 0;
  for (; j + N <= out_n; j += N) {
    hn::Vec<decltype(d)> even, odd;
    hn::LoadInterleaved2(d, in + 2 * j, even, odd);
    hn::StoreU(even, d, out + j);
  }
  ref::decimate_row_u16(in + 2 * j, out + j, out_n - j);
}

void DecimateRowU8(const uint8_t* in, uint8_t* out, size_t out_n) {
  const hn::ScalableTag<uint8_t> d;
  const size_t N = hn::Lanes(d);
  size_t j = 0;
  for (; j + N <= out_n; j += N) {
    hn::Vec<decltype(d)> even, odd;
    hn::LoadInterleaved2(d, in + 2 * j, even, odd);
    hn::StoreU(even, d, out + j);
  }
  ref::decimate_row_u8(in + 2 * j, out + j, out_n - j);
}

void KeysRow(const uint16_t* HWY_RESTRICT img, const uint8_t* HWY_RESTRICT mask,
             uint16_t* HWY_RESTRICT keys, size_t n, uint16_t base, uint16_t size) {
  const hn::ScalableTag<uint16_t> d;
  const hn::Rebind<uint8_t, decltype(d)> d8;
  const size_t N = hn::Lanes(d);
  size_t j = 0;
  if (size > 0) {
    const auto vbase = hn::Set(d, base);
    const auto vlast = hn::Set(d, static_cast<uint16_t>(size - 1));
    const auto none = hn::Set(d, kNoKey);
    for (; j + N <= n; j += N) {
      const auto v = hn::LoadU(d, img + j);
      const auto m = hn::PromoteTo(d, hn::LoadU(d8, mask + j));
      // v - base wraps for v < base, so one unsigned range test covers both ends.
      const auto k = hn::Sub(v, vbase);
      const auto in_band = hn::Eq(hn::Min(k, vlast), k);
      const auto ok = hn::And(in_band, hn::Ne(m, hn::Zero(d)));
      hn::StoreU(hn::IfThenElse(ok, k, none), d, keys + j);
    }
  }
  ref::keys_row(img + j, mask + j, keys + j, n - j, base, size);
}

// Trapezoid of the run [a, b] (ref::hist_run), columns clipped to [0, width). The vectors are
// aligned to the row (rows are 64-byte aligned), so overlapping updates of nearby runs hit the
// same addresses and store-to-load forwarding works. Lanes before the trapezoid add 0; lanes past
// width-1 in the last vector add their true overlap (only slack columns, see slide_rows).
HWY_INLINE void AddRun(uint16_t* HWY_RESTRICT hist, int a, int b, int pad, int width, int sign) {
  const hn::ScalableTag<int16_t> d;
  const int N = static_cast<int>(hn::Lanes(d));
  const int lo = (a - pad > 0 ? a - pad : 0) / N * N;
  const int hi = b + pad < width - 1 ? b + pad : width - 1;
  const auto va = hn::Set(d, static_cast<int16_t>(a));
  const auto vb = hn::Set(d, static_cast<int16_t>(b));
  const auto vpad = hn::Set(d, static_cast<int16_t>(pad));
  const auto one = hn::Set(d, 1);
  const auto iota = hn::Iota(d, 0);  // hoisted: Iota with a variable start is slow on x86
  int16_t* h = reinterpret_cast<int16_t*>(hist);
  for (int c = lo; c <= hi; c += N) {
    const auto col = hn::Add(iota, hn::Set(d, static_cast<int16_t>(c)));
    const auto t =
        hn::Add(hn::Sub(hn::Min(hn::Add(col, vpad), vb), hn::Max(hn::Sub(col, vpad), va)), one);
    const auto tt = hn::Max(t, hn::Zero(d));
    const auto cur = hn::Load(d, h + c);
    hn::Store(sign > 0 ? hn::Add(cur, tt) : hn::Sub(cur, tt), d, h + c);
  }
}

// Adds every run of equal keys of t (t[-1] readable) to the histograms. Run boundaries come from
// a vector compare with the row shifted by one; only boundaries cost scalar work.
HWY_INLINE void AddRuns(const HistStrip& g, const uint16_t* t, size_t n, int sign) {
  const hn::ScalableTag<uint16_t> d;
  const size_t N = hn::Lanes(d);
  static_assert(HWY_MAX_BYTES / 2 <= 64, "mask bits must fit 64 bits");
  const int o = g.origin;
  int start = 0;
  uint16_t val = t[0];
  for (size_t j = 0; j < n; j += N) {
    const auto edge = hn::Ne(hn::LoadU(d, t + j), hn::LoadU(d, t + j - 1));
    uint8_t bytes[16] = {};
    hn::StoreMaskBits(d, edge, bytes);
    uint64_t bits;
    std::memcpy(&bits, bytes, sizeof bits);
    if (j == 0) bits &= ~uint64_t{1};
    if (n - j < 64) bits &= (uint64_t{1} << (n - j)) - 1;
    while (bits) {
      const int b =
          static_cast<int>(j) + static_cast<int>(hwy::Num0BitsBelowLS1Bit_Nonzero64(bits));
      bits &= bits - 1;
      if (val != kNoKey)
        AddRun(g.hist + val * g.stride, start + o, b - 1 + o, g.pad, g.width, sign);
      start = b;
      val = t[b];
    }
  }
  if (val != kNoKey)
    AddRun(g.hist + val * g.stride, start + o, static_cast<int>(n) - 1 + o, g.pad, g.width, sign);
}

void SlideRows(const HistStrip& g, const uint16_t* enter, const uint16_t* leave,
               uint16_t* tmp_enter, uint16_t* tmp_leave, size_t n) {
  if (n == 0) return;
  const hn::ScalableTag<uint16_t> d;
  const size_t N = hn::Lanes(d);
  const auto none = hn::Set(d, kNoKey);
  size_t j = 0;
  if (enter && leave) {
    for (; j + N <= n; j += N) {
      const auto e = hn::LoadU(d, enter + j);
      const auto l = hn::LoadU(d, leave + j);
      const auto same = hn::Eq(e, l);
      hn::StoreU(hn::IfThenElse(same, none, e), d, tmp_enter + j);
      hn::StoreU(hn::IfThenElse(same, none, l), d, tmp_leave + j);
    }
    for (; j < n; ++j) {
      const bool same = enter[j] == leave[j];
      tmp_enter[j] = same ? kNoKey : enter[j];
      tmp_leave[j] = same ? kNoKey : leave[j];
    }
  } else {
    if (enter) std::memcpy(tmp_enter, enter, n * sizeof(uint16_t));
    if (leave) std::memcpy(tmp_leave, leave, n * sizeof(uint16_t));
  }
  if (enter) AddRuns(g, tmp_enter, n, +1);
  if (leave) AddRuns(g, tmp_leave, n, -1);
}

// c-values of N pixels that all use key k0 (its histogram rows are contiguous loads from column
// x on). Contrast steps whose neighbour counts are all 0 give 0 and are skipped.
template <class DI, class DF>
HWY_INLINE hn::Vec<DF> KeyValues(DI di, DF df, const CParams& p, int k0, size_t x) {
  const hn::Rebind<uint16_t, DI> du;
  auto best = hn::Zero(df);
  const uint32_t gates = p.gates[k0];
  if (!gates) return best;
  const ptrdiff_t S = p.hist_stride;
  const uint16_t* col = p.hist + x;
  const auto p0 = hn::PromoteTo(di, hn::LoadU(du, col + k0 * S));
  for (int d = 0; d < p.num_diffs; ++d) {
    if (!((gates >> d) & 1)) continue;
    auto pm = hn::PromoteTo(di, hn::LoadU(du, col + (k0 + d + 1) * S));
    if (k0 >= d + 1) pm = hn::Max(pm, hn::PromoteTo(di, hn::LoadU(du, col + (k0 - d - 1) * S)));
    if (hn::AllTrue(di, hn::Eq(pm, hn::Zero(di)))) continue;
    const auto num = hn::Mul(hn::Mul(hn::Set(di, p.weights[d]), p0), pm);
    const auto r = hn::GatherIndex(df, p.recip, hn::Add(p0, pm));
    best = hn::Max(best, hn::Mul(hn::ConvertTo(df, num), r));
  }
  return best;
}

// c-values of N pixels with any keys, through 32-bit gathers of the 16-bit counts at byte
// offsets (the high half is masked off; histogram rows have slack, so the two extra bytes are
// inside the buffer). Lanes outside `use` read key 0 with no gates and give 0.
template <class DI, class DF, class M>
HWY_INLINE hn::Vec<DF> GatherValues(DI di, DF df, const CParams& p, hn::Vec<DI> key, M use,
                                    size_t x) {
  const int32_t* hist32 = reinterpret_cast<const int32_t*>(p.hist);
  const int32_t* gates32 = reinterpret_cast<const int32_t*>(p.gates);
  const auto lo16 = hn::Set(di, 0xFFFF);
  auto count_at = [&](hn::Vec<DI> idx) {
    return hn::And(hn::GatherOffset(di, hist32, hn::ShiftLeft<1>(idx)), lo16);
  };
  const ptrdiff_t S = p.hist_stride;
  const auto ksafe = hn::IfThenElseZero(use, key);
  const auto gates = hn::IfThenElseZero(use, hn::GatherIndex(di, gates32, ksafe));
  const auto idx0 = hn::Add(hn::Mul(ksafe, hn::Set(di, static_cast<int32_t>(S))),
                            hn::Add(hn::Iota(di, 0), hn::Set(di, static_cast<int32_t>(x))));
  const auto p0 = count_at(idx0);
  auto best = hn::Zero(df);
  for (int d = 0; d < p.num_diffs; ++d) {
    const auto on = hn::Ne(hn::And(gates, hn::Set(di, int32_t{1} << d)), hn::Zero(di));
    if (hn::AllFalse(di, on)) continue;
    const auto step = hn::Set(di, static_cast<int32_t>((d + 1) * S));
    const auto p1 = count_at(hn::IfThenElse(on, hn::Add(idx0, step), idx0));
    const auto below = hn::Gt(ksafe, hn::Set(di, d));
    const auto p2 =
        hn::IfThenElseZero(below, count_at(hn::IfThenElse(below, hn::Sub(idx0, step), idx0)));
    const auto pm = hn::Max(p1, p2);
    const auto num = hn::Mul(hn::Mul(hn::Set(di, p.weights[d]), p0), pm);
    const auto r = hn::GatherIndex(df, p.recip, hn::Add(p0, pm));
    best = hn::Max(best,
                   hn::IfThenElseZero(hn::RebindMask(df, on), hn::Mul(hn::ConvertTo(df, num), r)));
  }
  return best;
}

double CRow(const CParams& p, const uint16_t* HWY_RESTRICT keys, float* HWY_RESTRICT c, size_t n,
            float* HWY_RESTRICT nz, size_t* nz_count) {
  const hn::ScalableTag<int32_t> di;
  const hn::Rebind<uint16_t, decltype(di)> du;
  const hn::RebindToFloat<decltype(di)> df;
  // Double lanes for the exact sums: half as many as float lanes (as many on HWY_SCALAR).
#if HWY_TARGET == HWY_SCALAR
  const hn::Rebind<double, decltype(df)> dd;
#else
  const hn::Repartition<double, decltype(df)> dd;
#endif
  const size_t N = hn::Lanes(di);
  const auto none = hn::Set(di, kNoKey);
  // Vectors with more distinct keys than this use gathers for the rest.
  constexpr int kMaxKeyPasses = 3;
  auto acc = hn::Zero(dd);
  size_t k = *nz_count;
  size_t x = 0;
  for (; x + N <= n; x += N) {
    const auto key = hn::PromoteTo(di, hn::LoadU(du, keys + x));
    auto left = hn::Ne(key, none);
    if (hn::AllFalse(di, left)) continue;
    // One pass per distinct key (flat regions: usually one or two), lanes of other keys masked.
    auto best = hn::Zero(df);
    for (int pass = 0;; ++pass) {
      if (pass == kMaxKeyPasses) {
        best =
            hn::IfThenElse(hn::RebindMask(df, left), GatherValues(di, df, p, key, left, x), best);
        break;
      }
      const int kk = keys[x + static_cast<size_t>(hn::FindFirstTrue(di, left))];
      const auto sel = hn::And(left, hn::Eq(key, hn::Set(di, kk)));
      best = hn::IfThenElse(hn::RebindMask(df, sel), KeyValues(di, df, p, kk, x), best);
      left = hn::AndNot(sel, left);
      if (hn::AllFalse(di, left)) break;
    }
    const auto nonzero = hn::Ne(best, hn::Zero(df));
    if (hn::AllFalse(df, nonzero)) continue;
#if HWY_TARGET == HWY_SCALAR
    acc = hn::Add(acc, hn::PromoteTo(dd, best));
#else
    const hn::Half<decltype(df)> dh;
    acc = hn::Add(acc, hn::PromoteTo(dd, hn::LowerHalf(dh, best)));
    acc = hn::Add(acc, hn::PromoteTo(dd, hn::UpperHalf(dh, best)));
#endif
    k += hn::CompressStore(best, nonzero, df, nz + k);
  }
  *nz_count = k;
  // Exact, so the lane order does not matter.
  double s = hn::GetLane(hn::SumOfLanes(dd, acc));
  for (; x < n; ++x) {
    const float v = keys[x] == kNoKey ? 0.0f : ref::c_pixel(p, keys[x], x);
    if (v == 0.0f) continue;
    s += v;
    nz[(*nz_count)++] = v;
  }
  return s;
}

}  // namespace vqfuse::kernels::cambi::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace vqfuse::kernels::cambi {
HWY_EXPORT(To10Row);
HWY_EXPORT(AntiditherRow);
HWY_EXPORT(ZeroDerivRow);
HWY_EXPORT(ColsumUpdate);
HWY_EXPORT(MaskRow);
HWY_EXPORT(HmodeRow);
HWY_EXPORT(VmodeRow);
HWY_EXPORT(DecimateRowU16);
HWY_EXPORT(DecimateRowU8);
HWY_EXPORT(KeysRow);
HWY_EXPORT(SlideRows);
HWY_EXPORT(CRow);

uint16_t to10_row(const uint16_t* in, uint16_t* out, size_t n, int bpc) {
  return HWY_DYNAMIC_DISPATCH(To10Row)(in, out, n, bpc);
}
void antidither_row(const uint16_t* r0, const uint16_t* r1, uint16_t* out, size_t n) {
  HWY_DYNAMIC_DISPATCH(AntiditherRow)(r0, r1, out, n);
}
void zero_deriv_row(const uint16_t* cur, const uint16_t* below, uint8_t* out, size_t n) {
  HWY_DYNAMIC_DISPATCH(ZeroDerivRow)(cur, below, out, n);
}
void colsum_update(uint8_t* colsum, const uint8_t* add, size_t n, int sign) {
  HWY_DYNAMIC_DISPATCH(ColsumUpdate)(colsum, add, n, sign);
}
void mask_row(const uint8_t* colsum, uint8_t* mask, size_t n, int threshold) {
  HWY_DYNAMIC_DISPATCH(MaskRow)(colsum, mask, n, threshold);
}
void hmode_row(const uint16_t* in, uint16_t* out, size_t n) {
  HWY_DYNAMIC_DISPATCH(HmodeRow)(in, out, n);
}
void vmode_row(const uint16_t* a, const uint16_t* b, const uint16_t* c, uint16_t* out, size_t n) {
  HWY_DYNAMIC_DISPATCH(VmodeRow)(a, b, c, out, n);
}
void decimate_row_u16(const uint16_t* in, uint16_t* out, size_t out_n) {
  HWY_DYNAMIC_DISPATCH(DecimateRowU16)(in, out, out_n);
}
void decimate_row_u8(const uint8_t* in, uint8_t* out, size_t out_n) {
  HWY_DYNAMIC_DISPATCH(DecimateRowU8)(in, out, out_n);
}
void keys_row(const uint16_t* img, const uint8_t* mask, uint16_t* keys, size_t n, uint16_t base,
              uint16_t size) {
  HWY_DYNAMIC_DISPATCH(KeysRow)(img, mask, keys, n, base, size);
}
void slide_rows(const HistStrip& g, const uint16_t* enter, const uint16_t* leave,
                uint16_t* tmp_enter, uint16_t* tmp_leave, size_t n) {
  HWY_DYNAMIC_DISPATCH(SlideRows)(g, enter, leave, tmp_enter, tmp_leave, n);
}
double c_row(const CParams& p, const uint16_t* keys, float* c, size_t n, float* nz,
             size_t* nz_count) {
  return HWY_DYNAMIC_DISPATCH(CRow)(p, keys, c, n, nz, nz_count);
}
}  // namespace vqfuse::kernels::cambi
#endif
