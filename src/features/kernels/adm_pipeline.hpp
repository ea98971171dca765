// The row pipeline of one ADM scale, shared by the integer and the float extractor.
//
// libvmaf runs each stage over whole bands (DWT, decoupling, CSF, contrast masking). Here one
// pass walks the band rows top to bottom and keeps only what the 3x3 masking needs in three-row
// rings, so the working set stays in cache: for band row i it
//   1. runs the vertical then the horizontal DWT of reference and distorted (the LL band goes to
//      the next scale's plane; detail bands only inside the margin region),
//   2. decouples row i and computes the CSF/masking rows of both the DLM and the AIM side,
//   3. adds row i to the denominator, and runs the masking of row i - 1 (whose neighbour rows
//      are now complete).
// Values outside the regions libvmaf computes are never read, as in libvmaf. The numbers are
// those of libvmaf's band-wise passes: every stage is row-local except the 3x3 masking.
//
// Ops supplies the arithmetic (admi or admf kernels) and accumulates the sums:
//   using T;                       int32_t or float
//   using Tmp0;                    vertical-pass rows at scale 0 (int16_t or float)
//   static constexpr int kMaskArrays;
//   void vert0(const uint16_t* const rows[4], int n, Tmp0* lo, Tmp0* hi);   scale 0
//   void vert(const T* const rows[4], int n, T* lo, T* hi);                scales 1..3
//   void hori(const Tmp0* / const T* src, int j0, int j1, T* lo, T* hi);   src at column 0
//   void decouple(const T* const o[3], const T* const t[3], int n, T* const r[3], T* const a[3]);
//   void den(const T* const b[3], int n);
//   void mask(const T* const src[3], int n, T* const out[kMaskArrays]);
//   void cm(bool aim, const T* const src[3], const T* const* above, const T* const* center,
//           const T* const* below, int n);
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <vector>

#include "core/image.hpp"
#include "features/kernels/adm_common.hpp"

namespace vqfuse::kernels::adm {

// Row buffers of one scale, reused across frames by one thread. Raw storage: the vertical-pass
// rows hold Ops::Tmp0 at scale 0 (int16 in the integer ADM) and T at the other scales.
template <class T>
class RowScratch {
 public:
  // Every row gets kPad elements in front (index -1 is readable) and slack for SIMD tails.
  static constexpr int kPad = 4;
  static constexpr int kSlack = 72;

  void reset(int tmp_width, int band_width, int mask_arrays) {
    tmp_stride_ = tmp_width + kPad + kSlack;
    band_stride_ = band_width + kPad + kSlack;
    const size_t elems = 4 * static_cast<size_t>(tmp_stride_) +
                         static_cast<size_t>(band_stride_) * (6 + 3 * (6 + 2 * mask_arrays)) + kPad;
    if (size_ < elems) {
      buf_.reset(new T[elems]());
      size_ = elems;
    }
    mask_arrays_ = mask_arrays;
  }
  // 0..3: reference lo, reference hi, distorted lo, distorted hi (vertical pass), as U.
  template <class U>
  U* tmp(int k) {
    static_assert(sizeof(U) <= sizeof(T));
    return reinterpret_cast<U*>(buf_.get() + static_cast<size_t>(k) * tmp_stride_) + kPad;
  }
  // 0..5: reference h, v, d, distorted h, v, d of the current row.
  T* band(int k) { return base() + static_cast<size_t>(k) * band_stride_; }
  // Ring slot (row % 3): 0..2 restored h, v, d; 3..5 additive h, v, d; then the DLM masking
  // arrays (kMaskArrays), then the AIM ones.
  T* ring(int slot, int k) {
    const size_t per_slot = 6 + 2 * static_cast<size_t>(mask_arrays_);
    return base() + (6 + slot * per_slot + k) * band_stride_;
  }

 private:
  T* base() { return buf_.get() + kPad + 4 * static_cast<size_t>(tmp_stride_); }
  std::unique_ptr<T[]> buf_;
  size_t size_ = 0;
  int tmp_stride_ = 0;
  int band_stride_ = 0;
  int mask_arrays_ = 0;
};

// Mirror-pads a vertical-pass row of width w for the horizontal filter (-1 -> 1, w -> w-1,
// w+1 -> w-2).
template <class T>
inline void pad_row(T* row, int w) {
  row[-1] = row[w > 1 ? 1 : 0];
  row[w] = row[w - 1];
  row[w + 1] = row[w > 1 ? w - 2 : 0];
}

// Runs one scale on planes ref/dis (w x h, In = uint16_t at scale 0, else T). Writes the LL
// band of both into next_ref/next_dis when they are non-null. detail = false only computes the
// LL band (libvmaf's adm_skip_scale0).
template <class Ops, class In, class T = typename Ops::T>
void run_scale(Ops& ops, RowScratch<T>& s, PlaneView<const In> ref, PlaneView<const In> dis,
               Image<T>* next_ref, Image<T>* next_dis, bool detail, bool aim) {
  constexpr int M = Ops::kMaskArrays;
  const int w = ref.width, h = ref.height;
  const int wb = (w + 1) / 2, hb = (h + 1) / 2;
  const Region sc = score_region(wb, hb);
  const Region mg = margin_region(wb, hb);
  s.reset(w, wb, M);

  // The vertical-pass rows: Ops::Tmp0 at scale 0 (from uint16 samples), T above.
  using Tmp = std::conditional_t<std::is_same_v<In, uint16_t>, typename Ops::Tmp0, T>;
  auto vertical = [&](PlaneView<const In> p, int i, Tmp* lo, Tmp* hi) {
    const In* rows[4];
    for (int k = 0; k < 4; ++k) rows[k] = p.row(dwt_mirror(2 * i - 1 + k, h));
    if constexpr (std::is_same_v<In, uint16_t>) {
      ops.vert0(rows, w, lo, hi);
    } else {
      ops.vert(rows, w, lo, hi);
    }
    pad_row(lo, w);
    if (hi) pad_row(hi, w);
  };

  auto mask_ptrs = [&](int row, bool aim_side, const T* out[M]) {
    const int slot = row % 3;
    for (int k = 0; k < M; ++k) out[k] = s.ring(slot, 6 + (aim_side ? M : 0) + k);
  };

  auto run_cm = [&](int c) {
    if (c < sc.y0 || c >= sc.y1) return;
    const int up = cm_mirror(c - 1, hb), down = cm_mirror(c + 1, hb);
    const int slot = c % 3;
    const T* r[3];
    const T* a[3];
    for (int k = 0; k < 3; ++k) {
      r[k] = s.ring(slot, k) + sc.x0;
      a[k] = s.ring(slot, 3 + k) + sc.x0;
    }
    for (int side = 0; side < (aim ? 2 : 1); ++side) {
      const T* above[M];
      const T* center[M];
      const T* below[M];
      mask_ptrs(up, side == 1, above);
      mask_ptrs(c, side == 1, center);
      mask_ptrs(down, side == 1, below);
      for (int k = 0; k < M; ++k) {
        above[k] += sc.x0;
        center[k] += sc.x0;
        below[k] += sc.x0;
      }
      // DLM masks the restored part with the additive part's CSF; AIM the reverse.
      ops.cm(side == 1, side == 1 ? a : r, above, center, below, sc.width());
    }
  };

  for (int i = 0; i < hb; ++i) {
    const bool in_margin = detail && i >= mg.y0 && i < mg.y1;
    Tmp* rlo = s.template tmp<Tmp>(0);
    Tmp* rhi = in_margin ? s.template tmp<Tmp>(1) : nullptr;
    Tmp* dlo = s.template tmp<Tmp>(2);
    Tmp* dhi = in_margin ? s.template tmp<Tmp>(3) : nullptr;
    vertical(ref, i, rlo, rhi);
    vertical(dis, i, dlo, dhi);
    T* ref_a = next_ref ? next_ref->row(i) : nullptr;
    T* dis_a = next_dis ? next_dis->row(i) : nullptr;
    // libvmaf's band_v is lo-vertical/hi-horizontal, band_h hi-vertical/lo-horizontal.
    if (!in_margin) {
      if (ref_a) ops.hori(rlo, 0, wb, ref_a, nullptr);
      if (dis_a) ops.hori(dlo, 0, wb, dis_a, nullptr);
      continue;
    }
    // One pass over the low-pass row gives LL (all columns) and the v band (margin columns
    // suffice; computing all of them is cheaper than a second pass).
    if (ref_a) ops.hori(rlo, 0, wb, ref_a, s.band(1));
    else ops.hori(rlo, mg.x0, mg.x1, nullptr, s.band(1));
    if (dis_a) ops.hori(dlo, 0, wb, dis_a, s.band(4));
    else ops.hori(dlo, mg.x0, mg.x1, nullptr, s.band(4));
    ops.hori(rhi, mg.x0, mg.x1, s.band(0), s.band(2));
    ops.hori(dhi, mg.x0, mg.x1, s.band(3), s.band(5));

    const int slot = i % 3;
    const T* o[3] = {s.band(0) + mg.x0, s.band(1) + mg.x0, s.band(2) + mg.x0};
    const T* t[3] = {s.band(3) + mg.x0, s.band(4) + mg.x0, s.band(5) + mg.x0};
    T* r[3];
    T* a[3];
    for (int k = 0; k < 3; ++k) {
      r[k] = s.ring(slot, k) + mg.x0;
      a[k] = s.ring(slot, 3 + k) + mg.x0;
    }
    ops.decouple(o, t, mg.width(), r, a);
    for (int side = 0; side < (aim ? 2 : 1); ++side) {
      T* out[M];
      for (int k = 0; k < M; ++k) out[k] = s.ring(slot, 6 + side * M + k);
      const T* src[3] = {side ? r[0] : a[0], side ? r[1] : a[1], side ? r[2] : a[2]};
      T* shifted[M];
      for (int k = 0; k < M; ++k) shifted[k] = out[k] + mg.x0;
      ops.mask(src, mg.width(), shifted);
      // At a band edge the masking reads column -1 as 1 and column wb as wb - 1.
      if (sc.x0 == 0 && wb > 1)
        for (int k = 0; k < M; ++k) {
          out[k][-1] = out[k][1];
          out[k][wb] = out[k][wb - 1];
        }
    }
    if (i >= sc.y0 && i < sc.y1) {
      const T* b[3] = {s.band(0) + sc.x0, s.band(1) + sc.x0, s.band(2) + sc.x0};
      ops.den(b, sc.width());
    }
    if (i >= 1) run_cm(i - 1);
  }
  if (detail) run_cm(hb - 1);
}

}  // namespace vqfuse::kernels::adm
