// adm and float_adm on small synthetic inputs: known answers, options and their name suffixes,
// size limits, odd sizes, bit depths, chroma formats, and SIMD-target independence.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/dispatch.hpp"
#include "test_util.hpp"
#include "vqfuse/extract.hpp"

namespace vqfuse::test {
namespace {

struct AdmRun {
  Result<RunSummary> result = Error(Errc::kInternal, "not run");
  FeatureMatrix m;
};

// Extracts `features` from generated ref/dis clips (3 frames).
AdmRun run(const VideoInfo& info, const SampleFn& ref, const SampleFn& dis,
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
  AdmRun r;
  FrameSink* sinks[] = {&r.m};
  r.result = extract(cfg, sinks);
  return r;
}

SampleFn constant(int v) {
  return [v](int, int, int, int) { return static_cast<uint16_t>(v); };
}

TEST(Adm, FlatFramesScoreOne) {
  // No detail at all: every band is zero, numerator and denominator are the noise floors.
  const AdmRun r = run(make_info(64, 48), constant(100), constant(90), {"adm=debug=true", "float_adm=debug=true"});
  ASSERT_TRUE(r.result.ok()) << r.result.error().message;
  for (size_t f = 0; f < r.m.rows.size(); ++f) {
    EXPECT_EQ(r.m.at(f, "integer_adm2"), 1.0);
    EXPECT_EQ(r.m.at(f, "integer_aim"), 0.0);
    EXPECT_EQ(r.m.at(f, "integer_adm3"), 1.0);
    // Float high-pass taps do not sum to exactly 0: tiny detail bands remain.
    EXPECT_NEAR(r.m.at(f, "adm2"), 1.0, 1e-6);
    EXPECT_NEAR(r.m.at(f, "aim"), 0.0, 1e-6);
    for (int s = 0; s < 4; ++s) {
      EXPECT_EQ(r.m.at(f, "integer_adm_scale" + std::to_string(s)), 1.0);
      EXPECT_NEAR(r.m.at(f, "adm_scale" + std::to_string(s)), 1.0, 1e-6);
    }
  }
}

TEST(Adm, IdenticalFramesKeepAllDetail) {
  const VideoInfo info = make_info(96, 80);
  const AdmRun r = run(info, noise_fn(1, 8), noise_fn(1, 8), {"adm", "float_adm"});
  ASSERT_TRUE(r.result.ok()) << r.result.error().message;
  for (size_t f = 0; f < r.m.rows.size(); ++f) {
    // The additive part is exactly zero; the restored part equals the reference.
    EXPECT_EQ(r.m.at(f, "integer_aim"), 0.0);
    EXPECT_EQ(r.m.at(f, "aim"), 0.0);
    EXPECT_NEAR(r.m.at(f, "integer_adm2"), 1.0, 2e-3);
    EXPECT_NEAR(r.m.at(f, "adm2"), 1.0, 2e-3);
    EXPECT_NEAR(r.m.at(f, "integer_adm3"), 0.5 * r.m.at(f, "integer_adm2") + 0.5, 1e-12);
  }
}

TEST(Adm, DistortionLowersTheScore) {
  const VideoInfo info = make_info(128, 96);
  const AdmRun r = run(info, noise_fn(3, 8, 40), noise_fn(3, 8, 5), {"adm", "float_adm"});
  ASSERT_TRUE(r.result.ok()) << r.result.error().message;
  for (size_t f = 0; f < r.m.rows.size(); ++f) {
    EXPECT_LT(r.m.at(f, "integer_adm2"), 0.99);
    EXPECT_GT(r.m.at(f, "integer_adm2"), 0.0);
    // The float and integer implementations of the same model agree closely.
    EXPECT_NEAR(r.m.at(f, "integer_adm2"), r.m.at(f, "adm2"), 2e-3);
  }
}

TEST(Adm, DefaultAndDebugNames) {
  const VideoInfo info = make_info(64, 64);
  AdmRun r = run(info, noise_fn(1, 8), noise_fn(2, 8), {"adm", "float_adm"});
  ASSERT_TRUE(r.result.ok()) << r.result.error().message;
  for (const char* n : {"integer_adm2", "integer_aim", "integer_adm3", "integer_adm_scale0", "integer_adm_scale3",
                        "adm2", "aim", "adm3", "adm_scale0", "adm_scale3"})
    EXPECT_GE(r.m.column(n), 0) << n;
  for (const char* n : {"integer_adm", "integer_adm_num", "integer_adm_den_scale1", "adm", "adm_num_scale2"})
    EXPECT_LT(r.m.column(n), 0) << n;
  r = run(info, noise_fn(1, 8), noise_fn(2, 8), {"adm=debug=true", "float_adm=debug=true"});
  ASSERT_TRUE(r.result.ok());
  for (const char* n : {"integer_adm", "integer_adm_num", "integer_adm_den", "integer_adm_num_scale0",
                        "integer_adm_den_scale3", "adm", "adm_num", "adm_den", "adm_den_scale2"})
    EXPECT_GE(r.m.column(n), 0) << n;
  // num_scaleN / den_scaleN is adm_scaleN; sum num / sum den is adm2.
  for (size_t f = 0; f < r.m.rows.size(); ++f) {
    double num = 0, den = 0;
    for (int s = 0; s < 4; ++s) {
      const std::string k = std::to_string(s);
      const double n = r.m.at(f, "integer_adm_num_scale" + k), d = r.m.at(f, "integer_adm_den_scale" + k);
      EXPECT_EQ(r.m.at(f, "integer_adm_scale" + k), n / d);
      num += n;
      den += d;
    }
    EXPECT_EQ(r.m.at(f, "integer_adm_num"), num);
    EXPECT_EQ(r.m.at(f, "integer_adm2"), num / den);
  }
}

TEST(Adm, OptionsChangeNamesAndValues) {
  const VideoInfo info = make_info(96, 64);
  const AdmRun base = run(info, noise_fn(5, 8, 30), noise_fn(6, 8, 10), {"adm", "float_adm"});
  const AdmRun egl = run(info, noise_fn(5, 8, 30), noise_fn(6, 8, 10),
                      {"adm=adm_enhn_gain_limit=1", "float_adm=adm_enhn_gain_limit=1.2:adm_p_norm=2"});
  ASSERT_TRUE(base.result.ok() && egl.result.ok());
  ASSERT_GE(egl.m.column("integer_adm2_egl_1"), 0);
  ASSERT_GE(egl.m.column("adm2_egl_1.2_apn_2"), 0);
  EXPECT_LT(egl.m.column("integer_adm2"), 0);
  // A gain limit of 1 can only lower the restored energy.
  EXPECT_LE(egl.m.at(0, "integer_adm2_egl_1"), base.m.at(0, "integer_adm2"));
  const AdmRun more = run(info, noise_fn(5, 8, 30), noise_fn(6, 8, 10),
                       {"adm=adm_norm_view_dist=4:adm_ref_display_height=2160:adm_csf_mode=1:adm_skip_scale0=true",
                        "float_adm=adm_csf_mode=2:adm_bypass_cm=1:adm_skip_aim_scale=0:adm_adm3_apply_hm=true"});
  ASSERT_TRUE(more.result.ok()) << more.result.error().message;
  EXPECT_GE(more.m.column("integer_adm2_csf_1_nvd_4_rdh_2160_ssz"), 0);
  EXPECT_GE(more.m.column("adm2_aah_bcm_1_csf_2_sasc_0"), 0);
  EXPECT_EQ(more.m.at(0, "integer_adm_scale0_csf_1_nvd_4_rdh_2160_ssz"), 0.0);
  const double a = more.m.at(0, "adm2_aah_bcm_1_csf_2_sasc_0");
  const double i = more.m.at(0, "aim_aah_bcm_1_csf_2_sasc_0");
  EXPECT_NEAR(more.m.at(0, "adm3_aah_bcm_1_csf_2_sasc_0"), 2 * a * i / (a + i), 1e-12);
}

TEST(Adm, RejectsBadOptions) {
  const VideoInfo info = make_info(64, 64);
  EXPECT_FALSE(run(info, constant(1), constant(1), {"adm=adm_norm_view_dist=1"}).result.ok());
  EXPECT_FALSE(run(info, constant(1), constant(1), {"adm=adm_csf_mode=2:adm_ref_display_height=1000"}).result.ok());
  EXPECT_FALSE(run(info, constant(1), constant(1), {"adm=adm_enhn_gain_limit=0.5"}).result.ok());
  EXPECT_TRUE(run(info, constant(1), constant(1), {"adm=adm_csf_mode=3"}).result.ok());
}

TEST(Adm, SizeLimitsAndOddSizes) {
  struct Case {
    int w, h;
    bool adm_ok, float_ok;
  };
  const Case cases[] = {{1, 1, false, false},   {3, 2, false, false},   {17, 13, false, false},
                        {17, 17, false, true},  {32, 40, false, true},  {33, 33, true, true},
                        {35, 61, true, true},   {333, 197, true, true}, {200, 17, false, true}};
  for (const Case& c : cases) {
    const VideoInfo info = make_info(c.w, c.h);
    for (const char* feature : {"adm", "float_adm"}) {
      const bool ok = feature[0] == 'a' ? c.adm_ok : c.float_ok;
      const AdmRun r = run(info, noise_fn(7, 8), noise_fn(8, 8), {feature});
      ASSERT_EQ(r.result.ok(), ok) << feature << " " << c.w << "x" << c.h;
      if (!ok) {
        EXPECT_EQ(r.result.error().code, Errc::kUnsupported);
        EXPECT_NE(r.result.error().message.find(">="), std::string::npos) << r.result.error().message;
        continue;
      }
      for (size_t f = 0; f < r.m.rows.size(); ++f)
        for (double v : r.m.rows[f]) EXPECT_TRUE(std::isfinite(v)) << feature << " " << c.w << "x" << c.h;
    }
  }
}

TEST(Adm, BitDepthsAndChroma) {
  for (int bpc : {8, 10, 12, 16})
    for (Chroma c : {Chroma::k420, Chroma::k422, Chroma::k444}) {
      const VideoInfo info = make_info(80, 72, bpc, c);
      const AdmRun r = run(info, noise_fn(9, bpc, 30), noise_fn(10, bpc, 30), {"adm", "float_adm"});
      if (bpc == 16) {
        // libvmaf's integer DWT overflows at 16 bits.
        ASSERT_FALSE(r.result.ok());
        EXPECT_EQ(r.result.error().code, Errc::kUnsupported);
        const AdmRun f = run(info, noise_fn(9, bpc, 30), noise_fn(10, bpc, 30), {"float_adm"});
        ASSERT_TRUE(f.result.ok());
        continue;
      }
      ASSERT_TRUE(r.result.ok()) << r.result.error().message;
      EXPECT_NEAR(r.m.at(0, "integer_adm2"), r.m.at(0, "adm2"), 5e-3) << bpc;
    }
  // Luma only: the same luma with different chroma formats gives the same values.
  const AdmRun a = run(make_info(80, 72, 10, Chroma::k420), noise_fn(11, 10), noise_fn(12, 10), {"adm"});
  const AdmRun b = run(make_info(80, 72, 10, Chroma::k444), noise_fn(11, 10), noise_fn(12, 10), {"adm"});
  ASSERT_TRUE(a.result.ok() && b.result.ok());
  EXPECT_EQ(a.m.rows, b.m.rows);
}

TEST(Adm, SameOnEverySimdTargetAndThreadCount) {
  const VideoInfo info = make_info(333, 197);
  const std::vector<std::string> f = {"adm=debug=true", "float_adm=debug=true"};
  ASSERT_TRUE(set_simd_target("scalar").ok());
  const AdmRun scalar = run(info, noise_fn(13, 8, 30), noise_fn(14, 8, 25), f, 1);
  ASSERT_TRUE(set_simd_target("auto").ok());
  const AdmRun best = run(info, noise_fn(13, 8, 30), noise_fn(14, 8, 25), f, 3);
  ASSERT_TRUE(scalar.result.ok() && best.result.ok());
  EXPECT_EQ(scalar.m.rows, best.m.rows) << "best target " << active_simd_target();
}

}  // namespace
}  // namespace vqfuse::test
