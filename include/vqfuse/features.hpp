// The feature table: the one place where feature names exist.
//
// The CLI help, `extract --list-features`, the JSON/CSV/XML writers, the SQLite store, the model
// loader, the analysis columns, the ONNX sidecar, the golden tolerances and docs/features.md all
// read kFeatures and keep no lists of their own. Names are data and are spelled exactly as libvmaf
// (Netflix 3.2.0) and the lusoris/vmaf fork print them; the row order is the output order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace vqfuse {

// Extractors, one per libvmaf `--feature` name (see ExtractorInfo::name in src/features).
enum class Ext : uint8_t {
  kIntegerAdm,     // "adm"
  kIntegerMotion,  // "motion"
  kIntegerVif,     // "vif"
  kFloatAdm,       // "float_adm"
  kFloatVif,       // "float_vif"
  kFloatMotion,    // "float_motion"
  kPsnr,           // "psnr"
  kFloatPsnr,      // "float_psnr"
  kFloatSsim,      // "float_ssim"
  kFloatMsSsim,    // "float_ms_ssim"
  kSsim,           // "ssim" (integer SSIM, lusoris/vmaf fork)
  kFloatAnsnr,     // "float_ansnr"
  kFloatMoment,    // "float_moment"
  kCiede,          // "ciede"
  kPsnrHvs,        // "psnr_hvs"
  kCambi,          // "cambi"
  kSsimulacra2,    // "ssimulacra2" (fork)
  kMotionV2,       // "motion_v2" (fork)
  kSpeedChroma,    // "speed_chroma"
  kSpeedTemporal,  // "speed_temporal"
  kModel,          // a model's score (vmaf), not an extractor
  kCount
};

// When a name is emitted. Each tier but kDefault is switched on by one extractor option
// (tier_option()), so the set of names an extractor writes follows from its options alone.
enum class Tier : uint8_t {
  kDefault,  // always
  kDebug,    // debug=true
  kLcs,      // enable_lcs=true
  kMse,      // enable_mse=true
  kChroma,   // enable_chroma=true (psnr; its default is true)
  kApsnr,    // enable_apsnr=true (aggregate_metrics, not per frame)
};

// The option that switches a tier on; empty for kDefault.
constexpr std::string_view tier_option(Tier t) {
  switch (t) {
    case Tier::kDebug: return "debug";
    case Tier::kLcs: return "enable_lcs";
    case Tier::kMse: return "enable_mse";
    case Tier::kChroma: return "enable_chroma";
    case Tier::kApsnr: return "enable_apsnr";
    default: return "";
  }
}

struct Tolerance {
  double abs = 0;
  double rel = 0;
};

struct FeatureInfo {
  std::string_view json_name;   // key in libvmaf JSON output: "integer_adm2"
  std::string_view model_name;  // key in libvmaf model files, or ""
  Ext extractor;                // which extractor writes it
  Tier tier;                    // when it is written
  Tolerance golden;             // per-frame tolerance of tests/golden against the peer
  bool analysis;                // one of the default analysis / training columns
};

// Golden tolerances (abs, rel). Integer features aim at bit-exactness; the starting points follow
// how far the two peers themselves disagree (../shared/golden/README.md "Peers disagree").
inline constexpr Tolerance kExact{1e-9, 0};
inline constexpr Tolerance kTight{1e-6, 1e-6};
inline constexpr Tolerance kLoose{1e-5, 1e-5};

inline constexpr FeatureInfo kFeatures[] = {
    // adm (integer)
    {"integer_adm2", "VMAF_integer_feature_adm2_score", Ext::kIntegerAdm, Tier::kDefault, kExact, true},
    // libvmaf writes integer_aim and integer_adm3 without debug (integer_adm.c extract()).
    {"integer_aim", "VMAF_integer_feature_aim_score", Ext::kIntegerAdm, Tier::kDefault, kExact, false},
    {"integer_adm3", "VMAF_integer_feature_adm3_score", Ext::kIntegerAdm, Tier::kDefault, kExact, false},
    {"integer_adm_scale0", "", Ext::kIntegerAdm, Tier::kDefault, kExact, true},
    {"integer_adm_scale1", "", Ext::kIntegerAdm, Tier::kDefault, kExact, true},
    {"integer_adm_scale2", "", Ext::kIntegerAdm, Tier::kDefault, kExact, true},
    {"integer_adm_scale3", "", Ext::kIntegerAdm, Tier::kDefault, kExact, true},
    {"integer_adm", "", Ext::kIntegerAdm, Tier::kDebug, kExact, false},
    {"integer_adm_num", "", Ext::kIntegerAdm, Tier::kDebug, kExact, false},
    {"integer_adm_den", "", Ext::kIntegerAdm, Tier::kDebug, kExact, false},
    {"integer_adm_num_scale0", "", Ext::kIntegerAdm, Tier::kDebug, kExact, false},
    {"integer_adm_den_scale0", "", Ext::kIntegerAdm, Tier::kDebug, kExact, false},
    {"integer_adm_num_scale1", "", Ext::kIntegerAdm, Tier::kDebug, kExact, false},
    {"integer_adm_den_scale1", "", Ext::kIntegerAdm, Tier::kDebug, kExact, false},
    {"integer_adm_num_scale2", "", Ext::kIntegerAdm, Tier::kDebug, kExact, false},
    {"integer_adm_den_scale2", "", Ext::kIntegerAdm, Tier::kDebug, kExact, false},
    {"integer_adm_num_scale3", "", Ext::kIntegerAdm, Tier::kDebug, kExact, false},
    {"integer_adm_den_scale3", "", Ext::kIntegerAdm, Tier::kDebug, kExact, false},
    // motion (integer)
    // libvmaf f85a853 integer_motion.c writes the sad score whatever `debug` is.
    {"VMAF_integer_feature_motion_sad_score", "VMAF_integer_feature_motion_sad_score", Ext::kIntegerMotion, Tier::kDefault, kExact, false},
    {"integer_motion", "VMAF_integer_feature_motion_score", Ext::kIntegerMotion, Tier::kDebug, kExact, false},
    {"integer_motion2", "VMAF_integer_feature_motion2_score", Ext::kIntegerMotion, Tier::kDefault, kExact, true},
    {"integer_motion3", "VMAF_integer_feature_motion3_score", Ext::kIntegerMotion, Tier::kDefault, kExact, false},
    // vif (integer)
    {"integer_vif_scale0", "VMAF_integer_feature_vif_scale0_score", Ext::kIntegerVif, Tier::kDefault, kExact, true},
    {"integer_vif_scale1", "VMAF_integer_feature_vif_scale1_score", Ext::kIntegerVif, Tier::kDefault, kExact, true},
    {"integer_vif_scale2", "VMAF_integer_feature_vif_scale2_score", Ext::kIntegerVif, Tier::kDefault, kExact, true},
    {"integer_vif_scale3", "VMAF_integer_feature_vif_scale3_score", Ext::kIntegerVif, Tier::kDefault, kExact, true},
    {"integer_vif", "", Ext::kIntegerVif, Tier::kDebug, kExact, false},
    {"integer_vif_num", "", Ext::kIntegerVif, Tier::kDebug, kExact, false},
    {"integer_vif_den", "", Ext::kIntegerVif, Tier::kDebug, kExact, false},
    {"integer_vif_num_scale0", "", Ext::kIntegerVif, Tier::kDebug, kExact, false},
    {"integer_vif_den_scale0", "", Ext::kIntegerVif, Tier::kDebug, kExact, false},
    {"integer_vif_num_scale1", "", Ext::kIntegerVif, Tier::kDebug, kExact, false},
    {"integer_vif_den_scale1", "", Ext::kIntegerVif, Tier::kDebug, kExact, false},
    {"integer_vif_num_scale2", "", Ext::kIntegerVif, Tier::kDebug, kExact, false},
    {"integer_vif_den_scale2", "", Ext::kIntegerVif, Tier::kDebug, kExact, false},
    {"integer_vif_num_scale3", "", Ext::kIntegerVif, Tier::kDebug, kExact, false},
    {"integer_vif_den_scale3", "", Ext::kIntegerVif, Tier::kDebug, kExact, false},
    // float_adm (kTight: worst 2.5e-7 relative on the golden pairs)
    {"adm2", "VMAF_feature_adm2_score", Ext::kFloatAdm, Tier::kDefault, kTight, false},
    {"aim", "VMAF_feature_aim_score", Ext::kFloatAdm, Tier::kDefault, kTight, false},
    {"adm3", "VMAF_feature_adm3_score", Ext::kFloatAdm, Tier::kDefault, kTight, false},
    {"adm_scale0", "VMAF_feature_adm_scale0_score", Ext::kFloatAdm, Tier::kDefault, kTight, false},
    {"adm_scale1", "VMAF_feature_adm_scale1_score", Ext::kFloatAdm, Tier::kDefault, kTight, false},
    {"adm_scale2", "VMAF_feature_adm_scale2_score", Ext::kFloatAdm, Tier::kDefault, kTight, false},
    {"adm_scale3", "VMAF_feature_adm_scale3_score", Ext::kFloatAdm, Tier::kDefault, kTight, false},
    {"adm", "", Ext::kFloatAdm, Tier::kDebug, kTight, false},
    {"adm_num", "", Ext::kFloatAdm, Tier::kDebug, kTight, false},
    {"adm_den", "", Ext::kFloatAdm, Tier::kDebug, kTight, false},
    {"adm_num_scale0", "", Ext::kFloatAdm, Tier::kDebug, kTight, false},
    {"adm_den_scale0", "", Ext::kFloatAdm, Tier::kDebug, kTight, false},
    {"adm_num_scale1", "", Ext::kFloatAdm, Tier::kDebug, kTight, false},
    {"adm_den_scale1", "", Ext::kFloatAdm, Tier::kDebug, kTight, false},
    {"adm_num_scale2", "", Ext::kFloatAdm, Tier::kDebug, kTight, false},
    {"adm_den_scale2", "", Ext::kFloatAdm, Tier::kDebug, kTight, false},
    {"adm_num_scale3", "", Ext::kFloatAdm, Tier::kDebug, kTight, false},
    {"adm_den_scale3", "", Ext::kFloatAdm, Tier::kDebug, kTight, false},
    // float_vif (kExact: bit-identical to libvmaf, every float operation in its order)
    {"vif_scale0", "VMAF_feature_vif_scale0_score", Ext::kFloatVif, Tier::kDefault, kExact, false},
    {"vif_scale1", "VMAF_feature_vif_scale1_score", Ext::kFloatVif, Tier::kDefault, kExact, false},
    {"vif_scale2", "VMAF_feature_vif_scale2_score", Ext::kFloatVif, Tier::kDefault, kExact, false},
    {"vif_scale3", "VMAF_feature_vif_scale3_score", Ext::kFloatVif, Tier::kDefault, kExact, false},
    {"vif", "", Ext::kFloatVif, Tier::kDebug, kExact, false},
    {"vif_num", "", Ext::kFloatVif, Tier::kDebug, kExact, false},
    {"vif_den", "", Ext::kFloatVif, Tier::kDebug, kExact, false},
    {"vif_num_scale0", "", Ext::kFloatVif, Tier::kDebug, kExact, false},
    {"vif_den_scale0", "", Ext::kFloatVif, Tier::kDebug, kExact, false},
    {"vif_num_scale1", "", Ext::kFloatVif, Tier::kDebug, kExact, false},
    {"vif_den_scale1", "", Ext::kFloatVif, Tier::kDebug, kExact, false},
    {"vif_num_scale2", "", Ext::kFloatVif, Tier::kDebug, kExact, false},
    {"vif_den_scale2", "", Ext::kFloatVif, Tier::kDebug, kExact, false},
    {"vif_num_scale3", "", Ext::kFloatVif, Tier::kDebug, kExact, false},
    {"vif_den_scale3", "", Ext::kFloatVif, Tier::kDebug, kExact, false},
    // float_motion
    // float_motion's `debug` option defaults to true in libvmaf, so "motion" is on by default.
    // Exact: every float operation is done in libvmaf's order (float_motion.cpp).
    {"motion", "VMAF_feature_motion_score", Ext::kFloatMotion, Tier::kDebug, kExact, false},
    {"motion2", "VMAF_feature_motion2_score", Ext::kFloatMotion, Tier::kDefault, kExact, false},
    {"motion3", "VMAF_feature_motion3_score", Ext::kFloatMotion, Tier::kDefault, kExact, false},
    // psnr (integer)
    {"psnr_y", "", Ext::kPsnr, Tier::kDefault, kExact, true},
    {"mse_y", "", Ext::kPsnr, Tier::kMse, kExact, false},
    {"psnr_cb", "", Ext::kPsnr, Tier::kChroma, kExact, true},
    {"mse_cb", "", Ext::kPsnr, Tier::kMse, kExact, false},
    {"psnr_cr", "", Ext::kPsnr, Tier::kChroma, kExact, true},
    {"mse_cr", "", Ext::kPsnr, Tier::kMse, kExact, false},
    {"apsnr_y", "", Ext::kPsnr, Tier::kApsnr, kExact, false},
    {"apsnr_cb", "", Ext::kPsnr, Tier::kApsnr, kExact, false},
    {"apsnr_cr", "", Ext::kPsnr, Tier::kApsnr, kExact, false},
    // float_psnr
    {"float_psnr", "", Ext::kFloatPsnr, Tier::kDefault, kTight, false},
    // float_ssim
    {"float_ssim", "", Ext::kFloatSsim, Tier::kDefault, kTight, true},
    {"float_ssim_l", "", Ext::kFloatSsim, Tier::kLcs, kTight, false},
    {"float_ssim_c", "", Ext::kFloatSsim, Tier::kLcs, kTight, false},
    {"float_ssim_s", "", Ext::kFloatSsim, Tier::kLcs, kTight, false},
    // float_ms_ssim
    {"float_ms_ssim", "", Ext::kFloatMsSsim, Tier::kDefault, kLoose, true},
    {"float_ms_ssim_l_scale0", "", Ext::kFloatMsSsim, Tier::kLcs, kLoose, false},
    {"float_ms_ssim_l_scale1", "", Ext::kFloatMsSsim, Tier::kLcs, kLoose, false},
    {"float_ms_ssim_l_scale2", "", Ext::kFloatMsSsim, Tier::kLcs, kLoose, false},
    {"float_ms_ssim_l_scale3", "", Ext::kFloatMsSsim, Tier::kLcs, kLoose, false},
    {"float_ms_ssim_l_scale4", "", Ext::kFloatMsSsim, Tier::kLcs, kLoose, false},
    {"float_ms_ssim_c_scale0", "", Ext::kFloatMsSsim, Tier::kLcs, kLoose, false},
    {"float_ms_ssim_c_scale1", "", Ext::kFloatMsSsim, Tier::kLcs, kLoose, false},
    {"float_ms_ssim_c_scale2", "", Ext::kFloatMsSsim, Tier::kLcs, kLoose, false},
    {"float_ms_ssim_c_scale3", "", Ext::kFloatMsSsim, Tier::kLcs, kLoose, false},
    {"float_ms_ssim_c_scale4", "", Ext::kFloatMsSsim, Tier::kLcs, kLoose, false},
    {"float_ms_ssim_s_scale0", "", Ext::kFloatMsSsim, Tier::kLcs, kLoose, false},
    {"float_ms_ssim_s_scale1", "", Ext::kFloatMsSsim, Tier::kLcs, kLoose, false},
    {"float_ms_ssim_s_scale2", "", Ext::kFloatMsSsim, Tier::kLcs, kLoose, false},
    {"float_ms_ssim_s_scale3", "", Ext::kFloatMsSsim, Tier::kLcs, kLoose, false},
    {"float_ms_ssim_s_scale4", "", Ext::kFloatMsSsim, Tier::kLcs, kLoose, false},
    // ssim (integer, fork)
    {"ssim", "", Ext::kSsim, Tier::kDefault, kTight, false},
    // float_ansnr (bit-identical to libvmaf's float arithmetic)
    {"float_ansnr", "", Ext::kFloatAnsnr, Tier::kDefault, kExact, true},
    {"float_anpsnr", "", Ext::kFloatAnsnr, Tier::kDefault, kExact, false},
    // float_moment (exact integer sums)
    {"float_moment_ref1st", "", Ext::kFloatMoment, Tier::kDefault, kExact, true},
    {"float_moment_dis1st", "", Ext::kFloatMoment, Tier::kDefault, kExact, true},
    {"float_moment_ref2nd", "", Ext::kFloatMoment, Tier::kDefault, kExact, true},
    {"float_moment_dis2nd", "", Ext::kFloatMoment, Tier::kDefault, kExact, true},
    // ciede (float SIMD with polynomial transcendentals; measured <= 1.8e-6 abs, 6e-8 rel)
    {"ciede2000", "", Ext::kCiede, Tier::kDefault, kTight, true},
    // psnr_hvs (bit-identical to libvmaf's float accumulation)
    {"psnr_hvs_y", "", Ext::kPsnrHvs, Tier::kDefault, kExact, false},
    {"psnr_hvs_cb", "", Ext::kPsnrHvs, Tier::kDefault, kExact, false},
    {"psnr_hvs_cr", "", Ext::kPsnrHvs, Tier::kDefault, kExact, false},
    {"psnr_hvs", "", Ext::kPsnrHvs, Tier::kDefault, kExact, true},
    // cambi
    // Bit-exact on every pair; only the summation order of the top-k pool differs from libvmaf's
    // quick-select (exact sum here), worth a few double ulps at most.
    {"cambi", "Cambi_feature_cambi_score", Ext::kCambi, Tier::kDefault, {1e-9, 1e-9}, true},
    // full_ref=true only (the extractor's writes() drops them otherwise; no tier switches them)
    {"cambi_source", "", Ext::kCambi, Tier::kDefault, {1e-9, 1e-9}, false},
    {"cambi_full_reference", "", Ext::kCambi, Tier::kDefault, {1e-9, 1e-9}, false},
    // ssimulacra2 (fork)
    // Every per-pixel value is the fork's AVX-512 arithmetic (its golden outputs); only the map
    // sums run in another order: measured worst 1e-13 over the six pairs.
    {"ssimulacra2", "", Ext::kSsimulacra2, Tier::kDefault, kExact, true},
    // motion_v2 (fork)
    {"VMAF_integer_feature_motion_v2_sad_score", "", Ext::kMotionV2, Tier::kDefault, kExact, false},
    {"VMAF_integer_feature_motion2_v2_score", "", Ext::kMotionV2, Tier::kDefault, kExact, false},
    {"VMAF_integer_feature_motion3_v2_score", "", Ext::kMotionV2, Tier::kDefault, kExact, false},
    // speed_chroma, speed_temporal: bit-identical to Netflix's C and AVX-512 paths on every pair;
    // kTight only leaves room for libm (exp, log2) differences between machines.
    {"speed_chroma_u", "Speed_chroma_feature_speed_chroma_u_score", Ext::kSpeedChroma, Tier::kDefault, kTight, false},
    {"speed_chroma_v", "Speed_chroma_feature_speed_chroma_v_score", Ext::kSpeedChroma, Tier::kDefault, kTight, false},
    {"speed_chroma_uv", "Speed_chroma_feature_speed_chroma_uv_score", Ext::kSpeedChroma, Tier::kDefault, kTight, true},
    {"speed_temporal", "Speed_temporal_feature_speed_temporal_score", Ext::kSpeedTemporal, Tier::kDefault, kTight, true},
    // model scores
    {"vmaf", "", Ext::kModel, Tier::kDefault, {1e-6, 0}, false},
};

inline constexpr size_t kFeatureCount = std::size(kFeatures);

struct FeatureId {
  uint16_t v = 0;
  constexpr bool operator==(const FeatureId&) const = default;
  constexpr const FeatureInfo& info() const { return kFeatures[v]; }
};

// Compile-time lookup: a typo is a compile error.
consteval FeatureId feature_id(std::string_view json_name) {
  for (size_t i = 0; i < kFeatureCount; ++i)
    if (kFeatures[i].json_name == json_name) return FeatureId{static_cast<uint16_t>(i)};
  throw "unknown feature name";
}

// Run-time lookups.
std::optional<FeatureId> find_feature(std::string_view json_name);
std::optional<FeatureId> find_feature_by_model_name(std::string_view model_name);

}  // namespace vqfuse
