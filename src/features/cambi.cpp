// cambi: Netflix's Contrast Aware Multiscale Banding Index, a no-reference banding score of the
// distorted luma (optionally also of the reference: full_ref).
//
// Paper: P. Tandon, M. Afonso, J. Sole, L. Krasula, "CAMBI: Contrast-aware Multiscale Banding
// Index", PCS 2021. Behavioural reference: Netflix/vmaf f85a853 libvmaf/src/feature/cambi.c
// (+ luminance_tools.c for the BT.1886 / PQ visibility model).
//
// Per picture: convert to 10 bit (8-bit input << 2 and, for encodes below 10 bit, a 2x2
// anti-dithering average), resample to enc_width x enc_height when that is smaller (libvmaf's
// float nearest-neighbour positions), build the spatial mask (7x7 count of pixels equal to their
// right and lower neighbours above a size-dependent threshold), then for 5 scales (each a 2x
// decimation of the previous mode-filtered picture): 3x3 separable mode filter, c-value per
// masked pixel = max over contrast steps d of w_d * p0 * p_d / (p0 + p_d), where p0 and p_d count
// pixels of the pixel's value and of value +-d in a window x window neighbourhood, and the top-k
// mean of the c-values. The score is the 16/8/4/2/1 weighted sum over scales divided by the window
// area, clipped to cambi_max_val.
//
// Implementation (kernels/cambi_pipeline.cpp): libvmaf keeps a histogram per (value, column) and
// adds every entering or leaving masked pixel to a window-wide column range. vqfuse keys each
// pixel once (value - band base, or none), cancels a pixel entering and one leaving the window in
// the same column with the same key, and adds whole runs of equal keys as one trapezoid (flat
// regions, where banding lives, come in long runs). The histograms cover one column strip at a
// time (about 384 KiB, so they stay in L2). c-values of a vector of pixels sharing a key use
// contiguous histogram loads; vectors with a few keys take one masked pass per key, others
// gathers. Pooling keeps only the non-zero c-values. All of it is integer or exactly rounded
// float arithmetic: identical on every SIMD target and thread count.
//
// Deviations:
// - Top-k pooling sums the selected c-values exactly (they are multiples of 2^-25) instead of in
//   the order libvmaf's quick-select leaves them; only libvmaf's own double rounding differs
//   (identical on every golden pair).
// - libvmaf reads outside the picture when a scale is narrower than half the window or shorter
//   than half the window + 1 (extreme aspect ratios only); vqfuse clips the window there.
// - heatmaps_path is refused (libvmaf writes 16-bit heatmap files).
// - With full_ref=true and options that change names, libvmaf prints cambi_source and
//   cambi_full_reference without the option suffix; the engine suffixes every name of an instance.
// - cambi_vis_lum_threshold above the luminance of the range head makes libvmaf loop forever;
//   vqfuse then treats every sample as invisible.
// Size limits: max(width, height) >= 216 (CAMBI_MIN_WIDTH_HEIGHT) at the processing size, and an
// adjusted window of at most 65 (libvmaf's reciprocal table): the default window fails above
// 4K (width + height > 6092).
#include <algorithm>
#include <mutex>

#include "features/extractor.hpp"
#include "features/kernels/cambi_pipeline.hpp"

namespace vqfuse::features {
namespace {

namespace cb = kernels::cambi;

constexpr int kMinWidthHeight = 216;
constexpr double kDefaultTopk = 0.6;
constexpr int kMaxWindow = 65;  // window^2 must index libvmaf's 4226-entry reciprocal table

// clang-format off
constexpr OptionInfo kCambiOptions[] = {
    {"cambi_max_val", OptType::kDouble, 1000.0, {}, 0.0, 1000.0,
     "maximum value allowed; larger values are clipped to it", true, "cmxv"},
    {"enc_width", OptType::kInt, 0, {}, 180, 7680, "encoding width (0: input width)", true, "encw"},
    {"enc_height", OptType::kInt, 0, {}, 150, 7680, "encoding height (0: input height)", true,
     "ench"},
    {"enc_bitdepth", OptType::kInt, 0, {}, 6, 16, "encoding bit depth (0: input bit depth)", true,
     "encbd"},
    {"src_width", OptType::kInt, 0, {}, 320, 7680, "source width (full_ref only)", true, "srcw"},
    {"src_height", OptType::kInt, 0, {}, 200, 4320, "source height (full_ref only)", true, "srch"},
    {"window_size", OptType::kInt, 65, {}, 15, 127,
     "window size to compute CAMBI: 65 corresponds to ~1 degree at 4k", true, "ws"},
    {"topk", OptType::kDouble, kDefaultTopk, {}, 0.0001, 1.0,
     "ratio of pixels for the spatial pooling, 0 < topk <= 1", true},
    {"cambi_topk", OptType::kDouble, kDefaultTopk, {}, 0.0001, 1.0,
     "ratio of pixels for the spatial pooling (topk takes precedence when not default)", true,
     "ctpk"},
    {"tvi_threshold", OptType::kDouble, 0.019, {}, 0.0001, 1.0,
     "visibility threshold for luminance: dL < tvi_threshold * L_mean", true, "tvit"},
    {"cambi_vis_lum_threshold", OptType::kDouble, 0.0, {}, 0.0, 300.0,
     "luminance below which banding is assumed invisible", true, "vlt"},
    {"max_log_contrast", OptType::kInt, 2, {}, 0, 5,
     "maximum contrast in log luma levels (2^max_log_contrast) at 10 bit", true, "mlc"},
    {"heatmaps_path", OptType::kString, 0, "", -1e300, 1e300,
     "directory for heatmaps (not supported by vqfuse)"},
    {"full_ref", OptType::kBool, 0, {}, 0, 1,
     "also score the reference: cambi_source and cambi_full_reference"},
    {"eotf", OptType::kString, 0, "bt1886", -1e300, 1e300,
     "EOTF of the visibility thresholds: bt1886 or pq", true},
    {"cambi_eotf", OptType::kString, 0, "bt1886", -1e300, 1e300,
     "EOTF (takes precedence over eotf when not default)", true, "ceot"},
    {"cambi_high_res_speedup", OptType::kInt, 0, {}, 0, 2160,
     "downscale after the spatial mask from this resolution on: 1080, 1440, 2160 or 0 (off)", true,
     "hrs"},
};
// clang-format on

constexpr FeatureId kCambiId = feature_id("cambi");
constexpr FeatureId kSourceId = feature_id("cambi_source");
constexpr FeatureId kFullRefId = feature_id("cambi_full_reference");

class Cambi final : public Extractor {
 public:
  explicit Cambi(const Options& o)
      : max_val_(o.get_double("cambi_max_val")),
        enc_w_(o.get_int("enc_width")),
        enc_h_(o.get_int("enc_height")),
        enc_bd_(o.get_int("enc_bitdepth")),
        src_w_(o.get_int("src_width")),
        src_h_(o.get_int("src_height")),
        window_(o.get_int("window_size")),
        tvi_(o.get_double("tvi_threshold")),
        vlt_(o.get_double("cambi_vis_lum_threshold")),
        mlc_(o.get_int("max_log_contrast")),
        heatmaps_(o.get_string("heatmaps_path")),
        full_ref_(o.get_bool("full_ref")),
        speedup_(o.get_int("cambi_high_res_speedup")) {
    // Non-default topk wins, else cambi_topk; likewise cambi_eotf over eotf (libvmaf).
    const double topk = o.get_double("topk");
    topk_ = topk != kDefaultTopk ? topk : o.get_double("cambi_topk");
    const std::string& ceotf = o.get_string("cambi_eotf");
    eotf_ = ceotf != "bt1886" ? ceotf : o.get_string("eotf");
  }

  Result<void> init(const VideoInfo& v) override {
    if (!heatmaps_.empty())
      return Error(Errc::kUnsupported, "cambi: heatmaps_path is not supported by vqfuse");
    if (eotf_ != "bt1886" && eotf_ != "pq")
      return Error(Errc::kInvalidArgument, "cambi: unknown eotf '" + eotf_ + "' (bt1886 or pq)");
    const int w = v.width, h = v.height;
    const std::string input = std::to_string(w) + "x" + std::to_string(h);
    const int enc_bd = enc_bd_ ? enc_bd_ : v.bit_depth;
    int ew = enc_w_, eh = enc_h_, sw = src_w_, sh = src_h_;
    if (!ew || !eh) ew = w, eh = h;
    if (!sw || !sh) sw = w, sh = h;
    // A downscaled encode is not upscaled back to the encoding resolution.
    if (eh > h || ew > w) ew = w, eh = h;
    auto size = [](int a, int b) { return std::to_string(a) + "x" + std::to_string(b); };
    if (ew < kMinWidthHeight && eh < kMinWidthHeight)
      return Error(Errc::kUnsupported,
                   "cambi needs max(width, height) >= " + std::to_string(kMinWidthHeight) +
                       ", input is " + input +
                       (ew != w || eh != h ? " (encode " + size(ew, eh) + ")" : ""));
    if (sw < kMinWidthHeight && sh < kMinWidthHeight)
      return Error(Errc::kUnsupported,
                   "cambi needs max(src_width, src_height) >= " + std::to_string(kMinWidthHeight) +
                       ", source is " + size(sw, sh) + ", input is " + input);
    if ((sw > ew && sh < eh) || (sw < ew && sh > eh))
      return Error(Errc::kInvalidArgument, "cambi: source " + size(sw, sh) + " and encode " +
                                               size(ew, eh) + " differ in orientation");
    const int64_t enc_pix = int64_t{ew} * eh;
    bool speedup = false;
    if (speedup_ == 1080) speedup = enc_pix >= 1920 * 1080;
    if (speedup_ == 1440) speedup = enc_pix >= 2560 * 1440;
    if (speedup_ == 2160) speedup = enc_pix >= 3840 * 2160;
    const int enc_window = cb::adjusted_window(window_, ew, eh, speedup);
    const int src_window = cb::adjusted_window(window_, sw, sh, speedup);
    if (std::max(enc_window, src_window) > kMaxWindow)
      return Error(Errc::kUnsupported, "cambi: window_size " + std::to_string(window_) +
                                           " adjusts to " +
                                           std::to_string(std::max(enc_window, src_window)) +
                                           " at " + input + ", above libvmaf's limit of " +
                                           std::to_string(kMaxWindow) + " (lower window_size)");
    const int num_diffs = 1 << mlc_;
    const cb::Thresholds th = cb::visibility_thresholds(num_diffs, tvi_, vlt_, eotf_);
    dis_ = cb::make_setup(ew, eh, enc_window, speedup, enc_bd < 10, topk_, num_diffs, th);
    src_ = cb::make_setup(sw, sh, src_window, speedup, enc_bd < 10, topk_, num_diffs, th);
    bpc_ = v.bit_depth;
    return {};
  }

  bool writes(FeatureId id) const override {
    return full_ref_ || (id != kSourceId && id != kFullRefId);
  }

  void extract(FrameCtx& f, FeatureRow& row) override {
    std::unique_ptr<cb::Workspace> ws = acquire();
    const double dis = cb::picture_score(dis_, f.dis().plane(0), bpc_, *ws).score;
    row.set(kCambiId, std::min(dis, max_val_));
    if (full_ref_) {
      const double src = cb::picture_score(src_, f.ref().plane(0), bpc_, *ws).score;
      row.set(kSourceId, std::min(src, max_val_));
      row.set(kFullRefId, std::min(std::max(0.0, dis - src), max_val_));
    }
    release(std::move(ws));
  }

 private:
  // Buffers are reused across frames; frames run concurrently, so each call takes its own.
  std::unique_ptr<cb::Workspace> acquire() {
    std::lock_guard lock(mu_);
    if (pool_.empty()) return std::make_unique<cb::Workspace>();
    auto ws = std::move(pool_.back());
    pool_.pop_back();
    return ws;
  }
  void release(std::unique_ptr<cb::Workspace> ws) {
    std::lock_guard lock(mu_);
    pool_.push_back(std::move(ws));
  }

  double max_val_;
  int enc_w_, enc_h_, enc_bd_, src_w_, src_h_, window_;
  double tvi_, vlt_;
  int mlc_;
  std::string heatmaps_;
  bool full_ref_;
  int speedup_;
  double topk_ = kDefaultTopk;
  std::string eotf_;
  int bpc_ = 8;
  cb::Setup dis_, src_;
  std::mutex mu_;
  std::vector<std::unique_ptr<cb::Workspace>> pool_;
};

}  // namespace

extern const ExtractorInfo kCambiInfo{
    Ext::kCambi, "cambi", "CAMBI banding index of the distorted luma (no-reference)", kCambiOptions,
    [](const Options& o) -> std::unique_ptr<Extractor> { return std::make_unique<Cambi>(o); }};

}  // namespace vqfuse::features
