#include "analysis/stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace vqfuse::analysis {

double mean(std::span<const double> v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? std::nan("") : s / static_cast<double>(v.size());
}

double pearson(std::span<const double> a, std::span<const double> b) {
  const double ma = mean(a), mb = mean(b);
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const double da = a[i] - ma, db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa == 0 || sbb == 0) return std::nan("");
  return sab / std::sqrt(saa * sbb);
}

std::vector<double> ranks(std::span<const double> v) {
  std::vector<size_t> idx(v.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](size_t i, size_t j) { return v[i] < v[j]; });
  std::vector<double> r(v.size());
  for (size_t i = 0; i < idx.size();) {
    size_t j = i;
    while (j + 1 < idx.size() && v[idx[j + 1]] == v[idx[i]]) ++j;
    const double avg = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    for (size_t k = i; k <= j; ++k) r[idx[k]] = avg;
    i = j + 1;
  }
  return r;
}

double spearman(std::span<const double> a, std::span<const double> b) {
  const auto ra = ranks(a), rb = ranks(b);
  return pearson(ra, rb);
}

double rmse(std::span<const double> a, std::span<const double> b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += (a[i] - b[i]) * (a[i] - b[i]);
  return a.empty() ? std::nan("") : std::sqrt(s / static_cast<double>(a.size()));
}

double digamma(double x) {
  // Recurrence up to x >= 6, then the asymptotic series (error < 1e-12 there).
  double r = 0;
  while (x < 6) {
    r -= 1 / x;
    x += 1;
  }
  const double f = 1 / (x * x);
  const double t = f * (-1.0 / 12 + f * (1.0 / 120 + f * (-1.0 / 252 + f * (1.0 / 240 + f * (-1.0 / 132)))));
  return r + std::log(x) - 0.5 / x + t;
}

std::vector<int> group_kfold(const std::vector<int>& group_of_row, int n_groups, int k) {
  std::vector<int64_t> size(static_cast<size_t>(n_groups), 0);
  for (int g : group_of_row) ++size[static_cast<size_t>(g)];
  std::vector<int> order(static_cast<size_t>(n_groups));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return size[static_cast<size_t>(a)] > size[static_cast<size_t>(b)]; });
  std::vector<int64_t> fold_size(static_cast<size_t>(k), 0);
  std::vector<int> fold(static_cast<size_t>(n_groups), 0);
  for (int g : order) {
    const int f = static_cast<int>(std::min_element(fold_size.begin(), fold_size.end()) - fold_size.begin());
    fold[static_cast<size_t>(g)] = f;
    fold_size[static_cast<size_t>(f)] += size[static_cast<size_t>(g)];
  }
  return fold;
}

double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

double std_normal(std::mt19937_64& rng) {
  // Box-Muller on our own uniforms.
  double u1 = uniform01(rng);
  while (u1 <= 0) u1 = uniform01(rng);
  const double u2 = uniform01(rng);
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
}

std::vector<size_t> sample_rows(size_t total, size_t n, uint64_t seed) {
  std::vector<size_t> idx(total);
  std::iota(idx.begin(), idx.end(), 0);
  if (n >= total) return idx;
  std::mt19937_64 rng(seed);
  for (size_t i = 0; i < n; ++i) {
    const size_t j = i + static_cast<size_t>(uniform01(rng) * static_cast<double>(total - i));
    std::swap(idx[i], idx[std::min(j, total - 1)]);
  }
  idx.resize(n);
  std::sort(idx.begin(), idx.end());
  return idx;
}

}  // namespace vqfuse::analysis
