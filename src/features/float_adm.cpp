// float_adm: the floating-point ADM / DLM of VMAF (adm2, aim, adm3, adm_scale0..3).
//
// The algorithm is the one of the integer extractor (integer_adm.cpp; Li, Zhang, Ngan, IEEE
// Trans. Multimedia 13(5), 2011) in single precision on luma converted as libvmaf's
// picture_copy (v / 2^(bpc-8) - 128), with the options of libvmaf's float_adm (p-norm, CM
// bypass, per-scale CSF factor overrides, AIM scale skipping, harmonic-mean adm3).
//
// Behavioural reference: Netflix/vmaf f85a853 libvmaf/src/feature/float_adm.c, adm.c,
// adm_tools.c (plain C; libvmaf has no SIMD float ADM). Per-pixel values follow libvmaf's float
// arithmetic operation by operation (kernels/adm_float_simd.cpp). Deviations, all far below the
// 1e-5 tolerance:
//  - the decoupling ratio th/oh is an exact division; libvmaf multiplies by an SSE reciprocal
//    estimate refined by one Newton step (its result depends on the CPU);
//  - sums are double, 16 interleaved partial sums per row added pairwise, rows added in order
//    (kernels::admf::sum16); libvmaf sums rows and the frame sequentially in float. This is what
//    makes results identical on every SIMD target and thread count;
//  - gain limits that are not exact floats are applied in float (libvmaf: in double);
//  - when the denominator is 0 (adm_noise_weight=0 on flat input) libvmaf leaves aim
//    uninitialised; vqfuse writes 0;
//  - libvmaf omits its option suffix from the debug name "adm"; vqfuse suffixes every name.
// Size limit: width and height >= 17 (the coarsest scale needs 2x2 detail bands).
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "features/extractor.hpp"
#include "features/kernels/adm_common.hpp"
#include "features/kernels/adm_float.hpp"
#include "features/kernels/adm_pipeline.hpp"

namespace vqfuse::features {
namespace {

namespace adm = kernels::adm;
namespace admf = kernels::admf;

constexpr OptionInfo kFloatAdmOptions[] = {
    {"debug", OptType::kBool, 0, {}, 0, 1, "also write adm, adm_num, adm_den and per-scale num/den"},
    {"adm_enhn_gain_limit", OptType::kDouble, 100.0, {}, 1, 100,
     "enhancement gain limit (>= 1; 1 disables enhancement gain)", true, "egl"},
    {"adm_norm_view_dist", OptType::kDouble, 3.0, {}, 0.75, 24,
     "viewing distance / reference display height", true, "nvd"},
    {"adm_noise_weight", OptType::kDouble, 0.03125, {}, 0, 1500, "noise floor weight", true, "nw"},
    {"adm_csf_scale", OptType::kDouble, 1.0, {}, 0, 50, "scale of the CSF (Barten mode)", true, "scf"},
    {"adm_csf_diag_scale", OptType::kDouble, 1.0, {}, 0, 50, "scale of the diagonal CSF (Barten mode)",
     true, "scfd"},
    {"adm_ref_display_height", OptType::kInt, 1080, {}, 1, 4320, "reference display height in pixels",
     true, "rdf"},
    {"adm_csf_mode", OptType::kInt, 0, {}, 0, 9, "CSF: 0 Watson, 1 Barten, 2 ADM native (3..9: Watson)",
     true, "csf"},
    {"adm_bypass_cm", OptType::kInt, 0, {}, 0, 1, "bypass contrast masking", true, "bcm"},
    {"adm_adm3_apply_hm", OptType::kBool, 0, {}, 0, 1, "adm3 as the harmonic mean of adm2 and aim",
     true, "aah"},
    {"adm_p_norm", OptType::kDouble, 3.0, {}, 1, 20, "p-norm of the energy sums", true, "apn"},
    {"adm_dlm_weight", OptType::kDouble, 0.5, {}, 0, 1, "weight of DLM against AIM in adm3", true, "dlmw"},
    {"adm_min_val", OptType::kDouble, 0.0, {}, 0, 1, "lower clip of adm3", true, "min"},
    {"adm_f1s0", OptType::kDouble, -1, {}, -1, 10, "CSF factor h/v, scale 0 (< 0: computed)", true, "f1s0"},
    {"adm_f1s1", OptType::kDouble, -1, {}, -1, 10, "CSF factor h/v, scale 1", true, "f1s1"},
    {"adm_f1s2", OptType::kDouble, -1, {}, -1, 10, "CSF factor h/v, scale 2", true, "f1s2"},
    {"adm_f1s3", OptType::kDouble, -1, {}, -1, 10, "CSF factor h/v, scale 3", true, "f1s3"},
    {"adm_f2s0", OptType::kDouble, -1, {}, -1, 10, "CSF factor d, scale 0 (< 0: computed)", true, "f2s0"},
    {"adm_f2s1", OptType::kDouble, -1, {}, -1, 10, "CSF factor d, scale 1", true, "f2s1"},
    {"adm_f2s2", OptType::kDouble, -1, {}, -1, 10, "CSF factor d, scale 2", true, "f2s2"},
    {"adm_f2s3", OptType::kDouble, -1, {}, -1, 10, "CSF factor d, scale 3", true, "f2s3"},
    {"adm_skip_aim_scale", OptType::kInt, -1, {}, 0, 3, "leave this scale out of aim", true, "sasc"},
    {"adm_skip_scale0", OptType::kBool, 0, {}, 0, 1, "skip scale 0 (its num 0, den 1e-10)", true, "ssz"},
};

constexpr FeatureId kScaleId[4] = {feature_id("adm_scale0"), feature_id("adm_scale1"),
                                   feature_id("adm_scale2"), feature_id("adm_scale3")};
constexpr FeatureId kNumId[4] = {feature_id("adm_num_scale0"), feature_id("adm_num_scale1"),
                                 feature_id("adm_num_scale2"), feature_id("adm_num_scale3")};
constexpr FeatureId kDenId[4] = {feature_id("adm_den_scale0"), feature_id("adm_den_scale1"),
                                 feature_id("adm_den_scale2"), feature_id("adm_den_scale3")};

struct Params {
  double gain_limit, view_dist, noise_weight, csf_scale, csf_diag_scale, p_norm, dlm_weight, min_val;
  int display_height, csf_mode, skip_aim_scale;
  bool bypass_cm, harmonic_adm3, skip_scale0;
  double factor[2][4];  // option overrides (adm_f1sN, adm_f2sN), < 0: computed
  float rfactor[4][3];
};

class FloatOps {
 public:
  using T = float;
  using Tmp0 = float;
  static constexpr int kMaskArrays = 6;  // |csf| h, v, d then |csf|/30 h, v, d

  FloatOps(const Params& p, int bpc) : p_(p), bpc_(bpc), cube_(p.p_norm == 3.0) {}

  void begin(int scale, int wb, int hb) {
    scale_ = scale;
    sc_ = adm::score_region(wb, hb);
    for (int k = 0; k < 3; ++k) den_[k] = num_[0][k] = num_[1][k] = 0;
    if (terms_.size() < 3 * static_cast<size_t>(wb)) terms_.resize(3 * static_cast<size_t>(wb));
  }
  void vert0(const uint16_t* const rows[4], int n, T* lo, T* hi) {
    admf::dwt_vert_u16(rows, n, bpc_, lo, hi);
  }
  void vert(const T* const rows[4], int n, T* lo, T* hi) { admf::dwt_vert(rows, n, lo, hi); }
  void hori(const T* src, int j0, int j1, T* lo, T* hi) { admf::dwt_hori(src - 1, j0, j1, lo, hi); }
  void decouple(const T* const o[3], const T* const t[3], int n, T* const r[3], T* const a[3]) {
    admf::decouple(o, t, n, static_cast<float>(p_.gain_limit), r, a);
  }
  void den(const T* const b[3], int n) {
    for (int k = 0; k < 3; ++k) {
      admf::den_terms(b[k], n, p_.rfactor[scale_][k], cube_, terms_.data());
      den_[k] += row_sum(terms_.data(), n);
    }
  }
  void mask(const T* const src[3], int n, T* const out[6]) {
    for (int k = 0; k < 3; ++k) admf::csf(src[k], n, p_.rfactor[scale_][k], out[k], out[3 + k]);
  }
  void cm(bool aim, const T* const src[3], const T* const* above, const T* const* center,
          const T* const* below, int n) {
    admf::CmRows rows;
    for (int k = 0; k < 3; ++k) {
      rows.src[k] = src[k];
      rows.mag[k] = center[k];
      rows.above[k] = above[3 + k];
      rows.center[k] = center[3 + k];
      rows.below[k] = below[3 + k];
    }
    float* out[3] = {terms_.data(), terms_.data() + n, terms_.data() + 2 * n};
    admf::cm_terms(rows, n, p_.rfactor[scale_], p_.bypass_cm, cube_, out);
    for (int k = 0; k < 3; ++k) num_[aim][k] += row_sum(out[k], n);
  }

  // libvmaf: powf(sum, 1/p) + powf(area * weight, 1/p) per band, added in float.
  float num_score(bool aim) const { return score(num_[aim], aim ? 0.0 : p_.noise_weight); }
  float den_score() const { return score(den_, p_.noise_weight); }

 private:
  double row_sum(float* v, int n) {
    if (!cube_) {
      const float p = static_cast<float>(p_.p_norm);
      for (int j = 0; j < n; ++j) v[j] = std::pow(v[j], p);
    }
    return admf::sum16(v, n);
  }
  float score(const double* acc, double weight) const {
    const float inv = static_cast<float>(1.0f / p_.p_norm);
    const float noise = std::pow(static_cast<float>(sc_.width() * sc_.height() * weight), inv);
    float sum = 0;
    for (int k = 0; k < 3; ++k) sum += std::pow(static_cast<float>(acc[k]), inv) + noise;
    return sum;
  }

  const Params& p_;
  int bpc_;
  bool cube_;
  int scale_ = 0;
  adm::Region sc_;
  double den_[3] = {};
  double num_[2][3] = {};
  std::vector<float> terms_;
};

struct Workspace {
  adm::RowScratch<float> rows;
  ImageF planes[3][2];  // LL bands of scales 0..2 [ref, dis]
};

class FloatAdm final : public Extractor {
 public:
  explicit FloatAdm(const Options& o) {
    p_.gain_limit = o.get_double("adm_enhn_gain_limit");
    p_.view_dist = o.get_double("adm_norm_view_dist");
    p_.noise_weight = o.get_double("adm_noise_weight");
    p_.csf_scale = o.get_double("adm_csf_scale");
    p_.csf_diag_scale = o.get_double("adm_csf_diag_scale");
    p_.display_height = o.get_int("adm_ref_display_height");
    p_.csf_mode = o.get_int("adm_csf_mode");
    p_.bypass_cm = o.get_int("adm_bypass_cm") != 0;
    p_.harmonic_adm3 = o.get_bool("adm_adm3_apply_hm");
    p_.p_norm = o.get_double("adm_p_norm");
    p_.dlm_weight = o.get_double("adm_dlm_weight");
    p_.min_val = o.get_double("adm_min_val");
    p_.skip_aim_scale = o.get_int("adm_skip_aim_scale");
    p_.skip_scale0 = o.get_bool("adm_skip_scale0");
    for (int s = 0; s < 4; ++s) {
      p_.factor[0][s] = o.get_double("adm_f1s" + std::to_string(s));
      p_.factor[1][s] = o.get_double("adm_f2s" + std::to_string(s));
    }
    for (int s = 0; s < 4; ++s) {
      float f1, f2;
      if (p_.csf_mode == adm::kCsfBarten) {
        f1 = adm::barten_csf(s, p_.view_dist, p_.display_height, 100.0, p_.csf_scale);
        f2 = adm::barten_csf(s, p_.view_dist, p_.display_height, 100.0, p_.csf_diag_scale);
      } else if (p_.csf_mode == adm::kCsfBlend) {  // float_adm's mode 2: ADM native CSF
        f1 = adm::native_csf(s, p_.view_dist, p_.display_height, 0);
        f2 = adm::native_csf(s, p_.view_dist, p_.display_height, 45);
      } else {
        f1 = adm::watson_factor(s, 1, p_.view_dist, p_.display_height);
        f2 = adm::watson_factor(s, 2, p_.view_dist, p_.display_height);
      }
      if (p_.factor[0][s] >= 0) f1 = static_cast<float>(p_.factor[0][s]);
      if (p_.factor[1][s] >= 0) f2 = static_cast<float>(p_.factor[1][s]);
      p_.rfactor[s][0] = p_.rfactor[s][1] = f1;
      p_.rfactor[s][2] = f2;
    }
  }

  Result<void> init(const VideoInfo& v) override {
    if (v.width < 17 || v.height < 17)
      return Error(Errc::kUnsupported, "needs width and height >= 17, input is " +
                                           std::to_string(v.width) + "x" + std::to_string(v.height));
    bpc_ = v.bit_depth;
    return {};
  }

  void extract(FrameCtx& f, FeatureRow& row) override {
    thread_local Workspace ws;
    FloatOps ops(p_, bpc_);
    const CPlaneU16 ref = f.ref().plane(0), dis = f.dis().plane(0);
    double num = 0, den = 0, aim_num = 0, aim_den = 0;
    double scores[8];
    int w = ref.width, h = ref.height;
    for (int s = 0; s < 4; ++s) {
      const int wb = (w + 1) / 2, hb = (h + 1) / 2;
      ImageF* out = ws.planes[s < 3 ? s : 0];
      for (int k = 0; s < 3 && k < 2; ++k)
        if (out[k].width() != wb || out[k].height() != hb) out[k].reset(wb, hb);
      ops.begin(s, wb, hb);
      const bool detail = !(s == 0 && p_.skip_scale0);
      if (s == 0) {
        adm::run_scale(ops, ws.rows, ref, dis, &out[0], &out[1], detail, true);
      } else {
        const ImageF* in = ws.planes[s - 1];
        adm::run_scale(ops, ws.rows, in[0].view(), in[1].view(), s < 3 ? &out[0] : nullptr,
                       s < 3 ? &out[1] : nullptr, detail, true);
      }
      float num_s = 0, den_s = 1e-10f, aim_s = 0;
      if (detail) {
        num_s = ops.num_score(false);
        den_s = ops.den_score();
        aim_s = ops.num_score(true);
      }
      num += num_s;
      den += den_s;
      if (p_.skip_aim_scale != s) {
        aim_den += den_s;
        aim_num += aim_s;
      }
      scores[2 * s] = num_s;
      scores[2 * s + 1] = den_s;
      w = wb;
      h = hb;
    }
    const double limit = 1e-10 * (ref.width * ref.height) / (1920.0 * 1080.0);
    if (num < limit) num = 0;
    if (den < limit) den = 0;
    double score = 1.0, score_aim = 0.0;
    if (den != 0.0) {
      score_aim = std::min(aim_num / aim_den, 1.0);
      score = num / den;
    }
    const double adm3 = p_.harmonic_adm3
                            ? 2 * score * score_aim / (score + score_aim)
                            : score * p_.dlm_weight + (1 - score_aim) * (1 - p_.dlm_weight);
    row.set(feature_id("adm2"), score);
    row.set(feature_id("aim"), score_aim);
    row.set(feature_id("adm3"), std::max(adm3, p_.min_val));
    for (int s = 0; s < 4; ++s) {
      row.set(kScaleId[s], scores[2 * s] / scores[2 * s + 1]);
      row.set(kNumId[s], scores[2 * s]);
      row.set(kDenId[s], scores[2 * s + 1]);
    }
    row.set(feature_id("adm"), score);
    row.set(feature_id("adm_num"), num);
    row.set(feature_id("adm_den"), den);
  }

 private:
  Params p_{};
  int bpc_ = 8;
};

}  // namespace

extern const ExtractorInfo kFloatAdmInfo{
    Ext::kFloatAdm, "float_adm", "float ADM/DLM: adm2, aim, adm3, adm_scale0..3", kFloatAdmOptions,
    [](const Options& o) -> std::unique_ptr<Extractor> { return std::make_unique<FloatAdm>(o); }};

}  // namespace vqfuse::features
