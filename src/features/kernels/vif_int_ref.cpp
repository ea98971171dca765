// Scalar reference (the specification) of vif_int.hpp, following the arithmetic of libvmaf's
// plain C path (integer_vif.c vif_statistic_16 / subsample_rd_16; the 8-bit variants are the
// same numbers with narrower loads).
#include <algorithm>
#include <cmath>
#include <vector>

#include "features/kernels/vif_int.hpp"

namespace vqfuse::kernels {

namespace {
// libvmaf integer_vif.h vif_filter1d_table.
constexpr uint16_t kFilter0[] = {489,  935,  1640, 2640, 3896, 5274, 6547, 7455, 7784,
                                 7455, 6547, 5274, 3896, 2640, 1640, 935,  489};
constexpr uint16_t kFilter1[] = {1244, 3663, 7925, 12590, 14692, 12590, 7925, 3663, 1244};
constexpr uint16_t kFilter2[] = {3571, 16004, 26386, 16004, 3571};
constexpr uint16_t kFilter3[] = {10904, 43728, 10904};

struct Log2Table {
  uint16_t v[65536] = {};
  Log2Table() {
    for (int i = 32767; i < 65536; ++i)
      v[i] = static_cast<uint16_t>(std::round(std::log2(static_cast<float>(i)) * 2048));
  }
};
}  // namespace

VifIntFilter vif_int_filter(int scale) {
  switch (scale) {
    case 0: return {kFilter0, 17};
    case 1: return {kFilter1, 9};
    case 2: return {kFilter2, 5};
    default: return {kFilter3, 3};
  }
}

const uint16_t* vif_int_log2_table() {
  static const Log2Table table;
  return table.v;
}

namespace ref {
namespace {

constexpr uint32_t kSigmaNsq = 65536 << 1;

uint32_t round_shift32(uint32_t v, int shift) {
  return shift == 0 ? v : (v + (1u << (shift - 1))) >> shift;
}
uint64_t round_shift64(uint64_t v, int shift) {
  return shift == 0 ? v : (v + (uint64_t{1} << (shift - 1))) >> shift;
}

// libvmaf's log2_32 / log2_64: the top 16 significant bits index the Q11 table.
int32_t log2_q11(const uint16_t* table, uint64_t v) {
  const int k = (63 - __builtin_clzll(v)) - 15;
  return table[v >> k] + 2048 * k;
}

// Mirrors index x into [0, n) as libvmaf's PADDING_SQ_DATA (valid for n > radius).
int mirror(int x, int n) { return x < 0 ? -x : (x >= n ? 2 * n - x - 2 : x); }

}  // namespace

VifIntSums vif_int_stats(const VifIntStatsArgs& a) {
  const int w = a.width;
  const int taps = a.filter.taps;
  const int radius = taps / 2;
  const uint16_t* c = a.filter.coeff;
  const uint16_t* table = vif_int_log2_table();
  std::vector<uint32_t> mu1(w), mu2(w), xx(w), yy(w), xy(w);
  VifIntSums s;
  for (int r = 0; r < a.n_rows; ++r) {
    for (int j = 0; j < w; ++j) {
      uint32_t m1 = 0, m2 = 0;
      uint64_t sxx = 0, syy = 0, sxy = 0;
      for (int k = 0; k < taps; ++k) {
        const uint32_t x = a.ref_rows[r + k][j];
        const uint32_t y = a.dis_rows[r + k][j];
        const uint32_t cx = c[k] * x;
        const uint32_t cy = c[k] * y;
        m1 += cx;
        m2 += cy;
        sxx += uint64_t{cx} * x;
        syy += uint64_t{cy} * y;
        sxy += uint64_t{cx} * y;
      }
      mu1[j] = static_cast<uint16_t>(round_shift32(m1, a.mu_shift));
      mu2[j] = static_cast<uint16_t>(round_shift32(m2, a.mu_shift));
      xx[j] = static_cast<uint32_t>(round_shift64(sxx, a.sq_shift));
      yy[j] = static_cast<uint32_t>(round_shift64(syy, a.sq_shift));
      xy[j] = static_cast<uint32_t>(round_shift64(sxy, a.sq_shift));
    }
    for (int j = 0; j < w; ++j) {
      uint32_t m1 = 0, m2 = 0;
      uint64_t sxx = 0, syy = 0, sxy = 0;
      for (int k = 0; k < taps; ++k) {
        const int jj = mirror(j - radius + k, w);
        m1 += c[k] * mu1[jj];
        m2 += c[k] * mu2[jj];
        sxx += uint64_t{c[k]} * xx[jj];
        syy += uint64_t{c[k]} * yy[jj];
        sxy += uint64_t{c[k]} * xy[jj];
      }
      const uint32_t mu1_sq = static_cast<uint32_t>((uint64_t{m1} * m1 + 0x80000000u) >> 32);
      const uint32_t mu2_sq = static_cast<uint32_t>((uint64_t{m2} * m2 + 0x80000000u) >> 32);
      const uint32_t mu1_mu2 = static_cast<uint32_t>((uint64_t{m1} * m2 + 0x80000000u) >> 32);
      const uint32_t xx_f = static_cast<uint32_t>((sxx + 32768) >> 16);
      const uint32_t yy_f = static_cast<uint32_t>((syy + 32768) >> 16);
      const uint32_t xy_f = static_cast<uint32_t>((sxy + 32768) >> 16);
      const int32_t sigma1_sq = static_cast<int32_t>(xx_f - mu1_sq);
      const int32_t sigma2_sq = std::max(static_cast<int32_t>(yy_f - mu2_sq), 0);
      const int32_t sigma12 = static_cast<int32_t>(xy_f - mu1_mu2);
      if (sigma1_sq >= static_cast<int32_t>(kSigmaNsq)) {
        // log2(1 + sigma1_sq / sigma_nsq) = log2(sigma_nsq + sigma1_sq) - 17, in Q11.
        s.den_log += log2_q11(table, kSigmaNsq + static_cast<uint32_t>(sigma1_sq)) - 2048 * 17;
        if (sigma12 > 0 && sigma2_sq > 0) {
          // log2(1 + g^2 sigma1_sq / (sv_sq + sigma_nsq)) as a difference of two logs.
          const double eps = 65536 * 1.0e-10;
          double g = sigma12 / (sigma1_sq + eps);
          int32_t sv_sq = static_cast<int32_t>(sigma2_sq - g * sigma12);
          sv_sq = std::max(sv_sq, 0);
          g = std::min(g, a.gain_limit);
          const uint32_t numer1 = static_cast<uint32_t>(sv_sq) + kSigmaNsq;
          const int64_t numer1_tmp = static_cast<int64_t>(g * g * sigma1_sq) + numer1;
          s.num_log += log2_q11(table, static_cast<uint64_t>(numer1_tmp)) - log2_q11(table, numer1);
        }
      } else {
        s.num_non_log += sigma2_sq;
        s.den_non_log += 1;
      }
    }
  }
  return s;
}

void vif_int_decimate(const VifIntDecimateArgs& a) {
  const int w = a.width;
  const int taps = a.filter.taps;
  const int radius = taps / 2;
  const uint16_t* c = a.filter.coeff;
  std::vector<uint32_t> tr(w), td(w);
  for (int r = 0; r < a.n_out; ++r) {
    for (int j = 0; j < w; ++j) {
      uint32_t sr = 0, sd = 0;
      for (int k = 0; k < taps; ++k) {
        sr += c[k] * uint32_t{a.ref_rows[2 * r + k][j]};
        sd += c[k] * uint32_t{a.dis_rows[2 * r + k][j]};
      }
      tr[j] = static_cast<uint16_t>(round_shift32(sr, a.v_shift));
      td[j] = static_cast<uint16_t>(round_shift32(sd, a.v_shift));
    }
    uint16_t* out_r = a.ref_out + r * a.out_stride;
    uint16_t* out_d = a.dis_out + r * a.out_stride;
    for (int j = 0; j < w / 2; ++j) {
      uint32_t sr = 0, sd = 0;
      for (int k = 0; k < taps; ++k) {
        const int jj = mirror(2 * j - radius + k, w);
        sr += c[k] * tr[jj];
        sd += c[k] * td[jj];
      }
      out_r[j] = static_cast<uint16_t>((sr + 32768) >> 16);
      out_d[j] = static_cast<uint16_t>((sd + 32768) >> 16);
    }
  }
}

}  // namespace ref
}  // namespace vqfuse::kernels
