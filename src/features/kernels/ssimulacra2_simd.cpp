// Highway versions of ssimulacra2.hpp. Every value is computed with the same float/double
// operations in the same order as ref:: (no FMA, IEEE division, the same table lookups), so the
// results are bit-identical on every target; tails shorter than a vector go through ref::.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "features/kernels/ssimulacra2_simd.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <cstring>
#include <type_traits>

#include "features/kernels/ssimulacra2.hpp"

HWY_BEFORE_NAMESPACE();
namespace vqfuse::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

template <class D>
using V = hn::Vec<D>;

// ---------------------------------------------------------------------------------------------
// Element-wise helpers.

// sRGB EOTF by table and linear interpolation (v already in [0, 1]). Each lookup fetches the
// pair (lut[i], lut[i + 1]) as one 64-bit element: half the gathered elements of two lookups.
template <class D>
HWY_INLINE V<D> Eotf(D d, V<D> v, const uint64_t* HWY_RESTRICT pairs) {
  const hn::RebindToSigned<D> di;
  const auto zero = hn::Zero(d);
  const auto one = hn::Set(d, 1.0f);
  const auto idx = hn::Mul(v, hn::Set(d, static_cast<float>(kS2EotfSize - 1)));
  auto i = hn::ConvertTo(di, idx);  // truncates, as the C cast
  i = hn::Min(hn::Max(i, hn::Zero(di)), hn::Set(di, kS2EotfSize - 1));
  const auto frac = hn::Sub(idx, hn::ConvertTo(d, i));
#if HWY_TARGET == HWY_SCALAR
  const uint64_t pair = pairs[hn::GetLane(i)];
  float ab[2];
  std::memcpy(ab, &pair, sizeof ab);
  const auto a = hn::Set(d, ab[0]);
  const auto b = hn::Set(d, ab[1]);
#else
  const hn::Half<decltype(di)> dhi;
  const hn::Repartition<uint64_t, D> d64;
  const hn::Rebind<int64_t, decltype(dhi)> di64;
  const auto g_lo = hn::GatherIndex(d64, pairs, hn::PromoteTo(di64, hn::LowerHalf(dhi, i)));
  const auto g_hi = hn::GatherIndex(d64, pairs, hn::PromoteTo(di64, hn::UpperHalf(dhi, i)));
  const auto a = hn::ConcatEven(d, hn::BitCast(d, g_hi), hn::BitCast(d, g_lo));
  const auto b = hn::ConcatOdd(d, hn::BitCast(d, g_hi), hn::BitCast(d, g_lo));
#endif
  auto res = hn::Add(a, hn::Mul(hn::Sub(b, a), frac));
  res = hn::IfThenElse(v >= one, one, res);
  return hn::IfThenElse(v <= zero, zero, res);
}

// Exact v / 3 of unsigned 32-bit lanes: (v * ceil(2^33 / 3)) >> 33.
template <class DU>
HWY_INLINE V<DU> DivBy3(DU du, V<DU> v) {
#if HWY_TARGET == HWY_SCALAR
  return hn::Set(du, hn::GetLane(v) / 3u);
#else
  const hn::Repartition<uint64_t, DU> d64;
  const auto m = hn::Set(du, 0xAAAAAAABu);
  const auto even = hn::ShiftRight<33>(hn::MulEven(v, m));
  const auto odd_lanes = hn::BitCast(du, hn::ShiftRight<32>(hn::BitCast(d64, v)));
  const auto odd = hn::ShiftRight<33>(hn::MulEven(odd_lanes, m));
  return hn::OddEven(hn::BitCast(du, hn::ShiftLeft<32>(odd)), hn::BitCast(du, even));
#endif
}

// s2_cbrt() lane-wise.
template <class D>
HWY_INLINE V<D> Cbrt(D d, V<D> x) {
  const hn::RebindToUnsigned<D> du;
  const auto q = DivBy3(du, hn::BitCast(du, x));
  auto y = hn::BitCast(d, hn::Add(q, hn::Set(du, 0x2a5137a0u)));
  const auto two = hn::Set(d, 2.0f);
  const auto third = hn::Set(d, 1.0f / 3.0f);
  y = hn::Mul(hn::Add(hn::Mul(two, y), hn::Div(x, hn::Mul(y, y))), third);
  y = hn::Mul(hn::Add(hn::Mul(two, y), hn::Div(x, hn::Mul(y, y))), third);
  return hn::IfThenElseZero(x > hn::Zero(d), y);
}

// In-register transpose of an N x N block (N = 1, 4 or 8 lanes): v[i] lane j -> v[j] lane i.
template <class D>
HWY_INLINE void TransposeBlock(D d, V<D>* v) {
  constexpr size_t kN = hn::MaxLanes(D());
  if constexpr (kN == 1) {
    (void)d;
    (void)v;
  } else {
    static_assert(kN == 4 || kN == 8, "transpose of 4 or 8 lanes");
#if HWY_TARGET != HWY_SCALAR
    const hn::Repartition<double, D> dd;
    constexpr size_t kQuads = kN / 4;
    V<D> t[kN];
    // Within each 128-bit block: pairs, then quads.
    for (size_t q = 0; q < kQuads; ++q) {
      V<D>* w = v + 4 * q;
      const auto a0 = hn::InterleaveLower(d, w[0], w[1]);
      const auto a1 = hn::InterleaveUpper(d, w[0], w[1]);
      const auto a2 = hn::InterleaveLower(d, w[2], w[3]);
      const auto a3 = hn::InterleaveUpper(d, w[2], w[3]);
      t[4 * q + 0] = hn::BitCast(d, hn::InterleaveLower(dd, hn::BitCast(dd, a0), hn::BitCast(dd, a2)));
      t[4 * q + 1] = hn::BitCast(d, hn::InterleaveUpper(dd, hn::BitCast(dd, a0), hn::BitCast(dd, a2)));
      t[4 * q + 2] = hn::BitCast(d, hn::InterleaveLower(dd, hn::BitCast(dd, a1), hn::BitCast(dd, a3)));
      t[4 * q + 3] = hn::BitCast(d, hn::InterleaveUpper(dd, hn::BitCast(dd, a1), hn::BitCast(dd, a3)));
    }
    if constexpr (kN == 4) {
      for (size_t i = 0; i < 4; ++i) v[i] = t[i];
    } else {
      // t[k] (k < 4) holds columns k and k + 4 of rows 0-3, t[4 + k] the same of rows 4-7.
      for (size_t k = 0; k < 4; ++k) {
        v[k] = hn::ConcatLowerLower(d, t[4 + k], t[k]);
        v[k + 4] = hn::ConcatUpperUpper(d, t[4 + k], t[k]);
      }
    }
#endif
  }
}

// 16 x 16 floats: out[j * 16 + i] = in[i * 16 + j].
HWY_INLINE void Transpose16(const float* HWY_RESTRICT in, float* HWY_RESTRICT out) {
  const hn::CappedTag<float, 8> d;
  constexpr size_t kN = hn::MaxLanes(decltype(d)());
  for (size_t bi = 0; bi < 16; bi += kN) {
    for (size_t bj = 0; bj < 16; bj += kN) {
      V<decltype(d)> v[kN];
      for (size_t r = 0; r < kN; ++r) v[r] = hn::LoadU(d, in + (bi + r) * 16 + bj);
      TransposeBlock(d, v);
      for (size_t r = 0; r < kN; ++r) hn::StoreU(v[r], d, out + (bj + r) * 16 + bi);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Row kernels.

// Reads codes of pixels [i, i + N) of a row as float, with x >> shift (shift 0 or 1: each of
// N / 2 codes twice; i is even).
template <class D>
struct CodeLoader {
  explicit CodeLoader(D d) {
#if HWY_TARGET != HWY_SCALAR
    HWY_ALIGN int32_t dup[hn::MaxLanes(D())];
    for (size_t k = 0; k < hn::MaxLanes(D()); ++k) dup[k] = static_cast<int32_t>(k / 2);
    idx = hn::SetTableIndices(di, dup);
#endif
    (void)d;
  }
  HWY_INLINE V<D> operator()(const uint16_t* HWY_RESTRICT c, size_t i, int shift) const {
    const D d;
#if HWY_TARGET == HWY_SCALAR
    return hn::Set(d, static_cast<float>(c[i >> shift]));
#else
    if (shift == 0) return hn::ConvertTo(d, hn::PromoteTo(di, hn::LoadU(d16, c + i)));
    const hn::Half<decltype(d16)> dh16;
    const hn::Half<decltype(di)> dhi;
    const auto half = hn::PromoteTo(dhi, hn::LoadU(dh16, c + (i >> 1)));
    return hn::ConvertTo(d, hn::TableLookupLanes(hn::ZeroExtendVector(di, half), idx));
#endif
  }
  hn::Rebind<int32_t, D> di;
  hn::Rebind<uint16_t, D> d16;
#if HWY_TARGET != HWY_SCALAR
  decltype(hn::SetTableIndices(hn::Rebind<int32_t, D>(), static_cast<const int32_t*>(nullptr))) idx;
#endif
};

void YuvToLinearRow(const uint16_t* HWY_RESTRICT y, const uint16_t* HWY_RESTRICT u,
                    const uint16_t* HWY_RESTRICT v, int shift, size_t n, const S2YuvParams& p,
                    float* HWY_RESTRICT r, float* HWY_RESTRICT g, float* HWY_RESTRICT b) {
  const hn::ScalableTag<float> d;
  const size_t N = hn::Lanes(d);
  const uint64_t* lut = s2_eotf_pairs();
  const auto inv_peak = hn::Set(d, p.inv_peak);
  const auto y_off = hn::Set(d, p.y_off), y_scale = hn::Set(d, p.y_scale);
  const auto c_off = hn::Set(d, p.c_off), c_scale = hn::Set(d, p.c_scale);
  const auto cr_r = hn::Set(d, p.cr_r), cb_g = hn::Set(d, p.cb_g);
  const auto cr_g = hn::Set(d, p.cr_g), cb_b = hn::Set(d, p.cb_b);
  const auto zero = hn::Zero(d), one = hn::Set(d, 1.0f);
  auto clamp = [&](V<decltype(d)> x) HWY_ATTR { return hn::Max(hn::Min(x, one), zero); };
  const CodeLoader<decltype(d)> load(d);
  size_t i = 0;
  for (; i + N <= n; i += N) {
    const auto yc = load(y, i, 0);
    const auto yn = hn::Mul(hn::Sub(hn::Mul(yc, inv_peak), y_off), y_scale);
    auto un = zero, vn = zero;
    if (u) {
      un = hn::Mul(hn::Sub(hn::Mul(load(u, i, shift), inv_peak), c_off), c_scale);
      vn = hn::Mul(hn::Sub(hn::Mul(load(v, i, shift), inv_peak), c_off), c_scale);
    }
    const auto rr = clamp(hn::Add(yn, hn::Mul(cr_r, vn)));
    const auto gg = clamp(hn::Add(hn::Add(yn, hn::Mul(cb_g, un)), hn::Mul(cr_g, vn)));
    const auto bb = clamp(hn::Add(yn, hn::Mul(cb_b, un)));
    hn::StoreU(Eotf(d, rr, lut), d, r + i);
    hn::StoreU(Eotf(d, gg, lut), d, g + i);
    hn::StoreU(Eotf(d, bb, lut), d, b + i);
  }
  if (i < n) {
    // i is a multiple of N (even), so the chroma of pixel i + k is still c[(i >> shift) + (k >> shift)].
    const size_t ci = i >> shift;
    ref::s2_yuv_to_linear_row(y + i, u ? u + ci : nullptr, u ? v + ci : nullptr, shift, n - i, p,
                              r + i, g + i, b + i);
  }
}

void XybRow(const float* HWY_RESTRICT r, const float* HWY_RESTRICT g,
            const float* HWY_RESTRICT b, size_t n, float* HWY_RESTRICT x,
            float* HWY_RESTRICT y, float* HWY_RESTRICT bo) {
  const hn::ScalableTag<float> d;
  const size_t N = hn::Lanes(d);
  const auto m00 = hn::Set(d, kS2M00), m01 = hn::Set(d, 1.0f - kS2M00 - kS2M02);
  const auto m02 = hn::Set(d, kS2M02), m10 = hn::Set(d, kS2M10);
  const auto m11 = hn::Set(d, 1.0f - kS2M10 - kS2M12), m12 = hn::Set(d, kS2M12);
  const auto m20 = hn::Set(d, kS2M20), m21 = hn::Set(d, kS2M21);
  const auto m22 = hn::Set(d, 1.0f - kS2M20 - kS2M21);
  const auto bias = hn::Set(d, kS2OpsinBias);
  const auto bias_cbrt = hn::Set(d, s2_cbrt(kS2OpsinBias));
  const auto zero = hn::Zero(d), half = hn::Set(d, 0.5f);
  const auto k14 = hn::Set(d, 14.0f), k042 = hn::Set(d, 0.42f);
  const auto k055 = hn::Set(d, 0.55f), k001 = hn::Set(d, 0.01f);
  size_t i = 0;
  for (; i + N <= n; i += N) {
    const auto vr = hn::LoadU(d, r + i), vg = hn::LoadU(d, g + i), vb = hn::LoadU(d, b + i);
    auto mix = [&](V<decltype(d)> a0, V<decltype(d)> a1, V<decltype(d)> a2) HWY_ATTR {
      const auto s = hn::Add(hn::Add(hn::Add(hn::Mul(a0, vr), hn::Mul(a1, vg)), hn::Mul(a2, vb)), bias);
      return hn::Max(s, zero);
    };
    const auto l = hn::Sub(Cbrt(d, mix(m00, m01, m02)), bias_cbrt);
    const auto m = hn::Sub(Cbrt(d, mix(m10, m11, m12)), bias_cbrt);
    const auto s = hn::Sub(Cbrt(d, mix(m20, m21, m22)), bias_cbrt);
    const auto xx = hn::Mul(half, hn::Sub(l, m));
    const auto yy = hn::Mul(half, hn::Add(l, m));
    hn::StoreU(hn::Add(hn::Sub(s, yy), k055), d, bo + i);
    hn::StoreU(hn::Add(hn::Mul(xx, k14), k042), d, x + i);
    hn::StoreU(hn::Add(yy, k001), d, y + i);
  }
  if (i < n) ref::s2_xyb_row(r + i, g + i, b + i, n - i, x + i, y + i, bo + i);
}

void DownsampleRow(const float* HWY_RESTRICT r0, const float* HWY_RESTRICT r1, size_t n,
                   float* HWY_RESTRICT out) {
  const hn::ScalableTag<float> d;
  const size_t N = hn::Lanes(d);
  const auto quarter = hn::Set(d, 0.25f);
  size_t i = 0;
  // Full pairs only; the (possibly clamped) last output goes through the reference.
  for (; 2 * (i + N) <= n; i += N) {
    V<decltype(d)> e0, o0, e1, o1;
    hn::LoadInterleaved2(d, r0 + 2 * i, e0, o0);
    hn::LoadInterleaved2(d, r1 + 2 * i, e1, o1);
    hn::StoreU(hn::Mul(hn::Add(hn::Add(hn::Add(e0, o0), e1), o1), quarter), d, out + i);
  }
  if (2 * i < n) ref::s2_downsample_row(r0 + 2 * i, r1 + 2 * i, n - 2 * i, out + i);
}

void ProductsRow(const float* const ref_rows[3], const float* const dis_rows[3], size_t n,
                 float* HWY_RESTRICT q16) {
  const hn::CappedTag<float, 8> d;
  constexpr size_t kN = hn::MaxLanes(decltype(d)());
  size_t i = 0;
  for (; i + kN <= n; i += kN) {
    V<decltype(d)> q[kS2Lanes];
    for (int c = 0; c < 3; ++c) {
      const auto a = hn::LoadU(d, ref_rows[c] + i);
      const auto b = hn::LoadU(d, dis_rows[c] + i);
      q[c * 5 + 0] = a;
      q[c * 5 + 1] = b;
      q[c * 5 + 2] = hn::Mul(a, a);
      q[c * 5 + 3] = hn::Mul(b, b);
      q[c * 5 + 4] = hn::Mul(a, b);
    }
    q[15] = hn::Zero(d);
    for (size_t grp = 0; grp < kS2Lanes; grp += kN) {
      TransposeBlock(d, q + grp);
      for (size_t p = 0; p < kN; ++p) hn::StoreU(q[grp + p], d, q16 + (i + p) * kS2Lanes + grp);
    }
  }
  if (i < n) {
    const float* r[3] = {ref_rows[0] + i, ref_rows[1] + i, ref_rows[2] + i};
    const float* s[3] = {dis_rows[0] + i, dis_rows[1] + i, dis_rows[2] + i};
    ref::s2_products_row(r, s, n - i, q16 + i * kS2Lanes);
  }
}

// Two rows at a time (in1/out1 may be null): two independent recursions hide the latency of
// each step's multiply-subtract chain.
void HblurRows(const S2Gauss& g, const float* HWY_RESTRICT in0, const float* HWY_RESTRICT in1,
               ptrdiff_t begin, ptrdiff_t end, float* HWY_RESTRICT out0,
               float* HWY_RESTRICT out1, float* HWY_RESTRICT state0,
               float* HWY_RESTRICT state1) {
  const hn::CappedTag<float, kS2Lanes> d;
  constexpr size_t kN = hn::MaxLanes(decltype(d)());
  constexpr size_t kV = kS2Lanes / kN;
  const ptrdiff_t rad = g.radius;
  V<decltype(d)> n2[3], d1[3];
  for (int k = 0; k < 3; ++k) {
    n2[k] = hn::Set(d, g.n2[k]);
    d1[k] = hn::Set(d, g.d1[k]);
  }
  auto run = [&](auto rows_tag) HWY_ATTR {
    constexpr size_t kRows = decltype(rows_tag)::value;
    const float* in[2] = {in0, in1};
    float* out[2] = {out0, out1};
    float* state[2] = {state0, state1};
    V<decltype(d)> p1[kRows][3][kV], p2[kRows][3][kV];
    for (size_t j = 0; j < kRows; ++j)
      for (int k = 0; k < 3; ++k)
        for (size_t v = 0; v < kV; ++v) {
          p1[j][k][v] = hn::LoadU(d, state[j] + k * kS2Lanes + v * kN);
          p2[j][k][v] = hn::LoadU(d, state[j] + (3 + k) * kS2Lanes + v * kN);
        }
    auto step = [&](ptrdiff_t x, bool store) HWY_ATTR {
      for (size_t j = 0; j < kRows; ++j) {
        const float* lp = in[j] + (x - rad - 1) * kS2Lanes;
        const float* rp = in[j] + (x + rad - 1) * kS2Lanes;
        for (size_t v = 0; v < kV; ++v) {
          const auto sum = hn::Add(hn::LoadU(d, lp + v * kN), hn::LoadU(d, rp + v * kN));
          V<decltype(d)> o[3];
          for (int k = 0; k < 3; ++k) {
            o[k] = hn::Sub(hn::Sub(hn::Mul(n2[k], sum), hn::Mul(d1[k], p1[j][k][v])), p2[j][k][v]);
            p2[j][k][v] = p1[j][k][v];
            p1[j][k][v] = o[k];
          }
          if (store)
            hn::StoreU(hn::Add(hn::Add(o[0], o[1]), o[2]), d, out[j] + x * kS2Lanes + v * kN);
        }
      }
    };
    const ptrdiff_t warm_end = end < 0 ? end : 0;
    ptrdiff_t x = begin;
    for (; x < warm_end; ++x) step(x, false);
    for (; x < end; ++x) step(x, true);
    for (size_t j = 0; j < kRows; ++j)
      for (int k = 0; k < 3; ++k)
        for (size_t v = 0; v < kV; ++v) {
          hn::StoreU(p1[j][k][v], d, state[j] + k * kS2Lanes + v * kN);
          hn::StoreU(p2[j][k][v], d, state[j] + (3 + k) * kS2Lanes + v * kN);
        }
  };
  if (in1)
    run(std::integral_constant<size_t, 2>());
  else
    run(std::integral_constant<size_t, 1>());
}

// Vertical recursion of one strip for steps [s0, s1) with the state in registers, chunk by
// chunk; output rows (steps >= first_out) go to out[step - out0].
HWY_INLINE void VblurSteps(const S2Gauss& g, const S2Band& band, size_t s0, size_t s1,
                           size_t out0, float* HWY_RESTRICT state, float* HWY_RESTRICT out) {
  constexpr size_t kW = kS2StripPixels * kS2Lanes;
  const hn::ScalableTag<float> d;
  constexpr size_t kN = hn::MaxLanes(decltype(d)());
  // Two vectors per step: enough independent chains, and the state stays in registers.
  constexpr size_t kChunk = 2 * kN < kW ? 2 * kN : kW;
  constexpr size_t kV = kChunk / kN;
  V<decltype(d)> n2[3], d1[3];
  for (int k = 0; k < 3; ++k) {
    n2[k] = hn::Set(d, g.n2[k]);
    d1[k] = hn::Set(d, g.d1[k]);
  }
  for (size_t c0 = 0; c0 < kW; c0 += kChunk) {
    V<decltype(d)> p1[3][kV], p2[3][kV];
    for (int k = 0; k < 3; ++k)
      for (size_t v = 0; v < kV; ++v) {
        p1[k][v] = hn::LoadU(d, state + k * kW + c0 + v * kN);
        p2[k][v] = hn::LoadU(d, state + (3 + k) * kW + c0 + v * kN);
      }
    for (size_t s = s0; s < s1; ++s) {
      const float* lt = band.left[s] + band.x0 * kS2Lanes + c0;
      const float* rt = band.right[s] + band.x0 * kS2Lanes + c0;
      float* o_row = s >= band.first_out ? out + (s - out0) * kW + c0 : nullptr;
      for (size_t v = 0; v < kV; ++v) {
        const auto sum = hn::Add(hn::LoadU(d, lt + v * kN), hn::LoadU(d, rt + v * kN));
        V<decltype(d)> o[3];
        for (int k = 0; k < 3; ++k) {
          o[k] = hn::Sub(hn::Sub(hn::Mul(n2[k], sum), hn::Mul(d1[k], p1[k][v])), p2[k][v]);
          p2[k][v] = p1[k][v];
          p1[k][v] = o[k];
        }
        if (o_row) hn::StoreU(hn::Add(hn::Add(o[0], o[1]), o[2]), d, o_row + v * kN);
      }
    }
    for (int k = 0; k < 3; ++k)
      for (size_t v = 0; v < kV; ++v) {
        hn::StoreU(p1[k][v], d, state + k * kW + c0 + v * kN);
        hn::StoreU(p2[k][v], d, state + (3 + k) * kW + c0 + v * kN);
      }
  }
}

// SSIM and edge maps of `rows` transposed output rows (t[row][quantity][pixel]).
HWY_INLINE void Maps(const S2Band& band, size_t first_row, size_t rows,
                     const float* HWY_RESTRICT t, double* HWY_RESTRICT acc) {
  const hn::ScalableTag<double> dd;
  const hn::Rebind<float, decltype(dd)> df;
  constexpr size_t kN = hn::MaxLanes(decltype(dd)());
  constexpr size_t kPix = kS2StripPixels < kN ? kS2StripPixels : kN;
  static_assert(kS2StripPixels % kPix == 0, "strip of whole vectors");
  constexpr size_t kT = kS2Lanes * kS2StripPixels;
  const auto zero = hn::Zero(dd), one = hn::Set(dd, 1.0);
  const auto fone = hn::Set(df, 1.0f), ftwo = hn::Set(df, 2.0f), c2 = hn::Set(df, kS2C2);
  for (int c = 0; c < 3; ++c) {
    for (size_t j = 0; j < kS2StripPixels; j += kPix) {
      const auto valid = hn::FirstN(dd, band.pixels > j ? band.pixels - j : 0);
      double* a = acc + c * kS2Stats * kS2Lanes + j;
      V<decltype(dd)> sum[kS2Stats];
      for (int k = 0; k < kS2Stats; ++k) sum[k] = hn::LoadU(dd, a + k * kS2Lanes);
      for (size_t r = 0; r < rows; ++r) {
        const float* q = t + r * kT + j;
        const auto mu1 = hn::LoadU(df, q + (c * 5 + 0) * kS2StripPixels);
        const auto mu2 = hn::LoadU(df, q + (c * 5 + 1) * kS2StripPixels);
        const auto s11 = hn::LoadU(df, q + (c * 5 + 2) * kS2StripPixels);
        const auto s22 = hn::LoadU(df, q + (c * 5 + 3) * kS2StripPixels);
        const auto s12 = hn::LoadU(df, q + (c * 5 + 4) * kS2StripPixels);
        const auto mu11 = hn::Mul(mu1, mu1), mu22 = hn::Mul(mu2, mu2), mu12 = hn::Mul(mu1, mu2);
        const auto diff = hn::Sub(mu1, mu2);
        const auto num_m = hn::Sub(fone, hn::Mul(diff, diff));
        const auto num_s = hn::Add(hn::Mul(ftwo, hn::Sub(s12, mu12)), c2);
        const auto den_s = hn::Add(hn::Add(hn::Sub(s11, mu11), hn::Sub(s22, mu22)), c2);
        auto e = hn::Sub(one, hn::Div(hn::Mul(hn::PromoteTo(dd, num_m), hn::PromoteTo(dd, num_s)),
                                      hn::PromoteTo(dd, den_s)));
        e = hn::IfThenZeroElse(e < zero, e);
        e = hn::IfThenElseZero(valid, e);
        auto e2 = hn::Mul(e, e);
        sum[0] = hn::Add(sum[0], e);
        sum[1] = hn::Add(sum[1], hn::Mul(e2, e2));
        const float* const* xyb = band.xyb + 6 * (first_row + r);
        const auto i1 = hn::LoadU(df, xyb[c] + band.x0 + j);
        const auto i2 = hn::LoadU(df, xyb[3 + c] + band.x0 + j);
        auto ed1 = hn::PromoteTo(dd, hn::Abs(hn::Sub(i1, mu1)));
        auto ed2 = hn::PromoteTo(dd, hn::Abs(hn::Sub(i2, mu2)));
        const size_t raster =
            (band.row0 + first_row + r) * band.width + band.col0 + band.x0 + j;
        if (raster + kPix > band.wide_from) {
          const auto wide = hn::Iota(dd, static_cast<double>(raster)) >=
                            hn::Set(dd, static_cast<double>(band.wide_from));
          const auto w1 = hn::Abs(hn::Sub(hn::PromoteTo(dd, i1), hn::PromoteTo(dd, mu1)));
          const auto w2 = hn::Abs(hn::Sub(hn::PromoteTo(dd, i2), hn::PromoteTo(dd, mu2)));
          ed1 = hn::IfThenElse(wide, w1, ed1);
          ed2 = hn::IfThenElse(wide, w2, ed2);
        }
        auto ratio = hn::Sub(hn::Div(hn::Add(one, ed2), hn::Add(one, ed1)), one);
        ratio = hn::IfThenElseZero(valid, ratio);
        const auto art = hn::IfThenElseZero(ratio > zero, ratio);
        const auto det = hn::IfThenElseZero(ratio < zero, hn::Neg(ratio));
        const auto art2 = hn::Mul(art, art), det2 = hn::Mul(det, det);
        sum[2] = hn::Add(sum[2], art);
        sum[3] = hn::Add(sum[3], hn::Mul(art2, art2));
        sum[4] = hn::Add(sum[4], det);
        sum[5] = hn::Add(sum[5], hn::Mul(det2, det2));
      }
      for (int k = 0; k < kS2Stats; ++k) hn::StoreU(sum[k], dd, a + k * kS2Lanes);
    }
  }
}

void VblurMapsStrip(const S2Gauss& g, const S2Band& band, float* HWY_RESTRICT state,
                    double* HWY_RESTRICT acc) {
  constexpr size_t kSub = 16;  // output rows per pass
  constexpr size_t kW = kS2StripPixels * kS2Lanes;
  HWY_ALIGN float out[kSub * kW];
  HWY_ALIGN float t[kSub * kW];
  size_t s0 = 0;
  while (s0 < band.steps) {
    const size_t out0 = s0 > band.first_out ? s0 : band.first_out;
    const size_t s1 = out0 + kSub < band.steps ? out0 + kSub : band.steps;
    VblurSteps(g, band, s0, s1, out0, state, out);
    const size_t rows = s1 > out0 ? s1 - out0 : 0;
    for (size_t r = 0; r < rows; ++r) Transpose16(out + r * kW, t + r * kW);
    if (rows) Maps(band, out0 - band.first_out, rows, t, acc);
    s0 = s1;
  }
}

}  // namespace vqfuse::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace vqfuse::kernels {
HWY_EXPORT(YuvToLinearRow);
HWY_EXPORT(XybRow);
HWY_EXPORT(DownsampleRow);
HWY_EXPORT(ProductsRow);
HWY_EXPORT(HblurRows);
HWY_EXPORT(VblurMapsStrip);

void s2_yuv_to_linear_row(const uint16_t* y, const uint16_t* u, const uint16_t* v,
                          int chroma_shift, size_t n, const S2YuvParams& p, float* r, float* g,
                          float* b) {
  HWY_DYNAMIC_DISPATCH(YuvToLinearRow)(y, u, v, chroma_shift, n, p, r, g, b);
}
void s2_xyb_row(const float* r, const float* g, const float* b, size_t n, float* x, float* y,
                float* bo) {
  HWY_DYNAMIC_DISPATCH(XybRow)(r, g, b, n, x, y, bo);
}
void s2_downsample_row(const float* r0, const float* r1, size_t n, float* out) {
  HWY_DYNAMIC_DISPATCH(DownsampleRow)(r0, r1, n, out);
}
void s2_products_row(const float* const ref[3], const float* const dis[3], size_t n, float* q16) {
  HWY_DYNAMIC_DISPATCH(ProductsRow)(ref, dis, n, q16);
}
void s2_hblur_rows(const S2Gauss& g, const float* in0, const float* in1, ptrdiff_t begin,
                   ptrdiff_t end, float* out0, float* out1, float* state0, float* state1) {
  HWY_DYNAMIC_DISPATCH(HblurRows)(g, in0, in1, begin, end, out0, out1, state0, state1);
}
void s2_vblur_maps_strip(const S2Gauss& g, const S2Band& band, float* state, double* acc) {
  HWY_DYNAMIC_DISPATCH(VblurMapsStrip)(g, band, state, acc);
}
}  // namespace vqfuse::kernels
#endif
