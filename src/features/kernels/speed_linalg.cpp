// See speed_linalg.hpp. Mixed precision is deliberate and mirrors libvmaf: values are float, but
// square roots, a few constants (0.5, 2.0, 1.0 / sqrt) and the 1e-6 thresholds are evaluated in
// double and rounded back to float, as C does when a float meets a double literal or sqrt().
#include "features/kernels/speed_linalg.hpp"

#include <cmath>
#include <cstring>
#include <vector>

namespace vqfuse::kernels::speed {
namespace {

constexpr int kN = kSpeedDim;
constexpr double kEps = 1e-6;
constexpr int kMaxQrSteps = 500;

float sqrt_d(float v) { return static_cast<float>(std::sqrt(static_cast<double>(v))); }
float hypot_f(float x, float y) { return sqrt_d(x * x + y * y); }
float sign_of(float v) { return v >= 0 ? 1.0f : -1.0f; }

// --- Tridiagonalisation (Householder, GSL symmtd) -------------------------------------------

// Householder vector for column `col` below row `top`: scales a[top+1.., col] in place to the
// vector's tail (implicit leading 1), stores beta at a[top][col], returns tau.
float householder_column(float* a, int col, int top) {
  if (kN - top == 1) return 0.0f;
  float sq = 0.0f;
  for (int r = top + 1; r < kN; ++r) sq += a[r * kN + col] * a[r * kN + col];
  const float tail_norm = sqrt_d(sq);
  if (tail_norm == 0.0f) return 0.0f;
  const float alpha = a[top * kN + col];
  const float beta = -sign_of(alpha) * hypot_f(alpha, tail_norm);
  const float tau = (beta - alpha) / beta;
  const float scale = alpha - beta;
  if (scale != 0.0f) {
    for (int r = top; r < kN; ++r) a[r * kN + col] /= scale;
    a[top * kN + col] = beta;
  }
  return tau;
}

void tridiagonalize(float* a, float* diag, float* sub) {
  float v[kN] = {};
  float w[kN] = {};
  for (int i = 0; i + 2 < kN; ++i) {
    const float tau = householder_column(a, i, i + 1);
    const int lo = i + 1;
    for (int r = lo; r < kN; ++r) v[r] = a[r * kN + i];
    if (tau == 0.0f) continue;
    v[lo] = 1.0f;
    // w = tau * A v on the trailing block.
    for (int r = lo; r < kN; ++r) {
      float s = 0.0f;
      for (int c = lo; c < kN; ++c) s += tau * a[r * kN + c] * v[c];
      w[r] = s;
    }
    float wv = 0.0f;
    for (int r = lo; r < kN; ++r) wv += w[r] * v[r];
    const float alpha = static_cast<float>(-0.5 * tau * wv);
    for (int r = lo; r < kN; ++r) w[r] += alpha * v[r];
    // Symmetric rank-2 update A -= w v' + v w'.
    for (int r = lo; r < kN; ++r)
      for (int c = lo; c < kN; ++c) a[r * kN + c] -= w[r] * v[c] + v[r] * w[c];
  }
  for (int i = 0; i < kN; ++i) diag[i] = a[i * kN + i];
  for (int i = 0; i + 1 < kN; ++i) sub[i] = a[(i + 1) * kN + i];
}

// --- Implicit symmetric QR on the tridiagonal (GSL eigen/symm) ------------------------------

void zero_negligible(float* d, float* e, int n) {
  for (int i = 0; i + 1 < n; ++i)
    if (std::fabs(e[i]) < kEps * (std::fabs(d[i]) + std::fabs(d[i + 1]))) e[i] = 0.0f;
}

// Eigenvalue of the trailing 2x2 block closer to its last diagonal entry (Wilkinson shift).
float wilkinson_shift(const float* d, const float* e, int n) {
  const float ta = d[n - 2];
  const float tb = d[n - 1];
  const float tab = e[n - 2];
  const float dt = static_cast<float>((ta - tb) / 2.0);
  if (dt > 0) return tb - tab * (tab / (dt + hypot_f(dt, tab)));
  if (dt == 0) return tb - std::fabs(tab);
  return tb + tab * (tab / (-dt + hypot_f(dt, tab)));
}

void givens(float a, float b, float& c, float& s) {
  if (b == 0) {
    c = 1;
    s = 0;
  } else if (std::fabs(b) > std::fabs(a)) {
    const float t = -a / b;
    const float s1 = static_cast<float>(1.0 / std::sqrt(static_cast<double>(1 + t * t)));
    s = s1;
    c = s1 * t;
  } else {
    const float t = -b / a;
    const float c1 = static_cast<float>(1.0 / std::sqrt(static_cast<double>(1 + t * t)));
    c = c1;
    s = c1 * t;
  }
}

// One shifted QR sweep over the unreduced block d[0..n), e[0..n-1), chasing the bulge down.
void qr_sweep(float* d, float* e, int n) {
  float mu = wilkinson_shift(d, e, n);
  if (kEps * std::fabs(mu) > std::fabs(d[0]) + std::fabs(e[0])) mu = 0;
  float x = d[0] - mu;
  float z = e[0];
  float bk = 0, zk = 0;
  float ap = d[0], bp = e[0], aq = d[1];
  if (n == 2) {
    float c, s;
    givens(x, z, c, s);
    const float ap1 = c * (c * ap - s * bp) + s * (s * aq - c * bp);
    const float bp1 = c * (s * ap + c * bp) - s * (s * bp + c * aq);
    const float aq1 = s * (s * ap + c * bp) + c * (s * bp + c * aq);
    d[0] = ap1;
    e[0] = bp1;
    d[1] = aq1;
    return;
  }
  float bq = e[1];
  for (int k = 0; k + 1 < n; ++k) {
    float c, s;
    givens(x, z, c, s);
    const float bk1 = c * bk - s * zk;
    const float ap1 = c * (c * ap - s * bp) + s * (s * aq - c * bp);
    const float bp1 = c * (s * ap + c * bp) - s * (s * bp + c * aq);
    const float zp1 = -s * bq;
    const float aq1 = s * (s * ap + c * bp) + c * (s * bp + c * aq);
    const float bq1 = c * bq;
    bk = bp1;
    zk = zp1;
    ap = aq1;
    bp = bq1;
    if (k < n - 2) aq = d[k + 2];
    if (k < n - 3) bq = e[k + 2];
    d[k] = ap1;
    if (k > 0) e[k - 1] = bk1;
    if (k < n - 2) e[k + 1] = bp;
    x = bk;
    z = zk;
  }
  d[n - 1] = ap;
  e[n - 2] = bk;
}

void tridiagonal_eigenvalues(float* d, float* e) {
  zero_negligible(d, e, kN);
  int hi = kN - 1;
  for (int steps = 0; hi > 0 && steps < kMaxQrSteps;) {
    if (e[hi - 1] == 0.0f) {
      --hi;
      continue;
    }
    int lo = hi - 1;
    while (lo > 0 && e[lo - 1] != 0.0f) --lo;
    const int n = hi - lo + 1;
    qr_sweep(d + lo, e + lo, n);
    zero_negligible(d + lo, e + lo, n);
    ++steps;
  }
}

// --- Householder QR and the solve -----------------------------------------------------------

// out = x * y, x: kN x kN, y: kN x cols; each entry summed over k in order from 0.
void multiply(const float* x, const float* y, int cols, float* out) {
  for (int i = 0; i < kN; ++i) {
    float* o = out + static_cast<ptrdiff_t>(i) * cols;
    for (int j = 0; j < cols; ++j) o[j] = 0.0f;
    for (int k = 0; k < kN; ++k) {
      const float xik = x[i * kN + k];
      const float* yk = y + static_cast<ptrdiff_t>(k) * cols;
      for (int j = 0; j < cols; ++j) o[j] += xik * yk[j];
    }
  }
}

float vector_norm(const float* v) {
  float s = 0;
  for (int i = 0; i < kN; ++i) s += v[i] * v[i];
  return sqrt_d(s);
}

// Q (the product of the reflections, so that Q m = R) and R = Q m.
void householder_qr(const Matrix25& m, Matrix25& q, Matrix25& r) {
  Matrix25 z = m;
  Matrix25 h, t;
  for (int i = 0; i < kN; ++i)
    for (int j = 0; j < kN; ++j) q[i * kN + j] = i == j ? 1.0f : 0.0f;
  float v[kN];
  for (int k = 0; k + 1 < kN; ++k) {
    // Leading k rows and columns of z become the identity (the part already reduced).
    for (int i = 0; i < kN; ++i)
      for (int j = 0; j < kN; ++j)
        if (i < k || j < k) z[i * kN + j] = i == j ? 1.0f : 0.0f;
    for (int i = 0; i < kN; ++i) v[i] = z[i * kN + k];
    v[k] += sign_of(m[k * kN + k]) * vector_norm(v);
    const float len = vector_norm(v);
    for (int i = 0; i < kN; ++i) v[i] /= len;
    for (int i = 0; i < kN; ++i)
      for (int j = 0; j < kN; ++j) h[i * kN + j] = -2.0f * v[i] * v[j];
    for (int i = 0; i < kN; ++i) h[i * kN + i] += 1;
    multiply(h.data(), z.data(), kN, t.data());
    z = t;
    multiply(h.data(), q.data(), kN, t.data());
    q = t;
  }
  multiply(q.data(), m.data(), kN, r.data());
}

}  // namespace

void symmetric_eigenvalues(const Matrix25& m, float* eigenvalues) {
  Matrix25 a = m;
  float d[kN];
  float e[kN] = {};
  tridiagonalize(a.data(), d, e);
  tridiagonal_eigenvalues(d, e);
  std::memcpy(eigenvalues, d, sizeof d);
}

bool solve_qr(const Matrix25& m, const float* rhs, int cols, float* x) {
  Matrix25 q, r;
  householder_qr(m, q, r);
  std::vector<float> qb(static_cast<size_t>(kN) * cols);
  multiply(q.data(), rhs, cols, qb.data());
  for (int i = kN - 1; i >= 0; --i) {
    const float pivot = r[i * kN + i];
    if (std::fabs(pivot) < kEps) return false;
    for (int j = 0; j < cols; ++j) {
      float t = qb[static_cast<size_t>(i) * cols + j];
      for (int k = i + 1; k < kN; ++k) t -= x[static_cast<ptrdiff_t>(k) * cols + j] * r[i * kN + k];
      x[static_cast<ptrdiff_t>(i) * cols + j] = t / pivot;
    }
  }
  return true;
}

}  // namespace vqfuse::kernels::speed
