// Inference latency of the models vqfuse scores frames with: the shipped tiny MLP through the
// native ONNX evaluator (one frame, and a batch of 1024 frames) and the VMAF v0.6.1 SVM (one
// frame). Figures for docs/TRAINING.md.
#include <benchmark/benchmark.h>

#include <array>
#include <random>
#include <vector>

#include "model/onnx_model.hpp"
#include "model/vmaf_model.hpp"

namespace {

const vqfuse::model::OnnxModel& tiny() {
  static const auto m = vqfuse::model::OnnxModel::load_file(VQFUSE_SOURCE_DIR "/data/models/vqfuse_tiny_v1.onnx");
  if (!m.ok()) std::abort();
  return m.value();
}

std::vector<float> rows(size_t n, size_t k) {
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> u(0.f, 1.f);
  std::vector<float> x(n * k);
  for (float& v : x) v = u(rng);
  return x;
}

void BM_TinyMlpOneFrame(benchmark::State& st) {
  const auto& m = tiny();
  const auto x = rows(1, static_cast<size_t>(m.input_width()));
  for (auto _ : st) benchmark::DoNotOptimize(m.run(x, 1));
}
BENCHMARK(BM_TinyMlpOneFrame);

void BM_TinyMlpBatch1024(benchmark::State& st) {
  const auto& m = tiny();
  const auto x = rows(1024, static_cast<size_t>(m.input_width()));
  for (auto _ : st) benchmark::DoNotOptimize(m.run(x, 1024));
  st.SetItemsProcessed(st.iterations() * 1024);
}
BENCHMARK(BM_TinyMlpBatch1024);

void BM_VmafSvmOneFrame(benchmark::State& st) {
  vqfuse::model::ModelSpec spec;
  spec.version = "vmaf_v0.6.1";
  const auto m = vqfuse::model::load_vmaf_model(spec);
  if (!m.ok()) {
    st.SkipWithError("model");
    return;
  }
  const std::array<double, 6> x = {0.95, 3.0, 0.6, 0.9, 0.95, 0.97};
  for (auto _ : st) benchmark::DoNotOptimize(m.value()->predict(x));
}
BENCHMARK(BM_VmafSvmOneFrame);

}  // namespace
