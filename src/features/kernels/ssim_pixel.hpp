// Per-pixel SSIM terms of libvmaf's _iqa_ssim default path, shared by the scalar reference and
// the scalar tails of the Highway kernels so both round identically. The float/double mix is
// libvmaf's: sigmas and the structure term in float, luminance and contrast divided in double.
#pragma once

#include <cmath>

namespace vqfuse::kernels {

struct SsimTerms {
  double l, c, s;
};

// mu_a, mu_b: filtered means; aa, bb, ab: filtered second moments.
inline SsimTerms ssim_pixel_terms(float mu_a, float mu_b, float aa, float bb, float ab, float c1,
                                  float c2, float c3) {
  const float mama = mu_a * mu_a;
  const float mbmb = mu_b * mu_b;
  float sa = aa - mama;
  float sb = bb - mbmb;
  sa = 0.f > sa ? 0.f : sa;  // MAX(0.0, x) as libvmaf writes it (keeps -0 and NaN)
  sb = 0.f > sb ? 0.f : sb;
  const float sab = ab - mu_a * mu_b;
  const float srs = std::sqrt(sa * sb);
  const double l = (2.0 * mu_a * mu_b + c1) / static_cast<double>(mama + mbmb + c1);
  const double c = (2.0 * srs + c2) / static_cast<double>(sa + sb + c2);
  // Flat identical windows: rounding can make sab slightly negative while srs is 0; libvmaf
  // clamps it so such windows score exactly 1.
  const float sab_c = (sab < 0.f && srs <= 0.f) ? 0.f : sab;
  const double s = static_cast<double>((sab_c + c3) / (srs + c3));
  return {l, c, s};
}

}  // namespace vqfuse::kernels
