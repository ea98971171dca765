// MLP training with Eigen (single-threaded, so results depend only on the seed).
//
// Init: He-uniform weights, zero biases, from raw mt19937_64 bits (std::*_distribution differ
// between standard libraries). Inputs are standardised with the training rows' mean/std, the
// target with its mean/std; after training both scalings are folded into the model (the input
// scaler stays as explicit Sub/Div in ONNX, the target scaling goes into the last layer).
// Adam (beta1 0.9, beta2 0.999, eps 1e-8), mini-batches in a seeded shuffle, MSE loss; early
// stopping keeps the weights of the best validation epoch.
#include "train/mlp.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <sstream>

namespace vqfuse::train {
namespace {

float uniform(std::mt19937_64& rng, float lo, float hi) {
  const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;
  return lo + static_cast<float>(u) * (hi - lo);
}

struct Adam {
  std::vector<Eigen::MatrixXf> mw, vw;
  std::vector<Eigen::VectorXf> mb, vb;
  int t = 0;
};

using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

}  // namespace

size_t Mlp::n_params() const {
  size_t n = 2 * input_mean.size();
  for (const auto& l : layers) n += static_cast<size_t>(l.w.size() + l.b.size());
  return n;
}

std::vector<float> Mlp::predict(const std::vector<float>& x, size_t n) const {
  const size_t k = inputs();
  Eigen::MatrixXf a(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(n));
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < k; ++j) a(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(i)) = (x[i * k + j] - input_mean[j]) / input_std[j];
  for (size_t l = 0; l < layers.size(); ++l) {
    Eigen::MatrixXf z = layers[l].w * a;
    z.colwise() += layers[l].b;
    if (l + 1 < layers.size()) z = z.cwiseMax(0.0f);
    a = std::move(z);
  }
  return std::vector<float>(a.data(), a.data() + n);
}

Result<std::vector<int>> parse_arch(const std::string& arch) {
  if (arch == "mlp_small") return std::vector<int>{16, 8};
  if (arch == "mlp_medium") return std::vector<int>{64, 32};
  if (arch == "mlp_large") return std::vector<int>{64, 32, 16};
  if (arch.rfind("mlp:", 0) == 0) {
    std::vector<int> h;
    std::stringstream ss(arch.substr(4));
    std::string item;
    while (std::getline(ss, item, ',')) {
      try {
        size_t used = 0;
        const int v = std::stoi(item, &used);
        if (used != item.size() || v < 1 || v > 4096) throw 0;
        h.push_back(v);
      } catch (...) {
        return Error(Errc::kInvalidArgument, "bad layer width '" + item + "' in '" + arch + "'", "", -1, "--arch");
      }
    }
    if (h.empty() || h.size() > 8) return Error(Errc::kInvalidArgument, "1 to 8 hidden layers", "", -1, "--arch");
    return h;
  }
  return Error(Errc::kInvalidArgument, "unknown architecture '" + arch + "' (mlp_small, mlp_medium, mlp_large, mlp:W1,W2,...)",
               "", -1, "--arch");
}

Mlp fit_mlp(const std::vector<float>& x, const std::vector<float>& y, size_t n, size_t k,
            const std::vector<float>& val_x, const std::vector<float>& val_y, size_t val_n,
            const TrainOptions& opt, int* epochs_run) {
  Mlp m;
  // Scalers from the training rows only.
  m.input_mean.assign(k, 0);
  m.input_std.assign(k, 0);
  std::vector<double> mu(k, 0), ss(k, 0);
  double ymu = 0, yss = 0;
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < k; ++j) mu[j] += x[i * k + j];
    ymu += y[i];
  }
  for (double& v : mu) v /= static_cast<double>(n);
  ymu /= static_cast<double>(n);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < k; ++j) ss[j] += (x[i * k + j] - mu[j]) * (x[i * k + j] - mu[j]);
    yss += (y[i] - ymu) * (y[i] - ymu);
  }
  for (size_t j = 0; j < k; ++j) {
    m.input_mean[j] = static_cast<float>(mu[j]);
    const double sd = std::sqrt(ss[j] / static_cast<double>(n));
    m.input_std[j] = sd > 1e-12 ? static_cast<float>(sd) : 1.0f;
  }
  const float y_mean = static_cast<float>(ymu);
  const float y_std = yss > 0 ? static_cast<float>(std::sqrt(yss / static_cast<double>(n))) : 1.0f;

  // Standardised training data, column-major (one sample per column).
  auto standardise = [&](const std::vector<float>& src, size_t rows) {
    Eigen::MatrixXf a(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(rows));
    for (size_t i = 0; i < rows; ++i)
      for (size_t j = 0; j < k; ++j)
        a(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(i)) = (src[i * k + j] - m.input_mean[j]) / m.input_std[j];
    return a;
  };
  const Eigen::MatrixXf xs = standardise(x, n);
  Eigen::VectorXf ys(static_cast<Eigen::Index>(n));
  for (size_t i = 0; i < n; ++i) ys(static_cast<Eigen::Index>(i)) = (y[i] - y_mean) / y_std;
  const Eigen::MatrixXf vxs = standardise(val_x, val_n);

  std::mt19937_64 rng(opt.seed * 0x9E3779B97F4A7C15ull + 12345);
  std::vector<int> widths = {static_cast<int>(k)};
  widths.insert(widths.end(), opt.hidden.begin(), opt.hidden.end());
  widths.push_back(1);
  for (size_t l = 0; l + 1 < widths.size(); ++l) {
    Layer L;
    L.w.resize(widths[l + 1], widths[l]);
    const float bound = std::sqrt(6.0f / static_cast<float>(widths[l]));
    for (Eigen::Index r = 0; r < L.w.rows(); ++r)
      for (Eigen::Index c = 0; c < L.w.cols(); ++c) L.w(r, c) = uniform(rng, -bound, bound);
    L.b = Eigen::VectorXf::Zero(widths[l + 1]);
    m.layers.push_back(std::move(L));
  }
  Adam adam;
  for (const auto& L : m.layers) {
    adam.mw.push_back(Eigen::MatrixXf::Zero(L.w.rows(), L.w.cols()));
    adam.vw.push_back(Eigen::MatrixXf::Zero(L.w.rows(), L.w.cols()));
    adam.mb.push_back(Eigen::VectorXf::Zero(L.b.size()));
    adam.vb.push_back(Eigen::VectorXf::Zero(L.b.size()));
  }
  const size_t nl = m.layers.size();
  auto forward = [&](const Eigen::MatrixXf& in, std::vector<Eigen::MatrixXf>& acts) {
    acts.resize(nl + 1);
    acts[0] = in;
    for (size_t l = 0; l < nl; ++l) {
      acts[l + 1] = m.layers[l].w * acts[l];
      acts[l + 1].colwise() += m.layers[l].b;
      if (l + 1 < nl) acts[l + 1] = acts[l + 1].cwiseMax(0.0f);
    }
  };
  auto val_loss = [&]() {
    std::vector<Eigen::MatrixXf> acts;
    forward(vxs, acts);
    double s = 0;
    for (size_t i = 0; i < val_n; ++i) {
      const double d = acts[nl](0, static_cast<Eigen::Index>(i)) - (val_y[i] - y_mean) / y_std;
      s += d * d;
    }
    return s / static_cast<double>(std::max<size_t>(val_n, 1));
  };

  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::vector<Layer> best = m.layers;
  double best_loss = std::numeric_limits<double>::infinity();
  int since_best = 0, epoch = 0;
  const float b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
  std::vector<Eigen::MatrixXf> acts;
  for (epoch = 0; epoch < opt.epochs; ++epoch) {
    for (size_t i = n; i > 1; --i) std::swap(order[i - 1], order[static_cast<size_t>((rng() >> 11) % i)]);
    for (size_t s = 0; s < n; s += static_cast<size_t>(opt.batch)) {
      const size_t bs = std::min(static_cast<size_t>(opt.batch), n - s);
      Eigen::MatrixXf xb(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(bs));
      Eigen::RowVectorXf yb(static_cast<Eigen::Index>(bs));
      for (size_t i = 0; i < bs; ++i) {
        xb.col(static_cast<Eigen::Index>(i)) = xs.col(static_cast<Eigen::Index>(order[s + i]));
        yb(static_cast<Eigen::Index>(i)) = ys(static_cast<Eigen::Index>(order[s + i]));
      }
      forward(xb, acts);
      // dL/dout for L = mean((out - y)^2)
      Eigen::MatrixXf delta = (acts[nl].row(0) - yb) * (2.0f / static_cast<float>(bs));
      ++adam.t;
      const float c1 = 1.0f - std::pow(b1, static_cast<float>(adam.t));
      const float c2 = 1.0f - std::pow(b2, static_cast<float>(adam.t));
      for (size_t l = nl; l-- > 0;) {
        const Eigen::MatrixXf gw = delta * acts[l].transpose();
        const Eigen::VectorXf gb = delta.rowwise().sum();
        if (l > 0) {
          Eigen::MatrixXf back = m.layers[l].w.transpose() * delta;
          delta = back.cwiseProduct((acts[l].array() > 0.0f).cast<float>().matrix());
        }
        adam.mw[l] = b1 * adam.mw[l] + (1 - b1) * gw;
        adam.vw[l] = b2 * adam.vw[l] + (1 - b2) * gw.cwiseProduct(gw);
        adam.mb[l] = b1 * adam.mb[l] + (1 - b1) * gb;
        adam.vb[l] = b2 * adam.vb[l] + (1 - b2) * gb.cwiseProduct(gb);
        m.layers[l].w.array() -= opt.lr * (adam.mw[l].array() / c1) / ((adam.vw[l].array() / c2).sqrt() + eps);
        m.layers[l].b.array() -= opt.lr * (adam.mb[l].array() / c1) / ((adam.vb[l].array() / c2).sqrt() + eps);
      }
    }
    if (val_n == 0) continue;
    const double vl = val_loss();
    if (vl < best_loss) {
      best_loss = vl;
      best = m.layers;
      since_best = 0;
    } else if (++since_best >= opt.patience) {
      ++epoch;
      break;
    }
  }
  if (val_n > 0) m.layers = best;
  if (epochs_run) *epochs_run = epoch;
  // Fold the target scaling into the last layer: score = y_std * out + y_mean.
  Layer& last = m.layers.back();
  last.w *= y_std;
  last.b = last.b * y_std + Eigen::VectorXf::Constant(1, y_mean);
  return m;
}

}  // namespace vqfuse::train
