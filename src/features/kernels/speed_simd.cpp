// Highway version of speed.hpp. Lane arithmetic is the scalar reference's, operation for
// operation, so every target gives the same bits.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "features/kernels/speed_simd.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "features/kernels/speed.hpp"

HWY_BEFORE_NAMESPACE();
namespace vqfuse::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Columns [x0, n) of speed_vfilter_u16, one at a time (vector tails).
void VfilterU16Tail(const uint16_t* const* a, const uint16_t* const* b, int32_t bias, float scale,
                    const float* taps, int ntaps, float* out, size_t x0, size_t n) {
  for (size_t x = x0; x < n; ++x) {
    float acc = 0.0f;
    for (int t = 0; t < ntaps; ++t) {
      const int32_t sub = b ? static_cast<int32_t>(b[t][x]) : bias;
      acc += taps[t] * (static_cast<float>(static_cast<int32_t>(a[t][x]) - sub) * scale);
    }
    out[x] = acc;
  }
}

void SpeedVfilterU16(const uint16_t* const* HWY_RESTRICT a, const uint16_t* const* HWY_RESTRICT b,
                     int32_t bias, float scale, const float* HWY_RESTRICT taps, int ntaps,
                     float* HWY_RESTRICT out, size_t n) {
  const hn::ScalableTag<float> df;
  const hn::RebindToSigned<decltype(df)> di;
  const hn::Rebind<uint16_t, decltype(df)> du;
  const size_t N = hn::Lanes(df);
  const auto vscale = hn::Set(df, scale);
  const auto vbias = hn::Set(di, bias);
  size_t x = 0;
  if (b) {
    for (; x + N <= n; x += N) {
      auto acc = hn::Zero(df);
      for (int t = 0; t < ntaps; ++t) {
        const auto diff = hn::Sub(hn::PromoteTo(di, hn::LoadU(du, a[t] + x)),
                                  hn::PromoteTo(di, hn::LoadU(du, b[t] + x)));
        const auto v = hn::Mul(hn::ConvertTo(df, diff), vscale);
        acc = hn::Add(acc, hn::Mul(hn::Set(df, taps[t]), v));
      }
      hn::StoreU(acc, df, out + x);
    }
  } else {
    for (; x + N <= n; x += N) {
      auto acc = hn::Zero(df);
      for (int t = 0; t < ntaps; ++t) {
        const auto diff = hn::Sub(hn::PromoteTo(di, hn::LoadU(du, a[t] + x)), vbias);
        const auto v = hn::Mul(hn::ConvertTo(df, diff), vscale);
        acc = hn::Add(acc, hn::Mul(hn::Set(df, taps[t]), v));
      }
      hn::StoreU(acc, df, out + x);
    }
  }
  VfilterU16Tail(a, b, bias, scale, taps, ntaps, out, x, n);
}

void SpeedVfilterF32(const float* const* HWY_RESTRICT rows, const float* HWY_RESTRICT taps,
                     int ntaps, float* HWY_RESTRICT out, size_t n) {
  const hn::ScalableTag<float> df;
  const size_t N = hn::Lanes(df);
  size_t x = 0;
  for (; x + N <= n; x += N) {
    auto acc = hn::Zero(df);
    for (int t = 0; t < ntaps; ++t)
      acc = hn::Add(acc, hn::Mul(hn::Set(df, taps[t]), hn::LoadU(df, rows[t] + x)));
    hn::StoreU(acc, df, out + x);
  }
  for (; x < n; ++x) {
    float acc = 0.0f;
    for (int t = 0; t < ntaps; ++t) acc += taps[t] * rows[t][x];
    out[x] = acc;
  }
}

// Window position by window position (raster order), every pair's accumulator advances by one
// product: the same sequence of additions per pair as the reference, with SIMD across pairs.
// Two positions are folded per pass over the accumulators to halve their loads and stores; the
// order of additions per accumulator is unchanged.
void SpeedCovAccumulate(const float* HWY_RESTRICT data, ptrdiff_t stride, int sub_w, int sub_h,
                        const double* HWY_RESTRICT mean, double* HWY_RESTRICT acc) {
  const hn::ScalableTag<double> d;
  const size_t N = hn::Lanes(d);
  // Lanes past kSpeedDim stay zero; their accumulators are scratch.
  HWY_ALIGN double x0[kSpeedCovStride] = {};
  HWY_ALIGN double x1[kSpeedCovStride] = {};
  auto gather = [&](int i, int j, double* x) {
    for (int r = 0; r < kSpeedBlock; ++r) {
      const float* p = data + (i + r) * stride + j;
      for (int c = 0; c < kSpeedBlock; ++c)
        x[r * kSpeedBlock + c] = static_cast<double>(p[c]) - mean[r * kSpeedBlock + c];
    }
  };
  const int64_t total = static_cast<int64_t>(sub_w) * sub_h;
  int i = 0, j = 0;
  auto advance = [&] {
    if (++j == sub_w) {
      j = 0;
      ++i;
    }
  };
  int64_t p = 0;
  for (; p + 2 <= total; p += 2) {
    gather(i, j, x0);
    advance();
    gather(i, j, x1);
    advance();
    for (int a = 0; a < kSpeedDim; ++a) {
      const auto xa0 = hn::Set(d, x0[a]);
      const auto xa1 = hn::Set(d, x1[a]);
      double* row = acc + a * kSpeedCovStride;
      for (size_t k = 0; k <= static_cast<size_t>(a); k += N) {
        auto s = hn::Add(hn::LoadU(d, row + k), hn::Mul(xa0, hn::Load(d, x0 + k)));
        s = hn::Add(s, hn::Mul(xa1, hn::Load(d, x1 + k)));
        hn::StoreU(s, d, row + k);
      }
    }
  }
  if (p < total) {
    gather(i, j, x0);
    for (int a = 0; a < kSpeedDim; ++a) {
      const auto xa0 = hn::Set(d, x0[a]);
      double* row = acc + a * kSpeedCovStride;
      for (size_t k = 0; k <= static_cast<size_t>(a); k += N)
        hn::StoreU(hn::Add(hn::LoadU(d, row + k), hn::Mul(xa0, hn::Load(d, x0 + k))), d, row + k);
    }
  }
}

}  // namespace vqfuse::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace vqfuse::kernels {
HWY_EXPORT(SpeedVfilterU16);
HWY_EXPORT(SpeedVfilterF32);
HWY_EXPORT(SpeedCovAccumulate);

void speed_vfilter_u16(const uint16_t* const* a, const uint16_t* const* b, int32_t bias,
                       float scale, const float* taps, int ntaps, float* out, size_t n) {
  HWY_DYNAMIC_DISPATCH(SpeedVfilterU16)(a, b, bias, scale, taps, ntaps, out, n);
}
void speed_vfilter_f32(const float* const* rows, const float* taps, int ntaps, float* out,
                       size_t n) {
  HWY_DYNAMIC_DISPATCH(SpeedVfilterF32)(rows, taps, ntaps, out, n);
}
void speed_cov_accumulate(const float* data, ptrdiff_t stride, int sub_w, int sub_h,
                          const double* mean, double* acc) {
  HWY_DYNAMIC_DISPATCH(SpeedCovAccumulate)(data, stride, sub_w, sub_h, mean, acc);
}
}  // namespace vqfuse::kernels
#endif
