// Fuzz target: the model sidecar (MODEL.json) parser.
#include <string>

#include "model/tiny_model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto s = vqfuse::model::parse_sidecar(std::string(reinterpret_cast<const char*>(data), size), "fuzz.json");
  if (s.ok()) (void)vqfuse::model::sidecar_json(s.value());
  return 0;
}
