// motion (integer), float_motion and motion_v2 on small synthetic inputs: flat frames whose
// steps give closed-form scores, the temporal rules (motion2 = min of neighbours, last frame,
// motion3 of frame 0, five-frame window, moving average, blend, fps weight, clip), option names
// and suffixes, size limits and odd sizes.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "features/kernels/motion_temporal.hpp"
#include "test_util.hpp"
#include "vqfuse/extract.hpp"

namespace vqfuse::test {
namespace {

struct SynthRun {
  Result<RunSummary> status;
  FeatureMatrix m;
};

SynthRun run_synthetic(const VideoInfo& info, int frames, const SampleFn& ref,
                       const std::vector<std::string>& features, int threads = 2) {
  TempDir dir;
  write_y4m(dir.file("ref.y4m"), info, frames, ref);
  write_y4m(dir.file("dis.y4m"), info, frames, noise_fn(5, info.bit_depth));
  ExtractConfig cfg;
  cfg.reference = dir.file("ref.y4m");
  cfg.distorted = dir.file("dis.y4m");
  cfg.features = features;
  cfg.no_prediction = true;
  cfg.threads = threads;
  SynthRun r{Error(Errc::kInternal, "not run"), {}};
  FrameSink* sinks[] = {&r.m};
  r.status = extract(cfg, sinks);
  return r;
}

// Flat luma frames with the given levels (chroma flat 128).
SampleFn steps(std::vector<int> levels) {
  return
      [levels](int f, int p, int, int) { return static_cast<uint16_t>(p == 0 ? levels[f] : 128); };
}

std::vector<double> column(const FeatureMatrix& m, const std::string& name) {
  std::vector<double> v;
  const int c = m.column(name);
  EXPECT_GE(c, 0) << "missing column " << name;
  if (c < 0) return v;
  for (const auto& row : m.rows) v.push_back(row[static_cast<size_t>(c)]);
  return v;
}

// Levels 100, 110, 112, 117, 117: |steps| 10, 2, 5, 0 (and 12, 7, 5 two frames apart).
const std::vector<int> kLevels = {100, 110, 112, 117, 117};

TEST(IntegerMotion, FlatStepsGiveExactScores) {
  const SynthRun r =
      run_synthetic(make_info(48, 32), 5, steps(kLevels), {"motion=debug=true", "motion_v2"});
  ASSERT_TRUE(r.status.ok()) << r.status.error().to_string();
  // A constant difference d blurs to exactly 256 d in both passes: the score is |d|.
  EXPECT_EQ(column(r.m, "VMAF_integer_feature_motion_sad_score"),
            (std::vector<double>{0, 10, 2, 5, 0}));
  EXPECT_EQ(column(r.m, "integer_motion"), (std::vector<double>{0, 10, 2, 5, 0}));
  EXPECT_EQ(column(r.m, "integer_motion2"), (std::vector<double>{0, 2, 2, 0, 0}));
  EXPECT_EQ(column(r.m, "integer_motion3"), (std::vector<double>{10, 2, 2, 0, 0}));
  EXPECT_EQ(column(r.m, "VMAF_integer_feature_motion_v2_sad_score"),
            (std::vector<double>{0, 10, 2, 5, 0}));
  EXPECT_EQ(column(r.m, "VMAF_integer_feature_motion2_v2_score"),
            (std::vector<double>{0, 2, 2, 0, 0}));
  EXPECT_EQ(column(r.m, "VMAF_integer_feature_motion3_v2_score"),
            (std::vector<double>{10, 2, 2, 0, 0}));
}

TEST(IntegerMotion, DefaultNamesAndDebug) {
  const SynthRun r = run_synthetic(make_info(16, 16), 2, steps(kLevels), {"motion"});
  ASSERT_TRUE(r.status.ok()) << r.status.error().to_string();
  EXPECT_GE(r.m.column("integer_motion2"), 0);
  EXPECT_GE(r.m.column("integer_motion3"), 0);
  // libvmaf writes the sad score whatever debug is; integer_motion needs debug=true.
  EXPECT_GE(r.m.column("VMAF_integer_feature_motion_sad_score"), 0);
  EXPECT_EQ(r.m.column("integer_motion"), -1);
}

TEST(IntegerMotion, OptionsFollowLibvmaf) {
  const SynthRun r = run_synthetic(
      make_info(24, 20), 5, steps(kLevels),
      {"motion=motion_five_frame_window=true", "motion=motion_moving_average=true",
       "motion=motion_blend_factor=0.5:motion_blend_offset=4",
       "motion=motion_fps_weight=2:motion_max_val=15", "motion=motion_force_zero=true"});
  ASSERT_TRUE(r.status.ok()) << r.status.error().to_string();
  // Five-frame window: s[n] = |level[n] - level[n-2]| = 0, 0, 12, 7, 5; motion2 of frame 2 is
  // s[3] (no earlier neighbour at or above min_idx 2), of frame 3 min(s[2], s[4]).
  EXPECT_EQ(column(r.m, "VMAF_integer_feature_motion_sad_score_mffw"),
            (std::vector<double>{0, 0, 12, 7, 5}));
  EXPECT_EQ(column(r.m, "integer_motion2_mffw"), (std::vector<double>{0, 0, 7, 5, 5}));
  EXPECT_EQ(column(r.m, "integer_motion3_mffw"), (std::vector<double>{12, 12, 7, 5, 5}));
  // Moving average of motion3 with the previous frame's (frame 0: the stamp 10).
  EXPECT_EQ(column(r.m, "integer_motion3_mma"), (std::vector<double>{10, 6, 2, 1, 0}));
  // Blend 0.5 * x + 0.5 * min(4, x).
  EXPECT_EQ(column(r.m, "integer_motion3_mbf_0.5_mbo_4"), (std::vector<double>{7, 2, 2, 0, 0}));
  // fps weight doubles the scores; the clip at 15 applies to the score and to motion3.
  EXPECT_EQ(column(r.m, "VMAF_integer_feature_motion_sad_score_mfw_2_mmxv_15"),
            (std::vector<double>{0, 15, 4, 10, 0}));
  EXPECT_EQ(column(r.m, "integer_motion2_mfw_2_mmxv_15"), (std::vector<double>{0, 4, 4, 0, 0}));
  EXPECT_EQ(column(r.m, "integer_motion3_mfw_2_mmxv_15"), (std::vector<double>{15, 4, 4, 0, 0}));
  EXPECT_EQ(column(r.m, "integer_motion2_force_0"), (std::vector<double>(5, 0.0)));
  EXPECT_EQ(column(r.m, "integer_motion3_force_0"), (std::vector<double>(5, 0.0)));
}

TEST(IntegerMotion, TenBitStepIsAQuarter) {
  const SynthRun r = run_synthetic(make_info(20, 18, 10), 3, steps({400, 410, 409}), {"motion"});
  ASSERT_TRUE(r.status.ok()) << r.status.error().to_string();
  EXPECT_EQ(column(r.m, "VMAF_integer_feature_motion_sad_score"),
            (std::vector<double>{0, 2.5, 0.25}));
}

TEST(IntegerMotion, ShortVideos) {
  const SynthRun one = run_synthetic(
      make_info(16, 16), 1, steps(kLevels),
      {"motion", "float_motion", "motion_v2", "motion=motion_five_frame_window=true"});
  ASSERT_TRUE(one.status.ok()) << one.status.error().to_string();
  for (const char* n : {"integer_motion2", "integer_motion3", "motion", "motion2", "motion3",
                        "VMAF_integer_feature_motion2_v2_score",
                        "VMAF_integer_feature_motion3_v2_score", "integer_motion3_mffw"})
    EXPECT_EQ(column(one.m, n), (std::vector<double>{0})) << n;
  const SynthRun two = run_synthetic(make_info(16, 16), 2, steps(kLevels),
                                     {"motion", "motion=motion_five_frame_window=true"});
  ASSERT_TRUE(two.status.ok()) << two.status.error().to_string();
  EXPECT_EQ(column(two.m, "integer_motion2"), (std::vector<double>{0, 10}));
  EXPECT_EQ(column(two.m, "integer_motion3"), (std::vector<double>{10, 10}));
  // No frame 2: no stamp.
  EXPECT_EQ(column(two.m, "integer_motion3_mffw"), (std::vector<double>{0, 0}));
}

TEST(FloatMotion, FlatStepsAndTemporalRules) {
  const SynthRun r = run_synthetic(make_info(48, 32), 5, steps(kLevels), {"float_motion"});
  ASSERT_TRUE(r.status.ok()) << r.status.error().to_string();
  // The float taps sum to 1 within a few ulps: scores are the steps up to ~1e-5.
  const std::vector<double> motion = column(r.m, "motion");  // debug defaults to true
  const std::vector<double> want = {0, 10, 2, 5, 0};
  ASSERT_EQ(motion.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(motion[i], want[i], 1e-4) << i;
  const std::vector<double> motion2 = column(r.m, "motion2");
  const std::vector<double> motion3 = column(r.m, "motion3");
  EXPECT_EQ(motion2[0], 0);
  EXPECT_EQ(motion3[0], motion[1]);  // frame 0 takes frame 1's score
  EXPECT_EQ(motion2[1], std::min(motion[1], motion[2]));
  EXPECT_EQ(motion2[3], std::min(motion[3], motion[4]));
  EXPECT_EQ(motion2[4], motion[4]);  // the last frame keeps its own
  for (size_t i = 1; i < 5; ++i) EXPECT_EQ(motion3[i], motion2[i]) << i;
}

TEST(FloatMotion, OptionsAndNames) {
  const SynthRun r =
      run_synthetic(make_info(40, 30), 4, steps(kLevels),
                    {"float_motion=debug=false", "float_motion=motion_force_zero=true",
                     "float_motion=motion_fps_weight=2", "float_motion=motion_filter_size=3",
                     "float_motion=motion_filter_size=1", "float_motion=motion_add_scale1=true",
                     "float_motion=motion_add_uv=true"});
  ASSERT_TRUE(r.status.ok()) << r.status.error().to_string();
  EXPECT_EQ(r.m.column("motion"), -1);  // debug=false
  EXPECT_EQ(column(r.m, "motion2_force_0"), (std::vector<double>(4, 0.0)));
  EXPECT_EQ(column(r.m, "motion3_force_0"), (std::vector<double>(4, 0.0)));
  EXPECT_NEAR(column(r.m, "motion_mfw_2")[1], 20, 2e-4);
  // The identity filter gives the exact step; 3 taps and scale 1 stay close to it (the half-size
  // blur of a flat frame is flat: scale 1 adds a second ~10).
  EXPECT_EQ(column(r.m, "motion_mfs_1")[1], 10);
  EXPECT_NEAR(column(r.m, "motion_mfs_3")[1], 10, 1e-4);
  EXPECT_NEAR(column(r.m, "motion_mdc")[1], 20, 2e-4);
  // Flat chroma: U and V add nothing.
  EXPECT_NEAR(column(r.m, "motion_mau")[1], 10, 1e-4);
}

TEST(FloatMotion, OptionErrors) {
  EXPECT_FALSE(
      run_synthetic(make_info(16, 16), 1, steps(kLevels), {"float_motion=motion_filter_size=12"})
          .status.ok());
  const SynthRun mono = run_synthetic(make_info(16, 16, 8, Chroma::k400), 1, steps(kLevels),
                                      {"float_motion=motion_add_uv=true"});
  ASSERT_FALSE(mono.status.ok());
  EXPECT_EQ(mono.status.error().code, Errc::kUnsupported);
}

TEST(MotionV2, SizeLimitsAndFiveFrameWindow) {
  const SynthRun small = run_synthetic(make_info(2, 8), 2, steps(kLevels), {"motion_v2"});
  ASSERT_FALSE(small.status.ok());
  EXPECT_EQ(small.status.error().code, Errc::kUnsupported);
  EXPECT_NE(small.status.error().to_string().find("2x8"), std::string::npos)
      << small.status.error().to_string();
  const SynthRun five = run_synthetic(make_info(16, 16), 2, steps(kLevels),
                                      {"motion_v2=motion_five_frame_window=true"});
  ASSERT_FALSE(five.status.ok());
  EXPECT_EQ(five.status.error().code, Errc::kUnsupported);
  const SynthRun ok =
      run_synthetic(make_info(3, 3), 3, steps(kLevels), {"motion_v2=motion_moving_average=true"});
  ASSERT_TRUE(ok.status.ok()) << ok.status.error().to_string();
  EXPECT_EQ(column(ok.m, "VMAF_integer_feature_motion3_v2_score_mma"),
            (std::vector<double>{10, 6, 2}));
}

TEST(Motion, OddAndTinySizes) {
  for (const auto& [w, h] :
       std::vector<std::pair<int, int>>{{1, 1}, {3, 2}, {2, 5}, {17, 13}, {333, 197}}) {
    const SynthRun r = run_synthetic(
        make_info(w, h), 3, steps({50, 60, 40}),
        {"motion=debug=true", "float_motion=motion_add_uv=true:motion_add_scale1=true"});
    ASSERT_TRUE(r.status.ok()) << w << "x" << h << ": " << r.status.error().to_string();
    EXPECT_EQ(column(r.m, "integer_motion"), (std::vector<double>{0, 10, 20})) << w << "x" << h;
    const std::vector<double> f = column(r.m, "motion_mdc_mau");
    ASSERT_EQ(f.size(), 3u);
    EXPECT_NEAR(f[1], 20, 1e-3) << w << "x" << h;  // scale 0 + scale 1 of a flat step of 10
    EXPECT_NEAR(f[2], 40, 1e-3) << w << "x" << h;
  }
}

TEST(Motion, ThreadCountDoesNotChangeValues) {
  const VideoInfo info = make_info(200, 120);
  const SampleFn content = [](int f, int p, int x, int y) {
    return static_cast<uint16_t>((x * 7 + y * 3 + f * 11 + p * 5 + (x * y) % 13) % 256);
  };
  const std::vector<std::string> features = {"motion=debug=true", "float_motion", "motion_v2"};
  const SynthRun a = run_synthetic(info, 6, content, features, 1);
  const SynthRun b = run_synthetic(info, 6, content, features, 3);
  ASSERT_TRUE(a.status.ok() && b.status.ok());
  EXPECT_EQ(a.m.rows, b.m.rows);
}

// libvmaf integer_motion.c flush(), transcribed: the reference for kernels::MotionTemporal.
struct Rows {
  std::vector<double> motion2, motion3;
};
Rows libvmaf_flush(const std::vector<double>& sad, const kernels::MotionTemporalParams& p) {
  const size_t n = sad.size();
  const unsigned stride = p.five_frame_window ? 2 : 1;
  const unsigned min_idx = p.five_frame_window ? 2 : 1;
  const auto clip = [&](double v) { return v < p.max_val ? v : p.max_val; };
  const auto blend = [&](double v) {
    return kernels::motion_blend(v, p.blend_factor, p.blend_offset);
  };
  Rows out;
  double stamp = 0.;
  if (n > min_idx) stamp = clip(blend(sad[min_idx]));
  double prev_processed = 0.;
  for (unsigned i = 0; i < n; ++i) {
    double motion2;
    if (p.v2) {
      motion2 = i + 1 < n ? std::min(sad[i], sad[i + 1]) : sad[i];
    } else if (i < min_idx) {
      motion2 = 0.;
    } else {
      const int lo_idx = static_cast<int>(i) - static_cast<int>(stride - 1);
      if (i + 1 >= n) {
        motion2 = sad[i];
      } else if (lo_idx >= static_cast<int>(min_idx)) {
        motion2 = sad[lo_idx] < sad[i + 1] ? sad[lo_idx] : sad[i + 1];
      } else {
        motion2 = sad[i + 1];
      }
    }
    double motion3;
    if (i < min_idx) {
      motion3 = stamp;
      prev_processed = stamp;
    } else {
      const double processed = clip(blend(motion2));
      motion3 = p.moving_average ? (processed + prev_processed) / 2.0 : processed;
      prev_processed = processed;
    }
    out.motion2.push_back(motion2);
    out.motion3.push_back(motion3);
  }
  return out;
}

TEST(MotionTemporal, MatchesLibvmafFlushInFrameOrder) {
  std::mt19937_64 rng(9);
  for (int variant = 0; variant < 16; ++variant) {
    kernels::MotionTemporalParams p;
    p.five_frame_window = variant & 1;
    p.moving_average = variant & 2;
    p.v2 = (variant & 4) && !p.five_frame_window;
    if (variant & 8) {
      p.blend_factor = 0.3;
      p.blend_offset = 2.5;
      p.max_val = 6.0;
    }
    for (int n = 1; n <= 9; ++n) {
      std::vector<double> sad(static_cast<size_t>(n));
      const int min_idx = p.five_frame_window ? 2 : 1;
      for (int i = min_idx; i < n; ++i) sad[i] = static_cast<double>(rng() % 1000) / 100.0;
      const Rows want = libvmaf_flush(sad, p);
      kernels::MotionTemporal t(p);
      Rows got{std::vector<double>(sad.size(), -1), std::vector<double>(sad.size(), -1)};
      int64_t emitted = 0;
      const auto sad_of = [&](int64_t i) { return sad[static_cast<size_t>(i)]; };
      const auto emit = [&](int64_t i, double m2, double m3) {
        ASSERT_EQ(i, emitted++);
        got.motion2[static_cast<size_t>(i)] = m2;
        got.motion3[static_cast<size_t>(i)] = m3;
      };
      for (int64_t f = 0; f < n; ++f) {
        t.advance(f, sad_of, emit);
        // Rows more than lookahead() frames back are finished.
        EXPECT_GE(emitted, f + 1 - t.lookahead())
            << "variant " << variant << " n=" << n << " f=" << f;
      }
      t.finish(n - 1, sad_of, emit);
      EXPECT_EQ(got.motion2, want.motion2) << "variant " << variant << " n=" << n;
      EXPECT_EQ(got.motion3, want.motion3) << "variant " << variant << " n=" << n;
    }
  }
}

}  // namespace
}  // namespace vqfuse::test
