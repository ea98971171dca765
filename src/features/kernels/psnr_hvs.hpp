// Kernel of psnr_hvs: the per-block work of libvmaf's calc_psnrhvs (Xiph's PSNR-HVS-M), one
// 8x8 block pair per lane, with libvmaf's float operation order in every lane, so the error
// terms are bit-identical to libvmaf's.
//
// Block layout (structure of arrays): sample k = 8*i + j (row i, column j) of block b is
// src[k * stride + b]. The kernel writes term k of block b, (err_k * csf_k)^2, to
// terms[k * stride + b]; the caller adds them in libvmaf's order (blocks in raster order, terms
// in k order) into one float. Lanes past n are computed from whatever the buffers hold: the
// caller pads stride to a multiple of kPsnrHvsLanePad with initialised values.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vqfuse::kernels {

inline constexpr size_t kPsnrHvsLanePad = 16;

struct PsnrHvsTables {
  float csf[64];   // contrast sensitivity weight per DCT coefficient
  float mask[64];  // (csf * 0.3885746225901003)^2, computed in double and rounded, as libvmaf
};

void psnr_hvs_blocks(const int32_t* src, const int32_t* dst, size_t stride, size_t n,
                     const PsnrHvsTables& t, float* terms);

namespace ref {
void psnr_hvs_blocks(const int32_t* src, const int32_t* dst, size_t stride, size_t n,
                     const PsnrHvsTables& t, float* terms);
// Daala's integer 8x8 forward DCT (od_bin_fdct8x8) of one row-major block, in place.
void fdct8x8(int32_t* x);
}  // namespace ref

// Constants of the psnr_hvs block statistics (libvmaf's float expressions 1/63.f*64 and
// 1/15.f*16, evaluated in float).
inline constexpr float kPsnrHvsGlobalVarScale = 1 / 63.f * 64;
inline constexpr float kPsnrHvsSubVarScale = 1 / 15.f * 16;

}  // namespace vqfuse::kernels
