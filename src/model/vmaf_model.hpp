// libvmaf JSON models (nu-SVR / epsilon-SVR with an RBF kernel) and `--model` specs.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "features/engine.hpp"

namespace vqfuse::model {

struct SvmModel {
  double gamma = 0;
  double rho = 0;
  int n_features = 0;
  std::vector<double> coef;  // one per support vector
  std::vector<double> sv;    // dense, n_sv x n_features (libsvm's missing indices are 0)
  // libsvm RBF decision value: sum_i coef_i * exp(-gamma * |x - sv_i|^2) - rho.
  double decision(const double* x) const;
};

struct ScoreTransform {
  bool enabled = false;
  bool has_p0 = false, has_p1 = false, has_p2 = false;
  double p0 = 0, p1 = 0, p2 = 0;
  std::vector<std::pair<double, double>> knots;
  bool out_lte_in = false, out_gte_in = false;
};

// A parsed libvmaf JSON model.
struct VmafModelData {
  std::vector<std::string> feature_names;  // model names: "VMAF_integer_feature_adm2_score"
  std::vector<std::vector<std::pair<std::string, std::string>>> feature_opts;  // feature_opts_dicts
  bool linear_rescale = false;
  double slope = 1, intercept = 0;            // of the prediction
  std::vector<double> slopes, intercepts;     // of each feature
  bool clip = false;
  double clip_min = 0, clip_max = 100;
  ScoreTransform transform;
  SvmModel svm;
};

// Parses model JSON text; `origin` names the file in errors.
Result<VmafModelData> parse_vmaf_model(std::string_view json, const std::string& origin);

// Options of a `--model` flag: "version=vmaf_v0.6.1:name=vmaf:adm.debug=true:disable_clip".
struct ModelSpec {
  std::string path;
  std::string version;
  std::string name = "vmaf";
  bool disable_clip = false;
  bool enable_transform = false;
  std::vector<std::pair<std::string, std::pair<std::string, std::string>>> overloads;  // ext -> k=v
};
Result<ModelSpec> parse_model_spec(std::string_view text);

// Built-in model versions ("vmaf_v0.6.1").
std::vector<std::string> builtin_model_versions();
Result<std::string> builtin_model_json(std::string_view version);

// Loads the model a spec names and binds its inputs to extractors.
Result<std::shared_ptr<const features::RowModel>> load_vmaf_model(const ModelSpec& spec);

}  // namespace vqfuse::model
