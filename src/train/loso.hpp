// Leave-one-source-out (or group K-fold) evaluation of tiny MLPs, multi-seed, with PLCC / SROCC
// / RMSE per frame and per clip (pooled means) and per failure mode.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "train/mlp.hpp"
#include "vqfuse/analysis.hpp"

namespace vqfuse::train {

struct Metrics {
  double plcc = 0, srocc = 0, rmse = 0;
  int64_t n = 0;
};
Metrics metrics(const std::vector<double>& pred, const std::vector<double>& target);

struct FoldResult {
  std::string held_out;  // group name(s)
  Metrics frame, clip;
  int epochs = 0;
};

struct SeedResult {
  uint64_t seed = 0;
  std::vector<FoldResult> folds;
  std::vector<double> oof;  // out-of-fold prediction per dataset row
  Metrics frame_pooled, clip_pooled;
  std::map<std::string, Metrics> by_failure_mode;  // on out-of-fold predictions
};

struct Summary {
  double mean = 0, std = 0;
};
struct CvResult {
  std::vector<SeedResult> seeds;
  // Mean over folds per seed, then mean +- std over seeds.
  Summary plcc, srocc, rmse, clip_plcc, clip_srocc, clip_rmse;
  std::map<std::string, Summary> failure_plcc, failure_rmse;
  std::string validation;  // "loso:source_id" ...
  int folds = 0;
  double seconds = 0;  // wall time of the cross-validation (all folds and seeds)
};

struct CvConfig {
  TrainOptions opt;
  std::vector<uint64_t> seeds = {0};
  std::string validation = "loso";  // "loso" (one fold per group) or "kfold:K"
  int threads = 0;
};

Result<CvResult> cross_validate(const analysis::Dataset& d, const CvConfig& cfg);

// The final model: trained on every row (early stopping on a group split of the training data).
Mlp train_final(const analysis::Dataset& d, const TrainOptions& opt, uint64_t seed, int* epochs = nullptr);

}  // namespace vqfuse::train
