// Training entry points shared by `vqfuse train` and `vqfuse sweep`: feature-subset resolution
// (canonical, full, topk:K from an analysis consensus file, lists), one trained+exported model,
// and the research grid with its Pareto front and failure-mode table.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "train/loso.hpp"
#include "vqfuse/analysis.hpp"

namespace vqfuse::train {

// "canonical", "full", "topk:K" (canonical plus the top K of consensus.json), or "a,b,c".
Result<std::string> resolve_features(const std::string& spec, const store::FrameTable& t, const std::string& target,
                                     const std::string& consensus_path);

struct TrainRequest {
  analysis::DatasetOptions data;  // target, group, features (resolved list), level
  std::string feature_spec;       // as given (for the sidecar's feature_set)
  std::string arch = "mlp_small";
  CvConfig cv;
  std::string data_description;   // "--store x.sqlite"
  std::string model_id;
};

struct TrainOutcome {
  CvResult cv;
  std::vector<std::string> features;
  size_t n_params = 0;
  size_t onnx_bytes = 0;
  int64_t rows = 0, groups = 0;
};

// Cross-validates, trains the final model on every row, writes MODEL.onnx + MODEL.json.
Result<TrainOutcome> train_and_export(const store::FrameTable& t, const TrainRequest& r, const std::string& onnx_path);

// JSON of a CV result (metrics per fold and seed, summaries).
std::string cv_json(const CvResult& r);

struct SweepRequest {
  analysis::DatasetOptions data;
  std::string consensus_path;
  std::vector<int> ks = {2, 4, 6, 12};
  std::vector<std::string> archs = {"mlp_small", "mlp_medium", "mlp_large"};
  CvConfig cv;
  std::map<std::string, double> extractor_cost_ms;  // per extractor name, ms/frame (1080p)
  std::function<void(const std::string&)> progress;
};

// Runs the grid and writes results.{json,csv,md} into out_dir.
Result<void> sweep(const store::FrameTable& t, const SweepRequest& r, const std::string& out_dir);

}  // namespace vqfuse::train
