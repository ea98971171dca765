// float_ansnr: anti-noise SNR (and its PSNR form float_anpsnr) of the luma plane.
//
// What: the reference is low-passed with a 3x3 binomial filter, the distorted picture with a 5x5
// filter (weights /571); signal = sum(ref_f^2), noise = sum((ref_f - dis_f)^2);
// float_ansnr = 10*log10(signal/noise) (psnr_max when noise is 0), float_anpsnr =
// min(10*log10(peak^2 * w * h / max(noise, 1e-10)), psnr_max). A legacy VMAF feature (Netflix
// VMAF's early "anti-noise SNR"; no paper beyond the VMAF repository).
// Behavioural reference: Netflix/vmaf f85a853 libvmaf/src/feature/float_ansnr.c + ansnr.c +
// ansnr_tools.c: luma through picture_copy with offset -128, 2-D filters with
// mirrored borders (-i above/left, 2n-1-i below/right), signal and noise summed in float per row
// and the row sums summed in float in row order. peak/psnr_max: 255/60, 255.75/72,
// 255.9375/84, 255.99609375/108 for 8/10/12/16 bit.
// Deviations: none in value. vqfuse reproduces libvmaf's float arithmetic exactly: the filters
// keep its per-pixel operation order (SIMD across pixels, no FMA), each row is summed left to
// right in float (rows interleaved for throughput, each row still sequential) and the row sums
// are added in row order after the parallel bands: the result is bit-identical to libvmaf's C
// code for any thread count and SIMD target. The -128 float luma (the recipe of the shared
// kLumaF32Minus128) is converted per band into a cache-resident buffer instead of reading the
// shared whole-plane intermediate: the conversion is exact and cheaper than the plane's memory
// traffic, so the value is the same either way.
// Size limits: width and height >= 3 (libvmaf's single mirror reads outside the plane below
// that).
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/parallel.hpp"
#include "features/extractor.hpp"
#include "features/kernels/float_ansnr.hpp"

namespace vqfuse::features {
namespace {

constexpr FeatureId kAnsnr = feature_id("float_ansnr");
constexpr FeatureId kAnpsnr = feature_id("float_anpsnr");
constexpr int kMinSize = 3;
constexpr int kGroup = 8;  // rows whose float sums run interleaved

// libvmaf's ansnr_mse_s for up to kGroup rows: each row summed left to right in float. The rows
// are independent chains; interleaving them hides the add latency without changing any sum.
void row_sums(const float* const* rf, const float* const* df, int rows, int w, float* sig,
              float* noise) {
  float s[kGroup] = {}, n[kGroup] = {};
  if (rows == kGroup) {
    for (int x = 0; x < w; ++x)
      for (int r = 0; r < kGroup; ++r) {
        const float a = rf[r][x];
        const float e = a - df[r][x];
        s[r] += a * a;
        n[r] += e * e;
      }
  } else {
    for (int r = 0; r < rows; ++r)
      for (int x = 0; x < w; ++x) {
        const float a = rf[r][x];
        const float e = a - df[r][x];
        s[r] += a * a;
        n[r] += e * e;
      }
  }
  for (int r = 0; r < rows; ++r) {
    sig[r] = s[r];
    noise[r] = n[r];
  }
}

struct Scratch {
  std::vector<float> ref_src, dis_src;  // converted source rows of one band (with halo)
  std::vector<float> ref_f, dis_f;      // filtered rows of one group
};

class FloatAnsnr final : public Extractor {
 public:
  Result<void> init(const VideoInfo& v) override {
    if (v.width < kMinSize || v.height < kMinSize)
      return Error(Errc::kUnsupported, "float_ansnr needs width and height >= " + std::to_string(kMinSize) +
                                           ", input is " + std::to_string(v.width) + "x" +
                                           std::to_string(v.height));
    switch (v.bit_depth) {
      case 8: peak_ = 255.0; psnr_max_ = 60.0; break;
      case 10: peak_ = 255.75; psnr_max_ = 72.0; break;
      case 12: peak_ = 255.9375; psnr_max_ = 84.0; break;
      default: peak_ = 255.99609375; psnr_max_ = 108.0; break;
    }
    inv_scale_ = 1.0f / static_cast<float>(1 << (v.bit_depth - 8));
    return {};
  }

  void extract(FrameCtx& f, FeatureRow& row) override {
    const CPlaneU16 ref = f.ref().plane(0);
    const CPlaneU16 dis = f.dis().plane(0);
    const int w = ref.width, h = ref.height;
    std::vector<float> sig_rows(h), noise_rows(h);
    for_each_tile(h, kTileRows, [&](int, int y0, int y1) {
      thread_local Scratch s;
      const size_t stride = static_cast<size_t>(w + 16);
      s.ref_src.resize(stride * (kTileRows + 2));
      s.dis_src.resize(stride * (kTileRows + 4));
      s.ref_f.resize(stride * kGroup);
      s.dis_f.resize(stride * kGroup);
      // Source rows y0-1 .. y1 (reference) and y0-2 .. y1+1 (distorted), rows mirrored.
      auto ref_row = [&](int y) { return s.ref_src.data() + static_cast<size_t>(y - y0 + 1) * stride; };
      auto dis_row = [&](int y) { return s.dis_src.data() + static_cast<size_t>(y - y0 + 2) * stride; };
      for (int y = y0 - 1; y <= y1; ++y)
        kernels::ansnr_load_row(ref.row(static_cast<int>(kernels::ansnr_mirror(y, h))), ref_row(y),
                                static_cast<size_t>(w), inv_scale_);
      for (int y = y0 - 2; y <= y1 + 1; ++y)
        kernels::ansnr_load_row(dis.row(static_cast<int>(kernels::ansnr_mirror(y, h))), dis_row(y),
                                static_cast<size_t>(w), inv_scale_);
      for (int g0 = y0; g0 < y1; g0 += kGroup) {
        const int rows = std::min(kGroup, y1 - g0);
        const float* rf[kGroup];
        const float* df[kGroup];
        for (int r = 0; r < rows; ++r) {
          const int y = g0 + r;
          float* ro = s.ref_f.data() + r * stride;
          float* dout = s.dis_f.data() + r * stride;
          const float* rr[3] = {ref_row(y - 1), ref_row(y), ref_row(y + 1)};
          const float* dr[5] = {dis_row(y - 2), dis_row(y - 1), dis_row(y), dis_row(y + 1), dis_row(y + 2)};
          kernels::ansnr_filter_ref_row(rr, ro, static_cast<size_t>(w));
          kernels::ansnr_filter_dis_row(dr, dout, static_cast<size_t>(w));
          rf[r] = ro;
          df[r] = dout;
        }
        row_sums(rf, df, rows, w, sig_rows.data() + g0, noise_rows.data() + g0);
      }
    });
    // libvmaf adds the row sums into a float, top to bottom.
    float sig = 0, noise = 0;
    for (int y = 0; y < h; ++y) {
      sig += sig_rows[y];
      noise += noise_rows[y];
    }
    const double ansnr = noise == 0 ? psnr_max_ : 10.0 * std::log10(static_cast<double>(sig / noise));
    const double anpsnr =
        std::min(10 * std::log10(peak_ * peak_ * w * h / std::max(static_cast<double>(noise), 1e-10)), psnr_max_);
    row.set(kAnsnr, ansnr);
    row.set(kAnpsnr, anpsnr);
  }

 private:
  double peak_ = 255.0;
  double psnr_max_ = 60.0;
  float inv_scale_ = 1.0f;
};

}  // namespace

extern const ExtractorInfo kFloatAnsnrInfo{
    Ext::kFloatAnsnr, "float_ansnr", "anti-noise SNR of luma (float_ansnr, float_anpsnr)", {},
    [](const Options&) -> std::unique_ptr<Extractor> { return std::make_unique<FloatAnsnr>(); }};

}  // namespace vqfuse::features
