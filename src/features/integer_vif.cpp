// vif: integer (fixed-point) Visual Information Fidelity of luma at four scales.
//
// Paper: H. R. Sheikh and A. C. Bovik, "Image information and visual quality", IEEE TIP 15(2),
// 2006 (pixel-domain VIF). Behavioural reference: Netflix/vmaf f85a853
// libvmaf/src/feature/integer_vif.c (+ integer_vif.h); its x86 AVX2/AVX-512 paths give the same
// numbers as its C path, which this file reproduces bit for bit:
//  - scale s filters luma with a 17/9/5/3-tap fixed-point Gaussian (coefficients sum to 2^16),
//    vertical then horizontal, mirrored edges (reflect-101), with libvmaf's rounding shifts
//    (means to 16 bits, second moments to 32 bits); scale s+1 is the next filter applied to
//    scale s and decimated by 2 in both directions (floor sizes);
//  - per pixel sigma1_sq, sigma2_sq, sigma12 in Q16 (sigma_nsq = 2 in 8-bit units is 2^17);
//    where sigma1_sq >= sigma_nsq the numerator and denominator are log2 terms from libvmaf's
//    Q11 table of round(2048 * log2f(i)), i in [2^15, 2^16); elsewhere the numerator is
//    1 - sigma2_sq / 255^2 and the denominator 1;
//  - num and den of each scale are float (as libvmaf's VifScore), the score is the float
//    quotient; integer_vif = sum(num) / sum(den) in double (1 when the den sum is 0).
// Options: debug, vif_enhn_gain_limit (egl), vif_skip_scale0 (ssclz: scale 0 is not computed,
// integer_vif_scale0 = 0, integer_vif_num_scale0 = 0, integer_vif_den_scale0 = -1).
// Deviations: the pooled sums are exact integers, so the row bands computed in parallel give the
// same result for any thread count and SIMD target. 4:2:x chroma is not read (luma only).
// Size limit: width and height >= 16 (below that libvmaf's mirrored borders read outside the
// image at scale 3); any bit depth 8..16.
#include <algorithm>
#include <memory>
#include <mutex>
#include <vector>

#include "core/image.hpp"
#include "core/parallel.hpp"
#include "features/extractor.hpp"
#include "features/kernels/vif_int.hpp"

namespace vqfuse::features {
namespace {

using kernels::VifIntSums;

constexpr int kMinSize = 16;

constexpr OptionInfo kVifOptions[] = {
    {"debug", OptType::kBool, 0, {}, 0, 1,
     "also write integer_vif, integer_vif_num/_den and per-scale num/den"},
    {"vif_enhn_gain_limit", OptType::kDouble, 100, {}, 1, 100,
     "enhancement gain imposed on vif, >= 1 (1 disables the gain)", true, "egl"},
    {"vif_skip_scale0", OptType::kBool, 0, {}, 0, 1, "skip the scale 0 computation", true,
     "ssclz"},
};

constexpr FeatureId kScaleId[4] = {feature_id("integer_vif_scale0"), feature_id("integer_vif_scale1"),
                                   feature_id("integer_vif_scale2"), feature_id("integer_vif_scale3")};
constexpr FeatureId kNumId[4] = {feature_id("integer_vif_num_scale0"),
                                 feature_id("integer_vif_num_scale1"),
                                 feature_id("integer_vif_num_scale2"),
                                 feature_id("integer_vif_num_scale3")};
constexpr FeatureId kDenId[4] = {feature_id("integer_vif_den_scale0"),
                                 feature_id("integer_vif_den_scale1"),
                                 feature_id("integer_vif_den_scale2"),
                                 feature_id("integer_vif_den_scale3")};

int mirror(int y, int n) { return y < 0 ? -y : (y >= n ? 2 * n - y - 2 : y); }

// Row pointers of rows first .. first + count - 1 of a plane, mirrored into [0, h).
void mirrored_rows(CPlaneU16 p, int first, int count, std::vector<const uint16_t*>& out) {
  out.resize(count);
  for (int i = 0; i < count; ++i) out[i] = p.row(mirror(first + i, p.height));
}

// Decimated planes of scales 1..3, reused across frames (extract() runs concurrently, so each
// call takes its own set from the pool).
struct ScaleBuffers {
  Image<uint16_t> ref[3];
  Image<uint16_t> dis[3];
};

class BufferPool {
 public:
  std::unique_ptr<ScaleBuffers> acquire() {
    std::lock_guard lock(mu_);
    if (free_.empty()) return std::make_unique<ScaleBuffers>();
    auto b = std::move(free_.back());
    free_.pop_back();
    return b;
  }
  void release(std::unique_ptr<ScaleBuffers> b) {
    std::lock_guard lock(mu_);
    free_.push_back(std::move(b));
  }

 private:
  std::mutex mu_;
  std::vector<std::unique_ptr<ScaleBuffers>> free_;
};

CPlaneU16 const_view(const Image<uint16_t>& im) {
  return {im.data(), im.stride(), im.width(), im.height()};
}

// One scale in row bands: the statistic of the band's rows (when `stats`) and the rows of
// scale + 1 that the band's rows produce (next filter, decimated), from the same rows.
VifIntSums scale_pass(CPlaneU16 ref, CPlaneU16 dis, int scale, int bpc, bool stats,
                      double gain_limit, Image<uint16_t>* next_ref, Image<uint16_t>* next_dis) {
  const int w = ref.width, h = ref.height;
  const kernels::VifIntFilter filter = kernels::vif_int_filter(scale);
  const kernels::VifIntFilter next = kernels::vif_int_filter(scale + 1);
  const int r_stats = stats ? filter.taps / 2 : 0;
  const int r_dec = next_ref ? next.taps / 2 : 0;
  const int reach = std::max(r_stats, r_dec);
  if (next_ref && (next_ref->width() != w / 2 || next_ref->height() != h / 2)) {
    next_ref->reset(w / 2, h / 2);
    next_dis->reset(w / 2, h / 2);
  }
  std::vector<VifIntSums> parts(tile_count(h));
  for_each_tile(h, kTileRows, [&](int t, int y0, int y1) {
    std::vector<const uint16_t*> rr, dr;
    mirrored_rows(ref, y0 - reach, y1 - y0 + 2 * reach, rr);
    mirrored_rows(dis, y0 - reach, y1 - y0 + 2 * reach, dr);
    if (stats) {
      kernels::VifIntStatsArgs a{rr.data() + reach - r_stats, dr.data() + reach - r_stats};
      a.n_rows = y1 - y0;
      a.width = w;
      a.filter = filter;
      a.mu_shift = scale == 0 ? bpc : 16;
      a.sq_shift = scale == 0 ? 2 * (bpc - 8) : 16;
      a.gain_limit = gain_limit;
      parts[t] = kernels::vif_int_stats(a);
    }
    // Decimated rows whose centre row 2i lies in [y0, y1).
    const int i0 = (y0 + 1) / 2, i1 = std::min((y1 + 1) / 2, h / 2);
    if (next_ref && i1 > i0) {
      const int first = 2 * i0 - r_dec - (y0 - reach);
      kernels::VifIntDecimateArgs d{rr.data() + first, dr.data() + first};
      d.n_out = i1 - i0;
      d.width = w;
      d.filter = next;
      d.v_shift = scale == 0 ? bpc : 16;
      d.ref_out = next_ref->row(i0);
      d.dis_out = next_dis->row(i0);
      d.out_stride = next_ref->stride();
      kernels::vif_int_decimate(d);
    }
  });
  VifIntSums s;
  for (const VifIntSums& p : parts) s += p;  // exact integers: any order
  return s;
}

class IntegerVif final : public Extractor {
 public:
  explicit IntegerVif(const Options& o)
      : gain_limit_(o.get_double("vif_enhn_gain_limit")), skip_scale0_(o.get_bool("vif_skip_scale0")) {}

  Result<void> init(const VideoInfo& v) override {
    if (v.width < kMinSize || v.height < kMinSize)
      return Error(Errc::kUnsupported, "vif needs width and height >= " + std::to_string(kMinSize) +
                                           " (4 scales of 17/9/5/3-tap filters), input is " +
                                           std::to_string(v.width) + "x" + std::to_string(v.height));
    bpc_ = v.bit_depth;
    return {};
  }

  void extract(FrameCtx& f, FeatureRow& row) override {
    std::unique_ptr<ScaleBuffers> buf = pool_.acquire();
    float num[4] = {}, den[4] = {};
    CPlaneU16 ref = f.ref().plane(0), dis = f.dis().plane(0);
    const int start = skip_scale0_ ? 1 : 0;
    for (int scale = 0; scale < 4; ++scale) {
      Image<uint16_t>* next_ref = scale < 3 ? &buf->ref[scale] : nullptr;
      Image<uint16_t>* next_dis = scale < 3 ? &buf->dis[scale] : nullptr;
      const VifIntSums s =
          scale_pass(ref, dis, scale, bpc_, scale >= start, gain_limit_, next_ref, next_dis);
      if (scale >= start) {
        // libvmaf: Q11 log sums plus the non-log terms (sigma2_sq in Q16 over 255^2), as float.
        num[scale] = static_cast<float>(
            s.num_log / 2048.0 + (s.den_non_log - (s.num_non_log / 16384.0) / 65025.0));
        den[scale] = static_cast<float>(s.den_log / 2048.0 + s.den_non_log);
      }
      if (scale < 3) {
        ref = const_view(buf->ref[scale]);
        dis = const_view(buf->dis[scale]);
      }
    }
    pool_.release(std::move(buf));

    for (int scale = 0; scale < 4; ++scale) {
      const float score = scale < start ? 0.0f : num[scale] / den[scale];
      row.set(kScaleId[scale], score);
    }
    double score_num = 0, score_den = 0;
    for (int scale = start; scale < 4; ++scale) {
      score_num += num[scale];
      score_den += den[scale];
    }
    row.set(feature_id("integer_vif"), score_den == 0.0 ? 1.0 : score_num / score_den);
    row.set(feature_id("integer_vif_num"), score_num);
    row.set(feature_id("integer_vif_den"), score_den);
    for (int scale = 0; scale < 4; ++scale) {
      row.set(kNumId[scale], scale < start ? 0.0 : num[scale]);
      row.set(kDenId[scale], scale < start ? -1.0 : den[scale]);
    }
  }

 private:
  double gain_limit_;
  bool skip_scale0_;
  int bpc_ = 8;
  BufferPool pool_;
};

}  // namespace

extern const ExtractorInfo kIntegerVifInfo{
    Ext::kIntegerVif, "vif", "integer (fixed-point) VIF of luma at 4 scales", kVifOptions,
    [](const Options& o) -> std::unique_ptr<Extractor> { return std::make_unique<IntegerVif>(o); }};

}  // namespace vqfuse::features
