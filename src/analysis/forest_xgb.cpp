#include "analysis/forest_xgb.hpp"

#include <xgboost/c_api.h>

#include <cmath>
#include <string>

namespace vqfuse::analysis {
namespace {

void check(int rc, const char* what) {
  if (rc != 0) throw Error(Errc::kInternal, std::string(what) + ": " + XGBGetLastError(), "xgboost");
}

struct DMatrix {
  DMatrixHandle h = nullptr;
  DMatrix(const std::vector<std::vector<double>>& x, const std::vector<size_t>& rows, const std::vector<double>* y) {
    const size_t p = x.empty() ? 0 : x[0].size();
    std::vector<float> data(rows.size() * p);
    for (size_t r = 0; r < rows.size(); ++r)
      for (size_t j = 0; j < p; ++j) data[r * p + j] = static_cast<float>(x[rows[r]][j]);
    check(XGDMatrixCreateFromMat(data.data(), rows.size(), p, std::nanf(""), &h), "XGDMatrixCreateFromMat");
    if (y) {
      std::vector<float> label(rows.size());
      for (size_t r = 0; r < rows.size(); ++r) label[r] = static_cast<float>((*y)[rows[r]]);
      check(XGDMatrixSetFloatInfo(h, "label", label.data(), label.size()), "XGDMatrixSetFloatInfo");
    }
  }
  ~DMatrix() { XGDMatrixFree(h); }
};

}  // namespace

Result<Booster> Booster::train(const std::vector<std::vector<double>>& x, const std::vector<double>& y,
                               const std::vector<size_t>& rows,
                               const std::vector<std::pair<std::string, std::string>>& params, int rounds) {
  return guard([&] {
    DMatrix d(x, rows, &y);
    Booster b;
    BoosterHandle h = nullptr;
    check(XGBoosterCreate(&d.h, 1, &h), "XGBoosterCreate");
    b.handle_ = h;
    for (const auto& [k, v] : params) check(XGBoosterSetParam(h, k.c_str(), v.c_str()), "XGBoosterSetParam");
    for (int i = 0; i < rounds; ++i) check(XGBoosterUpdateOneIter(h, i, d.h), "XGBoosterUpdateOneIter");
    return b;
  });
}

Booster::Booster(Booster&& o) noexcept : handle_(o.handle_) { o.handle_ = nullptr; }
Booster& Booster::operator=(Booster&& o) noexcept {
  std::swap(handle_, o.handle_);
  return *this;
}
Booster::~Booster() {
  if (handle_) XGBoosterFree(handle_);
}

std::vector<double> Booster::predict(const std::vector<std::vector<double>>& x, const std::vector<size_t>& rows) const {
  DMatrix d(x, rows, nullptr);
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* out = nullptr;
  check(XGBoosterPredictFromDMatrix(handle_, d.h,
                                    R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false})",
                                    &shape, &dim, &out),
        "XGBoosterPredictFromDMatrix");
  return std::vector<double>(out, out + rows.size());
}

std::vector<std::vector<double>> Booster::contributions(const std::vector<std::vector<double>>& x,
                                                        const std::vector<size_t>& rows) const {
  DMatrix d(x, rows, nullptr);
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* out = nullptr;
  check(XGBoosterPredictFromDMatrix(handle_, d.h,
                                    R"({"type": 2, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false})",
                                    &shape, &dim, &out),
        "XGBoosterPredictFromDMatrix(contribs)");
  const size_t width = (x.empty() ? 0 : x[0].size()) + 1;
  std::vector<std::vector<double>> c(rows.size(), std::vector<double>(width));
  for (size_t r = 0; r < rows.size(); ++r)
    for (size_t j = 0; j < width; ++j) c[r][j] = out[r * width + j];
  return c;
}

std::vector<double> Booster::importance(const std::string& type, size_t n_features) const {
  const std::string cfg = R"({"importance_type": ")" + type + "\"}";
  bst_ulong n_out = 0, dim = 0;
  const char** names = nullptr;
  const bst_ulong* shape = nullptr;
  const float* scores = nullptr;
  check(XGBoosterFeatureScore(handle_, cfg.c_str(), &n_out, &names, &dim, &shape, &scores), "XGBoosterFeatureScore");
  std::vector<double> imp(n_features, 0.0);
  for (bst_ulong i = 0; i < n_out; ++i) {
    // Unnamed features are reported as "f<index>".
    const std::string name = names[i];
    if (name.size() > 1 && name[0] == 'f') {
      const size_t j = std::stoul(name.substr(1));
      if (j < n_features) imp[j] = scores[i];
    }
  }
  return imp;
}

std::string Booster::save_json() const {
  bst_ulong len = 0;
  const char* buf = nullptr;
  check(XGBoosterSaveModelToBuffer(handle_, R"({"format": "json"})", &len, &buf), "XGBoosterSaveModelToBuffer");
  return std::string(buf, len);
}

std::vector<std::pair<std::string, std::string>> forest_params(const TreeParams& t, size_t n_features) {
  const double colsample = std::max(1.0 / static_cast<double>(n_features), 1.0 / 3.0);  // p/3 per split, as regression forests do
  return {{"booster", "gbtree"},
          {"objective", "reg:squarederror"},
          {"tree_method", "hist"},
          {"learning_rate", "1"},
          {"num_parallel_tree", std::to_string(kForestTrees)},
          {"subsample", "0.632"},
          {"colsample_bynode", std::to_string(colsample)},
          {"max_depth", "10"},
          {"max_bin", "128"},
          {"min_child_weight", "1"},
          {"reg_lambda", "0"},
          {"nthread", std::to_string(t.threads)},
          {"seed", std::to_string(t.seed)},
          {"verbosity", "0"}};
}

std::vector<std::pair<std::string, std::string>> boosting_params(const TreeParams& t) {
  return {{"booster", "gbtree"},     {"objective", "reg:squarederror"},
          {"tree_method", "hist"},   {"learning_rate", "0.1"},
          {"max_depth", "6"},        {"subsample", "0.8"},  {"max_bin", "128"},
          {"colsample_bytree", "0.8"},
          {"nthread", std::to_string(t.threads)},
          {"seed", std::to_string(t.seed)},
          {"verbosity", "0"}};
}

}  // namespace vqfuse::analysis
