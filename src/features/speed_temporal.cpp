// speed_temporal: SpEED-QA temporal entropic differencing on luma frame differences
// (speed_temporal).
//
// Paper: C. G. Bampis, P. Gupta, R. Soundararajan, A. C. Bovik, "SpEED-QA: Spatial Efficient
// Entropic Differencing for Image and Video Quality", IEEE Signal Processing Letters 24(9), 2017
// (section III, temporal SpEED). The SpEED model of kernels/speed_core.hpp is applied to the
// frame differences prev - cur of the reference and of the distorted luma (libvmaf picture_copy
// values; the difference is exact in float at every bit depth, so it is formed from the integer
// samples directly).
//
// Behavioural reference: Netflix/vmaf f85a853 libvmaf/src/feature/speed.c
// (vmaf_fex_speed_temporal); values equal its plain C path bit for bit. As there:
//  - frame 0 (no previous frame) is 0;
//  - speed_use_ref_diff=true (alias urd) compares the distorted difference dis_prev - ref_cur;
//  - speed_weight_var_mode is always 0 and speed_max_val is accepted (it names the feature) but
//    never applied.
// Temporal through the engine's history: extract() of frame n reads frame n-1's pictures through
// f.prev(); nothing is kept between frames, so frames run concurrently in any order.
//
// Deviations: an invalid speed_kernelscale or speed_prescale_method is an init error (libvmaf
// logs and continues with undefined filters); a prescale within 1e-3 of 1 keeps the frame size
// (libvmaf would then filter a plane of the rounded size it never filled).
//
// Size limit: the luma, after speed_prescale and decimation by 16, must hold one 5x5 block:
// frames of at least 80x80; smaller is kUnsupported (libvmaf: "SpEED: image too small" and a
// crash). Below about 160x160 the covariance window has fewer than 25 positions and the scores
// degenerate to 0, as in libvmaf.
#include <optional>
#include <string>

#include "core/parallel.hpp"
#include "features/extractor.hpp"
#include "features/kernels/speed_core.hpp"

namespace vqfuse::features {
namespace {

namespace sp = kernels::speed;

constexpr FeatureId kSpeedTemporal = feature_id("speed_temporal");

// clang-format off
constexpr OptionInfo kSpeedTemporalOptions[] = {
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
     "maximum value (accepted and named as libvmaf, which never applies it here)", true, "mxv"},
    {"speed_use_ref_diff", OptType::kBool, 0, {}, 0, 1,
     "compare dis_prev - ref_cur instead of dis_prev - dis_cur", true, "urd"},
};
// clang-format on

class SpeedTemporal final : public Extractor {
 public:
  explicit SpeedTemporal(const Options& o)
      : method_name_(o.get_string("speed_prescale_method")),
        ref_diff_(o.get_bool("speed_use_ref_diff")) {
    params_.kernelscale = o.get_double("speed_kernelscale");
    params_.prescale = o.get_double("speed_prescale");
    params_.sigma_nn = o.get_double("speed_sigma_nn");
    params_.nn_floor = o.get_double("speed_nn_floor");
  }

  Result<void> init(const VideoInfo& v) override {
    VQ_TRY(sp::resolve_options(method_name_, params_));
    const sp::Geometry g = sp::make_geometry(v.width, v.height, params_.prescale);
    if (!g.usable()) {
      std::string msg = "speed_temporal needs frames of at least " +
                        std::to_string(sp::kMinScaledSide) + "x" +
                        std::to_string(sp::kMinScaledSide) +
                        " (one 5x5 block after decimation by 16); input is " +
                        std::to_string(v.width) + "x" + std::to_string(v.height);
      if (g.scaled_w != v.width || g.scaled_h != v.height)
        msg += ", " + std::to_string(g.scaled_w) + "x" + std::to_string(g.scaled_h) +
               " after speed_prescale " + format_g(params_.prescale);
      return Error(Errc::kUnsupported, msg);
    }
    bit_depth_ = v.bit_depth;
    model_.emplace(params_, g);
    return {};
  }

  int history() const override { return 1; }

  void extract(FrameCtx& f, FeatureRow& row) override {
    const FrameCtx* prev = f.prev();
    if (!prev) {
      row.set(kSpeedTemporal, 0.0);
      return;
    }
    const CPlaneU16 cur_ref = f.ref().plane(0);
    const CPlaneU16 cur_dis = ref_diff_ ? cur_ref : f.dis().plane(0);
    const sp::PlaneInput in[2] = {sp::diff_input(prev->ref().plane(0), cur_ref, bit_depth_),
                                  sp::diff_input(prev->dis().plane(0), cur_dis, bit_depth_)};
    sp::Stats st[2];
    for_each_index(2, [&](int i) { st[i] = model_->analyse(in[i]); });
    row.set(kSpeedTemporal, static_cast<double>(model_->score(st[0], st[1])));
  }

 private:
  sp::Params params_;
  std::string method_name_;
  bool ref_diff_;
  int bit_depth_ = 8;
  std::optional<sp::Model> model_;
};

}  // namespace

extern const ExtractorInfo kSpeedTemporalInfo{
    Ext::kSpeedTemporal, "speed_temporal",
    "SpEED-QA temporal entropic differences of luma frame differences", kSpeedTemporalOptions,
    [](const Options& o) -> std::unique_ptr<Extractor> {
      return std::make_unique<SpeedTemporal>(o);
    }};

}  // namespace vqfuse::features
