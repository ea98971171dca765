// Tree-ensemble importances through the XGBoost C API (libxgboost-dev):
//  - random forest (XGBoost's random-forest mode: one round of num_parallel_tree trees,
//    learning rate 1, row subsampling without replacement, per-node column sampling):
//    total-gain importance, and permutation importance measured on held-out groups;
//  - gradient-boosted trees: exact TreeSHAP contributions (pred_contribs), mean |SHAP| per
//    feature, and the held-out (group K-fold) PLCC of the boosted model.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vqfuse/error.hpp"

namespace vqfuse::analysis {

struct TreeParams {
  int threads = 1;
  uint64_t seed = 0;
};

class Booster {
 public:
  // Trains on rows of x (float32 copies) with the given XGBoost parameters and rounds.
  static Result<Booster> train(const std::vector<std::vector<double>>& x, const std::vector<double>& y,
                               const std::vector<size_t>& rows,
                               const std::vector<std::pair<std::string, std::string>>& params, int rounds);
  Booster(Booster&& o) noexcept;
  Booster& operator=(Booster&& o) noexcept;
  ~Booster();

  std::vector<double> predict(const std::vector<std::vector<double>>& x, const std::vector<size_t>& rows) const;
  // Per row: n_features contributions then the bias (rows x (p+1)).
  std::vector<std::vector<double>> contributions(const std::vector<std::vector<double>>& x,
                                                 const std::vector<size_t>& rows) const;
  // Importance of each feature ("total_gain", "gain", "weight" ...); absent features are 0.
  std::vector<double> importance(const std::string& type, size_t n_features) const;
  std::string save_json() const;

 private:
  Booster() = default;
  void* handle_ = nullptr;
};

std::vector<std::pair<std::string, std::string>> forest_params(const TreeParams& t, size_t n_features);
std::vector<std::pair<std::string, std::string>> boosting_params(const TreeParams& t);
inline constexpr int kBoostRounds = 120;
inline constexpr int kForestTrees = 60;

}  // namespace vqfuse::analysis
