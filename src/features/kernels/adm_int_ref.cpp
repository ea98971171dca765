// Scalar reference (the specification) of adm_int.hpp. Integer overflow follows libvmaf's
// two's-complement behaviour explicitly (wrap through uint32/uint64) instead of relying on UB.
#include <cmath>
#include <cstdlib>

#include "features/kernels/adm_common.hpp"
#include "features/kernels/adm_int.hpp"

namespace vqfuse::kernels::admi::ref {
namespace {

constexpr int32_t kLo[4] = {15826, 27411, 7345, -4240};   // db2 low-pass, Q15
constexpr int32_t kHi[4] = {-4240, -7345, 27411, -15826};  // db2 high-pass, Q15
constexpr int32_t kLoSum = 46342;

inline int32_t wrap32(int64_t v) { return static_cast<int32_t>(static_cast<uint32_t>(v)); }
inline int32_t wrap16(int32_t v) { return static_cast<int16_t>(static_cast<uint16_t>(v)); }
inline int32_t add32(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}
inline int32_t mul32(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) * static_cast<uint32_t>(b));
}
// abs() of an int32 as libvmaf's abs() behaves on x86: abs(INT32_MIN) == INT32_MIN.
inline int32_t abs32(int32_t v) { return v < 0 ? static_cast<int32_t>(0u - static_cast<uint32_t>(v)) : v; }
// (int64)v * rf with rf an uint32 weight (exact: |v| * rf < 2^63).
inline int64_t mul_weight(int32_t v, uint32_t rf) { return static_cast<int64_t>(v) * static_cast<int64_t>(rf); }
// (int32)((v * rf + 2^27) >> 28): libvmaf's i4 CSF weighting.
inline int32_t weight_i4(int32_t v, uint32_t rf) { return wrap32((mul_weight(v, rf) + (1 << 27)) >> 28); }
// (int32)((k * |v| - 2^31) >> 32): libvmaf adds (int32)(1u << 31), i.e. subtracts 2^31.
inline int32_t scaled_abs_i4(int32_t v, int64_t k) {
  return wrap32((k * abs32(v) - 2147483648LL) >> 32);
}
inline int64_t round_shift(int64_t v, int shift) {
  return shift > 0 ? (v + (int64_t{1} << (shift - 1))) >> shift : v;
}

}  // namespace

void dwt_vert_s0(const uint16_t* const rows[4], int n, int bpc, int16_t* lo, int16_t* hi) {
  const int32_t round = 1 << (bpc - 1);
  for (int j = 0; j < n; ++j) {
    int32_t l = 0, h = 0;
    for (int k = 0; k < 4; ++k) {
      l = add32(l, mul32(kLo[k], rows[k][j]));
      h = add32(h, mul32(kHi[k], rows[k][j]));
    }
    lo[j] = static_cast<int16_t>(wrap16(add32(l, -kLoSum * round + round) >> bpc));
    if (hi) hi[j] = static_cast<int16_t>(wrap16(add32(h, round) >> bpc));
  }
}

void dwt_vert_s123(const int32_t* const rows[4], int n, int scale, int32_t* lo, int32_t* hi) {
  const int shift = scale == 1 ? 0 : 16;
  for (int j = 0; j < n; ++j) {
    int64_t l = 0, h = 0;
    for (int k = 0; k < 4; ++k) {
      l += int64_t{kLo[k]} * rows[k][j];
      h += int64_t{kHi[k]} * rows[k][j];
    }
    lo[j] = wrap32(round_shift(l, shift));
    if (hi) hi[j] = wrap32(round_shift(h, shift));
  }
}

void dwt_hori_s0(const int16_t* src, int j0, int j1, int32_t* out_lo, int32_t* out_hi) {
  for (int j = j0; j < j1; ++j) {
    const int16_t* s = src + 2 * j;
    int32_t l = 0, h = 0;  // |sum| < 2^31: int16 samples, taps summing to < 2^16 in magnitude
    for (int k = 0; k < 4; ++k) {
      l += kLo[k] * s[k];
      h += kHi[k] * s[k];
    }
    if (out_lo) out_lo[j] = wrap16((l + 32768) >> 16);
    if (out_hi) out_hi[j] = wrap16((h + 32768) >> 16);
  }
}

void dwt_hori(const int32_t* src, int j0, int j1, int scale, int32_t* out_lo, int32_t* out_hi) {
  const int shift = scale == 2 ? 16 : 15;
  for (int j = j0; j < j1; ++j) {
    const int32_t* s = src + 2 * j;
    int64_t l = 0, h = 0;
    for (int k = 0; k < 4; ++k) {
      l += int64_t{kLo[k]} * s[k];
      h += int64_t{kHi[k]} * s[k];
    }
    if (out_lo) out_lo[j] = wrap32(round_shift(l, shift));
    if (out_hi) out_hi[j] = wrap32(round_shift(h, shift));
  }
}

void decouple(const int32_t* const o[3], const int32_t* const t[3], int n, double gain_limit,
              bool wrap16_bands, int32_t* const r[3], int32_t* const a[3]) {
  // cos(1 degree)^2 as libvmaf rounds it: double product stored in a float.
  const float cos1sq = static_cast<float>(std::cos(1.0 * 3.14159265358979323846 / 180.0) *
                                          std::cos(1.0 * 3.14159265358979323846 / 180.0));
  const int32_t* div = adm::div_lookup() + 32768;
  for (int j = 0; j < n; ++j) {
    const int32_t oh = o[0][j], ov = o[1][j], th = t[0][j], tv = t[1][j];
    // Products wrap as libvmaf's int64 arithmetic does on overflow.
    const auto mac = [](int32_t a0, int32_t b0, int32_t a1, int32_t b1) {
      return static_cast<int64_t>(static_cast<uint64_t>(int64_t{a0} * b0) +
                                  static_cast<uint64_t>(int64_t{a1} * b1));
    };
    const float dp = static_cast<float>(mac(oh, th, ov, tv));
    const float om = static_cast<float>(mac(oh, oh, ov, ov));
    const float tm = static_cast<float>(mac(th, th, tv, tv));
    const double dpd = dp / 4096.0;
    const bool angle = dpd >= 0.0f && dpd * dpd >= cos1sq * (om / 4096.0) * (tm / 4096.0);
    for (int b = 0; b < 3; ++b) {
      const int32_t ov_b = o[b][j], tv_b = t[b][j];
      int64_t k;
      if (ov_b == 0) {
        k = 32768;
      } else {
        // th/oh as a multiplication by a reciprocal of the best 15 bits of |oh|.
        const uint32_t mag = static_cast<uint32_t>(abs32(ov_b));
        uint32_t msb = mag;
        int shift = 0;
        if (mag >= 32768) {
          shift = 17 - __builtin_clz(mag);
          msb = (mag + (1u << (shift - 1))) >> shift;
        }
        const int64_t sign = ov_b < 0 ? -1 : 1;
        const int64_t round = static_cast<int32_t>(1u << (14 + shift));
        k = ((int64_t{div[msb]} * tv_b) * sign + round) >> (15 + shift);
        k = k < 0 ? 0 : (k > 32768 ? 32768 : k);
      }
      int32_t rst = wrap32((k * ov_b + 16384) >> 15);
      if (angle && k > 0 && ov_b != 0) {
        const double cand = rst * gain_limit;
        if (ov_b > 0) rst = static_cast<int32_t>(cand < tv_b ? cand : static_cast<double>(tv_b));
        else rst = static_cast<int32_t>(cand > tv_b ? cand : static_cast<double>(tv_b));
      }
      int32_t add = wrap32(int64_t{tv_b} - rst);  // libvmaf's int32 wrap; -INT_MIN would be UB
      if (wrap16_bands) {
        rst = wrap16(rst);
        add = wrap16(add);
      }
      r[b][j] = rst;
      a[b][j] = add;
    }
  }
}

void den_s0(const int32_t* const b[3], int n, uint64_t sum[3]) {
  for (int k = 0; k < 3; ++k) {
    uint64_t s = 0;
    for (int j = 0; j < n; ++j) {
      const uint64_t v = static_cast<uint16_t>(abs32(b[k][j]));
      s += v * v * v;
    }
    sum[k] = s;
  }
}

void den_s123(const int32_t* const b[3], int n, int shift_sq, int shift_cub, uint64_t sum[3]) {
  const uint64_t add_cub = shift_cub > 0 ? uint64_t{1} << (shift_cub - 1) : 0;
  for (int k = 0; k < 3; ++k) {
    uint64_t s = 0;
    for (int j = 0; j < n; ++j) {
      const uint64_t v = static_cast<uint32_t>(abs32(b[k][j]));
      s += ((((v * v) + (uint64_t{1} << shift_sq)) >> shift_sq) * v + add_cub) >> shift_cub;
    }
    sum[k] = s;
  }
}

void csf_s0(const int32_t* const src[3], int n, const uint16_t rfactor[3], int32_t* f,
            int32_t* c) {
  // Q shifts 15, 15, 17 with libvmaf's rounding constants (65535 for the diagonal).
  constexpr int kShift[3] = {15, 15, 17};
  constexpr int32_t kAdd[3] = {16384, 16384, 65535};
  for (int j = 0; j < n; ++j) {
    int32_t fs = 0, cs = 0;
    for (int b = 0; b < 3; ++b) {
      const int32_t dst = wrap16(add32(mul32(rfactor[b], src[b][j]), kAdd[b]) >> kShift[b]);
      const int32_t mag = abs32(dst);
      fs = add32(fs, wrap16((4369 * mag + 2048) >> 12));  // 1/30 in Q17
      cs = add32(cs, wrap16((8738 * mag + 2048) >> 12));  // 1/15 in Q17
    }
    f[j] = fs;
    c[j] = cs;
  }
}

void csf_s123(const int32_t* const src[3], int n, const uint32_t rfactor[3], int32_t* f,
              int32_t* c) {
  for (int j = 0; j < n; ++j) {
    int32_t fs = 0, cs = 0;
    for (int b = 0; b < 3; ++b) {
      const int32_t dst = weight_i4(src[b][j], rfactor[b]);
      fs = add32(fs, scaled_abs_i4(dst, 143165577));  // 1/30 in Q32
      cs = add32(cs, scaled_abs_i4(dst, 286331153));  // 1/15 in Q32
    }
    f[j] = fs;
    c[j] = cs;
  }
}

void cm(const int32_t* const src[3], const int32_t* fa, const int32_t* fc, const int32_t* fb,
        const int32_t* c, int n, const CmParams& p, int64_t sum[3]) {
  // Sums wrap modulo 2^64 (libvmaf's int64 on x86); only extreme synthetic input gets there,
  // but signed overflow would be undefined behaviour.
  uint64_t acc[3] = {0, 0, 0};
  for (int j = 0; j < n; ++j) {
    int32_t thr = c[j];
    for (int d = -1; d <= 1; ++d) {
      thr = add32(thr, fa[j + d]);
      thr = add32(thr, fb[j + d]);
    }
    thr = add32(thr, add32(fc[j - 1], fc[j + 1]));
    for (int b = 0; b < 3; ++b) {
      int32_t x = p.s123 ? weight_i4(src[b][j], p.rfactor[b])
                         : mul32(src[b][j], static_cast<int32_t>(p.rfactor[b]));
      x = add32(abs32(x), -static_cast<int32_t>(static_cast<uint32_t>(thr) << p.sub[b]));
      if (x < 0) x = 0;
      const int32_t sq = wrap32(round_shift(int64_t{x} * x, p.shift_sq[b]));
      acc[b] += static_cast<uint64_t>(round_shift(int64_t{sq} * x, p.shift_cub[b]));
    }
  }
  for (int b = 0; b < 3; ++b) sum[b] = static_cast<int64_t>(acc[b]);
}

}  // namespace vqfuse::kernels::admi::ref
