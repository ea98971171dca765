// SpEED's optional prescale (speed_prescale != 1): libvmaf vif_tools.c vif_scale_frame_s with
// its four methods, same float/double expressions. Only used off the default path.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "features/kernels/speed_core.hpp"

namespace vqfuse::kernels::speed {
namespace {

// libvmaf mirror() on floats, then clamped so that tiny planes cannot index outside (libvmaf
// would; the accepted geometries never reach the clamp).
int mirror_index(float i, int n) {
  const float right = static_cast<float>(n - 1);
  const float m = i < 0 ? -i : (i > right ? 2 * right - i : i);
  return std::clamp(static_cast<int>(m), 0, n - 1);
}

// Source coordinate of a destination sample centre: (x + 0.5) * ratio - 0.5, in double.
float source_coord(int x, float ratio) { return static_cast<float>((x + 0.5) * ratio - 0.5); }

float bicubic_weight(float t) {
  const float a = -0.75f;
  if (t < 0) t = -t;
  if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
  return 0;
}

float lanczos_weight(float x, float a) {
  constexpr double kPi = std::numbers::pi;
  if (x == 0.0) return 1.0f;
  if (x > -a && x < a)
    return static_cast<float>(a * std::sin(kPi * x) * std::sin(kPi * x / a) / (kPi * kPi * x * x));
  return 0.0f;
}

void scale_nearest(const ImageF& src, ImageF& dst) {
  const float rx = static_cast<float>(src.width()) / static_cast<float>(dst.width());
  const float ry = static_cast<float>(src.height()) / static_cast<float>(dst.height());
  for (int y = 0; y < dst.height(); ++y) {
    const int sy = std::min(static_cast<int>(static_cast<float>(y) * ry), src.height() - 1);
    for (int x = 0; x < dst.width(); ++x) {
      const int sx = std::min(static_cast<int>(static_cast<float>(x) * rx), src.width() - 1);
      dst.row(y)[x] = src.row(sy)[sx];
    }
  }
}

void scale_bilinear(const ImageF& src, ImageF& dst) {
  const int sw = src.width(), sh = src.height();
  const float rx = static_cast<float>(sw) / static_cast<float>(dst.width());
  const float ry = static_cast<float>(sh) / static_cast<float>(dst.height());
  std::vector<int> x1(static_cast<size_t>(dst.width())), x2(x1.size());
  std::vector<float> fx(x1.size());
  for (int x = 0; x < dst.width(); ++x) {
    const float xx = source_coord(x, rx);
    x1[static_cast<size_t>(x)] =
        mirror_index(static_cast<float>(std::floor(static_cast<double>(xx))), sw);
    x2[static_cast<size_t>(x)] =
        mirror_index(static_cast<float>(std::ceil(static_cast<double>(xx))), sw);
    fx[static_cast<size_t>(x)] = xx - static_cast<float>(x1[static_cast<size_t>(x)]);
  }
  for (int y = 0; y < dst.height(); ++y) {
    const float yy = source_coord(y, ry);
    const int y1 = mirror_index(static_cast<float>(std::floor(static_cast<double>(yy))), sh);
    const int y2 = mirror_index(static_cast<float>(std::ceil(static_cast<double>(yy))), sh);
    const float dy = yy - static_cast<float>(y1);
    const float* r1 = src.row(y1);
    const float* r2 = src.row(y2);
    float* out = dst.row(y);
    for (int x = 0; x < dst.width(); ++x) {
      const size_t i = static_cast<size_t>(x);
      const float dx = fx[i];
      out[x] = (1 - dy) * (1 - dx) * r1[x1[i]] + (1 - dy) * dx * r1[x2[i]] +
               dy * (1 - dx) * r2[x1[i]] + dy * dx * r2[x2[i]];
    }
  }
}

// Separable-weight kernels evaluated as libvmaf's 2-D loops (rows outer, weights multiplied per
// tap, one float accumulator): bicubic (4x4, a = -0.75) and lanczos4 (9x9, normalised).
void scale_kernel(const ImageF& src, ImageF& dst, bool lanczos) {
  const int sw = src.width(), sh = src.height();
  const float rx = static_cast<float>(sw) / static_cast<float>(dst.width());
  const float ry = static_cast<float>(sh) / static_cast<float>(dst.height());
  const int lo = lanczos ? -4 : -1;
  const int hi = lanczos ? 4 : 2;
  float wx[9], wy[9];
  for (int y = 0; y < dst.height(); ++y) {
    const float yy = source_coord(y, ry);
    const int y0 = static_cast<int>(std::floor(static_cast<double>(yy)));
    const float dy = yy - static_cast<float>(y0);
    for (int x = 0; x < dst.width(); ++x) {
      const float xx = source_coord(x, rx);
      const int x0 = static_cast<int>(std::floor(static_cast<double>(xx)));
      const float dx = xx - static_cast<float>(x0);
      for (int i = lo; i <= hi; ++i) {
        wx[i - lo] = lanczos ? lanczos_weight(static_cast<float>(i) - dx, 4.0f)
                             : bicubic_weight(static_cast<float>(i) - dx);
        wy[i - lo] = lanczos ? lanczos_weight(static_cast<float>(i) - dy, 4.0f)
                             : bicubic_weight(static_cast<float>(i) - dy);
      }
      float value = 0.0f, weight_sum = 0.0f;
      for (int j = lo; j <= hi; ++j) {
        const float* row = src.row(mirror_index(static_cast<float>(y0 + j), sh));
        for (int i = lo; i <= hi; ++i) {
          const float w = wx[i - lo] * wy[j - lo];
          weight_sum += w;
          value += row[mirror_index(static_cast<float>(x0 + i), sw)] * w;
        }
      }
      dst.row(y)[x] = lanczos ? value / weight_sum : value;
    }
  }
}

}  // namespace

void rescale(ScaleMethod method, const ImageF& src, ImageF& dst) {
  switch (method) {
    case ScaleMethod::kNearest:
      scale_nearest(src, dst);
      break;
    case ScaleMethod::kBilinear:
      scale_bilinear(src, dst);
      break;
    case ScaleMethod::kBicubic:
      scale_kernel(src, dst, false);
      break;
    case ScaleMethod::kLanczos4:
      scale_kernel(src, dst, true);
      break;
  }
}

}  // namespace vqfuse::kernels::speed
