// Fuzz target: the --feature option string (libvmaf syntax) against the registry.
#include <string>

#include "features/engine.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto in = vqfuse::features::parse_instance(std::string(reinterpret_cast<const char*>(data), size));
  if (in.ok()) (void)in->options.name_suffix();
  return 0;
}
