// float_ms_ssim: multi-scale SSIM of luma on libvmaf's 8-bit float scale (and, with
// enable_lcs, the luminance, contrast and structure means of each of the 5 scales).
//
// Paper: Wang, Simoncelli, Bovik, "Multi-scale structural similarity for image quality
// assessment", Asilomar 2003 (5 scales, exponents 0.0448, 0.2856, 0.3001, 0.2363, 0.1333).
// Behavioural reference: Netflix/vmaf f85a853 libvmaf/src/feature/float_ms_ssim.c, ms_ssim.c and
// the IQA port (iqa/ssim_tools.c, convolve.c, decimate.c):
//  - luma as picture_copy offset 0 (kLumaF32);
//  - scale i + 1 is scale i filtered with the 9x9 biorthogonal 9/7 low-pass (libvmaf's rounded
//    2-D table, symmetric borders) and decimated by 2 to w/2 + (w&1);
//  - each scale runs _iqa_ssim with the default (Wang) parameters; its float-rounded l, c, s
//    means give ms_ssim = prod pow(l, alpha_i) pow(c, beta_i) pow(s, gamma_i) in double, with
//    alpha = (0, 0, 0, 0, 0.1333) and beta = gamma = the exponents above (float constants);
//  - enable_db / clip_db as float_ssim.
// Deviations: map sums in 16 virtual lanes with per-row partials (see float_ssim.cpp). Scale 0
// is the shared kLumaSsim intermediate (identical to float_ssim at scale 1).
// Size limit (libvmaf's "scale below 1x1" check): every scale, halved with floor, must be at
// least 11x11, i.e. width and height >= 176.
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "features/extractor.hpp"
#include "features/intermediates.hpp"
#include "features/kernels/ssim.hpp"

namespace vqfuse::features {
namespace {

constexpr int kScales = 5;
constexpr float kAlpha[kScales] = {0.0000f, 0.0000f, 0.0000f, 0.0000f, 0.1333f};
constexpr float kBeta[kScales] = {0.0448f, 0.2856f, 0.3001f, 0.2363f, 0.1333f};
constexpr float kGamma[kScales] = {0.0448f, 0.2856f, 0.3001f, 0.2363f, 0.1333f};

constexpr FeatureId kLId[kScales] = {
    feature_id("float_ms_ssim_l_scale0"), feature_id("float_ms_ssim_l_scale1"),
    feature_id("float_ms_ssim_l_scale2"), feature_id("float_ms_ssim_l_scale3"),
    feature_id("float_ms_ssim_l_scale4")};
constexpr FeatureId kCId[kScales] = {
    feature_id("float_ms_ssim_c_scale0"), feature_id("float_ms_ssim_c_scale1"),
    feature_id("float_ms_ssim_c_scale2"), feature_id("float_ms_ssim_c_scale3"),
    feature_id("float_ms_ssim_c_scale4")};
constexpr FeatureId kSId[kScales] = {
    feature_id("float_ms_ssim_s_scale0"), feature_id("float_ms_ssim_s_scale1"),
    feature_id("float_ms_ssim_s_scale2"), feature_id("float_ms_ssim_s_scale3"),
    feature_id("float_ms_ssim_s_scale4")};

constexpr OptionInfo kFloatMsSsimOptions[] = {
    {"enable_lcs",
     OptType::kBool,
     0,
     {},
     0,
     1,
     "also write the luminance, contrast and structure means of every scale"},
    {"enable_db", OptType::kBool, 0, {}, 0, 1, "write MS-SSIM as dB: -10 log10(1 - ms_ssim)"},
    {"clip_db", OptType::kBool, 0, {}, 0, 1, "cap the dB score (with enable_db)"},
};

class FloatMsSsim final : public Extractor {
 public:
  explicit FloatMsSsim(const Options& o)
      : enable_db_(o.get_bool("enable_db")), clip_db_(o.get_bool("clip_db")) {}

  Result<void> init(const VideoInfo& v) override {
    int w = v.width, h = v.height;
    for (int i = 0; i < kScales; ++i, w /= 2, h /= 2) {
      if (w < kernels::kSsimTaps || h < kernels::kSsimTaps)
        return Error(Errc::kUnsupported,
                     "float_ms_ssim needs width and height >= 176 (5 scales of an 11x11 window), "
                     "input is " +
                         std::to_string(v.width) + "x" + std::to_string(v.height));
    }
    const unsigned peak = (1u << v.bit_depth) - 1;
    max_db_ = std::numeric_limits<double>::infinity();
    if (clip_db_) {
      const double mse = 0.5 / static_cast<double>(static_cast<unsigned>(v.width) * v.height);
      max_db_ = std::ceil(10. * std::log10(static_cast<double>(peak * peak) / mse));
    }
    return {};
  }

  std::vector<const IntermediateBase*> needs() const override { return {&kLumaF32, &kLumaSsim}; }

  void extract(FrameCtx& f, FeatureRow& row) override {
    kernels::SsimMeans m[kScales];
    m[0] = f.get(kLumaSsim);
    const PlanePairF& p = f.get(kLumaF32);
    ImageF ref, dis;
    for (int i = 1; i < kScales; ++i) {
      ref = kernels::ms_ssim_decimate(i == 1 ? p.ref.view() : std::as_const(ref).view());
      dis = kernels::ms_ssim_decimate(i == 1 ? p.dis.view() : std::as_const(dis).view());
      m[i] = kernels::ssim_means(std::as_const(ref).view(), std::as_const(dis).view());
    }
    double msssim = 1.0;
    for (int i = 0; i < kScales; ++i) {
      // libvmaf calls the double pow with the float means and exponents.
      msssim *= std::pow(static_cast<double>(m[i].l), static_cast<double>(kAlpha[i])) *
                std::pow(static_cast<double>(m[i].c), static_cast<double>(kBeta[i])) *
                std::pow(static_cast<double>(m[i].s), static_cast<double>(kGamma[i]));
      row.set(kLId[i], m[i].l);
      row.set(kCId[i], m[i].c);
      row.set(kSId[i], m[i].s);
    }
    if (enable_db_) {
      const double db = -10. * std::log10(1 - msssim);
      msssim = db < max_db_ ? db : max_db_;  // libvmaf's MIN macro
    }
    row.set(feature_id("float_ms_ssim"), msssim);
  }

 private:
  bool enable_db_;
  bool clip_db_;
  double max_db_ = 0;
};

}  // namespace

extern const ExtractorInfo kFloatMsSsimInfo{
    Ext::kFloatMsSsim, "float_ms_ssim", "multi-scale SSIM of luma (Wang et al. 2003, 5 scales)",
    kFloatMsSsimOptions, [](const Options& o) -> std::unique_ptr<Extractor> {
      return std::make_unique<FloatMsSsim>(o);
    }};

}  // namespace vqfuse::features
