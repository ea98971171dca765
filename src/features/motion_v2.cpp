// motion_v2: the lusoris/vmaf fork's "pipelined" integer motion, the same temporal information
// of the reference as `motion` (mean |blur(prev - cur)| of the luma; see integer_motion.cpp)
// under its own names.
//
// Behavioural reference: lusoris/vmaf c2a3c7e libvmaf/src/feature/integer_motion_v2.c. Its
// per-frame pipeline is the one Netflix's integer_motion.c f85a853 adopted (shared here through
// kernels::integer_motion_sad), and its flush() is the three-frame case of Netflix's:
//   VMAF_integer_feature_motion_v2_sad_score = min(SAD / 256 / (w*h) * mfw, mmxv), 0 at frame 0,
//   VMAF_integer_feature_motion2_v2_score = min(score[n], score[n+1]) (last frame: score[n]),
//   VMAF_integer_feature_motion3_v2_score = min(blend(motion2), mmxv), frame 0 taking the
//   blended score of frame 1, optionally averaged with the previous frame (mma).
// Options as the fork (names, aliases, name suffixes): motion_force_zero, motion_blend_factor,
// motion_blend_offset, motion_fps_weight, motion_max_val, motion_five_frame_window,
// motion_moving_average.
// Size limits, as the fork: width and height >= 3 (the 5-tap mirror), and
// motion_five_frame_window=true is rejected (the fork does not implement it).
#include <bit>

#include "features/extractor.hpp"
#include "features/kernels/motion_plane.hpp"
#include "features/kernels/motion_temporal.hpp"

namespace vqfuse::features {
namespace {

constexpr FeatureId kSadId = feature_id("VMAF_integer_feature_motion_v2_sad_score");
constexpr FeatureId kMotion2Id = feature_id("VMAF_integer_feature_motion2_v2_score");
constexpr FeatureId kMotion3Id = feature_id("VMAF_integer_feature_motion3_v2_score");

// clang-format off
constexpr OptionInfo kMotionV2Options[] = {
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
     "five-frame temporal window (not supported by motion_v2, as in the fork)", true, "mffw"},
    {"motion_moving_average", OptType::kBool, 0, {}, 0, 1,
     "average motion3 with the previous frame's value", true, "mma"},
};
// clang-format on

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

class MotionV2 final : public Extractor {
 public:
  explicit MotionV2(const Options& o)
      : force_zero_(o.get_bool("motion_force_zero")),
        five_frame_(o.get_bool("motion_five_frame_window")),
        fps_weight_(o.get_double("motion_fps_weight")),
        max_val_(o.get_double("motion_max_val")),
        temporal_(params(o)) {}

  Result<void> init(const VideoInfo& v) override {
    if (v.width < 3 || v.height < 3)
      return Error(Errc::kUnsupported,
                   "motion_v2 needs width and height >= 3 (5-tap filter), input is " +
                       std::to_string(v.width) + "x" + std::to_string(v.height));
    if (five_frame_)
      return Error(Errc::kUnsupported,
                   "motion_v2 does not support motion_five_frame_window=true (as the lusoris/vmaf "
                   "fork); use the motion extractor");
    bpc_ = v.bit_depth;
    pixels_ = static_cast<double>(static_cast<unsigned>(v.width) * static_cast<unsigned>(v.height));
    return {};
  }

  int history() const override { return 1; }
  int lookahead() const override { return temporal_.lookahead(); }
  int scratch_count() const override { return 1; }

  void extract(FrameCtx& f, FeatureRow& row) override {
    double score = 0.;
    if (!force_zero_ && f.index() > 0) {
      const uint64_t sad =
          kernels::integer_motion_sad(f.prev()->ref().plane(0), f.ref().plane(0), bpc_);
      const double s = static_cast<double>(sad) / 256. / pixels_ * fps_weight_;
      score = s < max_val_ ? s : max_val_;
    }
    row.set(kSadId, score);
    row.scratch(0) = std::bit_cast<uint64_t>(score);
  }

  void sequence(int64_t n, RowWindow& rows) override {
    temporal_.advance(n, sad_of(rows), emit_to(rows));
  }
  void flush(int64_t last, RowWindow& rows) override {
    temporal_.finish(last, sad_of(rows), emit_to(rows));
  }

 private:
  static kernels::MotionTemporalParams params(const Options& o) {
    kernels::MotionTemporalParams p;
    p.blend_factor = o.get_double("motion_blend_factor");
    p.blend_offset = o.get_double("motion_blend_offset");
    p.max_val = o.get_double("motion_max_val");
    p.moving_average = o.get_bool("motion_moving_average");
    p.v2 = true;
    return p;
  }

  bool force_zero_;
  bool five_frame_;
  double fps_weight_;
  double max_val_;
  kernels::MotionTemporal temporal_;
  int bpc_ = 8;
  double pixels_ = 1;
};

}  // namespace

extern const ExtractorInfo kMotionV2Info{
    Ext::kMotionV2, "motion_v2",
    "integer motion of the lusoris/vmaf fork (fused blur of the frame difference)",
    kMotionV2Options,
    [](const Options& o) -> std::unique_ptr<Extractor> { return std::make_unique<MotionV2>(o); }};

}  // namespace vqfuse::features
