// cambi on one picture: preprocessing, spatial mask, five scales of mode filter, sliding-window
// histograms, c-values and top-k pooling (see src/features/cambi.cpp for the design notes).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/image.hpp"
#include "vqfuse/frame.hpp"

namespace vqfuse::kernels::cambi {

inline constexpr int kNumScales = 5;

// Everything fixed per input geometry and options, computed once at init.
struct Setup {
  int width = 0;  // processing size (libvmaf's enc_width/height, or src_* for the source)
  int height = 0;
  int window = 0;  // adjusted, odd
  bool high_res_speedup = false;
  bool antidither = false;  // enc_bitdepth < 10
  double topk = 0.6;
  int num_diffs = 4;
  uint16_t band_base = 0;  // histogram keys are sample - band_base, sample in [base, base+size)
  uint16_t band_size = 0;
  int mask_threshold = 0;
  std::vector<uint32_t> gates;   // per key
  std::vector<int32_t> weights;  // per contrast step
};

// Visibility thresholds of libvmaf's luminance model (10-bit limited range samples).
struct Thresholds {
  std::vector<int> tvi;  // per contrast step d+1: largest sample where it is visible, + num_diffs
  int vlt_luma = 0;      // smallest sample at or above the visibility luminance threshold
};
// eotf: "bt1886" or "pq" (checked by the caller).
Thresholds visibility_thresholds(int num_diffs, double tvi_threshold, double vis_lum_threshold,
                                 const std::string& eotf);

// libvmaf's window adjustment to the processing size.
int adjusted_window(int window, int width, int height, bool high_res_speedup);

Setup make_setup(int width, int height, int window, bool high_res_speedup, bool antidither,
                 double topk, int num_diffs, const Thresholds& th);

// libvmaf's reciprocal table: 1/i rounded to 9 significant digits, then to float; [0] = 0.
const float* reciprocal_table();
inline constexpr int kReciprocalTableSize = 4226;

// Per-thread buffers, reused across frames.
class Workspace {
 public:
  Workspace();
  ~Workspace();
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;
  struct Buffers;
  Buffers& buffers() { return *b_; }

 private:
  std::unique_ptr<Buffers> b_;
};

// Per-scale top-k means and the weighted score of one luma plane of `bpc` bits. Throws
// vqfuse::Error when a sample exceeds the bit depth (as libvmaf's validation).
struct PictureScore {
  double scale[kNumScales] = {};
  double score = 0;
};
PictureScore picture_score(const Setup& s, CPlaneU16 luma, int bpc, Workspace& ws);

}  // namespace vqfuse::kernels::cambi
