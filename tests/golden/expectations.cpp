// The single list of documented exceptions to "compare with NAME.netflix_full.json"
// (../shared/golden/README.md, "Which file to test against", "Odd size", "Names").
#include <set>

#include "golden.hpp"

namespace vqfuse::golden {

Expectation expectation(const std::string& pair, const std::string& feature) {
  // Only the lusoris/vmaf fork has these extractors.
  static const std::set<std::string> kForkOnly = {
      "ssim", "ssimulacra2", "VMAF_integer_feature_motion_v2_sad_score",
      "VMAF_integer_feature_motion2_v2_score", "VMAF_integer_feature_motion3_v2_score"};
  if (kForkOnly.count(feature)) return {"fork.json", "", "extractor only in the lusoris/vmaf fork"};
  // p03 (333x197): Netflix read floor-size chroma from raw .yuv; vqfuse and the fork read the
  // Y4M's ceil-size chroma, so chroma-based values are judged against the fork.
  static const std::set<std::string> kChroma = {"psnr_cb", "psnr_cr", "mse_cb", "mse_cr", "apsnr_cb",
                                                "apsnr_cr", "psnr_hvs_cb", "psnr_hvs_cr", "psnr_hvs",
                                                "ciede2000"};
  if (pair == "p03_coffee_333x197_420p8" && kChroma.count(feature))
    return {"fork.json", "", "odd size: Netflix golden used floor chroma"};
  // p06: Netflix's integer ADM AVX2 path gives a different integer_aim / integer_adm3 than its
  // SSE4.1/C path; either is accepted.
  if (pair == "p06_smptecell_320x180_444p8" && (feature == "integer_aim" || feature == "integer_adm3"))
    return {"netflix_full.json", "netflix_c.json", "Netflix AVX2 vs C deviation"};
  return {"netflix_full.json", "", ""};
}

}  // namespace vqfuse::golden
