// Scalar reference (the specification) of adm_float.hpp.
#include <cmath>

#include "features/kernels/adm_float.hpp"

namespace vqfuse::kernels::admf::ref {
namespace {

// db2 taps as libvmaf stores them (double literals rounded to float).
constexpr float kLo[4] = {0.482962913144690, 0.836516303737469, 0.224143868041857,
                          -0.129409522550921};
constexpr float kHi[4] = {-0.129409522550921, -0.224143868041857, 0.836516303737469,
                          -0.482962913144690};
// libvmaf's FLOAT_ONE_BY_30 and FLOAT_ONE_BY_15: double literals, so products are double.
constexpr double kOneBy30 = 0.0333333351;
constexpr double kOneBy15 = 0.0666666701;

inline float taps(const float* f, float s0, float s1, float s2, float s3) {
  float acc = f[0] * s0;
  acc += f[1] * s1;
  acc += f[2] * s2;
  acc += f[3] * s3;
  return acc;
}

}  // namespace

void dwt_vert_u16(const uint16_t* const rows[4], int n, int bpc, float* lo, float* hi) {
  const float scaler = static_cast<float>(1 << (bpc - 8));
  for (int j = 0; j < n; ++j) {
    float s[4];
    for (int k = 0; k < 4; ++k) s[k] = static_cast<float>(rows[k][j]) / scaler + -128.0f;
    lo[j] = taps(kLo, s[0], s[1], s[2], s[3]);
    if (hi) hi[j] = taps(kHi, s[0], s[1], s[2], s[3]);
  }
}

void dwt_vert(const float* const rows[4], int n, float* lo, float* hi) {
  for (int j = 0; j < n; ++j) {
    lo[j] = taps(kLo, rows[0][j], rows[1][j], rows[2][j], rows[3][j]);
    if (hi) hi[j] = taps(kHi, rows[0][j], rows[1][j], rows[2][j], rows[3][j]);
  }
}

void dwt_hori(const float* src, int j0, int j1, float* out_lo, float* out_hi) {
  for (int j = j0; j < j1; ++j) {
    const float* s = src + 2 * j;
    if (out_lo) out_lo[j] = taps(kLo, s[0], s[1], s[2], s[3]);
    if (out_hi) out_hi[j] = taps(kHi, s[0], s[1], s[2], s[3]);
  }
}

void decouple(const float* const o[3], const float* const t[3], int n, float gain_limit,
              float* const r[3], float* const a[3]) {
  const float cos1sq = static_cast<float>(std::cos(1.0 * 3.14159265358979323846 / 180.0) *
                                          std::cos(1.0 * 3.14159265358979323846 / 180.0));
  const float eps = 1e-30f;
  for (int j = 0; j < n; ++j) {
    const float oh = o[0][j], ov = o[1][j], th = t[0][j], tv = t[1][j];
    const float dp = oh * th + ov * tv;
    const float om = oh * oh + ov * ov;
    const float tm = th * th + tv * tv;
    const bool angle = dp >= 0.0f && dp * dp >= cos1sq * om * tm;
    for (int b = 0; b < 3; ++b) {
      const float ob = o[b][j], tb = t[b][j];
      float k = tb / (ob + eps);
      k = k < 0.0f ? 0.0f : (k > 1.0f ? 1.0f : k);
      float rst = k * ob;
      if (angle && rst > 0.0f) {
        const float c = rst * gain_limit;
        rst = c < tb ? c : tb;
      }
      if (angle && rst < 0.0f) {
        const float c = rst * gain_limit;
        rst = c > tb ? c : tb;
      }
      r[b][j] = rst;
      a[b][j] = tb - rst;
    }
  }
}

void csf(const float* src, int n, float rf, float* mag, float* flt) {
  for (int j = 0; j < n; ++j) {
    const float m = std::fabs(rf * src[j]);
    mag[j] = m;
    flt[j] = static_cast<float>(kOneBy30 * m);
  }
}

void den_terms(const float* src, int n, float rf, bool cube, float* out) {
  for (int j = 0; j < n; ++j) {
    const float v = std::fabs(rf * src[j]);
    out[j] = cube ? v * v * v : v;
  }
}

void cm_terms(const CmRows& rows, int n, const float rf[3], bool bypass, bool cube,
              float* const out[3]) {
  for (int j = 0; j < n; ++j) {
    float thr = 0.0f;
    if (!bypass) {
      for (int b = 0; b < 3; ++b) {
        const float* ab = rows.above[b];
        const float* ce = rows.center[b];
        const float* be = rows.below[b];
        float s = ab[j - 1];
        s += ab[j];
        s += ab[j + 1];
        s += ce[j - 1];
        s = static_cast<float>(s + kOneBy15 * rows.mag[b][j]);
        s += ce[j + 1];
        s += be[j - 1];
        s += be[j];
        s += be[j + 1];
        thr += s;
      }
    }
    for (int b = 0; b < 3; ++b) {
      float x = std::fabs(rows.src[b][j] * rf[b]) - thr;
      x = x < 0.0f ? 0.0f : x;
      out[b][j] = cube ? x * x * x : x;
    }
  }
}

double sum16(const float* v, int n) {
  double acc[16] = {};
  for (int i = 0; i < n; ++i) acc[i % 16] += v[i];
  for (int w = 8; w >= 1; w /= 2)
    for (int k = 0; k < w; ++k) acc[k] += acc[k + w];
  return acc[0];
}

}  // namespace vqfuse::kernels::admf::ref
