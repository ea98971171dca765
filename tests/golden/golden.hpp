// Golden-test helper: runs vqfuse on a pair of ../shared/golden and compares chosen features,
// frame by frame and pooled, with the peer's output, reporting feature, frame, ours, golden and
// the difference. Used by every extractor's golden test and by tools/golden_diff.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "vqfuse/extract.hpp"
#include "vqfuse/features.hpp"

namespace vqfuse::golden {

// The six pairs (../shared/golden/README.md).
inline const std::vector<std::string> kPairs = {
    "p01_testsrc2_176x144_420p8",  "p02_mandelbrot_320x240_420p8", "p03_coffee_333x197_420p8",
    "p04_ladybird_640x360_420p8",  "p05_gradients_352x288_420p10", "p06_smptecell_320x180_444p8"};

// VQFUSE_GOLDEN_DIR, else <source>/../shared/golden. Empty when missing.
std::string golden_dir();
// True when the golden data is there; otherwise the caller should GTEST_SKIP (or fail under CI).
bool available();
std::string path(const std::string& pair, const std::string& suffix);  // NAME + suffix

// Runs vqfuse in-process on a pair.
struct RunOptions {
  std::vector<std::string> features;
  std::vector<std::string> models;
  bool no_prediction = true;
  int threads = 2;
  bool skip_unsupported = false;
};
FeatureMatrix run_pair(const std::string& pair, const RunOptions& opts);

// Which peer file a (pair, feature) is judged against, and an accepted alternative
// (tests/golden/expectations.cpp holds the documented exceptions).
struct Expectation {
  std::string file;         // "netflix_full.json", "fork.json"
  std::string alternative;  // "" or e.g. "netflix_c.json" (p06 integer_aim)
  std::string why;
};
Expectation expectation(const std::string& pair, const std::string& feature);

struct FeatureReport {
  std::string feature;
  std::string file;        // peer file compared with
  size_t frames = 0;
  double max_abs = 0;
  double max_rel = 0;
  int64_t worst_frame = -1;
  double ours = 0, golden = 0;  // at the worst frame
  bool pooled_ok = true;
  bool ok = true;
  std::string message;     // first failure, human-readable
};

// Compares `features` of `m` with the pair's golden values. A feature missing on either side is
// a failure. `tol` overrides the kFeatures tolerance.
FeatureReport compare_feature(const std::string& pair, const FeatureMatrix& m, const std::string& feature,
                              std::optional<Tolerance> tol = std::nullopt);

// Names present in a golden file for a pair (per-frame metrics of frame 0).
std::vector<std::string> golden_names(const std::string& pair, const std::string& file);

// gtest helper: EXPECTs every feature to match, printing a table of worst errors.
void expect_golden(const std::string& pair, const FeatureMatrix& m, const std::vector<std::string>& features,
                   std::optional<Tolerance> tol = std::nullopt);

}  // namespace vqfuse::golden
