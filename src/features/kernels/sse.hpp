// Sum of squared differences of two uint16_t rows (any bit depth up to 16: each squared
// difference fits uint32_t, the sum is kept in uint64_t, so the result is exact in any order).
#pragma once

#include <cstddef>
#include <cstdint>

namespace vqfuse::kernels {

uint64_t sse_u16(const uint16_t* a, const uint16_t* b, size_t n);

namespace ref {
uint64_t sse_u16(const uint16_t* a, const uint16_t* b, size_t n);
}  // namespace ref

}  // namespace vqfuse::kernels
