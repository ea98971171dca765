// Tiny-model training: leave-one-source-out folds, scalers from the training fold only,
// determinism, learning, ONNX export equal to the native forward pass (and to ONNX Runtime),
// onnx.checker, sidecar verification, and the train/score CLI.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <random>

#include "analysis/stats.hpp"
#include "core/sha256.hpp"
#include "model/onnx_model.hpp"
#include "model/tiny_model.hpp"
#include "test_util.hpp"
#include "train/loso.hpp"
#include "train/mlp.hpp"

namespace vqfuse::train {
namespace {

using nlohmann::json;

// 6 sources x 4 clips x 50 frames; y = 20 a - 10 b + 5 c^2 + noise.
analysis::Dataset dataset() {
  analysis::Dataset d;
  d.features = {"integer_adm2", "psnr_y", "float_ssim"};
  d.target = "vmaf";
  std::mt19937_64 rng(5);
  for (int s = 0; s < 6; ++s) {
    d.group_names.push_back("src" + std::to_string(s));
    for (int c = 0; c < 4; ++c)
      for (int f = 0; f < 50; ++f) {
        const double a = analysis::std_normal(rng), b = analysis::std_normal(rng), e = analysis::std_normal(rng);
        d.x.push_back({a, b, e});
        d.y.push_back(20 * a - 10 * b + 5 * e * e + 0.1 * analysis::std_normal(rng) + s);
        d.group.push_back(s);
        d.clip_id.push_back("src" + std::to_string(s) + "_c" + std::to_string(c));
        d.failure_mode.push_back(c == 3 ? "banding" : "");
      }
  }
  return d;
}

TEST(Loso, EveryRowIsPredictedByTheFoldThatHeldItsSourceOut) {
  const analysis::Dataset d = dataset();
  CvConfig cfg;
  cfg.opt.epochs = 80;
  cfg.opt.batch = 32;  // 200 training rows per fold: several Adam steps per epoch
  cfg.seeds = {0, 1};
  auto r = cross_validate(d, cfg);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->folds, 6);
  for (const auto& s : r->seeds) {
    ASSERT_EQ(s.folds.size(), 6u);
    for (size_t f = 0; f < 6; ++f) EXPECT_EQ(s.folds[f].held_out, "src" + std::to_string(f)) << "one source per fold";
    for (double p : s.oof) EXPECT_TRUE(std::isfinite(p));
    EXPECT_TRUE(s.by_failure_mode.count("banding"));
  }
  EXPECT_GT(r->plcc.mean, 0.95);
  EXPECT_GE(r->plcc.std, 0.0);
}

TEST(Loso, SameSeedSameResultForAnyThreadCount) {
  const analysis::Dataset d = dataset();
  CvConfig cfg;
  cfg.opt.epochs = 10;
  cfg.threads = 1;
  auto a = cross_validate(d, cfg);
  cfg.threads = 2;
  auto b = cross_validate(d, cfg);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->seeds[0].oof, b->seeds[0].oof);
  cfg.seeds = {7};
  auto c = cross_validate(d, cfg);
  EXPECT_NE(a->seeds[0].oof, c->seeds[0].oof) << "a different seed gives a different model";
}

TEST(Mlp, ScalerComesFromTheTrainingRowsOnly) {
  const std::vector<float> x = {1, 10, 3, 30, 5, 50}, y = {1, 2, 3};
  const std::vector<float> vx = {1000, 1000}, vy = {0};
  const Mlp m = fit_mlp(x, y, 3, 2, vx, vy, 1, {.hidden = {4}, .epochs = 2});
  EXPECT_FLOAT_EQ(m.input_mean[0], 3.0f);
  EXPECT_FLOAT_EQ(m.input_mean[1], 30.0f);
  EXPECT_NEAR(m.input_std[0], std::sqrt(8.0f / 3.0f), 1e-6);
  EXPECT_EQ(m.n_params(), 2u * 2 + (2 * 4 + 4) + (4 + 1));
  EXPECT_FALSE(parse_arch("mlp:0").ok());
  EXPECT_EQ(parse_arch("mlp_large").value(), (std::vector<int>{64, 32, 16}));
}

bool have_python_onnx() { return std::system("/usr/bin/python3 -c 'import onnx' >/dev/null 2>&1") == 0; }
std::string ort_dir() { return std::string(VQFUSE_SOURCE_DIR) + "/tests/oracle"; }
bool have_ort() {
  return std::filesystem::exists(ort_dir() + "/node_modules/onnxruntime-node") &&
         std::system("node --version >/dev/null 2>&1") == 0;
}

TEST(Onnx, ExportEqualsNativeForwardPassAndOnnxRuntime) {
  const analysis::Dataset d = dataset();
  const Mlp m = train_final(d, {.hidden = {16, 8}, .epochs = 20}, 3);
  const std::string bytes = model::export_onnx(m, "test_model");
  auto loaded = model::OnnxModel::load(bytes, "mem");
  ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
  EXPECT_EQ(loaded->opset(), 17);
  EXPECT_EQ(loaded->input_width(), 3);
  std::mt19937_64 rng(1);
  const size_t n = 257;
  std::vector<float> x(n * 3);
  for (float& v : x) v = static_cast<float>(3 * analysis::std_normal(rng));
  const std::vector<float> native = m.predict(x, n);
  const auto onnx_out = loaded->run(x, n);
  ASSERT_TRUE(onnx_out.ok());
  for (size_t i = 0; i < n; ++i) ASSERT_NEAR(onnx_out.value()[i], native[i], 1e-4 * (1 + std::fabs(native[i]))) << i;
  test::TempDir t;
  test::write_file(t.file("m.onnx"), bytes);
  if (have_python_onnx()) {
    const std::string cmd = "/usr/bin/python3 " + ort_dir() + "/onnx_check.py " + t.file("m.onnx") + " >/dev/null";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << "onnx.checker rejected the export";
  } else if (test::in_ci()) {
    FAIL() << "python3-onnx missing under CI";
  }
  if (!have_ort()) {
    if (test::in_ci()) FAIL() << "onnxruntime-node missing under CI (scripts/setup.sh installs it)";
    GTEST_SKIP() << "onnxruntime-node not installed in tests/oracle";
  }
  test::write_file(t.file("in.json"), json({{"rows", n}, {"cols", 3}, {"data", x}}).dump());
  const std::string cmd = "cd " + ort_dir() + " && node ort_run.js " + t.file("m.onnx") + " " + t.file("in.json") + " > " + t.file("out.json");
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const json ort = json::parse(test::read_file(t.file("out.json")));
  EXPECT_EQ(ort["name"], "score");
  ASSERT_EQ(ort["data"].size(), n);
  for (size_t i = 0; i < n; ++i)
    // float32 everywhere; ORT's GEMM sums in another order (FMA): a few ulps of the ~30-wide target.
    EXPECT_NEAR(ort["data"][i].get<double>(), onnx_out.value()[i], 1e-4 * (1 + std::fabs(onnx_out.value()[i]))) << i;
}

TEST(Onnx, RefusesWhatItCannotEvaluate) {
  EXPECT_FALSE(model::OnnxModel::load("not a protobuf \x01\x02", "x.onnx").ok());
  // A model using an operator outside the exporter's subset.
  if (!have_python_onnx()) GTEST_SKIP() << "python3-onnx needed to build the fixture";
  test::TempDir t;
  const std::string py = R"(
import onnx
from onnx import helper, TensorProto
X = helper.make_tensor_value_info('features', TensorProto.FLOAT, ['N', 2])
Y = helper.make_tensor_value_info('score', TensorProto.FLOAT, ['N', 2])
g = helper.make_graph([helper.make_node('Sigmoid', ['features'], ['score'], name='act')], 'g', [X], [Y])
onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid('', 17)]), ')" + t.file("sig.onnx") + "')\n";
  test::write_file(t.file("make.py"), py);
  ASSERT_EQ(std::system(("/usr/bin/python3 " + t.file("make.py")).c_str()), 0);
  auto r = model::OnnxModel::load_file(t.file("sig.onnx"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().to_string().find("unsupported operator 'Sigmoid'"), std::string::npos) << r.error().to_string();
  EXPECT_NE(r.error().to_string().find("node 0"), std::string::npos);
}

TEST(TrainCli, TrainsExportsVerifiesAndScores) {
  test::TempDir t;
  // A CSV feature table with registry names.
  std::string csv = "clip_id,source_id,frame,integer_adm2,psnr_y,float_ssim,vmaf\n";
  const analysis::Dataset d = dataset();
  for (size_t i = 0; i < d.rows(); ++i) {
    char line[256];
    std::snprintf(line, sizeof line, "%s,%s,%zu,%.9g,%.9g,%.9g,%.9g\n", d.clip_id[i].c_str(),
                  d.group_names[static_cast<size_t>(d.group[i])].c_str(), i % 50, d.x[i][0], d.x[i][1], d.x[i][2], d.y[i]);
    csv += line;
  }
  test::write_file(t.file("f.csv"), csv);
  auto r = test::run_cli({"train", "--csv", t.file("f.csv"), "--features", "integer_adm2,psnr_y,float_ssim", "--arch",
                          "mlp_small", "--epochs", "20", "--seeds", "0,1", "-o", t.file("m.onnx"), "--report", t.file("cv.json")});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.err.find("PLCC"), std::string::npos);
  const json side = json::parse(test::read_file(t.file("m.json")));
  for (const char* k : {"id", "kind", "onnx", "opset", "sha256", "input_name", "input_shape", "output_name",
                        "output_shape", "features", "feature_set", "input_mean", "input_std", "arch", "n_params",
                        "target", "training"})
    EXPECT_TRUE(side.contains(k)) << k;
  EXPECT_EQ(side["sha256"], sha256_hex(test::read_file(t.file("m.onnx"))));
  EXPECT_EQ(side["features"], json({"integer_adm2", "psnr_y", "float_ssim"}));
  EXPECT_EQ(side["training"]["seeds"], json({0, 1}));
  // Scoring the table natively equals the model's own forward pass.
  r = test::run_cli({"score", "--csv", t.file("f.csv"), "--model", t.file("m.onnx"), "-o", t.file("s.csv")});
  ASSERT_EQ(r.rc, 0) << r.err;
  const std::string scores = test::read_file(t.file("s.csv"));
  EXPECT_EQ(scores.substr(0, scores.find('\n')), "clip_id,frame,m");
  // A modified model is refused.
  std::string bytes = test::read_file(t.file("m.onnx"));
  bytes[bytes.size() / 2] ^= 1;
  test::write_file(t.file("m.onnx"), bytes);
  r = test::run_cli({"score", "--csv", t.file("f.csv"), "--model", t.file("m.onnx")});
  EXPECT_EQ(r.rc, 4);
  EXPECT_NE(r.err.find("sha256"), std::string::npos) << r.err;
  // Unknown feature names cannot make a model vqfuse could not feed.
  r = test::run_cli({"train", "--csv", t.file("f.csv"), "--features", "integer_adm2,vmaf_typo", "-o", t.file("x.onnx")});
  EXPECT_EQ(r.rc, 2) << r.err;
}

}  // namespace
}  // namespace vqfuse::train

namespace vqfuse::train {
namespace {

// The shipped default model: its sidecar verifies, `vqfuse score` without --model uses it, and
// on a golden pair it tracks its teacher (VMAF v0.6.1 from libvmaf) to within a VMAF point.
TEST(ShippedModel, DefaultScoreTracksVmafOnAGoldenPair) {
  const std::string golden = std::string(VQFUSE_SHARED_DIR) + "/golden/p04_ladybird_640x360_420p8";
  if (!std::filesystem::exists(golden + ".ref.y4m")) {
    if (test::in_ci()) FAIL() << "golden data missing under CI";
    GTEST_SKIP() << "no ../shared/golden";
  }
  const std::string onnx = std::string(VQFUSE_SOURCE_DIR) + "/data/models/vqfuse_tiny_v1.onnx";
  const json side = json::parse(test::read_file(model::sidecar_path(onnx)));
  EXPECT_EQ(side["sha256"], sha256_hex(test::read_file(onnx)));
  EXPECT_LE(std::filesystem::file_size(onnx), 16u * 1024) << "the issue's size goal";
  test::TempDir t;
  auto r = test::run_cli({"score", "-r", golden + ".ref.y4m", "-d", golden + ".dis.y4m", "-q", "-o", t.file("s.json")});
  ASSERT_EQ(r.rc, 0) << r.err;
  const json ours = json::parse(test::read_file(t.file("s.json")));
  const json peer = json::parse(test::read_file(golden + ".netflix_full.json"));
  ASSERT_EQ(ours["frames"].size(), peer["frames"].size());
  for (size_t i = 0; i < ours["frames"].size(); ++i)
    EXPECT_NEAR(ours["frames"][i]["metrics"]["vqfuse_tiny_v1"].get<double>(),
                peer["frames"][i]["metrics"]["vmaf"].get<double>(), 1.0)
        << "frame " << i;
}

}  // namespace
}  // namespace vqfuse::train
