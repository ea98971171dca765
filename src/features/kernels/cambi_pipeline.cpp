// cambi on one picture (see cambi_pipeline.hpp and the design notes in src/features/cambi.cpp).
#include "features/kernels/cambi_pipeline.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <functional>

#include "features/kernels/cambi.hpp"
#include "vqfuse/error.hpp"

namespace vqfuse::kernels::cambi {
namespace {

// Suprathreshold contrast response per contrast step (CAMBI paper, libvmaf g_contrast_weights).
constexpr int32_t kContrastWeights[32] = {1, 2, 3, 4, 4, 5, 5, 6, 6, 6, 6, 7, 7, 7, 7, 8,
                                          8, 8, 8, 8, 8, 8, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};
// Weights of the five scales (finest first).
constexpr int kScaleWeights[kNumScales] = {16, 8, 4, 2, 1};
constexpr int kMaskFilterSize = 7;

// 10-bit limited range, where libvmaf evaluates the luminance model.
constexpr int kFoot = 64;
constexpr int kHead = 940;
constexpr int kMax10 = 1023;

// ITU-R BT.1886 with Lw = 300 cd/m^2, Lb = 0.01 cd/m^2, gamma 2.4 (libvmaf luminance_tools.c).
double bt1886_eotf(double v) {
  const double g = 2.4;
  const double lw = std::pow(300.0, 1.0 / g);
  const double lb = std::pow(0.01, 1.0 / g);
  const double a = std::pow(lw - lb, g);
  const double b = lb / (lw - lb);
  return a * std::pow(std::max(v + b, 0.0), g);
}

// SMPTE ST 2084 (PQ).
double pq_eotf(double v) {
  const double m1 = 0.1593017578125;
  const double m2 = 78.84375;
  const double c1 = 0.8359375;
  const double c2 = 18.8515625;
  const double c3 = 18.6875;
  const double num = std::max(std::pow(v, 1.0 / m2) - c1, 0.0);
  const double den = c2 - c3 * std::pow(v, 1.0 / m2);
  return 10000 * std::pow(num / den, 1.0 / m1);
}

struct Luminance {
  bool pq = false;
  double operator()(int sample) const {
    const int s = std::clamp(sample, kFoot, kHead);
    const double v = static_cast<double>(s - kFoot) / (kHead - kFoot);
    return pq ? pq_eotf(v) : bt1886_eotf(v);
  }
};

// A step of `diff` code values above `sample` is visible when the luminance rises by more than
// tvi_threshold times the luminance at `sample`.
bool step_visible(const Luminance& lum, int sample, int diff, double t) {
  const double mean = lum(sample);
  return lum(sample + diff) - mean > t * mean;
}

enum class Bisect { kTooSmall, kCorrect, kTooBig };

Bisect classify(const Luminance& lum, int sample, int diff, double t) {
  if (!step_visible(lum, sample, diff, t)) return Bisect::kTooBig;
  if (step_visible(lum, sample + 1, diff, t)) return Bisect::kTooSmall;
  return Bisect::kCorrect;
}

// The largest sample at which a step of `diff` is still visible (libvmaf get_tvi_for_diff).
int tvi_for_diff(const Luminance& lum, int diff, double t) {
  int foot = kFoot;
  int head = kHead - diff - 1;
  Bisect b = classify(lum, foot, diff, t);
  if (b == Bisect::kTooBig) return 0;
  if (b == Bisect::kCorrect) return foot;
  b = classify(lum, head, diff, t);
  if (b == Bisect::kTooSmall) return kMax10;
  if (b == Bisect::kCorrect) return head;
  for (int iter = 0; iter < 64; ++iter) {
    const int mid = foot + (head - foot) / 2;
    b = classify(lum, mid, diff, t);
    if (b == Bisect::kCorrect) return mid;
    (b == Bisect::kTooBig ? head : foot) = mid;
  }
  return foot;  // unreachable: the interval always holds a visibility transition
}

int mask_threshold(int width, int height) {
  const uint32_t shifted = static_cast<uint32_t>(width >> 6) * static_cast<uint32_t>(height >> 6);
  int ceil_log2 = 0;
  for (uint32_t t = shifted == 0 ? 0 : shifted - 1; t > 0; t >>= 1) ++ceil_log2;
  return (kMaskFilterSize * kMaskFilterSize + 3 * (ceil_log2 - 11) - 1) >> 1;
}

template <class T>
void ensure(Image<T>& im, int w, int h) {
  if (im.width() < w || im.height() < h)
    im.reset(std::max(w, im.width()), std::max(h, im.height()));
}

}  // namespace

Thresholds visibility_thresholds(int num_diffs, double tvi_threshold, double vis_lum_threshold,
                                 const std::string& eotf) {
  Luminance lum{eotf == "pq"};
  Thresholds th;
  for (int d = 0; d < num_diffs; ++d)
    th.tvi.push_back(tvi_for_diff(lum, d + 1, tvi_threshold) + num_diffs);
  // Smallest sample whose luminance reaches the threshold. libvmaf loops forever when even the
  // head of the range stays below it; every sample then counts as invisible here.
  int sample = kFoot;
  while (sample <= kHead && lum(sample) < vis_lum_threshold) ++sample;
  th.vlt_luma = sample == kFoot ? 0 : sample;
  return th;
}

int adjusted_window(int window, int width, int height, bool high_res_speedup) {
  // libvmaf scales by (w + h) / (3840 + 2160) in 16-bit integer steps.
  int ws = static_cast<uint16_t>(((window * (width + height)) / 375) >> 4);
  if (high_res_speedup) ws = (ws + 1) >> 1;
  return ws | 1;
}

Setup make_setup(int width, int height, int window, bool high_res_speedup, bool antidither,
                 double topk, int num_diffs, const Thresholds& th) {
  Setup s;
  s.width = width;
  s.height = height;
  s.window = window;
  s.high_res_speedup = high_res_speedup;
  s.antidither = antidither;
  s.topk = topk;
  s.num_diffs = num_diffs;
  s.mask_threshold = mask_threshold(width, height);
  for (int d = 0; d < num_diffs; ++d) s.weights.push_back(kContrastWeights[d]);
  // Only samples in [vlt - 3*num_diffs + 1, tvi[last]] can reach a non-zero c-value, so the
  // histograms cover just that band (libvmaf's v_band).
  const int base = std::max(0, th.vlt_luma - 3 * num_diffs + 1);
  const int size = th.tvi[num_diffs - 1] + 1 - base;
  s.band_base = static_cast<uint16_t>(base);
  s.band_size = static_cast<uint16_t>(std::max(0, size));
  s.gates.assign(s.band_size, 0);
  for (int k = 0; k < s.band_size; ++k) {
    const int value = k + base + num_diffs;  // libvmaf's "adjusted" sample
    for (int d = 0; d < num_diffs; ++d) {
      if (value <= th.tvi[d] && value + d + 1 > th.vlt_luma && k + d + 1 < s.band_size)
        s.gates[k] |= 1u << d;
    }
  }
  return s;
}

const float* reciprocal_table() {
  // libvmaf's table holds 1/i printed with 9 significant digits and parsed as float, which is
  // one float ulp away from 1.0f/i for 42 entries: rebuild it the same way.
  static const std::array<float, kReciprocalTableSize> table = [] {
    std::array<float, kReciprocalTableSize> t{};
    for (int i = 1; i < kReciprocalTableSize; ++i) {
      char buf[40];
      const auto r = std::to_chars(buf, buf + sizeof buf, 1.0 / i, std::chars_format::general, 9);
      std::from_chars(buf, r.ptr, t[i]);
    }
    return t;
  }();
  return table.data();
}

struct Workspace::Buffers {
  Image<uint16_t> img, keys;
  Image<uint8_t> mask, deriv;
  Image<uint16_t> rows;  // conversion / mode filter ring and cancelled window rows
  std::vector<uint8_t> colsum;
  // One row per key, rows 64-byte aligned (aligned trapezoid updates); all zero between calls.
  std::unique_ptr<uint16_t, AlignedFree> hist;
  size_t hist_size = 0;
  bool hist_dirty = false;
  std::vector<float> crow, nz;
  std::vector<int> src_x, src_y;
};

Workspace::Workspace() : b_(std::make_unique<Buffers>()) {}
Workspace::~Workspace() = default;

namespace {

__extension__ typedef unsigned __int128 Sum128;
constexpr double kFix = 33554432.0;  // 2^25: every c-value is a multiple of 2^-25

double to_double(Sum128 v) { return static_cast<double>(v) / kFix; }

// Nearest-neighbour positions of libvmaf's resampler, accumulated in float as libvmaf does.
void resample_positions(int in, int out, std::vector<int>& pos) {
  pos.resize(static_cast<size_t>(out));
  const float ratio = static_cast<float>(in) / static_cast<float>(out);
  const float start = static_cast<float>(ratio / 2 - 0.5);
  float p = start;
  for (int i = 0; i < out; ++i) {
    pos[static_cast<size_t>(i)] = static_cast<int>(p + 0.5);
    p += ratio;
  }
}

// Zeroed, 64-byte aligned histogram storage.
std::unique_ptr<uint16_t, AlignedFree> allocate_histograms(size_t count) {
  const size_t bytes = (count * sizeof(uint16_t) + 63) / 64 * 64;
  void* p = std::aligned_alloc(64, bytes);
  if (!p) throw std::bad_alloc();
  std::memset(p, 0, bytes);
  return std::unique_ptr<uint16_t, AlignedFree>(static_cast<uint16_t*>(p));
}

[[noreturn]] void out_of_range(uint16_t v, int bpc) {
  throw Error(Errc::kParse, "cambi: input sample " + std::to_string(v) + " exceeds the " +
                                std::to_string(bpc) + "-bit range");
}

// The scale-0 picture (10 bit, anti-dithered) and spatial mask, made row by row on demand so the
// first scale reads them while they are still in cache. The mask is libvmaf's: 1 where more than
// `threshold` pixels of the 7x7 neighbourhood equal their right and lower neighbours.
class Source {
 public:
  Source(const Setup& s, CPlaneU16 luma, int bpc, Workspace::Buffers& b)
      : s_(s),
        luma_(luma),
        bpc_(bpc),
        b_(b),
        same_(luma.width == s.width && luma.height == s.height),
        max_(bpc < 16 ? static_cast<uint16_t>((1u << bpc) - 1) : uint16_t{0xFFFF}) {
    if (!same_) {
      // libvmaf validates the whole input before resampling it.
      for (int y = 0; y < luma.height; ++y)
        for (int x = 0; x < luma.width; ++x)
          if (luma.row(y)[x] > max_) out_of_range(luma.row(y)[x], bpc);
      resample_positions(luma.width, s.width, b.src_x);
      resample_positions(luma.height, s.height, b.src_y);
    }
    std::fill(b.colsum.begin(), b.colsum.end(), 0);
  }

  // Makes mask rows [0, r] and picture rows [0, r + 4] (clipped to the height) ready.
  void mask_upto(int r) {
    const int H = s_.height;
    const size_t n = static_cast<size_t>(s_.width);
    uint8_t* colsum = b_.colsum.data() + 3;
    for (; mask_done_ <= std::min(r, H - 1); ++mask_done_) {
      const int i = mask_done_;
      for (; deriv_done_ <= std::min(i + 3, H - 1); ++deriv_done_) {
        const int q = deriv_done_;
        img_upto(q + 1);
        uint8_t* out = b_.deriv.row(q & 7);
        zero_deriv_row(b_.img.row(q), q + 1 < H ? b_.img.row(q + 1) : nullptr, out, n);
        colsum_update(colsum, out, n, +1);
      }
      mask_row(colsum, b_.mask.row(i), n, s_.mask_threshold);
      if (i - 3 >= 0) colsum_update(colsum, b_.deriv.row((i - 3) & 7), n, -1);
    }
  }

 private:
  // Picture rows [0, r] (clipped).
  void img_upto(int r) {
    const int H = s_.height;
    const size_t n = static_cast<size_t>(s_.width);
    for (; img_done_ <= std::min(r, H - 1); ++img_done_) {
      const int y = img_done_;
      if (!s_.antidither) {
        convert(y, b_.img.row(y));
        continue;
      }
      // 2x2 average of converted rows y and y + 1, kept in a two-row ring.
      if (y == 0) convert(0, b_.rows.row(6));
      uint16_t* r1 = y + 1 < H ? b_.rows.row(6 + ((y + 1) & 1)) : nullptr;
      if (r1) convert(y + 1, r1);
      antidither_row(b_.rows.row(6 + (y & 1)), r1, b_.img.row(y), n);
    }
  }

  void convert(int y, uint16_t* out) {
    const size_t n = static_cast<size_t>(s_.width);
    if (same_) {
      const uint16_t hi = to10_row(luma_.row(y), out, n, bpc_);
      if (hi > max_) out_of_range(hi, bpc_);
      return;
    }
    const uint16_t* src = luma_.row(b_.src_y[static_cast<size_t>(y)]);
    for (size_t x = 0; x < n; ++x) {
      const uint16_t v = src[b_.src_x[x]];
      (void)ref::to10_row(&v, out + x, 1, bpc_);
    }
  }

  const Setup& s_;
  CPlaneU16 luma_;
  int bpc_;
  Workspace::Buffers& b_;
  bool same_;
  uint16_t max_;
  int img_done_ = 0;
  int deriv_done_ = 0;
  int mask_done_ = 0;
};

// Histogram columns per strip: the histograms of a strip (band_size rows) should stay in L2.
int strip_width(int w, int band_size) {
  constexpr int kTargetBytes = 384 * 1024;
  const int cols = kTargetBytes / (2 * std::max(1, band_size)) - kRowSlack;
  const int sw = std::max(64, cols / 64 * 64);
  return w <= sw + sw / 4 ? w : sw;
}

// One scale. Rows are mode filtered and keyed one after the other (on even rows also decimated
// in place into the next scale's picture and mask: rows below r are no longer read); then each
// column strip slides its histograms down the keys, producing the c-values of its columns.
// Returns the top-k mean of the c-values.
double scale_score(const Setup& s, Workspace::Buffers& b, int w, int h, bool last, Source* src) {
  const size_t n = static_cast<size_t>(w);
  const size_t half = static_cast<size_t>((w + 1) >> 1);
  const int pad = s.window >> 1;
  uint16_t* hmode[3] = {b.rows.row(0), b.rows.row(1), b.rows.row(2)};
  uint16_t* filt = b.rows.row(3);
  for (int r = 0; r < h; ++r) {
    if (src) src->mask_upto(r);
    const uint16_t* f = b.img.row(r);  // libvmaf leaves the first and last rows unfiltered
    if (h >= 3) {
      // Horizontal modes of rows 0..r+1, taken before the decimation overwrites row r/2.
      if (r == 0) {
        hmode_row(b.img.row(0), hmode[0], n);
        hmode_row(b.img.row(1), hmode[1], n);
      } else if (r + 1 < h) {
        hmode_row(b.img.row(r + 1), hmode[(r + 1) % 3], n);
        vmode_row(hmode[(r - 1) % 3], hmode[r % 3], hmode[(r + 1) % 3], filt, n);
        f = filt;
      }
    }
    keys_row(f, b.mask.row(r), b.keys.row(r), n, s.band_base, s.band_size);
    if (!last && r % 2 == 0) {
      decimate_row_u16(f, b.img.row(r / 2), half);
      decimate_row_u8(b.mask.row(r), b.mask.row(r / 2), half);
    }
  }
  if (!s.band_size) return 0.0;

  // Scratch rows for slide_rows, with the sample before index 0 it reads.
  uint16_t* tmp_enter = b.rows.row(4) + 1;
  uint16_t* tmp_leave = b.rows.row(5) + 1;
  CParams p;
  p.num_diffs = s.num_diffs;
  p.gates = s.gates.data();
  p.weights = s.weights.data();
  p.recip = reciprocal_table();
  Sum128 total = 0;
  size_t nz_count = 0;
  const int sw = strip_width(w, s.band_size);
  for (int x0 = 0; x0 < w; x0 += sw) {
    const int x1 = std::min(w, x0 + sw);
    // Keys within pad of the strip reach its histograms.
    const int from = std::max(0, x0 - pad);
    const size_t len = static_cast<size_t>(std::min(w, x1 + pad) - from);
    HistStrip g;
    g.hist = b.hist.get();  // all zero between strips (see the end)
    g.width = x1 - x0;
    g.stride = (g.width + kRowSlack + 31) / 32 * 32;
    g.pad = pad;
    g.origin = from - x0;
    p.hist = g.hist;
    p.hist_stride = g.stride;
    auto keys = [&](int r) { return b.keys.row(r) + from; };

    for (int r = 0; r <= std::min(pad, h - 1); ++r)
      slide_rows(g, keys(r), nullptr, tmp_enter, tmp_leave, len);
    for (int i = 0; i < h; ++i) {
      if (i > 0) {
        const uint16_t* enter = i + pad < h ? keys(i + pad) : nullptr;
        const uint16_t* leave = i - pad - 1 >= 0 ? keys(i - pad - 1) : nullptr;
        if (enter || leave) slide_rows(g, enter, leave, tmp_enter, tmp_leave, len);
      }
      // The non-zero list grows on demand: most pictures have few non-zero c-values.
      const size_t need = nz_count + static_cast<size_t>(g.width) + kRowSlack;
      if (b.nz.size() < need) b.nz.resize(std::max(need, 2 * b.nz.size()));
      const double row_sum = c_row(p, b.keys.row(i) + x0, b.crow.data(),
                                   static_cast<size_t>(g.width), b.nz.data(), &nz_count);
      total += static_cast<uint64_t>(row_sum * kFix);  // exact: an integer below 2^53
    }
    // Removing the rows still in the window returns every histogram word, slack included, to 0
    // (the updates are linear): cheaper than clearing the buffer for the next strip.
    for (int r = std::max(0, h - pad - 1); r < h; ++r)
      slide_rows(g, nullptr, keys(r), tmp_enter, tmp_leave, len);
  }

  const int64_t count = static_cast<int64_t>(w) * h;
  // libvmaf converts topk * count to int, then clips to [1, count].
  const int k =
      std::clamp(static_cast<int>(s.topk * static_cast<double>(count)), 1, static_cast<int>(count));
  if (nz_count > static_cast<size_t>(k)) {
    // More non-zero values than the pool: the sum of the k largest (exact, so any order).
    std::nth_element(b.nz.begin(), b.nz.begin() + (k - 1),
                     b.nz.begin() + static_cast<ptrdiff_t>(nz_count), std::greater<float>());
    total = 0;
    for (int i = 0; i < k; ++i)
      total += static_cast<uint64_t>(static_cast<double>(b.nz[static_cast<size_t>(i)]) * kFix);
  }
  return to_double(total) / k;
}

}  // namespace

PictureScore picture_score(const Setup& s, CPlaneU16 luma, int bpc, Workspace& ws) {
  Workspace::Buffers& b = ws.buffers();
  const int W = s.width, H = s.height;
  ensure(b.img, W, H);
  ensure(b.mask, W, H);
  ensure(b.keys, W, H);
  ensure(b.deriv, W, 8);
  ensure(b.rows, W + kRowSlack, 8);
  const size_t wide = static_cast<size_t>(W) + kRowSlack;
  if (b.colsum.size() < wide) b.colsum.resize(wide);
  // Histogram rows of the widest strip of any scale, reused with narrower strides by the others.
  int widest = 0;
  for (int scale = 0, w = s.high_res_speedup ? (W + 1) >> 1 : W; scale < kNumScales;
       ++scale, w = (w + 1) >> 1)
    widest = std::max(widest, strip_width(w, s.band_size));
  const size_t hist_need = static_cast<size_t>((widest + kRowSlack + 31) / 32 * 32) * s.band_size;
  if (b.hist_size < hist_need) {
    b.hist = allocate_histograms(hist_need);
    b.hist_size = hist_need;
  }
  if (b.crow.size() < wide) b.crow.resize(wide);

  // An earlier call that threw (input validation) may have left histogram counts behind.
  if (b.hist_dirty) std::fill_n(b.hist.get(), b.hist_size, 0);
  b.hist_dirty = true;

  Source src(s, luma, bpc, b);
  int w = W, h = H;
  if (s.high_res_speedup) {
    // Every scale of the speed-up is halved, the first from the unfiltered picture.
    src.mask_upto(H - 1);
    w = (w + 1) >> 1;
    h = (h + 1) >> 1;
    for (int i = 0; i < h; ++i) {
      decimate_row_u16(b.img.row(2 * i), b.img.row(i), static_cast<size_t>(w));
      decimate_row_u8(b.mask.row(2 * i), b.mask.row(i), static_cast<size_t>(w));
    }
  }
  PictureScore out;
  for (int scale = 0; scale < kNumScales; ++scale) {
    out.scale[scale] = scale_score(s, b, w, h, scale + 1 == kNumScales,
                                   scale == 0 && !s.high_res_speedup ? &src : nullptr);
    w = (w + 1) >> 1;
    h = (h + 1) >> 1;
  }
  b.hist_dirty = false;
  double score = 0;
  for (int scale = 0; scale < kNumScales; ++scale) score += out.scale[scale] * kScaleWeights[scale];
  out.score = score / (s.window * s.window);
  return out;
}

}  // namespace vqfuse::kernels::cambi
