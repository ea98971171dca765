// The in-order part of libvmaf's integer motion (integer_motion.c flush() at f85a853, and the
// lusoris/vmaf fork's integer_motion_v2.c flush()): motion2 and motion3 of each frame from the
// per-frame SAD scores, finished as soon as the frames they depend on are known instead of
// after the last frame.
//
//   s[i]        per-frame score (0 below min_idx), written by extract()
//   motion2[i]  0 below min_idx; the last frame: s[i]; else min(s[lo], s[i+1]) with
//               lo = i - (stride - 1) when lo >= min_idx, else s[i+1]
//               (stride/min_idx: 1/1, or 2/2 for motion_five_frame_window)
//   motion3[i]  below min_idx: the "stamp" min(blend(s[min_idx]), max) (0 when the video has no
//               frame min_idx); then min(blend(motion2[i]), max), averaged with the previous
//               frame's value when motion_moving_average is set.
// The fork's motion_v2 uses motion2[i] = min(s[i], s[i+1]) for every frame but the last (the
// same numbers, since s[0] = 0) and has no five-frame window.
#pragma once

#include <cstdint>

namespace vqfuse::kernels {

struct MotionTemporalParams {
  double blend_factor = 1.0;
  double blend_offset = 40.0;
  double max_val = 10000.0;
  bool five_frame_window = false;
  bool moving_average = false;
  bool v2 = false;  // motion_v2's motion2 rule below min_idx
};

// libvmaf motion_blend_tools.h.
inline double motion_blend(double score, double factor, double offset) {
  return score * factor + (1 - factor) * (offset < score ? offset : score);
}

class MotionTemporal {
 public:
  explicit MotionTemporal(const MotionTemporalParams& p) : p_(p) {}

  int min_idx() const { return p_.five_frame_window ? 2 : 1; }
  int stride() const { return p_.five_frame_window ? 2 : 1; }
  // Frames after i that motion2/motion3 of frame i need (frame min_idx for the first rows).
  int lookahead() const { return min_idx(); }

  // Frames 0..n are known (n is not known to be the last): finishes every row it can.
  // sad(i) returns s[i]; emit(i, motion2, motion3) receives the finished rows in order.
  template <class Sad, class Emit>
  void advance(int64_t n, Sad&& sad, Emit&& emit) {
    while (next_ + 1 <= n && n >= min_idx()) finish_row(next_++, n, false, sad, emit);
  }

  // `last` is the last frame: finishes the remaining rows.
  template <class Sad, class Emit>
  void finish(int64_t last, Sad&& sad, Emit&& emit) {
    while (next_ <= last) finish_row(next_++, last, true, sad, emit);
  }

 private:
  template <class Sad, class Emit>
  void finish_row(int64_t i, int64_t known, bool known_is_last, Sad& sad, Emit& emit) {
    const int64_t lo_min = min_idx();
    const bool has_hi = i + 1 <= known;
    double motion2;
    if (p_.v2) {
      const double cur = sad(i);
      motion2 = cur;
      if (has_hi) {
        const double next = sad(i + 1);
        motion2 = cur < next ? cur : next;
      }
    } else if (i < lo_min) {
      motion2 = 0.;
    } else if (!has_hi) {
      motion2 = sad(i);
    } else {
      const int64_t lo_idx = i - (stride() - 1);
      const double hi = sad(i + 1);
      if (lo_idx >= lo_min) {
        const double lo = sad(lo_idx);
        motion2 = lo < hi ? lo : hi;
      } else {
        motion2 = hi;
      }
    }
    double motion3;
    if (i < lo_min) {
      // Frame min_idx exists unless the video ends before it.
      const bool have_stamp = !known_is_last || known >= lo_min;
      motion3 = have_stamp ? clip(motion_blend(sad(lo_min), p_.blend_factor, p_.blend_offset)) : 0.;
      prev_processed_ = motion3;
    } else {
      const double processed = clip(motion_blend(motion2, p_.blend_factor, p_.blend_offset));
      motion3 = p_.moving_average ? (processed + prev_processed_) / 2.0 : processed;
      prev_processed_ = processed;
    }
    emit(i, motion2, motion3);
  }

  double clip(double v) const { return v < p_.max_val ? v : p_.max_val; }

  MotionTemporalParams p_;
  int64_t next_ = 0;
  double prev_processed_ = 0.;
};

}  // namespace vqfuse::kernels
