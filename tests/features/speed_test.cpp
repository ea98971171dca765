// speed_chroma and speed_temporal: known answers on synthetic frames, the linear algebra, size
// limits and option handling.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

#include "core/dispatch.hpp"
#include "features/kernels/speed_core.hpp"
#include "features/kernels/speed_linalg.hpp"
#include "test_util.hpp"
#include "vqfuse/extract.hpp"

namespace vqfuse::test {
namespace {

namespace sp = kernels::speed;
constexpr int kD = kernels::kSpeedDim;

struct Outcome {
  bool ok = false;
  Error error;
  FeatureMatrix m;
};

Outcome run(const VideoInfo& v, int frames, const SampleFn& ref, const SampleFn& dis,
            const std::vector<std::string>& features, int threads = 2) {
  TempDir dir;
  write_y4m(dir.file("r.y4m"), v, frames, ref);
  write_y4m(dir.file("d.y4m"), v, frames, dis);
  ExtractConfig cfg;
  cfg.reference = dir.file("r.y4m");
  cfg.distorted = dir.file("d.y4m");
  cfg.features = features;
  cfg.no_prediction = true;
  cfg.threads = threads;
  Outcome o;
  FrameSink* sinks[] = {&o.m};
  auto r = extract(cfg, sinks);
  o.ok = r.ok();
  if (!o.ok) o.error = r.error();
  return o;
}

std::vector<double> column(const FeatureMatrix& m, const std::string& name) {
  std::vector<double> out;
  const int c = m.column(name);
  EXPECT_GE(c, 0) << name;
  if (c < 0) return out;
  for (const auto& r : m.rows) out.push_back(r[static_cast<size_t>(c)]);
  return out;
}

// --- Linear algebra ---------------------------------------------------------------------------

TEST(SpeedLinalg, DiagonalEigenvaluesAreExact) {
  sp::Matrix25 m{};
  for (int i = 0; i < kD; ++i)
    m[static_cast<size_t>(i * kD + i)] = static_cast<float>(i + 1) * 0.5f;
  float eig[kD];
  sp::symmetric_eigenvalues(m, eig);
  std::sort(eig, eig + kD);
  for (int i = 0; i < kD; ++i) EXPECT_EQ(eig[i], static_cast<float>(i + 1) * 0.5f);
}

// A = Q diag(1..25) Q' with a random orthogonal Q (Gram-Schmidt in double).
sp::Matrix25 spd_matrix(std::vector<double>& q_out) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> n(0.0, 1.0);
  std::vector<double> q(kD * kD);
  for (double& v : q) v = n(rng);
  for (int c = 0; c < kD; ++c) {
    for (int p = 0; p < c; ++p) {
      double dot = 0;
      for (int r = 0; r < kD; ++r) dot += q[r * kD + c] * q[r * kD + p];
      for (int r = 0; r < kD; ++r) q[r * kD + c] -= dot * q[r * kD + p];
    }
    double len = 0;
    for (int r = 0; r < kD; ++r) len += q[r * kD + c] * q[r * kD + c];
    for (int r = 0; r < kD; ++r) q[r * kD + c] /= std::sqrt(len);
  }
  sp::Matrix25 a{};
  for (int i = 0; i < kD; ++i)
    for (int j = 0; j < kD; ++j) {
      double s = 0;
      for (int k = 0; k < kD; ++k) s += q[i * kD + k] * (k + 1) * q[j * kD + k];
      a[static_cast<size_t>(i * kD + j)] = static_cast<float>(s);
    }
  for (int i = 0; i < kD; ++i)
    for (int j = 0; j < i; ++j)
      a[static_cast<size_t>(j * kD + i)] = a[static_cast<size_t>(i * kD + j)];
  q_out = q;
  return a;
}

TEST(SpeedLinalg, EigenvaluesOfKnownSpectrum) {
  std::vector<double> q;
  const sp::Matrix25 a = spd_matrix(q);
  float eig[kD];
  sp::symmetric_eigenvalues(a, eig);
  std::sort(eig, eig + kD);
  for (int i = 0; i < kD; ++i) EXPECT_NEAR(eig[i], i + 1, 1e-3) << i;
}

TEST(SpeedLinalg, SolveRecoversKnownSolution) {
  std::vector<double> q;
  const sp::Matrix25 a = spd_matrix(q);
  const int cols = 3;
  std::vector<float> x(kD * cols), rhs(kD * cols), got(kD * cols);
  for (int i = 0; i < kD * cols; ++i)
    x[static_cast<size_t>(i)] = static_cast<float>((i * 37) % 11) - 5.0f;
  for (int i = 0; i < kD; ++i)
    for (int c = 0; c < cols; ++c) {
      double s = 0;
      for (int k = 0; k < kD; ++k)
        s += static_cast<double>(a[static_cast<size_t>(i * kD + k)]) *
             x[static_cast<size_t>(k * cols + c)];
      rhs[static_cast<size_t>(i * cols + c)] = static_cast<float>(s);
    }
  ASSERT_TRUE(sp::solve_qr(a, rhs.data(), cols, got.data()));
  for (int i = 0; i < kD * cols; ++i)
    EXPECT_NEAR(got[static_cast<size_t>(i)], x[static_cast<size_t>(i)], 1e-3);
}

// A zero pivot of R is reported. (An all-zero matrix is not: libvmaf's reflector is then 0/0 and
// R is NaN, which passes its |pivot| < 1e-6 test; est_params rejects such a matrix earlier, by
// its eigenvalues.)
TEST(SpeedLinalg, SingularMatrixIsReported) {
  sp::Matrix25 m{};
  for (int i = 0; i + 1 < kD; ++i) m[static_cast<size_t>(i * kD + i)] = 1.0f;
  std::vector<float> rhs(kD, 1.0f), x(kD);
  EXPECT_FALSE(sp::solve_qr(m, rhs.data(), 1, x.data()));
}

TEST(SpeedGeometry, Limits) {
  EXPECT_FALSE(sp::make_geometry(88, 72, 1.0).usable());  // 176x144 4:2:0 chroma
  EXPECT_FALSE(sp::make_geometry(79, 200, 1.0).usable());
  EXPECT_TRUE(sp::make_geometry(80, 80, 1.0).usable());
  const sp::Geometry g = sp::make_geometry(333, 197, 1.0);
  EXPECT_EQ(g.op_w, 20);
  EXPECT_EQ(g.op_h, 12);
  EXPECT_EQ(g.blocks(), 8);
  EXPECT_EQ(g.sub_w(), 16);
  EXPECT_EQ(g.sub_h(), 6);
  const sp::Geometry s = sp::make_geometry(352, 288, 0.5);
  EXPECT_TRUE(s.rescale);
  EXPECT_EQ(s.scaled_w, 176);
  EXPECT_EQ(s.scaled_h, 144);
  EXPECT_FALSE(sp::make_geometry(333, 197, 1.0005).rescale);
}

// --- Extractors on synthetic input ------------------------------------------------------------

TEST(SpeedExtract, IdenticalInputsScoreZero) {
  for (int bpc : {8, 10}) {
    const VideoInfo v = make_info(333, 197, bpc, Chroma::k444);
    const auto o =
        run(v, 3, noise_fn(1, bpc), noise_fn(1, bpc), {"speed_chroma", "speed_temporal"});
    ASSERT_TRUE(o.ok) << o.error.to_string();
    for (const char* n : {"speed_chroma_u", "speed_chroma_v", "speed_chroma_uv", "speed_temporal"})
      for (double x : column(o.m, n)) EXPECT_EQ(x, 0.0) << n << " bpc " << bpc;
  }
}

TEST(SpeedExtract, TemporalFirstFrameIsZeroAndLaterFramesAreNot) {
  const VideoInfo v = make_info(352, 288, 8, Chroma::k420);
  const auto o = run(v, 4, noise_fn(1, 8, 40), noise_fn(2, 8, 10), {"speed_temporal"});
  ASSERT_TRUE(o.ok) << o.error.to_string();
  const auto t = column(o.m, "speed_temporal");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0], 0.0);
  for (size_t i = 1; i < t.size(); ++i) {
    EXPECT_TRUE(std::isfinite(t[i]));
    EXPECT_GT(t[i], 0.0) << i;
  }
}

// The score is symmetric in ref and dis (weight mode 0), and 10-bit samples equal to 8-bit ones
// times 4 give libvmaf's very same float planes, hence the same bits.
TEST(SpeedExtract, SymmetricAndBitDepthInvariant) {
  const VideoInfo v8 = make_info(352, 288, 8, Chroma::k444);
  const VideoInfo v10 = make_info(352, 288, 10, Chroma::k444);
  const SampleFn a = noise_fn(3, 8, 40), b = noise_fn(4, 8, 10);
  auto up = [](SampleFn f) {
    return [f](int fr, int p, int x, int y) -> uint16_t { return f(fr, p, x, y) << 2; };
  };
  const std::vector<std::string> feats = {"speed_chroma", "speed_temporal"};
  const auto ab = run(v8, 3, a, b, feats);
  const auto ba = run(v8, 3, b, a, feats);
  const auto ab10 = run(v10, 3, up(a), up(b), feats);
  ASSERT_TRUE(ab.ok && ba.ok && ab10.ok);
  for (const char* n : {"speed_chroma_u", "speed_chroma_v", "speed_chroma_uv", "speed_temporal"}) {
    EXPECT_EQ(column(ab.m, n), column(ba.m, n)) << n;
    EXPECT_EQ(column(ab.m, n), column(ab10.m, n)) << n;
    for (double x : column(ab.m, n)) EXPECT_TRUE(std::isfinite(x) && x >= 0) << n;
  }
  EXPECT_GT(column(ab.m, "speed_chroma_u")[0], 0.0);
}

// A flat channel has a singular covariance: it scores 0 and speed_chroma_uv takes the other one.
TEST(SpeedExtract, FlatChannelDefersToTheOther) {
  const VideoInfo v = make_info(352, 288, 8, Chroma::k444);
  auto flat_u = [](SampleFn f) {
    return [f](int fr, int p, int x, int y) -> uint16_t { return p == 1 ? 100 : f(fr, p, x, y); };
  };
  const auto o =
      run(v, 2, flat_u(noise_fn(5, 8, 40)), flat_u(noise_fn(6, 8, 10)), {"speed_chroma"});
  ASSERT_TRUE(o.ok) << o.error.to_string();
  const auto u = column(o.m, "speed_chroma_u"), vv = column(o.m, "speed_chroma_v"),
             uv = column(o.m, "speed_chroma_uv");
  for (size_t i = 0; i < u.size(); ++i) {
    EXPECT_EQ(u[i], 0.0);
    EXPECT_GT(vv[i], 0.0);
    EXPECT_EQ(uv[i], vv[i]);
  }
}

TEST(SpeedExtract, SizeLimits) {
  struct Case {
    int w, h;
    bool chroma_ok, temporal_ok;
    const char* chroma_size;
  };
  const Case cases[] = {{1, 1, false, false, "1x1"},     {3, 2, false, false, "2x1"},
                        {17, 13, false, false, "9x7"},   {176, 144, false, true, "88x72"},
                        {159, 159, true, true, "80x80"}, {333, 197, true, true, "167x99"}};
  for (const Case& c : cases) {
    const VideoInfo v = make_info(c.w, c.h);
    const auto ch = run(v, 2, noise_fn(1, 8), noise_fn(2, 8), {"speed_chroma"});
    EXPECT_EQ(ch.ok, c.chroma_ok) << c.w << "x" << c.h;
    if (!ch.ok) {
      EXPECT_EQ(ch.error.code, Errc::kUnsupported);
      const std::string msg = ch.error.to_string();
      EXPECT_NE(msg.find("speed_chroma"), std::string::npos) << msg;
      EXPECT_NE(msg.find("80x80"), std::string::npos) << msg;
      EXPECT_NE(msg.find(c.chroma_size), std::string::npos) << msg;
    } else {
      for (double x : column(ch.m, "speed_chroma_uv")) EXPECT_TRUE(std::isfinite(x));
    }
    const auto te = run(v, 2, noise_fn(1, 8), noise_fn(2, 8), {"speed_temporal"});
    EXPECT_EQ(te.ok, c.temporal_ok) << c.w << "x" << c.h;
    if (!te.ok) {
      EXPECT_EQ(te.error.code, Errc::kUnsupported);
      const std::string msg = te.error.to_string();
      EXPECT_NE(msg.find("speed_temporal"), std::string::npos) << msg;
      EXPECT_NE(msg.find(std::to_string(c.w) + "x" + std::to_string(c.h)), std::string::npos)
          << msg;
    } else {
      for (double x : column(te.m, "speed_temporal")) EXPECT_TRUE(std::isfinite(x));
    }
  }
}

TEST(SpeedExtract, MonochromeHasNoChroma) {
  const VideoInfo v = make_info(320, 240, 8, Chroma::k400);
  const auto o = run(v, 2, noise_fn(1, 8), noise_fn(2, 8), {"speed_chroma"});
  ASSERT_FALSE(o.ok);
  EXPECT_EQ(o.error.code, Errc::kUnsupported);
  EXPECT_NE(o.error.to_string().find("4:0:0"), std::string::npos);
}

TEST(SpeedExtract, OptionsNameFeaturesAsLibvmaf) {
  const VideoInfo v = make_info(352, 288, 8, Chroma::k444);
  const auto o = run(v, 2, noise_fn(1, 8, 40), noise_fn(2, 8, 10),
                     {"speed_chroma=speed_kernelscale=0.5:speed_weight_var_mode=3",
                      "speed_temporal=speed_use_ref_diff=true:speed_sigma_nn=0.5"});
  ASSERT_TRUE(o.ok) << o.error.to_string();
  EXPECT_GE(o.m.column("speed_chroma_u_ks_0.5_wvm_3"), 0);
  EXPECT_GE(o.m.column("speed_chroma_uv_ks_0.5_wvm_3"), 0);
  EXPECT_GE(o.m.column("speed_temporal_snn_0.5_urd"), 0);
  // Every weighting mode and the noise floor give finite values.
  for (int mode = 0; mode <= 6; ++mode) {
    const auto r =
        run(v, 1, noise_fn(1, 8, 40), noise_fn(2, 8, 10),
            {"speed_chroma=speed_nn_floor=0.5:speed_weight_var_mode=" + std::to_string(mode)});
    ASSERT_TRUE(r.ok) << r.error.to_string();
    for (double x : column(r.m, "speed_chroma_u_nnf_0.5" +
                                    std::string(mode ? "_wvm_" + std::to_string(mode) : "")))
      EXPECT_TRUE(std::isfinite(x)) << mode;
  }
}

TEST(SpeedExtract, BadOptionsAreErrors) {
  const VideoInfo v = make_info(352, 288);
  for (const char* f :
       {"speed_chroma=speed_kernelscale=0.9", "speed_temporal=speed_prescale_method=area"}) {
    const auto o = run(v, 1, noise_fn(1, 8), noise_fn(2, 8), {f});
    ASSERT_FALSE(o.ok) << f;
    EXPECT_EQ(o.error.code, Errc::kInvalidArgument) << f;
  }
  const auto small =
      run(v, 1, noise_fn(1, 8), noise_fn(2, 8), {"speed_temporal=speed_prescale=0.2"});
  ASSERT_FALSE(small.ok);
  EXPECT_NE(small.error.to_string().find("after speed_prescale"), std::string::npos)
      << small.error.to_string();
}

TEST(SpeedExtract, PrescaleMethodsRun) {
  const VideoInfo v = make_info(352, 288, 8, Chroma::k444);
  for (const char* m : {"nearest", "bilinear", "bicubic", "lanczos4"})
    for (const char* s : {"0.5", "1.5"}) {
      const std::string opts = std::string("speed_prescale=") + s + ":speed_prescale_method=" + m;
      const auto o = run(v, 2, noise_fn(1, 8, 40), noise_fn(2, 8, 10),
                         {"speed_temporal=" + opts, "speed_chroma=" + opts});
      ASSERT_TRUE(o.ok) << opts << ": " << o.error.to_string();
      ASSERT_EQ(o.m.info.columns.size(), 4u);
      for (size_t c = 0; c < 4; ++c)
        for (const auto& r : o.m.rows)
          EXPECT_TRUE(std::isfinite(r[c])) << opts << " " << o.m.info.columns[c].name;
    }
}

TEST(SpeedExtract, DeterministicAcrossThreadsAndSimdTargets) {
  const VideoInfo v = make_info(333, 299, 8, Chroma::k444);
  const std::vector<std::string> feats = {"speed_chroma", "speed_temporal"};
  const auto base = run(v, 4, noise_fn(1, 8, 40), noise_fn(2, 8, 10), feats, 1);
  ASSERT_TRUE(base.ok);
  auto same = [&](const Outcome& o, const std::string& what) {
    ASSERT_TRUE(o.ok) << what;
    ASSERT_EQ(o.m.rows.size(), base.m.rows.size());
    for (size_t r = 0; r < base.m.rows.size(); ++r)
      EXPECT_EQ(std::memcmp(o.m.rows[r].data(), base.m.rows[r].data(),
                            base.m.rows[r].size() * sizeof(double)),
                0)
          << what << " frame " << r;
  };
  for (int t : {2, 5})
    same(run(v, 4, noise_fn(1, 8, 40), noise_fn(2, 8, 10), feats, t),
         "threads " + std::to_string(t));
  for (const std::string& target : available_simd_targets()) {
    ASSERT_TRUE(set_simd_target(target).ok());
    same(run(v, 4, noise_fn(1, 8, 40), noise_fn(2, 8, 10), feats, 2), "target " + target);
  }
  ASSERT_TRUE(set_simd_target("auto").ok());
}

}  // namespace
}  // namespace vqfuse::test
