// motion: libvmaf's integer temporal information of the reference, the mean absolute difference
// of two consecutive blurred luma frames (VMAF's "motion" feature; Li et al., "Toward a
// practical perceptual video quality metric", Netflix Tech Blog 2016).
//
// Behavioural reference: Netflix/vmaf f85a853 libvmaf/src/feature/integer_motion.c, the fused
// implementation: because the 5-tap Q16 blur is linear, it blurs the difference prev - cur of
// the raw reference luma (vertical pass >> bpc, horizontal pass >> 16, arithmetic rounding)
// and sums |.|, so no blurred frame is kept (kernels/motion.hpp). Per frame:
//   VMAF_integer_feature_motion_sad_score = min(SAD / 256 / (w*h) * motion_fps_weight,
//                                               motion_max_val), 0 for frame 0;
//   integer_motion (debug) = the same value;
//   integer_motion2/3 in frame order (kernels/motion_temporal.hpp): motion2 = min of the
//   frame's and the next frame's score (the last frame keeps its own), motion3 = blended and
//   clipped motion2 (frame 0: the blended score of frame 1).
// Options as libvmaf, including their name suffixes: motion_force_zero (force_0),
// motion_blend_factor (mbf), motion_blend_offset (mbo), motion_fps_weight (mfw),
// motion_max_val (mmxv), motion_five_frame_window (mffw: compare with frame n-2, motion2 from
// the neighbours n-1 and n+1), motion_moving_average (mma), debug.
// Names: libvmaf writes VMAF_integer_feature_motion_sad_score whatever `debug` is, so it is a
// default column here too (the lusoris/vmaf fork's older integer motion has no such name).
// Deviations: none in values. Frames narrower or shorter than 3 samples, where libvmaf's mirror
// reads outside the plane, use a periodic reflection instead (kernels::motion_mirror).
// Size limits: none (any size >= 1x1).
#include <bit>

#include "features/extractor.hpp"
#include "features/kernels/motion_plane.hpp"
#include "features/kernels/motion_temporal.hpp"

namespace vqfuse::features {
namespace {

constexpr FeatureId kSadId = feature_id("VMAF_integer_feature_motion_sad_score");
constexpr FeatureId kMotionId = feature_id("integer_motion");
constexpr FeatureId kMotion2Id = feature_id("integer_motion2");
constexpr FeatureId kMotion3Id = feature_id("integer_motion3");

// clang-format off
constexpr OptionInfo kIntegerMotionOptions[] = {
    {"motion_force_zero", OptType::kBool, 0, {}, 0, 1, "force the motion scores to zero", true,
     "force_0"},
    {"motion_blend_factor", OptType::kDouble, 1.0, {}, 0, 1,
     "blend motion3 with min(score, motion_blend_offset): 1 = no blending", true, "mbf"},
    {"motion_blend_offset", OptType::kDouble, 40.0, {}, 0, 1000, "offset of the motion3 blend",
     true, "mbo"},
    {"motion_fps_weight", OptType::kDouble, 1.0, {}, 0, 5,
     "fps-aware multiplicative weight of the score", true, "mfw"},
    {"motion_max_val", OptType::kDouble, 10000.0, {}, 0, 10000,
     "clip the scores to this maximum", true, "mmxv"},
    {"motion_five_frame_window", OptType::kBool, 0, {}, 0, 1,
     "compare frame n with n-2 (five-frame temporal window)", true, "mffw"},
    {"motion_moving_average", OptType::kBool, 0, {}, 0, 1,
     "average motion3 with the previous frame's value", true, "mma"},
    {"debug", OptType::kBool, 0, {}, 0, 1, "also write integer_motion (the score before min)"},
};
// clang-format on

kernels::MotionTemporalParams temporal_params(const Options& o) {
  kernels::MotionTemporalParams p;
  p.blend_factor = o.get_double("motion_blend_factor");
  p.blend_offset = o.get_double("motion_blend_offset");
  p.max_val = o.get_double("motion_max_val");
  p.five_frame_window = o.get_bool("motion_five_frame_window");
  p.moving_average = o.get_bool("motion_moving_average");
  return p;
}

auto sad_of(RowWindow& rows) {
  return [&rows](int64_t i) { return std::bit_cast<double>(rows.row(i).scratch(0)); };
}
auto emit_to(RowWindow& rows) {
  return [&rows](int64_t i, double motion2, double motion3) {
    FeatureRow r = rows.row(i);
    r.set(kMotion2Id, motion2);
    r.set(kMotion3Id, motion3);
  };
}

class IntegerMotion final : public Extractor {
 public:
  explicit IntegerMotion(const Options& o)
      : force_zero_(o.get_bool("motion_force_zero")),
        fps_weight_(o.get_double("motion_fps_weight")),
        max_val_(o.get_double("motion_max_val")),
        temporal_(temporal_params(o)) {}

  Result<void> init(const VideoInfo& v) override {
    bpc_ = v.bit_depth;
    // unsigned product, as libvmaf's (w * h)
    pixels_ = static_cast<double>(static_cast<unsigned>(v.width) * static_cast<unsigned>(v.height));
    return {};
  }

  int history() const override { return temporal_.stride(); }
  int lookahead() const override { return temporal_.lookahead(); }
  int scratch_count() const override { return 1; }

  void extract(FrameCtx& f, FeatureRow& row) override {
    double score = 0.;
    if (!force_zero_ && f.index() >= temporal_.min_idx()) {
      const FrameCtx* past = f.prev();
      for (int i = 1; i < temporal_.stride(); ++i) past = past->prev();
      const uint64_t sad =
          kernels::integer_motion_sad(past->ref().plane(0), f.ref().plane(0), bpc_);
      const double s = static_cast<double>(sad) / 256. / pixels_ * fps_weight_;
      score = s < max_val_ ? s : max_val_;
    }
    row.set(kSadId, score);
    row.set(kMotionId, score);
    row.scratch(0) = std::bit_cast<uint64_t>(score);
  }

  void sequence(int64_t n, RowWindow& rows) override {
    temporal_.advance(n, sad_of(rows), emit_to(rows));
  }
  void flush(int64_t last, RowWindow& rows) override {
    temporal_.finish(last, sad_of(rows), emit_to(rows));
  }

 private:
  bool force_zero_;
  double fps_weight_;
  double max_val_;
  kernels::MotionTemporal temporal_;
  int bpc_ = 8;
  double pixels_ = 1;
};

}  // namespace

extern const ExtractorInfo kIntegerMotionInfo{
    Ext::kIntegerMotion, "motion",
    "integer temporal information of the reference (libvmaf integer_motion: motion2, motion3)",
    kIntegerMotionOptions, [](const Options& o) -> std::unique_ptr<Extractor> {
      return std::make_unique<IntegerMotion>(o);
    }};

}  // namespace vqfuse::features
