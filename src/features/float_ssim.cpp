// float_ssim: mean SSIM of luma (and, with enable_lcs, the mean luminance, contrast and
// structure terms) on libvmaf's 8-bit float scale.
//
// Paper: Wang, Bovik, Sheikh, Simoncelli, "Image quality assessment: from error visibility to
// structural similarity", IEEE TIP 13(4), 2004 (11x11 Gaussian window, sigma 1.5, K1 = 0.01,
// K2 = 0.03, L = 255).
// Behavioural reference: Netflix/vmaf f85a853 libvmaf/src/feature/float_ssim.c, ssim.c and the
// IQA port iqa/ssim_tools.c, convolve.c (1-D separable path), decimate.c:
//  - luma as picture_copy offset 0 (kLumaF32: v / 2^(bpc-8));
//  - `scale` 0 picks max(1, round(min(w, h) / 256)) (so 1080p is decimated by 4), 1..10 force
//    it; scale > 1 box-filters (1/f^2, symmetric borders) to w/f + (w&1) x h/f + (h&1);
//  - the map covers only the valid region ((w-10) x (h-10)); each of its values is computed
//    with libvmaf's exact float/double arithmetic (see kernels/ssim.hpp), the means are
//    rounded to float as libvmaf returns them;
//  - enable_db writes -10 log10(1 - ssim), clip_db caps it at ceil(10 log10(peak^2 / (0.5 /
//    (w h)))), peak = 2^bpc - 1; neither changes the names.
// Deviations: the map sum runs in 16 virtual lanes with per-row partials instead of raster
// order (differences ~1e-16 before the float rounding). When the scale is 1 the result is the
// shared kLumaSsim intermediate, which float_ms_ssim's scale 0 reuses.
// Size limit: the (decimated) luma must be at least 11x11.
#include <cmath>
#include <limits>
#include <string>

#include "features/extractor.hpp"
#include "features/intermediates.hpp"
#include "features/kernels/ssim.hpp"

namespace vqfuse::features {
namespace {

constexpr OptionInfo kFloatSsimOptions[] = {
    {"enable_lcs",
     OptType::kBool,
     0,
     {},
     0,
     1,
     "also write the luminance, contrast and structure means (float_ssim_l/_c/_s)"},
    {"enable_db", OptType::kBool, 0, {}, 0, 1, "write SSIM as dB: -10 log10(1 - ssim)"},
    {"clip_db", OptType::kBool, 0, {}, 0, 1, "cap the dB score (with enable_db)"},
    {"scale",
     OptType::kInt,
     0,
     {},
     0,
     10,
     "decimation factor before SSIM: 0 = auto (round(min(w, h) / 256)), 1 = none, 2-10"},
};

class FloatSsim final : public Extractor {
 public:
  explicit FloatSsim(const Options& o)
      : enable_db_(o.get_bool("enable_db")),
        clip_db_(o.get_bool("clip_db")),
        scale_(o.get_int("scale")) {}

  Result<void> init(const VideoInfo& v) override {
    const unsigned peak = (1u << v.bit_depth) - 1;
    max_db_ = std::numeric_limits<double>::infinity();
    if (clip_db_) {
      const double mse = 0.5 / static_cast<double>(static_cast<unsigned>(v.width) * v.height);
      max_db_ = std::ceil(10. * std::log10(static_cast<double>(peak * peak) / mse));
    }
    if (scale_ <= 0) scale_ = kernels::ssim_auto_scale(v.width, v.height);
    const int w = scale_ > 1 ? kernels::ssim_decimated_size(v.width, scale_) : v.width;
    const int h = scale_ > 1 ? kernels::ssim_decimated_size(v.height, scale_) : v.height;
    if (w < kernels::kSsimTaps || h < kernels::kSsimTaps) {
      std::string msg = "float_ssim needs width and height >= 11 (11x11 Gaussian window)";
      if (scale_ > 1)
        msg += " after decimation by " + std::to_string(scale_) + " (" + std::to_string(w) + "x" +
               std::to_string(h) + ")";
      return Error(Errc::kUnsupported,
                   msg + ", input is " + std::to_string(v.width) + "x" + std::to_string(v.height));
    }
    return {};
  }

  std::vector<const IntermediateBase*> needs() const override {
    if (scale_ == 1) return {&kLumaSsim};
    return {&kLumaF32};
  }

  void extract(FrameCtx& f, FeatureRow& row) override {
    kernels::SsimMeans r;
    if (scale_ == 1) {
      r = f.get(kLumaSsim);
    } else {
      const PlanePairF& p = f.get(kLumaF32);
      const ImageF a = kernels::ssim_box_decimate(p.ref.view(), scale_);
      const ImageF b = kernels::ssim_box_decimate(p.dis.view(), scale_);
      r = kernels::ssim_means(a.view(), b.view());
    }
    double score = r.ssim;
    if (enable_db_) {
      const double db = -10. * std::log10(1 - score);
      score = db < max_db_ ? db : max_db_;  // libvmaf's MIN macro (NaN gives the cap)
    }
    row.set(feature_id("float_ssim"), score);
    row.set(feature_id("float_ssim_l"), r.l);
    row.set(feature_id("float_ssim_c"), r.c);
    row.set(feature_id("float_ssim_s"), r.s);
  }

 private:
  bool enable_db_;
  bool clip_db_;
  int scale_;
  double max_db_ = 0;
};

}  // namespace

extern const ExtractorInfo kFloatSsimInfo{
    Ext::kFloatSsim, "float_ssim", "SSIM of luma (Wang et al. 2004, libvmaf's float IQA port)",
    kFloatSsimOptions,
    [](const Options& o) -> std::unique_ptr<Extractor> { return std::make_unique<FloatSsim>(o); }};

}  // namespace vqfuse::features
