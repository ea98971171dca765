// Fuzz target: raw YUV framing; the first 4 bytes choose the geometry.
#include "fuzz_util.hpp"
#include "io/reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  vqfuse::io::RawFormat fmt;
  fmt.width = 1 + data[0] % 64;
  fmt.height = 1 + data[1] % 64;
  static const char* kFormats[] = {"420", "422", "444", "400"};
  fmt.pixel_format = kFormats[data[2] % 4];
  static const int kDepths[] = {8, 10, 12, 16};
  fmt.bit_depth = kDepths[data[3] % 4];
  vqfuse::fuzz::MemFile f(data + 4, size - 4);
  auto r = vqfuse::io::open_raw(f.path(), fmt);
  if (!r.ok()) return 0;
  vqfuse::Frame frame;
  for (int i = 0; i < 8; ++i) {
    auto got = r.value()->read(frame);
    if (!got.ok() || !got.value()) break;
  }
  return 0;
}
