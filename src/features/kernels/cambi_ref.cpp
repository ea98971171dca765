// Scalar reference (the specification) of cambi.hpp.
#include <algorithm>

#include "features/kernels/cambi.hpp"

namespace vqfuse::kernels::cambi::ref {

namespace {
uint16_t mode3(uint16_t a, uint16_t b, uint16_t c) {
  if (a == b || a == c) return a;
  if (b == c) return b;
  return std::min({a, b, c});
}
}  // namespace

uint16_t to10_row(const uint16_t* in, uint16_t* out, size_t n, int bpc) {
  uint16_t hi = 0;
  for (size_t j = 0; j < n; ++j) {
    const uint16_t v = in[j];
    hi = std::max(hi, v);
    if (bpc <= 10) {
      out[j] = static_cast<uint16_t>(v << (10 - bpc));
    } else {
      const int s = bpc - 10;
      out[j] = static_cast<uint16_t>((v + (1 << (s - 1))) >> s);
    }
  }
  return hi;
}

void antidither_row(const uint16_t* r0, const uint16_t* r1, uint16_t* out, size_t n) {
  if (n == 0) return;
  for (size_t j = 0; j + 1 < n; ++j) {
    out[j] = r1 ? static_cast<uint16_t>((r0[j] + r0[j + 1] + r1[j] + r1[j + 1]) >> 2)
                : static_cast<uint16_t>((r0[j] + r0[j + 1]) >> 1);
  }
  out[n - 1] = r1 ? static_cast<uint16_t>((r0[n - 1] + r1[n - 1]) >> 1) : r0[n - 1];
}

void zero_deriv_row(const uint16_t* cur, const uint16_t* below, uint8_t* out, size_t n) {
  for (size_t j = 0; j < n; ++j) {
    const bool h = j + 1 == n || cur[j] == cur[j + 1];
    const bool v = !below || cur[j] == below[j];
    out[j] = static_cast<uint8_t>(h && v);
  }
}

void colsum_update(uint8_t* colsum, const uint8_t* add, size_t n, int sign) {
  for (size_t j = 0; j < n; ++j)
    colsum[j] = static_cast<uint8_t>(sign > 0 ? colsum[j] + add[j] : colsum[j] - add[j]);
}

void mask_row(const uint8_t* colsum, uint8_t* mask, size_t n, int threshold) {
  for (size_t j = 0; j < n; ++j) {
    int s = 0;
    for (int k = -3; k <= 3; ++k) s += colsum[static_cast<ptrdiff_t>(j) + k];
    mask[j] = static_cast<uint8_t>(s > threshold);
  }
}

void hmode_row(const uint16_t* in, uint16_t* out, size_t n) {
  if (n == 0) return;
  out[0] = in[0];
  for (size_t j = 1; j + 1 < n; ++j) out[j] = mode3(in[j - 1], in[j], in[j + 1]);
  out[n - 1] = in[n - 1];
}

void vmode_row(const uint16_t* a, const uint16_t* b, const uint16_t* c, uint16_t* out, size_t n) {
  for (size_t j = 0; j < n; ++j) out[j] = mode3(a[j], b[j], c[j]);
}

void decimate_row_u16(const uint16_t* in, uint16_t* out, size_t out_n) {
  for (size_t j = 0; j < out_n; ++j) out[j] = in[2 * j];
}

void decimate_row_u8(const uint8_t* in, uint8_t* out, size_t out_n) {
  for (size_t j = 0; j < out_n; ++j) out[j] = in[2 * j];
}

void keys_row(const uint16_t* img, const uint8_t* mask, uint16_t* keys, size_t n, uint16_t base,
              uint16_t size) {
  for (size_t j = 0; j < n; ++j) {
    const uint16_t k = static_cast<uint16_t>(img[j] - base);
    keys[j] = mask[j] && img[j] >= base && k < size ? k : kNoKey;
  }
}

void hist_run(uint16_t* hist, int a, int b, int pad, int width, int sign) {
  const int lo = std::max(0, a - pad);
  const int hi = std::min(width - 1, b + pad);
  for (int c = lo; c <= hi; ++c) {
    const int t = std::min(c + pad, b) - std::max(c - pad, a) + 1;
    hist[c] = static_cast<uint16_t>(sign > 0 ? hist[c] + t : hist[c] - t);
  }
}

float c_pixel(const CParams& p, int key, size_t x) {
  const uint32_t gates = p.gates[key];
  if (!gates) return 0.0f;
  const uint16_t* col = p.hist + x;
  const int p0 = col[key * p.hist_stride];
  float c = 0.0f;
  for (int d = 0; d < p.num_diffs; ++d) {
    if (!((gates >> d) & 1)) continue;
    const int p1 = col[(key + d + 1) * p.hist_stride];
    const int p2 = key >= d + 1 ? col[(key - d - 1) * p.hist_stride] : 0;
    const int pm = std::max(p1, p2);
    // libvmaf: (float)(weight * p0 * p_max) * reciprocal[p0 + p_max], both rounded to float.
    const float val = static_cast<float>(p.weights[d] * p0 * pm) * p.recip[p0 + pm];
    c = std::max(c, val);
  }
  return c;
}

void slide_rows(const HistStrip& g, const uint16_t* enter, const uint16_t* leave,
                uint16_t* tmp_enter, uint16_t* tmp_leave, size_t n) {
  if (enter) std::copy_n(enter, n, tmp_enter);
  if (leave) std::copy_n(leave, n, tmp_leave);
  if (enter && leave) {
    for (size_t j = 0; j < n; ++j)
      if (tmp_enter[j] == tmp_leave[j]) tmp_enter[j] = tmp_leave[j] = kNoKey;
  }
  const int len = static_cast<int>(n);
  auto runs = [&](const uint16_t* row, int sign) {
    int x = 0;
    while (x < len) {
      int e = x + 1;
      while (e < len && row[e] == row[x]) ++e;
      if (row[x] != kNoKey)
        hist_run(g.hist + row[x] * g.stride, x + g.origin, e - 1 + g.origin, g.pad, g.width, sign);
      x = e;
    }
  };
  if (enter) runs(tmp_enter, +1);
  if (leave) runs(tmp_leave, -1);
}

double c_row(const CParams& p, const uint16_t* keys, float* c, size_t n, float* nz,
             size_t* nz_count) {
  double s = 0;
  for (size_t x = 0; x < n; ++x) {
    c[x] = keys[x] == kNoKey ? 0.0f : c_pixel(p, keys[x], x);
    if (c[x] != 0.0f) {
      s += c[x];
      nz[(*nz_count)++] = c[x];
    }
  }
  return s;
}

}  // namespace vqfuse::kernels::cambi::ref
