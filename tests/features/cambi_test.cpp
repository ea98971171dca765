// cambi: the optimized pipeline against a brute-force transcription of libvmaf's algorithm
// (direct window counts, full sort), visibility thresholds, size limits, odd sizes and options.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>

#include "core/dispatch.hpp"
#include "core/image.hpp"
#include "features/kernels/cambi_pipeline.hpp"
#include "test_util.hpp"
#include "vqfuse/extract.hpp"

namespace vqfuse::test {
namespace {

namespace cb = kernels::cambi;

using Plane = std::vector<int>;  // row-major w*h

struct Outcome {
  bool ok = false;
  Error error;
  FeatureMatrix m;
};

Outcome run(const VideoInfo& v, int frames, const SampleFn& ref, const SampleFn& dis,
            const std::vector<std::string>& features, bool skip = false, int threads = 2) {
  TempDir dir;
  write_y4m(dir.file("r.y4m"), v, frames, ref);
  write_y4m(dir.file("d.y4m"), v, frames, dis);
  ExtractConfig cfg;
  cfg.reference = dir.file("r.y4m");
  cfg.distorted = dir.file("d.y4m");
  cfg.features = features;
  cfg.no_prediction = true;
  cfg.threads = threads;
  cfg.skip_unsupported = skip;
  Outcome o;
  FrameSink* sinks[] = {&o.m};
  auto r = extract(cfg, sinks);
  o.ok = r.ok();
  if (!o.ok) o.error = r.error();
  return o;
}

// --- Brute force: libvmaf's steps written as plainly as possible ----------------------------

struct Brute {
  int w, h;
  Plane v;
  int at(int x, int y) const { return v[static_cast<size_t>(y * w + x)]; }
};

int mode3(int a, int b, int c) {
  if (a == b || a == c) return a;
  if (b == c) return b;
  return std::min({a, b, c});
}

Brute mode_filter(const Brute& in) {
  Brute out = in;
  if (in.h < 3) return out;
  auto hm = [&](int x, int y) {
    if (x == 0 || x == in.w - 1) return in.at(x, y);
    return mode3(in.at(x - 1, y), in.at(x, y), in.at(x + 1, y));
  };
  for (int y = 1; y + 1 < in.h; ++y)
    for (int x = 0; x < in.w; ++x)
      out.v[static_cast<size_t>(y * in.w + x)] = mode3(hm(x, y - 1), hm(x, y), hm(x, y + 1));
  return out;
}

Brute decimate(const Brute& in) {
  Brute out{(in.w + 1) / 2, (in.h + 1) / 2, {}};
  out.v.resize(static_cast<size_t>(out.w * out.h));
  for (int y = 0; y < out.h; ++y)
    for (int x = 0; x < out.w; ++x) out.v[static_cast<size_t>(y * out.w + x)] = in.at(2 * x, 2 * y);
  return out;
}

// Per-scale top-k means, libvmaf order of operations; `img` is the 10-bit input at scale 0.
std::vector<double> brute_scales(Brute img, int window, double topk, int num_diffs,
                                 const cb::Thresholds& th, int mask_threshold) {
  const int W = img.w, H = img.h;
  Brute mask{W, H, Plane(static_cast<size_t>(W * H))};
  auto zd = [&](int x, int y) {
    const bool hz = x == W - 1 || img.at(x, y) == img.at(x + 1, y);
    const bool vt = y == H - 1 || img.at(x, y) == img.at(x, y + 1);
    return hz && vt ? 1 : 0;
  };
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) {
      int s = 0;
      for (int yy = std::max(0, y - 3); yy <= std::min(H - 1, y + 3); ++yy)
        for (int xx = std::max(0, x - 3); xx <= std::min(W - 1, x + 3); ++xx) s += zd(xx, yy);
      mask.v[static_cast<size_t>(y * W + x)] = s > mask_threshold;
    }
  const int base = std::max(0, th.vlt_luma - 3 * num_diffs + 1);
  const int top = th.tvi[static_cast<size_t>(num_diffs - 1)];  // raw samples up to it are counted
  const int pad = window / 2;
  const float* recip = cb::reciprocal_table();
  std::vector<double> out;
  for (int scale = 0; scale < cb::kNumScales; ++scale) {
    if (scale > 0) {
      img = decimate(img);
      mask = decimate(mask);
    }
    img = mode_filter(img);
    const int w = img.w, h = img.h;
    // Only in-band masked pixels are counted (libvmaf's v_band).
    auto counted = [&](int x, int y, int value) {
      return mask.at(x, y) && img.at(x, y) == value && value >= base && value <= top;
    };
    std::vector<float> c(static_cast<size_t>(w * h), 0.0f);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        if (!mask.at(x, y)) continue;
        const int s = img.at(x, y);
        if (s < base || s > top) continue;
        auto count = [&](int value) {
          int n = 0;
          for (int yy = std::max(0, y - pad); yy <= std::min(h - 1, y + pad); ++yy)
            for (int xx = std::max(0, x - pad); xx <= std::min(w - 1, x + pad); ++xx)
              n += counted(xx, yy, value);
          return n;
        };
        const int value = s + num_diffs;
        const int p0 = count(s);
        float best = 0;
        for (int d = 0; d < num_diffs; ++d) {
          if (!(value <= th.tvi[static_cast<size_t>(d)] && value + d + 1 > th.vlt_luma)) continue;
          const int p1 = count(s + d + 1);
          const int p2 = s - d - 1 >= base ? count(s - d - 1) : 0;
          const int pm = std::max(p1, p2);
          static constexpr int kW[] = {1, 2, 3, 4, 4, 5, 5, 6, 6, 6, 6, 7, 7, 7, 7, 8,
                                       8, 8, 8, 8, 8, 8, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};
          const float val = static_cast<float>(kW[d] * p0 * pm) * recip[p0 + pm];
          best = std::max(best, val);
        }
        c[static_cast<size_t>(y * w + x)] = best;
      }
    const int n = w * h;
    const int k = std::clamp(static_cast<int>(topk * n), 1, n);
    std::sort(c.begin(), c.end(), std::greater<float>());
    double sum = 0;
    for (int i = 0; i < k; ++i) sum += c[static_cast<size_t>(i)];
    out.push_back(sum / k);
  }
  return out;
}

Brute to10_antidither(const std::vector<uint16_t>& in, int w, int h, int bpc, bool antidither) {
  Brute b{w, h, Plane(static_cast<size_t>(w * h))};
  for (size_t i = 0; i < in.size(); ++i)
    b.v[i] = bpc <= 10 ? in[i] << (10 - bpc) : (in[i] + 2) >> 2;
  if (!antidither) return b;
  Brute o = b;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const bool r = x + 1 < w, d = y + 1 < h;
      int v = b.at(x, y);
      if (r && d)
        v = (b.at(x, y) + b.at(x + 1, y) + b.at(x, y + 1) + b.at(x + 1, y + 1)) >> 2;
      else if (d)
        v = (b.at(x, y) + b.at(x, y + 1)) >> 1;
      else if (r)
        v = (b.at(x, y) + b.at(x + 1, y)) >> 1;
      o.v[static_cast<size_t>(y * w + x)] = v;
    }
  return o;
}

// Banded content: a slow gradient quantized to steps, with flat patches, noise and edges.
std::vector<uint16_t> banded(int w, int h, int bpc, uint64_t seed, int level) {
  std::mt19937_64 rng(seed);
  std::vector<uint16_t> p(static_cast<size_t>(w * h));
  const int maxv = (1 << bpc) - 1;
  const int scale = 1 << (bpc - 8);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      int v = (level + (x + 2 * y) / 9) * scale;
      if (x > w / 2 && y < h / 3) v = static_cast<int>(rng() % static_cast<uint64_t>(maxv + 1));
      if (x < w / 4 && y > h / 2) v += static_cast<int>(rng() % 3);
      if ((x / 37 + y / 29) % 5 == 0) v = 90 * scale;
      p[static_cast<size_t>(y * w + x)] = static_cast<uint16_t>(std::clamp(v, 0, maxv));
    }
  return p;
}

void expect_pipeline_matches_brute(int w, int h, int bpc, int window, int mlc, double topk,
                                   double vlt, const std::string& eotf, uint64_t seed,
                                   int level = 40) {
  SCOPED_TRACE(std::to_string(w) + "x" + std::to_string(h) + " bpc " + std::to_string(bpc) +
               " window " + std::to_string(window) + " mlc " + std::to_string(mlc));
  const int nd = 1 << mlc;
  const cb::Thresholds th = cb::visibility_thresholds(nd, 0.019, vlt, eotf);
  const bool antidither = bpc < 10;
  const cb::Setup s = cb::make_setup(w, h, window, false, antidither, topk, nd, th);
  const std::vector<uint16_t> pix = banded(w, h, bpc, seed, level);
  Image<uint16_t> im(w, h);
  for (int y = 0; y < h; ++y) std::copy_n(pix.begin() + y * w, w, im.row(y));
  cb::Workspace ws;
  const cb::PictureScore got = cb::picture_score(s, {im.data(), im.stride(), w, h}, bpc, ws);
  const std::vector<double> want = brute_scales(to10_antidither(pix, w, h, bpc, antidither), window,
                                                topk, nd, th, s.mask_threshold);
  double any = 0;
  for (int scale = 0; scale < cb::kNumScales; ++scale) {
    EXPECT_NEAR(got.scale[scale], want[static_cast<size_t>(scale)],
                1e-12 * std::max(1.0, std::fabs(want[static_cast<size_t>(scale)])))
        << "scale " << scale;
    any += want[static_cast<size_t>(scale)];
  }
  EXPECT_GT(any, 0) << "test content should band";
}

TEST(CambiPipeline, MatchesBruteForce8Bit) {
  expect_pipeline_matches_brute(256, 216, 8, 5, 2, 0.6, 0.0, "bt1886", 1);
}

TEST(CambiPipeline, MatchesBruteForceWideWindowOddSize) {
  expect_pipeline_matches_brute(333, 217, 8, 13, 2, 0.6, 0.0, "bt1886", 2);
}

TEST(CambiPipeline, MatchesBruteForce10BitOptions) {
  expect_pipeline_matches_brute(300, 220, 10, 9, 3, 0.05, 0.0, "bt1886", 3);
  expect_pipeline_matches_brute(240, 230, 10, 7, 1, 1.0, 2.0, "pq", 4);
  expect_pipeline_matches_brute(250, 216, 8, 11, 0, 0.6, 0.0, "bt1886", 5, 15);
  expect_pipeline_matches_brute(260, 216, 8, 9, 2, 0.6, 1.0, "bt1886", 6);
}

TEST(CambiPipeline, MatchesBruteForceColumnStrips) {
  // Wide enough for several histogram strips.
  expect_pipeline_matches_brute(700, 216, 10, 9, 2, 0.6, 0.0, "bt1886", 7);
}

TEST(CambiPipeline, HighResSpeedupSameOnEveryTarget) {
  const int w = 1920, h = 1080;
  const cb::Thresholds th = cb::visibility_thresholds(4, 0.019, 0.0, "bt1886");
  const cb::Setup s =
      cb::make_setup(w, h, cb::adjusted_window(65, w, h, true), true, true, 0.6, 4, th);
  const std::vector<uint16_t> pix = banded(w, h, 8, 9, 40);
  Image<uint16_t> im(w, h);
  for (int y = 0; y < h; ++y) std::copy_n(pix.begin() + y * w, w, im.row(y));
  cb::Workspace ws;
  ASSERT_TRUE(set_simd_target("scalar").ok());
  const cb::PictureScore a = cb::picture_score(s, {im.data(), im.stride(), w, h}, 8, ws);
  ASSERT_TRUE(set_simd_target("auto").ok());
  const cb::PictureScore b = cb::picture_score(s, {im.data(), im.stride(), w, h}, 8, ws);
  EXPECT_EQ(a.score, b.score);
  EXPECT_GT(a.score, 0);
  for (int scale = 0; scale < cb::kNumScales; ++scale) EXPECT_EQ(a.scale[scale], b.scale[scale]);
}

TEST(CambiPipeline, VisibilityThresholdsOfDefaults) {
  // BT.1886 at tvi_threshold 0.019: largest 10-bit samples where steps of 1..4 are visible,
  // plus num_diffs (computed independently from luminance_tools.c's formulas).
  const cb::Thresholds th = cb::visibility_thresholds(4, 0.019, 0.0, "bt1886");
  EXPECT_EQ(th.tvi, (std::vector<int>{182, 309, 436, 563}));
  EXPECT_EQ(th.vlt_luma, 0);
}

TEST(CambiPipeline, ReciprocalTable) {
  const float* r = cb::reciprocal_table();
  EXPECT_EQ(r[0], 0.0f);
  EXPECT_EQ(r[1], 1.0f);
  EXPECT_EQ(r[4], 0.25f);
  // 9 significant digits: 0.012195122 parses one ulp above 1.0f/82.
  EXPECT_EQ(r[82], 0.012195122f);
  EXPECT_NE(r[82], 1.0f / 82.0f);
}

TEST(CambiPipeline, AdjustedWindow) {
  EXPECT_EQ(cb::adjusted_window(65, 1920, 1080, false), 33);
  EXPECT_EQ(cb::adjusted_window(65, 3840, 2160, false), 65);
  EXPECT_EQ(cb::adjusted_window(65, 3840, 2160, true), 33);
  EXPECT_EQ(cb::adjusted_window(65, 320, 240, false), 7);
}

// --- Through the engine -----------------------------------------------------------------------

SampleFn flat(uint16_t v) {
  return [v](int, int, int, int) { return v; };
}

SampleFn staircase(int bpc) {
  return [bpc](int f, int p, int x, int y) -> uint16_t {
    if (p) return static_cast<uint16_t>(128 << (bpc - 8));
    return static_cast<uint16_t>((30 + (x + y + f) / 24) << (bpc - 8));
  };
}

TEST(Cambi, FlatPictureHasNoBanding) {
  const auto o = run(make_info(320, 240), 2, flat(100), flat(100), {"cambi"});
  ASSERT_TRUE(o.ok) << o.error.to_string();
  EXPECT_EQ(o.m.at(0, "cambi"), 0.0);
  EXPECT_EQ(o.m.at(1, "cambi"), 0.0);
}

TEST(Cambi, StaircaseBands8And10Bit) {
  for (int bpc : {8, 10}) {
    const auto o = run(make_info(320, 240, bpc), 2, staircase(bpc), staircase(bpc), {"cambi"});
    ASSERT_TRUE(o.ok) << o.error.to_string();
    EXPECT_GT(o.m.at(0, "cambi"), 0.5) << bpc;
  }
}

TEST(Cambi, SizeLimit) {
  for (auto [w, h] : {std::pair{1, 1}, {3, 2}, {17, 13}, {215, 215}, {176, 144}}) {
    const auto o = run(make_info(w, h), 1, flat(50), flat(50), {"cambi"});
    ASSERT_FALSE(o.ok) << w << "x" << h;
    EXPECT_EQ(o.error.code, Errc::kUnsupported);
    EXPECT_NE(o.error.message.find("216"), std::string::npos) << o.error.message;
    EXPECT_NE(o.error.message.find(std::to_string(w) + "x" + std::to_string(h)), std::string::npos)
        << o.error.message;
  }
  const auto skipped = run(make_info(176, 144), 1, flat(50), flat(50), {"cambi", "psnr"}, true);
  ASSERT_TRUE(skipped.ok) << skipped.error.to_string();
  ASSERT_EQ(skipped.m.info.skipped.size(), 1u);
  EXPECT_EQ(skipped.m.info.skipped[0].extractor, "cambi");
  EXPECT_LT(skipped.m.column("cambi"), 0);
}

TEST(Cambi, WindowAboveTheReciprocalTableIsUnsupported) {
  // window_size 127 adjusts to 67 at 2100x1100 (libvmaf's table allows 65).
  const auto o = run(make_info(2100, 1100), 1, flat(50), flat(50), {"cambi=window_size=127"});
  ASSERT_FALSE(o.ok);
  EXPECT_EQ(o.error.code, Errc::kUnsupported);
  EXPECT_NE(o.error.message.find("67"), std::string::npos) << o.error.message;
}

TEST(Cambi, OddAndExtremeSizesRun) {
  // 333x197 (odd), one-row and one-column pictures, and a very wide strip whose coarse scales
  // are shorter than the window.
  for (auto [w, h, c] : {std::tuple{333, 197, Chroma::k420},
                         {216, 1, Chroma::k444},
                         {1, 216, Chroma::k444},
                         {2000, 3, Chroma::k444},
                         {217, 13, Chroma::k444}}) {
    const auto o = run(make_info(w, h, 8, c), 1, staircase(8), staircase(8), {"cambi"});
    ASSERT_TRUE(o.ok) << w << "x" << h << ": " << o.error.to_string();
    EXPECT_TRUE(std::isfinite(o.m.at(0, "cambi"))) << w << "x" << h;
  }
}

TEST(Cambi, OutOfRangeSampleIsAnError) {
  const auto o = run(make_info(320, 240, 10), 1, flat(2000), flat(2000), {"cambi"});
  ASSERT_FALSE(o.ok);
  EXPECT_NE(o.error.message.find("10-bit"), std::string::npos) << o.error.message;
}

TEST(Cambi, OptionsChangeNames) {
  const auto o = run(make_info(320, 240), 1, staircase(8), staircase(8),
                     {"cambi=window_size=33:topk=0.5", "cambi=cambi_max_val=0.25:eotf=pq"});
  ASSERT_TRUE(o.ok) << o.error.to_string();
  EXPECT_GE(o.m.column("cambi_topk_0.5_ws_33"), 0);
  EXPECT_GE(o.m.column("cambi_cmxv_0.25_eotf_pq"), 0);
  EXPECT_LE(o.m.at(0, "cambi_cmxv_0.25_eotf_pq"), 0.25);
}

TEST(Cambi, BadOptions) {
  auto o = run(make_info(320, 240), 1, flat(9), flat(9), {"cambi=heatmaps_path=/tmp/x"});
  ASSERT_FALSE(o.ok);
  EXPECT_NE(o.error.message.find("heatmaps_path"), std::string::npos) << o.error.message;
  o = run(make_info(320, 240), 1, flat(9), flat(9), {"cambi=eotf=hlg"});
  ASSERT_FALSE(o.ok);
  EXPECT_NE(o.error.message.find("hlg"), std::string::npos) << o.error.message;
  o = run(make_info(320, 240), 1, flat(9), flat(9), {"cambi=window_size=200"});
  ASSERT_FALSE(o.ok);
}

TEST(Cambi, FullReference) {
  // Banded reference, flat distorted: the source score is the reference's own cambi.
  const auto o = run(make_info(320, 240), 2, staircase(8), flat(80), {"cambi=full_ref=true"});
  ASSERT_TRUE(o.ok) << o.error.to_string();
  const auto swapped = run(make_info(320, 240), 2, flat(80), staircase(8), {"cambi"});
  ASSERT_TRUE(swapped.ok);
  for (size_t f = 0; f < 2; ++f) {
    EXPECT_EQ(o.m.at(f, "cambi_source"), swapped.m.at(f, "cambi"));
    EXPECT_EQ(o.m.at(f, "cambi_full_reference"),
              std::max(0.0, o.m.at(f, "cambi") - o.m.at(f, "cambi_source")));
  }
  const auto plain = run(make_info(320, 240), 1, staircase(8), flat(80), {"cambi"});
  EXPECT_LT(plain.m.column("cambi_source"), 0);
  EXPECT_LT(plain.m.column("cambi_full_reference"), 0);
}

TEST(Cambi, EncodeResolution) {
  // Scoring at a smaller encode size resamples; a larger one is clamped to the input.
  const auto o = run(make_info(640, 360), 1, staircase(8), staircase(8),
                     {"cambi=enc_width=320:enc_height=180", "cambi=enc_width=1280:enc_height=720"});
  ASSERT_TRUE(o.ok) << o.error.to_string();
  EXPECT_GT(o.m.at(0, "cambi_ench_180_encw_320"), 0);
  EXPECT_GE(o.m.at(0, "cambi_ench_720_encw_1280"), 0);
}

}  // namespace
}  // namespace vqfuse::test
