// Fuzz target: the Y4M reader (header, FRAME lines, payloads) through the probing front door.
#include "fuzz_util.hpp"
#include "io/reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vqfuse::fuzz::MemFile f(data, size);
  auto r = vqfuse::io::open_y4m(f.path());
  if (!r.ok()) return 0;
  vqfuse::Frame frame;
  for (int i = 0; i < 8; ++i) {
    auto got = r.value()->read(frame);
    if (!got.ok() || !got.value()) break;
  }
  return 0;
}
