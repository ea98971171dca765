// Kraskov-Stoegbauer-Grassberger mutual information (estimator 1), as scikit-learn's
// mutual_info_regression computes it for continuous variables: both variables scaled to unit
// variance with a tiny seeded noise that breaks ties, the distance to the k-th neighbour in the
// joint space (max-norm, from a 2-D k-d tree), neighbour counts in each marginal strictly inside
// that distance, MI = psi(n) + psi(k) - <psi(nx+1)> - <psi(ny+1)>, clipped at 0 (nats).
#pragma once

#include <cstdint>
#include <vector>

namespace vqfuse::analysis {

// Scales a column to unit variance and adds noise 1e-10 * max(1, mean|v|) * N(0,1).
std::vector<double> prepare_mi_column(const std::vector<double>& v, uint64_t seed);

// MI of two prepared columns.
double ksg_mi(const std::vector<double>& x, const std::vector<double>& y, int k);

}  // namespace vqfuse::analysis
