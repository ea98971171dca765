// Tiny ONNX quality models with their sidecar MODEL.json: writing, verifying (sha256 of the ONNX
// file must match, or the model is refused), and scoring frames natively as a RowModel.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "features/engine.hpp"
#include "model/onnx_model.hpp"

namespace vqfuse::model {

struct Sidecar {
  std::string id;
  std::string kind = "vqfuse_tiny_mlp";
  std::string onnx;  // file name, next to the sidecar
  int64_t opset = 17;
  std::string sha256;
  std::string input_name = "features";
  std::vector<std::string> input_shape = {"N", "K"};
  std::string output_name = "score";
  std::vector<std::string> output_shape = {"N"};
  std::vector<std::string> features;  // registry names, in input order
  std::string feature_set;
  std::vector<double> input_mean, input_std;
  std::string arch;
  int64_t n_params = 0;
  std::string target;
  std::string training_json = "{}";  // data, folds, seeds, metrics
};

std::string sidecar_json(const Sidecar& s);
Result<Sidecar> parse_sidecar(const std::string& text, const std::string& origin);

// MODEL.onnx -> MODEL.json.
std::string sidecar_path(const std::string& onnx_path);

// A verified model: the sidecar, the evaluator, and the extractors its features need.
struct TinyModel {
  Sidecar sidecar;
  OnnxModel onnx;
  std::string path;
};
// Reads the sidecar next to the ONNX file, checks the sha256 and the declared shapes/features.
Result<TinyModel> load_tiny_model(const std::string& onnx_path);

// The engine-facing model; the column is named after the model id.
Result<std::shared_ptr<const features::RowModel>> tiny_row_model(const TinyModel& m, const std::string& name = "");

// The shipped default model (data/models), resolved next to the binary or in the source tree.
std::string default_tiny_model_path();

}  // namespace vqfuse::model
