// Scalar reference (the specification) of vif_float.hpp, following libvmaf's vif_tools.c
// (vif_filter1d_s / _sq_s / _xy_s fall-back loops, vif_statistic_s, log2f_approx).
#include <cmath>
#include <cstring>
#include <vector>

#include "features/kernels/vif_float.hpp"

namespace vqfuse::kernels {

namespace {
// libvmaf vif_tools.c log2_poly_s: float coefficients of log2(1 + t), highest degree first.
constexpr float kLog2Poly[9] = {-0.012671635276421f, 0.064841182402670f, -0.157048836463065f,
                                0.257167726303123f,  -0.353800560300520f, 0.480131410397451f,
                                -0.721314327952201f, 1.442694803896991f, 0.0f};

int round_up_to_odd(float f) {
  const int c = static_cast<int>(std::ceil(f));
  return c % 2 == 0 ? c + 1 : c;
}

// The float/double mix of libvmaf's get_gaussian_pdf (mean 0).
float gaussian_pdf(float x, float stdev) {
  const float num = static_cast<float>(std::exp(-0.5 * x / stdev * x / stdev));
  const float den = static_cast<float>(1 / (stdev * std::sqrt(2 * M_PI)));
  return num / den;
}
}  // namespace

int vif_float_filter_size(int scale, float kernelscale) {
  const int n = (1 << (4 - scale)) + 1;
  const int size = round_up_to_odd(static_cast<float>(n) * kernelscale);
  return size > 3 ? size : 3;
}

void vif_float_filter(int scale, float kernelscale, float* out) {
  const int size = vif_float_filter_size(scale, kernelscale);
  const float stdev = static_cast<float>(size) / 5.0f;
  const int half = (size - 1) / 2;
  float sum = 0;
  for (int i = 0; i < size; ++i) {
    out[i] = gaussian_pdf(static_cast<float>(i - half), stdev);
    sum += out[i];
  }
  for (int i = 0; i < size; ++i) out[i] /= sum;
}

float vif_log2_approx(float x) {
  if (x == 0) return -INFINITY;
  if (x < 0) return NAN;
  uint32_t u;
  std::memcpy(&u, &x, sizeof u);
  const int32_t exponent = static_cast<int32_t>((u & 0x7F800000u) >> 23);
  const uint32_t mant_one = (u & 0x007FFFFFu) | 0x3F800000u;  // 1.mantissa
  float remain;
  std::memcpy(&remain, &mant_one, sizeof remain);
  const float t = remain - 1.0f;
  float p = 0;
  for (float coeff : kLog2Poly) p = p * t + coeff;
  return static_cast<float>(exponent - 127) + p;
}

namespace ref {
namespace {

int mirror(int x, int n) { return x < 0 ? -x : (x >= n ? 2 * n - x - 2 : x); }

// Horizontal pass of one row with mirrored edges: n outputs, at columns 0, step, 2 * step ...
void filter_row(const float* f, int taps, const float* src, int w, int step, int n, float* dst) {
  const int radius = taps / 2;
  for (int o = 0; o < n; ++o) {
    const int j = o * step;
    float acc = 0;
    for (int k = 0; k < taps; ++k) acc += f[k] * src[mirror(j - radius + k, w)];
    dst[o] = acc;
  }
}

}  // namespace

void vif_float_stats(const VifFloatStatsArgs& a) {
  const int w = a.width;
  const float* f = a.filter;
  const float eps = 1.0e-10f;
  const float gain_limit = static_cast<float>(a.gain_limit);
  const float sigma_max_inv =
      static_cast<float>(std::pow(static_cast<float>(a.sigma_nsq), 2.0f) / (255.0 * 255.0));
  std::vector<float> v[5], h[5];
  for (int p = 0; p < 5; ++p) {
    v[p].resize(w);
    h[p].resize(w);
  }
  for (int r = 0; r < a.n_rows; ++r) {
    for (int j = 0; j < w; ++j) {
      float m1 = 0, m2 = 0, sxx = 0, syy = 0, sxy = 0;
      for (int k = 0; k < a.taps; ++k) {
        const float x = a.ref_rows[r + k][j];
        const float y = a.dis_rows[r + k][j];
        m1 += f[k] * x;
        m2 += f[k] * y;
        sxx += f[k] * (x * x);
        syy += f[k] * (y * y);
        sxy += f[k] * (x * y);
      }
      v[0][j] = m1;
      v[1][j] = m2;
      v[2][j] = sxx;
      v[3][j] = syy;
      v[4][j] = sxy;
    }
    for (int p = 0; p < 5; ++p) filter_row(f, a.taps, v[p].data(), w, 1, w, h[p].data());
    float row_num = 0, row_den = 0;
    for (int j = 0; j < w; ++j) {
      const float mu1 = h[0][j], mu2 = h[1][j];
      float sigma1_sq = h[2][j] - mu1 * mu1;
      float sigma2_sq = h[3][j] - mu2 * mu2;
      const float sigma12 = h[4][j] - mu1 * mu2;
      sigma1_sq = sigma1_sq > 0.0f ? sigma1_sq : 0.0f;
      sigma2_sq = sigma2_sq > 0.0f ? sigma2_sq : 0.0f;
      float g = sigma12 / (sigma1_sq + eps);
      float sv_sq = sigma2_sq - g * sigma12;
      if (sigma1_sq < eps) {
        g = 0.0f;
        sv_sq = sigma2_sq;
        sigma1_sq = 0.0f;
      }
      if (sigma2_sq < eps) {
        g = 0.0f;
        sv_sq = 0.0f;
      }
      if (g < 0.0f) {
        sv_sq = sigma2_sq;
        g = 0.0f;
      }
      sv_sq = sv_sq > eps ? sv_sq : eps;
      g = g < gain_limit ? g : gain_limit;
      // libvmaf mixes double into these two (sigma_nsq is a double option).
      float num = vif_log2_approx(
          static_cast<float>(1.0 + static_cast<double>(g * g * sigma1_sq) / (sv_sq + a.sigma_nsq)));
      float den = vif_log2_approx(static_cast<float>(1.0 + sigma1_sq / a.sigma_nsq));
      if (sigma12 < 0.0f) num = 0.0f;
      if (sigma1_sq < a.sigma_nsq) {
        num = 1.0f - sigma2_sq * sigma_max_inv;
        den = 1.0f;
      }
      row_num += num;
      row_den += den;
    }
    a.num_rows[r] = row_num;
    a.den_rows[r] = row_den;
  }
}

void vif_float_decimate(const VifFloatDecimateArgs& a) {
  const int w = a.width;
  const float* f = a.filter;
  std::vector<float> vr(w), vd(w);
  for (int r = 0; r < a.n_out; ++r) {
    for (int j = 0; j < w; ++j) {
      float sr = 0, sd = 0;
      for (int k = 0; k < a.taps; ++k) {
        sr += f[k] * a.ref_rows[2 * r + k][j];
        sd += f[k] * a.dis_rows[2 * r + k][j];
      }
      vr[j] = sr;
      vd[j] = sd;
    }
    filter_row(f, a.taps, vr.data(), w, 2, w / 2, a.ref_out + r * a.out_stride);
    filter_row(f, a.taps, vd.data(), w, 2, w / 2, a.dis_out + r * a.out_stride);
  }
}

}  // namespace ref
}  // namespace vqfuse::kernels
