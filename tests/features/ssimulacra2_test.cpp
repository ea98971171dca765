// ssimulacra2: the banded, streaming pipeline against a whole-plane transcription of the fork's
// algorithm, known answers (identical frames score 100), ordering, size limits, odd sizes,
// chroma formats and the yuv_matrix option.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "features/kernels/ssimulacra2.hpp"
#include "test_util.hpp"
#include "vqfuse/extract.hpp"

namespace vqfuse::test {
namespace {

namespace k = kernels;

struct Outcome {
  bool ok = false;
  Error error;
  FeatureMatrix m;
};

Outcome run(const VideoInfo& v, int frames, const SampleFn& ref, const SampleFn& dis,
            const std::string& feature = "ssimulacra2", const std::string& header = "",
            int threads = 2, bool skip = false, const std::string& extra_feature = "") {
  TempDir dir;
  write_y4m(dir.file("r.y4m"), v, frames, ref, header);
  write_y4m(dir.file("d.y4m"), v, frames, dis, header);
  ExtractConfig cfg;
  cfg.reference = dir.file("r.y4m");
  cfg.distorted = dir.file("d.y4m");
  cfg.features = {feature};
  if (!extra_feature.empty()) cfg.features.push_back(extra_feature);
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

// --- Whole-plane transcription of the fork (libvmaf/src/feature/ssimulacra2.c) --------------

using Plane = std::vector<float>;  // row-major w*h

constexpr double kWeights[108] = {
    0.0, 0.0007376606707406586, 0.0, 0.0, 0.0007793481682867309, 0.0, 0.0,
    0.0004371155730107379, 0.0, 1.1041726426657346, 0.00066284834129271,
    0.00015231632783718752, 0.0, 0.0016406437456599754, 0.0, 1.8422455520539298,
    11.441172603757666, 0.0, 0.0007989109436015163, 0.000176816438078653, 0.0,
    1.8787594979546387, 10.94906990605142, 0.0, 0.0007289346991508072, 0.9677937080626833, 0.0,
    0.00014003424285435884, 0.9981766977854967, 0.00031949755934435053, 0.0004550992113792063,
    0.0, 0.0, 0.0013648766163243398, 0.0, 0.0, 0.0, 0.0, 0.0, 7.466890328078848, 0.0,
    17.445833984131262, 0.0006235601634041466, 0.0, 0.0, 6.683678146179332,
    0.00037724407979611296, 1.027889937768264, 225.20515300849274, 0.0, 0.0,
    19.213238186143016, 0.0011401524586618361, 0.001237755635509985, 176.39317598450694, 0.0,
    0.0, 24.43300999870476, 0.28520802612117757, 0.0004485436923833408, 0.0, 0.0, 0.0,
    34.77906344483772, 44.835625328877896, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
    0.0008680556573291698, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0005313191874358747, 0.0,
    0.00016533814161379112, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0004179171803251336,
    0.0017290828234722833, 0.0, 0.0020827005846636437, 0.0, 0.0, 8.826982764996862,
    23.19243343998926, 0.0, 95.1080498811086, 0.9863978034400682, 0.9834382792465353,
    0.0012286405048278493, 171.2667255897307, 0.9807858872435379, 0.0, 0.0, 0.0,
    0.0005130064588990679, 0.0, 0.00010854057858411537};

// Separable one-pass recursive Gaussian with zero boundary, rows then columns.
Plane blur(const k::S2Gauss& g, const Plane& in, int w, int h) {
  auto pass = [&](auto at, int len, auto put) {
    float p1[3] = {0, 0, 0}, p2[3] = {0, 0, 0};
    for (int n = -g.radius + 1; n < len; ++n) {
      const int l = n - g.radius - 1, r = n + g.radius - 1;
      const float sum = (l >= 0 ? at(l) : 0.0f) + (r < len ? at(r) : 0.0f);
      float o[3];
      for (int kk = 0; kk < 3; ++kk) {
        o[kk] = g.n2[kk] * sum - g.d1[kk] * p1[kk] - p2[kk];
        p2[kk] = p1[kk];
        p1[kk] = o[kk];
      }
      if (n >= 0) put(n, o[0] + o[1] + o[2]);
    }
  };
  Plane tmp(in.size()), out(in.size());
  for (int y = 0; y < h; ++y)
    pass([&](int x) { return in[y * w + x]; }, w, [&](int x, float v) { tmp[y * w + x] = v; });
  for (int x = 0; x < w; ++x)
    pass([&](int y) { return tmp[y * w + x]; }, h, [&](int y, float v) { out[y * w + x] = v; });
  return out;
}

double brute_score(const VideoInfo& v, int frame, const SampleFn& ref_fn, const SampleFn& dis_fn,
                   float kr = 0.2126f, float kg = 0.7152f, float kb = 0.0722f,
                   bool limited = true) {
  const k::S2YuvParams params = k::s2_yuv_params(kr, kg, kb, limited, v.bit_depth);
  const k::S2Gauss g = k::s2_gauss(1.5);
  int w = v.width, h = v.height;
  Plane lin[2][3];
  for (int i = 0; i < 2; ++i) {
    const SampleFn& fn = i == 0 ? ref_fn : dis_fn;
    for (Plane& p : lin[i]) p.resize(static_cast<size_t>(w) * h);
    std::vector<uint16_t> yy(w), uu(w), vv(w);
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) {
        yy[x] = fn(frame, 0, x, y);
        if (v.chroma == Chroma::k400) continue;
        const int cx = v.chroma == Chroma::k444 ? x : x / 2;
        const int cy = v.chroma == Chroma::k420 ? y / 2 : y;
        uu[x] = fn(frame, 1, cx, cy);
        vv[x] = fn(frame, 2, cx, cy);
      }
      const bool gray = v.chroma == Chroma::k400;
      k::ref::s2_yuv_to_linear_row(yy.data(), gray ? nullptr : uu.data(),
                                   gray ? nullptr : vv.data(), 0, w, params, &lin[i][0][y * w],
                                   &lin[i][1][y * w], &lin[i][2][y * w]);
    }
  }
  double ssim[6][6] = {}, edge[6][12] = {};
  int scales = 0;
  for (int s = 0; s < 6 && w >= 8 && h >= 8; ++s, ++scales) {
    const size_t n = static_cast<size_t>(w) * h;
    Plane xyb[2][3];
    for (int i = 0; i < 2; ++i) {
      for (Plane& p : xyb[i]) p.resize(n);
      k::ref::s2_xyb_row(lin[i][0].data(), lin[i][1].data(), lin[i][2].data(), n,
                         xyb[i][0].data(), xyb[i][1].data(), xyb[i][2].data());
    }
    for (int c = 0; c < 3; ++c) {
      const Plane& a = xyb[0][c];
      const Plane& b = xyb[1][c];
      Plane aa(n), bb(n), ab(n);
      for (size_t i = 0; i < n; ++i) {
        aa[i] = a[i] * a[i];
        bb[i] = b[i] * b[i];
        ab[i] = a[i] * b[i];
      }
      const Plane m1 = blur(g, a, w, h), m2 = blur(g, b, w, h);
      const Plane s11 = blur(g, aa, w, h), s22 = blur(g, bb, w, h), s12 = blur(g, ab, w, h);
      double sum[6] = {};
      const size_t tail = n - n % 16;  // the fork's AVX-512 scalar tail subtracts in double
      for (size_t i = 0; i < n; ++i) {
        const float mu11 = m1[i] * m1[i], mu22 = m2[i] * m2[i], mu12 = m1[i] * m2[i];
        const float num_m = 1.0f - (m1[i] - m2[i]) * (m1[i] - m2[i]);
        const float num_s = 2.0f * (s12[i] - mu12) + 0.0009f;
        const float den_s = (s11[i] - mu11) + (s22[i] - mu22) + 0.0009f;
        const double d = std::max(0.0, 1.0 - static_cast<double>(num_m) * num_s / den_s);
        sum[0] += d;
        sum[1] += d * d * d * d;
        const double ed1 = i >= tail ? std::fabs(static_cast<double>(a[i]) - m1[i])
                                     : std::fabs(a[i] - m1[i]);
        const double ed2 = i >= tail ? std::fabs(static_cast<double>(b[i]) - m2[i])
                                     : std::fabs(b[i] - m2[i]);
        const double e = (1.0 + ed2) / (1.0 + ed1) - 1.0;
        const double art = std::max(e, 0.0), det = std::max(-e, 0.0);
        sum[2] += art;
        sum[3] += art * art * art * art;
        sum[4] += det;
        sum[5] += det * det * det * det;
      }
      const double inv = 1.0 / static_cast<double>(n);
      ssim[s][c * 2] = inv * sum[0];
      ssim[s][c * 2 + 1] = std::sqrt(std::sqrt(inv * sum[1]));
      for (int m = 0; m < 2; ++m) {
        edge[s][c * 4 + 2 * m] = inv * sum[2 + 2 * m];
        edge[s][c * 4 + 2 * m + 1] = std::sqrt(std::sqrt(inv * sum[3 + 2 * m]));
      }
    }
    const int nw = (w + 1) / 2, nh = (h + 1) / 2;
    for (int i = 0; i < 2; ++i)
      for (Plane& p : lin[i]) {
        Plane o(static_cast<size_t>(nw) * nh);
        for (int y = 0; y < nh; ++y)
          for (int x = 0; x < nw; ++x) {
            const int x0 = 2 * x, x1 = std::min(2 * x + 1, w - 1);
            const int y0 = 2 * y, y1 = std::min(2 * y + 1, h - 1);
            o[y * nw + x] =
                (((p[y0 * w + x0] + p[y0 * w + x1]) + p[y1 * w + x0]) + p[y1 * w + x1]) * 0.25f;
          }
        p = std::move(o);
      }
    w = nw;
    h = nh;
  }
  double sum = 0;
  int i = 0;
  for (int c = 0; c < 3; ++c)
    for (int s = 0; s < 6; ++s)
      for (int n = 0; n < 2; ++n) {
        sum += kWeights[i++] * (s < scales ? ssim[s][c * 2 + n] : 0.0);
        sum += kWeights[i++] * (s < scales ? edge[s][c * 4 + n] : 0.0);
        sum += kWeights[i++] * (s < scales ? edge[s][c * 4 + n + 2] : 0.0);
      }
  double x = sum * 0.9562382616834844;
  x = 2.326765642916932 * x - 0.020884521182843837 * x * x + 6.248496625763138e-05 * x * x * x;
  return x > 0.0 ? 100.0 - 10.0 * std::pow(x, 0.6276336467831387) : 100.0;
}

// ---------------------------------------------------------------------------------------------

struct Geometry {
  int w, h, bpc;
  Chroma chroma;
};

const Geometry kGeometries[] = {
    {8, 8, 8, Chroma::k420},    {9, 8, 8, Chroma::k420},     {16, 16, 8, Chroma::k444},
    {17, 13, 8, Chroma::k420},  {40, 23, 8, Chroma::k422},   {64, 48, 8, Chroma::k420},
    {29, 31, 10, Chroma::k420}, {20, 12, 8, Chroma::k400},   {70, 37, 12, Chroma::k444},
    {333, 197, 8, Chroma::k420}, {8, 300, 8, Chroma::k420},  {300, 9, 16, Chroma::k420},
};

TEST(Ssimulacra2, MatchesWholePlaneTranscription) {
  for (const Geometry& g : kGeometries) {
    const VideoInfo v = make_info(g.w, g.h, g.bpc, g.chroma);
    const SampleFn ref = noise_fn(1, g.bpc, 12), dis = noise_fn(2, g.bpc, 30);
    const Outcome o = run(v, 2, ref, dis);
    ASSERT_TRUE(o.ok) << g.w << "x" << g.h << ": " << o.error.message;
    for (int f = 0; f < 2; ++f) {
      const double want = brute_score(v, f, ref, dis);
      const double got = o.m.at(static_cast<size_t>(f), "ssimulacra2");
      EXPECT_NEAR(got, want, 1e-9 * std::max(1.0, std::fabs(want)))
          << g.w << "x" << g.h << " bpc " << g.bpc << " frame " << f;
      EXPECT_LT(got, 100.0);
    }
  }
}

TEST(Ssimulacra2, IdenticalFramesScore100) {
  for (const Geometry& g : kGeometries) {
    const VideoInfo v = make_info(g.w, g.h, g.bpc, g.chroma);
    const SampleFn fn = noise_fn(5, g.bpc, 40);
    const Outcome o = run(v, 1, fn, fn);
    ASSERT_TRUE(o.ok) << o.error.message;
    EXPECT_EQ(o.m.at(0, "ssimulacra2"), 100.0) << g.w << "x" << g.h;
  }
}

TEST(Ssimulacra2, MoreNoiseScoresLower) {
  const VideoInfo v = make_info(96, 64);
  const SampleFn ref = noise_fn(3, 8, 0);
  double last = 100.0;
  for (int amp : {1, 4, 12, 40}) {
    const Outcome o = run(v, 1, ref, noise_fn(3, 8, amp));
    ASSERT_TRUE(o.ok) << o.error.message;
    const double s = o.m.at(0, "ssimulacra2");
    EXPECT_LT(s, last) << "amplitude " << amp;
    last = s;
  }
}

TEST(Ssimulacra2, SizeLimit) {
  for (auto [w, h] : {std::pair{7, 8}, std::pair{8, 7}, std::pair{1, 1}, std::pair{3, 2}}) {
    const VideoInfo v = make_info(w, h);
    const Outcome o = run(v, 1, noise_fn(1, 8), noise_fn(2, 8));
    ASSERT_FALSE(o.ok) << w << "x" << h;
    EXPECT_EQ(o.error.code, Errc::kUnsupported);
    EXPECT_NE(o.error.message.find("ssimulacra2"), std::string::npos) << o.error.message;
    EXPECT_NE(o.error.message.find(">= 8"), std::string::npos) << o.error.message;
    EXPECT_NE(o.error.message.find(std::to_string(w) + "x" + std::to_string(h)), std::string::npos);
    const Outcome skipped =
        run(v, 1, noise_fn(1, 8), noise_fn(2, 8), "ssimulacra2", "", 2, true, "psnr");
    ASSERT_TRUE(skipped.ok) << skipped.error.message;
    ASSERT_EQ(skipped.m.info.skipped.size(), 1u);
    EXPECT_EQ(skipped.m.info.skipped[0].extractor, "ssimulacra2");
  }
}

TEST(Ssimulacra2, YuvMatrixOption) {
  const VideoInfo v = make_info(48, 40, 8, Chroma::k420);
  const SampleFn ref = noise_fn(7, 8, 10), dis = noise_fn(8, 8, 25);
  auto score = [&](const std::string& feature, const std::string& header) {
    const Outcome o = run(v, 1, ref, dis, feature, header);
    EXPECT_TRUE(o.ok) << o.error.message;
    return o.ok ? o.m.at(0, "ssimulacra2") : std::nan("");
  };
  const double def = score("ssimulacra2", "");
  // Unspecified matrix on a limited-range Y4M: the fork's default, BT.709 limited range.
  EXPECT_EQ(def, score("ssimulacra2=yuv_matrix=0", ""));
  EXPECT_EQ(def, score("ssimulacra2", " XCOLORRANGE=LIMITED"));
  EXPECT_NEAR(def, brute_score(v, 0, ref, dis), 1e-9);
  // Full range from the file, or forced.
  const double full = score("ssimulacra2", " XCOLORRANGE=FULL");
  EXPECT_EQ(full, score("ssimulacra2=yuv_matrix=2", ""));
  EXPECT_NEAR(full, brute_score(v, 0, ref, dis, 0.2126f, 0.7152f, 0.0722f, false), 1e-9);
  EXPECT_NE(full, def);
  // BT.601, limited and full; an explicit option wins over the file.
  const double b601 = score("ssimulacra2=yuv_matrix=1", " XCOLORRANGE=FULL");
  EXPECT_NEAR(b601, brute_score(v, 0, ref, dis, 0.299f, 0.587f, 0.114f, true), 1e-9);
  EXPECT_NEAR(score("ssimulacra2=yuv_matrix=3", ""),
              brute_score(v, 0, ref, dis, 0.299f, 0.587f, 0.114f, false), 1e-9);
  // Out of range.
  const Outcome bad = run(v, 1, ref, dis, "ssimulacra2=yuv_matrix=4");
  EXPECT_FALSE(bad.ok);
}

TEST(Ssimulacra2, SameForAnyThreadCount) {
  const VideoInfo v = make_info(333, 197);
  const SampleFn ref = noise_fn(11, 8, 10), dis = noise_fn(12, 8, 30);
  const Outcome a = run(v, 3, ref, dis, "ssimulacra2", "", 1);
  const Outcome b = run(v, 3, ref, dis, "ssimulacra2", "", 2);
  const Outcome c = run(v, 3, ref, dis, "ssimulacra2", "", 5);
  ASSERT_TRUE(a.ok && b.ok && c.ok);
  EXPECT_EQ(a.m.rows, b.m.rows);
  EXPECT_EQ(a.m.rows, c.m.rows);
}

}  // namespace
}  // namespace vqfuse::test
