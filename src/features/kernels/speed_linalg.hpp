// The 25x25 single-precision linear algebra of SpEED-QA's parameter estimation, with libvmaf's
// exact sequence of float operations (libvmaf/src/feature/speed.c at f85a853, whose eigenvalue
// code follows GSL's gsl_linalg_symmtd_decomp and gsl_eigen_symm, and whose solver is a
// Householder QR as in van de Geijn's "Notes on Householder QR"). The matrices are tiny and the
// results feed log2 and divisions that amplify any rounding difference, so nothing here is
// reordered; it is plain C++ compiled once, identical on every SIMD target.
#pragma once

#include <array>

#include "features/kernels/speed.hpp"

namespace vqfuse::kernels::speed {

using Matrix25 = std::array<float, kSpeedDim * kSpeedDim>;  // row-major

// Eigenvalues of the symmetric matrix m (unordered): Householder reduction to tridiagonal form,
// then implicit symmetric QR steps with Wilkinson shifts (at most 500 steps).
void symmetric_eigenvalues(const Matrix25& m, float* eigenvalues);

// Solves m * x = rhs for `cols` right-hand sides (rhs and x: kSpeedDim x cols, row-major) by
// Householder QR and back substitution. False when a diagonal entry of R is below 1e-6 in
// magnitude (x is then partly written).
bool solve_qr(const Matrix25& m, const float* rhs, int cols, float* x);

}  // namespace vqfuse::kernels::speed
