// Statistics shared by analysis and training: correlation, ranks, error measures, digamma,
// group folds, deterministic sampling.
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace vqfuse::analysis {

double mean(std::span<const double> v);
double pearson(std::span<const double> a, std::span<const double> b);  // NaN if a side is constant
// Ranks 1..n with ties given their average rank (as scipy.stats.rankdata "average").
std::vector<double> ranks(std::span<const double> v);
double spearman(std::span<const double> a, std::span<const double> b);
double rmse(std::span<const double> a, std::span<const double> b);
double digamma(double x);

// Group K-fold in scikit-learn's GroupKFold manner: groups sorted by size (largest first) are
// given, one at a time, to the fold with the fewest samples. Returns the fold of each group.
std::vector<int> group_kfold(const std::vector<int>& group_of_row, int n_groups, int k);

// Deterministic subsample of `n` indices out of [0, total), sorted (a seeded partial shuffle).
std::vector<size_t> sample_rows(size_t total, size_t n, uint64_t seed);

// Uniform double in [0,1) and standard normal from raw mt19937_64 bits, identical on every
// standard library (std::normal_distribution is not).
double uniform01(std::mt19937_64& rng);
double std_normal(std::mt19937_64& rng);

}  // namespace vqfuse::analysis
