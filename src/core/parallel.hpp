// Work inside a frame, split by geometry only: fixed bands of rows (kTileRows), never one band
// per thread, so that per-tile partial sums added in tile order give the same result for any
// thread count (docs/ARCHITECTURE.md "Determinism").
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>

#include <vector>

namespace vqfuse {

inline constexpr int kTileRows = 32;

inline int tile_count(int rows, int tile_rows = kTileRows) {
  return (rows + tile_rows - 1) / tile_rows;
}

// Calls fn(tile, y0, y1) for each band [y0, y1) of `rows`, possibly in parallel.
template <class Fn>
void for_each_tile(int rows, int tile_rows, Fn&& fn) {
  const int tiles = tile_count(rows, tile_rows);
  tbb::parallel_for(
      tbb::blocked_range<int>(0, tiles, 1),
      [&](const tbb::blocked_range<int>& r) {
        for (int t = r.begin(); t < r.end(); ++t) {
          const int y0 = t * tile_rows;
          const int y1 = y0 + tile_rows < rows ? y0 + tile_rows : rows;
          fn(t, y0, y1);
        }
      },
      tbb::simple_partitioner());
}

// Runs fn(i) for i in [0, n), possibly in parallel (independent tasks: extractors, planes).
template <class Fn>
void for_each_index(int n, Fn&& fn) {
  tbb::parallel_for(0, n, [&](int i) { fn(i); });
}

// Sums per-tile partial results in tile order (deterministic).
template <class T>
T ordered_sum(const std::vector<T>& parts) {
  T s{};
  for (const T& p : parts) s += p;
  return s;
}

}  // namespace vqfuse
