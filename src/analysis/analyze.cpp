// `vqfuse analyze`: every analysis on one dataset, and the report.
#include <nlohmann/json.hpp>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <set>

#include "analysis/forest_xgb.hpp"
#include "analysis/heatmap.hpp"
#include "analysis/lasso.hpp"
#include "analysis/mutual_info.hpp"
#include "analysis/stats.hpp"
#include "core/format.hpp"
#include "io/file.hpp"
#include "vqfuse/analysis.hpp"

namespace vqfuse::analysis {
namespace {

using nlohmann::json;
using Matrix = std::vector<std::vector<double>>;

std::vector<double> column(const Dataset& d, size_t j) {
  std::vector<double> c(d.rows());
  for (size_t i = 0; i < d.rows(); ++i) c[i] = d.x[i][j];
  return c;
}

// Columns of the features followed by the target.
Matrix columns_with_target(const Dataset& d) {
  Matrix cols;
  for (size_t j = 0; j < d.cols(); ++j) cols.push_back(column(d, j));
  cols.push_back(d.y);
  return cols;
}

Matrix correlation_matrix(const Matrix& cols) {
  const size_t m = cols.size();
  Matrix r(m, std::vector<double>(m, 1.0));
  tbb::parallel_for(size_t{0}, m, [&](size_t a) {
    for (size_t b = a + 1; b < m; ++b) {
      const double v = pearson(cols[a], cols[b]);
      r[a][b] = r[b][a] = v;
    }
  });
  return r;
}

// Indices sorted by descending score (NaN last), ties by index.
std::vector<size_t> order_desc(const std::vector<double>& score) {
  std::vector<size_t> o(score.size());
  std::iota(o.begin(), o.end(), 0);
  std::stable_sort(o.begin(), o.end(), [&](size_t a, size_t b) {
    const double sa = std::isfinite(score[a]) ? score[a] : -INFINITY;
    const double sb = std::isfinite(score[b]) ? score[b] : -INFINITY;
    return sa > sb;
  });
  return o;
}

json ranking_json(const Dataset& d, const std::vector<double>& score) {
  json out = json::array();
  for (size_t j : order_desc(score)) out.push_back({{"feature", d.features[j]}, {"score", score[j]}});
  return out;
}

json matrix_json(const Matrix& m) {
  json out = json::array();
  for (const auto& row : m) {
    json r = json::array();
    for (double v : row) r.push_back(std::isfinite(v) ? json(v) : json(nullptr));
    out.push_back(r);
  }
  return out;
}

std::string fmt(double v, int prec = 4) {
  if (!std::isfinite(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", prec, v);
  return buf;
}

}  // namespace

Result<Report> analyze(const store::FrameTable& t, const AnalysisOptions& o, const std::string& out_dir) {
  return guard([&]() -> Report {
    const auto t0 = std::chrono::steady_clock::now();
    auto note = [&](const std::string& s) {
      if (o.progress) o.progress(s);
    };
    const Dataset d = unwrap(make_dataset(t, o.data));
    const size_t n = d.rows(), p = d.cols();
    const int threads = o.threads > 0 ? o.threads : static_cast<int>(tbb::info::default_concurrency());
    tbb::task_arena arena(threads);
    std::filesystem::create_directories(out_dir);
    json rep;
    rep["vqfuse_version"] = VQFUSE_VERSION;
    rep["dataset"] = {{"target", d.target},
                      {"level", d.level},
                      {"group", d.group_by},
                      {"rows_in", d.rows_in},
                      {"rows_dropped_missing", d.rows_dropped},
                      {"rows", n},
                      {"groups", d.group_names.size()},
                      {"features", d.features},
                      {"constant_excluded", d.constant_excluded}};
    rep["parameters"] = {{"seed", o.seed}, {"folds", o.folds}, {"mi_k", o.mi_k}, {"mi_max_rows", o.mi_max_rows},
                         {"tree_max_rows", o.tree_max_rows}, {"shap_max_rows", o.shap_max_rows},
                         {"redundant_threshold", o.redundant_threshold}};
    if (d.group_names.size() < 2)
      throw Error(Errc::kInvalidArgument, "grouped cross-validation needs at least 2 groups, the data has 1", "", -1, "--group");
    const int k = std::min(o.folds, static_cast<int>(d.group_names.size()));
    const std::vector<int> fold_of_group = group_kfold(d.group, static_cast<int>(d.group_names.size()), k);
    std::vector<int> fold(n);
    for (size_t i = 0; i < n; ++i) fold[i] = fold_of_group[static_cast<size_t>(d.group[i])];

    json timing;
    auto lap = [&, last = std::chrono::steady_clock::now()](const char* what) mutable {
      const auto now = std::chrono::steady_clock::now();
      timing[what] = std::chrono::duration<double>(now - last).count();
      last = now;
    };
    std::vector<std::string> labels = d.features;
    labels.push_back(d.target + " (target)");

    // 1. Correlations.
    note("correlation");
    Matrix cols = columns_with_target(d);
    Matrix pear, spear;
    arena.execute([&] {
      pear = correlation_matrix(cols);
      Matrix rk(cols.size());
      tbb::parallel_for(size_t{0}, cols.size(), [&](size_t j) { rk[j] = ranks(cols[j]); });
      spear = correlation_matrix(rk);
    });
    json redundant = json::array();
    for (size_t a = 0; a < p; ++a)
      for (size_t b = a + 1; b < p; ++b)
        if (std::fabs(pear[a][b]) >= o.redundant_threshold)
          redundant.push_back({{"a", d.features[a]}, {"b", d.features[b]}, {"pearson", pear[a][b]}});
    std::sort(redundant.begin(), redundant.end(), [](const json& x, const json& y) {
      return std::fabs(x["pearson"].get<double>()) > std::fabs(y["pearson"].get<double>());
    });
    std::vector<double> pear_t(p), spear_t(p);
    for (size_t j = 0; j < p; ++j) {
      pear_t[j] = std::fabs(pear[j][p]);
      spear_t[j] = std::fabs(spear[j][p]);
    }
    rep["correlation"] = {{"labels", labels}, {"pearson", matrix_json(pear)}, {"spearman", matrix_json(spear)},
                          {"redundant_pairs", redundant}};
    unwrap(write_heatmap(out_dir + "/heatmap.png", {"Pearson correlation (" + std::to_string(n) + " rows)", labels,
                                                    pear, true, "Pearson r"}));
    lap("correlation");

    // 2. Mutual information (KSG), deterministic subsample.
    note("mutual information");
    const std::vector<size_t> mi_rows = sample_rows(n, static_cast<size_t>(o.mi_max_rows), o.seed + 101);
    Matrix mi_cols(p + 1);
    for (size_t j = 0; j <= p; ++j) {
      std::vector<double> v;
      for (size_t r : mi_rows) v.push_back(cols[j][r]);
      mi_cols[j] = prepare_mi_column(v, o.seed * 1000003 + j);
    }
    Matrix mi(p + 1, std::vector<double>(p + 1, std::nan("")));
    std::vector<std::pair<size_t, size_t>> pairs;
    for (size_t a = 0; a <= p; ++a)
      for (size_t b = a + 1; b <= p; ++b) pairs.emplace_back(a, b);
    arena.execute([&] {
      tbb::parallel_for(size_t{0}, pairs.size(), [&](size_t q) {
        const auto [a, b] = pairs[q];
        mi[a][b] = mi[b][a] = ksg_mi(mi_cols[a], mi_cols[b], o.mi_k);
      });
    });
    std::vector<double> mi_t(p);
    for (size_t j = 0; j < p; ++j) mi_t[j] = mi[j][p];
    rep["mutual_information"] = {{"estimator", "KSG-1, max-norm, k-d tree"}, {"k", o.mi_k},
                                 {"rows_used", mi_rows.size()}, {"subsampled", mi_rows.size() < n},
                                 {"units", "nats"}, {"labels", labels}, {"matrix", matrix_json(mi)},
                                 {"with_target", ranking_json(d, mi_t)}};
    unwrap(write_heatmap(out_dir + "/mi_heatmap.png",
                         {"Mutual information, KSG k=" + std::to_string(o.mi_k) + " (" + std::to_string(mi_rows.size()) + " rows)",
                          labels, mi, false, "MI (nats)"}));
    lap("mutual_information");

    // 3. LASSO on standardised features, group K-fold CV.
    note("lasso");
    Matrix z = d.x;
    std::vector<double> mu(p, 0), sd(p, 0);
    for (size_t j = 0; j < p; ++j) {
      mu[j] = mean(cols[j]);
      double ss = 0;
      for (double v : cols[j]) ss += (v - mu[j]) * (v - mu[j]);
      sd[j] = std::sqrt(ss / static_cast<double>(n));
    }
    for (auto& row : z)
      for (size_t j = 0; j < p; ++j) row[j] = (row[j] - mu[j]) / sd[j];
    const LassoResult lr = lasso_cv(z, d.y, fold, k);
    std::vector<double> lasso_score(p);
    for (size_t j = 0; j < p; ++j) lasso_score[j] = std::fabs(lr.coef_min[j]) + 1e-12 * lr.entry_alpha[j];
    json entry = json::array();
    for (int j : lr.entry_order) entry.push_back({{"feature", d.features[static_cast<size_t>(j)]}, {"alpha", lr.entry_alpha[static_cast<size_t>(j)]}});
    json coefs = json::object();
    for (size_t j = 0; j < p; ++j) coefs[d.features[j]] = {{"min", lr.coef_min[j]}, {"one_se", lr.coef_1se[j]}};
    rep["lasso"] = {{"folds", k}, {"alpha_min", lr.alphas[lr.best]}, {"alpha_1se", lr.alphas[lr.best_1se]},
                    {"cv_mse_min", lr.mean_mse[lr.best]}, {"coefficients", coefs}, {"entry_order", entry},
                    {"ranking", ranking_json(d, lasso_score)}};
    lap("lasso");

    // 4. Random forest (gain) and permutation importance on held-out groups (fold 0).
    note("random forest");
    TreeParams tp{threads, o.seed};
    const std::vector<size_t> tree_rows = sample_rows(n, static_cast<size_t>(o.tree_max_rows), o.seed + 202);
    Booster rf = unwrap(Booster::train(d.x, d.y, tree_rows, forest_params(tp, p), 1));
    std::vector<double> gain = rf.importance("total_gain", p);
    const double gsum = std::accumulate(gain.begin(), gain.end(), 0.0);
    for (double& g : gain) g = gsum > 0 ? g / gsum : 0;
    std::vector<size_t> train_rows, held_rows;
    for (size_t r : tree_rows) (fold[r] == 0 ? held_rows : train_rows).push_back(r);
    Booster rf_held = unwrap(Booster::train(d.x, d.y, train_rows, forest_params(tp, p), 1));
    const std::vector<double> base_pred = rf_held.predict(d.x, held_rows);
    std::vector<double> held_y;
    for (size_t r : held_rows) held_y.push_back(d.y[r]);
    const double base_mse = std::pow(rmse(base_pred, held_y), 2);
    std::vector<double> perm(p, 0.0);
    Matrix xp = d.x;
    for (size_t j = 0; j < p; ++j) {
      std::vector<size_t> shuffled = held_rows;
      std::mt19937_64 rng(o.seed * 7919 + j);
      for (size_t i = shuffled.size(); i > 1; --i)
        std::swap(shuffled[i - 1], shuffled[static_cast<size_t>(uniform01(rng) * static_cast<double>(i))]);
      for (size_t i = 0; i < held_rows.size(); ++i) xp[held_rows[i]][j] = d.x[shuffled[i]][j];
      const std::vector<double> pred = rf_held.predict(xp, held_rows);
      perm[j] = std::pow(rmse(pred, held_y), 2) - base_mse;
      for (size_t r : held_rows) xp[r][j] = d.x[r][j];
    }
    std::vector<std::string> held_groups;
    for (size_t g = 0; g < d.group_names.size(); ++g)
      if (fold_of_group[g] == 0) held_groups.push_back(d.group_names[g]);
    rep["random_forest"] = {{"trees", kForestTrees}, {"rows_used", tree_rows.size()}, {"gain", ranking_json(d, gain)},
                            {"permutation", {{"held_out_groups", held_groups}, {"baseline_mse", base_mse},
                                             {"mse_increase", ranking_json(d, perm)}}}};
    lap("random_forest");

    // 5. SHAP of a gradient-boosted model, and its held-out PLCC.
    note("shap");
    Booster gb = unwrap(Booster::train(d.x, d.y, tree_rows, boosting_params(tp), kBoostRounds));
    const std::vector<size_t> shap_rows = sample_rows(n, static_cast<size_t>(o.shap_max_rows), o.seed + 303);
    const Matrix contrib = gb.contributions(d.x, shap_rows);
    const std::vector<double> margin = gb.predict(d.x, shap_rows);
    std::vector<double> shap(p, 0.0);
    double worst_identity = 0;
    for (size_t i = 0; i < shap_rows.size(); ++i) {
      double s = 0;
      for (size_t j = 0; j <= p; ++j) s += contrib[i][j];
      worst_identity = std::max(worst_identity, std::fabs(s - margin[i]));
      for (size_t j = 0; j < p; ++j) shap[j] += std::fabs(contrib[i][j]);
    }
    for (double& s : shap) s /= static_cast<double>(shap_rows.size());
    std::vector<double> oof(n, std::nan(""));
    for (int f = 0; f < k; ++f) {
      std::vector<size_t> tr, te;
      for (size_t r : tree_rows)
        if (fold[r] != f) tr.push_back(r);
      for (size_t r = 0; r < n; ++r)
        if (fold[r] == f) te.push_back(r);
      Booster m = unwrap(Booster::train(d.x, d.y, tr, boosting_params(tp), kBoostRounds));
      const std::vector<double> pr = m.predict(d.x, te);
      for (size_t i = 0; i < te.size(); ++i) oof[te[i]] = pr[i];
    }
    const double plcc = pearson(oof, d.y), srocc = spearman(oof, d.y);
    rep["shap"] = {{"model", "xgboost gbtree, " + std::to_string(kBoostRounds) + " rounds, depth 6, eta 0.1"}, {"rows_explained", shap_rows.size()},
                   {"max_additivity_error", worst_identity}, {"mean_abs_shap", ranking_json(d, shap)},
                   {"heldout_plcc", plcc}, {"heldout_srocc", srocc}, {"heldout_rmse", rmse(oof, d.y)}};
    lap("shap");

    // 6. Consensus.
    auto rank_of = [&](const std::vector<double>& score) {
      std::vector<double> r(p);
      const auto o2 = order_desc(score);
      for (size_t i = 0; i < o2.size(); ++i) r[o2[i]] = static_cast<double>(i + 1);
      return r;
    };
    const auto rl = rank_of(lasso_score), rr = rank_of(gain), rs = rank_of(shap);
    std::vector<double> consensus(p);
    for (size_t j = 0; j < p; ++j) consensus[j] = -(rl[j] + rr[j] + rs[j]) / 3.0;
    const std::vector<std::string> canon = canonical_features(d.features);
    const std::set<std::string> canon_set(canon.begin(), canon.end());
    json top_all = json::array();
    for (size_t j = 0; j < p; ++j)
      if (rl[j] <= 10 && rr[j] <= 10 && rs[j] <= 10) top_all.push_back(d.features[j]);
    json ranking = json::array(), beyond = json::array();
    for (size_t j : order_desc(consensus)) {
      ranking.push_back({{"feature", d.features[j]}, {"mean_rank", -consensus[j]}, {"lasso", rl[j]}, {"forest", rr[j]},
                         {"shap", rs[j]}, {"canonical", canon_set.count(d.features[j]) > 0}});
      if (!canon_set.count(d.features[j])) beyond.push_back(d.features[j]);
    }
    json topk = json::object();
    for (int kk : {2, 4, 6, 12}) {
      json list = json::array();
      for (int i = 0; i < kk && i < static_cast<int>(beyond.size()); ++i) list.push_back(beyond[static_cast<size_t>(i)]);
      topk[std::to_string(kk)] = list;
    }
    json cons = {{"target", d.target}, {"level", d.level}, {"canonical", canon}, {"ranking", ranking},
                 {"top10_in_lasso_forest_shap", top_all}, {"beyond_canonical", beyond}, {"topk", topk}};
    rep["consensus"] = cons;

    // Report files.
    Report out;
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    timing["total"] = out.seconds;
    out.json = rep.dump(2) + "\n";
    out.consensus = cons.dump(2) + "\n";
    std::string md = "# vqfuse analysis: target `" + d.target + "`\n\n";
    md += "Rows: " + std::to_string(n) + " (" + d.level + " level, " + std::to_string(d.rows_in) + " in, " +
          std::to_string(d.rows_dropped) + " dropped for missing values), " + std::to_string(d.group_names.size()) +
          " groups by `" + d.group_by + "`, " + std::to_string(k) + "-fold group CV, seed " + std::to_string(o.seed) + ".\n";
    if (!d.constant_excluded.empty()) {
      md += "Constant columns excluded:";
      for (const auto& c : d.constant_excluded) md += " `" + c + "`";
      md += ".\n";
    }
    md += "\n![Pearson heatmap](heatmap.png)\n\n## Correlation with the target\n\n| feature | Pearson | Spearman | MI (nats) |\n|---|---|---|---|\n";
    for (size_t j : order_desc(pear_t))
      md += "| `" + d.features[j] + "` | " + fmt(pear[j][p]) + " | " + fmt(spear[j][p]) + " | " + fmt(mi_t[j]) + " |\n";
    md += "\n## Redundant pairs (|r| >= " + fmt(o.redundant_threshold, 2) + ")\n\n";
    if (redundant.empty()) md += "None.\n";
    for (const auto& r : redundant)
      md += "- `" + r["a"].get<std::string>() + "` ~ `" + r["b"].get<std::string>() + "`: r = " + fmt(r["pearson"].get<double>()) + "\n";
    md += "\n## Mutual information\n\nKSG estimator, k = " + std::to_string(o.mi_k) + ", on " + std::to_string(mi_rows.size()) +
          " rows" + (mi_rows.size() < n ? " (deterministic subsample)" : "") + ".\n\n![MI heatmap](mi_heatmap.png)\n";
    md += "\n## LASSO (standardised features)\n\nalpha_min = " + fmt(lr.alphas[lr.best], 6) + ", alpha_1se = " +
          fmt(lr.alphas[lr.best_1se], 6) + ". Entry order along the path:";
    for (int j : lr.entry_order) md += " `" + d.features[static_cast<size_t>(j)] + "`";
    md += "\n\n| feature | coef (min) | coef (1se) |\n|---|---|---|\n";
    for (size_t j : order_desc(lasso_score))
      md += "| `" + d.features[j] + "` | " + fmt(lr.coef_min[j]) + " | " + fmt(lr.coef_1se[j]) + " |\n";
    md += "\n## Random forest and SHAP\n\nGradient-boosted model held-out PLCC " + fmt(plcc) + ", SROCC " + fmt(srocc) +
          " (group CV).\n\n| feature | RF gain | permutation dMSE | mean abs SHAP |\n|---|---|---|---|\n";
    for (size_t j : order_desc(shap))
      md += "| `" + d.features[j] + "` | " + fmt(gain[j]) + " | " + fmt(perm[j], 6) + " | " + fmt(shap[j], 6) + " |\n";
    md += "\n## Consensus\n\nMean rank over LASSO, random forest and SHAP. In the top 10 of all three:";
    for (const auto& f : top_all) md += " `" + f.get<std::string>() + "`";
    md += "\n\n| rank | feature | mean rank | canonical |\n|---|---|---|---|\n";
    for (size_t i = 0; i < ranking.size(); ++i)
      md += "| " + std::to_string(i + 1) + " | `" + ranking[i]["feature"].get<std::string>() + "` | " +
            fmt(ranking[i]["mean_rank"].get<double>(), 2) + " | " + (ranking[i]["canonical"].get<bool>() ? "yes" : "") + " |\n";
    md += "\nTop-K beyond the canonical six (consensus.json, read by `vqfuse sweep`):\n\n";
    for (int kk : {2, 4, 6, 12}) {
      md += "- K = " + std::to_string(kk) + ":";
      for (const auto& f : topk[std::to_string(kk)]) md += " `" + f.get<std::string>() + "`";
      md += "\n";
    }
    out.markdown = md;
    unwrap(io::write_file_atomic(out_dir + "/report.json", out.json));
    unwrap(io::write_file_atomic(out_dir + "/report.md", out.markdown));
    unwrap(io::write_file_atomic(out_dir + "/consensus.json", out.consensus));
    // Wall times vary from run to run: kept out of report.json so that a seed gives one report.
    unwrap(io::write_file_atomic(out_dir + "/timing.json", timing.dump(2) + "\n"));
    return out;
  });
}

}  // namespace vqfuse::analysis
