// Fuzz target: the CSV feature-table reader (plain; gzip framing is zlib's).
#include "fuzz_util.hpp"
#include "vqfuse/store.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vqfuse::fuzz::MemFile f(data, size);
  auto t = vqfuse::store::read_csv_table(f.path(), {});
  (void)t;
  vqfuse::store::ImportOptions per_clip;
  per_clip.frame_column = "";
  auto u = vqfuse::store::read_csv_table(f.path(), per_clip);
  (void)u;
  return 0;
}
