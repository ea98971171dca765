// libvmaf vif_tools.c frame rescaling, with its float/double arithmetic kept per pixel. libvmaf
// mirrors an out-of-range tap once; taps that are still outside (only possible when upscaling a
// frame narrower than the kernel) are clamped here instead of read out of bounds.
#include "features/kernels/vif_prescale.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace vqfuse::kernels {
namespace {

float mirror_f(float i, float left, float right) {
  return i < left ? -i : (i > right ? 2 * right - i : i);
}

int mirror_index(int i, int n) {
  const int m = static_cast<int>(mirror_f(static_cast<float>(i), 0, static_cast<float>(n - 1)));
  return std::clamp(m, 0, n - 1);
}

float bicubic_kernel(float t) {
  const float a = -0.75f;
  if (t < 0) t = -t;
  if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
  return 0;
}

float lanczos_kernel(float x, float a) {
  if (x == 0.0) return 1.0f;
  if (x > -a && x < a)
    return static_cast<float>(a * std::sin(M_PI * x) * std::sin(M_PI * x / a) / (M_PI * M_PI * x * x));
  return 0.0f;
}

void nearest(const float* src, ptrdiff_t ss, int sw, int sh, float* dst, ptrdiff_t ds, int dw,
             int dh) {
  const float rx = static_cast<float>(sw) / dw;
  const float ry = static_cast<float>(sh) / dh;
  for (int y = 0; y < dh; ++y) {
    const int sy = std::min(static_cast<int>(y * ry), sh - 1);
    for (int x = 0; x < dw; ++x) {
      const int sx = std::min(static_cast<int>(x * rx), sw - 1);
      dst[y * ds + x] = src[sy * ss + sx];
    }
  }
}

void bilinear(const float* src, ptrdiff_t ss, int sw, int sh, float* dst, ptrdiff_t ds, int dw,
              int dh) {
  const float rx = static_cast<float>(sw) / dw;
  const float ry = static_cast<float>(sh) / dh;
  std::vector<int> x1(dw), x2(dw);
  std::vector<float> dxa(dw);
  for (int x = 0; x < dw; ++x) {
    const float xx = static_cast<float>((x + 0.5) * rx - 0.5);
    x1[x] = std::clamp(static_cast<int>(mirror_f(static_cast<float>(std::floor(xx)), 0, sw - 1)), 0, sw - 1);
    x2[x] = std::clamp(static_cast<int>(mirror_f(static_cast<float>(std::ceil(xx)), 0, sw - 1)), 0, sw - 1);
    dxa[x] = xx - x1[x];
  }
  for (int y = 0; y < dh; ++y) {
    const float yy = static_cast<float>((y + 0.5) * ry - 0.5);
    const int y1 = std::clamp(static_cast<int>(mirror_f(static_cast<float>(std::floor(yy)), 0, sh - 1)), 0, sh - 1);
    const int y2 = std::clamp(static_cast<int>(mirror_f(static_cast<float>(std::ceil(yy)), 0, sh - 1)), 0, sh - 1);
    const float dy = yy - y1;
    const float* r1 = src + y1 * ss;
    const float* r2 = src + y2 * ss;
    for (int x = 0; x < dw; ++x) {
      const float dx = dxa[x];
      dst[y * ds + x] = (1 - dy) * (1 - dx) * r1[x1[x]] + (1 - dy) * dx * r1[x2[x]] +
                        dy * (1 - dx) * r2[x1[x]] + dy * dx * r2[x2[x]];
    }
  }
}

float bicubic_at(const float* src, ptrdiff_t ss, int sw, int sh, float x, float y) {
  const int x0 = static_cast<int>(std::floor(x));
  const int y0 = static_cast<int>(std::floor(y));
  const float dx = x - x0, dy = y - y0;
  float wx[4], wy[4];
  for (int i = -1; i <= 2; ++i) {
    wx[i + 1] = bicubic_kernel(i - dx);
    wy[i + 1] = bicubic_kernel(i - dy);
  }
  float v = 0.0f;
  for (int j = -1; j <= 2; ++j)
    for (int i = -1; i <= 2; ++i)
      v += src[mirror_index(y0 + j, sh) * ss + mirror_index(x0 + i, sw)] * (wx[i + 1] * wy[j + 1]);
  return v;
}

float lanczos_at(const float* src, ptrdiff_t ss, int sw, int sh, float x, float y) {
  constexpr int a = 4;
  const int x0 = static_cast<int>(std::floor(x));
  const int y0 = static_cast<int>(std::floor(y));
  const float dx = x - x0, dy = y - y0;
  float wx[2 * a + 1], wy[2 * a + 1];
  for (int i = -a; i <= a; ++i) {
    wx[i + a] = lanczos_kernel(i - dx, static_cast<float>(a));
    wy[i + a] = lanczos_kernel(i - dy, static_cast<float>(a));
  }
  float v = 0.0f, wsum = 0.0f;
  for (int iy = -a; iy <= a; ++iy)
    for (int ix = -a; ix <= a; ++ix) {
      const float wgt = wx[ix + a] * wy[iy + a];
      wsum += wgt;
      v += src[mirror_index(y0 + iy, sh) * ss + mirror_index(x0 + ix, sw)] * wgt;
    }
  return v / wsum;
}

template <float (*kAt)(const float*, ptrdiff_t, int, int, float, float)>
void resample(const float* src, ptrdiff_t ss, int sw, int sh, float* dst, ptrdiff_t ds, int dw,
              int dh) {
  const float rx = static_cast<float>(sw) / dw;
  const float ry = static_cast<float>(sh) / dh;
  for (int y = 0; y < dh; ++y) {
    const float yy = static_cast<float>((y + 0.5) * ry - 0.5);
    for (int x = 0; x < dw; ++x) {
      const float xx = static_cast<float>((x + 0.5) * rx - 0.5);
      dst[y * ds + x] = kAt(src, ss, sw, sh, xx, yy);
    }
  }
}

}  // namespace

bool vif_prescale_method(std::string_view name, VifPrescaleMethod& out) {
  if (name == "nearest") out = VifPrescaleMethod::kNearest;
  else if (name == "bilinear") out = VifPrescaleMethod::kBilinear;
  else if (name == "bicubic") out = VifPrescaleMethod::kBicubic;
  else if (name == "lanczos4") out = VifPrescaleMethod::kLanczos4;
  else return false;
  return true;
}

void vif_prescale(VifPrescaleMethod m, const float* src, ptrdiff_t src_stride, int src_w,
                  int src_h, float* dst, ptrdiff_t dst_stride, int dst_w, int dst_h) {
  if (src_w == dst_w && src_h == dst_h) {
    for (int y = 0; y < dst_h; ++y)
      std::memcpy(dst + y * dst_stride, src + y * src_stride, sizeof(float) * dst_w);
    return;
  }
  switch (m) {
    case VifPrescaleMethod::kNearest:
      nearest(src, src_stride, src_w, src_h, dst, dst_stride, dst_w, dst_h);
      break;
    case VifPrescaleMethod::kBilinear:
      bilinear(src, src_stride, src_w, src_h, dst, dst_stride, dst_w, dst_h);
      break;
    case VifPrescaleMethod::kBicubic:
      resample<bicubic_at>(src, src_stride, src_w, src_h, dst, dst_stride, dst_w, dst_h);
      break;
    case VifPrescaleMethod::kLanczos4:
      resample<lanczos_at>(src, src_stride, src_w, src_h, dst, dst_stride, dst_w, dst_h);
      break;
  }
}

}  // namespace vqfuse::kernels
