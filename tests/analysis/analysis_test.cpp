// Analysis methods against closed forms and against the reference implementations researchers
// trust (scikit-learn and python3-xgboost from Debian, used only as test oracles).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <random>

#include "analysis/forest_xgb.hpp"
#include "analysis/lasso.hpp"
#include "analysis/mutual_info.hpp"
#include "analysis/stats.hpp"
#include "test_util.hpp"
#include "vqfuse/analysis.hpp"

namespace vqfuse::analysis {
namespace {

using nlohmann::json;

bool have_oracle(const char* module) {
  const std::string cmd = std::string("/usr/bin/python3 -c 'import ") + module + "' >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

json oracle(const std::string& what, const json& fixture) {
  test::TempDir d;
  test::write_file(d.file("fx.json"), fixture.dump());
  const std::string cmd = "/usr/bin/python3 " + std::string(VQFUSE_SOURCE_DIR) + "/tests/analysis/oracle_sklearn.py " +
                          what + " " + d.file("fx.json") + " > " + d.file("out.json");
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  return json::parse(test::read_file(d.file("out.json")));
}

#define REQUIRE_ORACLE(m)                                                      \
  if (!have_oracle(m)) {                                                       \
    if (test::in_ci()) FAIL() << "python3 " << m << " missing under CI";       \
    GTEST_SKIP() << "python3 " << m << " not installed";                       \
  }

TEST(Correlation, ClosedFormsWithTiesAndConstants) {
  const std::vector<double> a = {1, 2, 3, 4}, b = {2, 4, 6, 8}, c = {4, 3, 2, 1};
  EXPECT_DOUBLE_EQ(pearson(a, b), 1.0);
  EXPECT_DOUBLE_EQ(pearson(a, c), -1.0);
  // Spearman with ties: average ranks [1, 2.5, 2.5, 4] vs [1, 3, 2, 4] -> 4.5 / sqrt(4.5 * 5).
  const std::vector<double> t = {1, 2, 2, 3}, u = {1, 3, 2, 4};
  EXPECT_EQ(ranks(t), (std::vector<double>{1, 2.5, 2.5, 4}));
  EXPECT_NEAR(spearman(t, u), 4.5 / std::sqrt(22.5), 1e-15);
  // Pearson of x and x^2 on {-1, 0, 1} is 0; of a constant column is undefined.
  EXPECT_NEAR(pearson(std::vector<double>{-1, 0, 1}, std::vector<double>{1, 0, 1}), 0.0, 1e-15);
  EXPECT_TRUE(std::isnan(pearson(a, std::vector<double>{5, 5, 5, 5})));
}

TEST(Dataset, DropsMissingRowsAndConstantColumnsAndReportsThem) {
  store::FrameTable t;
  t.columns = {"psnr_y", "flat", "vmaf"};
  for (int i = 0; i < 10; ++i) {
    t.clip_id.push_back(i < 5 ? "a" : "b");
    t.source_id.push_back(i < 5 ? "s1" : "s2");
    t.failure_mode.push_back("");
    t.frame.push_back(i % 5);
    t.values.push_back({30.0 + i, 7.0, i == 3 ? std::nan("") : 50.0 + 2 * i});
  }
  auto d = make_dataset(t, {.target = "vmaf", .features = "full"});
  ASSERT_TRUE(d.ok()) << d.error().to_string();
  EXPECT_EQ(d->rows(), 9u);
  EXPECT_EQ(d->rows_dropped, 1);
  EXPECT_EQ(d->features, (std::vector<std::string>{"psnr_y"}));
  EXPECT_EQ(d->constant_excluded, (std::vector<std::string>{"flat"}));
  EXPECT_EQ(d->group_names.size(), 2u);
  auto strict = make_dataset(t, {.target = "vmaf", .features = "full", .drop_missing = false});
  ASSERT_FALSE(strict.ok());
  EXPECT_NE(strict.error().message.find("clip 'a' frame 3"), std::string::npos) << strict.error().message;
  // Clip level: means per clip; a per-clip attribute target implies it.
  t.clip_attrs["a"]["mos"] = 3.5;
  t.clip_attrs["b"]["mos"] = 4.0;
  auto clip = make_dataset(t, {.target = "mos", .features = "psnr_y"});
  ASSERT_TRUE(clip.ok()) << clip.error().to_string();
  EXPECT_EQ(clip->level, "clip");
  ASSERT_EQ(clip->rows(), 2u);
  EXPECT_DOUBLE_EQ(clip->x[0][0], 32.0);
  EXPECT_EQ(clip->y[1], 4.0);
  EXPECT_FALSE(make_dataset(t, {.target = "nope"}).ok());
}

// Correlated Gaussians: X = features with known structure, y linear + noise, 5 sources.
void fixture(size_t n, std::vector<std::vector<double>>& x, std::vector<double>& y, std::vector<int>& group) {
  std::mt19937_64 rng(7);
  x.assign(n, std::vector<double>(6));
  y.assign(n, 0);
  group.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const double z = std_normal(rng);
    for (size_t j = 0; j < 6; ++j) x[i][j] = 0.6 * z + 0.8 * std_normal(rng);
    y[i] = 2 * x[i][0] - 1.5 * x[i][2] + 0.3 * x[i][4] + 0.5 * std_normal(rng);
    group[i] = static_cast<int>((i * 7 + i / 3) % 5 + (i % 11 == 0 ? 1 : 0)) % 5;
  }
}

TEST(Lasso, MatchesScikitLearnLassoCV) {
  REQUIRE_ORACLE("sklearn");
  std::vector<std::vector<double>> x;
  std::vector<double> y;
  std::vector<int> group;
  fixture(400, x, y, group);
  const std::vector<int> fold_of_group = group_kfold(group, 5, 5);
  std::vector<int> fold;
  for (int g : group) fold.push_back(fold_of_group[static_cast<size_t>(g)]);
  const LassoResult r = lasso_cv(x, y, fold, 5);
  const json sk = oracle("lasso", {{"x", x}, {"y", y}, {"fold", fold}, {"k", 5}, {"alphas", r.alphas}});
  EXPECT_DOUBLE_EQ(sk["alpha"].get<double>(), r.alphas[r.best]);
  for (size_t j = 0; j < 6; ++j) EXPECT_NEAR(sk["coef"][j].get<double>(), r.coef_min[j], 1e-6) << j;
  for (size_t a = 0; a < r.alphas.size(); ++a)
    EXPECT_NEAR(sk["mse_path_mean"][a].get<double>(), r.mean_mse[a], 1e-8 * (1 + r.mean_mse[a])) << a;
  // The 1-SE choice is never a smaller alpha than the minimum, and it is sparser or equal.
  EXPECT_LE(r.best_1se, r.best);
  EXPECT_EQ(r.entry_order.front(), 0) << "the strongest feature enters first";
}

TEST(MutualInfo, MatchesScikitLearnAndTheGaussianClosedForm) {
  std::mt19937_64 rng(3);
  const size_t n = 4000;
  std::vector<std::vector<double>> x(n, std::vector<double>(2));
  std::vector<double> y(n);
  const double rho = 0.8;
  for (size_t i = 0; i < n; ++i) {
    const double a = std_normal(rng), b = std_normal(rng);
    x[i][0] = a;
    x[i][1] = std_normal(rng);
    y[i] = rho * a + std::sqrt(1 - rho * rho) * b;
  }
  std::vector<double> c0(n), c1(n);
  for (size_t i = 0; i < n; ++i) {
    c0[i] = x[i][0];
    c1[i] = x[i][1];
  }
  const auto py = prepare_mi_column(y, 9);
  const double mi0 = ksg_mi(prepare_mi_column(c0, 1), py, 3);
  const double mi1 = ksg_mi(prepare_mi_column(c1, 2), py, 3);
  // Closed form -1/2 log(1 - rho^2) = 0.5108 nats; KSG's sampling error at n=4000 is ~0.02.
  EXPECT_NEAR(mi0, -0.5 * std::log(1 - rho * rho), 0.03);
  EXPECT_NEAR(mi1, 0.0, 0.02);
  if (!have_oracle("sklearn")) GTEST_SKIP() << "no sklearn oracle";
  const json sk = oracle("mi", {{"x", x}, {"y", y}, {"k", 3}});
  // Same estimator; only the tie-breaking noise (1e-10 scale) differs.
  EXPECT_NEAR(sk["mi"][0].get<double>(), mi0, 1e-6);
  EXPECT_NEAR(sk["mi"][1].get<double>(), mi1, 1e-6);
}

TEST(Shap, ContributionsSumToPredictionsAndMatchPythonXgboost) {
  std::vector<std::vector<double>> x;
  std::vector<double> y;
  std::vector<int> group;
  fixture(600, x, y, group);
  std::vector<size_t> rows(x.size());
  for (size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  const TreeParams tp{1, 5};
  auto b = Booster::train(x, y, rows, boosting_params(tp), 50);
  ASSERT_TRUE(b.ok()) << b.error().to_string();
  const auto contrib = b->contributions(x, rows);
  const auto pred = b->predict(x, rows);
  for (size_t i = 0; i < rows.size(); ++i) {
    double s = 0;
    for (double c : contrib[i]) s += c;
    ASSERT_NEAR(s, pred[i], 1e-4 * (1 + std::fabs(pred[i]))) << "row " << i;  // float32 sums
  }
  REQUIRE_ORACLE("xgboost");
  json params;
  for (const auto& [k, v] : boosting_params(tp)) params[k] = v;
  const json py = oracle("xgb", {{"x", x}, {"y", y}, {"params", params}, {"rounds", 50}});
  std::vector<double> shap(6, 0.0);
  for (const auto& row : contrib)
    for (size_t j = 0; j < 6; ++j) shap[j] += std::fabs(row[j]) / static_cast<double>(rows.size());
  const auto gain = b->importance("total_gain", 6);
  for (size_t j = 0; j < 6; ++j) {
    EXPECT_NEAR(py["mean_abs_shap"][j].get<double>(), shap[j], 1e-5 * (1 + shap[j])) << j;
    EXPECT_NEAR(py["gain"][j].get<double>(), gain[j], 1e-4 * (1 + gain[j])) << j;
  }
}

TEST(Analyze, SameSeedSameReportAndSensibleRanking) {
  store::FrameTable t;
  t.columns = {"a_signal", "b_noise", "c_signal2", "d_copy", "vmaf"};
  std::mt19937_64 rng(11);
  for (int i = 0; i < 3000; ++i) {
    const double s1 = std_normal(rng), s2 = std_normal(rng), nz = std_normal(rng);
    t.clip_id.push_back("clip" + std::to_string(i / 100));
    t.source_id.push_back("src" + std::to_string(i / 500));
    t.failure_mode.push_back("");
    t.frame.push_back(i % 100);
    t.values.push_back({s1, nz, s2, s1 + 0.01 * std_normal(rng), 3 * s1 + s2 * s2 + 0.1 * std_normal(rng)});
  }
  test::TempDir d1, d2;
  AnalysisOptions o;
  o.data.features = "full";
  o.threads = 2;
  auto r1 = analyze(t, o, d1.path());
  ASSERT_TRUE(r1.ok()) << r1.error().to_string();
  auto r2 = analyze(t, o, d2.path());
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r1->json, r2->json);
  EXPECT_EQ(test::read_file(d1.file("consensus.json")), test::read_file(d2.file("consensus.json")));
  EXPECT_EQ(test::read_file(d1.file("report.md")), test::read_file(d2.file("report.md")));
  for (const char* f : {"heatmap.png", "mi_heatmap.png", "report.md", "report.json", "consensus.json"})
    EXPECT_TRUE(test::file_exists(d1.file(f))) << f;
  const json rep = json::parse(r1->json);
  EXPECT_EQ(rep["correlation"]["redundant_pairs"].size(), 1u);
  EXPECT_EQ(rep["correlation"]["redundant_pairs"][0]["a"], "a_signal");
  // The non-linear signal (s2^2) is found by MI and the trees, not by Pearson.
  const auto& mi = rep["mutual_information"]["with_target"];
  EXPECT_NE(mi.back()["feature"], "c_signal2");
  EXPECT_EQ(rep["consensus"]["ranking"].back()["feature"], "b_noise");
  EXPECT_LT(rep["shap"]["max_additivity_error"].get<double>(), 1e-3);
}

}  // namespace
}  // namespace vqfuse::analysis
