// Sums for float_moment: the sum of the samples and of their squares over one row, exact in
// uint64_t (samples up to 12 bit: each square < 2^24). The 16-bit case, where libvmaf rounds
// each square to float, is handled by the extractor in scalar code.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vqfuse::kernels {

struct MomentSums {
  uint64_t sum = 0;
  uint64_t sum_sq = 0;
};

// Adds the row's sum and sum of squares to `acc`. Samples must be < 4096.
void moment_u16(const uint16_t* p, size_t n, MomentSums& acc);

namespace ref {
void moment_u16(const uint16_t* p, size_t n, MomentSums& acc);
}  // namespace ref

}  // namespace vqfuse::kernels
