// Feature extraction from a reference/distorted pair: one fused, multi-threaded pass.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "vqfuse/error.hpp"
#include "vqfuse/features.hpp"
#include "vqfuse/frame.hpp"

namespace vqfuse {

// What to read and what to compute. Strings follow libvmaf's CLI syntax.
struct ExtractConfig {
  std::string reference;
  std::string distorted;
  // Raw .yuv geometry (libvmaf -w -h -p -b); leave 0/empty for Y4M and containers.
  int width = 0;
  int height = 0;
  std::string pixel_format;
  int bit_depth = 0;

  std::vector<std::string> features;  // "--feature NAME[=opt=val:...]"
  std::string feature_set;            // "", "canonical", "full"
  std::vector<std::string> models;    // "--model version=vmaf_v0.6.1[:adm.debug=true]" / "path=F"
  bool no_prediction = false;         // -n: features only, no default model

  int threads = 0;  // 0: every core
  int subsample = 1;
  int64_t frame_cnt = -1;  // -1: all frames (then both inputs must have the same count)
  int64_t frame_skip_ref = 0;
  int64_t frame_skip_dist = 0;
  // A requested feature the input cannot give (size limit) is an error unless this is set;
  // then it is recorded in RunInfo::skipped and reported through `warn`.
  bool skip_unsupported = false;

  std::function<void(const std::string&)> warn;  // warnings (the library never prints)
  // Called in frame order after each frame: frames done, frames expected (-1 unknown).
  std::function<void(int64_t, int64_t)> progress;
};

struct Column {
  std::string name;  // JSON key, with libvmaf's option suffix ("integer_adm2_egl_1")
  FeatureId id;      // the kFeatures row
  bool aggregate = false;
};

struct SkippedFeature {
  std::string extractor;           // "float_ms_ssim"
  std::vector<std::string> names;  // the names it would have written
  std::string reason;              // "needs width and height >= 176, input is 176x144"
};

struct RunInfo {
  VideoInfo video;
  std::string reference;
  std::string distorted;
  std::vector<Column> columns;            // per-frame columns, in output order
  std::vector<Column> aggregate_columns;  // aggregate_metrics
  std::vector<SkippedFeature> skipped;
  std::string simd_target;
  int threads = 1;
};

struct Pooled {
  double min = 0, max = 0, mean = 0, harmonic_mean = 0;
};

// Time spent per frame in one extractor instance (summed over threads), or in the shared
// intermediates ("(intermediates)").
struct ExtractorTiming {
  std::string name;
  double ms_per_frame = 0;
};

struct RunSummary {
  int64_t frames = 0;              // rows written (after --subsample)
  double seconds = 0;              // wall time
  double fps = 0;                  // frames read / seconds
  std::vector<Pooled> pooled;      // per column of RunInfo::columns
  std::vector<double> aggregate;   // per column of RunInfo::aggregate_columns
  std::vector<ExtractorTiming> timing;
};

// Receives rows in frame order. Values are in RunInfo::columns order; NaN = not computed.
class FrameSink {
 public:
  virtual ~FrameSink() = default;
  virtual Result<void> begin(const RunInfo& info) { return {}; }
  virtual Result<void> frame(int64_t index, std::span<const double> values) = 0;
  virtual Result<void> end(const RunInfo& info, const RunSummary& summary) { return {}; }
};

// Collects everything in memory (tests, library users).
class FeatureMatrix final : public FrameSink {
 public:
  Result<void> begin(const RunInfo& info) override;
  Result<void> frame(int64_t index, std::span<const double> values) override;
  Result<void> end(const RunInfo& info, const RunSummary& summary) override;

  RunInfo info;
  RunSummary summary;
  std::vector<int64_t> frame_index;
  std::vector<std::vector<double>> rows;
  // Column index of a JSON name, or -1.
  int column(std::string_view name) const;
  double at(size_t row, std::string_view name) const;
};

// Runs the extraction; every sink sees begin, the rows, then end.
Result<RunSummary> extract(const ExtractConfig& config, std::span<FrameSink* const> sinks);

// Names and extractor names of the feature sets, for help and docs.
// "canonical": the vmaf_v0.6.1 model's six inputs plus vmaf; "full": every extractor.
std::vector<std::string> feature_set_extractors(std::string_view set);

}  // namespace vqfuse
