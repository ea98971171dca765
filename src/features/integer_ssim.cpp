// ssim: integer (fixed-point moment) SSIM of luma as the lusoris/vmaf fork registers it.
//
// Paper: Wang, Bovik, Sheikh, Simoncelli, "Image quality assessment: from error visibility to
// structural similarity", IEEE TIP 13(4), 2004; the fixed-point formulation is Xiph/Daala's.
// Behavioural reference: lusoris/vmaf c2a3c7e libvmaf/src/feature/integer_ssim.c (Netflix HEAD
// carries the file but does not register it):
//  - raw samples at their own bit depth, samplemax = 2^bpc - 1 (no float conversion);
//  - 9-tap integer Gaussian (sigma 1.5, weights 2 9 28 55 68 55 28 9 2, sum 256) applied
//    separably to x, y, x^2, xy, y^2 with windows clipped at the borders, each window carrying
//    its in-bounds weight sum w;
//  - per pixel w (2 mx my + c1)(2 (w sxy - mx my) + c2) / ((mx^2 + my^2 + c1)(w sxx - mx^2 +
//    w syy - my^2 + c2)), c = samplemax^2 K^2 w^2, averaged with weights w over the whole frame
//    (the map has the full frame size).
// Deviations: the frame sum uses 16 virtual lanes with per-row partials instead of raster order
// (~1e-16 relative). At 16 bit the fork's int product samplemax * samplemax overflows; vqfuse
// reproduces the wrapped value.
// Size limits: none (any size >= 1x1).
#include "features/extractor.hpp"
#include "features/kernels/ssim_int.hpp"

namespace vqfuse::features {
namespace {

class IntegerSsim final : public Extractor {
 public:
  Result<void> init(const VideoInfo& v) override {
    bit_depth_ = v.bit_depth;
    return {};
  }
  void extract(FrameCtx& f, FeatureRow& row) override {
    row.set(feature_id("ssim"), kernels::int_ssim(f.ref().plane(0), f.dis().plane(0), bit_depth_));
  }

 private:
  int bit_depth_ = 8;
};

}  // namespace

extern const ExtractorInfo kSsimInfo{
    Ext::kSsim,
    "ssim",
    "integer SSIM of luma (lusoris/vmaf fork, Xiph fixed-point moments)",
    {},
    [](const Options&) -> std::unique_ptr<Extractor> { return std::make_unique<IntegerSsim>(); }};

}  // namespace vqfuse::features
