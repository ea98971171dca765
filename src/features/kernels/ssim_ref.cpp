// Scalar reference (the specification) of ssim.hpp: the row kernels, and whole-plane
// transcriptions of libvmaf's _iqa_ssim / _iqa_convolve (1-D path) / _iqa_decimate loops.
#include <algorithm>
#include <vector>

#include "features/kernels/ssim.hpp"
#include "features/kernels/ssim_pixel.hpp"

namespace vqfuse::kernels {

// Wang et al., "Image quality assessment: from error visibility to structural similarity"
// (IEEE TIP 2004): 11x11 Gaussian, sigma 1.5; values as printed in libvmaf's IQA tables.
const float kSsimGaussian[kSsimTaps] = {0.001028f, 0.007599f, 0.036001f, 0.109361f,
                                        0.213006f, 0.266012f, 0.213006f, 0.109361f,
                                        0.036001f, 0.007599f, 0.001028f};

// Wang, Simoncelli, Bovik, "Multi-scale structural similarity for image quality assessment"
// (2003) downsample with the 9/7 biorthogonal wavelet low-pass; libvmaf's rounded 2-D table.
const float kMsSsimLpf[kLpfTaps][kLpfTaps] = {
    {0.000714f, -0.000450f, -0.002090f, 0.007132f, 0.016114f, 0.007132f, -0.002090f, -0.000450f,
     0.000714f},
    {-0.000450f, 0.000283f, 0.001316f, -0.004490f, -0.010146f, -0.004490f, 0.001316f, 0.000283f,
     -0.000450f},
    {-0.002090f, 0.001316f, 0.006115f, -0.020867f, -0.047149f, -0.020867f, 0.006115f, 0.001316f,
     -0.002090f},
    {0.007132f, -0.004490f, -0.020867f, 0.071207f, 0.160885f, 0.071207f, -0.020867f, -0.004490f,
     0.007132f},
    {0.016114f, -0.010146f, -0.047149f, 0.160885f, 0.363505f, 0.160885f, -0.047149f, -0.010146f,
     0.016114f},
    {0.007132f, -0.004490f, -0.020867f, 0.071207f, 0.160885f, 0.071207f, -0.020867f, -0.004490f,
     0.007132f},
    {-0.002090f, 0.001316f, 0.006115f, -0.020867f, -0.047149f, -0.020867f, 0.006115f, 0.001316f,
     -0.002090f},
    {-0.000450f, 0.000283f, 0.001316f, -0.004490f, -0.010146f, -0.004490f, 0.001316f, 0.000283f,
     -0.000450f},
    {0.000714f, -0.000450f, -0.002090f, 0.007132f, 0.016114f, 0.007132f, -0.002090f, -0.000450f,
     0.000714f},
};

// C1 = (K1 L)^2, C2 = (K2 L)^2 evaluated in float as libvmaf does (K1 = 0.01f, K2 = 0.03f).
float ssim_c1() {
  const float k1l = 0.01f * 255.0f;
  return k1l * k1l;
}
float ssim_c2() {
  const float k2l = 0.03f * 255.0f;
  return k2l * k2l;
}

double sum_lanes16(const double* v) {
  double p[8];
  for (int i = 0; i < 8; ++i) p[i] = v[2 * i] + v[2 * i + 1];
  const double q0 = p[0] + p[1], q1 = p[2] + p[3], q2 = p[4] + p[5], q3 = p[6] + p[7];
  return (q0 + q1) + (q2 + q3);
}

int ssim_auto_scale(int w, int h) {
  // libvmaf: _max(1, _round((float)_min(w, h) / 256.0f)), _round adding 1 from .5 up.
  const float a = static_cast<float>(std::min(w, h)) / 256.0f;
  const int t = static_cast<int>(a);
  const int r = a - static_cast<float>(t) >= 0.5f ? t + 1 : t;
  return std::max(1, r);
}

namespace ref {
namespace {

// KBND_SYMMETRIC, clamped: libvmaf reflects once and would read out of bounds on planes
// smaller than half the window; those sizes are rejected before they get here.
int mirror(int i, int n) {
  if (i < 0) {
    i = -1 - i;
  } else if (i >= n) {
    i = 2 * n - 1 - i;
  }
  return std::clamp(i, 0, n - 1);
}

// One 11-tap pass: float products summed in double in tap order, rounded to float.
float gauss11(const float* p, ptrdiff_t step) {
  double sum = 0.0;
  for (int u = 0; u < kSsimTaps; ++u) sum += p[u * step] * kSsimGaussian[u];
  return static_cast<float>(sum);
}

}  // namespace

void ssim_h_row(const float* a, const float* b, size_t n, float* const out[kSsimMoments],
                float* scratch) {
  const size_t w = n + kSsimTaps - 1;
  float* aa = scratch;
  float* bb = scratch + w;
  float* ab = scratch + 2 * w;
  for (size_t i = 0; i < w; ++i) {
    aa[i] = a[i] * a[i];
    bb[i] = b[i] * b[i];
    ab[i] = a[i] * b[i];
  }
  const float* in[kSsimMoments] = {a, b, aa, bb, ab};
  for (int m = 0; m < kSsimMoments; ++m)
    for (size_t x = 0; x < n; ++x) out[m][x] = gauss11(in[m] + x, 1);
}

SsimRowSums ssim_v_row(const float* const rows[kSsimMoments][kSsimTaps], size_t n) {
  const float c1 = ssim_c1(), c2 = ssim_c2(), c3 = c2 / 2.0f;
  double l[kSsimLanes] = {}, c[kSsimLanes] = {}, s[kSsimLanes] = {}, lcs[kSsimLanes] = {};
  for (size_t x = 0; x < n; ++x) {
    float v[kSsimMoments];
    for (int m = 0; m < kSsimMoments; ++m) {
      double sum = 0.0;
      for (int t = 0; t < kSsimTaps; ++t) sum += rows[m][t][x] * kSsimGaussian[t];
      v[m] = static_cast<float>(sum);
    }
    const SsimTerms r = ssim_pixel_terms(v[kMuA], v[kMuB], v[kAA], v[kBB], v[kAB], c1, c2, c3);
    const size_t lane = x % kSsimLanes;
    lcs[lane] += r.l * r.c * r.s;
    l[lane] += r.l;
    c[lane] += r.c;
    s[lane] += r.s;
  }
  return {sum_lanes16(l), sum_lanes16(c), sum_lanes16(s), sum_lanes16(lcs)};
}

void ms_ssim_decimate_row(const float* const even[kLpfTaps], const float* const odd[kLpfTaps],
                          size_t n, float* out) {
  for (size_t x = 0; x < n; ++x) {
    double sum = 0.0;
    for (int v = 0; v < kLpfTaps; ++v)
      for (int t = 0; t < kLpfTaps; ++t)
        // (No `(cond ? p : q)[i]`: gcc 12 -O1 -fsanitize=address miscompiles that pattern.)
        sum += (t & 1 ? odd[v][x + t / 2] : even[v][x + t / 2]) * kMsSsimLpf[v][t];
    out[x] = static_cast<float>(sum);
  }
}

void ssim_box_accumulate(const float* row, size_t n, float k, bool first, double* acc) {
  for (size_t j = 0; j < n; ++j) acc[j] = (first ? 0.0 : acc[j]) + row[j] * k;
}

SsimMeans ssim_means(CPlaneF a, CPlaneF b) {
  const int w = a.width, h = a.height;
  const int n = w - (kSsimTaps - 1), m = h - (kSsimTaps - 1);
  const float c1 = ssim_c1(), c2 = ssim_c2(), c3 = c2 / 2.0f;
  // Horizontal pass of every row, then vertical, as _iqa_convolve's 1-D path.
  const size_t plane = static_cast<size_t>(n) * h;
  std::vector<float> hp(kSsimMoments * plane);
  std::vector<float> sq(3 * static_cast<size_t>(w));
  for (int y = 0; y < h; ++y) {
    const float* ra = a.row(y);
    const float* rb = b.row(y);
    for (int i = 0; i < w; ++i) {
      sq[i] = ra[i] * ra[i];
      sq[w + i] = rb[i] * rb[i];
      sq[2 * w + i] = ra[i] * rb[i];
    }
    const float* in[kSsimMoments] = {ra, rb, sq.data(), sq.data() + w, sq.data() + 2 * w};
    for (int k = 0; k < kSsimMoments; ++k)
      for (int x = 0; x < n; ++x)
        hp[k * plane + static_cast<size_t>(y) * n + x] = gauss11(in[k] + x, 1);
  }
  double tl = 0, tc = 0, ts = 0, tlcs = 0;
  for (int y = 0; y < m; ++y) {
    double l[kSsimLanes] = {}, c[kSsimLanes] = {}, s[kSsimLanes] = {}, lcs[kSsimLanes] = {};
    for (int x = 0; x < n; ++x) {
      float v[kSsimMoments];
      for (int k = 0; k < kSsimMoments; ++k)
        v[k] = gauss11(&hp[k * plane + static_cast<size_t>(y) * n + x], n);
      const SsimTerms r = ssim_pixel_terms(v[kMuA], v[kMuB], v[kAA], v[kBB], v[kAB], c1, c2, c3);
      lcs[x % kSsimLanes] += r.l * r.c * r.s;
      l[x % kSsimLanes] += r.l;
      c[x % kSsimLanes] += r.c;
      s[x % kSsimLanes] += r.s;
    }
    tl += sum_lanes16(l);
    tc += sum_lanes16(c);
    ts += sum_lanes16(s);
    tlcs += sum_lanes16(lcs);
  }
  const double count = static_cast<double>(n * m);
  return {static_cast<float>(tl / count), static_cast<float>(tc / count),
          static_cast<float>(ts / count), static_cast<float>(tlcs / count)};
}

ImageF ssim_box_decimate(CPlaneF img, int factor) {
  const int w = img.width, h = img.height;
  const int sw = ssim_decimated_size(w, factor), sh = ssim_decimated_size(h, factor);
  const float k = 1.0f / static_cast<float>(factor * factor);
  const int c = factor / 2;  // window [f*x - c, f*x - c + f)
  ImageF out(sw, sh);
  for (int y = 0; y < sh; ++y)
    for (int x = 0; x < sw; ++x) {
      double sum = 0.0;
      for (int v = 0; v < factor; ++v) {
        const float* r = img.row(mirror(y * factor - c + v, h));
        for (int u = 0; u < factor; ++u) sum += r[mirror(x * factor - c + u, w)] * k;
      }
      out.row(y)[x] = static_cast<float>(sum);
    }
  return out;
}

ImageF ms_ssim_decimate(CPlaneF img) {
  const int w = img.width, h = img.height;
  const int sw = ssim_decimated_size(w, 2), sh = ssim_decimated_size(h, 2);
  ImageF out(sw, sh);
  for (int y = 0; y < sh; ++y)
    for (int x = 0; x < sw; ++x) {
      double sum = 0.0;
      for (int v = 0; v < kLpfTaps; ++v) {
        const float* r = img.row(mirror(2 * y + v - 4, h));
        for (int u = 0; u < kLpfTaps; ++u) sum += r[mirror(2 * x + u - 4, w)] * kMsSsimLpf[v][u];
      }
      out.row(y)[x] = static_cast<float>(sum);
    }
  return out;
}

}  // namespace ref
}  // namespace vqfuse::kernels
