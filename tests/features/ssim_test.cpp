// float_ssim, float_ms_ssim and ssim (integer, fork) on small synthetic inputs: identical
// frames, constant planes with a closed-form answer, options, size limits and odd sizes.
#include "features/kernels/ssim.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "features/kernels/ssim_int.hpp"
#include "test_util.hpp"
#include "vqfuse/extract.hpp"

namespace vqfuse::test {
namespace {

struct SynthRun {
  Result<RunSummary> status;
  FeatureMatrix m;
};

// Writes ref/dis Y4Ms from the generators and runs the given --feature specs (threads 2).
SynthRun run_synthetic(const VideoInfo& info, int frames, const SampleFn& ref, const SampleFn& dis,
                       const std::vector<std::string>& features, bool skip_unsupported = false) {
  TempDir dir;
  write_y4m(dir.file("ref.y4m"), info, frames, ref);
  write_y4m(dir.file("dis.y4m"), info, frames, dis);
  ExtractConfig cfg;
  cfg.reference = dir.file("ref.y4m");
  cfg.distorted = dir.file("dis.y4m");
  cfg.features = features;
  cfg.no_prediction = true;
  cfg.threads = 2;
  cfg.skip_unsupported = skip_unsupported;
  SynthRun r{Error(Errc::kInternal, "not run"), {}};
  FrameSink* sinks[] = {&r.m};
  r.status = extract(cfg, sinks);
  return r;
}

SampleFn constant(int v) {
  return [v](int, int, int, int) { return static_cast<uint16_t>(v); };
}

// _iqa_ssim of two constant planes: only the luminance term differs from 1. The Gaussian's
// float taps sum to 1.000002, which scales both means (and moments) alike.
double constant_ssim(double a, double b) {
  double k = 0;
  for (float t : kernels::kSsimGaussian) k += t;
  const double c1 = (0.01 * 255) * (0.01 * 255);
  const double ma = a * k * k, mb = b * k * k;
  return (2 * ma * mb + c1) / (ma * ma + mb * mb + c1);
}

TEST(Ssim, IdenticalFramesScoreOne) {
  const VideoInfo info = make_info(200, 180);
  const SynthRun r =
      run_synthetic(info, 2, noise_fn(1, 8, 40), noise_fn(1, 8, 40),
                    {"float_ssim=enable_lcs=true", "float_ms_ssim=enable_lcs=true", "ssim"});
  ASSERT_TRUE(r.status.ok()) << r.status.error().to_string();
  for (size_t f = 0; f < r.m.rows.size(); ++f) {
    for (const char* n :
         {"float_ssim", "float_ssim_l", "float_ssim_c", "float_ssim_s", "float_ms_ssim",
          "float_ms_ssim_l_scale0", "float_ms_ssim_c_scale2", "float_ms_ssim_s_scale4"})
      EXPECT_NEAR(r.m.at(f, n), 1.0, 1e-6) << n;
    EXPECT_DOUBLE_EQ(r.m.at(f, "ssim"), 1.0);
  }
}

TEST(Ssim, ConstantPlanesMatchClosedForm) {
  const VideoInfo info = make_info(64, 48);
  const SynthRun r =
      run_synthetic(info, 1, constant(100), constant(120), {"float_ssim=enable_lcs=true", "ssim"});
  ASSERT_TRUE(r.status.ok()) << r.status.error().to_string();
  EXPECT_NEAR(r.m.at(0, "float_ssim"), constant_ssim(100, 120), 2e-6);
  EXPECT_NEAR(r.m.at(0, "float_ssim_l"), constant_ssim(100, 120), 2e-6);
  EXPECT_NEAR(r.m.at(0, "float_ssim_c"), 1.0, 1e-6);
  EXPECT_NEAR(r.m.at(0, "float_ssim_s"), 1.0, 1e-6);
  // Integer SSIM: every window (clipped or not) gives (2ab + C1) / (a^2 + b^2 + C1) exactly
  // up to double rounding, C1 = (0.01 * 255)^2.
  const double c1 = 255.0 * 255.0 * (0.01 * 0.01);
  EXPECT_NEAR(r.m.at(0, "ssim"), (2 * 100. * 120 + c1) / (100. * 100 + 120. * 120 + c1), 1e-13);
}

TEST(Ssim, EnableDbAndClip) {
  const VideoInfo info = make_info(64, 48);
  const SynthRun r = run_synthetic(info, 1, noise_fn(3, 8), noise_fn(4, 8),
                                   {"float_ssim", "float_ms_ssim=enable_db=true"});
  // 64x48 is below float_ms_ssim's limit: an error naming it.
  ASSERT_FALSE(r.status.ok());
  const SynthRun a = run_synthetic(info, 1, noise_fn(3, 8), noise_fn(4, 8), {"float_ssim"});
  const SynthRun b =
      run_synthetic(info, 1, noise_fn(3, 8), noise_fn(4, 8), {"float_ssim=enable_db=true"});
  ASSERT_TRUE(a.status.ok() && b.status.ok());
  const double s = a.m.at(0, "float_ssim");
  EXPECT_DOUBLE_EQ(b.m.at(0, "float_ssim"), -10 * std::log10(1 - s));
  // Identical frames: -10 log10(0) = inf unless clipped at ceil(10 log10(255^2 / (0.5 / (w h)))).
  const SynthRun c = run_synthetic(info, 1, noise_fn(3, 8), noise_fn(3, 8),
                                   {"float_ssim=enable_db=true:clip_db=true"});
  ASSERT_TRUE(c.status.ok());
  EXPECT_DOUBLE_EQ(c.m.at(0, "float_ssim"),
                   std::ceil(10 * std::log10(255. * 255 / (0.5 / (64 * 48)))));
}

TEST(Ssim, AutoScaleFollowsLibvmaf) {
  EXPECT_EQ(kernels::ssim_auto_scale(1920, 1080), 4);
  EXPECT_EQ(kernels::ssim_auto_scale(1280, 720), 3);
  EXPECT_EQ(kernels::ssim_auto_scale(640, 360), 1);
  EXPECT_EQ(kernels::ssim_auto_scale(384, 500), 2);  // 1.5 rounds up
  EXPECT_EQ(kernels::ssim_auto_scale(383, 383), 1);
  EXPECT_EQ(kernels::ssim_auto_scale(16, 16), 1);
  EXPECT_EQ(kernels::ssim_decimated_size(333, 2), 167);  // w/f + (w&1)
  EXPECT_EQ(kernels::ssim_decimated_size(1080, 4), 270);
}

ImageF luma_plane(const SampleFn& fn, int w, int h) {  // kLumaF32 of 8-bit samples
  ImageF img(w, h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) img.row(y)[x] = static_cast<float>(fn(0, 0, x, y));
  return img;
}

TEST(Ssim, ScaleOptionDecimates) {
  const int w = 97, h = 80;
  const SampleFn rf = noise_fn(5, 8), df = noise_fn(6, 8);
  const ImageF ra = luma_plane(rf, w, h), da = luma_plane(df, w, h);
  for (int scale : {1, 2, 3, 5}) {
    const SynthRun r = run_synthetic(make_info(w, h), 1, rf, df,
                                     {"float_ssim=enable_lcs=true:scale=" + std::to_string(scale)});
    ASSERT_TRUE(r.status.ok()) << r.status.error().to_string();
    kernels::SsimMeans want;
    if (scale == 1) {
      want = kernels::ref::ssim_means(std::as_const(ra).view(), std::as_const(da).view());
    } else {
      const ImageF a = kernels::ref::ssim_box_decimate(std::as_const(ra).view(), scale);
      const ImageF b = kernels::ref::ssim_box_decimate(std::as_const(da).view(), scale);
      want = kernels::ref::ssim_means(a.view(), b.view());
    }
    EXPECT_EQ(r.m.at(0, "float_ssim"), want.ssim) << scale;
    EXPECT_EQ(r.m.at(0, "float_ssim_l"), want.l) << scale;
    EXPECT_EQ(r.m.at(0, "float_ssim_c"), want.c) << scale;
    EXPECT_EQ(r.m.at(0, "float_ssim_s"), want.s) << scale;
  }
  const SynthRun big = run_synthetic(make_info(40, 40), 1, rf, df, {"float_ssim=scale=4"});
  ASSERT_FALSE(big.status.ok());  // 40/4 = 10 < 11
  EXPECT_EQ(big.status.error().code, Errc::kUnsupported);
  EXPECT_NE(big.status.error().message.find("40x40"), std::string::npos);
}

TEST(Ssim, MsSsimSizeLimit) {
  const VideoInfo small = make_info(176, 144);
  const SynthRun r = run_synthetic(small, 1, noise_fn(1, 8), noise_fn(2, 8), {"float_ms_ssim"});
  ASSERT_FALSE(r.status.ok());
  const Error& e = r.status.error();
  EXPECT_EQ(e.code, Errc::kUnsupported);
  EXPECT_NE(e.message.find("float_ms_ssim"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("176"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("176x144"), std::string::npos) << e.message;

  const SynthRun s = run_synthetic(small, 1, noise_fn(1, 8), noise_fn(2, 8),
                                   {"float_ms_ssim", "float_ssim"}, true);
  ASSERT_TRUE(s.status.ok()) << s.status.error().to_string();
  ASSERT_EQ(s.m.info.skipped.size(), 1u);
  EXPECT_EQ(s.m.info.skipped[0].extractor, "float_ms_ssim");
  EXPECT_EQ(s.m.column("float_ms_ssim"), -1);
  EXPECT_GE(s.m.column("float_ssim"), 0);

  const SynthRun ok =
      run_synthetic(make_info(176, 176), 1, noise_fn(1, 8), noise_fn(2, 8), {"float_ms_ssim"});
  ASSERT_TRUE(ok.status.ok()) << ok.status.error().to_string();
  EXPECT_GT(ok.m.at(0, "float_ms_ssim"), 0.0);
}

TEST(Ssim, OddAndTinySizes) {
  struct Size {
    int w, h;
  };
  for (Size sz :
       {Size{1, 1}, Size{3, 2}, Size{17, 13}, Size{11, 11}, Size{10, 40}, Size{333, 197}}) {
    for (Chroma c : {Chroma::k420, Chroma::k444}) {
      const VideoInfo info = make_info(sz.w, sz.h, 8, c);
      const std::string what = std::to_string(sz.w) + "x" + std::to_string(sz.h);
      // Integer SSIM has no size limit.
      const SynthRun i = run_synthetic(info, 1, noise_fn(7, 8), noise_fn(8, 8), {"ssim"});
      ASSERT_TRUE(i.status.ok()) << what << ": " << i.status.error().to_string();
      EXPECT_TRUE(std::isfinite(i.m.at(0, "ssim"))) << what;
      EXPECT_LE(i.m.at(0, "ssim"), 1.0 + 1e-12) << what;
      const SynthRun f = run_synthetic(info, 1, noise_fn(7, 8), noise_fn(8, 8), {"float_ssim"});
      if (sz.w >= 11 && sz.h >= 11) {
        ASSERT_TRUE(f.status.ok()) << what << ": " << f.status.error().to_string();
        EXPECT_TRUE(std::isfinite(f.m.at(0, "float_ssim"))) << what;
      } else {
        ASSERT_FALSE(f.status.ok()) << what;
        EXPECT_EQ(f.status.error().code, Errc::kUnsupported) << what;
        EXPECT_NE(f.status.error().message.find(what), std::string::npos)
            << f.status.error().message;
      }
      const SynthRun m = run_synthetic(info, 1, noise_fn(7, 8), noise_fn(8, 8), {"float_ms_ssim"});
      if (sz.w >= 176 && sz.h >= 176) {
        ASSERT_TRUE(m.status.ok()) << what;
      } else {
        ASSERT_FALSE(m.status.ok()) << what;
        EXPECT_EQ(m.status.error().code, Errc::kUnsupported) << what;
      }
    }
  }
}

TEST(Ssim, HighBitDepth) {
  // 10-bit identical frames; and the same content scaled to 10 bit gives the same float SSIM
  // (kLumaF32 divides by 4) and nearly the same integer SSIM.
  const VideoInfo i8 = make_info(64, 64, 8), i10 = make_info(64, 64, 10);
  const SampleFn r8 = noise_fn(9, 8), d8 = noise_fn(10, 8);
  const auto up = [](SampleFn f) {
    return [f](int fr, int p, int x, int y) { return static_cast<uint16_t>(f(fr, p, x, y) << 2); };
  };
  const SynthRun a = run_synthetic(i8, 1, r8, d8, {"float_ssim", "ssim"});
  const SynthRun b = run_synthetic(i10, 1, up(r8), up(d8), {"float_ssim", "ssim"});
  ASSERT_TRUE(a.status.ok() && b.status.ok());
  EXPECT_DOUBLE_EQ(a.m.at(0, "float_ssim"), b.m.at(0, "float_ssim"));
  EXPECT_NEAR(a.m.at(0, "ssim"), b.m.at(0, "ssim"), 1e-3);
  const SynthRun c = run_synthetic(make_info(40, 30, 16), 1, noise_fn(11, 16), noise_fn(11, 16),
                                   {"ssim", "float_ssim"});
  ASSERT_TRUE(c.status.ok());
  EXPECT_TRUE(std::isfinite(c.m.at(0, "ssim")));
  EXPECT_NEAR(c.m.at(0, "float_ssim"), 1.0, 1e-6);
}

TEST(IntSsimKernel, MatchesForkGaussian) {
  // gaussian_filter_init(sigma = 1.5, max_len = 5) with KERNEL_WEIGHT 256.
  const double sigma = 1.5;
  const double scale = 1 / (std::sqrt(2 * M_PI) * sigma);
  const double nh = -0.5 / (sigma * sigma);
  const double s = std::sqrt(0.5 * M_PI) * sigma / 256;
  const int len = std::min(4, static_cast<int>(std::floor(sigma * std::sqrt(-2 * std::log(s)))));
  ASSERT_EQ(2 * len + 1, kernels::kIntSsimTaps);
  int sum = 0;
  for (int ci = len; ci > 0; --ci) {
    const int k = static_cast<int>(256 * scale * std::exp(nh * ci * ci) + 0.5);
    EXPECT_EQ(kernels::kIntSsimKernel[len - ci], k);
    EXPECT_EQ(kernels::kIntSsimKernel[len + ci], k);
    sum += 2 * k;
  }
  EXPECT_EQ(kernels::kIntSsimKernel[len], 256 - sum);
}

}  // namespace
}  // namespace vqfuse::test
