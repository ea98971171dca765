// Plane drivers of motion_plane.hpp: row bands of kTileRows, each band with its own small ring
// of source rows so that every input row is converted (or differenced) once per band and the
// working set stays in L1/L2.
//
// Band buffers live in a per-thread arena reused across bands and frames: allocating them per
// band makes glibc grow and trim its heap every time, and the page faults that follow cost more
// than the kernels. A band function never waits on other tasks, so nothing else runs on its
// thread while it uses the arena.
#include "features/kernels/motion_plane.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <vector>

#include "core/parallel.hpp"
#include "features/kernels/motion.hpp"

namespace vqfuse::kernels {
namespace {

// Bump allocator over this thread's arena; the arena only grows.
class Arena {
 public:
  explicit Arena(size_t bytes) {
    thread_local std::unique_ptr<std::byte[], AlignedFree> buf;
    thread_local size_t capacity = 0;
    if (capacity < bytes) {
      capacity = (bytes + 4095) / 4096 * 4096;
      buf.reset(static_cast<std::byte*>(std::aligned_alloc(64, capacity)));
      if (!buf) throw std::bad_alloc();
    }
    next_ = buf.get();
  }
  template <class T>
  T* take(size_t n) {
    T* p = reinterpret_cast<T*>(next_);
    next_ += round_up(n * sizeof(T));
    return p;
  }
  static size_t round_up(size_t bytes) { return (bytes + 63) / 64 * 64; }

 private:
  std::byte* next_;
};

size_t row_stride(int width) { return (static_cast<size_t>(width) + 15) / 16 * 16; }

// Source rows are read one per output row, too little of a stream for the hardware prefetcher
// to run ahead: ask for the row two ahead while this one is converted.
void prefetch_row(CPlaneU16 plane, int r) {
  if (r >= plane.height) return;
  const char* p = reinterpret_cast<const char*>(plane.row(r));
  const size_t bytes = static_cast<size_t>(plane.width) * sizeof(uint16_t);
  for (size_t b = 0; b < bytes; b += 64) __builtin_prefetch(p + b);
}

// Ring of 5 derived rows indexed by source row % 5. The rows one output row reads (mirrored
// y-2..y+2) always lie within 5 consecutive indices, so they never share a slot.
template <class T>
class RowRing {
 public:
  static size_t bytes(int width) { return Arena::round_up(5 * row_stride(width) * sizeof(T)); }
  RowRing(int width, Arena& arena)
      : stride_(row_stride(width)), data_(arena.take<T>(5 * stride_)) {}
  // Pointer to derived row `r`, computing it with fill(r, dst) when not cached.
  template <class Fill>
  const T* get(int r, Fill&& fill) {
    const int slot = r % 5;
    T* dst = data_ + static_cast<size_t>(slot) * stride_;
    if (row_[slot] != r) {
      fill(r, dst);
      row_[slot] = r;
    }
    return dst;
  }

 private:
  size_t stride_;
  T* data_;
  int row_[5] = {-1, -1, -1, -1, -1};
};

// Fills the `radius` samples on each side of row[0..w) (stored at pad + radius) by mirroring.
template <class T>
void mirror_pad(T* pad, int w, int radius) {
  T* row = pad + radius;
  for (int i = 1; i <= radius; ++i) {
    row[-i] = row[motion_mirror(-i, w)];
    row[w - 1 + i] = row[motion_mirror(w - 1 + i, w)];
  }
}

}  // namespace

uint64_t integer_motion_sad(CPlaneU16 prev, CPlaneU16 cur, int bpc) {
  const int w = cur.width;
  const int h = cur.height;
  std::vector<uint64_t> parts(static_cast<size_t>(tile_count(h)));
  for_each_tile(h, kTileRows, [&](int t, int y0, int y1) {
    Arena arena(RowRing<int32_t>::bytes(w) + Arena::round_up((static_cast<size_t>(w) + 4) * sizeof(int32_t)));
    RowRing<int32_t> diff(w, arena);
    int32_t* v_pad = arena.take<int32_t>(static_cast<size_t>(w) + 4);
    const auto fill = [&](int r, int32_t* dst) {
      motion_diff_row(prev.row(r), cur.row(r), static_cast<size_t>(w), dst);
      prefetch_row(prev, r + 2);
      prefetch_row(cur, r + 2);
    };
    uint64_t sad = 0;
    for (int y = y0; y < y1; ++y) {
      const int32_t* rows[5];
      for (int k = 0; k < 5; ++k) rows[k] = diff.get(motion_mirror(y - 2 + k, h), fill);
      motion_vconv_row(rows, static_cast<size_t>(w), bpc, v_pad + 2);
      mirror_pad(v_pad, w, 2);
      sad += motion_hconv_abs_sum(v_pad, static_cast<size_t>(w));
    }
    parts[static_cast<size_t>(t)] = sad;
  });
  return ordered_sum(parts);
}

namespace {

// Rows whose |a - b| are staged before their serial sums (motion_row_sums runs one row per
// SIMD lane, up to 16).
constexpr int kGroup = 16;

// Row-by-row blur of one plane inside a band: a ring of converted source rows and the padded
// vertical-pass row.
class BandBlur {
 public:
  static size_t bytes(int width, int taps) {
    return RowRing<float>::bytes(width) +
           Arena::round_up((static_cast<size_t>(width) + static_cast<size_t>(taps)) *
                           sizeof(float));
  }
  BandBlur(CPlaneU16 src, int bpc, const float* filt, int taps, Arena& arena)
      : src_(src),
        filt_(filt),
        taps_(taps),
        radius_(taps / 2),
        scale_(static_cast<float>(1 << (bpc - 8))),
        ring_(src.width, arena),
        tmp_pad_(arena.take<float>(static_cast<size_t>(src.width) + static_cast<size_t>(taps))) {}

  void row(int y, float* out) {
    const int w = src_.width;
    const auto fill = [&](int r, float* dst) {
      motion_u16_to_float_row(src_.row(r), static_cast<size_t>(w), scale_, -128.f, dst);
      prefetch_row(src_, r + 2);
    };
    const float* rows[kMotionMaxTaps];
    for (int k = 0; k < taps_; ++k)
      rows[k] = ring_.get(motion_mirror(y - radius_ + k, src_.height), fill);
    motion_blur_vrow(rows, filt_, taps_, static_cast<size_t>(w), tmp_pad_ + radius_);
    mirror_pad(tmp_pad_, w, radius_);
    motion_blur_hrow(tmp_pad_, filt_, taps_, static_cast<size_t>(w), out);
  }

 private:
  CPlaneU16 src_;
  const float* filt_;
  int taps_;
  int radius_;
  float scale_;
  RowRing<float> ring_;
  float* tmp_pad_;
};

float finish_mean(const std::vector<float>& line_sum, int w, int h) {
  float accum = 0.f;
  for (float s : line_sum) accum += s;
  return accum / static_cast<float>(w * h);
}

}  // namespace

void motion_blur_plane(CPlaneU16 src, int bpc, const float* filt, int taps, ImageF& out) {
  if (out.width() != src.width || out.height() != src.height) out.reset(src.width, src.height);
  for_each_tile(src.height, kTileRows, [&](int, int y0, int y1) {
    Arena arena(BandBlur::bytes(src.width, taps));
    BandBlur blur(src, bpc, filt, taps, arena);
    for (int y = y0; y < y1; ++y) blur.row(y, out.row(y));
  });
}

float motion_blur_mean_abs_diff(CPlaneU16 a, CPlaneU16 b, int bpc, const float* filt, int taps) {
  const int w = a.width;
  const int h = a.height;
  const size_t stride = row_stride(w);
  std::vector<float> line_sum(static_cast<size_t>(h));
  for_each_tile(h, kTileRows, [&](int, int y0, int y1) {
    Arena arena(2 * BandBlur::bytes(w, taps) +
                Arena::round_up((2 + kGroup) * stride * sizeof(float)));
    BandBlur blur_a(a, bpc, filt, taps, arena);
    BandBlur blur_b(b, bpc, filt, taps, arena);
    float* row_a = arena.take<float>(stride);
    float* row_b = arena.take<float>(stride);
    float* diff = arena.take<float>(kGroup * stride);
    const float* rows[kGroup];
    for (int g = y0; g < y1; g += kGroup) {
      const int n_rows = std::min(kGroup, y1 - g);
      for (int r = 0; r < n_rows; ++r) {
        blur_a.row(g + r, row_a);
        blur_b.row(g + r, row_b);
        motion_absdiff_row(row_a, row_b, static_cast<size_t>(w), diff + r * stride);
        rows[r] = diff + r * stride;
      }
      motion_row_sums(rows, n_rows, static_cast<size_t>(w), line_sum.data() + g);
    }
  });
  return finish_mean(line_sum, w, h);
}

float motion_mean_abs_diff(const ImageF& a, const ImageF& b) {
  const int w = a.width();
  const int h = a.height();
  const size_t stride = row_stride(w);
  std::vector<float> line_sum(static_cast<size_t>(h));
  for_each_tile(h, kTileRows, [&](int, int y0, int y1) {
    Arena arena(kGroup * stride * sizeof(float));
    float* diff = arena.take<float>(kGroup * stride);
    const float* rows[kGroup];
    for (int g = y0; g < y1; g += kGroup) {
      const int n_rows = std::min(kGroup, y1 - g);
      for (int r = 0; r < n_rows; ++r) {
        motion_absdiff_row(a.row(g + r), b.row(g + r), static_cast<size_t>(w), diff + r * stride);
        rows[r] = diff + r * stride;
      }
      motion_row_sums(rows, n_rows, static_cast<size_t>(w), line_sum.data() + g);
    }
  });
  return finish_mean(line_sum, w, h);
}

void motion_scale_bilinear(const ImageF& src, int dw, int dh, ImageF& dst) {
  const int sw = src.width();
  const int sh = src.height();
  if (dst.width() != dw || dst.height() != dh) dst.reset(dw, dh);
  if (sw == dw && sh == dh) {
    for (int y = 0; y < dh; ++y)
      std::memcpy(dst.row(y), src.row(y), sizeof(float) * static_cast<size_t>(dw));
    return;
  }
  // libvmaf computes the sample positions in double, stores them as float, and mirrors the
  // floor/ceil taps into the plane; the weights and the sum stay in float, in this order.
  const auto mirror = [](float i, float right) {
    return i < 0 ? -i : (i > right ? 2 * right - i : i);
  };
  const float ratio_x = static_cast<float>(sw) / static_cast<float>(dw);
  const float ratio_y = static_cast<float>(sh) / static_cast<float>(dh);
  std::vector<int> x1a(static_cast<size_t>(dw)), x2a(static_cast<size_t>(dw));
  std::vector<float> dxa(static_cast<size_t>(dw));
  for (int x = 0; x < dw; ++x) {
    const float xx = static_cast<float>((x + 0.5) * ratio_x - 0.5);
    x1a[x] =
        static_cast<int>(mirror(static_cast<float>(std::floor(xx)), static_cast<float>(sw - 1)));
    x2a[x] =
        static_cast<int>(mirror(static_cast<float>(std::ceil(xx)), static_cast<float>(sw - 1)));
    dxa[x] = xx - static_cast<float>(x1a[x]);
  }
  for (int y = 0; y < dh; ++y) {
    const float yy = static_cast<float>((y + 0.5) * ratio_y - 0.5);
    const int y1 =
        static_cast<int>(mirror(static_cast<float>(std::floor(yy)), static_cast<float>(sh - 1)));
    const int y2 =
        static_cast<int>(mirror(static_cast<float>(std::ceil(yy)), static_cast<float>(sh - 1)));
    const float dy = yy - static_cast<float>(y1);
    const float* r1 = src.row(y1);
    const float* r2 = src.row(y2);
    float* out = dst.row(y);
    for (int x = 0; x < dw; ++x) {
      const int x1 = x1a[x];
      const int x2 = x2a[x];
      const float dx = dxa[x];
      out[x] = (1 - dy) * (1 - dx) * r1[x1] + (1 - dy) * dx * r1[x2] + dy * (1 - dx) * r2[x1] +
               dy * dx * r2[x2];
    }
  }
}

}  // namespace vqfuse::kernels
