// ADM kernels (integer and float): every Highway target against the scalar reference, on random
// rows of every tail length and on extreme values.
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "features/kernels/adm_float.hpp"
#include "features/kernels/adm_int.hpp"
#include "simd_util.hpp"

namespace vqfuse::test {
namespace {

namespace admi = kernels::admi;
namespace admf = kernels::admf;

enum class Range { kInt16, kInt32, kSmall, kZero, kExtreme };
constexpr Range kRanges[] = {Range::kInt16, Range::kInt32, Range::kSmall, Range::kZero, Range::kExtreme};

// A row with `pad` readable elements on each side.
struct Row {
  std::vector<int32_t> v;
  int pad;
  int32_t* p() { return v.data() + pad; }
};

Row make_i32(int n, Range r, std::mt19937_64& rng, int pad = 4) {
  Row row{std::vector<int32_t>(n + 2 * pad + 80), pad};
  for (auto& x : row.v) {
    const uint64_t u = rng();
    switch (r) {
      case Range::kInt16: x = static_cast<int16_t>(u); break;
      case Range::kInt32: x = static_cast<int32_t>(u); break;
      case Range::kSmall: x = static_cast<int32_t>(u % 41) - 20; break;
      case Range::kZero: x = 0; break;
      case Range::kExtreme: {
        static const int32_t kVals[] = {0, 1, -1, 32767, -32768, 32768, -32767, 2147483647,
                                        std::numeric_limits<int32_t>::min(), 65535, -65536, 1 << 30};
        x = kVals[u % (sizeof(kVals) / sizeof(kVals[0]))];
        break;
      }
    }
  }
  return row;
}

// Values libvmaf's int16 pipeline can hold (scale 0 bands).
Range as16(Range r) { return r == Range::kInt32 || r == Range::kExtreme ? Range::kInt16 : r; }

class AdmIntKernel : public hwy::TestWithParamTarget {};
HWY_TARGET_INSTANTIATE_TEST_SUITE_P(AdmIntKernel);

TEST_P(AdmIntKernel, DwtMatchesReference) {
  std::mt19937_64 rng(1);
  for (size_t w : kWidths) {
    const int n = static_cast<int>(w);
    for (int bpc : {8, 10, 12}) {
      std::vector<std::vector<uint16_t>> src(4, std::vector<uint16_t>(n + 64));
      for (auto& r : src)
        for (auto& x : r) x = static_cast<uint16_t>(rng() & ((1u << bpc) - 1));
      const uint16_t* rows[4] = {src[0].data(), src[1].data(), src[2].data(), src[3].data()};
      std::vector<int16_t> lo(n), hi(n), lo_r(n), hi_r(n);
      admi::dwt_vert_s0(rows, n, bpc, lo.data(), hi.data());
      admi::ref::dwt_vert_s0(rows, n, bpc, lo_r.data(), hi_r.data());
      ASSERT_EQ(lo, lo_r) << "vert s0 n=" << n << " bpc=" << bpc;
      ASSERT_EQ(hi, hi_r) << "vert s0 n=" << n << " bpc=" << bpc;
    }
    for (Range range : kRanges)
      for (int scale = 0; scale < 4; ++scale) {
        const Range rr = scale == 0 ? as16(range) : range;
        Row in[4] = {make_i32(n, rr, rng), make_i32(n, rr, rng), make_i32(n, rr, rng), make_i32(n, rr, rng)};
        if (scale > 0) {
          const int32_t* rows[4] = {in[0].p(), in[1].p(), in[2].p(), in[3].p()};
          std::vector<int32_t> lo(n), hi(n), lo_r(n), hi_r(n);
          admi::dwt_vert_s123(rows, n, scale, lo.data(), hi.data());
          admi::ref::dwt_vert_s123(rows, n, scale, lo_r.data(), hi_r.data());
          ASSERT_EQ(lo, lo_r) << "vert scale " << scale << " n=" << n;
          ASSERT_EQ(hi, hi_r) << "vert scale " << scale << " n=" << n;
        }
        // Horizontal: src[-1 .. 2*n_out+2] readable.
        const int n_out = (n + 1) / 2;
        std::vector<int16_t> in16(in[0].v.begin(), in[0].v.end());
        for (int j0 : {0, n_out / 3}) {
          std::vector<int32_t> lo(n_out, 7), hi(n_out, 7), lo_r(n_out, 7), hi_r(n_out, 7);
          if (scale == 0) {
            const int16_t* src = in16.data() + in[0].pad - 1;
            admi::dwt_hori_s0(src, j0, n_out, lo.data(), hi.data());
            admi::ref::dwt_hori_s0(src, j0, n_out, lo_r.data(), hi_r.data());
          } else {
            admi::dwt_hori(in[0].p() - 1, j0, n_out, scale, lo.data(), hi.data());
            admi::ref::dwt_hori(in[0].p() - 1, j0, n_out, scale, lo_r.data(), hi_r.data());
          }
          ASSERT_EQ(lo, lo_r) << "hori scale " << scale << " n=" << n;
          ASSERT_EQ(hi, hi_r) << "hori scale " << scale << " n=" << n;
        }
      }
  }
}

TEST_P(AdmIntKernel, DecoupleMatchesReference) {
  std::mt19937_64 rng(2);
  for (size_t w : kWidths) {
    const int n = static_cast<int>(w);
    for (Range range : kRanges)
      for (bool wrap16 : {true, false})
        for (double gain : {100.0, 1.0, 1.37}) {
          const Range rr = wrap16 ? as16(range) : range;
          Row o[3] = {make_i32(n, rr, rng), make_i32(n, rr, rng), make_i32(n, rr, rng)};
          Row t[3] = {make_i32(n, rr, rng), make_i32(n, rr, rng), make_i32(n, rr, rng)};
          // Distorted close to the reference exercises the angle test and k in (0, 1).
          if (rng() & 1)
            for (int b = 0; b < 3; ++b)
              for (int j = 0; j < n; ++j)
                if (rng() % 3) t[b].p()[j] = static_cast<int32_t>(o[b].p()[j] * 0.9);
          const int32_t* op[3] = {o[0].p(), o[1].p(), o[2].p()};
          const int32_t* tp[3] = {t[0].p(), t[1].p(), t[2].p()};
          std::vector<int32_t> out(12 * n), out_r(12 * n);
          int32_t* r[3] = {&out[0], &out[n], &out[2 * n]};
          int32_t* a[3] = {&out[3 * n], &out[4 * n], &out[5 * n]};
          int32_t* rr_[3] = {&out_r[0], &out_r[n], &out_r[2 * n]};
          int32_t* ar[3] = {&out_r[3 * n], &out_r[4 * n], &out_r[5 * n]};
          admi::decouple(op, tp, n, gain, wrap16, r, a);
          admi::ref::decouple(op, tp, n, gain, wrap16, rr_, ar);
          ASSERT_EQ(out, out_r) << "n=" << n << " wrap16=" << wrap16 << " gain=" << gain;
        }
  }
}

TEST_P(AdmIntKernel, CsfDenCmMatchReference) {
  std::mt19937_64 rng(3);
  for (size_t w : kWidths) {
    const int n = static_cast<int>(w);
    for (Range range : kRanges) {
      Row b16[3] = {make_i32(n, as16(range), rng), make_i32(n, as16(range), rng), make_i32(n, as16(range), rng)};
      Row b32[3] = {make_i32(n, range, rng), make_i32(n, range, rng), make_i32(n, range, rng)};
      const int32_t* s16[3] = {b16[0].p(), b16[1].p(), b16[2].p()};
      const int32_t* s32[3] = {b32[0].p(), b32[1].p(), b32[2].p()};
      uint64_t d[3], d_r[3];
      admi::den_s0(s16, n, d);
      admi::ref::den_s0(s16, n, d_r);
      ASSERT_EQ(std::vector<uint64_t>(d, d + 3), std::vector<uint64_t>(d_r, d_r + 3)) << "den_s0 n=" << n;
      for (int sq : {30, 31})
        for (int cub : {0, 5, 9}) {
          admi::den_s123(s32, n, sq, cub, d);
          admi::ref::den_s123(s32, n, sq, cub, d_r);
          ASSERT_EQ(std::vector<uint64_t>(d, d + 3), std::vector<uint64_t>(d_r, d_r + 3)) << "den_s123 n=" << n;
        }
      const uint16_t rf16[2][3] = {{36453, 36453, 49417}, {65535, 1, 40000}};
      const uint32_t rf32[2][3] = {{1u << 30, 1u << 30, 123456789u}, {4294967295u, 3000000000u, 7u}};
      for (int v = 0; v < 2; ++v) {
        std::vector<int32_t> f(n), c(n), f_r(n), c_r(n);
        admi::csf_s0(s16, n, rf16[v], f.data(), c.data());
        admi::ref::csf_s0(s16, n, rf16[v], f_r.data(), c_r.data());
        ASSERT_EQ(f, f_r) << "csf_s0 n=" << n;
        ASSERT_EQ(c, c_r) << "csf_s0 n=" << n;
        admi::csf_s123(s32, n, rf32[v], f.data(), c.data());
        admi::ref::csf_s123(s32, n, rf32[v], f_r.data(), c_r.data());
        ASSERT_EQ(f, f_r) << "csf_s123 n=" << n;
        ASSERT_EQ(c, c_r) << "csf_s123 n=" << n;
      }
      // Masking: thresholds from moderate rows so that both clipped and unclipped terms occur.
      Row fa = make_i32(n, Range::kSmall, rng), fc = make_i32(n, Range::kSmall, rng);
      Row fb = make_i32(n, Range::kSmall, rng), cc = make_i32(n, Range::kSmall, rng);
      for (bool s123 : {false, true}) {
        admi::CmParams p;
        p.s123 = s123;
        for (int k = 0; k < 3; ++k) {
          p.rfactor[k] = s123 ? rf32[0][k] : rf16[0][k];
          p.sub[k] = s123 ? 0 : (k == 2 ? 12 : 10);
          p.shift_sq[k] = s123 ? 30 : (k == 2 ? 30 : 29);
          p.shift_cub[k] = static_cast<int>(rng() % 11);
        }
        int64_t m[3], m_r[3];
        admi::cm(s123 ? s32 : s16, fa.p(), fc.p(), fb.p(), cc.p(), n, p, m);
        admi::ref::cm(s123 ? s32 : s16, fa.p(), fc.p(), fb.p(), cc.p(), n, p, m_r);
        ASSERT_EQ(std::vector<int64_t>(m, m + 3), std::vector<int64_t>(m_r, m_r + 3))
            << "cm n=" << n << " s123=" << s123;
      }
    }
  }
}

// ---- float ----

std::vector<float> make_f32(int n, int kind, std::mt19937_64& rng) {
  std::vector<float> v(n + 80);
  std::uniform_real_distribution<float> u(-200.0f, 200.0f);
  for (auto& x : v) {
    switch (kind) {
      case 0: x = u(rng); break;
      case 1: x = 0.0f; break;
      case 2: x = static_cast<float>(static_cast<int>(rng() % 7) - 3); break;
      default: x = u(rng) * 1e-3f; break;
    }
  }
  return v;
}

class AdmFloatKernel : public hwy::TestWithParamTarget {};
HWY_TARGET_INSTANTIATE_TEST_SUITE_P(AdmFloatKernel);

TEST_P(AdmFloatKernel, MatchesReference) {
  std::mt19937_64 rng(4);
  for (size_t w : kWidths) {
    const int n = static_cast<int>(w);
    for (int kind = 0; kind < 4; ++kind) {
      for (int bpc : {8, 10, 12, 16}) {
        std::vector<std::vector<uint16_t>> src(4, std::vector<uint16_t>(n + 64));
        for (auto& r : src)
          for (auto& x : r) x = static_cast<uint16_t>(rng() & ((1u << bpc) - 1));
        const uint16_t* rows[4] = {src[0].data(), src[1].data(), src[2].data(), src[3].data()};
        std::vector<float> lo(n), hi(n), lo_r(n), hi_r(n);
        admf::dwt_vert_u16(rows, n, bpc, lo.data(), hi.data());
        admf::ref::dwt_vert_u16(rows, n, bpc, lo_r.data(), hi_r.data());
        ASSERT_EQ(0, std::memcmp(lo.data(), lo_r.data(), n * sizeof(float))) << "vert_u16 n=" << n;
        ASSERT_EQ(0, std::memcmp(hi.data(), hi_r.data(), n * sizeof(float))) << "vert_u16 n=" << n;
      }
      std::vector<float> in[6];
      for (auto& v : in) v = make_f32(n + 8, kind, rng);
      const float* rows[4] = {in[0].data(), in[1].data(), in[2].data(), in[3].data()};
      std::vector<float> x(3 * n + 8), y(3 * n + 8), xr(3 * n + 8), yr(3 * n + 8);
      admf::dwt_vert(rows, n, x.data(), y.data());
      admf::ref::dwt_vert(rows, n, xr.data(), yr.data());
      ASSERT_EQ(x, xr);
      ASSERT_EQ(y, yr);
      const int n_out = (n + 1) / 2;
      admf::dwt_hori(in[0].data() + 1, 0, n_out, x.data(), y.data());
      admf::ref::dwt_hori(in[0].data() + 1, 0, n_out, xr.data(), yr.data());
      ASSERT_EQ(x, xr) << "hori n=" << n;
      ASSERT_EQ(y, yr) << "hori n=" << n;

      std::vector<float> o[3] = {make_f32(n, kind, rng), make_f32(n, kind, rng), make_f32(n, kind, rng)};
      std::vector<float> t[3];
      for (int b = 0; b < 3; ++b) {
        t[b] = make_f32(n, kind, rng);
        for (int j = 0; j < n; ++j)
          if (rng() % 2) t[b][j] = o[b][j] * 0.93f;
      }
      const float* op[3] = {o[0].data(), o[1].data(), o[2].data()};
      const float* tp[3] = {t[0].data(), t[1].data(), t[2].data()};
      std::vector<float> ro(6 * n), rr(6 * n);
      float* r1[3] = {&ro[0], &ro[n], &ro[2 * n]};
      float* a1[3] = {&ro[3 * n], &ro[4 * n], &ro[5 * n]};
      float* r2[3] = {&rr[0], &rr[n], &rr[2 * n]};
      float* a2[3] = {&rr[3 * n], &rr[4 * n], &rr[5 * n]};
      for (float gain : {100.0f, 1.0f, 1.25f}) {
        admf::decouple(op, tp, n, gain, r1, a1);
        admf::ref::decouple(op, tp, n, gain, r2, a2);
        ASSERT_EQ(0, std::memcmp(ro.data(), rr.data(), ro.size() * sizeof(float))) << "decouple n=" << n;
      }
      admf::csf(o[0].data(), n, 0.0173f, x.data(), y.data());
      admf::ref::csf(o[0].data(), n, 0.0173f, xr.data(), yr.data());
      ASSERT_EQ(x, xr);
      ASSERT_EQ(y, yr);
      for (bool cube : {true, false}) {
        admf::den_terms(o[1].data(), n, 0.02f, cube, x.data());
        admf::ref::den_terms(o[1].data(), n, 0.02f, cube, xr.data());
        ASSERT_EQ(x, xr);
        // Masking rows: element -1 .. n readable.
        std::vector<float> m[12];
        for (auto& v : m) {
          v = make_f32(n + 2, kind == 1 ? 1 : 3, rng);
          for (auto& e : v) e = std::fabs(e) * 50;
        }
        admf::CmRows cr;
        for (int b = 0; b < 3; ++b) {
          cr.src[b] = o[b].data();
          cr.mag[b] = m[b].data() + 1;
          cr.above[b] = m[3 + b].data() + 1;
          cr.center[b] = m[6 + b].data() + 1;
          cr.below[b] = m[9 + b].data() + 1;
        }
        const float rf[3] = {0.0173f, 0.0173f, 0.0059f};
        for (bool bypass : {false, true}) {
          float* out[3] = {&x[0], &x[n], &x[2 * n]};
          float* out_r[3] = {&xr[0], &xr[n], &xr[2 * n]};
          admf::cm_terms(cr, n, rf, bypass, cube, out);
          admf::ref::cm_terms(cr, n, rf, bypass, cube, out_r);
          ASSERT_EQ(0, std::memcmp(x.data(), xr.data(), 3 * n * sizeof(float))) << "cm n=" << n;
        }
      }
      const double s = admf::sum16(o[2].data(), n);
      const double s_r = admf::ref::sum16(o[2].data(), n);
      ASSERT_EQ(0, std::memcmp(&s, &s_r, sizeof s)) << "sum16 n=" << n;
    }
  }
}

TEST(AdmReference, Sum16Order) {
  // Value i goes to accumulator i % 16; 1e16 + 1 - 1e16 shows the order is fixed.
  std::vector<float> v(17, 0.0f);
  v[0] = 1e16f;
  v[16] = -1e16f;
  v[1] = 1.0f;
  EXPECT_EQ(admf::ref::sum16(v.data(), 17), 1.0);
}

TEST(AdmReference, IntDwtKnownValues) {
  // A flat 8-bit row of 128 maps to 0 in the low band and 0 in the high band.
  std::vector<uint16_t> flat(8, 128);
  const uint16_t* rows[4] = {flat.data(), flat.data(), flat.data(), flat.data()};
  int16_t lo[8], hi[8];
  admi::ref::dwt_vert_s0(rows, 8, 8, lo, hi);
  for (int j = 0; j < 8; ++j) {
    EXPECT_EQ(lo[j], 0);
    EXPECT_EQ(hi[j], 0);
  }
}

}  // namespace
}  // namespace vqfuse::test
