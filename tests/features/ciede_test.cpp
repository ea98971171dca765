// ciede: the float kernel against a double-precision CIEDE2000 (checked on Sharma et al.'s
// published test pairs), the polynomial approximations against libm, and known answers of the
// extractor.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "features/kernels/ciede.hpp"
#include "test_util.hpp"
#include "vqfuse/extract.hpp"

namespace vqfuse::test {
namespace {

namespace ref = kernels::ref;
constexpr double kPi = 3.14159265358979323846;

struct LabD {
  double l, a, b;
};

// CIEDE2000 in double, textbook form with angles. libvmaf_hue: libvmaf's mean hue for
// |h1 - h2| > pi, (h1 + h2 + 2 pi) / 2 always (Sharma: - 2 pi when h1 + h2 >= 2 pi).
double ciede2000(LabD c1, LabD c2, double kl, double kc, double kh, bool libvmaf_hue) {
  const double dl = c2.l - c1.l, lbar = (c1.l + c2.l) / 2;
  const double cbar = (std::hypot(c1.a, c1.b) + std::hypot(c2.a, c2.b)) / 2;
  const double g = 0.5 * (1 - std::sqrt(std::pow(cbar, 7) / (std::pow(cbar, 7) + std::pow(25.0, 7))));
  const double a1 = c1.a * (1 + g), a2 = c2.a * (1 + g);
  const double cp1 = std::hypot(a1, c1.b), cp2 = std::hypot(a2, c2.b);
  auto hue = [](double b, double a) {
    if (a == 0 && b == 0) return 0.0;
    const double h = std::atan2(b, a);
    return h < 0 ? h + 2 * kPi : h;
  };
  const double h1 = hue(c1.b, a1), h2 = hue(c2.b, a2);
  double dh = 0;
  if (cp1 * cp2 != 0) {
    dh = h2 - h1;
    if (dh > kPi) dh -= 2 * kPi;
    if (dh < -kPi) dh += 2 * kPi;
  }
  const double dhh = 2 * std::sqrt(cp1 * cp2) * std::sin(dh / 2);
  double hbar = h1 + h2;
  if (cp1 * cp2 != 0) {
    if (std::fabs(h1 - h2) > kPi) hbar += (libvmaf_hue || h1 + h2 < 2 * kPi) ? 2 * kPi : -2 * kPi;
    hbar /= 2;
  }
  const double t = 1 - 0.17 * std::cos(hbar - kPi / 6) + 0.24 * std::cos(2 * hbar) +
                   0.32 * std::cos(3 * hbar + kPi / 30) - 0.20 * std::cos(4 * hbar - 63 * kPi / 180);
  const double cbarp = (cp1 + cp2) / 2;
  const double sl = 1 + 0.015 * (lbar - 50) * (lbar - 50) / std::sqrt(20 + (lbar - 50) * (lbar - 50));
  const double sc = 1 + 0.045 * cbarp, sh = 1 + 0.015 * cbarp * t;
  const double deg = (hbar * 180 / kPi - 275) / 25;
  const double rt = -2 * std::sqrt(std::pow(cbarp, 7) / (std::pow(cbarp, 7) + std::pow(25.0, 7))) *
                    std::sin(kPi / 3 * std::exp(-deg * deg));
  const double lt = dl / (kl * sl), ct = (cp2 - cp1) / (kc * sc), ht = dhh / (kh * sh);
  return std::sqrt(lt * lt + ct * ct + ht * ht + rt * ct * ht);
}

double libvmaf_de(LabD c1, LabD c2) { return ciede2000(c1, c2, 0.65, 1.0, 4.0, true); }

// libvmaf's get_lab_color in double (its float rounding of f(X), f(Y), f(Z) left out).
LabD lab_of(double y, double u, double v, int bpc) {
  const double s = 1 << (bpc - 8);
  y = (y - 16 * s) / (219 * s);
  u = (u - 128 * s) / (224 * s);
  v = (v - 128 * s) / (224 * s);
  auto lin = [](double c) { return c > 10. / 255. ? std::pow((c + 0.055) / 1.055, 2.4) : c / 12.92; };
  const double r = lin(y + 1.28033 * v), g = lin(y - 0.21482 * u - 0.38059 * v), b = lin(y + 2.12798 * u);
  auto f = [](double c) { return c > 216. / 24389. ? std::cbrt(c) : (24389. / 27. * c + 16) / 116; };
  const double fx = f((r * 0.4124564390896921 + g * 0.357576077643909 + b * 0.18043748326639894) / 0.95047);
  const double fy = f(r * 0.21267285140562248 + g * 0.715152155287818 + b * 0.07217499330655958);
  const double fz = f((r * 0.019333895582329317 + g * 0.119192025881303 + b * 0.9503040785363677) / 1.08883);
  return {116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
}

TEST(CiedeReference, DoubleFormulaReproducesSharmaTestData) {
  struct Pair {
    LabD c1, c2;
    double de;
  };
  // G. Sharma, W. Wu, E. N. Dalal (2005), Table 1 (kL = kC = kH = 1).
  const Pair pairs[] = {
      {{50, 2.6772, -79.7751}, {50, 0, -82.7485}, 2.0425},
      {{50, 3.1571, -77.2803}, {50, 0, -82.7485}, 2.8615},
      {{50, 2.8361, -74.0200}, {50, 0, -82.7485}, 3.4412},
      {{50, -1.3802, -84.2814}, {50, 0, -82.7485}, 1.0000},
      {{50, 0, 0}, {50, -1, 2}, 2.3669},
      {{50, 2.5, 0}, {50, 0, -2.5}, 4.3065},
      {{50, 2.5, 0}, {73, 25, -18}, 27.1492},
      {{50, 2.5, 0}, {61, -5, 29}, 22.8977},
      {{50, 2.5, 0}, {56, -27, -3}, 31.9030},
      {{50, 2.5, 0}, {58, 24, 15}, 19.4535},
  };
  for (const Pair& p : pairs) EXPECT_NEAR(ciede2000(p.c1, p.c2, 1, 1, 1, false), p.de, 5e-5);
}

TEST(CiedeKernel, FloatDeltaEMatchesDoubleFormula) {
  // Hand-checkable pair: (50, 2.5, 0) vs (73, 25, -18) with libvmaf's weights.
  const ref::Lab a{50, 2.5f, 0}, b{73, 25, -18};
  const double want = libvmaf_de({50, 2.5, 0}, {73, 25, -18});
  EXPECT_NEAR(ref::delta_e(a, b), want, want * 1e-6);
  // Random pairs, near and far apart, over the whole L*a*b* range.
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> l(0, 100), ab(-110, 110), small(-2, 2);
  // Error relative to max(dE, 1): small differences of large chroma lose digits to float
  // cancellation (C2' - C1'), exactly as in libvmaf's float arithmetic. Measured 3.8e-6.
  double worst = 0;
  for (int i = 0; i < 200000; ++i) {
    const ref::Lab c1{l(rng), ab(rng), ab(rng)};
    const ref::Lab c2 = i % 2 ? ref::Lab{l(rng), ab(rng), ab(rng)}
                              : ref::Lab{c1.l + small(rng), c1.a + small(rng), c1.b + small(rng)};
    const double d = libvmaf_de({c1.l, c1.a, c1.b}, {c2.l, c2.a, c2.b});
    worst = std::max(worst, std::fabs(ref::delta_e(c1, c2) - d) / std::max(d, 1.0));
  }
  EXPECT_LT(worst, 6e-6) << "worst error of the float dE00";
  // Nearly and exactly opposite hues (the mean hue direction is the ill-conditioned part there).
  for (float e : {0.0f, 1e-4f, -1e-4f, 1e-2f}) {
    const ref::Lab c1{50, 30, 20}, c2{40, -30.0f + e, -20.0f - e};
    const double d = libvmaf_de({c1.l, c1.a, c1.b}, {c2.l, c2.a, c2.b});
    EXPECT_NEAR(ref::delta_e(c1, c2), d, 6e-6 * d) << e;
  }
  EXPECT_EQ(ref::delta_e(a, a), 0.0f);
}

TEST(CiedeKernel, PolynomialsMatchLibm) {
  double w_pow = 0, w_cbrt = 0, w_atan = 0;
  for (float t = 0.0894f; t < 2.25f; t = std::nextafter(t, 3.0f) + 1e-6f)
    w_pow = std::max(w_pow, std::fabs(ref::pow24(t) / std::pow(double{t}, 2.4) - 1));
  for (float x = 0.0088f; x < 7.9f; x = std::nextafter(x, 9.0f) + 1e-6f)
    w_cbrt = std::max(w_cbrt, std::fabs(ref::cbrt_pos(x) / std::cbrt(double{x}) - 1));
  for (int i = 0; i < 100000; ++i) {
    const double ang = -kPi + 2 * kPi * i / 100000.0;
    const float y = static_cast<float>(std::sin(ang) * 3), x = static_cast<float>(std::cos(ang) * 3);
    w_atan = std::max(w_atan, std::fabs(ref::atan2f_poly(y, x) - std::atan2(double{y}, double{x})));
  }
  // A few float ulps (2^-23 = 1.2e-7 relative).
  EXPECT_LT(w_pow, 4e-7);
  EXPECT_LT(w_cbrt, 4e-7);
  EXPECT_LT(w_atan, 2e-6);
  EXPECT_EQ(ref::atan2f_poly(0, 0), 0.0f);
}

TEST(CiedeKernel, LabMatchesDoubleConversionOnTheWholeEightBitCube) {
  const kernels::CiedeScale s = kernels::ciede_scale(8);
  double wl = 0, wab = 0;
  for (int y = 0; y < 256; y += 3)
    for (int u = 0; u < 256; u += 3)
      for (int v = 0; v < 256; v += 3) {
        const ref::Lab f = ref::yuv_to_lab(y, u, v, s);
        const LabD d = lab_of(y, u, v, 8);
        wl = std::max(wl, std::fabs(f.l - d.l));
        wab = std::max({wab, std::fabs(f.a - d.a), std::fabs(f.b - d.b)});
      }
  // libvmaf itself rounds f(X), f(Y), f(Z) and L*a*b* to float: 1e-5 (L) and ~1e-4 (a, b) are
  // a few float ulps of those values.
  EXPECT_LT(wl, 6e-5);  // L* in [0, 100]: one float ulp at 100 is 7.6e-6
  EXPECT_LT(wab, 2e-4);
}

Result<RunSummary> run(const VideoInfo& info, int frames, const SampleFn& ref, const SampleFn& dis,
                       FeatureMatrix& m, int threads = 1) {
  TempDir dir;
  write_y4m(dir.file("r.y4m"), info, frames, ref);
  write_y4m(dir.file("d.y4m"), info, frames, dis);
  ExtractConfig cfg;
  cfg.reference = dir.file("r.y4m");
  cfg.distorted = dir.file("d.y4m");
  cfg.features = {"ciede"};
  cfg.no_prediction = true;
  cfg.threads = threads;
  FrameSink* sinks[] = {&m};
  return extract(cfg, sinks);
}

SampleFn yuv(uint16_t y, uint16_t u, uint16_t v) {
  return [=](int, int p, int, int) { return p == 0 ? y : p == 1 ? u : v; };
}

TEST(Ciede, IdenticalFramesAreInfinite) {
  FeatureMatrix m;
  const SampleFn f = noise_fn(4, 8);
  ASSERT_TRUE(run(make_info(40, 20), 1, f, f, m).ok());
  EXPECT_EQ(m.at(0, "ciede2000"), std::numeric_limits<double>::infinity());
}

TEST(Ciede, ConstantColourPair) {
  for (int bpc : {8, 10}) {
    const int s = 1 << (bpc - 8);
    FeatureMatrix m;
    ASSERT_TRUE(run(make_info(19, 9, bpc), 1, yuv(90 * s, 100 * s, 150 * s), yuv(110 * s, 120 * s, 140 * s), m).ok());
    const double de = libvmaf_de(lab_of(90 * s, 100 * s, 150 * s, bpc), lab_of(110 * s, 120 * s, 140 * s, bpc));
    EXPECT_NEAR(m.at(0, "ciede2000"), 45 - 20 * std::log10(de), 1e-5) << bpc;
  }
}

// Every subsampling and odd size: the extractor equals the scalar specification summed directly.
TEST(Ciede, MatchesSpecificationForEverySubsampling) {
  for (Chroma c : {Chroma::k420, Chroma::k422, Chroma::k444}) {
    for (auto [w, h] : {std::pair{1, 1}, {3, 2}, {17, 13}, {333, 197}}) {
      const VideoInfo v = make_info(w, h, 8, c);
      const SampleFn rf = noise_fn(8, 8, 40), df = noise_fn(9, 8, 40);
      FeatureMatrix m;
      ASSERT_TRUE(run(v, 1, rf, df, m, 2).ok()) << chroma_name(c) << " " << w << "x" << h;
      const kernels::CiedeScale s = kernels::ciede_scale(8);
      const int sx = c == Chroma::k444 ? 0 : 1, sy = c == Chroma::k420 ? 1 : 0;
      double sum = 0;
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
          const ref::Lab a = ref::yuv_to_lab(rf(0, 0, x, y), rf(0, 1, x >> sx, y >> sy), rf(0, 2, x >> sx, y >> sy), s);
          const ref::Lab b = ref::yuv_to_lab(df(0, 0, x, y), df(0, 1, x >> sx, y >> sy), df(0, 2, x >> sx, y >> sy), s);
          sum += ref::delta_e(a, b);
        }
      EXPECT_NEAR(m.at(0, "ciede2000"), 45 - 20 * std::log10(sum / (w * h)), 1e-12)
          << chroma_name(c) << " " << w << "x" << h;
    }
  }
}

TEST(Ciede, RejectsMonochrome) {
  FeatureMatrix m;
  auto r = run(make_info(16, 16, 8, Chroma::k400), 1, noise_fn(1, 8), noise_fn(2, 8), m);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kUnsupported);
  EXPECT_NE(r.error().message.find("ciede"), std::string::npos);
}

}  // namespace
}  // namespace vqfuse::test
