// LASSO on standardised features: coordinate descent along an alpha path with warm starts,
// K-fold cross-validation grouped by source, alpha chosen by minimum mean CV error and by the
// one-standard-error rule, and the order in which features enter the path.
//
// Objective as scikit-learn's Lasso: 1/(2n) |y - Xw - b|^2 + alpha |w|_1, intercept fitted by
// centring each training fold; alphas: 100 log-spaced values from alpha_max = max|X'y|/n down
// to 1e-3 alpha_max.
#pragma once

#include <cstddef>
#include <vector>

namespace vqfuse::analysis {

struct LassoResult {
  std::vector<double> alphas;           // descending
  std::vector<double> mean_mse;         // per alpha
  std::vector<double> se_mse;           // standard error over folds per alpha
  size_t best = 0, best_1se = 0;        // indices into alphas
  std::vector<double> coef_min;         // refit on all rows at alphas[best]
  std::vector<double> coef_1se;         // refit on all rows at alphas[best_1se]
  std::vector<int> entry_order;         // features in the order they leave zero on the full path
  std::vector<double> entry_alpha;      // per feature: largest alpha where it is non-zero (0: never)
};

// x: standardised [row][feature]; fold_of_row: 0..k-1.
LassoResult lasso_cv(const std::vector<std::vector<double>>& x, const std::vector<double>& y,
                     const std::vector<int>& fold_of_row, int k, int n_alphas = 100, double eps = 1e-3,
                     double tol = 1e-10);

// One fit (for tests): coefficients and intercept at alpha.
std::vector<double> lasso_fit(const std::vector<std::vector<double>>& x, const std::vector<double>& y,
                              double alpha, double* intercept, double tol = 1e-10);

}  // namespace vqfuse::analysis
