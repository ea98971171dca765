// Fuzz target: the libvmaf JSON model loader (and, when it parses, one prediction).
#include <string>
#include <vector>

#include "model/vmaf_model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto m = vqfuse::model::parse_vmaf_model(text, "fuzz.json");
  if (!m.ok()) return 0;
  std::vector<double> x(static_cast<size_t>(m->svm.n_features), 0.5);
  volatile double d = m->svm.decision(x.data());
  (void)d;
  return 0;
}
