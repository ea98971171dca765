// vif (integer) and float_vif on small synthetic inputs: known answers, debug names and their
// identities, options and name suffixes, size limits, odd sizes, bit depths, chroma formats, and
// SIMD-target / thread independence.
#include <gtest/gtest.h>

#include <iomanip>

#include <cmath>
#include <string>
#include <vector>

#include "core/dispatch.hpp"
#include "test_util.hpp"
#include "vqfuse/extract.hpp"

namespace vqfuse::test {
namespace {

struct VifRun {
  Result<RunSummary> result = Error(Errc::kInternal, "not run");
  FeatureMatrix m;
};

// Extracts `features` from generated ref/dis clips (3 frames).
VifRun run(const VideoInfo& info, const SampleFn& ref, const SampleFn& dis,
        const std::vector<std::string>& features, int threads = 1) {
  TempDir dir;
  write_y4m(dir.file("r.y4m"), info, 3, ref);
  write_y4m(dir.file("d.y4m"), info, 3, dis);
  ExtractConfig cfg;
  cfg.reference = dir.file("r.y4m");
  cfg.distorted = dir.file("d.y4m");
  cfg.features = features;
  cfg.no_prediction = true;
  cfg.threads = threads;
  VifRun r;
  FrameSink* sinks[] = {&r.m};
  r.result = extract(cfg, sinks);
  return r;
}

SampleFn constant(int v) {
  return [v](int, int, int, int) { return static_cast<uint16_t>(v); };
}

// A smoothed copy of noise_fn (3x3 box): a blurred distortion of the same picture.
SampleFn blurred(uint64_t seed, int bpc) {
  const SampleFn src = noise_fn(seed, bpc);
  return [src](int f, int p, int x, int y) {
    int s = 0;
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx) s += src(f, p, std::max(x + dx, 0), std::max(y + dy, 0));
    return static_cast<uint16_t>(s / 9);
  };
}

const std::vector<std::string> kDebug = {"vif=debug=true", "float_vif=debug=true"};

TEST(Vif, IdenticalFramesScoreOne) {
  const VifRun r = run(make_info(96, 80), noise_fn(1, 8), noise_fn(1, 8), kDebug);
  ASSERT_TRUE(r.result.ok()) << r.result.error().message;
  for (size_t f = 0; f < r.m.rows.size(); ++f)
    for (int s = 0; s < 4; ++s) {
      const std::string k = std::to_string(s);
      // Without distortion the numerator equals the denominator up to the neural-noise floor.
      EXPECT_NEAR(r.m.at(f, "integer_vif_scale" + k), 1.0, 1e-3) << s;
      EXPECT_NEAR(r.m.at(f, "vif_scale" + k), 1.0, 1e-3) << s;
    }
}

TEST(Vif, FlatFrames) {
  // No variance anywhere: every pixel takes the non-log branch with sigma2_sq = 0, num = den.
  const VifRun r = run(make_info(64, 48), constant(100), constant(90), kDebug);
  ASSERT_TRUE(r.result.ok()) << r.result.error().message;
  for (size_t f = 0; f < r.m.rows.size(); ++f)
    for (int s = 0; s < 4; ++s) {
      const std::string k = std::to_string(s);
      EXPECT_EQ(r.m.at(f, "integer_vif_scale" + k), 1.0);
      // Float: the local variances of a flat image come out of E[x^2] - E[x]^2 in float, so
      // they are a rounding residue rather than exactly 0 (as in libvmaf's float path).
      EXPECT_NEAR(r.m.at(f, "vif_scale" + k), 1.0, 1e-6) << std::setprecision(17) << r.m.at(f, "vif_scale" + k);
      const double pixels = (64 >> s) * (48 >> s);
      EXPECT_EQ(r.m.at(f, "integer_vif_den_scale" + k), pixels);
      EXPECT_EQ(r.m.at(f, "vif_den_scale" + k), pixels);
    }
}

TEST(Vif, DistortionLowersTheScore) {
  const VifRun r = run(make_info(128, 96), noise_fn(3, 8), blurred(3, 8), {"vif", "float_vif"});
  ASSERT_TRUE(r.result.ok()) << r.result.error().message;
  for (size_t f = 0; f < r.m.rows.size(); ++f)
    for (int s = 0; s < 4; ++s) {
      const std::string k = std::to_string(s);
      const double iv = r.m.at(f, "integer_vif_scale" + k), fv = r.m.at(f, "vif_scale" + k);
      EXPECT_GT(iv, 0.0);
      EXPECT_LT(iv, 0.99);
      // The fixed-point and float implementations of the same model agree closely.
      EXPECT_NEAR(iv, fv, 5e-3) << s;
    }
}

TEST(Vif, DefaultAndDebugNames) {
  const VideoInfo info = make_info(64, 64);
  VifRun r = run(info, noise_fn(1, 8), noise_fn(2, 8), {"vif", "float_vif"});
  ASSERT_TRUE(r.result.ok()) << r.result.error().message;
  for (const char* n : {"integer_vif_scale0", "integer_vif_scale3", "vif_scale0", "vif_scale3"})
    EXPECT_GE(r.m.column(n), 0) << n;
  for (const char* n : {"integer_vif", "integer_vif_num", "integer_vif_den_scale1", "vif", "vif_num_scale2"})
    EXPECT_LT(r.m.column(n), 0) << n;
  r = run(info, noise_fn(1, 8), noise_fn(2, 8), kDebug);
  ASSERT_TRUE(r.result.ok());
  for (size_t f = 0; f < r.m.rows.size(); ++f) {
    double inum = 0, iden = 0, fnum = 0, fden = 0;
    for (int s = 0; s < 4; ++s) {
      const std::string k = std::to_string(s);
      const double in = r.m.at(f, "integer_vif_num_scale" + k), id = r.m.at(f, "integer_vif_den_scale" + k);
      const double fn = r.m.at(f, "vif_num_scale" + k), fd = r.m.at(f, "vif_den_scale" + k);
      // libvmaf: the integer score is the float quotient, the float one the double quotient.
      EXPECT_EQ(r.m.at(f, "integer_vif_scale" + k), static_cast<float>(static_cast<float>(in) / static_cast<float>(id)));
      EXPECT_EQ(r.m.at(f, "vif_scale" + k), fn / fd);
      inum += in;
      iden += id;
      fnum += fn;
      fden += fd;
    }
    EXPECT_EQ(r.m.at(f, "integer_vif_num"), inum);
    EXPECT_EQ(r.m.at(f, "integer_vif_den"), iden);
    EXPECT_EQ(r.m.at(f, "integer_vif"), inum / iden);
    EXPECT_EQ(r.m.at(f, "vif"), fnum / fden);
  }
}

TEST(Vif, OptionsChangeNamesAndValues) {
  const VideoInfo info = make_info(96, 64);
  const VifRun base = run(info, noise_fn(5, 8, 30), blurred(5, 8), {"vif", "float_vif"});
  const VifRun opt = run(info, noise_fn(5, 8, 30), blurred(5, 8),
                      {"vif=vif_enhn_gain_limit=1:vif_skip_scale0=true:debug=true",
                       "float_vif=vif_enhn_gain_limit=1.5:vif_kernelscale=0.5:vif_sigma_nsq=1.5"});
  ASSERT_TRUE(base.result.ok() && opt.result.ok()) << opt.result.error().message;
  ASSERT_GE(opt.m.column("integer_vif_scale1_egl_1_ssclz"), 0);
  ASSERT_GE(opt.m.column("vif_scale1_egl_1.5_ks_0.5_snsq_1.5"), 0);
  EXPECT_LT(opt.m.column("integer_vif_scale1"), 0);
  for (size_t f = 0; f < opt.m.rows.size(); ++f) {
    // A gain limit of 1 can only lower the score; skipped scale 0 reports 0 (num 0, den -1).
    EXPECT_LE(opt.m.at(f, "integer_vif_scale1_egl_1_ssclz"), base.m.at(f, "integer_vif_scale1"));
    EXPECT_EQ(opt.m.at(f, "integer_vif_scale0_egl_1_ssclz"), 0.0);
    EXPECT_EQ(opt.m.at(f, "integer_vif_num_scale0_egl_1_ssclz"), 0.0);
    EXPECT_EQ(opt.m.at(f, "integer_vif_den_scale0_egl_1_ssclz"), -1.0);
    const double num = opt.m.at(f, "integer_vif_num_scale1_egl_1_ssclz") +
                       opt.m.at(f, "integer_vif_num_scale2_egl_1_ssclz") +
                       opt.m.at(f, "integer_vif_num_scale3_egl_1_ssclz");
    EXPECT_EQ(opt.m.at(f, "integer_vif_num_egl_1_ssclz"), num);
    EXPECT_NE(opt.m.at(f, "vif_scale1_egl_1.5_ks_0.5_snsq_1.5"), base.m.at(f, "vif_scale1"));
  }
  const VifRun pre = run(info, noise_fn(5, 8, 30), blurred(5, 8),
                      {"float_vif=vif_prescale=1.5:vif_prescale_method=bicubic:vif_scale3_min_val=0.999"});
  ASSERT_TRUE(pre.result.ok()) << pre.result.error().message;
  // libvmaf orders the suffix by option name: vif_prescale, vif_prescale_method, ...
  ASSERT_GE(pre.m.column("vif_scale3_ps_1.5_pm_bicubic_s3miv_0.999"), 0);
  EXPECT_GE(pre.m.at(0, "vif_scale3_ps_1.5_pm_bicubic_s3miv_0.999"), 0.999);
  for (const char* m : {"nearest", "bilinear", "lanczos4"}) {
    const VifRun p2 = run(info, noise_fn(5, 8, 30), blurred(5, 8),
                       {std::string("float_vif=vif_prescale=0.75:vif_prescale_method=") + m});
    ASSERT_TRUE(p2.result.ok()) << m << ": " << p2.result.error().message;
    for (double v : p2.m.rows[0]) EXPECT_TRUE(std::isfinite(v)) << m;
  }
}

TEST(Vif, RejectsBadOptions) {
  const VideoInfo info = make_info(64, 64);
  EXPECT_FALSE(run(info, constant(1), constant(1), {"vif=vif_enhn_gain_limit=0.5"}).result.ok());
  EXPECT_FALSE(run(info, constant(1), constant(1), {"float_vif=vif_kernelscale=0.7"}).result.ok());
  EXPECT_FALSE(run(info, constant(1), constant(1), {"float_vif=vif_prescale_method=cubic"}).result.ok());
  EXPECT_TRUE(run(info, constant(1), constant(1), {"float_vif=vif_kernelscale=0.5"}).result.ok());
}

TEST(Vif, SizeLimitsAndOddSizes) {
  struct Case {
    int w, h;
    bool ok;
  };
  const Case cases[] = {{1, 1, false},  {3, 2, false},   {15, 16, false},  {17, 13, false},
                        {16, 16, true}, {17, 31, true},  {333, 197, true}, {200, 16, true}};
  for (const Case& c : cases) {
    const VideoInfo info = make_info(c.w, c.h);
    for (const char* feature : {"vif=debug=true", "float_vif=debug=true"}) {
      const VifRun r = run(info, noise_fn(7, 8), blurred(7, 8), {feature});
      ASSERT_EQ(r.result.ok(), c.ok) << feature << " " << c.w << "x" << c.h;
      if (!c.ok) {
        EXPECT_EQ(r.result.error().code, Errc::kUnsupported);
        EXPECT_NE(r.result.error().message.find(">= 16"), std::string::npos) << r.result.error().message;
        continue;
      }
      for (size_t f = 0; f < r.m.rows.size(); ++f)
        for (double v : r.m.rows[f]) EXPECT_TRUE(std::isfinite(v)) << feature << " " << c.w << "x" << c.h;
    }
  }
  // A larger kernel needs a larger picture.
  const VifRun big = run(make_info(24, 24), noise_fn(7, 8), blurred(7, 8), {"float_vif=vif_kernelscale=2"});
  ASSERT_FALSE(big.result.ok());
  EXPECT_EQ(big.result.error().code, Errc::kUnsupported);
}

TEST(Vif, BitDepthsAndChroma) {
  for (int bpc : {8, 10, 12, 16})
    for (Chroma c : {Chroma::k420, Chroma::k422, Chroma::k444}) {
      const VideoInfo info = make_info(80, 72, bpc, c);
      const VifRun r = run(info, noise_fn(9, bpc, 30), blurred(9, bpc), {"vif", "float_vif"});
      ASSERT_TRUE(r.result.ok()) << r.result.error().message;
      for (int s = 0; s < 4; ++s) {
        const std::string k = std::to_string(s);
        EXPECT_NEAR(r.m.at(0, "integer_vif_scale" + k), r.m.at(0, "vif_scale" + k), 5e-3) << bpc;
      }
    }
  // Luma only: the same luma with different chroma formats gives the same values.
  const VifRun a = run(make_info(80, 72, 10, Chroma::k420), noise_fn(11, 10), blurred(12, 10), {"vif", "float_vif"});
  const VifRun b = run(make_info(80, 72, 10, Chroma::k444), noise_fn(11, 10), blurred(12, 10), {"vif", "float_vif"});
  ASSERT_TRUE(a.result.ok() && b.result.ok());
  EXPECT_EQ(a.m.rows, b.m.rows);
}

TEST(Vif, SameOnEverySimdTargetAndThreadCount) {
  for (int bpc : {8, 10}) {
    const VideoInfo info = make_info(333, 197, bpc);
    ASSERT_TRUE(set_simd_target("scalar").ok());
    const VifRun scalar = run(info, noise_fn(13, bpc, 30), blurred(14, bpc), kDebug, 1);
    ASSERT_TRUE(set_simd_target("auto").ok());
    const VifRun best = run(info, noise_fn(13, bpc, 30), blurred(14, bpc), kDebug, 3);
    ASSERT_TRUE(scalar.result.ok() && best.result.ok());
    EXPECT_EQ(scalar.m.rows, best.m.rows) << "best target " << active_simd_target();
  }
}

}  // namespace
}  // namespace vqfuse::test
