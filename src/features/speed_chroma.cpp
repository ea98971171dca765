// speed_chroma: SpEED-QA spatial entropy differences of the Cb and Cr planes
// (speed_chroma_u, speed_chroma_v, speed_chroma_uv).
//
// Paper: C. G. Bampis, P. Gupta, R. Soundararajan, A. C. Bovik, "SpEED-QA: Spatial Efficient
// Entropic Differencing for Image and Video Quality", IEEE Signal Processing Letters 24(9), 2017.
// Each chroma plane (libvmaf picture_copy value, v / 2^(bpc-8) - 128) is anti-aliased, decimated
// by 16, stripped of its local mean and modelled as a Gaussian scale mixture on 5x5 blocks; the
// score is the mean over blocks of |H_ref log2(1 + s_ref) - H_dis log2(1 + s_dis)|
// (kernels/speed_core.hpp).
//
// Behavioural reference: Netflix/vmaf f85a853 libvmaf/src/feature/speed.c (vmaf_fex_speed_chroma)
// and vif_tools.c; the values equal its plain C path bit for bit (kernels keep its operation
// order). Options, aliases and name suffixes as libvmaf (ks, ps, psm, snn, nnf, mxv, wvm).
// speed_chroma_uv is the mean of u and v, or the other channel's score when exactly one channel's
// covariance matrix is singular; all three are capped at speed_max_val (a NaN score becomes
// speed_max_val, as libvmaf's MIN macro does).
//
// Deviations:
//  - Chroma of odd sizes is the true ceil(w/2) x ceil(h/2) plane (libvmaf uses floor). Only rows
//    and columns up to 16 * (n / 16 - 1) + 4 reach the result, so the extra row/column changes
//    nothing unless ceil(w/2) >> 4 != floor(w/2) >> 4 (w = 32k - 1); p03 (333x197) equals
//    Netflix's floor-chroma golden.
//  - An invalid speed_kernelscale or speed_prescale_method is an init error (libvmaf logs it and
//    carries on with undefined filters); a prescale within 1e-3 of 1 keeps the plane size.
//
// Size limit: the decimated chroma plane (after speed_prescale) must hold one 5x5 block, i.e.
// chroma planes of at least 80x80 (4:2:0 luma >= 159x159); smaller inputs are kUnsupported
// (libvmaf crashes there: "SpEED: image too small"). 4:0:0 has no chroma: kUnsupported. Below
// about 160x160 chroma the covariance window has fewer than 25 positions, the 25x25 covariance is
// singular and the scores are 0, as in libvmaf.
#include <optional>
#include <string>

#include "core/parallel.hpp"
#include "features/extractor.hpp"
#include "features/kernels/speed_core.hpp"

namespace vqfuse::features {
namespace {

namespace sp = kernels::speed;

constexpr FeatureId kU = feature_id("speed_chroma_u");
constexpr FeatureId kV = feature_id("speed_chroma_v");
constexpr FeatureId kUv = feature_id("speed_chroma_uv");

// clang-format off
constexpr OptionInfo kSpeedChromaOptions[] = {
    {"speed_kernelscale", OptType::kDouble, 1.0, {}, 0.1, 4.0,
     "scaling factor for the gaussian kernel (2.0 doubles its standard deviation)", true, "ks"},
    {"speed_prescale", OptType::kDouble, 1.0, {}, 0.1, 4.0,
     "scaling factor for the frame (2.0 doubles its width and height)", true, "ps"},
    {"speed_prescale_method", OptType::kString, 0, "nearest", -1e300, 1e300,
     "scaling method for the frame: nearest, bilinear, bicubic, lanczos4", true, "psm"},
    {"speed_sigma_nn", OptType::kDouble, 0.29, {}, 0.1, 2.0,
     "standard deviation of neural noise", true, "snn"},
    {"speed_nn_floor", OptType::kDouble, 0.0, {}, 0.0, 1.0,
     "neural noise floor, as a fraction of sigma_nn", true, "nnf"},
    {"speed_max_val", OptType::kDouble, 1000.0, {}, 0.0, 1000.0,
     "maximum value allowed; larger values are clipped to it", true, "mxv"},
    {"speed_weight_var_mode", OptType::kInt, 0, {}, 0, 6,
     "variance weighting of the entropies (0: own variance; 1-6: libvmaf's mixes)", true, "wvm"},
};
// clang-format on

class SpeedChroma final : public Extractor {
 public:
  explicit SpeedChroma(const Options& o)
      : method_name_(o.get_string("speed_prescale_method")),
        max_val_(o.get_double("speed_max_val")) {
    params_.kernelscale = o.get_double("speed_kernelscale");
    params_.prescale = o.get_double("speed_prescale");
    params_.sigma_nn = o.get_double("speed_sigma_nn");
    params_.nn_floor = o.get_double("speed_nn_floor");
    params_.weight_var_mode = o.get_int("speed_weight_var_mode");
  }

  Result<void> init(const VideoInfo& v) override {
    VQ_TRY(sp::resolve_options(method_name_, params_));
    if (v.chroma == Chroma::k400)
      return Error(Errc::kUnsupported, "speed_chroma needs chroma planes; the input is 4:0:0");
    const int cw = v.plane_width(1), ch = v.plane_height(1);
    const sp::Geometry g = sp::make_geometry(cw, ch, params_.prescale);
    if (!g.usable()) {
      std::string msg = "speed_chroma needs chroma planes of at least " +
                        std::to_string(sp::kMinScaledSide) + "x" +
                        std::to_string(sp::kMinScaledSide) +
                        " (one 5x5 block after decimation by 16); input chroma is " +
                        std::to_string(cw) + "x" + std::to_string(ch) + " (" + v.describe() + ")";
      if (g.scaled_w != cw || g.scaled_h != ch)
        msg += ", " + std::to_string(g.scaled_w) + "x" + std::to_string(g.scaled_h) +
               " after speed_prescale " + format_g(params_.prescale);
      return Error(Errc::kUnsupported, msg);
    }
    bit_depth_ = v.bit_depth;
    model_.emplace(params_, g);
    return {};
  }

  void extract(FrameCtx& f, FeatureRow& row) override {
    // ref u, dis u, ref v, dis v: independent, so run in parallel.
    sp::Stats st[4];
    for_each_index(4, [&](int i) {
      const Frame& frame = (i % 2 == 0) ? f.ref() : f.dis();
      st[i] = model_->analyse(sp::plane_input(frame.plane(1 + i / 2), bit_depth_));
    });
    const float u = model_->score(st[0], st[1]);
    const float v = model_->score(st[2], st[3]);
    const bool err_u = st[0].singular || st[1].singular;
    const bool err_v = st[2].singular || st[3].singular;
    // A channel whose covariance is singular (e.g. flat) takes the other channel's score.
    float uv;
    if (err_u && !err_v)
      uv = v;
    else if (err_v && !err_u)
      uv = u;
    else
      uv = static_cast<float>((u + v) / 2.0);
    row.set(kU, cap(u));
    row.set(kV, cap(v));
    row.set(kUv, cap(uv));
  }

 private:
  double cap(float s) const { return s < max_val_ ? static_cast<double>(s) : max_val_; }

  sp::Params params_;
  std::string method_name_;
  double max_val_;
  int bit_depth_ = 8;
  std::optional<sp::Model> model_;
};

}  // namespace

extern const ExtractorInfo kSpeedChromaInfo{
    Ext::kSpeedChroma, "speed_chroma",
    "SpEED-QA entropic differences of the chroma planes (Cb, Cr)", kSpeedChromaOptions,
    [](const Options& o) -> std::unique_ptr<Extractor> {
      return std::make_unique<SpeedChroma>(o);
    }};

}  // namespace vqfuse::features
