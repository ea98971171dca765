// Kernel of ciede: CIEDE2000 colour difference of two Y'CbCr pictures, pixel by pixel, summed.
//
// Per pixel (libvmaf ciede.c): Y'CbCr (limited range) -> R'G'B' (BT.709 coefficients) ->
// linear RGB (sRGB-style 2.4 power curve) -> XYZ (D65) -> L*a*b* -> CIEDE2000 with weights
// kL = 0.65, kC = 1, kH = 4 (G. Sharma, W. Wu, E. N. Dalal, "The CIEDE2000 color-difference
// formula: implementation notes, supplementary test data, and mathematical observations",
// Color Res. Appl. 30(1), 2005).
//
// libvmaf evaluates this per pixel with libm in double (pow, cbrt via pow, atan2, cos, sin, exp):
// ~1 fps at 1080p. vqfuse evaluates it in float SIMD with polynomials (Mul/Add only, so every
// target rounds identically) and a few algebraic rewrites that need no atan2/sin for the hue
// difference; the approximation errors are below 2 float ulps per function, i.e. at the level of
// libvmaf's own float rounding of L*a*b* and of every intermediate of its ciede2000(), and they
// do not accumulate: the frame score is a mean over all pixels. See ciede_ref.cpp for the exact
// sequence (the specification both implementations follow operation by operation).
#pragma once

#include <cstddef>
#include <cstdint>

namespace vqfuse::kernels {

// Limited-range normalisation for one bit depth: y' = (Y - y_off) * y_scale,
// c' = (C - c_off) * c_scale (libvmaf: 16 << (bpc-8), 1/(219 * 2^(bpc-8)), 128 << ..., 1/224...).
struct CiedeScale {
  float y_off, y_scale, c_off, c_scale;
};
CiedeScale ciede_scale(int bit_depth);

// Adds dE00 of pixels [0, n) of one row into acc[x % 16] (double; the 16 slots make the sum
// independent of the SIMD width). ref/dis: Y, Cb, Cr rows; chroma rows hold ceil(n/2) samples
// when chroma_shift is 1 (sample x >> 1 is used for pixel x), n samples when 0.
void ciede_row(const uint16_t* const ref[3], const uint16_t* const dis[3], size_t n,
               int chroma_shift, const CiedeScale& s, double acc[16]);

namespace ref {
void ciede_row(const uint16_t* const ref[3], const uint16_t* const dis[3], size_t n,
               int chroma_shift, const CiedeScale& s, double acc[16]);
// The per-pixel functions of the specification (exposed for tests).
struct Lab {
  float l, a, b;
};
Lab yuv_to_lab(float y, float u, float v, const CiedeScale& s);
float delta_e(const Lab& c1, const Lab& c2);
float pow24(float t);      // t^2.4 for t in [2^-4, 4)
float cbrt_pos(float x);   // x^(1/3) for x in [2^-7, 8)
float atan2f_poly(float y, float x);
// Whether the CIEDE2000 rotation term is evaluated (see delta_e).
bool rotation_active(float vx, float vy, bool up1, bool up2, float im);
}  // namespace ref

// Constants shared by both implementations.
namespace ciede {

// Polynomials (Chebyshev fits, mpmath chebyfit), highest degree first. The lighter ones feed
// only the rotation term R_T, whose contribution to dE00 is small.
// m^2.4 for m = 1.5 + z, z in [-0.5, 0.5): degree 6, abs error 5.9e-8 (values 1..5.3).
inline constexpr float kPow24Poly[7] = {-0x1.2d0c1ep-10f, 0x1.00bef2p-8f, -0x1.1f9c6ap-6f,
                                        0x1.67a42cp-3f,   0x1.f9ced8p+0f, 0x1.0ef7fap+2f,
                                        0x1.52b5f4p+1f};
// m^(1/3) for m = 1.5 + z: degree 7, abs error 3.5e-8 (values 1..1.26).
inline constexpr float kCbrtPoly[8] = {0x1.89331ap-10f, -0x1.6959f6p-9f, 0x1.27ba0cp-8f,
                                       -0x1.2ecd14p-7f, 0x1.570ebap-6f,  -0x1.cf1cf8p-5f,
                                       0x1.047c7p-2f,   0x1.250bfep+0f};
// atan(t)/t as a polynomial in s = t^2, t in [0, 1]: degree 6, abs error 7.4e-7.
inline constexpr float kAtanPoly[7] = {0x1.f53e16p-8f,  -0x1.29dd5ap-5f, 0x1.547c68p-4f,
                                       -0x1.13698ap-3f, 0x1.96fab8p-3f,  -0x1.554144p-2f,
                                       0x1.ffffe6p-1f};
// 2^-g, g in [0, 1]: degree 4, abs error 1.9e-6.
inline constexpr float kExp2NegPoly[5] = {0x1.bff2dep-8f, -0x1.b3ecp-5f, 0x1.ea5a98p-3f,
                                          -0x1.62d75p-1f, 0x1.ffffbep-1f};
// sin(x)/x as a polynomial in s = x^2, x in [0, pi/3]: degree 3, abs error 3.1e-8.
inline constexpr float kSinPoly[4] = {-0x1.939946p-13f, 0x1.10eefp-7f, -0x1.5554dep-3f,
                                      0x1.fffffep-1f};
// Exponent scales: 2^(2.4 e) for e = -4..1 (the power's argument t = (c + 0.055)/1.055 lies in
// (0.089, 2.25) for every Y'CbCr input) and 2^(e/3) for e = -7..2 (the L*a*b* cube root's
// argument lies in (0.0088, 6.4)). Padded to 16 entries for vector table lookups.
inline constexpr int kPow24MinExp = -4, kPow24MaxExp = 1;
inline constexpr int kCbrtMinExp = -7, kCbrtMaxExp = 2;
alignas(64) inline constexpr float kPow24Scale[16] = {
    0x1.51cb46p-10f, 0x1.bdb8cep-8f, 0x1.261118p-5f, 0x1.8406p-3f, 0x1p+0f, 0x1.51cb46p+2f};
alignas(64) inline constexpr float kCbrtScale[16] = {
    0x1.965feap-3f, 0x1p-2f,        0x1.428a3p-2f, 0x1.965feap-2f, 0x1p-1f,
    0x1.428a3p-1f,  0x1.965feap-1f, 0x1p+0f,       0x1.428a3p+0f,  0x1.965feap+0f};

// Y'CbCr -> R'G'B' (libvmaf's BT.709 coefficients).
inline constexpr float kCrToR = 1.28033f, kCbToG = 0.21482f, kCrToG = 0.38059f, kCbToB = 2.12798f;
// sRGB-style transfer: c > 10/255 ? ((c + 0.055) / 1.055)^2.4 : c / 12.92.
inline constexpr float kGammaThreshold = static_cast<float>(10.0 / 255.0);
inline constexpr float kGammaOffset = 0.055f;
inline constexpr float kGammaScale = static_cast<float>(1.0 / 1.055);
inline constexpr float kLinearScale = static_cast<float>(1.0 / 12.92);
// Linear RGB -> XYZ (D65) with the white point division folded into the X and Z rows.
inline constexpr float kXyz[9] = {
    static_cast<float>(0.4124564390896921 / 0.95047), static_cast<float>(0.357576077643909 / 0.95047),
    static_cast<float>(0.18043748326639894 / 0.95047), static_cast<float>(0.21267285140562248),
    static_cast<float>(0.715152155287818),            static_cast<float>(0.07217499330655958),
    static_cast<float>(0.019333895582329317 / 1.08883), static_cast<float>(0.119192025881303 / 1.08883),
    static_cast<float>(0.9503040785363677 / 1.08883)};
// CIE L*a*b*: f(c) = c > 216/24389 ? cbrt(c) : (24389/27 * c + 16) / 116.
inline constexpr float kLabEpsilon = static_cast<float>(216.0 / 24389.0);
inline constexpr float kLabKappa = static_cast<float>(24389.0 / 27.0);
inline constexpr float kInv116 = static_cast<float>(1.0 / 116.0);
// CIEDE2000 weights (libvmaf's choice) and constants.
inline constexpr float kKl = 0.65f, kKh = 4.0f;
inline constexpr float k25Pow7 = 6103515625.0f;
inline constexpr double kPi = 3.14159265358979323846;
inline constexpr float kCos30 = static_cast<float>(0.86602540378443864676), kSin30 = 0.5f;
inline constexpr float kCos6 = static_cast<float>(0.99452189536827333692);
inline constexpr float kSin6 = static_cast<float>(0.10452846326765347140);
inline constexpr float kCos63 = static_cast<float>(0.45399049973954679156);
inline constexpr float kSin63 = static_cast<float>(0.89100652418836786236);
inline constexpr float kCos275 = static_cast<float>(0.08715574274765817356);
inline constexpr float kSin275 = static_cast<float>(-0.99619469809174553230);
inline constexpr float kHalfPi = static_cast<float>(kPi / 2), kFloatPi = static_cast<float>(kPi);
inline constexpr float kTwoPi = static_cast<float>(2 * kPi);
inline constexpr float kCos85 = static_cast<float>(0.08715574274765817356);
inline constexpr float kCos112_5 = static_cast<float>(-0.38268343236508977173);
inline constexpr float kRadTo25Deg = static_cast<float>(180 / kPi / 25);
inline constexpr float kExpClamp = 40.0f;
inline constexpr float kLog2e = static_cast<float>(1.44269504088896340736);
inline constexpr float kPiOver3 = static_cast<float>(kPi / 3);

}  // namespace ciede
}  // namespace vqfuse::kernels
