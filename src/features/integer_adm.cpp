// adm: the integer ADM / DLM (Detail Loss Metric) of VMAF, bit-exact with libvmaf's C path.
//
// ADM (Li, Zhang, Ngan, "Image Quality Assessment by Separately Evaluating Detail Losses and
// Additive Impairments", IEEE Trans. Multimedia 13(5), 2011) decomposes reference and distorted
// luma with a 4-scale db2 DWT, splits the distorted detail bands into the part restored from
// the reference (r) and the additive impairment (a), weights both with a contrast sensitivity
// function and lets a mask the visibility of r (contrast masking). Per scale, the masked
// restored energy (a 3-norm) over the reference's CSF energy is the detail preserved:
// integer_adm2 = sum num / sum den, integer_adm_scaleN = num_N / den_N. AIM, the additive
// impairment measure, does the converse (a masked by r) and integer_adm3 blends the two.
//
// Behavioural reference: Netflix/vmaf f85a853 libvmaf/src/feature/integer_adm.c (+ .h), the C
// path (netflix_c); its AVX2 path differs on some inputs (integer_aim on golden pair p06). Every
// fixed-point step, truncation and rounding constant is reproduced, so values are bit-identical;
// the computation order differs (one fused row pass per scale, kernels/adm_pipeline.hpp, with
// Highway kernels kernels/adm_int_simd.cpp), which integer arithmetic makes irrelevant.
//
// Deviations:
//  - When the denominator is 0 (only possible with adm_noise_weight=0 on flat input) libvmaf
//    leaves integer_aim uninitialised; vqfuse writes 0.
//  - Out-of-range CSF factors (extreme adm_csf_scale) convert to fixed point with x86's
//    truncating conversion instead of C's undefined behaviour.
// Size limits: width and height >= 33 (below, libvmaf's DWT index table reads outside the
// picture at the coarsest scale); bit depth <= 12 (libvmaf's int32 DWT overflows at 16 bits);
// adm_norm_view_dist * adm_ref_display_height >= 3240 (libvmaf rejects smaller: its 16-bit
// pipeline cannot represent the lower angular frequencies). Luma only, any chroma format.
#include <cmath>

#include "features/extractor.hpp"
#include "features/kernels/adm_common.hpp"
#include "features/kernels/adm_int.hpp"
#include "features/kernels/adm_pipeline.hpp"

namespace vqfuse::features {
namespace {

namespace adm = kernels::adm;
namespace admi = kernels::admi;

constexpr OptionInfo kIntegerAdmOptions[] = {
    {"debug", OptType::kBool, 0, {}, 0, 1, "also write integer_adm, _num, _den and per-scale num/den"},
    {"adm_csf_scale", OptType::kDouble, 1.0, {}, 0, 50,
     "scale of the horizontal/vertical CSF terms (Barten mode)", true, "scf"},
    {"adm_csf_diag_scale", OptType::kDouble, 1.0, {}, 0, 50,
     "scale of the diagonal CSF term (Barten mode)", true, "scfd"},
    {"adm_dlm_weight", OptType::kDouble, 0.5, {}, 0, 1,
     "weight of DLM against AIM in integer_adm3 (1 = DLM only)", true, "dlmw"},
    {"adm_enhn_gain_limit", OptType::kDouble, 100.0, {}, 1, 100,
     "enhancement gain limit (>= 1; 1 disables enhancement gain)", true, "egl"},
    {"adm_norm_view_dist", OptType::kDouble, 3.0, {}, 0.75, 24,
     "viewing distance / reference display height", true, "nvd"},
    {"adm_ref_display_height", OptType::kInt, 1080, {}, 1, 4320, "reference display height in pixels",
     true, "rdh"},
    {"adm_csf_mode", OptType::kInt, 0, {}, 0, 3,
     "CSF: 0 Watson, 1 Barten, 2 Barten/Watson blend, 3 blend (MAE fit)", true, "csf"},
    {"adm_noise_weight", OptType::kDouble, 0.03125, {}, 0, 1500, "noise floor weight", true, "nw"},
    {"adm_skip_aim", OptType::kBool, 0, {}, 0, 1, "skip AIM (integer_aim = 0)"},
    {"adm_skip_scale0", OptType::kBool, 0, {}, 0, 1, "skip scale 0 (its num 0, den 1e-10)", true, "ssz"},
    {"adm_min_val", OptType::kDouble, 0.0, {}, 0, 1, "lower clip of integer_adm3", true, "min"},
};

constexpr FeatureId kScaleId[4] = {feature_id("integer_adm_scale0"), feature_id("integer_adm_scale1"),
                                   feature_id("integer_adm_scale2"), feature_id("integer_adm_scale3")};
constexpr FeatureId kNumId[4] = {feature_id("integer_adm_num_scale0"), feature_id("integer_adm_num_scale1"),
                                 feature_id("integer_adm_num_scale2"), feature_id("integer_adm_num_scale3")};
constexpr FeatureId kDenId[4] = {feature_id("integer_adm_den_scale0"), feature_id("integer_adm_den_scale1"),
                                 feature_id("integer_adm_den_scale2"), feature_id("integer_adm_den_scale3")};

struct Params {
  double gain_limit, view_dist, noise_weight, dlm_weight, min_val, csf_scale, csf_diag_scale;
  int display_height, csf_mode;
  bool skip_aim, skip_scale0;
  float rfactor[4][3];    // float CSF factors h, v, d per scale
  uint16_t rf0[3];        // scale 0 fixed point (Q21, Q21, Q23)
  uint32_t rf[4][3];      // scales 1..3 fixed point (Q32)
};

int ceil_log2(double v) { return static_cast<int>(std::ceil(std::log2(v))); }
uint32_t half_pow2(int shift) { return static_cast<uint32_t>(std::pow(2, shift - 1)); }

// One scale's sums and libvmaf's conversion of them to num/den scores.
class IntOps {
 public:
  using T = int32_t;
  using Tmp0 = int16_t;                  // libvmaf's int16 vertical-pass rows at scale 0
  static constexpr int kMaskArrays = 2;  // sum of flt, sum of ctr over the bands

  IntOps(const Params& p, int bpc) : p_(p), bpc_(bpc) {}

  void begin(int scale, int wb, int hb) {
    scale_ = scale;
    wb_ = wb;
    hb_ = hb;
    sc_ = adm::score_region(wb, hb);
    for (int k = 0; k < 3; ++k) den_[k] = num_[0][k] = num_[1][k] = 0;
    if (scale == 0) {
      den_shift_ = std::max(0, static_cast<int>(std::ceil(std::log2(
                                   static_cast<double>(sc_.height() * sc_.width())) - 20)));
      cm_.s123 = false;
      const int cub_hv = static_cast<int>(static_cast<uint32_t>(std::ceil(std::log2(wb) - 4)));
      const int cub_d = static_cast<int>(static_cast<uint32_t>(std::ceil(std::log2(wb) - 3)));
      for (int k = 0; k < 3; ++k) {
        cm_.rfactor[k] = p_.rf0[k];
        cm_.sub[k] = k == 2 ? 12 : 10;
        cm_.shift_sq[k] = k == 2 ? 30 : 29;
        cm_.shift_cub[k] = k == 2 ? cub_d : cub_hv;
      }
    } else {
      den_shift_ = ceil_log2(sc_.height());
      den_cub_ = ceil_log2(sc_.width());
      cm_.s123 = true;
      for (int k = 0; k < 3; ++k) {
        cm_.rfactor[k] = p_.rf[scale][k];
        cm_.sub[k] = 0;
        cm_.shift_sq[k] = 30;
        cm_.shift_cub[k] = ceil_log2(wb);
      }
    }
    inner_shift_ = ceil_log2(hb);
  }

  void vert0(const uint16_t* const rows[4], int n, Tmp0* lo, Tmp0* hi) {
    admi::dwt_vert_s0(rows, n, bpc_, lo, hi);
  }
  void vert(const T* const rows[4], int n, T* lo, T* hi) {
    admi::dwt_vert_s123(rows, n, scale_, lo, hi);
  }
  void hori(const Tmp0* src, int j0, int j1, T* lo, T* hi) {
    admi::dwt_hori_s0(src - 1, j0, j1, lo, hi);
  }
  void hori(const T* src, int j0, int j1, T* lo, T* hi) {
    admi::dwt_hori(src - 1, j0, j1, scale_, lo, hi);
  }
  void decouple(const T* const o[3], const T* const t[3], int n, T* const r[3], T* const a[3]) {
    admi::decouple(o, t, n, p_.gain_limit, scale_ == 0, r, a);
  }
  void den(const T* const b[3], int n) {
    uint64_t s[3];
    if (scale_ == 0) {
      admi::den_s0(b, n, s);
      const uint64_t add = den_shift_ > 0 ? uint64_t{1} << (den_shift_ - 1) : 0;
      for (int k = 0; k < 3; ++k) den_[k] += (s[k] + add) >> den_shift_;
    } else {
      static constexpr int kShiftSq[3] = {31, 30, 31};
      admi::den_s123(b, n, kShiftSq[scale_ - 1], den_cub_, s);
      for (int k = 0; k < 3; ++k) den_[k] += (s[k] + half_pow2(den_shift_)) >> den_shift_;
    }
  }
  void mask(const T* const src[3], int n, T* const out[2]) {
    if (scale_ == 0) admi::csf_s0(src, n, p_.rf0, out[0], out[1]);
    else admi::csf_s123(src, n, p_.rf[scale_], out[0], out[1]);
  }
  void cm(bool aim, const T* const src[3], const T* const* above, const T* const* center,
          const T* const* below, int n) {
    int64_t s[3];
    admi::cm(src, above[0], center[0], below[0], center[1], n, cm_, s);
    for (int k = 0; k < 3; ++k) num_[aim][k] += (s[k] + half_pow2(inner_shift_)) >> inner_shift_;
  }

  // libvmaf's float conversions of the integer sums (adm_cm / i4_adm_cm return values).
  float num_score(bool aim) const {
    const float noise = std::pow(
        static_cast<float>(sc_.height() * sc_.width() * (aim ? 0.0 : p_.noise_weight)), 1.0f / 3.0f);
    float f[3];
    if (scale_ == 0) {
      const int cub_hv = cm_.shift_cub[0], cub_d = cm_.shift_cub[2];
      for (int k = 0; k < 3; ++k) {
        const int e = (k == 2 ? 57 - cub_d : 52 - cub_hv) - inner_shift_;
        f[k] = static_cast<float>(num_[aim][k] / std::pow(2, e));
      }
    } else {
      static constexpr int kBase[3] = {45, 39, 36};
      const float div = static_cast<float>(std::pow(2, kBase[scale_ - 1] - cm_.shift_cub[0] - inner_shift_));
      for (int k = 0; k < 3; ++k) f[k] = static_cast<float>(num_[aim][k]) / div;
    }
    float sum = 0;
    for (int k = 0; k < 3; ++k) sum += std::pow(f[k], 1.0f / 3.0f) + noise;
    return sum;
  }
  float den_score() const {
    static constexpr int kConvert[3] = {32, 27, 23};
    const double div = scale_ == 0 ? std::pow(2, 18 - den_shift_)
                                   : std::pow(2, kConvert[scale_ - 1] - den_shift_ - den_cub_);
    const float noise =
        std::pow(static_cast<float>(sc_.height() * sc_.width() * p_.noise_weight), 1.0f / 3.0f);
    float sum = 0;
    for (int k = 0; k < 3; ++k) {
      const double csf = static_cast<double>(den_[k] / div) *
                         std::pow(static_cast<double>(p_.rfactor[scale_][k]), 3);
      sum += std::pow(static_cast<float>(csf), 1.0f / 3.0f) + noise;
    }
    return sum;
  }

 private:
  const Params& p_;
  int bpc_;
  int scale_ = 0, wb_ = 0, hb_ = 0;
  adm::Region sc_;
  admi::CmParams cm_;
  int den_shift_ = 0, den_cub_ = 0, inner_shift_ = 0;
  uint64_t den_[3] = {};
  int64_t num_[2][3] = {};
};

// Per-thread buffers reused across frames (extract() runs concurrently for different frames).
struct Workspace {
  adm::RowScratch<int32_t> rows;
  Image<int32_t> planes[3][2];  // LL bands of scales 0..2 [ref, dis]
};

void ensure(Image<int32_t>& img, int w, int h) {
  if (img.width() != w || img.height() != h) img.reset(w, h);
}

class IntegerAdm final : public Extractor {
 public:
  explicit IntegerAdm(const Options& o) {
    p_.gain_limit = o.get_double("adm_enhn_gain_limit");
    p_.view_dist = o.get_double("adm_norm_view_dist");
    p_.display_height = o.get_int("adm_ref_display_height");
    p_.csf_mode = o.get_int("adm_csf_mode");
    p_.csf_scale = o.get_double("adm_csf_scale");
    p_.csf_diag_scale = o.get_double("adm_csf_diag_scale");
    p_.noise_weight = o.get_double("adm_noise_weight");
    p_.dlm_weight = o.get_double("adm_dlm_weight");
    p_.min_val = o.get_double("adm_min_val");
    p_.skip_aim = o.get_bool("adm_skip_aim");
    p_.skip_scale0 = o.get_bool("adm_skip_scale0");
  }

  Result<void> init(const VideoInfo& v) override {
    if (v.width < 33 || v.height < 33)
      return Error(Errc::kUnsupported, "needs width and height >= 33, input is " +
                                           std::to_string(v.width) + "x" + std::to_string(v.height));
    if (v.bit_depth > 12)
      return Error(Errc::kUnsupported, "needs bit depth <= 12 (libvmaf's integer DWT overflows "
                                       "at 16 bits), input is " + std::to_string(v.bit_depth) + "-bit");
    if (p_.view_dist * p_.display_height < 3.0 * 1080)
      return Error(Errc::kInvalidArgument,
                   "adm_norm_view_dist * adm_ref_display_height must be >= 3240 (libvmaf's 16-bit "
                   "scale-0 pipeline)");
    for (int s = 0; s < 4; ++s) {
      float f1 = 0, f2 = 0;
      switch (p_.csf_mode) {
        case adm::kCsfBarten:
          f1 = adm::barten_csf(s, p_.view_dist, p_.display_height, 100.0, p_.csf_scale);
          f2 = adm::barten_csf(s, p_.view_dist, p_.display_height, 100.0, p_.csf_diag_scale);
          break;
        case adm::kCsfBlend:
        case adm::kCsfBlendMae: {
          const bool mae = p_.csf_mode == adm::kCsfBlendMae;
          if (!adm::blend_csf(s, 0, p_.view_dist, p_.display_height, mae, &f1) ||
              !adm::blend_csf(s, 1, p_.view_dist, p_.display_height, mae, &f2))
            return Error(Errc::kInvalidArgument,
                         "adm_csf_mode 2/3 has tables only for adm_ref_display_height 480, 720, "
                         "1080, 2160 at adm_norm_view_dist 3 or 5 (and 2160 at 1.5)");
          break;
        }
        default:
          f1 = adm::watson_factor(s, 1, p_.view_dist, p_.display_height);
          f2 = adm::watson_factor(s, 2, p_.view_dist, p_.display_height);
      }
      p_.rfactor[s][0] = p_.rfactor[s][1] = f1;
      p_.rfactor[s][2] = f2;
      for (int k = 0; k < 3; ++k)
        p_.rf[s][k] = static_cast<uint32_t>(static_cast<int64_t>(p_.rfactor[s][k] * std::pow(2, 32)));
    }
    if (std::fabs(p_.view_dist * p_.display_height - 3.0 * 1080) < 1.0e-8 &&
        p_.csf_mode == adm::kCsfWatson) {
      // libvmaf's hard-coded values for the default viewing condition.
      p_.rf0[0] = p_.rf0[1] = 36453;
      p_.rf0[2] = 49417;
    } else {
      for (int k = 0; k < 3; ++k)
        p_.rf0[k] = static_cast<uint16_t>(static_cast<int32_t>(p_.rfactor[0][k] * std::pow(2, k == 2 ? 23 : 21)));
    }
    bpc_ = v.bit_depth;
    return {};
  }

  void extract(FrameCtx& f, FeatureRow& row) override {
    thread_local Workspace ws;
    IntOps ops(p_, bpc_);
    const CPlaneU16 ref = f.ref().plane(0), dis = f.dis().plane(0);
    double num = 0, den = 0, aim_num = 0;
    double scores[8];
    int w = ref.width, h = ref.height;
    for (int s = 0; s < 4; ++s) {
      const int wb = (w + 1) / 2, hb = (h + 1) / 2;
      Image<int32_t>* out = ws.planes[s < 3 ? s : 0];
      if (s < 3) {
        ensure(out[0], wb, hb);
        ensure(out[1], wb, hb);
      }
      ops.begin(s, wb, hb);
      const bool detail = !(s == 0 && p_.skip_scale0);
      const bool aim = !p_.skip_aim;
      if (s == 0) {
        adm::run_scale(ops, ws.rows, ref, dis, &out[0], &out[1], detail, aim);
      } else {
        const Image<int32_t>* in = ws.planes[s - 1];
        adm::run_scale(ops, ws.rows, in[0].view(), in[1].view(), s < 3 ? &out[0] : nullptr,
                       s < 3 ? &out[1] : nullptr, detail, aim);
      }
      float num_s = 0, den_s = 1e-10f, aim_s = 0;
      if (detail) {
        num_s = ops.num_score(false);
        den_s = ops.den_score();
        if (aim) aim_s = ops.num_score(true);
      }
      num += num_s;
      den += den_s;
      aim_num += aim_s;
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
      score = num / den;
      score_aim = aim_num / den;
    }
    row.set(feature_id("integer_adm2"), score);
    row.set(feature_id("integer_aim"), score_aim);
    row.set(feature_id("integer_adm3"),
            std::max(score * p_.dlm_weight + (1 - score_aim) * (1 - p_.dlm_weight), p_.min_val));
    for (int s = 0; s < 4; ++s) {
      row.set(kScaleId[s], scores[2 * s] / scores[2 * s + 1]);
      row.set(kNumId[s], scores[2 * s]);
      row.set(kDenId[s], scores[2 * s + 1]);
    }
    row.set(feature_id("integer_adm"), score);
    row.set(feature_id("integer_adm_num"), num);
    row.set(feature_id("integer_adm_den"), den);
  }

 private:
  Params p_{};
  int bpc_ = 8;
};

}  // namespace

extern const ExtractorInfo kIntegerAdmInfo{
    Ext::kIntegerAdm, "adm", "integer ADM/DLM: integer_adm2, integer_aim, integer_adm3, per-scale",
    kIntegerAdmOptions,
    [](const Options& o) -> std::unique_ptr<Extractor> { return std::make_unique<IntegerAdm>(o); }};

}  // namespace vqfuse::features
