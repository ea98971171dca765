// ciede: CIEDE2000 colour difference between the reference and distorted pictures, reported as
// ciede2000 = 45 - 20*log10(mean dE00) (identical pictures: +inf).
//
// Paper: G. Sharma, W. Wu, E. N. Dalal, "The CIEDE2000 color-difference formula: implementation
// notes, supplementary test data, and mathematical observations", Color Res. Appl. 30(1), 2005.
// Behavioural reference: Netflix/vmaf f85a853 libvmaf/src/feature/ciede.c (a port of av-metrics):
// limited-range Y'CbCr with BT.709 coefficients -> R'G'B' -> sRGB-style 2.4 power -> XYZ (D65)
// -> L*a*b* -> CIEDE2000 with kL = 0.65, kC = 1, kH = 4; chroma upsampled by sample repetition.
// Deviations:
//  - Arithmetic: libvmaf runs libm in double per pixel (~1 s per 1080p frame); vqfuse runs float
//    SIMD with polynomial pow/cbrt/atan/exp/sin (errors below ~2 float ulps, at the level of
//    libvmaf's own float L*a*b* and float CIEDE2000 intermediates) and an angle-free form of the
//    hue terms (kernels/ciede.hpp, ciede_ref.cpp). Per-pixel dE differs from libvmaf's in the
//    last float bits; the frame mean agrees to ~1e-7 relative.
//  - The dE sum is taken in double in 16 interleaved slots per row band and combined in a fixed
//    order (libvmaf: one running double): identical for every thread count and SIMD target.
//  - 4:2:2: chroma sample x/2 of the same row (libvmaf's upsampler treats 4:2:2 like 4:2:0 and
//    reads past the chroma rows). Odd sizes: the true ceil(w/2) x ceil(h/2) chroma planes (libvmaf
//    reads past its floor-size planes; the lusoris/vmaf fork reads the same samples as vqfuse).
// Size limits: none beyond needing chroma (4:0:0 is unsupported, as in libvmaf).
#include <cmath>
#include <vector>

#include "core/parallel.hpp"
#include "features/extractor.hpp"
#include "features/kernels/ciede.hpp"

namespace vqfuse::features {
namespace {

constexpr FeatureId kCiede2000 = feature_id("ciede2000");

// The 16 slots in a fixed pairwise order.
double combine(const double (&acc)[16]) {
  double s[8];
  for (int i = 0; i < 8; ++i) s[i] = acc[2 * i] + acc[2 * i + 1];
  for (int i = 0; i < 4; ++i) s[i] = s[2 * i] + s[2 * i + 1];
  return (s[0] + s[1]) + (s[2] + s[3]);
}

class Ciede final : public Extractor {
 public:
  Result<void> init(const VideoInfo& v) override {
    if (v.chroma == Chroma::k400) return Error(Errc::kUnsupported, "ciede needs chroma planes, input is 4:0:0");
    scale_ = kernels::ciede_scale(v.bit_depth);
    shift_x_ = v.chroma == Chroma::k444 ? 0 : 1;
    shift_y_ = v.chroma == Chroma::k420 ? 1 : 0;
    return {};
  }

  void extract(FrameCtx& f, FeatureRow& row) override {
    const Frame& r = f.ref();
    const Frame& d = f.dis();
    const int w = r.plane(0).width, h = r.plane(0).height;
    std::vector<double> tile_sums(static_cast<size_t>(tile_count(h)));
    for_each_tile(h, kTileRows, [&](int t, int y0, int y1) {
      double acc[16] = {};
      for (int y = y0; y < y1; ++y) {
        const int cy = y >> shift_y_;
        const uint16_t* ref[3] = {r.plane(0).row(y), r.plane(1).row(cy), r.plane(2).row(cy)};
        const uint16_t* dis[3] = {d.plane(0).row(y), d.plane(1).row(cy), d.plane(2).row(cy)};
        kernels::ciede_row(ref, dis, static_cast<size_t>(w), shift_x_, scale_, acc);
      }
      tile_sums[static_cast<size_t>(t)] = combine(acc);
    });
    const double sum = ordered_sum(tile_sums);
    row.set(kCiede2000, 45. - 20. * std::log10(sum / static_cast<double>(w * h)));
  }

 private:
  kernels::CiedeScale scale_{};
  int shift_x_ = 1;
  int shift_y_ = 1;
};

}  // namespace

extern const ExtractorInfo kCiedeInfo{
    Ext::kCiede, "ciede", "CIEDE2000 colour difference (45 - 20*log10 of the mean dE00)", {},
    [](const Options&) -> std::unique_ptr<Extractor> { return std::make_unique<Ciede>(); }};

}  // namespace vqfuse::features
