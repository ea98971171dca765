// Scalar reference (the specification) of sse.hpp.
#include "features/kernels/sse.hpp"

namespace vqfuse::kernels::ref {

uint64_t sse_u16(const uint16_t* a, const uint16_t* b, size_t n) {
  uint64_t sum = 0;
  for (size_t i = 0; i < n; ++i) {
    const int64_t d = int64_t{a[i]} - int64_t{b[i]};
    sum += static_cast<uint64_t>(d * d);
  }
  return sum;
}

}  // namespace vqfuse::kernels::ref
