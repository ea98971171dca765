// checkasm-style helpers: rows filled to provoke edge cases, compared between the scalar
// reference and the dispatched SIMD kernel on every target Highway compiled and the CPU runs.
#pragma once

#include <hwy/highway.h>
#include <hwy/tests/hwy_gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace vqfuse::test {

enum class Fill { kRandom, kZero, kMax8, kMax10, kMax12, kMax16, kAlternating };
inline const Fill kAllFills[] = {Fill::kRandom, Fill::kZero,  Fill::kMax8, Fill::kMax10,
                                 Fill::kMax12,  Fill::kMax16, Fill::kAlternating};
// Widths that exercise every tail length of 4/8/16/32-lane vectors.
inline const size_t kWidths[] = {1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 63, 64, 65, 333, 1920};

inline const char* fill_name(Fill f) {
  switch (f) {
    case Fill::kRandom: return "random";
    case Fill::kZero: return "zero";
    case Fill::kMax8: return "max8";
    case Fill::kMax10: return "max10";
    case Fill::kMax12: return "max12";
    case Fill::kMax16: return "max16";
    case Fill::kAlternating: return "alternating";
  }
  return "?";
}

// Two rows (a, b) of n samples; `b` differs from `a` so differences are exercised.
inline std::pair<std::vector<uint16_t>, std::vector<uint16_t>> make_rows(size_t n, Fill fill, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<uint16_t> a(n), b(n);
  for (size_t i = 0; i < n; ++i) {
    const uint64_t r = rng();
    switch (fill) {
      case Fill::kRandom: a[i] = r & 0xffff; b[i] = (r >> 16) & 0xffff; break;
      case Fill::kZero: a[i] = 0; b[i] = 0; break;
      case Fill::kMax8: a[i] = 255; b[i] = (r & 1) ? 0 : 255; break;
      case Fill::kMax10: a[i] = 1023; b[i] = (r & 1) ? 0 : 1023; break;
      case Fill::kMax12: a[i] = 4095; b[i] = (r & 1) ? 0 : 4095; break;
      case Fill::kMax16: a[i] = 65535; b[i] = 0; break;
      case Fill::kAlternating: a[i] = (i & 1) ? 65535 : 0; b[i] = (i & 1) ? 0 : 65535; break;
    }
  }
  return {a, b};
}

}  // namespace vqfuse::test
