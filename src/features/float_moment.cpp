// float_moment: first and second moments (mean and mean square) of the reference and distorted
// luma on libvmaf's 8-bit float scale (v / 2^(bpc-8)).
//
// Behavioural reference: Netflix/vmaf f85a853 libvmaf/src/feature/float_moment.c + moment.c:
// luma through picture_copy (offset 0), then sum(v) and sum(v*v) in double over the plane,
// divided by w*h. The square is a float product there.
// Deviation (none in value): the sums are exact integers. For bpc <= 12 every sample on the
// float scale is v / 2^k and its float square v^2 / 4^k is exact (v^2 < 2^24), so libvmaf's
// double sums equal S / 2^k and S2 / 4^k exactly (both well below 2^53); vqfuse sums the integer
// samples and squares (SIMD, any order) and divides once: bit-identical. At 16 bit libvmaf's float
// square rounds v^2 to 24 significant bits; vqfuse rounds the integer square the same way and
// sums those integers (exact; libvmaf's double sum is too below ~2M pixels).
// Size limits: none (any size >= 1x1).
#include <cstdint>

#include "features/extractor.hpp"
#include "features/kernels/float_moment.hpp"

namespace vqfuse::features {
namespace {

constexpr FeatureId kRef1st = feature_id("float_moment_ref1st");
constexpr FeatureId kDis1st = feature_id("float_moment_dis1st");
constexpr FeatureId kRef2nd = feature_id("float_moment_ref2nd");
constexpr FeatureId kDis2nd = feature_id("float_moment_dis2nd");

// libvmaf at 16 bit: (v/256)^2 rounded to float = round24(v^2) / 65536 (a power-of-two scale
// does not change the rounding of a normal float).
kernels::MomentSums plane_sums_16bit(CPlaneU16 p) {
  kernels::MomentSums s;
  for (int y = 0; y < p.height; ++y) {
    const uint16_t* r = p.row(y);
    for (int x = 0; x < p.width; ++x) {
      const uint32_t v = r[x];
      s.sum += v;
      s.sum_sq += static_cast<uint64_t>(static_cast<float>(v * v));
    }
  }
  return s;
}

kernels::MomentSums plane_sums(CPlaneU16 p, int bpc) {
  if (bpc > 12) return plane_sums_16bit(p);
  kernels::MomentSums s;
  for (int y = 0; y < p.height; ++y) kernels::moment_u16(p.row(y), static_cast<size_t>(p.width), s);
  return s;
}

class FloatMoment final : public Extractor {
 public:
  Result<void> init(const VideoInfo& v) override {
    bpc_ = v.bit_depth;
    n_ = static_cast<double>(v.width * v.height);  // int product, as libvmaf
    scale1_ = static_cast<double>(uint64_t{1} << (bpc_ - 8));
    scale2_ = scale1_ * scale1_;
    return {};
  }

  void extract(FrameCtx& f, FeatureRow& row) override {
    const kernels::MomentSums r = plane_sums(f.ref().plane(0), bpc_);
    const kernels::MomentSums d = plane_sums(f.dis().plane(0), bpc_);
    // libvmaf's double accumulator holds S / 2^k (exact), then divides by w*h.
    row.set(kRef1st, static_cast<double>(r.sum) / scale1_ / n_);
    row.set(kDis1st, static_cast<double>(d.sum) / scale1_ / n_);
    row.set(kRef2nd, static_cast<double>(r.sum_sq) / scale2_ / n_);
    row.set(kDis2nd, static_cast<double>(d.sum_sq) / scale2_ / n_);
  }

 private:
  int bpc_ = 8;
  double n_ = 1;
  double scale1_ = 1;
  double scale2_ = 1;
};

}  // namespace

extern const ExtractorInfo kFloatMomentInfo{
    Ext::kFloatMoment, "float_moment", "first and second moments of reference and distorted luma",
    {}, [](const Options&) -> std::unique_ptr<Extractor> { return std::make_unique<FloatMoment>(); }};

}  // namespace vqfuse::features
