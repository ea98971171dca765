// The fused extraction engine: one decode per frame pair, shared intermediates, a task
// pipeline over frames (oneTBB) with in-frame parallelism, and in-order temporal steps.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "features/extractor.hpp"
#include "io/reader.hpp"
#include "vqfuse/extract.hpp"

namespace vqfuse::features {

// A model that scores complete rows (the VMAF SVM, an ONNX MLP). Implemented in src/model;
// the engine only knows this interface.
class RowModel {
 public:
  struct Input {
    Ext ext;          // the extractor that writes the feature
    Options options;  // its options (model overloads such as adm.debug=true)
    FeatureId feature;
  };
  virtual ~RowModel() = default;
  virtual const std::string& name() const = 0;  // output column ("vmaf")
  virtual const std::vector<Input>& inputs() const = 0;
  // Scores one frame; x holds the inputs() values in order.
  virtual double predict(std::span<const double> x) const = 0;
};

struct InstanceSpec {
  const ExtractorInfo* info = nullptr;
  Options options;
};

struct EngineConfig {
  std::vector<InstanceSpec> instances;
  std::vector<std::shared_ptr<const RowModel>> models;
  int threads = 0;
  int subsample = 1;
  int64_t frame_cnt = -1;
  int64_t frame_skip_ref = 0;
  int64_t frame_skip_dist = 0;
  bool skip_unsupported = false;
  std::function<void(const std::string&)> warn;
  std::function<void(int64_t, int64_t)> progress;
};

// Parses a libvmaf --feature string into an instance.
Result<InstanceSpec> parse_instance(std::string_view feature_spec);

// Runs the engine over two opened readers.
Result<RunSummary> run_engine(io::VideoReader& ref, io::VideoReader& dis, const EngineConfig& cfg,
                              std::span<FrameSink* const> sinks);

}  // namespace vqfuse::features
