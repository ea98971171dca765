// Highway version of float_ansnr.hpp. Columns whose window stays inside the row are vectorised
// with the scalar operation order per lane (separate Mul and Add, no FMA), so results are
// bit-identical to the reference; the mirrored edge columns use the scalar pixel functions.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "features/kernels/float_ansnr_simd.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "features/kernels/float_ansnr.hpp"

HWY_BEFORE_NAMESPACE();
namespace vqfuse::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

void AnsnrFilterRefRow(const float* const rows[3], float* HWY_RESTRICT out, size_t w) {
  const hn::ScalableTag<float> d;
  const size_t N = hn::Lanes(d);
  const auto n = static_cast<ptrdiff_t>(w);
  const ptrdiff_t edge = n < 1 ? n : 1;
  for (ptrdiff_t x = 0; x < edge; ++x) out[x] = ansnr_ref_pixel(rows, x, n);
  // Separable form: every partial sum is exact (see ansnr_ref_pixel), so it equals libvmaf's.
  const auto two = hn::Set(d, 2.0f);
  const auto sixteenth = hn::Set(d, 1.0f / 16);
  ptrdiff_t x = edge;
  for (; x + static_cast<ptrdiff_t>(N) + 1 <= n; x += static_cast<ptrdiff_t>(N)) {
    auto col = [&](ptrdiff_t o) {
      return hn::Add(hn::Add(hn::LoadU(d, rows[0] + o), hn::Mul(two, hn::LoadU(d, rows[1] + o))),
                     hn::LoadU(d, rows[2] + o));
    };
    const auto h = hn::Add(hn::Add(col(x - 1), hn::Mul(two, col(x))), col(x + 1));
    hn::StoreU(hn::Mul(h, sixteenth), d, out + x);
  }
  for (; x < n; ++x) out[x] = ansnr_ref_pixel(rows, x, n);
}

void AnsnrFilterDisRow(const float* const rows[5], float* HWY_RESTRICT out, size_t w) {
  const hn::ScalableTag<float> d;
  const auto N = static_cast<ptrdiff_t>(hn::Lanes(d));
  const auto n = static_cast<ptrdiff_t>(w);
  const ptrdiff_t edge = n < 2 ? n : 2;
  for (ptrdiff_t x = 0; x < edge; ++x) out[x] = ansnr_dis_pixel(rows, x, n);
  ptrdiff_t x = edge;
  for (; x + N + 2 <= n; x += N) {
    hn::Vec<decltype(d)> acc;
    for (int fi = 0; fi < 5; ++fi) {
      const float* r = rows[fi] + x - 2;
      const float* c = kAnsnrDisFilter + fi * 5;
      auto inner = hn::Mul(hn::Set(d, c[0]), hn::LoadU(d, r));
      for (int fj = 1; fj < 5; ++fj) inner = hn::Add(inner, hn::Mul(hn::Set(d, c[fj]), hn::LoadU(d, r + fj)));
      acc = fi == 0 ? inner : hn::Add(acc, inner);
    }
    hn::StoreU(acc, d, out + x);
  }
  for (; x < n; ++x) out[x] = ansnr_dis_pixel(rows, x, n);
}

void AnsnrLoadRow(const uint16_t* HWY_RESTRICT src, float* HWY_RESTRICT dst, size_t n,
                  float inv_scale) {
  const hn::ScalableTag<float> d;
  const hn::RebindToSigned<decltype(d)> di;
  const hn::Rebind<uint16_t, decltype(d)> d16;
  const hn::Rebind<uint32_t, decltype(d)> du;
  const size_t N = hn::Lanes(d);
  const auto scale = hn::Set(d, inv_scale);
  const auto offset = hn::Set(d, 128.0f);
  size_t i = 0;
  for (; i + N <= n; i += N) {
    const auto v = hn::BitCast(di, hn::PromoteTo(du, hn::LoadU(d16, src + i)));
    hn::StoreU(hn::Sub(hn::Mul(hn::ConvertTo(d, v), scale), offset), d, dst + i);
  }
  for (; i < n; ++i) dst[i] = static_cast<float>(src[i]) * inv_scale - 128.0f;
}

}  // namespace vqfuse::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace vqfuse::kernels {
HWY_EXPORT(AnsnrFilterRefRow);
HWY_EXPORT(AnsnrFilterDisRow);
HWY_EXPORT(AnsnrLoadRow);
void ansnr_load_row(const uint16_t* src, float* dst, size_t n, float inv_scale) {
  HWY_DYNAMIC_DISPATCH(AnsnrLoadRow)(src, dst, n, inv_scale);
}
void ansnr_filter_ref_row(const float* const rows[3], float* out, size_t w) {
  HWY_DYNAMIC_DISPATCH(AnsnrFilterRefRow)(rows, out, w);
}
void ansnr_filter_dis_row(const float* const rows[5], float* out, size_t w) {
  HWY_DYNAMIC_DISPATCH(AnsnrFilterDisRow)(rows, out, w);
}
}  // namespace vqfuse::kernels
#endif
