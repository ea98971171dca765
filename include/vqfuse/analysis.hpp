// Feature analysis: which features carry signal the canonical six miss.
//
// Pearson/Spearman matrices and redundant pairs, Kraskov (KSG) mutual information, LASSO with
// group K-fold CV, random-forest and permutation importance and SHAP (XGBoost), and a consensus
// ranking that `vqfuse sweep` reads.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "vqfuse/error.hpp"
#include "vqfuse/store.hpp"

namespace vqfuse::analysis {

struct DatasetOptions {
  std::string target = "vmaf";        // a feature column or a per-clip attribute (mos)
  std::string group = "source_id";    // source_id | clip_id | failure_mode
  std::string features;               // "" (registry analysis columns), "full", "canonical", "a,b,c"
  std::string level;                  // "frame" | "clip" | "" (clip for per-clip targets)
  bool drop_missing = true;           // rows with a missing value: drop (counted) or error
};

// The numeric problem: rows x features, a target, and a group per row.
struct Dataset {
  std::vector<std::string> features;
  std::vector<std::vector<double>> x;  // [row][feature]
  std::vector<double> y;
  std::vector<int> group;              // group index per row
  std::vector<std::string> group_names;
  std::vector<std::string> failure_mode;  // per row
  std::vector<std::string> clip_id;       // per row
  std::string target, level, group_by;
  int64_t rows_in = 0, rows_dropped = 0;
  std::vector<std::string> constant_excluded;
  size_t rows() const { return y.size(); }
  size_t cols() const { return features.size(); }
};

Result<Dataset> make_dataset(const store::FrameTable& t, const DatasetOptions& o);

// The canonical six of vmaf_v0.6.1 among a table's columns (integer names, or the float
// equivalents of an external table such as AVT-VQDB-UHD-1).
std::vector<std::string> canonical_features(const std::vector<std::string>& available);

struct AnalysisOptions {
  DatasetOptions data;
  uint64_t seed = 0;
  int folds = 5;            // group K-fold
  int mi_k = 3;
  int64_t mi_max_rows = 20000;    // deterministic subsample above this
  int64_t tree_max_rows = 30000;  // rows used to train forests/boosting (deterministic subsample)
  int64_t shap_max_rows = 5000;   // rows explained by TreeSHAP
  int threads = 0;
  double redundant_threshold = 0.95;
  std::function<void(const std::string&)> progress;
};

struct Report {
  std::string json;      // report.json content
  std::string markdown;  // report.md content
  std::string consensus; // consensus.json content (read by vqfuse sweep)
  double seconds = 0;
};

// Runs every analysis and writes report.json, report.md, heatmap.png, mi_heatmap.png and
// consensus.json into out_dir (created).
Result<Report> analyze(const store::FrameTable& t, const AnalysisOptions& o, const std::string& out_dir);

}  // namespace vqfuse::analysis
