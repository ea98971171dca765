// Fuzz target: the ONNX loader and the native evaluator.
#include <string>
#include <vector>

#include "model/onnx_model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto m = vqfuse::model::OnnxModel::load(std::string(reinterpret_cast<const char*>(data), size), "fuzz.onnx");
  if (!m.ok()) return 0;
  if (m->input_width() <= 0 || m->input_width() > 4096) return 0;
  std::vector<float> x(static_cast<size_t>(m->input_width()) * 2, 0.25f);
  auto r = m->run(x, 2);
  (void)r;
  return 0;
}
