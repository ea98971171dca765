#include "analysis/mutual_info.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <queue>

#include "analysis/stats.hpp"

namespace vqfuse::analysis {
namespace {

// A static 2-D k-d tree over points (x, y) answering k-nearest-neighbour queries in the
// max-norm. Leaves hold up to kLeaf points; inner nodes split on the wider axis at the median.
class KdTree2 {
 public:
  KdTree2(const std::vector<double>& x, const std::vector<double>& y) : x_(x), y_(y), idx_(x.size()) {
    std::iota(idx_.begin(), idx_.end(), 0);
    nodes_.reserve(2 * x.size() / kLeaf + 2);
    build(0, idx_.size());
  }

  // Distance to the k-th nearest neighbour of point i (itself excluded).
  double kth_distance(size_t i, int k) const {
    std::priority_queue<double> best;  // max-heap of the k smallest distances
    search(0, i, k, best);
    return best.top();
  }

 private:
  static constexpr size_t kLeaf = 16;
  struct Node {
    size_t begin, end;
    int axis = -1;  // -1: leaf
    double split = 0;
    int left = -1, right = -1;
    double lo[2], hi[2];  // bounding box
  };

  int build(size_t begin, size_t end) {
    const int id = static_cast<int>(nodes_.size());
    nodes_.push_back({begin, end});
    Node n = nodes_.back();
    n.lo[0] = n.lo[1] = INFINITY;
    n.hi[0] = n.hi[1] = -INFINITY;
    for (size_t p = begin; p < end; ++p) {
      const size_t i = idx_[p];
      n.lo[0] = std::min(n.lo[0], x_[i]);
      n.hi[0] = std::max(n.hi[0], x_[i]);
      n.lo[1] = std::min(n.lo[1], y_[i]);
      n.hi[1] = std::max(n.hi[1], y_[i]);
    }
    if (end - begin > kLeaf) {
      n.axis = (n.hi[0] - n.lo[0]) >= (n.hi[1] - n.lo[1]) ? 0 : 1;
      const std::vector<double>& c = n.axis == 0 ? x_ : y_;
      const size_t mid = begin + (end - begin) / 2;
      std::nth_element(idx_.begin() + static_cast<ptrdiff_t>(begin), idx_.begin() + static_cast<ptrdiff_t>(mid),
                       idx_.begin() + static_cast<ptrdiff_t>(end), [&](size_t a, size_t b) { return c[a] < c[b]; });
      n.split = c[idx_[mid]];
      nodes_[static_cast<size_t>(id)] = n;
      const int l = build(begin, mid);
      const int r = build(mid, end);
      nodes_[static_cast<size_t>(id)].left = l;
      nodes_[static_cast<size_t>(id)].right = r;
    } else {
      nodes_[static_cast<size_t>(id)] = n;
    }
    return id;
  }

  double box_distance(const Node& n, double qx, double qy) const {
    const double dx = std::max({n.lo[0] - qx, 0.0, qx - n.hi[0]});
    const double dy = std::max({n.lo[1] - qy, 0.0, qy - n.hi[1]});
    return std::max(dx, dy);
  }

  void search(int id, size_t q, int k, std::priority_queue<double>& best) const {
    const Node& n = nodes_[static_cast<size_t>(id)];
    const double qx = x_[q], qy = y_[q];
    if (static_cast<int>(best.size()) == k && box_distance(n, qx, qy) > best.top()) return;
    if (n.axis < 0) {
      for (size_t p = n.begin; p < n.end; ++p) {
        const size_t i = idx_[p];
        if (i == q) continue;
        const double d = std::max(std::fabs(x_[i] - qx), std::fabs(y_[i] - qy));
        if (static_cast<int>(best.size()) < k) {
          best.push(d);
        } else if (d < best.top()) {
          best.pop();
          best.push(d);
        }
      }
      return;
    }
    const double qa = n.axis == 0 ? qx : qy;
    const int first = qa < n.split ? n.left : n.right;
    const int second = qa < n.split ? n.right : n.left;
    search(first, q, k, best);
    search(second, q, k, best);
  }

  const std::vector<double>& x_;
  const std::vector<double>& y_;
  std::vector<size_t> idx_;
  std::vector<Node> nodes_;
};

// Points j != i with |v_j - v_i| < r, from the sorted values. The binary search brackets the
// range; the edges are then settled on |v_j - v_i| itself, because v - r and v + r round.
int64_t count_within(const std::vector<double>& sorted, double v, double r) {
  auto lo = std::lower_bound(sorted.begin(), sorted.end(), v - r);
  while (lo != sorted.begin() && std::fabs(*(lo - 1) - v) < r) --lo;
  while (lo != sorted.end() && std::fabs(*lo - v) >= r) ++lo;
  auto hi = std::upper_bound(lo, sorted.end(), v + r);
  while (hi != sorted.end() && std::fabs(*hi - v) < r) ++hi;
  while (hi != lo && std::fabs(*(hi - 1) - v) >= r) --hi;
  return static_cast<int64_t>(hi - lo) - 1;
}

}  // namespace

std::vector<double> prepare_mi_column(const std::vector<double>& v, uint64_t seed) {
  const double m = mean(v);
  double ss = 0, abs_sum = 0;
  for (double x : v) ss += (x - m) * (x - m);
  const double sd = std::sqrt(ss / static_cast<double>(v.size()));
  std::vector<double> out(v.size());
  for (size_t i = 0; i < v.size(); ++i) out[i] = sd > 0 ? v[i] / sd : v[i];
  for (double x : out) abs_sum += std::fabs(x);
  const double amp = 1e-10 * std::max(1.0, abs_sum / static_cast<double>(v.size()));
  std::mt19937_64 rng(seed);
  for (double& x : out) x += amp * std_normal(rng);
  return out;
}

double ksg_mi(const std::vector<double>& x, const std::vector<double>& y, int k) {
  const size_t n = x.size();
  if (n <= static_cast<size_t>(k)) return std::nan("");
  KdTree2 tree(x, y);
  std::vector<double> sx = x, sy = y;
  std::sort(sx.begin(), sx.end());
  std::sort(sy.begin(), sy.end());
  double sum = 0;
  for (size_t i = 0; i < n; ++i) {
    const double r = tree.kth_distance(i, k);
    const int64_t nx = count_within(sx, x[i], r);
    const int64_t ny = count_within(sy, y[i], r);
    sum += digamma(static_cast<double>(nx + 1)) + digamma(static_cast<double>(ny + 1));
  }
  const double mi = digamma(static_cast<double>(n)) + digamma(k) - sum / static_cast<double>(n);
  return std::max(0.0, mi);
}

}  // namespace vqfuse::analysis
