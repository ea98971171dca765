// SpEED-QA core shared by speed_chroma and speed_temporal: one plane in, per-block entropies and
// variances out, and the score of a reference/distorted pair of those (libvmaf speed.c at f85a853:
// filter_and_downscale, est_params, get_speed_score, speed_extract_score).
//
// Pipeline of one plane (W x H, values as libvmaf's picture_copy with offset -128):
//   optional prescale -> 9-tap Gaussian anti-alias (sigma 3.6 at kernelscale 1) -> keep every
//   16th row and column -> subtract a 3-tap Gaussian local mean -> 5x5-block GSM parameters:
//   covariance K of the 25 neighbourhood offsets, its eigenvalues, s = x' K^-1 x / 25 per block,
//   entropy = sum_k log2(lambda_k s + sigma_nn) + log2(2 pi e).
// Only the anti-aliased samples the decimation keeps are computed (rows and columns 16i); every
// value is still libvmaf's, operation for operation.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/image.hpp"
#include "features/kernels/speed.hpp"
#include "vqfuse/error.hpp"
#include "vqfuse/frame.hpp"

namespace vqfuse::kernels::speed {

enum class ScaleMethod { kNearest, kBilinear, kBicubic, kLanczos4 };
std::optional<ScaleMethod> parse_scale_method(std::string_view name);  // libvmaf's four names
// libvmaf accepts 21 kernel scales (vif_tools.h valid_kernelscales, within 1e-3).
bool valid_kernelscale(double kernelscale);
struct Params;
// Checks p.kernelscale and the prescale method name as libvmaf does and stores the method in p;
// the error lists the accepted values (the engine prefixes the extractor's name).
Result<void> resolve_options(const std::string& method_name, Params& p);

struct Params {
  double kernelscale = 1.0;
  double prescale = 1.0;
  ScaleMethod method = ScaleMethod::kNearest;
  double sigma_nn = 0.29;
  double nn_floor = 0.0;
  int weight_var_mode = 0;  // 0..6, libvmaf's speed_weight_var_mode
};

struct Geometry {
  int width = 0, height = 0;       // input plane
  int scaled_w = 0, scaled_h = 0;  // after prescale
  bool rescale = false;
  int op_w = 0, op_h = 0;          // scaled size >> 4 (the decimated plane)
  int blocks_x = 0, blocks_y = 0;  // whole 5x5 blocks in it
  int blocks() const { return blocks_x * blocks_y; }
  // Positions of the covariance window (the 5x5-truncated plane minus 4 on each axis).
  int sub_w() const { return blocks_x * kSpeedBlock - (kSpeedBlock - 1); }
  int sub_h() const { return blocks_y * kSpeedBlock - (kSpeedBlock - 1); }
  // At least one 5x5 block of decimated samples: scaled plane >= 80x80 (libvmaf's own check).
  bool usable() const { return blocks_x >= 1 && blocks_y >= 1; }
};
Geometry make_geometry(int width, int height, double prescale);
inline constexpr int kMinScaledSide = 16 * kSpeedBlock;  // 80

// libvmaf vif_scale_frame_s (nearest, bilinear, bicubic, lanczos4) from src to dst's size.
void rescale(ScaleMethod method, const ImageF& src, ImageF& dst);

// One plane to analyse: value(x, y) = float(a(x, y) - (b ? b(x, y) : bias)) * scale.
struct PlaneInput {
  CPlaneU16 a;
  CPlaneU16 b;  // b.data == nullptr: none
  int32_t bias = 0;
  float scale = 1.0f;
};
// libvmaf picture_copy(offset -128): v / 2^(bpc-8) - 128.
PlaneInput plane_input(CPlaneU16 p, int bit_depth);
// The difference of two such copies, a - b (exact in float for every bit depth).
PlaneInput diff_input(CPlaneU16 a, CPlaneU16 b, int bit_depth);

struct Stats {
  std::vector<float> entropy;   // per 5x5 block, raster order
  std::vector<float> variance;  // s of each block
  bool singular = false;        // K not invertible: libvmaf's est_params error
};

class Model {
 public:
  // `geometry.usable()` and a valid kernel scale are the caller's checks.
  Model(const Params& params, const Geometry& geometry);
  const Geometry& geometry() const { return g_; }

  // Thread-safe: all state is local.
  Stats analyse(const PlaneInput& in) const;
  // libvmaf speed_extract_score: 0 when exactly one side is singular, else the mean over blocks
  // of |H_ref log2(1 + v) - H_dis log2(1 + v')| for blocks above the noise entropy.
  float score(const Stats& ref, const Stats& dis) const;

 private:
  // Anti-alias filter, 16x decimation and local-mean removal into op (op_w x op_h).
  void decimate(const PlaneInput& in, ImageF& op) const;
  // est_params on the decimated plane.
  Stats estimate(const ImageF& op) const;

  Params p_;
  Geometry g_;
  std::vector<float> aa_taps_;  // anti-alias filter, full scale
  std::vector<float> lp_taps_;  // local mean at the decimated scale
  float sigma_nn_;
  float nn_floor_;
};

}  // namespace vqfuse::kernels::speed
