#include "train/loso.hpp"

#include <chrono>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>

#include "analysis/stats.hpp"

namespace vqfuse::train {
namespace {

Summary summarize(const std::vector<double>& v) {
  Summary s;
  if (v.empty()) return s;
  s.mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  double ss = 0;
  for (double x : v) ss += (x - s.mean) * (x - s.mean);
  s.std = v.size() > 1 ? std::sqrt(ss / static_cast<double>(v.size() - 1)) : 0.0;
  return s;
}

// Rows of the given row indices as a flat float matrix.
std::vector<float> gather(const analysis::Dataset& d, const std::vector<size_t>& rows, std::vector<float>* y) {
  const size_t k = d.cols();
  std::vector<float> x(rows.size() * k);
  if (y) y->resize(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    for (size_t j = 0; j < k; ++j) x[i * k + j] = static_cast<float>(d.x[rows[i]][j]);
    if (y) (*y)[i] = static_cast<float>(d.y[rows[i]]);
  }
  return x;
}

// Early-stopping split from the training rows only: ~15% of their groups (at least one) when
// there are 3 or more, else 10% of the rows.
void split_validation(const analysis::Dataset& d, const std::vector<size_t>& train, uint64_t seed,
                      std::vector<size_t>& fit, std::vector<size_t>& val) {
  std::vector<int> groups;
  for (size_t r : train) groups.push_back(d.group[r]);
  std::sort(groups.begin(), groups.end());
  groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
  std::mt19937_64 rng(seed * 31 + 17);
  if (groups.size() >= 3) {
    for (size_t i = groups.size(); i > 1; --i)
      std::swap(groups[i - 1], groups[static_cast<size_t>(analysis::uniform01(rng) * static_cast<double>(i))]);
    const size_t nval = std::max<size_t>(1, groups.size() * 15 / 100);
    std::vector<char> is_val(d.group_names.size(), 0);
    for (size_t i = 0; i < nval; ++i) is_val[static_cast<size_t>(groups[i])] = 1;
    for (size_t r : train) (is_val[static_cast<size_t>(d.group[r])] ? val : fit).push_back(r);
  } else {
    for (size_t r : train) (analysis::uniform01(rng) < 0.1 ? val : fit).push_back(r);
  }
  if (fit.empty()) std::swap(fit, val);
}

Metrics clip_metrics(const analysis::Dataset& d, const std::vector<size_t>& rows, const std::vector<double>& pred) {
  std::map<std::string, std::pair<double, double>> sum;
  std::map<std::string, int64_t> cnt;
  for (size_t i = 0; i < rows.size(); ++i) {
    auto& s = sum[d.clip_id[rows[i]]];
    s.first += pred[i];
    s.second += d.y[rows[i]];
    ++cnt[d.clip_id[rows[i]]];
  }
  std::vector<double> p, t;
  for (const auto& [clip, s] : sum) {
    p.push_back(s.first / static_cast<double>(cnt[clip]));
    t.push_back(s.second / static_cast<double>(cnt[clip]));
  }
  return metrics(p, t);
}

}  // namespace

Metrics metrics(const std::vector<double>& pred, const std::vector<double>& target) {
  Metrics m;
  m.n = static_cast<int64_t>(pred.size());
  if (pred.size() < 2) return {std::nan(""), std::nan(""), pred.empty() ? std::nan("") : analysis::rmse(pred, target), m.n};
  m.plcc = analysis::pearson(pred, target);
  m.srocc = analysis::spearman(pred, target);
  m.rmse = analysis::rmse(pred, target);
  return m;
}

Mlp train_final(const analysis::Dataset& d, const TrainOptions& opt, uint64_t seed, int* epochs) {
  std::vector<size_t> all(d.rows()), fit, val;
  std::iota(all.begin(), all.end(), 0);
  split_validation(d, all, seed, fit, val);
  std::vector<float> yf, yv;
  const std::vector<float> xf = gather(d, fit, &yf), xv = gather(d, val, &yv);
  TrainOptions o = opt;
  o.seed = seed;
  return fit_mlp(xf, yf, fit.size(), d.cols(), xv, yv, val.size(), o, epochs);
}

Result<CvResult> cross_validate(const analysis::Dataset& d, const CvConfig& cfg) {
  const auto t0 = std::chrono::steady_clock::now();
  return guard([&]() -> CvResult {
    CvResult res;
    const int n_groups = static_cast<int>(d.group_names.size());
    std::vector<int> fold_of_group(static_cast<size_t>(n_groups));
    int k = n_groups;
    if (cfg.validation == "loso") {
      std::iota(fold_of_group.begin(), fold_of_group.end(), 0);
    } else if (cfg.validation.rfind("kfold:", 0) == 0) {
      k = std::stoi(cfg.validation.substr(6));
      if (k < 2 || k > n_groups)
        throw Error(Errc::kInvalidArgument, "kfold needs 2 <= K <= groups (" + std::to_string(n_groups) + ")", "", -1, "--val");
      fold_of_group = analysis::group_kfold(d.group, n_groups, k);
    } else {
      throw Error(Errc::kInvalidArgument, "expected loso:GROUP or kfold:K, got '" + cfg.validation + "'", "", -1, "--val");
    }
    if (n_groups < 2) throw Error(Errc::kInvalidArgument, "cross-validation needs at least 2 groups", "", -1, "--val");
    res.folds = k;
    res.validation = cfg.validation;
    const size_t n = d.rows();
    std::vector<int> fold(n);
    for (size_t i = 0; i < n; ++i) fold[i] = fold_of_group[static_cast<size_t>(d.group[i])];
    res.seeds.resize(cfg.seeds.size());
    for (size_t s = 0; s < cfg.seeds.size(); ++s) {
      res.seeds[s].seed = cfg.seeds[s];
      res.seeds[s].folds.resize(static_cast<size_t>(k));
      res.seeds[s].oof.assign(n, std::nan(""));
    }
    // Every (seed, fold) trains independently: any thread count gives the same numbers.
    const int threads = cfg.threads > 0 ? cfg.threads : static_cast<int>(tbb::info::default_concurrency());
    tbb::task_arena arena(threads);
    arena.execute([&] {
      tbb::parallel_for(size_t{0}, cfg.seeds.size() * static_cast<size_t>(k), [&](size_t job) {
        const size_t s = job / static_cast<size_t>(k);
        const int f = static_cast<int>(job % static_cast<size_t>(k));
        std::vector<size_t> train, test, fit, val;
        for (size_t i = 0; i < n; ++i) (fold[i] == f ? test : train).push_back(i);
        const uint64_t seed = cfg.seeds[s] * 1000 + static_cast<uint64_t>(f);
        split_validation(d, train, seed, fit, val);
        std::vector<float> yf, yv;
        const auto xf = gather(d, fit, &yf), xv = gather(d, val, &yv), xt = gather(d, test, nullptr);
        TrainOptions o = cfg.opt;
        o.seed = seed;
        FoldResult& fr = res.seeds[s].folds[static_cast<size_t>(f)];
        const Mlp m = fit_mlp(xf, yf, fit.size(), d.cols(), xv, yv, val.size(), o, &fr.epochs);
        const std::vector<float> pf = m.predict(xt, test.size());
        std::vector<double> pred(pf.begin(), pf.end()), target;
        for (size_t i : test) target.push_back(d.y[i]);
        for (size_t i = 0; i < test.size(); ++i) res.seeds[s].oof[test[i]] = pred[i];
        fr.frame = metrics(pred, target);
        fr.clip = clip_metrics(d, test, pred);
        for (int g = 0; g < n_groups; ++g)
          if (fold_of_group[static_cast<size_t>(g)] == f) fr.held_out += (fr.held_out.empty() ? "" : "+") + d.group_names[static_cast<size_t>(g)];
      });
    });
    std::vector<double> plcc, srocc, rmse, cplcc, csrocc, crmse;
    std::map<std::string, std::vector<double>> fm_plcc, fm_rmse;
    for (SeedResult& sr : res.seeds) {
      std::vector<double> a, b, c, e, f2, g;
      for (const FoldResult& fr : sr.folds) {
        a.push_back(fr.frame.plcc);
        b.push_back(fr.frame.srocc);
        c.push_back(fr.frame.rmse);
        e.push_back(fr.clip.plcc);
        f2.push_back(fr.clip.srocc);
        g.push_back(fr.clip.rmse);
      }
      // Folds with a single clip have no clip-level correlation: left out of that mean.
      auto finite_mean = [](const std::vector<double>& v) {
        double s = 0;
        int cnt = 0;
        for (double x : v)
          if (std::isfinite(x)) s += x, ++cnt;
        return cnt ? s / cnt : std::nan("");
      };
      plcc.push_back(finite_mean(a));
      srocc.push_back(finite_mean(b));
      rmse.push_back(finite_mean(c));
      cplcc.push_back(finite_mean(e));
      csrocc.push_back(finite_mean(f2));
      crmse.push_back(finite_mean(g));
      std::vector<size_t> all(n);
      std::iota(all.begin(), all.end(), 0);
      sr.frame_pooled = metrics(sr.oof, d.y);
      sr.clip_pooled = clip_metrics(d, all, sr.oof);
      std::map<std::string, std::pair<std::vector<double>, std::vector<double>>> by_mode;
      for (size_t i = 0; i < n; ++i)
        if (!d.failure_mode[i].empty()) {
          by_mode[d.failure_mode[i]].first.push_back(sr.oof[i]);
          by_mode[d.failure_mode[i]].second.push_back(d.y[i]);
        }
      for (const auto& [mode, pt] : by_mode) {
        sr.by_failure_mode[mode] = metrics(pt.first, pt.second);
        fm_plcc[mode].push_back(sr.by_failure_mode[mode].plcc);
        fm_rmse[mode].push_back(sr.by_failure_mode[mode].rmse);
      }
    }
    res.plcc = summarize(plcc);
    res.srocc = summarize(srocc);
    res.rmse = summarize(rmse);
    res.clip_plcc = summarize(cplcc);
    res.clip_srocc = summarize(csrocc);
    res.clip_rmse = summarize(crmse);
    for (const auto& [mode, v] : fm_plcc) res.failure_plcc[mode] = summarize(v);
    for (const auto& [mode, v] : fm_rmse) res.failure_rmse[mode] = summarize(v);
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return res;
  });
}

}  // namespace vqfuse::train
