#include "analysis/lasso.hpp"

#include <algorithm>
#include <cmath>

namespace vqfuse::analysis {
namespace {

double soft(double v, double a) { return v > a ? v - a : v < -a ? v + a : 0.0; }

// Sufficient statistics of a centred training set: G = X'X/n, q = X'y/n, and the means.
struct Gram {
  std::vector<double> g;  // p x p
  std::vector<double> q;
  std::vector<double> xmean;
  double ymean = 0;
  size_t p = 0;
};

Gram gram(const std::vector<std::vector<double>>& x, const std::vector<double>& y, const std::vector<char>& use) {
  Gram s;
  s.p = x.empty() ? 0 : x[0].size();
  const size_t p = s.p;
  s.xmean.assign(p, 0);
  double n = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    if (!use[i]) continue;
    for (size_t a = 0; a < p; ++a) s.xmean[a] += x[i][a];
    s.ymean += y[i];
    n += 1;
  }
  for (double& m : s.xmean) m /= n;
  s.ymean /= n;
  s.g.assign(p * p, 0);
  s.q.assign(p, 0);
  std::vector<double> c(p);
  for (size_t i = 0; i < x.size(); ++i) {
    if (!use[i]) continue;
    for (size_t a = 0; a < p; ++a) c[a] = x[i][a] - s.xmean[a];
    const double yc = y[i] - s.ymean;
    for (size_t a = 0; a < p; ++a) {
      s.q[a] += c[a] * yc;
      for (size_t b = a; b < p; ++b) s.g[a * p + b] += c[a] * c[b];
    }
  }
  for (size_t a = 0; a < p; ++a) {
    s.q[a] /= n;
    for (size_t b = a; b < p; ++b) {
      s.g[a * p + b] /= n;
      s.g[b * p + a] = s.g[a * p + b];
    }
  }
  return s;
}

// Cyclic coordinate descent with covariance updates, warm-started from w.
void descend(const Gram& s, double alpha, std::vector<double>& w, double tol) {
  const size_t p = s.p;
  for (int iter = 0; iter < 100000; ++iter) {
    double max_change = 0, max_w = 0;
    for (size_t j = 0; j < p; ++j) {
      const double gjj = s.g[j * p + j];
      if (gjj <= 0) continue;
      double rho = s.q[j];
      for (size_t k = 0; k < p; ++k)
        if (k != j) rho -= s.g[j * p + k] * w[k];
      const double nw = soft(rho, alpha) / gjj;
      max_change = std::max(max_change, std::fabs(nw - w[j]));
      w[j] = nw;
      max_w = std::max(max_w, std::fabs(nw));
    }
    if (max_change <= tol * std::max(max_w, 1e-300) || max_change == 0) break;
  }
}

}  // namespace

std::vector<double> lasso_fit(const std::vector<std::vector<double>>& x, const std::vector<double>& y, double alpha,
                              double* intercept, double tol) {
  const std::vector<char> all(x.size(), 1);
  const Gram s = gram(x, y, all);
  std::vector<double> w(s.p, 0.0);
  descend(s, alpha, w, tol);
  if (intercept) {
    double b = s.ymean;
    for (size_t j = 0; j < s.p; ++j) b -= s.xmean[j] * w[j];
    *intercept = b;
  }
  return w;
}

LassoResult lasso_cv(const std::vector<std::vector<double>>& x, const std::vector<double>& y,
                     const std::vector<int>& fold_of_row, int k, int n_alphas, double eps, double tol) {
  LassoResult r;
  const std::vector<char> all(x.size(), 1);
  const Gram full = gram(x, y, all);
  const size_t p = full.p;
  double amax = 0;
  for (double v : full.q) amax = std::max(amax, std::fabs(v));
  for (int i = 0; i < n_alphas; ++i) {
    const double e = std::log10(amax * eps) + (std::log10(amax) - std::log10(amax * eps)) *
                                                  static_cast<double>(n_alphas - 1 - i) / (n_alphas - 1);
    r.alphas.push_back(std::pow(10.0, e));
  }
  // Cross-validated error along the path.
  std::vector<std::vector<double>> mse(r.alphas.size(), std::vector<double>(static_cast<size_t>(k), 0.0));
  for (int f = 0; f < k; ++f) {
    std::vector<char> train(x.size());
    for (size_t i = 0; i < x.size(); ++i) train[i] = fold_of_row[i] != f;
    const Gram s = gram(x, y, train);
    std::vector<double> w(p, 0.0);
    for (size_t a = 0; a < r.alphas.size(); ++a) {
      descend(s, r.alphas[a], w, tol);
      double err = 0, n = 0;
      for (size_t i = 0; i < x.size(); ++i) {
        if (train[i]) continue;
        double pred = s.ymean;
        for (size_t j = 0; j < p; ++j) pred += (x[i][j] - s.xmean[j]) * w[j];
        err += (y[i] - pred) * (y[i] - pred);
        n += 1;
      }
      mse[a][static_cast<size_t>(f)] = n > 0 ? err / n : 0;
    }
  }
  for (const auto& m : mse) {
    double s = 0;
    for (double v : m) s += v;
    const double mu = s / k;
    double var = 0;
    for (double v : m) var += (v - mu) * (v - mu);
    r.mean_mse.push_back(mu);
    r.se_mse.push_back(std::sqrt(var / k) / std::sqrt(static_cast<double>(k)));
  }
  r.best = static_cast<size_t>(std::min_element(r.mean_mse.begin(), r.mean_mse.end()) - r.mean_mse.begin());
  const double bound = r.mean_mse[r.best] + r.se_mse[r.best];
  r.best_1se = r.best;
  for (size_t a = 0; a <= r.best; ++a)
    if (r.mean_mse[a] <= bound) {
      r.best_1se = a;  // the largest alpha within one standard error
      break;
    }
  // Full-data path: entry order, and the refits.
  std::vector<double> w(p, 0.0);
  r.entry_alpha.assign(p, 0.0);
  for (size_t a = 0; a < r.alphas.size(); ++a) {
    descend(full, r.alphas[a], w, tol);
    for (size_t j = 0; j < p; ++j)
      if (w[j] != 0 && r.entry_alpha[j] == 0) {
        r.entry_alpha[j] = r.alphas[a];
        r.entry_order.push_back(static_cast<int>(j));
      }
    if (a == r.best_1se) r.coef_1se = w;
    if (a == r.best) r.coef_min = w;
  }
  return r;
}

}  // namespace vqfuse::analysis
