// Scalar reference (the specification) of ciede.hpp. The SIMD kernel performs exactly these
// float operations in this order (no FMA), lane by lane.
#include <algorithm>
#include <bit>
#include <cmath>

#include "features/kernels/ciede.hpp"

namespace vqfuse::kernels {

CiedeScale ciede_scale(int bit_depth) {
  const double scale = static_cast<double>(1 << (bit_depth - 8));
  return {static_cast<float>(16 * scale), static_cast<float>(1 / (219 * scale)),
          static_cast<float>(128 * scale), static_cast<float>(1 / (224 * scale))};
}

namespace ref {
namespace {

using namespace ciede;  // NOLINT(build/namespaces): the constants of this kernel

template <size_t N>
float horner(const float (&c)[N], float z) {
  float p = c[0];
  for (size_t i = 1; i < N; ++i) p = p * z + c[i];
  return p;
}

// Splits a positive normal float into m in [1, 2) and its exponent (clamped to [lo, hi]; the
// callers' ranges are inside).
inline float mantissa(float x) {
  return std::bit_cast<float>((std::bit_cast<uint32_t>(x) & 0x7fffffu) | 0x3f800000u);
}
inline int32_t exponent(float x, int32_t lo, int32_t hi) {
  return std::clamp(static_cast<int32_t>(std::bit_cast<uint32_t>(x) >> 23) - 127, lo, hi);
}
inline float pow2i(int32_t n) { return std::bit_cast<float>(static_cast<uint32_t>(n + 127) << 23); }

float gamma_expand(float c) {
  if (c > kGammaThreshold) return pow24((c + kGammaOffset) * kGammaScale);
  return c * kLinearScale;
}

float lab_f(float c) {
  if (c > kLabEpsilon) return cbrt_pos(c);
  return (kLabKappa * c + 16.0f) * kInv116;
}

// exp(-q) for q >= 0 via 2^-y, y = q log2(e) clamped to kExpClamp: below 2^-40 the value only
// scales R_T (|R_T| < 2e-12 then, far below float resolution of dE), and the clamp keeps every
// later product (theta^2) out of the subnormal range, whose microcode assists cost ~100x.
float exp_neg(float q) {
  const float y = std::min(q * kLog2e, kExpClamp);
  const auto n = static_cast<int32_t>(y);
  const float g = y - static_cast<float>(n);
  return horner(kExp2NegPoly, g) * pow2i(-n);
}

inline float pow7(float x) {
  const float x2 = x * x;
  const float x3 = x2 * x;
  const float x6 = x3 * x3;
  return x6 * x;
}

}  // namespace

float pow24(float t) {
  // t = m 2^e: t^2.4 = m^2.4 * 2^(2.4 e).
  const int32_t e = exponent(t, kPow24MinExp, kPow24MaxExp);
  return horner(kPow24Poly, mantissa(t) - 1.5f) * kPow24Scale[e - kPow24MinExp];
}

float cbrt_pos(float x) {
  const int32_t e = exponent(x, kCbrtMinExp, kCbrtMaxExp);
  return horner(kCbrtPoly, mantissa(x) - 1.5f) * kCbrtScale[e - kCbrtMinExp];
}

float atan2f_poly(float y, float x) {
  const float ax = std::fabs(x), ay = std::fabs(y);
  const float mx = std::max(ax, ay), mn = std::min(ax, ay);
  const float t = mx > 0 ? mn / mx : 0.0f;
  float a = t * horner(kAtanPoly, t * t);
  if (ay > ax) a = kHalfPi - a;
  if (x < 0) a = kFloatPi - a;
  if (y < 0) a = -a;
  return a;
}

bool rotation_active(float vx, float vy, bool up1, bool up2, float im) {
  const bool wrap = (up1 && !up2 && im < 0) || (!up1 && up2 && im > 0);
  const bool far = vx <= kCos112_5;
  const bool below_95 = !wrap && vy > 0 && vx < kCos85;
  return !(far || below_95);
}

Lab yuv_to_lab(float y, float u, float v, const CiedeScale& s) {
  y = (y - s.y_off) * s.y_scale;
  u = (u - s.c_off) * s.c_scale;
  v = (v - s.c_off) * s.c_scale;
  const float r = gamma_expand(y + kCrToR * v);
  const float g = gamma_expand((y - kCbToG * u) - kCrToG * v);
  const float b = gamma_expand(y + kCbToB * u);
  const float fx = lab_f((kXyz[0] * r + kXyz[1] * g) + kXyz[2] * b);
  const float fy = lab_f((kXyz[3] * r + kXyz[4] * g) + kXyz[5] * b);
  const float fz = lab_f((kXyz[6] * r + kXyz[7] * g) + kXyz[8] * b);
  return {116.0f * fy - 16.0f, 500.0f * (fx - fy), 200.0f * (fy - fz)};
}

// CIEDE2000 (Sharma et al. 2005) with kL = 0.65, kC = 1, kH = 4, in libvmaf's conventions for
// the hue angle (h = 0 for zero chroma, mean hue (h1 + h2 + 2 pi) / 2 whenever |h1 - h2| > pi).
// The hue terms use the chroma vectors z = (a', b) instead of angles:
//  - dH'^2 = 2 (C1' C2' - Re(z1 conj z2)), rewritten as 2 Im^2 / (C1' C2' + Re) when Re > 0
//    (no cancellation); its sign is the turning direction Im = z1 x z2;
//  - the mean hue direction is the bisector of z1 and z2; cos/sin of its multiples give T;
//  - R_T needs the mean hue angle relative to 275 deg: one atan2 of the bisector rotated by
//    -275 deg. R_T is set to 0 where that angle exceeds 112.5 deg, or where libvmaf's mean hue
//    is below 95 deg (no wrap: its angle is then below -265 deg): there |R_T| < 4e-9, far below
//    the float resolution of dE (this also lets the SIMD kernel skip the whole term for vectors
//    without a blue-ish mean hue).
float delta_e(const Lab& c1, const Lab& c2) {
  const float dl = c2.l - c1.l;
  const float lbar = (c1.l + c2.l) * 0.5f;
  const float ch1 = std::sqrt(c1.a * c1.a + c1.b * c1.b);
  const float ch2 = std::sqrt(c2.a * c2.a + c2.b * c2.b);
  const float cbar7 = pow7((ch1 + ch2) * 0.5f);
  const float g = 0.5f * (1.0f - std::sqrt(cbar7 / (cbar7 + k25Pow7)));
  const float ap1 = c1.a + c1.a * g;
  const float ap2 = c2.a + c2.a * g;
  const float cp1 = std::sqrt(ap1 * ap1 + c1.b * c1.b);
  const float cp2 = std::sqrt(ap2 * ap2 + c2.b * c2.b);
  const float cbarp = (cp1 + cp2) * 0.5f;
  const float dcp = cp2 - cp1;
  const float lt = (lbar - 50.0f) * (lbar - 50.0f);
  const float q = std::sqrt(20.0f + lt);
  const float sc = 1.0f + 0.045f * cbarp;

  // Hue difference.
  const float p = cp1 * cp2;
  const float re = ap1 * ap2 + c1.b * c2.b;
  const float im = ap1 * c2.b - c1.b * ap2;
  const bool stable = re > 0;
  const float nh = stable ? 2.0f * (im * im) : 2.0f * (p - re);
  const float dh = stable ? p + re : 1.0f;
  // Exactly opposite hues: libvmaf's dh' is h2 - h1 = +-pi, positive when z1 has the smaller
  // hue (upper half plane, or the positive a' axis).
  const bool small1 = c1.b > 0 || (c1.b == 0 && ap1 > 0);
  const bool neg = im < 0 || (im == 0 && re < 0 && !small1);
  const float root = std::sqrt(nh * dh);
  const float dh_signed = neg ? -root : root;

  // Mean hue direction: the bisector of the short arc from z1 to z2, from C2' z1 + C1' z2 when
  // the hues are within 90 deg (Re >= 0), else from the difference C1' z2 - C2' z1 turned by
  // -90 deg towards the turning direction (each form is well conditioned in its half). Exactly
  // opposite hues: the smaller hue + 90 deg, as libvmaf's (h1 + h2) / 2. No chroma: (1, 0).
  float wx, wy;
  if (re >= 0) {
    wx = ap1 * cp2 + ap2 * cp1;
    wy = c1.b * cp2 + c2.b * cp1;
  } else {
    const float dx = ap2 * cp1 - ap1 * cp2;
    const float dy = c2.b * cp1 - c1.b * cp2;
    wx = neg ? -dy : dy;
    wy = neg ? dx : -dx;
  }
  if (wx * wx + wy * wy == 0) {
    wx = 1.0f;
    wy = 0.0f;
  }
  const float inv_w = 1.0f / std::sqrt(wx * wx + wy * wy);
  const float ch = wx * inv_w, sh = wy * inv_w;
  const float c2h = ch * ch - sh * sh, s2h = 2.0f * (ch * sh);
  const float c3h = c2h * ch - s2h * sh, s3h = s2h * ch + c2h * sh;
  const float c4h = c2h * c2h - s2h * s2h, s4h = 2.0f * (s2h * c2h);
  const float t = (((1.0f - 0.17f * (ch * kCos30 + sh * kSin30)) + 0.24f * c2h) +
                   0.32f * (c3h * kCos6 - s3h * kSin6)) -
                  0.20f * (c4h * kCos63 + s4h * kSin63);
  const float shh = 1.0f + (0.015f * cbarp) * t;

  // Rotation term, from the mean hue relative to 275 deg, v = (cos, sin)(H - 275 deg).
  const float vx = ch * kCos275 + sh * kSin275;
  const float vy = sh * kCos275 - ch * kSin275;
  float rt = 0;
  if (rotation_active(vx, vy, c1.b >= 0, c2.b >= 0, im)) {
    const float deg = atan2f_poly(vy, vx) * kRadTo25Deg;
    const float theta = exp_neg(deg * deg) * kPiOver3;
    const float sin_theta = theta * horner(kSinPoly, theta * theta);
    const float cbarp7 = pow7(cbarp);
    rt = -2.0f * (std::sqrt(cbarp7 / (cbarp7 + k25Pow7)) * sin_theta);
  }

  // dL / (kL S_L), dC / S_C, dH / (kH S_H) over one common denominator; S_L = (q + 0.015 lt)/q.
  const float a = kKl * (q + 0.015f * lt);
  const float cc = kKh * shh;
  const float inv = 1.0f / (((a * sc) * cc) * dh);
  const float lterm = ((((dl * q) * sc) * cc) * dh) * inv;
  const float cterm = (((dcp * a) * cc) * dh) * inv;
  const float hterm = ((dh_signed * a) * sc) * inv;
  return std::sqrt(((lterm * lterm + cterm * cterm) + hterm * hterm) + (rt * cterm) * hterm);
}

void ciede_row(const uint16_t* const ref[3], const uint16_t* const dis[3], size_t n,
               int chroma_shift, const CiedeScale& s, double acc[16]) {
  for (size_t x = 0; x < n; ++x) {
    const size_t c = x >> chroma_shift;
    const Lab l1 = yuv_to_lab(ref[0][x], ref[1][c], ref[2][c], s);
    const Lab l2 = yuv_to_lab(dis[0][x], dis[1][c], dis[2][c], s);
    acc[x & 15] += static_cast<double>(delta_e(l1, l2));
  }
}

}  // namespace ref
}  // namespace vqfuse::kernels
