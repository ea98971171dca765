// cambi kernels: every Highway target against the scalar reference (bit-exact).
#include "features/kernels/cambi.hpp"

#include <algorithm>
#include <random>
#include <vector>

#include "core/image.hpp"
#include "features/kernels/cambi_pipeline.hpp"
#include "simd_util.hpp"

namespace vqfuse::test {
namespace {

namespace cb = kernels::cambi;

class CambiKernel : public hwy::TestWithParamTarget {};
HWY_TARGET_INSTANTIATE_TEST_SUITE_P(CambiKernel);

std::vector<uint16_t> random_row(size_t n, uint64_t seed, int lo, int hi, size_t slack = 0) {
  std::mt19937_64 rng(seed);
  std::vector<uint16_t> v(n + slack);
  for (auto& x : v)
    x = static_cast<uint16_t>(lo + static_cast<int>(rng() % static_cast<uint64_t>(hi - lo + 1)));
  return v;
}

// Keys with runs of random length, some kNoKey stretches.
std::vector<uint16_t> key_row(size_t n, uint64_t seed, int band, size_t slack = cb::kRowSlack) {
  std::mt19937_64 rng(seed);
  std::vector<uint16_t> v(n + slack, cb::kNoKey);
  size_t j = 0;
  while (j < n) {
    const size_t len = 1 + rng() % (rng() % 4 == 0 ? 40 : 4);
    const uint16_t k =
        rng() % 5 == 0 ? cb::kNoKey : static_cast<uint16_t>(rng() % static_cast<uint64_t>(band));
    for (size_t i = 0; i < len && j < n; ++i, ++j) v[j] = k;
  }
  return v;
}

TEST_P(CambiKernel, RowKernelsMatchReference) {
  const std::string t = hwy::TargetName(GetParam());
  for (size_t w : kWidths) {
    SCOPED_TRACE(t + " w=" + std::to_string(w));
    for (int bpc : {8, 10, 12, 16}) {
      const auto in = random_row(w, w + bpc, 0, (1 << bpc) - 1);
      std::vector<uint16_t> a(w), b(w);
      EXPECT_EQ(cb::to10_row(in.data(), a.data(), w, bpc),
                cb::ref::to10_row(in.data(), b.data(), w, bpc));
      EXPECT_EQ(a, b) << "to10 bpc " << bpc;
    }
    {
      const auto r0 = random_row(w, w, 0, 1023), r1 = random_row(w, w + 1, 0, 1023);
      std::vector<uint16_t> a(w), b(w);
      cb::antidither_row(r0.data(), r1.data(), a.data(), w);
      cb::ref::antidither_row(r0.data(), r1.data(), b.data(), w);
      EXPECT_EQ(a, b) << "antidither";
      cb::antidither_row(r0.data(), nullptr, a.data(), w);
      cb::ref::antidither_row(r0.data(), nullptr, b.data(), w);
      EXPECT_EQ(a, b) << "antidither last row";
    }
    for (int range : {1, 3, 1023}) {
      const auto cur = random_row(w, w * 7 + range, 0, range),
                 below = random_row(w, w * 9 + range, 0, range);
      std::vector<uint8_t> a(w), b(w);
      cb::zero_deriv_row(cur.data(), below.data(), a.data(), w);
      cb::ref::zero_deriv_row(cur.data(), below.data(), b.data(), w);
      EXPECT_EQ(a, b) << "zero_deriv";
      cb::zero_deriv_row(cur.data(), nullptr, a.data(), w);
      cb::ref::zero_deriv_row(cur.data(), nullptr, b.data(), w);
      EXPECT_EQ(a, b) << "zero_deriv last row";

      std::vector<uint16_t> ha(w), hb(w), va(w), vb(w);
      cb::hmode_row(cur.data(), ha.data(), w);
      cb::ref::hmode_row(cur.data(), hb.data(), w);
      EXPECT_EQ(ha, hb) << "hmode";
      const auto third = random_row(w, w * 11 + range, 0, range);
      cb::vmode_row(cur.data(), below.data(), third.data(), va.data(), w);
      cb::ref::vmode_row(cur.data(), below.data(), third.data(), vb.data(), w);
      EXPECT_EQ(va, vb) << "vmode";
    }
    {
      std::vector<uint8_t> add(w), ca(w + 6, 0), cb_(w + 6, 0);
      std::mt19937_64 rng(w);
      for (auto& x : add) x = rng() & 1;
      for (size_t i = 3; i < w + 3; ++i) ca[i] = cb_[i] = static_cast<uint8_t>(rng() % 7);
      cb::colsum_update(ca.data() + 3, add.data(), w, +1);
      cb::ref::colsum_update(cb_.data() + 3, add.data(), w, +1);
      EXPECT_EQ(ca, cb_) << "colsum +";
      cb::colsum_update(ca.data() + 3, add.data(), w, -1);
      cb::ref::colsum_update(cb_.data() + 3, add.data(), w, -1);
      EXPECT_EQ(ca, cb_) << "colsum -";
      for (int thr : {0, 7, 21, 30, 48}) {
        std::vector<uint8_t> ma(w), mb(w);
        cb::mask_row(ca.data() + 3, ma.data(), w, thr);
        cb::ref::mask_row(ca.data() + 3, mb.data(), w, thr);
        EXPECT_EQ(ma, mb) << "mask thr " << thr;
      }
    }
    {
      const auto in = random_row(2 * w + 1, w, 0, 65535);
      std::vector<uint16_t> a(w), b(w);
      cb::decimate_row_u16(in.data(), a.data(), w);
      cb::ref::decimate_row_u16(in.data(), b.data(), w);
      EXPECT_EQ(a, b) << "decimate u16";
      std::vector<uint8_t> in8(2 * w + 1), a8(w), b8(w);
      for (size_t i = 0; i < in8.size(); ++i) in8[i] = static_cast<uint8_t>(in[i]);
      cb::decimate_row_u8(in8.data(), a8.data(), w);
      cb::ref::decimate_row_u8(in8.data(), b8.data(), w);
      EXPECT_EQ(a8, b8) << "decimate u8";
      // In place, as the pipeline uses it.
      std::vector<uint16_t> ip = in, ip_ref = in;
      cb::decimate_row_u16(ip.data(), ip.data(), w);
      cb::ref::decimate_row_u16(ip_ref.data(), ip_ref.data(), w);
      EXPECT_EQ(ip, ip_ref) << "decimate in place";
    }
    for (auto [base, size] : {std::pair<int, int>{0, 564}, {100, 37}, {0, 0}, {1000, 60000}}) {
      const auto img = random_row(w, w + static_cast<uint64_t>(base), 0, 1100);
      std::vector<uint8_t> mask(w);
      std::mt19937_64 rng(w);
      for (auto& m : mask) m = rng() % 3 != 0;
      std::vector<uint16_t> a(w), b(w);
      cb::keys_row(img.data(), mask.data(), a.data(), w, static_cast<uint16_t>(base),
                   static_cast<uint16_t>(size));
      cb::ref::keys_row(img.data(), mask.data(), b.data(), w, static_cast<uint16_t>(base),
                        static_cast<uint16_t>(size));
      EXPECT_EQ(a, b) << "keys base " << base << " size " << size;
    }
  }
}

TEST_P(CambiKernel, SlideRowsMatchesReference) {
  const std::string t = hwy::TargetName(GetParam());
  constexpr int kBand = 40;
  for (size_t w : kWidths) {
    for (int pad : {1, 3, 16, 32}) {
      // Whole rows, and a strip that also sees pad keys on each side.
      for (int origin : {0, -pad}) {
        SCOPED_TRACE(t + " w=" + std::to_string(w) + " pad=" + std::to_string(pad) +
                     " origin=" + std::to_string(origin));
        const int width =
            origin == 0 ? static_cast<int>(w) : std::max(1, static_cast<int>(w) - 2 * pad);
        const ptrdiff_t stride = (width + cb::kRowSlack + 31) / 32 * 32;
        Image<uint16_t> ha(static_cast<int>(stride), kBand), hb(static_cast<int>(stride), kBand);
        std::fill_n(ha.data(), stride * (kBand + 1), 0);
        std::fill_n(hb.data(), stride * (kBand + 1), 0);
        cb::HistStrip ga{ha.data(), stride, pad, origin, width};
        cb::HistStrip gb{hb.data(), stride, pad, origin, width};
        std::vector<uint16_t> te(w + cb::kRowSlack + 1), tl(w + cb::kRowSlack + 1);
        std::vector<uint16_t> re(w + cb::kRowSlack + 1), rl(w + cb::kRowSlack + 1);
        std::vector<std::vector<uint16_t>> added;
        for (int step = 0; step < 6; ++step) {
          const auto enter = key_row(w, w * 31 + static_cast<uint64_t>(step + pad), kBand);
          auto leave = key_row(w, w * 37 + static_cast<uint64_t>(step + pad), kBand);
          if (step == 3) leave = enter;  // everything cancels
          const uint16_t* e = step == 1 ? nullptr : enter.data();
          const uint16_t* l = step == 0 ? nullptr : leave.data();
          cb::slide_rows(ga, e, l, te.data() + 1, tl.data() + 1, w);
          cb::ref::slide_rows(gb, e, l, re.data() + 1, rl.data() + 1, w);
          for (int k = 0; k < kBand; ++k)
            ASSERT_TRUE(std::equal(ha.data() + k * stride, ha.data() + k * stride + width,
                                   hb.data() + k * stride))
                << "step " << step << " key " << k;
        }
        // Adding rows and removing them again (split differently) restores every word.
        std::fill_n(ha.data(), stride * (kBand + 1), 0);
        const auto r1 = key_row(w, w + 1, kBand), r2 = key_row(w, w + 2, kBand);
        cb::slide_rows(ga, r1.data(), nullptr, te.data() + 1, tl.data() + 1, w);
        cb::slide_rows(ga, r2.data(), r1.data(), te.data() + 1, tl.data() + 1, w);
        cb::slide_rows(ga, nullptr, r2.data(), te.data() + 1, tl.data() + 1, w);
        EXPECT_TRUE(std::all_of(ha.data(), ha.data() + stride * (kBand + 1),
                                [](uint16_t v) { return v == 0; }));
      }
    }
  }
}

TEST_P(CambiKernel, CRowMatchesReference) {
  const std::string t = hwy::TargetName(GetParam());
  for (int nd : {1, 4, 32}) {
    const int band = 48 + nd;
    std::vector<int32_t> weights(static_cast<size_t>(nd));
    for (int d = 0; d < nd; ++d) weights[static_cast<size_t>(d)] = 1 + d % 9;
    std::vector<uint32_t> gates(static_cast<size_t>(band));
    std::mt19937_64 rng(static_cast<uint64_t>(nd));
    for (int k = 0; k < band; ++k)
      for (int d = 0; d < nd; ++d)
        if (k + d + 1 < band && rng() % 4 != 0) gates[static_cast<size_t>(k)] |= 1u << d;
    for (size_t w : kWidths) {
      SCOPED_TRACE(t + " nd=" + std::to_string(nd) + " w=" + std::to_string(w));
      const ptrdiff_t stride = (static_cast<ptrdiff_t>(w) + cb::kRowSlack + 31) / 32 * 32;
      Image<uint16_t> hist(static_cast<int>(stride), band);
      for (ptrdiff_t i = 0; i < stride * band; ++i)
        hist.data()[i] = static_cast<uint16_t>(rng() % 3 == 0 ? 0 : rng() % 2113);
      cb::CParams p;
      p.num_diffs = nd;
      p.gates = gates.data();
      p.weights = weights.data();
      p.recip = cb::reciprocal_table();
      p.hist = hist.data();
      p.hist_stride = stride;
      for (int pattern = 0; pattern < 3; ++pattern) {
        // Uniform runs, fully mixed, or mostly kNoKey.
        std::vector<uint16_t> keys = key_row(w, w + static_cast<uint64_t>(pattern), band);
        if (pattern == 1)
          for (auto& k : keys) k = static_cast<uint16_t>(rng() % static_cast<uint64_t>(band));
        if (pattern == 2)
          for (auto& k : keys) k = rng() % 8 == 0 ? k : cb::kNoKey;
        std::vector<float> ca(w + cb::kRowSlack), cr(w + cb::kRowSlack);
        std::vector<float> nza(w + cb::kRowSlack + 5, -1), nzr(w + cb::kRowSlack + 5, -1);
        size_t na = 2, nr = 2;  // appends after existing entries
        const double sa = cb::c_row(p, keys.data(), ca.data(), w, nza.data(), &na);
        const double sr = cb::ref::c_row(p, keys.data(), cr.data(), w, nzr.data(), &nr);
        EXPECT_EQ(sa, sr) << "pattern " << pattern;
        ASSERT_EQ(na, nr) << "pattern " << pattern;
        std::sort(nza.begin() + 2, nza.begin() + static_cast<ptrdiff_t>(na));
        std::sort(nzr.begin() + 2, nzr.begin() + static_cast<ptrdiff_t>(nr));
        EXPECT_TRUE(std::equal(nza.begin(), nza.begin() + static_cast<ptrdiff_t>(na), nzr.begin()))
            << "pattern " << pattern;
      }
    }
  }
}

TEST(CambiReference, TrapezoidOfARun) {
  // Run [5, 7] with pad 2 over 12 columns: each column counts run columns within 2 of it.
  std::vector<uint16_t> h(12, 0);
  cb::ref::hist_run(h.data(), 5, 7, 2, 12, +1);
  EXPECT_EQ(h, (std::vector<uint16_t>{0, 0, 0, 1, 2, 3, 3, 3, 2, 1, 0, 0}));
}

TEST(CambiReference, ModeFilterRow) {
  const uint16_t in[] = {5, 1, 5, 7, 8, 9, 9};
  uint16_t out[7];
  cb::ref::hmode_row(in, out, 7);
  // Ends copied; a repeated value wins; all distinct -> the smallest.
  EXPECT_EQ(std::vector<uint16_t>(out, out + 7), (std::vector<uint16_t>{5, 5, 1, 5, 7, 9, 9}));
}

}  // namespace
}  // namespace vqfuse::test
