// See speed_core.hpp. Float/double mixing follows libvmaf's C expressions exactly (a float
// meeting log2(), exp(), sqrt() or a double literal is evaluated in double and rounded back where
// libvmaf stores into a float): std::log2 etc. are always called on doubles here, never on the
// float overloads.
#include "features/kernels/speed_core.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include "features/kernels/speed_linalg.hpp"
#include "features/options.hpp"

namespace vqfuse::kernels::speed {
namespace {

constexpr int kScales = 4;  // decimation by 2^4
constexpr double kEigenEps = 1e-6;
const double kLog2TwoPiE = std::log2(2 * std::numbers::pi * std::numbers::e);

// vif_tools.h valid_kernelscales.
constexpr float kValidKernelscales[] = {
    1.0f,           1.0f / 2.0f,  3.0f / 2.0f, 2.0f,         2.0f / 3.0f,  24.0f / 10.0f,
    360.0f / 97.0f, 4.0f / 3.0f,  3.5f / 3.0f, 3.75f / 3.0f, 4.25f / 3.0f, 5.0f / 3.0f,
    3.0f,           1.0f / 2.25f, 1.4746f,     1.54f,        1.6f,         1.06667f,
    0.711111f,      0.740740f,    1.111111f};

int round_up_to_odd(float f) {
  const int c = static_cast<int>(std::ceil(static_cast<double>(f)));
  return c % 2 == 0 ? c + 1 : c;
}

// vif_get_filter_size: (2^(4-scale) + 1) * kernelscale taps, odd, at least 3.
int filter_size(int scale, float kernelscale) {
  const int n = (1 << (4 - scale)) + 1;
  return std::max(round_up_to_odd(static_cast<float>(n) * kernelscale), 3);
}

// Normalised Gaussian taps (libvmaf get_1d_gaussian_kernel / get_gaussian_pdf).
std::vector<float> gaussian_taps(int size, float stdev) {
  std::vector<float> t(static_cast<size_t>(size));
  const int k = (size - 1) / 2;
  const double sd = stdev;
  float sum = 0;
  for (int i = 0; i < size; ++i) {
    const float x = static_cast<float>(i - k);
    const float num = static_cast<float>(std::exp(-0.5 * x / sd * x / sd));
    const float den = static_cast<float>(1 / (sd * std::sqrt(2 * std::numbers::pi)));
    t[static_cast<size_t>(i)] = num / den;
    sum += t[static_cast<size_t>(i)];
  }
  for (float& v : t) v /= sum;
  return t;
}

// libvmaf's reflection about the edge samples (edge not repeated); the clamp is a no-op for the
// geometries the extractors accept and only guards memory.
int mirror(int i, int n) {
  const int m = i < 0 ? -i : (i >= n ? 2 * n - i - 2 : i);
  return std::clamp(m, 0, n - 1);
}

// Horizontal pass of the anti-alias filter at the kept columns 16j.
void horizontal_at_grid(const float* tmp, int width, const std::vector<float>& taps, int out_w,
                        float* out) {
  const int n = static_cast<int>(taps.size());
  const int half = n / 2;
  for (int j = 0; j < out_w; ++j) {
    const int c = j << kScales;
    float acc = 0.0f;
    for (int t = 0; t < n; ++t)
      acc += taps[static_cast<size_t>(t)] * tmp[mirror(c - half + t, width)];
    out[j] = acc;
  }
}

}  // namespace

std::optional<ScaleMethod> parse_scale_method(std::string_view name) {
  if (name == "nearest") return ScaleMethod::kNearest;
  if (name == "bilinear") return ScaleMethod::kBilinear;
  if (name == "bicubic") return ScaleMethod::kBicubic;
  if (name == "lanczos4") return ScaleMethod::kLanczos4;
  return std::nullopt;
}

bool valid_kernelscale(double kernelscale) {
  const float ks = static_cast<float>(kernelscale);
  for (float v : kValidKernelscales)
    if (std::fabs(ks - v) < 1e-3) return true;
  return false;
}

Result<void> resolve_options(const std::string& method_name, Params& p) {
  if (!valid_kernelscale(p.kernelscale))
    return Error(Errc::kInvalidArgument,
                 "speed_kernelscale " + features::format_g(p.kernelscale) +
                     " is not one of libvmaf's kernel scales (1, 0.5, 1.5, 2, 2/3, 2.4, 360/97, "
                     "4/3, 3.5/3, 3.75/3, 4.25/3, 5/3, 3, 1/2.25, 1.4746, 1.54, 1.6, 1.06667, "
                     "0.711111, 0.74074, 1.111111)");
  const auto method = parse_scale_method(method_name);
  if (!method)
    return Error(Errc::kInvalidArgument, "speed_prescale_method '" + method_name +
                                             "' is not one of nearest, bilinear, bicubic, lanczos4");
  p.method = *method;
  return {};
}

Geometry make_geometry(int width, int height, double prescale) {
  Geometry g;
  g.width = width;
  g.height = height;
  // libvmaf rescales only when the factor is not within 1e-3 of 1 (then it would still use the
  // rounded size; vqfuse keeps the input size, see speed_temporal.cpp).
  const bool identity = std::fabs(prescale - 1.0) < 1e-3;
  g.scaled_w = identity ? width : static_cast<int>(width * prescale + 0.5);
  g.scaled_h = identity ? height : static_cast<int>(height * prescale + 0.5);
  g.rescale = g.scaled_w != width || g.scaled_h != height;
  g.op_w = g.scaled_w >> kScales;
  g.op_h = g.scaled_h >> kScales;
  g.blocks_x = g.op_w / kSpeedBlock;
  g.blocks_y = g.op_h / kSpeedBlock;
  return g;
}

PlaneInput plane_input(CPlaneU16 p, int bit_depth) {
  const int shift = bit_depth - 8;
  return {p, {}, 128 << shift, 1.0f / static_cast<float>(1 << shift)};
}

PlaneInput diff_input(CPlaneU16 a, CPlaneU16 b, int bit_depth) {
  const int shift = bit_depth - 8;
  return {a, b, 0, 1.0f / static_cast<float>(1 << shift)};
}

Model::Model(const Params& params, const Geometry& geometry)
    : p_(params),
      g_(geometry),
      sigma_nn_(static_cast<float>(params.sigma_nn)),
      nn_floor_(static_cast<float>(params.nn_floor)) {
  const float ks = static_cast<float>(params.kernelscale);
  // The anti-alias filter has the scale-1 length and sigma sqrt(2^... scale) as libvmaf's
  // speed_get_antialias_filter(NUM_SCALES); the local mean is vif_get_filter(NUM_SCALES).
  const int aa = filter_size(1, ks);
  aa_taps_ =
      gaussian_taps(aa, static_cast<float>(std::sqrt(static_cast<double>(kScales)) * aa / 5.0f));
  const int lp = filter_size(kScales, ks);
  lp_taps_ = gaussian_taps(lp, static_cast<float>(lp) / 5.0f);
}

void Model::decimate(const PlaneInput& in, ImageF& op) const {
  op.reset(g_.op_w, g_.op_h);
  const int n = static_cast<int>(aa_taps_.size());
  const int half = n / 2;
  const int w = g_.scaled_w, h = g_.scaled_h;
  // Columns the horizontal pass reads at the kept positions.
  const int cols = std::min(w, ((g_.op_w - 1) << kScales) + half + 1);
  std::vector<float> tmp(static_cast<size_t>(w));

  if (!g_.rescale) {
    std::vector<const uint16_t*> ra(static_cast<size_t>(n)), rb(static_cast<size_t>(n));
    for (int i = 0; i < g_.op_h; ++i) {
      for (int t = 0; t < n; ++t) {
        const int y = mirror((i << kScales) - half + t, h);
        ra[static_cast<size_t>(t)] = in.a.row(y);
        rb[static_cast<size_t>(t)] = in.b.data ? in.b.row(y) : nullptr;
      }
      speed_vfilter_u16(ra.data(), in.b.data ? rb.data() : nullptr, in.bias, in.scale,
                        aa_taps_.data(), n, tmp.data(), static_cast<size_t>(cols));
      horizontal_at_grid(tmp.data(), w, aa_taps_, g_.op_w, op.row(i));
    }
  } else {
    // Prescale: libvmaf rescales the whole float plane first.
    ImageF src(g_.width, g_.height);
    for (int y = 0; y < g_.height; ++y) {
      const uint16_t* a = in.a.row(y);
      const uint16_t* b = in.b.data ? in.b.row(y) : nullptr;
      float* d = src.row(y);
      for (int x = 0; x < g_.width; ++x)
        d[x] = static_cast<float>(static_cast<int32_t>(a[x]) -
                                  (b ? static_cast<int32_t>(b[x]) : in.bias)) *
               in.scale;
    }
    ImageF scaled(w, h);
    rescale(p_.method, src, scaled);
    std::vector<const float*> rows(static_cast<size_t>(n));
    for (int i = 0; i < g_.op_h; ++i) {
      for (int t = 0; t < n; ++t)
        rows[static_cast<size_t>(t)] = scaled.row(mirror((i << kScales) - half + t, h));
      speed_vfilter_f32(rows.data(), aa_taps_.data(), n, tmp.data(), static_cast<size_t>(cols));
      horizontal_at_grid(tmp.data(), w, aa_taps_, g_.op_w, op.row(i));
    }
  }

  // Local mean (small separable Gaussian, libvmaf vif_filter1d_s) subtracted in place.
  const int m = static_cast<int>(lp_taps_.size());
  const int mh = m / 2;
  ImageF mean(g_.op_w, g_.op_h);
  std::vector<float> vt(static_cast<size_t>(g_.op_w));
  for (int i = 0; i < g_.op_h; ++i) {
    for (int j = 0; j < g_.op_w; ++j) {
      float acc = 0.0f;
      for (int t = 0; t < m; ++t)
        acc += lp_taps_[static_cast<size_t>(t)] * op.row(mirror(i - mh + t, g_.op_h))[j];
      vt[static_cast<size_t>(j)] = acc;
    }
    float* mrow = mean.row(i);
    for (int j = 0; j < g_.op_w; ++j) {
      float acc = 0.0f;
      for (int t = 0; t < m; ++t)
        acc +=
            lp_taps_[static_cast<size_t>(t)] * vt[static_cast<size_t>(mirror(j - mh + t, g_.op_w))];
      mrow[j] = acc;
    }
  }
  for (int i = 0; i < g_.op_h; ++i) {
    float* o = op.row(i);
    const float* mrow = mean.row(i);
    for (int j = 0; j < g_.op_w; ++j) o[j] -= mrow[j];
  }
}

Stats Model::estimate(const ImageF& op) const {
  constexpr int kB = kSpeedBlock;
  constexpr int kD = kSpeedDim;
  const int sw = g_.sub_w(), sh = g_.sub_h();
  const int nbx = g_.blocks_x;
  const int nb = g_.blocks();
  const ptrdiff_t stride = op.stride();
  const int64_t count = static_cast<int64_t>(sw) * sh;

  // Means of the 25 shifted windows: float sums in raster order (25 independent chains).
  std::array<float, kD> sum{};
  for (int i = 0; i < sh; ++i)
    for (int r = 0; r < kB; ++r) {
      const float* row = op.row(i + r);
      for (int j = 0; j < sw; ++j)
        for (int c = 0; c < kB; ++c) sum[r * kB + c] += row[j + c];
    }
  std::array<double, kD> mean{};
  for (int k = 0; k < kD; ++k) mean[k] = sum[k] / static_cast<float>(count);

  // Covariance matrix K (double sums, rounded to float).
  alignas(64) std::array<double, kD * kSpeedCovStride> acc{};
  speed_cov_accumulate(op.data(), stride, sw, sh, mean.data(), acc.data());
  Matrix25 cov;
  for (int a = 0; a < kD; ++a)
    for (int b = 0; b <= a; ++b) {
      const float v = static_cast<float>(acc[a * kSpeedCovStride + b] / static_cast<double>(count));
      cov[a * kD + b] = v;
      cov[b * kD + a] = v;
    }
  float eig[kD];
  symmetric_eigenvalues(cov, eig);

  // Block vectors: row k = offset (k / 5, k % 5), column = block in raster order.
  std::vector<float> y(static_cast<size_t>(kD) * nb);
  for (int k = 0; k < kD; ++k)
    for (int b = 0; b < nb; ++b)
      y[static_cast<size_t>(k) * nb + b] = op.row((b / nbx) * kB + k / kB)[(b % nbx) * kB + k % kB];

  Stats st;
  bool regular = true;
  for (float e : eig)
    if (e < kEigenEps) regular = false;
  std::vector<float> x(static_cast<size_t>(kD) * nb, 0.0f);
  if (regular) regular = solve_qr(cov, y.data(), nb, x.data());
  st.singular = !regular;
  if (st.singular) std::fill(x.begin(), x.end(), 0.0f);

  // s = sum_k x_k y_k / 25, summed over k in order.
  const float denom = static_cast<float>(kD);
  st.variance.assign(static_cast<size_t>(nb), 0.0f);
  for (int b = 0; b < nb; ++b) {
    float s = (x[static_cast<size_t>(b)] * y[static_cast<size_t>(b)]) / denom;
    for (int k = 1; k < kD; ++k) {
      const size_t idx = static_cast<size_t>(k) * nb + b;
      s += (x[idx] * y[idx]) / denom;
    }
    st.variance[static_cast<size_t>(b)] = s;
  }
  st.entropy.assign(static_cast<size_t>(nb), 0.0f);
  for (int k = 0; k < kD; ++k) {
    const float lambda = eig[k] < 0 ? 0 : eig[k];
    for (int b = 0; b < nb; ++b) {
      float& e = st.entropy[static_cast<size_t>(b)];
      e = static_cast<float>(e + (std::log2(static_cast<double>(
                                      lambda * st.variance[static_cast<size_t>(b)] + sigma_nn_)) +
                                  kLog2TwoPiE));
    }
  }
  return st;
}

Stats Model::analyse(const PlaneInput& in) const {
  ImageF op;
  decimate(in, op);
  return estimate(op);
}

float Model::score(const Stats& ref, const Stats& dis) const {
  if (ref.singular != dis.singular) return 0.0f;
  const float base = static_cast<float>(
      kSpeedDim * (std::log2(static_cast<double>((1 + nn_floor_) * sigma_nn_)) + kLog2TwoPiE));
  float total = 0;
  const size_t nb = ref.entropy.size();
  for (size_t i = 0; i < nb; ++i) {
    const float er = ref.entropy[i], ed = dis.entropy[i];
    if (er < base && ed < base) continue;
    const float vr = ref.variance[i], vd = dis.variance[i];
    auto lg = [](double v) { return std::log2(v); };
    float sr = 0, sd = 0;
    switch (p_.weight_var_mode) {
      case 0:
        sr = static_cast<float>(er * lg(1 + vr));
        sd = static_cast<float>(ed * lg(1 + vd));
        break;
      case 1:
        sr = static_cast<float>(er * lg(1 + vr));
        sd = static_cast<float>(ed * lg(1 + vr));
        break;
      case 2:
        sr = static_cast<float>(er * lg(1 + vd));
        sd = static_cast<float>(ed * lg(1 + vd));
        break;
      case 3:
        sr = static_cast<float>(er * lg(1 + (vr + vd) / 2.0));
        sd = static_cast<float>(ed * lg(1 + (vr + vd) / 2.0));
        break;
      case 4:
        sr = static_cast<float>(er * lg(1 + vr));
        sd = static_cast<float>(ed * lg(1 + (vr + vd) / 2.0));
        break;
      case 5:
        sr = static_cast<float>(er * lg(1 + vr));
        sd = static_cast<float>(ed * lg(1 + (0.75 * vr + 0.25 * vd)));
        break;
      default:
        sr = static_cast<float>(er * lg(1 + vr));
        sd = static_cast<float>(ed * lg(1 + (0.25 * vr + 0.75 * vd)));
        break;
    }
    total += std::fabs(sr - sd);
  }
  return total / static_cast<float>(nb);
}

}  // namespace vqfuse::kernels::speed
