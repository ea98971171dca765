// Owning, 64-byte aligned 2-D buffers for intermediates (float planes, int32 planes ...).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>

#include "vqfuse/frame.hpp"

namespace vqfuse {

struct AlignedFree {
  void operator()(void* p) const { std::free(p); }
};

template <class T>
class Image {
 public:
  Image() = default;
  Image(int width, int height) { reset(width, height); }

  void reset(int width, int height) {
    width_ = width;
    height_ = height;
    // Stride rounded to 64 bytes, plus one spare row: SIMD tails may load (not use) past a row.
    constexpr ptrdiff_t kLanes = 64 / sizeof(T) > 0 ? 64 / sizeof(T) : 1;
    stride_ = (width + kLanes - 1) / kLanes * kLanes;
    const size_t bytes = sizeof(T) * static_cast<size_t>(stride_) * (static_cast<size_t>(height) + 1);
    void* p = std::aligned_alloc(64, (bytes + 63) / 64 * 64);
    if (!p) throw std::bad_alloc();
    data_.reset(static_cast<T*>(p));
  }

  int width() const { return width_; }
  int height() const { return height_; }
  ptrdiff_t stride() const { return stride_; }
  T* data() { return data_.get(); }
  const T* data() const { return data_.get(); }
  T* row(int y) { return data_.get() + static_cast<ptrdiff_t>(y) * stride_; }
  const T* row(int y) const { return data_.get() + static_cast<ptrdiff_t>(y) * stride_; }
  PlaneView<T> view() { return {data(), stride_, width_, height_}; }
  PlaneView<const T> view() const { return {data(), stride_, width_, height_}; }

 private:
  std::unique_ptr<T, AlignedFree> data_;
  int width_ = 0;
  int height_ = 0;
  ptrdiff_t stride_ = 0;
};

using ImageF = Image<float>;

}  // namespace vqfuse
