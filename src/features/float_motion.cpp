// float_motion: libvmaf's floating-point temporal information of the reference, the mean
// absolute difference of two consecutive blurred luma frames (VMAF's "motion" feature; Li et
// al., "Toward a practical perceptual video quality metric", Netflix Tech Blog 2016).
//
// Behavioural reference: Netflix/vmaf f85a853 libvmaf/src/feature/float_motion.c, motion.c
// (vmaf_image_sad_c), common/convolution.c; the fork's float_motion gives identical numbers.
//   blur[n] = separable filter (FILTER_5_s; 3 taps for motion_filter_size=3, identity for 1) of
//             the luma as picture_copy gives it with offset -128 (v / 2^(bpc-8) - 128), float,
//             taps summed in order, mirrored edges (kernels/motion.hpp);
//   m[n]    = float SAD of blur[n-1] and blur[n]: each row summed in float left to right, the
//             rows in float top to bottom, divided by float(w*h) (+ the same on the bilinear
//             half-size blurs with motion_add_scale1; + U and V with motion_add_uv);
//   motion[n]  = min(m[n] * mfw, mmxv), 0 for frame 0 (written while debug=true, the default);
//   motion2[n] = min(min(m[n], m[n+1]) * mfw, mmxv), 0 for frame 0, the last frame min(m * mfw);
//   motion3[n] = min(blend(motion2 before the clip), mmxv); frame 0 takes frame 1's m.
// Every value is reproduced in libvmaf's order of float operations, so the results are
// bit-identical to libvmaf (its AVX convolution has the same order as its C one).
// Speed: libvmaf keeps the blurred frames; here extract(n) blurs frames n-1 and n again, band by
// band, and sums |difference| while the rows are in cache (kernels::motion_blur_mean_abs_diff):
// twice the arithmetic, but no plane is written or read back, which is what costs at 1080p.
// The luma is converted from the u16 samples inside those bands: picture_copy's v / 2^(bpc-8)
// - 128 is exact in float, so kLumaF32Minus128 would give the same numbers, at the price of a
// whole-frame float copy of both ref and dis.
// Deviations: chroma (motion_add_uv) uses the true ceil(w/2) x ceil(h/2) planes of odd sizes
// where libvmaf uses floor sizes, and libvmaf's motion_add_uv + motion_add_scale1 reads the
// chroma blurs with the luma stride (a libvmaf bug not reproduced). Frames below 3x3 (where
// libvmaf reads outside the plane) use a periodic reflection (kernels::motion_mirror).
// Size limits: motion_add_scale1 needs (w+1)/2 <= 7680 (libvmaf VIF_BILINEAR_MAX_WIDTH);
// motion_add_uv needs chroma planes.
#include <bit>
#include <memory>
#include <mutex>
#include <vector>

#include "features/extractor.hpp"
#include "features/kernels/motion.hpp"
#include "features/kernels/motion_plane.hpp"
#include "features/kernels/motion_temporal.hpp"

namespace vqfuse::features {
namespace {

constexpr FeatureId kMotionId = feature_id("motion");
constexpr FeatureId kMotion2Id = feature_id("motion2");
constexpr FeatureId kMotion3Id = feature_id("motion3");

constexpr int kBilinearMaxWidth = 7680;

// clang-format off
constexpr OptionInfo kFloatMotionOptions[] = {
    {"debug", OptType::kBool, 1, {}, 0, 1, "also write motion (the score before min)"},
    {"motion_force_zero", OptType::kBool, 0, {}, 0, 1, "force the motion scores to zero", true,
     "force_0"},
    {"motion_fps_weight", OptType::kDouble, 1.0, {}, 0, 5,
     "fps-aware multiplicative weight of the score", true, "mfw"},
    {"motion_blend_factor", OptType::kDouble, 1.0, {}, 0, 1,
     "blend motion3 with min(score, motion_blend_offset): 1 = no blending", true, "mbf"},
    {"motion_blend_offset", OptType::kDouble, 40.0, {}, 0, 1000, "offset of the motion3 blend",
     true, "mbo"},
    {"motion_add_scale1", OptType::kBool, 0, {}, 0, 1,
     "add the score of the bilinear half-size blurred frames", true, "mdc"},
    {"motion_filter_size", OptType::kInt, 5, {}, 0, 9,
     "blur filter: 3 = 3 taps, 1 = none, anything else = 5 taps", true, "mfs"},
    {"motion_add_uv", OptType::kBool, 0, {}, 0, 1, "add the scores of the U and V planes", true,
     "mau"},
    {"motion_max_val", OptType::kDouble, 10000.0, {}, 0, 10000,
     "clip the scores to this maximum", true, "mmxv"},
};
// clang-format on

// Scratch planes for motion_add_scale1, recycled: a fresh multi-megabyte plane per frame would
// be page-faulted in every time.
class PlanePool {
 public:
  ImageF acquire() {
    std::lock_guard lock(mu_);
    if (free_.empty()) return {};
    ImageF img = std::move(free_.back());
    free_.pop_back();
    return img;
  }
  void release(ImageF img) {
    std::lock_guard lock(mu_);
    if (free_.size() < kMaxFree) free_.push_back(std::move(img));
  }

 private:
  static constexpr size_t kMaxFree = 8;
  std::mutex mu_;
  std::vector<ImageF> free_;
};

class FloatMotion final : public Extractor {
 public:
  explicit FloatMotion(const Options& o)
      : force_zero_(o.get_bool("motion_force_zero")),
        add_scale1_(o.get_bool("motion_add_scale1")),
        add_uv_(o.get_bool("motion_add_uv")),
        fps_weight_(o.get_double("motion_fps_weight")),
        blend_factor_(o.get_double("motion_blend_factor")),
        blend_offset_(o.get_double("motion_blend_offset")),
        max_val_(o.get_double("motion_max_val")) {
    const int size = o.get_int("motion_filter_size");
    if (size == 1) {
      filt_ = kernels::kMotionFilterNoOp;
    } else if (size == 3) {
      filt_ = kernels::kMotionFilter3;
      taps_ = 3;
    }
  }

  Result<void> init(const VideoInfo& v) override {
    if (add_scale1_ && static_cast<int>(v.width * 0.5 + 0.5) > kBilinearMaxWidth)
      return Error(Errc::kUnsupported,
                   "float_motion with motion_add_scale1 needs a half width <= " +
                       std::to_string(kBilinearMaxWidth) + ", input is " + std::to_string(v.width) +
                       "x" + std::to_string(v.height));
    if (add_uv_ && v.chroma == Chroma::k400)
      return Error(Errc::kUnsupported,
                   "float_motion with motion_add_uv needs chroma planes, input is " + v.describe());
    bpc_ = v.bit_depth;
    return {};
  }

  int history() const override { return 1; }
  int lookahead() const override { return 1; }
  int scratch_count() const override { return 1; }

  void extract(FrameCtx& f, FeatureRow& row) override {
    if (force_zero_) {
      row.set(kMotion2Id, 0.);
      row.set(kMotion3Id, 0.);
      row.set(kMotionId, 0.);
      return;
    }
    if (f.index() == 0) {
      row.set(kMotion2Id, 0.);
      row.set(kMotionId, 0.);
      row.scratch(0) = std::bit_cast<uint64_t>(0.);
      return;
    }
    FrameCtx& prev = *f.prev();
    double score = plane_score(prev, f, 0);
    if (add_uv_) {
      score += plane_score(prev, f, 1);
      score += plane_score(prev, f, 2);
    }
    row.set(kMotionId, clip(score * fps_weight_));
    row.scratch(0) = std::bit_cast<uint64_t>(score);
  }

  void sequence(int64_t n, RowWindow& rows) override {
    if (force_zero_ || n == 0) return;
    const double score = m(rows, n);
    FeatureRow r = rows.row(n - 1);
    if (n == 1) {
      r.set(kMotion3Id, clip(blend(score * fps_weight_)));
      return;
    }
    const double prev_score = m(rows, n - 1);
    const double score2 = prev_score < score ? prev_score : score;
    r.set(kMotion2Id, clip(score2 * fps_weight_));
    r.set(kMotion3Id, clip(blend(score2 * fps_weight_)));
  }

  void flush(int64_t last, RowWindow& rows) override {
    if (force_zero_) return;
    FeatureRow r = rows.row(last);
    if (last == 0) {
      r.set(kMotion3Id, 0.);
      return;
    }
    const double score = m(rows, last);
    r.set(kMotion2Id, clip(score * fps_weight_));
    r.set(kMotion3Id, clip(blend(score * fps_weight_)));
  }

 private:
  static double m(RowWindow& rows, int64_t i) {
    return std::bit_cast<double>(rows.row(i).scratch(0));
  }
  double clip(double v) const { return v < max_val_ ? v : max_val_; }
  double blend(double v) const { return kernels::motion_blend(v, blend_factor_, blend_offset_); }

  // libvmaf compute_motion(): float mean |a - b| of the blurs (+ the half-size blurs). The
  // default path blurs both frames band by band without storing them; scale 1 needs the whole
  // blurred planes for the bilinear downscale.
  double plane_score(FrameCtx& prev, FrameCtx& cur, int plane) {
    const CPlaneU16 a = prev.ref().plane(plane);
    const CPlaneU16 b = cur.ref().plane(plane);
    if (!add_scale1_) return kernels::motion_blur_mean_abs_diff(a, b, bpc_, filt_, taps_);
    ImageF blur_a = pool_.acquire(), blur_b = pool_.acquire();
    ImageF half_a = pool_.acquire(), half_b = pool_.acquire();
    kernels::motion_blur_plane(a, bpc_, filt_, taps_, blur_a);
    kernels::motion_blur_plane(b, bpc_, filt_, taps_, blur_b);
    const int hw = static_cast<int>(a.width * 0.5 + 0.5);
    const int hh = static_cast<int>(a.height * 0.5 + 0.5);
    kernels::motion_scale_bilinear(blur_a, hw, hh, half_a);
    kernels::motion_scale_bilinear(blur_b, hw, hh, half_b);
    float s = kernels::motion_mean_abs_diff(blur_a, blur_b);
    s += kernels::motion_mean_abs_diff(half_a, half_b);
    for (ImageF* img : {&blur_a, &blur_b, &half_a, &half_b}) pool_.release(std::move(*img));
    return s;
  }

  bool force_zero_;
  bool add_scale1_;
  bool add_uv_;
  double fps_weight_;
  double blend_factor_;
  double blend_offset_;
  double max_val_;
  const float* filt_ = kernels::kMotionFilter5;
  int taps_ = 5;
  int bpc_ = 8;
  PlanePool pool_;
};

}  // namespace

extern const ExtractorInfo kFloatMotionInfo{
    Ext::kFloatMotion, "float_motion",
    "float temporal information of the reference (libvmaf float_motion: motion, motion2, motion3)",
    kFloatMotionOptions, [](const Options& o) -> std::unique_ptr<Extractor> {
      return std::make_unique<FloatMotion>(o);
    }};

}  // namespace vqfuse::features
