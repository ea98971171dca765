// Scalar reference (the specification) of ssimulacra2.hpp, plus the shared constants.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>

#include "features/kernels/ssimulacra2.hpp"

namespace vqfuse::kernels {

S2YuvParams s2_yuv_params(float kr, float kg, float kb, bool limited, int bit_depth) {
  S2YuvParams p;
  const float peak = static_cast<float>((1u << bit_depth) - 1u);
  p.inv_peak = 1.0f / peak;
  p.y_off = limited ? 16.0f / 255.0f : 0.0f;
  p.y_scale = limited ? 255.0f / 219.0f : 1.0f;
  p.c_off = 0.5f;
  p.c_scale = limited ? 255.0f / 224.0f : 1.0f;
  // The inverse of Y = kr R + kg G + kb B, Cb = (B - Y) / (2 (1 - kb)), Cr = (R - Y) / (2 (1 - kr)).
  p.cr_r = 2.0f * (1.0f - kr);
  p.cb_b = 2.0f * (1.0f - kb);
  p.cb_g = -(2.0f * kb * (1.0f - kb)) / kg;
  p.cr_g = -(2.0f * kr * (1.0f - kr)) / kg;
  return p;
}

S2Gauss s2_gauss(double sigma) {
  // Charalampidis, "Recursive Implementation of the Gaussian Filter Using Truncated Cosine
  // Functions", IEEE TSP 2016: three cosine terms k = 1, 3, 5 over the support [-N, N].
  const double radius = std::round(3.2795 * sigma + 0.2546);  // eq. (57)
  const double base = std::numbers::pi / (2.0 * radius);
  const double omega[3] = {base, 3.0 * base, 5.0 * base};
  const double p[3] = {1.0 / std::tan(0.5 * omega[0]), -1.0 / std::tan(0.5 * omega[1]),
                       1.0 / std::tan(0.5 * omega[2])};  // eq. (37)
  const double r[3] = {p[0] * p[0] / std::sin(omega[0]), -p[1] * p[1] / std::sin(omega[1]),
                       p[2] * p[2] / std::sin(omega[2])};  // eq. (44)
  double rho[3];
  for (int k = 0; k < 3; ++k)
    rho[k] = std::exp(-0.5 * sigma * sigma * omega[k] * omega[k]) * (1.0 / radius);  // eq. (50)
  const double d13 = p[0] * r[1] - r[0] * p[1];
  const double d35 = p[1] * r[2] - r[1] * p[2];
  const double d51 = p[2] * r[0] - r[2] * p[0];
  const double inv_d13 = 1.0 / d13;
  const double zeta15 = d35 * inv_d13;
  const double zeta35 = d51 * inv_d13;  // eq. (52)
  // beta solves A beta = gamma (eqs. 53-55), by Cramer's rule.
  const double a[3][3] = {{p[0], p[1], p[2]}, {r[0], r[1], r[2]}, {zeta15, zeta35, 1.0}};
  const double gamma[3] = {1.0, radius * radius - sigma * sigma,
                           zeta15 * rho[0] + zeta35 * rho[1] + rho[2]};
  auto det3 = [](const double m[3][3]) {
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
           m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
           m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  };
  const double inv_det = 1.0 / det3(a);
  S2Gauss g;
  g.radius = static_cast<int>(radius);
  for (int k = 0; k < 3; ++k) {
    double m[3][3];
    std::memcpy(m, a, sizeof m);
    for (int i = 0; i < 3; ++i) m[i][k] = gamma[i];
    const double beta = det3(m) * inv_det;
    g.n2[k] = static_cast<float>(-beta * std::cos(omega[k] * (radius + 1.0)));  // eq. (33)
    g.d1[k] = static_cast<float>(-2.0 * std::cos(omega[k]));
  }
  return g;
}

const float* s2_eotf_table() {
  static const auto table = [] {
    struct T {
      float v[kS2EotfSize + 1];
    } t;
    for (int i = 0; i < kS2EotfSize; ++i) {
      const double v = i / static_cast<double>(kS2EotfSize - 1);
      // IEC 61966-2-1 sRGB EOTF.
      const double lin = v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
      t.v[i] = static_cast<float>(lin);
    }
    t.v[kS2EotfSize] = t.v[kS2EotfSize - 1];
    return t;
  }();
  return table.v;
}

const uint64_t* s2_eotf_pairs() {
  static const auto pairs = [] {
    struct P {
      alignas(64) uint64_t v[kS2EotfSize];
    } p;
    const float* lut = s2_eotf_table();
    for (int i = 0; i < kS2EotfSize; ++i) std::memcpy(&p.v[i], lut + i, sizeof(uint64_t));
    return p;
  }();
  return pairs.v;
}

float s2_cbrt(float x) {
  if (!(x > 0.0f)) return 0.0f;
  uint32_t i;
  std::memcpy(&i, &x, 4);
  // Dividing the exponent by 3 (plus a bias) gives a first guess within a few percent.
  i = i / 3u + 0x2a5137a0u;
  float y;
  std::memcpy(&y, &i, 4);
  y = (2.0f * y + x / (y * y)) * (1.0f / 3.0f);
  y = (2.0f * y + x / (y * y)) * (1.0f / 3.0f);
  return y;
}

namespace ref {
namespace {

float eotf(float v, const float* lut) {
  if (v <= 0.0f) return 0.0f;
  if (v >= 1.0f) return 1.0f;
  const float idx = v * static_cast<float>(kS2EotfSize - 1);
  const int i = static_cast<int>(idx);
  const float frac = idx - static_cast<float>(i);
  const float a = lut[i];
  const float b = lut[i + 1];
  return a + (b - a) * frac;
}

float clamp01(float v) { return v < 0.0f ? 0.0f : (v > 1.0f ? 1.0f : v); }

double quartic(double d) {
  d *= d;
  return d * d;
}

}  // namespace

void s2_yuv_to_linear_row(const uint16_t* y, const uint16_t* u, const uint16_t* v,
                          int chroma_shift, size_t n, const S2YuvParams& p, float* r, float* g,
                          float* b) {
  const float* lut = s2_eotf_table();
  for (size_t i = 0; i < n; ++i) {
    const float yn = (static_cast<float>(y[i]) * p.inv_peak - p.y_off) * p.y_scale;
    float un = 0.0f, vn = 0.0f;
    if (u) {
      const size_t c = i >> chroma_shift;
      un = (static_cast<float>(u[c]) * p.inv_peak - p.c_off) * p.c_scale;
      vn = (static_cast<float>(v[c]) * p.inv_peak - p.c_off) * p.c_scale;
    }
    r[i] = eotf(clamp01(yn + p.cr_r * vn), lut);
    g[i] = eotf(clamp01(yn + p.cb_g * un + p.cr_g * vn), lut);
    b[i] = eotf(clamp01(yn + p.cb_b * un), lut);
  }
}

void s2_xyb_row(const float* r, const float* g, const float* b, size_t n, float* x, float* y,
                float* bo) {
  const float m01 = 1.0f - kS2M00 - kS2M02;
  const float m11 = 1.0f - kS2M10 - kS2M12;
  const float m22 = 1.0f - kS2M20 - kS2M21;
  const float bias_cbrt = s2_cbrt(kS2OpsinBias);
  for (size_t i = 0; i < n; ++i) {
    const float l = std::max(kS2M00 * r[i] + m01 * g[i] + kS2M02 * b[i] + kS2OpsinBias, 0.0f);
    const float m = std::max(kS2M10 * r[i] + m11 * g[i] + kS2M12 * b[i] + kS2OpsinBias, 0.0f);
    const float s = std::max(kS2M20 * r[i] + kS2M21 * g[i] + m22 * b[i] + kS2OpsinBias, 0.0f);
    const float lc = s2_cbrt(l) - bias_cbrt;
    const float mc = s2_cbrt(m) - bias_cbrt;
    const float sc = s2_cbrt(s) - bias_cbrt;
    const float xx = 0.5f * (lc - mc);
    const float yy = 0.5f * (lc + mc);
    // MakePositiveXYB: B - Y uses Y before its offset.
    bo[i] = (sc - yy) + 0.55f;
    x[i] = xx * 14.0f + 0.42f;
    y[i] = yy + 0.01f;
  }
}

void s2_downsample_row(const float* r0, const float* r1, size_t n, float* out) {
  const size_t on = (n + 1) / 2;
  for (size_t i = 0; i < on; ++i) {
    const size_t x0 = 2 * i;
    const size_t x1 = std::min(x0 + 1, n - 1);
    out[i] = (((r0[x0] + r0[x1]) + r1[x0]) + r1[x1]) * 0.25f;
  }
}

void s2_products_row(const float* const ref[3], const float* const dis[3], size_t n, float* q16) {
  for (size_t i = 0; i < n; ++i) {
    float* q = q16 + kS2Lanes * i;
    for (int c = 0; c < 3; ++c) {
      const float a = ref[c][i], b = dis[c][i];
      q[c * 5 + 0] = a;
      q[c * 5 + 1] = b;
      q[c * 5 + 2] = a * a;
      q[c * 5 + 3] = b * b;
      q[c * 5 + 4] = a * b;
    }
    q[15] = 0.0f;
  }
}

void s2_hblur_row(const S2Gauss& g, const float* in, ptrdiff_t begin, ptrdiff_t end, float* out,
                  float* state) {
  const ptrdiff_t rad = g.radius;
  for (int q = 0; q < kS2Lanes; ++q) {
    float p1[3], p2[3];
    for (int k = 0; k < 3; ++k) {
      p1[k] = state[k * kS2Lanes + q];
      p2[k] = state[(3 + k) * kS2Lanes + q];
    }
    // libjxl's one-pass form: out_k(x) = n2_k (in(x-N-1) + in(x+N-1)) - d1_k out_k(x-1) - out_k(x-2).
    for (ptrdiff_t x = begin; x < end; ++x) {
      const float sum = in[(x - rad - 1) * kS2Lanes + q] + in[(x + rad - 1) * kS2Lanes + q];
      float o[3];
      for (int k = 0; k < 3; ++k) {
        o[k] = g.n2[k] * sum - g.d1[k] * p1[k] - p2[k];
        p2[k] = p1[k];
        p1[k] = o[k];
      }
      if (x >= 0) out[x * kS2Lanes + q] = o[0] + o[1] + o[2];
    }
    for (int k = 0; k < 3; ++k) {
      state[k * kS2Lanes + q] = p1[k];
      state[(3 + k) * kS2Lanes + q] = p2[k];
    }
  }
}

void s2_vblur_maps_strip(const S2Gauss& g, const S2Band& band, float* state, double* acc) {
  constexpr int kW = kS2StripPixels * kS2Lanes;
  float out[kW];
  for (size_t s = 0; s < band.steps; ++s) {
    const float* lt = band.left[s] + band.x0 * kS2Lanes;
    const float* rt = band.right[s] + band.x0 * kS2Lanes;
    for (int i = 0; i < kW; ++i) {
      const float sum = lt[i] + rt[i];
      float o[3];
      for (int k = 0; k < 3; ++k) {
        float& p1 = state[k * kW + i];
        float& p2 = state[(3 + k) * kW + i];
        o[k] = g.n2[k] * sum - g.d1[k] * p1 - p2;
        p2 = p1;
        p1 = o[k];
      }
      out[i] = o[0] + o[1] + o[2];
    }
    if (s < band.first_out) continue;
    const float* const* xyb = band.xyb + 6 * (s - band.first_out);
    const size_t raster0 = (band.row0 + s - band.first_out) * band.width + band.col0 + band.x0;
    for (size_t px = 0; px < band.pixels; ++px) {
      const bool wide = raster0 + px >= band.wide_from;
      const float* q = out + px * kS2Lanes;
      for (int c = 0; c < 3; ++c) {
        double* a = acc + c * kS2Stats * kS2Lanes + px;
        const float mu1 = q[c * 5 + 0], mu2 = q[c * 5 + 1];
        const float s11 = q[c * 5 + 2], s22 = q[c * 5 + 3], s12 = q[c * 5 + 4];
        const float mu11 = mu1 * mu1, mu22 = mu2 * mu2, mu12 = mu1 * mu2;
        // SSIM without the luminance denominator (tools/ssimulacra2.cc), as an error 1 - SSIM.
        const float num_m = 1.0f - (mu1 - mu2) * (mu1 - mu2);
        const float num_s = 2.0f * (s12 - mu12) + kS2C2;
        const float den_s = (s11 - mu11) + (s22 - mu22) + kS2C2;
        double d = 1.0 - static_cast<double>(num_m) * static_cast<double>(num_s) /
                             static_cast<double>(den_s);
        if (d < 0.0) d = 0.0;
        a[0 * kS2Lanes] += d;
        a[1 * kS2Lanes] += quartic(d);
        // Edge difference: distorted edges where the reference is smooth (artifact) and the
        // reverse (detail lost).
        const float i1 = xyb[c][band.x0 + px], i2 = xyb[3 + c][band.x0 + px];
        const double ed1 = wide ? std::fabs(static_cast<double>(i1) - static_cast<double>(mu1))
                                : static_cast<double>(std::fabs(i1 - mu1));
        const double ed2 = wide ? std::fabs(static_cast<double>(i2) - static_cast<double>(mu2))
                                : static_cast<double>(std::fabs(i2 - mu2));
        const double e = (1.0 + ed2) / (1.0 + ed1) - 1.0;
        const double art = e > 0.0 ? e : 0.0;
        const double det = e < 0.0 ? -e : 0.0;
        a[2 * kS2Lanes] += art;
        a[3 * kS2Lanes] += quartic(art);
        a[4 * kS2Lanes] += det;
        a[5 * kS2Lanes] += quartic(det);
      }
    }
  }
}

}  // namespace ref
}  // namespace vqfuse::kernels
