// Tiny MLPs (ReLU, float32) trained with Adam on mini-batches, MSE loss, early stopping; the
// input scaler and the target scaling are part of the model, so exported ONNX files take raw
// feature values and return raw scores.
#pragma once

#include <Eigen/Dense>

#include <cstdint>
#include <string>
#include <vector>

#include "vqfuse/error.hpp"

namespace vqfuse::train {

struct Layer {
  Eigen::MatrixXf w;  // out x in
  Eigen::VectorXf b;  // out
};

struct Mlp {
  std::vector<float> input_mean, input_std;  // standard scaler (training fold only)
  std::vector<Layer> layers;                 // last layer already includes the target scaling
  size_t inputs() const { return input_mean.size(); }
  size_t n_params() const;
  // Scores raw feature rows (N x K, row-major).
  std::vector<float> predict(const std::vector<float>& x, size_t n) const;
};

// "mlp_small" K-16-8-1, "mlp_medium" K-64-32-1, "mlp_large" K-64-32-16-1, "mlp:64,32".
Result<std::vector<int>> parse_arch(const std::string& arch);

struct TrainOptions {
  std::vector<int> hidden = {16, 8};
  // Measured on the research corpus (canonical-6 -> vmaf, LOSO): batch 64, lr 3e-3 and a
  // patience of 40 epochs take LOSO PLCC from 0.9939 (60 epochs, batch 256, patience 8) to 0.9998.
  int epochs = 500;
  int batch = 64;
  float lr = 3e-3f;
  int patience = 40;
  uint64_t seed = 0;
};

// Training rows (x: N x K row-major, y: N) and validation rows for early stopping (may be empty:
// then all epochs run). Deterministic for a given seed.
Mlp fit_mlp(const std::vector<float>& x, const std::vector<float>& y, size_t n, size_t k,
            const std::vector<float>& val_x, const std::vector<float>& val_y, size_t val_n,
            const TrainOptions& opt, int* epochs_run = nullptr);

}  // namespace vqfuse::train
