// Pieces of ADM (Li et al., "Image Quality Assessment by Separately Evaluating Detail Losses
// and Additive Impairments", IEEE Trans. Multimedia 13(5), 2011) shared by the integer (adm)
// and float (float_adm) extractors: the score regions, the contrast sensitivity weights of the
// four DWT scales and the reciprocal table of the integer decoupling.
//
// Behavioural reference: Netflix/vmaf f85a853 libvmaf/src/feature/integer_adm.{c,h},
// adm_tools.{c,h}, barten_csf_tools.h, adm_csf_tools.h. The CSF weights are computed with the
// same float/double mix as libvmaf (they feed fixed-point factors, so a last-bit difference
// would change integer results).
#pragma once

#include <cstdint>

namespace vqfuse::kernels::adm {

// [x0, x1) x [y0, y1) of a band of w x h coefficients.
struct Region {
  int x0 = 0, x1 = 0, y0 = 0, y1 = 0;
  int width() const { return x1 - x0; }
  int height() const { return y1 - y0; }
};

// The pixels ADM scores: 10% off each side (libvmaf ADM_BORDER_FACTOR), as
// left = (int)(w * 0.1 - 0.5), right = w - left.
Region score_region(int w, int h);
// The pixels decoupling and CSF are computed on: the score region widened by the 3x3 masking
// filter's reach (libvmaf's "-1 for filter tap, +2 for filter tap"), clipped to the band.
Region margin_region(int w, int h);

// Row or column index of a 3x3 neighbour as libvmaf's ADM_CM_THRESH_* macros read it: -1 maps to
// 1, n maps to n - 1.
inline int cm_mirror(int i, int n) { return i < 0 ? 1 : (i >= n ? n - 1 : i); }
// Source index of the DWT's 4-tap filters: -1 -> 1, n -> n - 1, n + 1 -> n - 2.
inline int dwt_mirror(int i, int n) { return i < 0 ? -i : (i >= n ? 2 * n - i - 1 : i); }

// Contrast sensitivity modes (adm_csf_mode). The integer extractor knows 0..3, the float one
// 0..2 (and treats 3..9 as Watson, as libvmaf does).
enum CsfMode : int {
  kCsfWatson = 0,
  kCsfBarten = 1,
  kCsfBlend = 2,       // integer: Barten/Watson blend table; float: ADM native CSF
  kCsfBlendMae = 3,    // integer only
};

// 1 / quantisation step of Watson et al. ("Visibility of Wavelet Quantization Noise", IEEE TIP
// 6(8), 1997, formula (9) with Table IV (Y, subject sfl) and Table V): theta 1 = h/v, 2 = d.
float watson_factor(int scale, int theta, double norm_view_dist, int ref_display_height);
// Barten's CSF (libvmaf barten_csf) at the nominal frequency of DWT level `scale`.
float barten_csf(int scale, double norm_view_dist, int ref_display_height, double luminance,
                 double csf_scale);
// Tabulated Barten/Watson blend (integer modes 2, 3); theta 0 = h/v, 1 = d. Returns false for a
// viewing condition without a table.
bool blend_csf(int scale, int theta, double norm_view_dist, int ref_display_height, bool mae,
               float* out);
// "ADM native" CSF (float mode 2); theta_deg 0 = h/v, 45 = d.
float native_csf(int scale, double norm_view_dist, int ref_display_height, int theta_deg);

// libvmaf's div_lookup: entry 32768 + i holds (int32)(2^30 / i) for |i| in 1..32768, with the
// sign of i. 65537 entries; the returned pointer is to entry 0.
const int32_t* div_lookup();

}  // namespace vqfuse::kernels::adm
