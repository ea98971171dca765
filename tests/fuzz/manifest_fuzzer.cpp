// Fuzz target: the corpus manifest parser and the clip expansion.
#include <string>

#include "vqfuse/corpus.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto m = vqfuse::corpus::parse_manifest(std::string(reinterpret_cast<const char*>(data), size), "fuzz.json");
  if (m.ok() && m->sources.size() * m->plan.size() < 1000) (void)vqfuse::corpus::plan_clips(m.value());
  return 0;
}
