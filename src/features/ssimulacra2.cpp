// ssimulacra2: SSIMULACRA 2 (Structural SIMilarity Unveiling Local And Compression Related
// Artifacts), Jon Sneyers, Cloudinary 2022/2023: a perceptual full-reference metric on a
// 0..100 scale (100 = identical; ~90 visually lossless, ~50 medium quality, below 30 poor).
//
// Definition: libjxl tools/ssimulacra2.cc. Behavioural reference (the numbers vqfuse matches):
// the lusoris/vmaf fork, libvmaf/src/feature/ssimulacra2.c and its AVX-512 kernels, which add
// the YUV front end: chroma upsampled by nearest neighbour, BT.709 limited range by default,
// codes scaled by 1/(2^bpc - 1), clamped R'G'B', the sRGB EOTF through a 1024-entry table with
// linear interpolation, and a bit-trick + two-Newton-step cube root (documented in
// kernels/ssimulacra2.hpp; intermediates.hpp has the exact conversion recipe).
// Per frame: linear RGB -> XYB (rescaled to be positive, B - Y), six scales (2x2 box
// downsampling in linear RGB), per scale and XYB channel the SSIM map (without the luminance
// denominator: 1 - SSIM as an error) and the edge-difference maps (artifact: the distorted image
// has edges the reference lacks; detail loss: the reverse) of a recursive Gaussian blur
// (sigma 1.5, libjxl's 3-pole IIR with zero boundary), each pooled as a 1-norm and a 4-norm:
// 108 norms, a weighted sum with libjxl's published weights, then a cubic and a power map.
//
// Implementation: every scale streams through column stripes of kStripePixels and, within one,
// bands of kBandRows rows, so the working set stays in L2; the horizontal blur runs per row on
// the 15 blurred quantities interleaved per pixel (Q16 rows), resuming its recursion state at
// each stripe's edge, the vertical blur and both maps per band and 16-pixel strip with the
// recursion state in registers (kernels/). Every
// per-pixel value is the fork's float/double expression in the fork's order, so per-pixel maps
// are bit-identical to the fork's AVX-512 path (the one its golden outputs come from), including
// its edge map, which subtracts |xyb - blur| in float (as libjxl) except for the last
// (w*h) % 16 pixels of each plane, its scalar tail, where it subtracts in double: that tail
// moves scores by up to 2e-6 (p03), so it is reproduced. Map sums use 16 virtual lanes in double.
//
// Deviations from the fork:
//  - sums of the maps are added in a different (fixed) order: ~1e-13 relative;
//  - yuv_matrix = -1 (the default here, the fork has no such value) takes matrix and range from
//    the input when it states them, else the fork's default BT.709 limited range; BT.2020
//    inputs use BT.2020 coefficients (the fork offers only BT.709 and BT.601);
//  - 4:0:0 input uses neutral chroma (the fork cannot read it).
// Size limit: width and height >= 8 (the fork skips every scale below 8x8 and reports 100 for
// such input; smaller scales of larger inputs are skipped as in the fork).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include "core/image.hpp"
#ifdef __linux__
#include <sys/mman.h>
#endif

#include "features/extractor.hpp"
#include "features/intermediates.hpp"
#include "features/kernels/ssimulacra2.hpp"

namespace vqfuse::features {
namespace {

namespace k = kernels;

constexpr int kNumScales = 6;
constexpr int kMinSize = 8;
constexpr int kBandRows = 16;
constexpr int kStripePixels = 256;  // multiple of kS2StripPixels
constexpr double kSigma = 1.5;

// libjxl tools/ssimulacra2.cc: weights of the 108 norms, ordered channel (X, Y, B), scale,
// norm (1, 4), then map (SSIM, artifact, detail loss).
constexpr double kWeights[108] = {
    0.0,  0.0007376606707406586,  0.0,  0.0,  0.0007793481682867309,  0.0,
    0.0,  0.0004371155730107379,  0.0,  1.1041726426657346,  0.00066284834129271,
    0.00015231632783718752,  0.0,  0.0016406437456599754,  0.0,  1.8422455520539298,
    11.441172603757666,  0.0,  0.0007989109436015163,  0.000176816438078653,  0.0,
    1.8787594979546387,  10.94906990605142,  0.0,  0.0007289346991508072,  0.9677937080626833,
    0.0,  0.00014003424285435884,  0.9981766977854967,  0.00031949755934435053,
    0.0004550992113792063,  0.0,  0.0,  0.0013648766163243398,  0.0,  0.0,  0.0,  0.0,  0.0,
    7.466890328078848,  0.0,  17.445833984131262,  0.0006235601634041466,  0.0,  0.0,
    6.683678146179332,  0.00037724407979611296,  1.027889937768264,  225.20515300849274,  0.0,
    0.0,  19.213238186143016,  0.0011401524586618361,  0.001237755635509985,
    176.39317598450694,  0.0,  0.0,  24.43300999870476,  0.28520802612117757,
    0.0004485436923833408,  0.0,  0.0,  0.0,  34.77906344483772,  44.835625328877896,  0.0,
    0.0,  0.0,  0.0,  0.0,  0.0,  0.0,  0.0,  0.0008680556573291698,  0.0,  0.0,  0.0,  0.0,
    0.0,  0.0005313191874358747,  0.0,  0.00016533814161379112,  0.0,  0.0,  0.0,  0.0,  0.0,
    0.0004179171803251336,  0.0017290828234722833,  0.0,  0.0020827005846636437,  0.0,  0.0,
    8.826982764996862,  23.19243343998926,  0.0,  95.1080498811086,  0.9863978034400682,
    0.9834382792465353,  0.0012286405048278493,  171.2667255897307,  0.9807858872435379,  0.0,
    0.0,  0.0,  0.0005130064588990679,  0.0,  0.00010854057858411537};

constexpr OptionInfo kSsimulacra2Options[] = {
    {"yuv_matrix", OptType::kInt, -1, {}, -1, 3,
     "YUV->RGB matrix: -1 = from the input (BT.709 limited range when unspecified), "
     "0 = bt709 limited, 1 = bt601 limited, 2 = bt709 full, 3 = bt601 full"},
};

// Norms of one scale: [c * 2 + norm] SSIM, [c * 4 + {0, 1}] artifact, [c * 4 + {2, 3}] detail.
struct ScaleNorms {
  double ssim[6] = {};
  double edge[12] = {};
};

double pool_score(const ScaleNorms* norms, int scales) {
  double sum = 0.0;
  size_t i = 0;
  for (int c = 0; c < 3; ++c)
    for (int s = 0; s < kNumScales; ++s)
      for (int n = 0; n < 2; ++n) {
        const bool have = s < scales;
        sum += kWeights[i++] * std::fabs(have ? norms[s].ssim[c * 2 + n] : 0.0);
        sum += kWeights[i++] * std::fabs(have ? norms[s].edge[c * 4 + n] : 0.0);
        sum += kWeights[i++] * std::fabs(have ? norms[s].edge[c * 4 + n + 2] : 0.0);
      }
  // libjxl's final mapping to the 0..100 scale.
  double x = sum * 0.9562382616834844;
  x = 2.326765642916932 * x - 0.020884521182843837 * x * x + 6.248496625763138e-05 * x * x * x;
  return x > 0.0 ? 100.0 - 10.0 * std::pow(x, 0.6276336467831387) : 100.0;
}

// A fixed pairwise order over the 16 virtual lanes.
double lane_sum(const double* a) {
  double s[8];
  for (int i = 0; i < 8; ++i) s[i] = a[2 * i] + a[2 * i + 1];
  for (int i = 0; i < 4; ++i) s[i] = s[2 * i] + s[2 * i + 1];
  return ((s[0] + s[1]) + (s[2] + s[3]));
}

using CPlaneF = PlaneView<const float>;

// Linear RGB of one scale: [image][channel], image 0 = reference.
struct ScaleInput {
  CPlaneF lin[2][3];
  int width = 0;
  int height = 0;
};

// A 64-byte aligned buffer that only grows (its contents are not kept when it does); large ones
// are 2 MiB aligned and marked for transparent huge pages (fewer page faults).
template <class T>
class Buffer {
 public:
  T* grow(size_t n) {
    if (n > size_) {
      constexpr size_t kHuge = size_t{2} << 20;
      const size_t align = n * sizeof(T) >= kHuge ? kHuge : 64;
      const size_t bytes = (n * sizeof(T) + align - 1) / align * align;
      void* p = std::aligned_alloc(align, bytes);
      if (!p) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
      if (align == kHuge) madvise(p, bytes, MADV_HUGEPAGE);
#endif
      data_.reset(static_cast<T*>(p));
      size_ = n;
    }
    return data_.get();
  }
  T* get() { return data_.get(); }

 private:
  std::unique_ptr<T, AlignedFree> data_;
  size_t size_ = 0;
};

// Downsampled linear RGB of one scale: 6 planes (image x channel) in one buffer.
struct ScalePlanes {
  Buffer<float> data;
  ptrdiff_t stride = 0;
  PlaneView<float> plane(int image, int channel, int w, int h) {
    float* base = data.get() + static_cast<size_t>(image * 3 + channel) * stride * h;
    return {base, stride, w, h};
  }
};

// Per-call working memory, reused across frames through a pool. Ring rows cover one column
// stripe (kStripePixels plus the horizontal blur's halo), so a stripe's working set stays in L2.
struct Scratch {
  ScalePlanes down[2];    // two alternating scales
  Buffer<float> xyb;      // ring of kBandRows + radius rows x 6 planes (stripe + halo)
  Buffer<float> prod[2];  // two Q16 product rows (stripe + halo)
  Buffer<float> hring;    // ring of kBandRows + 2 radius Q16 rows (stripe), then one zero row
  Buffer<float> hstate;   // horizontal recursion state per row, carried across stripes
  Buffer<float> vstate;   // vertical recursion state per 16-pixel strip
  Buffer<double> acc;     // 3 channels x 6 statistics x 16 lanes
  std::vector<const float*> left, right, xyb_rows;
};

class Ssimulacra2 final : public Extractor {
 public:
  explicit Ssimulacra2(const Options& o) : option_matrix_(o.get_int("yuv_matrix")) {}

  Result<void> init(const VideoInfo& v) override {
    if (v.width < kMinSize || v.height < kMinSize)
      return Error(Errc::kUnsupported, "ssimulacra2 needs width and height >= " +
                                           std::to_string(kMinSize) + ", input is " +
                                           std::to_string(v.width) + "x" + std::to_string(v.height));
    switch (option_matrix_) {
      case 0: matrix_ = YuvMatrix::kBt709; full_ = false; break;
      case 1: matrix_ = YuvMatrix::kBt601; full_ = false; break;
      case 2: matrix_ = YuvMatrix::kBt709; full_ = true; break;
      case 3: matrix_ = YuvMatrix::kBt601; full_ = true; break;
      default:
        matrix_ = v.matrix == ColorMatrix::kBt601    ? YuvMatrix::kBt601
                  : v.matrix == ColorMatrix::kBt2020 ? YuvMatrix::kBt2020
                                                     : YuvMatrix::kBt709;
        full_ = v.range == ColorRange::kFull;
        break;
    }
    gauss_ = k::s2_gauss(kSigma);
    return {};
  }

  std::vector<const IntermediateBase*> needs() const override {
    return {&linear_srgb_key(matrix_, full_)};
  }

  void extract(FrameCtx& f, FeatureRow& row) override {
    const LinearRgbPair& lin = f.get(linear_srgb_key(matrix_, full_));
    std::unique_ptr<Scratch> s = acquire();
    ScaleInput in;
    in.width = f.info().width;
    in.height = f.info().height;
    for (int c = 0; c < 3; ++c) {
      in.lin[0][c] = lin.ref[c];
      in.lin[1][c] = lin.dis[c];
    }
    ScaleNorms norms[kNumScales];
    int scales = 0;
    for (int scale = 0; scale < kNumScales; ++scale) {
      const int nw = (in.width + 1) / 2, nh = (in.height + 1) / 2;
      const bool next = scale + 1 < kNumScales && nw >= kMinSize && nh >= kMinSize;
      PlaneView<float> down[2][3];
      if (next) {
        ScalePlanes& sp = s->down[scale & 1];
        sp.stride = (nw + 15) / 16 * 16;
        // One spare row: SIMD tails may read past a row's end.
        sp.data.grow(6 * static_cast<size_t>(sp.stride) * nh + static_cast<size_t>(sp.stride));
        for (int i = 0; i < 2; ++i)
          for (int c = 0; c < 3; ++c) down[i][c] = sp.plane(i, c, nw, nh);
      }
      run_scale(in, next ? down : nullptr, *s, norms[scale]);
      ++scales;
      if (!next) break;
      ScaleInput lower;
      lower.width = nw;
      lower.height = nh;
      for (int i = 0; i < 2; ++i)
        for (int c = 0; c < 3; ++c)
          lower.lin[i][c] = CPlaneF{down[i][c].data, down[i][c].stride, nw, nh};
      in = lower;
    }
    release(std::move(s));
    row.set(feature_id("ssimulacra2"), pool_score(norms, scales));
  }

 private:
  // One scale, column stripe by column stripe (left to right, the horizontal recursion's state
  // carried per row): rows stream through XYB, products and the horizontal blur into a ring,
  // then per band of output rows the vertical blur and the maps run strip by strip. `down` (null
  // at the last scale) receives the 2x2 downsampled linear RGB, [image][channel].
  void run_scale(const ScaleInput& in, PlaneView<float> (*down)[3], Scratch& s,
                 ScaleNorms& out) const {
    const int w = in.width, h = in.height;
    const int rad = gauss_.radius;
    const int halo_l = 2 * rad;   // the recursion reads in[x - radius - 1] from x = 1 - radius
    const int halo_r = rad - 1;   // ... and in[x + radius - 1]
    const int span = halo_l + kStripePixels + halo_r;  // pixels of a stripe's XYB/product row
    const size_t q16_row = static_cast<size_t>(kStripePixels) * k::kS2Lanes;
    const int xyb_slots = kBandRows + rad;
    const int h_slots = kBandRows + 2 * rad;
    const int strips = (w + k::kS2StripPixels - 1) / k::kS2StripPixels;
    constexpr size_t kVState = 6 * k::kS2StripPixels * k::kS2Lanes;

    float* xyb = s.xyb.grow(static_cast<size_t>(xyb_slots) * 6 * span);
    float* hring = s.hring.grow((static_cast<size_t>(h_slots) + 1) * q16_row);
    float* hstate = s.hstate.grow(static_cast<size_t>(h) * k::kS2HState);
    float* vstate = s.vstate.grow(static_cast<size_t>(strips) * kVState);
    double* acc = s.acc.grow(3 * k::kS2Stats * k::kS2Lanes);
    float* prod[2] = {s.prod[0].grow(static_cast<size_t>(span) * k::kS2Lanes),
                      s.prod[1].grow(static_cast<size_t>(span) * k::kS2Lanes)};
    std::fill(acc, acc + 3 * k::kS2Stats * k::kS2Lanes, 0.0);
    std::fill(hstate, hstate + static_cast<size_t>(h) * k::kS2HState, 0.0f);
    std::fill(vstate, vstate + static_cast<size_t>(strips) * kVState, 0.0f);
    float* zero_row = hring + static_cast<size_t>(h_slots) * q16_row;
    std::fill(zero_row, zero_row + q16_row, 0.0f);
    // Rows are addressed from the stripe's first pixel (x0); XYB and product rows have `halo_l`
    // pixels before it.
    auto xyb_row = [&](int r, int plane) {
      return xyb + (static_cast<size_t>(r % xyb_slots) * 6 + plane) * span + halo_l;
    };
    auto h_row = [&](int r) { return hring + static_cast<size_t>(r % h_slots) * q16_row; };

    for (int x0 = 0; x0 < w; x0 += kStripePixels) {
      const int x1 = std::min(w, x0 + kStripePixels);
      const int xa = std::max(0, x0 - halo_l), xb = std::min(w, x1 + halo_r);  // XYB needed
      const int sw = x1 - x0;
      const int sw16 = (sw + k::kS2StripPixels - 1) / k::kS2StripPixels * k::kS2StripPixels;
      // Product pixels outside the image stay zero (the blur's boundary).
      for (float* p : prod) {
        std::fill(p, p + static_cast<size_t>(xa - x0 + halo_l) * k::kS2Lanes, 0.0f);
        std::fill(p + static_cast<size_t>(xb - x0 + halo_l) * k::kS2Lanes,
                  p + static_cast<size_t>(span) * k::kS2Lanes, 0.0f);
      }

      // XYB, downsampling and products of row r into prod[j].
      auto prepare = [&](int r, int j) {
        float* x[6];
        for (int p = 0; p < 6; ++p) x[p] = xyb_row(r, p);
        for (int i = 0; i < 2; ++i) {
          k::s2_xyb_row(in.lin[i][0].row(r) + xa, in.lin[i][1].row(r) + xa,
                        in.lin[i][2].row(r) + xa, static_cast<size_t>(xb - xa),
                        x[3 * i] + (xa - x0), x[3 * i + 1] + (xa - x0), x[3 * i + 2] + (xa - x0));
        }
        for (int p = 0; p < 6; ++p) std::fill(x[p] + sw, x[p] + sw16, 0.0f);
        if (down && ((r & 1) || r == h - 1)) {
          const int r0 = r & ~1, r1 = std::min(r0 + 1, h - 1);
          for (int i = 0; i < 2; ++i)
            for (int c = 0; c < 3; ++c)
              k::s2_downsample_row(in.lin[i][c].row(r0) + x0, in.lin[i][c].row(r1) + x0,
                                   static_cast<size_t>(sw), down[i][c].row(r0 / 2) + x0 / 2);
        }
        const float* ref_rows[3] = {x[0] + (xa - x0), x[1] + (xa - x0), x[2] + (xa - x0)};
        const float* dis_rows[3] = {x[3] + (xa - x0), x[4] + (xa - x0), x[5] + (xa - x0)};
        k::s2_products_row(ref_rows, dis_rows, static_cast<size_t>(xb - xa),
                           prod[j] + static_cast<size_t>(xa - x0 + halo_l) * k::kS2Lanes);
      };
      // Rows [r, r + count) (count 1 or 2) into the ring of horizontally blurred rows.
      auto produce = [&](int r, int count) {
        for (int j = 0; j < count; ++j) prepare(r + j, j);
        const bool two = count > 1;
        k::s2_hblur_rows(gauss_, prod[0] + halo_l * k::kS2Lanes,
                         two ? prod[1] + halo_l * k::kS2Lanes : nullptr, x0 == 0 ? 1 - rad : 0, sw,
                         h_row(r), two ? h_row(r + 1) : nullptr,
                         hstate + static_cast<size_t>(r) * k::kS2HState,
                         two ? hstate + static_cast<size_t>(r + 1) * k::kS2HState : nullptr);
        for (int j = 0; j < count; ++j) {
          float* hr = h_row(r + j);
          std::fill(hr + static_cast<size_t>(sw) * k::kS2Lanes, hr + q16_row, 0.0f);
        }
      };

      int produced = 0;
      for (int n0 = 0; n0 < h; n0 += kBandRows) {
        const int n1 = std::min(h, n0 + kBandRows);
        const int need = std::min(h, n1 + rad - 1);
        while (produced < need) {
          const int count = std::min(2, need - produced);
          produce(produced, count);
          produced += count;
        }
        // The first band also runs the recursion's warm-up steps (rows 1 - radius .. -1).
        const int first = n0 == 0 ? 1 - rad : n0;
        const size_t steps = static_cast<size_t>(n1 - first);
        s.left.resize(steps);
        s.right.resize(steps);
        s.xyb_rows.resize(static_cast<size_t>(n1 - n0) * 6);
        for (size_t i = 0; i < steps; ++i) {
          const int n = first + static_cast<int>(i);
          s.left[i] = n - rad - 1 >= 0 ? h_row(n - rad - 1) : zero_row;
          s.right[i] = n + rad - 1 < h ? h_row(n + rad - 1) : zero_row;
        }
        for (int n = n0; n < n1; ++n)
          for (int p = 0; p < 6; ++p)
            s.xyb_rows[static_cast<size_t>(n - n0) * 6 + p] = xyb_row(n, p);
        k::S2Band band;
        band.steps = steps;
        band.first_out = static_cast<size_t>(n0 - first);
        band.left = s.left.data();
        band.right = s.right.data();
        band.xyb = s.xyb_rows.data();
        band.row0 = static_cast<size_t>(n0);
        band.col0 = static_cast<size_t>(x0);
        band.width = static_cast<size_t>(w);
        band.wide_from = static_cast<size_t>(w) * h - (static_cast<size_t>(w) * h) % 16;
        for (int t = 0; t < sw16 / k::kS2StripPixels; ++t) {
          band.x0 = static_cast<size_t>(t) * k::kS2StripPixels;
          band.pixels = std::min<size_t>(k::kS2StripPixels, static_cast<size_t>(sw) - band.x0);
          const size_t strip = static_cast<size_t>(x0 / k::kS2StripPixels + t);
          k::s2_vblur_maps_strip(gauss_, band, vstate + strip * kVState, acc);
        }
      }
    }

    const double one_per_pixel = 1.0 / (static_cast<double>(w) * h);
    for (int c = 0; c < 3; ++c) {
      double sum[k::kS2Stats];
      for (int st = 0; st < k::kS2Stats; ++st)
        sum[st] = lane_sum(acc + (c * k::kS2Stats + st) * k::kS2Lanes);
      out.ssim[c * 2 + 0] = one_per_pixel * sum[0];
      out.ssim[c * 2 + 1] = std::sqrt(std::sqrt(one_per_pixel * sum[1]));
      for (int m = 0; m < 2; ++m) {
        out.edge[c * 4 + 2 * m + 0] = one_per_pixel * sum[2 + 2 * m];
        out.edge[c * 4 + 2 * m + 1] = std::sqrt(std::sqrt(one_per_pixel * sum[3 + 2 * m]));
      }
    }
  }

  std::unique_ptr<Scratch> acquire() {
    std::lock_guard lock(pool_mu_);
    if (pool_.empty()) return std::make_unique<Scratch>();
    std::unique_ptr<Scratch> s = std::move(pool_.back());
    pool_.pop_back();
    return s;
  }
  void release(std::unique_ptr<Scratch> s) {
    std::lock_guard lock(pool_mu_);
    pool_.push_back(std::move(s));
  }

  int option_matrix_;
  YuvMatrix matrix_ = YuvMatrix::kBt709;
  bool full_ = false;
  k::S2Gauss gauss_;
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<Scratch>> pool_;
};

}  // namespace

extern const ExtractorInfo kSsimulacra2Info{
    Ext::kSsimulacra2, "ssimulacra2",
    "SSIMULACRA 2 (libjxl; YUV front end of the lusoris/vmaf fork): perceptual 0..100 score",
    kSsimulacra2Options,
    [](const Options& o) -> std::unique_ptr<Extractor> { return std::make_unique<Ssimulacra2>(o); }};

}  // namespace vqfuse::features
