// psnr_hvs: PSNR-HVS-M of Y, Cb and Cr and their 0.8/0.1/0.1 combination.
//
// What: overlapping 8x8 blocks (step 7) of both pictures go through Daala's integer DCT; each
// coefficient difference is weighted by a contrast sensitivity function (CSF) after removing the
// part masked by the block's AC energy (scaled by the ratio of 4x4 to 8x8 variance); the mean
// squared weighted error, normalised by (2^bpc - 1)^2, is reported as -10*log10.
// Paper: N. Ponomarenko, F. Silvestri, K. Egiazarian, M. Carli, J. Astola, V. Lukin, "On
// between-coefficient contrast masking of DCT basis functions", VPQM-07 (2007); Xiph's
// normalised CSF tables (Daala tools).
// Behavioural reference: Netflix/vmaf f85a853 libvmaf/src/feature/third_party/xiph/psnr_hvs.c
// (calc_psnrhvs, step 7, csf_cb420/csf_cr420 for chroma of every subsampling).
// Exactness: libvmaf accumulates every squared error of the plane into ONE float, block by
// block in raster order, coefficient by coefficient; a float sum of millions of terms depends on
// that order far beyond the tolerance, so vqfuse reproduces it: the per-block work runs one block
// per SIMD lane with libvmaf's exact float/int32 operation sequence (kernels/psnr_hvs*), and the
// terms are then added in libvmaf's order into one float. The result is bit-identical to
// libvmaf's C code for any thread count and SIMD target (the three planes run in parallel).
// Odd sizes: chroma is the true ceil(w/2) x ceil(h/2) plane (Netflix's golden for p03 was made
// from floor-size chroma; the fork reads the same planes as vqfuse).
// Size limits: bpc <= 12 (as libvmaf), not 4:0:0 (as libvmaf), every plane >= 8x8 (libvmaf
// divides 0 by 0 below that).
#include <cmath>
#include <string>
#include <vector>

#include "core/parallel.hpp"
#include "features/extractor.hpp"
#include "features/kernels/psnr_hvs.hpp"

namespace vqfuse::features {
namespace {

constexpr FeatureId kIds[3] = {feature_id("psnr_hvs_y"), feature_id("psnr_hvs_cb"),
                               feature_id("psnr_hvs_cr")};
constexpr FeatureId kCombined = feature_id("psnr_hvs");
constexpr int kStep = 7;

// Xiph's normalised inverse quantisation matrices at the point of transparency (Daala
// tools/dump_psnrhvs.c; as used by libvmaf), row-major: row = vertical frequency.
constexpr double kCsfY[64] = {
    1.6193873005, 2.2901594831, 2.08509755623, 1.48366094411, 1.00227514334, 0.678296995242, 0.466224900598, 0.3265091542,
    2.2901594831, 1.94321815382, 2.04793073064, 1.68731108984, 1.2305666963, 0.868920337363, 0.61280991668, 0.436405793551,
    2.08509755623, 2.04793073064, 1.34329019223, 1.09205635862, 0.875748795257, 0.670882927016, 0.501731932449, 0.372504254596,
    1.48366094411, 1.68731108984, 1.09205635862, 0.772819797575, 0.605636379554, 0.48309405692, 0.380429446972, 0.295774038565,
    1.00227514334, 1.2305666963, 0.875748795257, 0.605636379554, 0.448996256676, 0.352889268808, 0.283006984131, 0.226951348204,
    0.678296995242, 0.868920337363, 0.670882927016, 0.48309405692, 0.352889268808, 0.27032073436, 0.215017739696, 0.17408067321,
    0.466224900598, 0.61280991668, 0.501731932449, 0.380429446972, 0.283006984131, 0.215017739696, 0.168869545842, 0.136153931001,
    0.3265091542, 0.436405793551, 0.372504254596, 0.295774038565, 0.226951348204, 0.17408067321, 0.136153931001, 0.109083846276};
constexpr double kCsfCb[64] = {
    1.91113096927, 2.46074210438, 1.18284184739, 1.14982565193, 1.05017074788, 0.898018824055, 0.74725392039, 0.615105596242,
    2.46074210438, 1.58529308355, 1.21363250036, 1.38190029285, 1.33100189972, 1.17428548929, 0.996404342439, 0.830890433625,
    1.18284184739, 1.21363250036, 0.978712413627, 1.02624506078, 1.03145147362, 0.960060382087, 0.849823426169, 0.731221236837,
    1.14982565193, 1.38190029285, 1.02624506078, 0.861317501629, 0.801821139099, 0.751437590932, 0.685398513368, 0.608694761374,
    1.05017074788, 1.33100189972, 1.03145147362, 0.801821139099, 0.676555426187, 0.605503172737, 0.55002013668, 0.495804539034,
    0.898018824055, 1.17428548929, 0.960060382087, 0.751437590932, 0.605503172737, 0.514674450957, 0.454353482512, 0.407050308965,
    0.74725392039, 0.996404342439, 0.849823426169, 0.685398513368, 0.55002013668, 0.454353482512, 0.389234902883, 0.342353999733,
    0.615105596242, 0.830890433625, 0.731221236837, 0.608694761374, 0.495804539034, 0.407050308965, 0.342353999733, 0.295530605237};
constexpr double kCsfCr[64] = {
    2.03871978502, 2.62502345193, 1.26180942886, 1.11019789803, 1.01397751469, 0.867069376285, 0.721500455585, 0.593906509971,
    2.62502345193, 1.69112867013, 1.17180569821, 1.3342742857, 1.28513006198, 1.13381474809, 0.962064122248, 0.802254508198,
    1.26180942886, 1.17180569821, 0.944981930573, 0.990876405848, 0.995903384143, 0.926972725286, 0.820534991409, 0.706020324706,
    1.11019789803, 1.3342742857, 0.990876405848, 0.831632933426, 0.77418706195, 0.725539939514, 0.661776842059, 0.587716619023,
    1.01397751469, 1.28513006198, 0.995903384143, 0.77418706195, 0.653238524286, 0.584635025748, 0.531064164893, 0.478717061273,
    0.867069376285, 1.13381474809, 0.926972725286, 0.725539939514, 0.584635025748, 0.496936637883, 0.438694579826, 0.393021669543,
    0.721500455585, 0.962064122248, 0.820534991409, 0.661776842059, 0.531064164893, 0.438694579826, 0.375820256136, 0.330555063063,
    0.593906509971, 0.802254508198, 0.706020324706, 0.587716619023, 0.478717061273, 0.393021669543, 0.330555063063, 0.285345396658};

// The tables as libvmaf holds them: float CSF, and the masking weights computed in double from
// the float CSF (the 0.3885746225901003 scale is Xiph's empirical fit to the paper's table).
kernels::PsnrHvsTables make_tables(const double* csf) {
  kernels::PsnrHvsTables t{};
  for (int k = 0; k < 64; ++k) {
    t.csf[k] = static_cast<float>(csf[k]);
    const double m = static_cast<double>(t.csf[k]) * 0.3885746225901003;
    t.mask[k] = static_cast<float>(m * m);
  }
  return t;
}

struct Scratch {
  std::vector<int32_t> src, dst;
  std::vector<float> terms;
};

// calc_psnrhvs of one plane: mean squared weighted error / (2^bpc - 1)^2, as libvmaf's float.
float plane_score(CPlaneU16 r, CPlaneU16 d, const kernels::PsnrHvsTables& t, int bpc) {
  const int nbx = (r.width - 8) / kStep + 1;
  const int nby = (r.height - 8) / kStep + 1;
  const size_t stride = (static_cast<size_t>(nbx) + kernels::kPsnrHvsLanePad - 1) /
                        kernels::kPsnrHvsLanePad * kernels::kPsnrHvsLanePad;
  thread_local Scratch s;
  s.src.assign(64 * stride, 0);  // pad lanes stay zero (computed, ignored)
  s.dst.assign(64 * stride, 0);
  s.terms.resize(64 * stride);
  float ret = 0;
  for (int by = 0; by < nby; ++by) {
    const int y = by * kStep;
    // Gather the block row into the kernel's layout: sample (i, j) of block b.
    for (int i = 0; i < 8; ++i) {
      const uint16_t* rr = r.row(y + i);
      const uint16_t* dr = d.row(y + i);
      for (int j = 0; j < 8; ++j) {
        int32_t* so = s.src.data() + (8 * i + j) * stride;
        int32_t* dout = s.dst.data() + (8 * i + j) * stride;
        for (int b = 0; b < nbx; ++b) {
          so[b] = rr[kStep * b + j];
          dout[b] = dr[kStep * b + j];
        }
      }
    }
    kernels::psnr_hvs_blocks(s.src.data(), s.dst.data(), stride, static_cast<size_t>(nbx), t,
                             s.terms.data());
    // libvmaf's accumulation order: block after block, coefficient after coefficient.
    const float* tm = s.terms.data();
    for (int b = 0; b < nbx; ++b)
      for (int k = 0; k < 64; ++k) ret += tm[k * stride + b];
  }
  const int pixels = 64 * nbx * nby;
  const int32_t samplemax = (1 << bpc) - 1;
  ret /= static_cast<float>(pixels);
  ret /= static_cast<float>(samplemax * samplemax);
  return ret;
}

class PsnrHvs final : public Extractor {
 public:
  PsnrHvs() : tables_{make_tables(kCsfY), make_tables(kCsfCb), make_tables(kCsfCr)} {}

  Result<void> init(const VideoInfo& v) override {
    if (v.bit_depth > 12)
      return Error(Errc::kUnsupported,
                   "psnr_hvs needs bit depth <= 12, input is " + std::to_string(v.bit_depth) + "-bit");
    if (v.chroma == Chroma::k400) return Error(Errc::kUnsupported, "psnr_hvs needs chroma planes, input is 4:0:0");
    for (int p = 0; p < 3; ++p)
      if (v.plane_width(p) < 8 || v.plane_height(p) < 8)
        return Error(Errc::kUnsupported, "psnr_hvs needs every plane >= 8x8, input is " +
                                             std::to_string(v.width) + "x" + std::to_string(v.height) +
                                             " " + chroma_name(v.chroma));
    bpc_ = v.bit_depth;
    return {};
  }

  void extract(FrameCtx& f, FeatureRow& row) override {
    double score[3];
    for_each_index(3, [&](int p) {
      score[p] = plane_score(f.ref().plane(p), f.dis().plane(p), tables_[p], bpc_);
    });
    for (int p = 0; p < 3; ++p) row.set(kIds[p], -10 * std::log10(score[p]));
    row.set(kCombined, -10 * std::log10(score[0] * .8 + .1 * (score[1] + score[2])));
  }

 private:
  kernels::PsnrHvsTables tables_[3];
  int bpc_ = 8;
};

}  // namespace

extern const ExtractorInfo kPsnrHvsInfo{
    Ext::kPsnrHvs, "psnr_hvs", "PSNR-HVS-M of Y, Cb, Cr and combined (DCT, CSF and masking)", {},
    [](const Options&) -> std::unique_ptr<Extractor> { return std::make_unique<PsnrHvs>(); }};

}  // namespace vqfuse::features
