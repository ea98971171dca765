// Scalar reference of ssim_int.hpp: the row kernels and a whole-plane transcription of the
// fork's calc_ssim (int64 moments, clipped windows), summed with the project's 16 lanes.
#include <vector>

#include "features/kernels/ssim.hpp"
#include "features/kernels/ssim_int.hpp"

namespace vqfuse::kernels {

namespace {
int samplemax_sq(int bit_depth) {
  const uint32_t sm = (1u << bit_depth) - 1;
  return static_cast<int32_t>(sm * sm);  // the fork's int product (wraps at 16 bit)
}
}  // namespace

// Wang et al. 2004 constants K1 = 0.01, K2 = 0.03, squared in double as the fork's macros.
double int_ssim_k1s(int bit_depth) { return samplemax_sq(bit_depth) * (0.01 * 0.01); }
double int_ssim_k2s(int bit_depth) { return samplemax_sq(bit_depth) * (0.03 * 0.03); }

namespace ref {

void int_ssim_h_row(const uint16_t* a, const uint16_t* b, size_t n,
                    double* const out[kIntSsimMoments], double* /*scratch*/) {
  for (size_t x = 0; x < n; ++x) {
    int64_t m[kIntSsimMoments] = {};
    for (int k = 0; k < kIntSsimTaps; ++k) {
      const int64_t s = a[x + k], d = b[x + k], wt = kIntSsimKernel[k];
      m[kIMuX] += wt * s;
      m[kIMuY] += wt * d;
      m[kIX2] += wt * s * s;
      m[kIXY] += wt * s * d;
      m[kIY2] += wt * d * d;
    }
    for (int j = 0; j < kIntSsimMoments; ++j) out[j][x] = static_cast<double>(m[j]);
  }
}

void int_ssim_v_row(const double* const rows[kIntSsimMoments][kIntSsimTaps], const double* wx,
                    double wy, size_t n, double k1s, double k2s, double* lanes) {
  for (size_t x = 0; x < n; ++x) {
    double m[kIntSsimMoments];
    for (int j = 0; j < kIntSsimMoments; ++j) {
      double s = 0;
      for (int k = 0; k < kIntSsimTaps; ++k) s += kIntSsimKernel[k] * rows[j][k][x];
      m[j] = s;
    }
    lanes[x % kSsimLanes] +=
        int_ssim_term(m[kIMuX], m[kIMuY], m[kIX2], m[kIXY], m[kIY2], wx[x] * wy, k1s, k2s);
  }
}

void int_ssim_h_row_u8(const uint16_t* a, const uint16_t* b, size_t n,
                       uint32_t* const out[kIntSsimMoments], uint32_t* /*scratch*/) {
  std::vector<double> tmp(kIntSsimMoments * n);
  double* t[kIntSsimMoments];
  for (int j = 0; j < kIntSsimMoments; ++j) t[j] = tmp.data() + j * n;
  int_ssim_h_row(a, b, n, t, nullptr);
  for (int j = 0; j < kIntSsimMoments; ++j)
    for (size_t x = 0; x < n; ++x) out[j][x] = static_cast<uint32_t>(t[j][x]);
}

void int_ssim_v_row_u8(const uint32_t* const rows[kIntSsimMoments][kIntSsimTaps], const double* wx,
                       double wy, size_t n, double k1s, double k2s, double* lanes) {
  for (size_t x = 0; x < n; ++x) {
    uint32_t m[kIntSsimMoments];
    for (int j = 0; j < kIntSsimMoments; ++j) {
      uint32_t s = 0;
      for (int k = 0; k < kIntSsimTaps; ++k)
        s += static_cast<uint32_t>(kIntSsimKernel[k]) * rows[j][k][x];
      m[j] = s;
    }
    lanes[x % kSsimLanes] +=
        int_ssim_term(m[kIMuX], m[kIMuY], m[kIX2], m[kIXY], m[kIY2], wx[x] * wy, k1s, k2s);
  }
}

double int_ssim(CPlaneU16 a, CPlaneU16 b, int bit_depth) {
  const int w = a.width, h = a.height;
  const int half = kIntSsimTaps / 2;
  const double k1s = int_ssim_k1s(bit_depth), k2s = int_ssim_k2s(bit_depth);
  struct Moments {
    int64_t v[kIntSsimMoments + 1];  // + the weight sum
  };
  std::vector<Moments> hm(static_cast<size_t>(w) * h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      Moments m{};
      for (int k = 0; k < kIntSsimTaps; ++k) {
        const int i = x - half + k;
        if (i < 0 || i >= w) continue;
        const int64_t s = a.row(y)[i], d = b.row(y)[i], wt = kIntSsimKernel[k];
        m.v[kIMuX] += wt * s;
        m.v[kIMuY] += wt * d;
        m.v[kIX2] += wt * s * s;
        m.v[kIXY] += wt * s * d;
        m.v[kIY2] += wt * d * d;
        m.v[kIntSsimMoments] += wt;
      }
      hm[static_cast<size_t>(y) * w + x] = m;
    }
  double ssim = 0, ssimw = 0;
  for (int y = 0; y < h; ++y) {
    double lanes[kSsimLanes] = {};
    for (int x = 0; x < w; ++x) {
      Moments m{};
      for (int k = 0; k < kIntSsimTaps; ++k) {
        const int r = y - half + k;
        if (r < 0 || r >= h) continue;
        for (int j = 0; j <= kIntSsimMoments; ++j)
          m.v[j] += kIntSsimKernel[k] * hm[static_cast<size_t>(r) * w + x].v[j];
      }
      const double w_d = static_cast<double>(m.v[kIntSsimMoments]);
      lanes[x % kSsimLanes] +=
          int_ssim_term(static_cast<double>(m.v[kIMuX]), static_cast<double>(m.v[kIMuY]),
                        static_cast<double>(m.v[kIX2]), static_cast<double>(m.v[kIXY]),
                        static_cast<double>(m.v[kIY2]), w_d, k1s, k2s);
      ssimw += w_d;
    }
    ssim += sum_lanes16(lanes);
  }
  return ssim / ssimw;
}

}  // namespace ref
}  // namespace vqfuse::kernels
