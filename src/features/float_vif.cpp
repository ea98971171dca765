// float_vif: floating-point Visual Information Fidelity of luma at four scales.
//
// Paper: H. R. Sheikh and A. C. Bovik, "Image information and visual quality", IEEE TIP 15(2),
// 2006. Behavioural reference: Netflix/vmaf f85a853 libvmaf/src/feature/float_vif.c, vif.c
// (compute_vif) and vif_tools.c; its AVX convolution gives the same bits as its C loops, and
// vqfuse reproduces both:
//  - luma as float minus 128 (picture_copy offset -128, kLumaF32Minus128's recipe), optionally
//    resampled (vif_prescale, vif_prescale_method);
//  - scale s filters with a normalised Gaussian of 17/9/5/3 taps (times vif_kernelscale),
//    sigma = taps / 5, vertical then horizontal, mirrored edges; scale s+1 is scale s filtered
//    with scale s+1's filter and decimated by 2 (floor sizes);
//  - per pixel the "matching_matlab" statistic of vif_statistic_s with sigma_nsq = 2 and
//    libvmaf's polynomial log2 (VIF_OPT_FAST_LOG2), partly in double where libvmaf promotes;
//  - each row's terms are added in float in column order, the row sums in float in row order;
//    num and den of each scale are those floats, vif_scaleN = num / den in double,
//    vif = sum(num) / sum(den) (1 when the den sum is 0).
// Every filter tap and statistic is evaluated per pixel with libvmaf's operation order (SIMD
// only across columns) and the float sums keep libvmaf's order, so the result is bit-identical
// to libvmaf for any thread count and SIMD target (see kernels/vif_float.hpp).
// Options as libvmaf: debug, vif_enhn_gain_limit (egl), vif_kernelscale (ks, one of libvmaf's 21
// values), vif_prescale (ps), vif_prescale_method (pm), vif_sigma_nsq (snsq),
// vif_scale{1,2,3}_min_val (s1miv..), vif_skip_scale0 (ssclz: vif_scale0 = 0, num 0, den -1).
// Deviations: libvmaf's bilinear prescale refuses outputs wider than 7680 (a stack table); vqfuse
// has no such limit. Luma is converted per row band into a cache-resident buffer (the same
// numbers as kLumaF32Minus128, whose per-frame 16 MB planes cost more than this extractor's
// filters at 1080p), and each band computes scale s's statistic and scale s+1's decimated rows
// from the same rows.
// Size limit: at every scale the (prescaled, decimated) width and height must exceed the filter
// radius (16x16 with the default kernel); below that libvmaf reads outside the image.
#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <hwy/aligned_allocator.h>

#include "core/image.hpp"
#include "core/parallel.hpp"
#include "features/extractor.hpp"
#include "features/kernels/vif_float.hpp"
#include "features/kernels/vif_prescale.hpp"

namespace vqfuse::features {
namespace {

constexpr OptionInfo kFloatVifOptions[] = {
    {"debug", OptType::kBool, 0, {}, 0, 1, "also write vif, vif_num/_den and per-scale num/den"},
    {"vif_enhn_gain_limit", OptType::kDouble, 100, {}, 1, 100,
     "enhancement gain imposed on vif, >= 1 (1 disables the gain)", true, "egl"},
    {"vif_kernelscale", OptType::kDouble, 1, {}, 0.1, 4,
     "scale of the Gaussian kernels (2 doubles sigma and size)", true, "ks"},
    {"vif_prescale", OptType::kDouble, 1, {}, 0.1, 4, "resample the frame by this factor first",
     true, "ps"},
    {"vif_scale1_min_val", OptType::kDouble, 0, {}, 0, 1, "lower bound of vif_scale1", true,
     "s1miv"},
    {"vif_scale2_min_val", OptType::kDouble, 0, {}, 0, 1, "lower bound of vif_scale2", true,
     "s2miv"},
    {"vif_scale3_min_val", OptType::kDouble, 0, {}, 0, 1, "lower bound of vif_scale3", true,
     "s3miv"},
    {"vif_prescale_method", OptType::kString, 0, "nearest", 0, 0,
     "prescale method: nearest, bilinear, bicubic or lanczos4", true, "pm"},
    {"vif_sigma_nsq", OptType::kDouble, 2, {}, 0, 5, "neural noise variance", true, "snsq"},
    {"vif_skip_scale0", OptType::kBool, 0, {}, 0, 1, "skip the scale 0 computation", true,
     "ssclz"},
};

// libvmaf vif_tools.h valid_kernelscales (float literals).
constexpr float kValidKernelscales[] = {
    1.0f,        1.0f / 2.0f, 3.0f / 2.0f, 2.0f,         2.0f / 3.0f,  24.0f / 10.0f,
    360.0f / 97.0f, 4.0f / 3.0f, 3.5f / 3.0f, 3.75f / 3.0f, 4.25f / 3.0f, 5.0f / 3.0f,
    3.0f,        1.0f / 2.25f, 1.4746f,    1.54f,        1.6f,         1.06667f,
    0.711111f,   0.740740f,   1.111111f};

constexpr FeatureId kScaleId[4] = {feature_id("vif_scale0"), feature_id("vif_scale1"),
                                   feature_id("vif_scale2"), feature_id("vif_scale3")};
constexpr FeatureId kNumId[4] = {feature_id("vif_num_scale0"), feature_id("vif_num_scale1"),
                                 feature_id("vif_num_scale2"), feature_id("vif_num_scale3")};
constexpr FeatureId kDenId[4] = {feature_id("vif_den_scale0"), feature_id("vif_den_scale1"),
                                 feature_id("vif_den_scale2"), feature_id("vif_den_scale3")};

int mirror(int y, int n) { return y < 0 ? -y : (y >= n ? 2 * n - y - 2 : y); }

using CPlaneF = PlaneView<const float>;

CPlaneF const_view(const ImageF& im) { return {im.data(), im.stride(), im.width(), im.height()}; }

// The rows of one scale: float planes, or (scale 0) the frame's luma converted per band.
struct Source {
  CPlaneU16 ref16, dis16;  // used when `from_u16`
  CPlaneF ref, dis;
  bool from_u16 = false;
  int bpc = 8;
  int width() const { return from_u16 ? ref16.width : ref.width; }
  int height() const { return from_u16 ? ref16.height : ref.height; }
};

// libvmaf's picture_copy of one row with offset -128: (float)v / 2^(bpc-8) - 128.
void convert_row(const uint16_t* src, int w, int bpc, float* dst) {
  if (bpc == 8) {
    for (int x = 0; x < w; ++x) dst[x] = static_cast<float>(src[x]) + -128.0f;
  } else {
    const float scaler = static_cast<float>(1 << (bpc - 8));
    for (int x = 0; x < w; ++x) dst[x] = static_cast<float>(src[x]) / scaler + -128.0f;
  }
}

// Per-thread band of converted rows (tiles never nest, so one buffer per thread is safe).
float* band_buffer(size_t floats) {
  thread_local hwy::AlignedFreeUniquePtr<float[]> buf;
  thread_local size_t size = 0;
  if (size < floats) {
    buf = hwy::AllocateAligned<float>(floats);
    size = floats;
  }
  return buf.get();
}

// Per-call planes: the prescaled frame and scales 1..3 (extract() runs concurrently).
struct ScaleBuffers {
  ImageF conv_ref, conv_dis;  // whole converted frame, only for prescaling
  ImageF pre_ref, pre_dis;
  ImageF ref[3], dis[3];
  std::vector<float> num_rows, den_rows;
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

void ensure(ImageF& im, int w, int h) {
  if (im.width() != w || im.height() != h) im.reset(w, h);
}

class FloatVif final : public Extractor {
 public:
  explicit FloatVif(const Options& o)
      : gain_limit_(o.get_double("vif_enhn_gain_limit")),
        kernelscale_(o.get_double("vif_kernelscale")),
        prescale_(o.get_double("vif_prescale")),
        method_name_(o.get_string("vif_prescale_method")),
        sigma_nsq_(o.get_double("vif_sigma_nsq")),
        skip_scale0_(o.get_bool("vif_skip_scale0")) {
    min_val_[1] = o.get_double("vif_scale1_min_val");
    min_val_[2] = o.get_double("vif_scale2_min_val");
    min_val_[3] = o.get_double("vif_scale3_min_val");
  }

  Result<void> init(const VideoInfo& v) override {
    const float ks = static_cast<float>(kernelscale_);
    bool valid = false;
    for (float k : kValidKernelscales) valid = valid || std::fabs(ks - k) < 1e-3f;
    if (!valid)
      return Error(Errc::kInvalidArgument,
                   "invalid vif_kernelscale " + format_g(kernelscale_) +
                       " (libvmaf accepts 1, 0.5, 1.5, 2, 2/3, 2.4, 360/97, 4/3, 3.5/3, 3.75/3, "
                       "4.25/3, 5/3, 3, 1/2.25, 1.4746, 1.54, 1.6, 1.06667, 0.711111, 0.74074, "
                       "1.111111)");
    if (!kernels::vif_prescale_method(method_name_, method_))
      return Error(Errc::kInvalidArgument, "invalid vif_prescale_method '" + method_name_ +
                                               "' (nearest, bilinear, bicubic, lanczos4)");
    for (int s = 0; s < 4; ++s) {
      taps_[s] = kernels::vif_float_filter_size(s, ks);
      if (taps_[s] > kernels::kVifFloatMaxTaps)
        return Error(Errc::kUnsupported, "float_vif filter too large");
      filter_[s].resize(taps_[s]);
      kernels::vif_float_filter(s, ks, filter_[s].data());
    }
    bpc_ = v.bit_depth;
    scaled_w_ = static_cast<int>(v.width * prescale_ + 0.5);
    scaled_h_ = static_cast<int>(v.height * prescale_ + 0.5);
    prescaled_ = scaled_w_ != v.width || scaled_h_ != v.height;
    // Every filter must fit inside the plane it is mirrored on: (x >> s) >= r + 1 holds exactly
    // when x >= (r + 1) << s.
    int need = 1;
    for (int s = 0; s < 4; ++s) {
      const int r = taps_[s] / 2;
      if (s >= (skip_scale0_ ? 1 : 0)) need = std::max(need, (r + 1) << s);
      if (s > 0) need = std::max(need, (r + 1) << (s - 1));
    }
    if (scaled_w_ < need || scaled_h_ < need)
      return Error(Errc::kUnsupported,
                   "float_vif needs width and height >= " + std::to_string(need) +
                       " after prescaling (4 scales of mirrored Gaussian filters), input is " +
                       std::to_string(scaled_w_) + "x" + std::to_string(scaled_h_));
    return {};
  }

  void extract(FrameCtx& f, FeatureRow& row) override {
    std::unique_ptr<ScaleBuffers> buf = pool_.acquire();
    Source src;
    src.bpc = bpc_;
    if (!prescaled_) {
      src.from_u16 = true;
      src.ref16 = f.ref().plane(0);
      src.dis16 = f.dis().plane(0);
    } else {
      prescale(f, *buf);
      src.ref = const_view(buf->pre_ref);
      src.dis = const_view(buf->pre_dis);
    }
    const int start = skip_scale0_ ? 1 : 0;
    double scores[8] = {};
    for (int scale = 0; scale < 4; ++scale) {
      float num = 0, den = 0;
      ImageF* next_ref = scale < 3 ? &buf->ref[scale] : nullptr;
      ImageF* next_dis = scale < 3 ? &buf->dis[scale] : nullptr;
      scale_pass(src, scale, scale >= start, *buf, next_ref, next_dis, num, den);
      scores[2 * scale] = num;
      scores[2 * scale + 1] = den;
      if (scale < 3) {
        src = Source{};
        src.ref = const_view(buf->ref[scale]);
        src.dis = const_view(buf->dis[scale]);
      }
    }
    pool_.release(std::move(buf));

    row.set(kScaleId[0], skip_scale0_ ? 0.0 : scores[0] / scores[1]);
    for (int s = 1; s < 4; ++s)
      row.set(kScaleId[s], std::max(scores[2 * s] / scores[2 * s + 1], min_val_[s]));
    double score_num = 0, score_den = 0;
    for (int s = start; s < 4; ++s) {
      score_num += scores[2 * s];
      score_den += scores[2 * s + 1];
    }
    row.set(feature_id("vif"), score_den == 0.0 ? 1.0 : score_num / score_den);
    row.set(feature_id("vif_num"), score_num);
    row.set(feature_id("vif_den"), score_den);
    for (int s = 0; s < 4; ++s) {
      row.set(kNumId[s], s < start ? 0.0 : scores[2 * s]);
      row.set(kDenId[s], s < start ? -1.0 : scores[2 * s + 1]);
    }
  }

 private:
  void prescale(FrameCtx& f, ScaleBuffers& buf) const {
    const CPlaneU16 r = f.ref().plane(0), d = f.dis().plane(0);
    ensure(buf.conv_ref, r.width, r.height);
    ensure(buf.conv_dis, d.width, d.height);
    for (int y = 0; y < r.height; ++y) {
      convert_row(r.row(y), r.width, bpc_, buf.conv_ref.row(y));
      convert_row(d.row(y), d.width, bpc_, buf.conv_dis.row(y));
    }
    ensure(buf.pre_ref, scaled_w_, scaled_h_);
    ensure(buf.pre_dis, scaled_w_, scaled_h_);
    kernels::vif_prescale(method_, buf.conv_ref.data(), buf.conv_ref.stride(), r.width, r.height,
                          buf.pre_ref.data(), buf.pre_ref.stride(), scaled_w_, scaled_h_);
    kernels::vif_prescale(method_, buf.conv_dis.data(), buf.conv_dis.stride(), d.width, d.height,
                          buf.pre_dis.data(), buf.pre_dis.stride(), scaled_w_, scaled_h_);
  }

  // One scale in row bands: the statistic of the band's rows (when `stats`) and the rows of
  // scale + 1 that the band's rows produce (filtered with scale + 1's filter, decimated).
  void scale_pass(const Source& src, int scale, bool stats, ScaleBuffers& buf, ImageF* next_ref,
                  ImageF* next_dis, float& num, float& den) const {
    const int w = src.width(), h = src.height();
    const int r_stats = stats ? taps_[scale] / 2 : 0;
    const int r_dec = next_ref ? taps_[scale + 1] / 2 : 0;
    const int reach = std::max(r_stats, r_dec);
    if (next_ref) {
      ensure(*next_ref, w / 2, h / 2);
      ensure(*next_dis, w / 2, h / 2);
    }
    if (stats) {
      buf.num_rows.resize(h);
      buf.den_rows.resize(h);
    }
    for_each_tile(h, kTileRows, [&](int, int y0, int y1) {
      // Rows y0 - reach .. y1 + reach - 1, mirrored.
      const int count = y1 - y0 + 2 * reach;
      std::vector<const float*> rr(count), dr(count);
      if (src.from_u16) {
        // Mirrored rows of the band all lie in [lo, hi).
        const int lo = std::max(0, y0 - reach), hi = std::min(h, y1 + reach);
        const ptrdiff_t stride = (w + 15) / 16 * 16;
        float* band = band_buffer(2 * static_cast<size_t>(stride) * (hi - lo));
        float* band_dis = band + stride * (hi - lo);
        for (int y = lo; y < hi; ++y) {
          convert_row(src.ref16.row(y), w, src.bpc, band + (y - lo) * stride);
          convert_row(src.dis16.row(y), w, src.bpc, band_dis + (y - lo) * stride);
        }
        for (int i = 0; i < count; ++i) {
          const int y = mirror(y0 - reach + i, h);
          rr[i] = band + (y - lo) * stride;
          dr[i] = band_dis + (y - lo) * stride;
        }
      } else {
        for (int i = 0; i < count; ++i) {
          const int y = mirror(y0 - reach + i, h);
          rr[i] = src.ref.row(y);
          dr[i] = src.dis.row(y);
        }
      }
      if (stats) {
        kernels::VifFloatStatsArgs a{rr.data() + reach - r_stats, dr.data() + reach - r_stats};
        a.n_rows = y1 - y0;
        a.width = w;
        a.filter = filter_[scale].data();
        a.taps = taps_[scale];
        a.sigma_nsq = sigma_nsq_;
        a.gain_limit = gain_limit_;
        a.num_rows = buf.num_rows.data() + y0;
        a.den_rows = buf.den_rows.data() + y0;
        kernels::vif_float_stats(a);
      }
      // Decimated rows whose centre row 2i lies in [y0, y1).
      const int i0 = (y0 + 1) / 2, i1 = std::min((y1 + 1) / 2, h / 2);
      if (next_ref && i1 > i0) {
        const int first = 2 * i0 - r_dec - (y0 - reach);
        kernels::VifFloatDecimateArgs d{rr.data() + first, dr.data() + first};
        d.n_out = i1 - i0;
        d.width = w;
        d.filter = filter_[scale + 1].data();
        d.taps = taps_[scale + 1];
        d.ref_out = next_ref->row(i0);
        d.dis_out = next_dis->row(i0);
        d.out_stride = next_ref->stride();
        kernels::vif_float_decimate(d);
      }
    });
    num = 0;
    den = 0;
    if (!stats) return;
    // libvmaf adds the row sums in float, in row order.
    for (int y = 0; y < h; ++y) {
      num += buf.num_rows[y];
      den += buf.den_rows[y];
    }
  }

  double gain_limit_;
  double kernelscale_;
  double prescale_;
  std::string method_name_;
  double sigma_nsq_;
  bool skip_scale0_;
  double min_val_[4] = {};
  kernels::VifPrescaleMethod method_ = kernels::VifPrescaleMethod::kNearest;
  int taps_[4] = {};
  std::vector<float> filter_[4];
  int bpc_ = 8;
  int scaled_w_ = 0, scaled_h_ = 0;
  bool prescaled_ = false;
  mutable BufferPool pool_;
};

}  // namespace

extern const ExtractorInfo kFloatVifInfo{
    Ext::kFloatVif, "float_vif", "floating-point VIF of luma at 4 scales", kFloatVifOptions,
    [](const Options& o) -> std::unique_ptr<Extractor> { return std::make_unique<FloatVif>(o); }};

}  // namespace vqfuse::features
