// CSF weights, score regions and the reciprocal table of ADM (see adm_common.hpp).
//
// The float/double mix of every expression below mirrors libvmaf on purpose: C's pow/log10/exp
// work in double even on float arguments, so every call goes through the double overloads.
#include "features/kernels/adm_common.hpp"

#include <cmath>

namespace vqfuse::kernels::adm {
namespace {

constexpr double kPi = 3.14159265358979323846264338327;

double dpow(double a, double b) { return std::pow(a, b); }
double dlog10(double a) { return std::log10(a); }
double dexp(double a) { return std::exp(a); }

// Display visual resolution in pixels per degree (Watson formula (1)); ~56.55 at 3H on 1080p.
float display_resolution(double norm_view_dist, int ref_display_height) {
  return static_cast<float>(norm_view_dist * ref_display_height * kPi / 180.0);
}

// Watson et al. 1997, Table IV, luma (subject "sfl"): a, k, f0, g[theta].
constexpr float kWatsonA = 0.495;
constexpr float kWatsonK = 0.466;
constexpr float kWatsonF0 = 0.401;
constexpr float kWatsonG[4] = {1.501, 1.0, 0.534, 1.0};
// Watson et al. 1997, Table V (transposed): basis function amplitudes A[lambda][theta].
constexpr float kWatsonAmplitude[6][4] = {{0.62171, 0.67234, 0.72709, 0.67234},
                                          {0.34537, 0.41317, 0.49428, 0.41317},
                                          {0.18004, 0.22727, 0.28688, 0.22727},
                                          {0.091401, 0.11792, 0.15214, 0.11792},
                                          {0.045943, 0.059758, 0.077727, 0.059758},
                                          {0.023013, 0.030018, 0.039156, 0.030018}};

// Barten's CSF parameters per luminance anchor (libvmaf barten_csf_tools.h, fitted to
// hdrvdp_ncsf): anchor luminances and p0..p4.
constexpr float kBartenAnchor[6] = {0.002, 0.02, 0.2, 2.0, 20.0, 150.0};
constexpr float kBartenParam[6][5] = {{0.0160737, 0.991265, 3.74038, 0.50722, 4.46044},
                                      {0.383873, 0.800889, 3.54104, 0.682505, 4.94958},
                                      {0.929301, 0.476505, 4.37453, 0.750315, 5.28678},
                                      {1.29776, 0.405782, 4.40602, 0.935314, 5.61425},
                                      {1.49222, 0.334278, 3.79542, 1.07327, 6.4635},
                                      {1.46213, 0.394533, 2.7755, 1.16577, 7.45665}};
constexpr float kBartenSa[4] = {30.162, 4.0627, 1.6596, 0.2712};
constexpr float kMtfA[4] = {0.424838596301290, 0.572435103936480, 0.000167576239164937,
                            0.00255872352306433};
constexpr float kMtfB[4] = {0.028, 0.37, 37.0, 360.0};

float lerp(float x0, float y0, float x1, float y1, float x) {
  return y0 + ((y1 - y0) / (x1 - x0)) * (x - x0);
}

float rod_cone_sensitivity(float luminance) {
  const double drop = dpow(kBartenSa[1] / luminance, kBartenSa[2]);
  return static_cast<float>(kBartenSa[0] * dpow(drop + 1, -kBartenSa[3]));
}

float optical_mtf(float freq) {
  float mtf = 0.0f;
  for (int i = 0; i < 4; ++i)
    mtf = static_cast<float>(mtf + kMtfA[i] * dexp(-kMtfB[i] * freq));
  return mtf;
}

// Tabulated blends (libvmaf barten_csf_tools.h) [theta][scale] per viewing condition.
struct BlendTable {
  int height;
  double dist;
  float v[2][4];
  float mae[2][4];
};
constexpr BlendTable kBlend[] = {
    {1080, 3.0, {{0.01183, 0.025026, 0.04295, 0.058621}, {0.004302, 0.011778, 0.023918, 0.035901}},
     {{0.011249, 0.022606, 0.035930, 0.045673}, {0.004097, 0.010921, 0.021430, 0.031313}}},
    {1080, 5.0, {{0.004212, 0.014809, 0.029642, 0.047464}, {0.000984, 0.005852, 0.0146, 0.027574}},
     {{0.004052, 0.013939, 0.026298, 0.038833}, {0.000927, 0.005544, 0.013415, 0.024515}}},
    // 2160 at 1.5H has the pixel density of 1080 at 3H.
    {2160, 1.5, {{0.01183, 0.025026, 0.04295, 0.058621}, {0.004302, 0.011778, 0.023918, 0.035901}},
     {{0.011249, 0.022606, 0.035930, 0.045673}, {0.004097, 0.010921, 0.021430, 0.031313}}},
    {2160, 3.0, {{0.00226, 0.01183, 0.025026, 0.04295}, {0.000479, 0.004302, 0.011778, 0.023918}},
     {{0.002166, 0.011249, 0.022606, 0.035930}, {0.000447, 0.004097, 0.010921, 0.021430}}},
    {2160, 5.0, {{0.000092, 0.004212, 0.014809, 0.029642}, {0.000050, 0.000984, 0.005852, 0.0146}},
     {{0.000077, 0.004052, 0.013939, 0.026298}, {0.000045, 0.000927, 0.005544, 0.013415}}},
    {720, 3.0, {{0.018715, 0.035637, 0.052798, 0.061509}, {0.007999, 0.018396, 0.031851, 0.037718}},
     {{0.017329, 0.030870, 0.042134, 0.047410}, {0.007509, 0.016707, 0.028072, 0.032722}}},
    {720, 5.0, {{0.010144, 0.022561, 0.040309, 0.05672}, {0.003463, 0.010282, 0.021839, 0.034641}},
     {{0.009689, 0.020577, 0.034162, 0.044523}, {0.003302, 0.009579, 0.019661, 0.030318}}},
    {480, 3.0, {{0.027961, 0.045875, 0.060275, 0.056234}, {0.013572, 0.026277, 0.036959, 0.034511}},
     {{0.024969, 0.037825, 0.046676, 0.043974}, {0.012511, 0.023424, 0.032139, 0.030166}}},
    {480, 5.0, {{0.016781, 0.032822, 0.05032, 0.061594}, {0.00691, 0.016545, 0.029917, 0.037777}},
     {{0.015665, 0.028766, 0.040612, 0.047483}, {0.006514, 0.015107, 0.026476, 0.032776}}},
};

}  // namespace

Region score_region(int w, int h) {
  Region r;
  r.x0 = static_cast<int>(w * 0.1 - 0.5);
  r.y0 = static_cast<int>(h * 0.1 - 0.5);
  r.x1 = w - r.x0;
  r.y1 = h - r.y0;
  return r;
}

Region margin_region(int w, int h) {
  const int left = static_cast<int>(w * 0.1 - 0.5 - 1);
  const int top = static_cast<int>(h * 0.1 - 0.5 - 1);
  Region r;
  r.x0 = left < 0 ? 0 : left;
  r.y0 = top < 0 ? 0 : top;
  r.x1 = w - left + 2 > w ? w : w - left + 2;
  r.y1 = h - top + 2 > h ? h : h - top + 2;
  return r;
}

float watson_factor(int scale, int theta, double norm_view_dist, int ref_display_height) {
  const float r = display_resolution(norm_view_dist, ref_display_height);
  const float temp =
      static_cast<float>(dlog10(dpow(2.0, scale + 1) * kWatsonF0 * kWatsonG[theta] / r));
  const float q = static_cast<float>(2.0 * kWatsonA * dpow(10.0, kWatsonK * temp * temp) /
                                     kWatsonAmplitude[scale][theta]);
  return 1.0f / q;
}

float barten_csf(int scale, double norm_view_dist, int ref_display_height, double luminance,
                 double csf_scale) {
  const float r = display_resolution(norm_view_dist, ref_display_height);
  const float freq = static_cast<float>(r / dpow(2, scale + 1));
  double lum = luminance;
  if (lum > kBartenAnchor[5]) lum = kBartenAnchor[5];
  else if (lum < kBartenAnchor[0]) lum = kBartenAnchor[0];
  int lo = 0, hi = 0;
  for (int i = 0; i < 5; ++i) {
    if (lum >= kBartenAnchor[i] && lum <= kBartenAnchor[i + 1]) {
      lo = i;
      hi = i + 1;
      break;
    }
  }
  const float x0 = static_cast<float>(dlog10(kBartenAnchor[lo]));
  const float x1 = static_cast<float>(dlog10(kBartenAnchor[hi]));
  const float x = static_cast<float>(dlog10(lum));
  float p[4];
  for (int k = 0; k < 4; ++k) p[k] = lerp(x0, kBartenParam[lo][k + 1], x1, kBartenParam[hi][k + 1], x);
  const float a = static_cast<float>(1.0 + dpow(p[0] * freq, p[1]));
  const float b =
      static_cast<float>(1.0 / dpow(1 - dexp(-dpow(freq / 7, 2)), p[2]));
  const float csf = static_cast<float>(p[3] / dpow(a * b, 0.5));
  const float product = csf * optical_mtf(freq) * rod_cone_sensitivity(static_cast<float>(luminance));
  return static_cast<float>(product * csf_scale);
}

bool blend_csf(int scale, int theta, double norm_view_dist, int ref_display_height, bool mae,
               float* out) {
  for (const BlendTable& t : kBlend) {
    if (t.height == ref_display_height && t.dist == norm_view_dist) {
      *out = mae ? t.mae[theta][scale] : t.v[theta][scale];
      return true;
    }
  }
  return false;
}

float native_csf(int scale, double norm_view_dist, int ref_display_height, int theta_deg) {
  const float r = display_resolution(norm_view_dist, ref_display_height);
  float freq = static_cast<float>(r / dpow(2, scale + 1));
  // Oblique effect: the diagonal channel is seen at a higher effective frequency.
  if (theta_deg == 45) freq = static_cast<float>(freq / 0.7);
  return static_cast<float>((0.31 + 0.69 * freq) * dexp(-0.29 * freq));
}

const int32_t* div_lookup() {
  static const struct Table {
    int32_t v[65537];
    Table() : v() {
      for (int i = 1; i <= 32768; ++i) {
        const int32_t recip = static_cast<int32_t>(1073741824 / i);
        v[32768 + i] = recip;
        v[32768 - i] = -recip;
      }
    }
  } table;
  return table.v;
}

}  // namespace vqfuse::kernels::adm
