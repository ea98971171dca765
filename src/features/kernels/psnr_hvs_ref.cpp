// Scalar reference (the specification) of psnr_hvs.hpp.
#include <cmath>
#include <cstdlib>

#include "features/kernels/psnr_hvs.hpp"

namespace vqfuse::kernels::ref {
namespace {

// int32 products and sums wrap as on the hardware libvmaf runs on (no UB here).
inline int32_t wmul(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) * static_cast<uint32_t>(b));
}
// Daala's unbiased shift by one: rounds toward zero.
inline int32_t half(int32_t a) { return (a + static_cast<int32_t>(static_cast<uint32_t>(a) >> 31)) >> 1; }
// (t * c + r) >> s with libvmaf's int arithmetic.
inline int32_t mulshift(int32_t t, int32_t c, int32_t r, int s) { return (wmul(t, c) + r) >> s; }

// One 8-point forward DCT (Daala's lifting form of od_bin_fdct8; the lifting constants are the
// published Daala ones, noted beside each step).
void fdct8(int32_t y[8], const int32_t* x, int xs) {
  int32_t t0 = x[0 * xs], t4 = x[1 * xs], t2 = x[2 * xs], t6 = x[3 * xs];
  int32_t t7 = x[4 * xs], t3 = x[5 * xs], t5 = x[6 * xs], t1 = x[7 * xs];
  t1 = t0 - t1;
  const int32_t t1h = half(t1);
  t0 -= t1h;
  t4 += t5;
  const int32_t t4h = half(t4);
  t5 -= t4h;
  t3 = t2 - t3;
  t2 -= half(t3);
  t6 += t7;
  const int32_t t6h = half(t6);
  t7 = t6h - t7;
  t0 += t6h;
  t6 = t0 - t6;
  t2 = t4h - t2;
  t4 = t2 - t4;
  t0 -= mulshift(t4, 13573, 16384, 15);  // sqrt(2) - 1
  t4 += mulshift(t0, 11585, 8192, 14);   // sqrt(1/2)
  t0 -= mulshift(t4, 13573, 16384, 15);
  t6 -= mulshift(t2, 21895, 16384, 15);  // (1 - cos(3pi/8)) / sin(3pi/8)
  t2 += mulshift(t6, 15137, 8192, 14);   // sin(3pi/8)
  t6 -= mulshift(t2, 21895, 16384, 15);
  t3 += mulshift(t5, 19195, 16384, 15);  // 2 - sqrt(2)
  t5 += mulshift(t3, 11585, 8192, 14);   // sqrt(1/2)
  t3 -= mulshift(t5, 7489, 4096, 13);    // sqrt(2) - 1/2
  t7 = half(t5) - t7;
  t5 -= t7;
  t3 = t1h - t3;
  t1 -= t3;
  t7 += mulshift(t1, 3227, 16384, 15);   // (1 - cos(pi/16)) / sin(pi/16)
  t1 -= mulshift(t7, 6393, 16384, 15);   // sin(pi/16)
  t7 += mulshift(t1, 3227, 16384, 15);
  t5 += mulshift(t3, 2485, 4096, 13);    // (1 - cos(3pi/16)) / sin(3pi/16)
  t3 -= mulshift(t5, 18205, 16384, 15);  // sin(3pi/16)
  t5 += mulshift(t3, 2485, 4096, 13);
  y[0] = t0; y[1] = t1; y[2] = t2; y[3] = t3;
  y[4] = t4; y[5] = t5; y[6] = t6; y[7] = t7;
}


// libvmaf's statistics of one block, in its float order.
float var_ratio(const int32_t* x) {
  float gmean = 0, means[4] = {0, 0, 0, 0};
  for (int k = 0; k < 64; ++k) {
    const int sub = ((k >> 3) >= 4) + 2 * ((k & 7) >= 4);
    gmean += static_cast<float>(x[k]);
    means[sub] += static_cast<float>(x[k]);
  }
  gmean /= 64.f;
  for (float& m : means) m /= 16.f;
  float gvar = 0, vars[4] = {0, 0, 0, 0};
  for (int k = 0; k < 64; ++k) {
    const int sub = ((k >> 3) >= 4) + 2 * ((k & 7) >= 4);
    const float v = static_cast<float>(x[k]);
    gvar += (v - gmean) * (v - gmean);
    vars[sub] += (v - means[sub]) * (v - means[sub]);
  }
  gvar *= kPsnrHvsGlobalVarScale;
  for (float& v : vars) v *= kPsnrHvsSubVarScale;
  if (gvar > 0) gvar = (vars[0] + vars[1] + vars[2] + vars[3]) / gvar;
  return gvar;
}

// Masking energy of a transformed block: sqrt(sum of masked AC energy * var_ratio) / 32.
float mask_of(const int32_t* c, float ratio, const PsnrHvsTables& t) {
  float m = 0;
  for (int k = 1; k < 64; ++k) m += static_cast<float>(wmul(c[k], c[k])) * t.mask[k];
  // libvmaf takes the double sqrt of the float product and rounds to float: the same as a float
  // sqrt (double rounding is innocuous for sqrt), and /32 is exact.
  return std::sqrt(m * ratio) / 32.f;
}

}  // namespace

void fdct8x8(int32_t* x) {
  int32_t z[64];
  for (int i = 0; i < 8; ++i) fdct8(z + 8 * i, x + i, 8);
  for (int i = 0; i < 8; ++i) fdct8(x + 8 * i, z + i, 8);
}

void psnr_hvs_blocks(const int32_t* src, const int32_t* dst, size_t stride, size_t n,
                     const PsnrHvsTables& t, float* terms) {
  for (size_t b = 0; b < n; ++b) {
    int32_t s[64], d[64];
    for (int k = 0; k < 64; ++k) {
      s[k] = src[k * stride + b];
      d[k] = dst[k * stride + b];
    }
    const float s_ratio = var_ratio(s);
    const float d_ratio = var_ratio(d);
    fdct8x8(s);
    fdct8x8(d);
    float m = mask_of(s, s_ratio, t);
    const float dm = mask_of(d, d_ratio, t);
    if (dm > m) m = dm;
    for (int k = 0; k < 64; ++k) {
      float err = static_cast<float>(std::abs(s[k] - d[k]));
      if (k != 0) {
        const float thr = m / t.mask[k];
        err = err < thr ? 0 : err - thr;
      }
      const float e = err * t.csf[k];
      terms[k * stride + b] = e * e;
    }
  }
}

}  // namespace vqfuse::kernels::ref
