// psnr: integer PSNR of Y, Cb and Cr, and float_psnr (luma on libvmaf's 8-bit float scale).
//
// Behavioural reference: Netflix/vmaf f85a853 libvmaf/src/feature/integer_psnr.c and
// float_psnr.c + psnr.c. Both are the classic 10*log10(peak^2/MSE):
//  - psnr: peak = 2^bpc - 1 (reduced_hbd_peak: 255 << (bpc-8)); the result is capped at
//    psnr_max = 6*bpc + 12 (with min_sse > 0: ceil(10*log10(peak^2 / (min_sse / n_pixels))),
//    where libvmaf counts chroma pixels as floor(w/2)*floor(h/2); kept for compatibility);
//    MSE is floored at 1e-16. enable_apsnr pools SSE over the whole run into
//    aggregate_metrics.apsnr_*, capped at ceil(10*log10(peak^2 * n_pixels * 2)).
//  - float_psnr: luma converted as libvmaf's picture_copy (v / 2^(bpc-8)), peak 255,
//    255.75, 255.9375, 255.99609375 for 8/10/12/16 bit, cap 60/72/84/108 dB, MSE floor 1e-10.
// Deviation: both share one exact integer SSE per plane (kPlaneSse). For bpc <= 12 the float
// SSE libvmaf sums equals SSE / 4^(bpc-8) exactly (every term is a small dyadic rational), so
// float_psnr is bit-identical; at 16 bit libvmaf rounds each float square and vqfuse does the
// same in a separate loop.
// Chroma of odd sizes is the true ceil(w/2) x ceil(h/2) plane (libvmaf reads floor-size chroma).
#include <cmath>
#include <limits>

#include "features/extractor.hpp"
#include "features/kernels/sse.hpp"

namespace vqfuse::features {
namespace {

struct PlaneSse {
  uint64_t sse[3] = {0, 0, 0};
};

PlaneSse build_plane_sse(FrameCtx& f) {
  PlaneSse out;
  for (int p = 0; p < f.info().plane_count(); ++p) {
    const CPlaneU16 r = f.ref().plane(p);
    const CPlaneU16 d = f.dis().plane(p);
    uint64_t s = 0;
    for (int y = 0; y < r.height; ++y) s += kernels::sse_u16(r.row(y), d.row(y), r.width);
    out.sse[p] = s;
  }
  return out;
}

const Intermediate<PlaneSse> kPlaneSse("plane_sse", build_plane_sse);

constexpr FeatureId kPsnrId[3] = {feature_id("psnr_y"), feature_id("psnr_cb"), feature_id("psnr_cr")};
constexpr FeatureId kMseId[3] = {feature_id("mse_y"), feature_id("mse_cb"), feature_id("mse_cr")};
constexpr FeatureId kApsnrId[3] = {feature_id("apsnr_y"), feature_id("apsnr_cb"),
                                   feature_id("apsnr_cr")};

constexpr OptionInfo kPsnrOptions[] = {
    {"enable_chroma", OptType::kBool, 1, {}, 0, 1, "compute psnr_cb and psnr_cr"},
    {"enable_mse", OptType::kBool, 0, {}, 0, 1, "also write mse_y/cb/cr"},
    {"enable_apsnr", OptType::kBool, 0, {}, 0, 1, "aggregate PSNR over the run (apsnr_*)"},
    {"reduced_hbd_peak", OptType::kBool, 0, {}, 0, 1,
     "peak 255 << (bpc-8) instead of 2^bpc - 1 for high bit depth"},
    {"min_sse", OptType::kDouble, 0, {}, 0, 1.7976931348623157e308,
     "constrain the minimum possible SSE (sets the PSNR cap)"},
};

class Psnr final : public Extractor {
 public:
  explicit Psnr(const Options& o)
      : chroma_(o.get_bool("enable_chroma")),
        apsnr_(o.get_bool("enable_apsnr")),
        reduced_peak_(o.get_bool("reduced_hbd_peak")),
        min_sse_(o.get_double("min_sse")) {}

  Result<void> init(const VideoInfo& v) override {
    const int bpc = v.bit_depth;
    peak_ = reduced_peak_ ? (255u << (bpc - 8)) : ((1u << bpc) - 1);
    if (v.chroma == Chroma::k400) chroma_ = false;
    planes_ = chroma_ ? 3 : 1;
    const bool ss_hor = v.chroma != Chroma::k444;
    const bool ss_ver = v.chroma == Chroma::k420;
    for (int p = 0; p < 3; ++p) {
      if (min_sse_ != 0.0) {
        // libvmaf counts chroma as floor(w/2) x floor(h/2) here.
        const double n = static_cast<double>((p && ss_hor) ? v.width / 2 : v.width) *
                         ((p && ss_ver) ? v.height / 2 : v.height);
        const double mse = min_sse_ / n;
        psnr_max_[p] = std::ceil(10. * std::log10(static_cast<double>(peak_ * peak_) / mse));
      } else {
        psnr_max_[p] = 6.0 * bpc + 12;
      }
      n_pixels_[p] = static_cast<uint64_t>(v.plane_width(p)) * v.plane_height(p);
    }
    return {};
  }

  bool writes(FeatureId id) const override {
    for (int p = planes_; p < 3; ++p)
      if (id == kPsnrId[p] || id == kMseId[p] || id == kApsnrId[p]) return false;
    return true;
  }

  std::vector<const IntermediateBase*> needs() const override { return {&kPlaneSse}; }
  int scratch_count() const override { return 3; }

  void extract(FrameCtx& f, FeatureRow& row) override {
    const PlaneSse& s = f.get(kPlaneSse);
    const double peak_sq = static_cast<double>(peak_ * peak_);  // uint32 product, as libvmaf
    for (int p = 0; p < planes_; ++p) {
      const double mse = static_cast<double>(s.sse[p]) / static_cast<double>(n_pixels_[p]);
      const double psnr = std::min(10. * std::log10(peak_sq / std::max(mse, 1e-16)), psnr_max_[p]);
      row.set(kPsnrId[p], psnr);
      row.set(kMseId[p], mse);
      row.scratch(p) = s.sse[p];
    }
  }

  // Run-level SSE is summed in frame order (exact: integers).
  void sequence(int64_t n, RowWindow& rows) override {
    if (!apsnr_) return;
    FeatureRow r = rows.row(n);
    for (int p = 0; p < planes_; ++p) {
      total_sse_[p] += r.scratch(p);
      total_pixels_[p] += n_pixels_[p];
    }
  }
  void aggregate(AggregateSink& out) override {
    if (!apsnr_) return;
    const double peak_sq = static_cast<double>(peak_ * peak_);
    for (int p = 0; p < planes_; ++p) {
      const double apsnr = 10 * (std::log10(peak_sq) + std::log10(static_cast<double>(total_pixels_[p])) -
                                 std::log10(static_cast<double>(total_sse_[p])));
      const double cap = std::ceil(
          10 * std::log10(static_cast<double>(uint64_t{peak_ * peak_} * total_pixels_[p] * 2)));
      out.set(kApsnrId[p], std::min(apsnr, cap));
    }
  }

 private:
  bool chroma_;
  bool apsnr_;
  bool reduced_peak_;
  double min_sse_;
  uint32_t peak_ = 255;
  int planes_ = 3;
  double psnr_max_[3] = {};
  uint64_t n_pixels_[3] = {};
  uint64_t total_sse_[3] = {};
  uint64_t total_pixels_[3] = {};
};

class FloatPsnr final : public Extractor {
 public:
  Result<void> init(const VideoInfo& v) override {
    bpc_ = v.bit_depth;
    switch (bpc_) {
      case 8: peak_ = 255.0; psnr_max_ = 60.0; break;
      case 10: peak_ = 255.75; psnr_max_ = 72.0; break;
      case 12: peak_ = 255.9375; psnr_max_ = 84.0; break;
      default: peak_ = 255.99609375; psnr_max_ = 108.0; break;
    }
    return {};
  }
  std::vector<const IntermediateBase*> needs() const override {
    if (bpc_ == 16) return {};
    return {&kPlaneSse};
  }

  void extract(FrameCtx& f, FeatureRow& row) override {
    double noise;
    if (bpc_ <= 12) {
      const double scale = static_cast<double>(1u << (2 * (bpc_ - 8)));
      noise = static_cast<double>(f.get(kPlaneSse).sse[0]) / scale;
    } else {
      noise = float_sse_16bit(f.ref().plane(0), f.dis().plane(0));
    }
    const CPlaneU16 r = f.ref().plane(0);
    noise /= static_cast<double>(r.width * r.height);  // int product, as libvmaf
    const double score = std::min(10 * std::log10(peak_ * peak_ / std::max(noise, 1e-10)), psnr_max_);
    row.set(feature_id("float_psnr"), score);
  }

 private:
  // libvmaf's loop at 16 bit: squares rounded to float, summed in double in raster order.
  static double float_sse_16bit(CPlaneU16 r, CPlaneU16 d) {
    double noise = 0;
    for (int y = 0; y < r.height; ++y) {
      const uint16_t* a = r.row(y);
      const uint16_t* b = d.row(y);
      for (int x = 0; x < r.width; ++x) {
        const float diff = static_cast<float>(a[x]) / 256.0f - static_cast<float>(b[x]) / 256.0f;
        noise += diff * diff;
      }
    }
    return noise;
  }

  int bpc_ = 8;
  double peak_ = 255.0;
  double psnr_max_ = 60.0;
};

}  // namespace

extern const ExtractorInfo kPsnrInfo{
    Ext::kPsnr, "psnr", "PSNR of Y, Cb, Cr on integer samples (peak 2^bpc-1)", kPsnrOptions,
    [](const Options& o) -> std::unique_ptr<Extractor> { return std::make_unique<Psnr>(o); }};

extern const ExtractorInfo kFloatPsnrInfo{
    Ext::kFloatPsnr, "float_psnr", "luma PSNR on libvmaf's 8-bit float scale", {},
    [](const Options&) -> std::unique_ptr<Extractor> { return std::make_unique<FloatPsnr>(); }};

}  // namespace vqfuse::features
