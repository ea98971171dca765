// Scalar reference (the specification) of float_moment.hpp.
#include "features/kernels/float_moment.hpp"

namespace vqfuse::kernels::ref {

void moment_u16(const uint16_t* p, size_t n, MomentSums& acc) {
  for (size_t i = 0; i < n; ++i) {
    const uint64_t v = p[i];
    acc.sum += v;
    acc.sum_sq += v * v;
  }
}

}  // namespace vqfuse::kernels::ref
