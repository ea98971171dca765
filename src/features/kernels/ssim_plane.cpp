// Plane drivers of ssim.hpp: row bands (in parallel) over the dispatched row kernels.
//
// SSIM: each band keeps a ring of the last 11 horizontally filtered rows of the five moments
// (L2-sized at 1080p) and emits one map row per input row; a band recomputes the 10 rows above
// its first output row. Per-row sums are added in row order, so the result does not depend on
// the band layout or the thread count.
#include <algorithm>
#include <vector>

#include "core/parallel.hpp"
#include "features/kernels/ssim.hpp"
#include "features/kernels/ssim_int.hpp"

namespace vqfuse::kernels {
namespace {

// KBND_SYMMETRIC, clamped for planes smaller than the window (see ssim_ref.cpp).
int mirror(int i, int n) {
  if (i < 0) {
    i = -1 - i;
  } else if (i >= n) {
    i = 2 * n - 1 - i;
  }
  return std::clamp(i, 0, n - 1);
}

size_t padded(size_t n) { return (n + 15) / 16 * 16; }

// Row stride of a ring of T: padded, and never a multiple of 1 KiB, so the rows a vertical pass
// reads together do not map to a few L1 sets (measured 2.3x slower at 8 KiB strides).
template <class T>
size_t ring_stride(size_t n) {
  const size_t p = padded(n);
  return p + ((p * sizeof(T)) % 1024 ? 0 : 64 / sizeof(T));
}

// Per-thread scratch reused across bands and frames (no page faults after the first frame).
// Safe because band bodies never wait on other TBB tasks, so a thread cannot start a second
// band while one of its buffers is in use. kSlot separates buffers used at the same time.
template <class T, int kSlot>
T* thread_buffer(size_t n) {
  thread_local std::vector<T> buf;
  if (buf.size() < n) buf.resize(n);
  return buf.data();
}

// Rows of map output per band: large enough that the 10-row recomputation stays small, at
// least 8 bands on big frames for the threads.
int ssim_band_rows(int map_rows) { return std::max(48, (map_rows + 7) / 8); }

}  // namespace

SsimMeans ssim_means(CPlaneF a, CPlaneF b) {
  const int w = a.width, h = a.height;
  const int n = w - (kSsimTaps - 1), m = h - (kSsimTaps - 1);
  if (n <= 0 || m <= 0) return {};
  std::vector<SsimRowSums> row_sums(static_cast<size_t>(m));
  const size_t ns = ring_stride<float>(static_cast<size_t>(n));
  for_each_tile(m, ssim_band_rows(m), [&](int, int y0, int y1) {
    float* ring = thread_buffer<float, 0>(kSsimTaps * kSsimMoments * ns);
    float* scratch = thread_buffer<float, 1>(3 * padded(static_cast<size_t>(w)));
    const auto slot = [&](int r, int mom) {
      return ring + (static_cast<size_t>(r % kSsimTaps) * kSsimMoments + mom) * ns;
    };
    for (int r = y0; r < y1 + kSsimTaps - 1; ++r) {
      float* out[kSsimMoments];
      for (int mom = 0; mom < kSsimMoments; ++mom) out[mom] = slot(r, mom);
      ssim_h_row(a.row(r), b.row(r), static_cast<size_t>(n), out, scratch);
      const int y = r - (kSsimTaps - 1);
      if (y < y0) continue;
      const float* rows[kSsimMoments][kSsimTaps];
      for (int mom = 0; mom < kSsimMoments; ++mom)
        for (int t = 0; t < kSsimTaps; ++t) rows[mom][t] = slot(y + t, mom);
      row_sums[static_cast<size_t>(y)] = ssim_v_row(rows, static_cast<size_t>(n));
    }
  });
  double l = 0, c = 0, s = 0, lcs = 0;
  for (const SsimRowSums& r : row_sums) {
    l += r.l;
    c += r.c;
    s += r.s;
    lcs += r.lcs;
  }
  const double count = static_cast<double>(n * m);
  return {static_cast<float>(l / count), static_cast<float>(c / count),
          static_cast<float>(s / count), static_cast<float>(lcs / count)};
}

// Column sums first, then the f columns of each output: a different order than libvmaf's
// window loop, but every term is a float product of a multiple of 2^-8 below 256 (kLumaF32
// at any bit depth) and 1/f^2, so all partial sums are exact in double and any order gives
// libvmaf's value (tests compare with the window-order reference).
ImageF ssim_box_decimate(CPlaneF img, int factor) {
  const int w = img.width, h = img.height;
  const int sw = ssim_decimated_size(w, factor), sh = ssim_decimated_size(h, factor);
  const float k = 1.0f / static_cast<float>(factor * factor);
  const int c = factor / 2;
  ImageF out(sw, sh);
  std::vector<int> cols(static_cast<size_t>(sw) * factor);
  for (int x = 0; x < sw; ++x)
    for (int u = 0; u < factor; ++u)
      cols[static_cast<size_t>(x) * factor + u] = mirror(x * factor - c + u, w);
  for_each_tile(sh, 16, [&](int, int y0, int y1) {
    double* col = thread_buffer<double, 0>(static_cast<size_t>(w));
    for (int y = y0; y < y1; ++y) {
      for (int v = 0; v < factor; ++v)
        ssim_box_accumulate(img.row(mirror(y * factor - c + v, h)), static_cast<size_t>(w), k,
                            v == 0, col);
      float* o = out.row(y);
      for (int x = 0; x < sw; ++x) {
        const int* idx = &cols[static_cast<size_t>(x) * factor];
        double sum = 0.0;
        for (int u = 0; u < factor; ++u) sum += col[idx[u]];
        o[x] = static_cast<float>(sum);
      }
    }
  });
  return out;
}

ImageF ms_ssim_decimate(CPlaneF img) {
  const int w = img.width, h = img.height;
  const int sw = ssim_decimated_size(w, 2), sh = ssim_decimated_size(h, 2);
  ImageF out(sw, sh);
  const int half = kLpfTaps / 2;
  // Even/odd samples of the mirror-padded row: padded[j] = row[mirror(j - 4)].
  // Even and odd halves alternate, so a ring stride of 2 * ne keeps the rows apart in L1.
  const size_t ne = ring_stride<float>(2 * (static_cast<size_t>(sw) + half)) / 2;
  for_each_tile(sh, 16, [&](int, int y0, int y1) {
    const int r0 = 2 * y0 - half;
    const int rows = 2 * (y1 - 1 - y0) + kLpfTaps;
    float* eo = thread_buffer<float, 2>(2 * ne * static_cast<size_t>(rows));
    for (int i = 0; i < rows; ++i) {
      const float* src = img.row(mirror(r0 + i, h));
      float* e = eo + 2 * ne * i;
      float* o = e + ne;
      // Interior: 2j - 4 >= 0 and 2j - 3 <= w - 1.
      const int j_lo = std::min(2, sw + half);
      const int j_hi = std::max(j_lo, std::min(sw + half, (w + 2) / 2 + 1));
      for (int j = 0; j < j_lo; ++j) {
        e[j] = src[mirror(2 * j - half, w)];
        o[j] = src[mirror(2 * j + 1 - half, w)];
      }
      for (int j = j_lo; j < j_hi; ++j) {
        e[j] = src[2 * j - half];
        o[j] = src[2 * j + 1 - half];
      }
      for (int j = j_hi; j < sw + half; ++j) {
        e[j] = src[mirror(2 * j - half, w)];
        o[j] = src[mirror(2 * j + 1 - half, w)];
      }
    }
    for (int y = y0; y < y1; ++y) {
      const float* even[kLpfTaps];
      const float* odd[kLpfTaps];
      for (int v = 0; v < kLpfTaps; ++v) {
        even[v] = eo + 2 * ne * (2 * y + v - half - r0);
        odd[v] = even[v] + ne;
      }
      ms_ssim_decimate_row(even, odd, static_cast<size_t>(sw), out.row(y));
    }
  });
  return out;
}

namespace {
// In-bounds weight sum of the 9-tap window centred on each of n positions.
std::vector<int64_t> int_ssim_weights(int n) {
  std::vector<int64_t> wsum(static_cast<size_t>(n));
  const int half = kIntSsimTaps / 2;
  for (int i = 0; i < n; ++i) {
    int64_t s = 0;
    for (int k = 0; k < kIntSsimTaps; ++k)
      if (i - half + k >= 0 && i - half + k < n) s += kIntSsimKernel[k];
    wsum[static_cast<size_t>(i)] = s;
  }
  return wsum;
}
}  // namespace

// Columns per strip: whole rows up to 2048 (narrower strips measured slower at 1080p; they keep
// the ring L2-sized on wider frames).
constexpr int kIntStrip = 2048;

// Each band walks column strips of kIntStrip outputs; per strip it keeps a ring of the last 9
// horizontally filtered rows (L1-sized). Inputs outside the plane are zeros and rows outside it
// read an all-zero row, which with the in-bounds weight sums reproduces the fork's clipped
// windows. Every output row keeps its 16 lane sums across strips, so the result equals a
// whole-row pass. T is the moment type: uint32 up to 8 bit, double above (both exact).
template <class T, class HRow, class VRow>
double int_ssim_rows(CPlaneU16 a, CPlaneU16 b, int bit_depth, HRow h_row, VRow v_row) {
  static_assert(kIntStrip % kSsimLanes == 0, "strips keep the lane of every column");
  const int strip = std::min(kIntStrip, static_cast<int>(padded(a.width)));
  const size_t stride = ring_stride<T>(static_cast<size_t>(strip));
  const int w = a.width, h = a.height;
  const int half = kIntSsimTaps / 2;
  const std::vector<int64_t> wxi = int_ssim_weights(w), wyi = int_ssim_weights(h);
  std::vector<double> wx(wxi.begin(), wxi.end());
  int64_t sum_wx = 0, sum_wy = 0;
  for (int64_t v : wxi) sum_wx += v;
  for (int64_t v : wyi) sum_wy += v;
  const double k1s = int_ssim_k1s(bit_depth), k2s = int_ssim_k2s(bit_depth);
  const std::vector<T> zero(static_cast<size_t>(strip), T{0});
  std::vector<double> row_sums(static_cast<size_t>(h));
  for_each_tile(h, std::max(32, (h + 7) / 8), [&](int, int y0, int y1) {
    const size_t in_len = strip + kIntSsimTaps - 1;
    T* ring = thread_buffer<T, 0>(kIntSsimTaps * kIntSsimMoments * stride);
    T* scratch = thread_buffer<T, 1>(kIntSsimMoments * in_len);
    uint16_t* pin = thread_buffer<uint16_t, 0>(2 * in_len);
    double* lanes = thread_buffer<double, 2>(static_cast<size_t>(y1 - y0) * kSsimLanes);
    std::fill(lanes, lanes + static_cast<size_t>(y1 - y0) * kSsimLanes, 0.0);
    const auto slot = [&](int r, int mom) {
      return ring + (static_cast<size_t>(r % kIntSsimTaps) * kIntSsimMoments + mom) * stride;
    };
    for (int x0 = 0; x0 < w; x0 += strip) {
      const int n = std::min(strip, w - x0);
      // Input columns x0 - 4 .. x0 + n + 3, zero outside the plane.
      const int c0 = std::max(0, x0 - half), c1 = std::min(w, x0 + n + half);
      const int lead = c0 - (x0 - half);
      const auto load_row = [&](int r) {
        for (int p = 0; p < 2; ++p) {
          uint16_t* dst = pin + p * in_len;
          const uint16_t* src = (p ? b : a).row(r);
          std::fill(dst, dst + lead, uint16_t{0});
          std::copy(src + c0, src + c1, dst + lead);
          std::fill(dst + lead + (c1 - c0), dst + n + kIntSsimTaps - 1, uint16_t{0});
        }
      };
      int next = std::max(0, y0 - half);
      for (int y = y0; y < y1; ++y) {
        for (const int need = std::min(y + half, h - 1); next <= need; ++next) {
          T* out[kIntSsimMoments];
          for (int mom = 0; mom < kIntSsimMoments; ++mom) out[mom] = slot(next, mom);
          load_row(next);
          h_row(pin, pin + in_len, static_cast<size_t>(n), out, scratch);
        }
        const T* rows[kIntSsimMoments][kIntSsimTaps];
        for (int k = 0; k < kIntSsimTaps; ++k) {
          const int r = y - half + k;
          for (int mom = 0; mom < kIntSsimMoments; ++mom)
            rows[mom][k] = (r >= 0 && r < h) ? slot(r, mom) : zero.data();
        }
        v_row(rows, wx.data() + x0, static_cast<double>(wyi[static_cast<size_t>(y)]),
              static_cast<size_t>(n), k1s, k2s, lanes + static_cast<size_t>(y - y0) * kSsimLanes);
      }
    }
    for (int y = y0; y < y1; ++y)
      row_sums[static_cast<size_t>(y)] =
          sum_lanes16(lanes + static_cast<size_t>(y - y0) * kSsimLanes);
  });
  double ssim = 0;
  for (double v : row_sums) ssim += v;
  return ssim / static_cast<double>(sum_wx * sum_wy);
}

double int_ssim(CPlaneU16 a, CPlaneU16 b, int bit_depth) {
  if (bit_depth <= 8)
    return int_ssim_rows<uint32_t>(a, b, bit_depth, int_ssim_h_row_u8, int_ssim_v_row_u8);
  return int_ssim_rows<double>(a, b, bit_depth, int_ssim_h_row, int_ssim_v_row);
}

}  // namespace vqfuse::kernels
