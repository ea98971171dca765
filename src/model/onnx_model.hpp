// ONNX export of tiny MLPs and a native evaluator for the operators the exporter writes.
//
// Export (opset 17, through the ONNX protobuf definitions of libonnx-dev): input `features`
// float32 [N, K] -> Sub(mean) -> Div(std) -> (Gemm -> Relu)* -> Gemm -> Squeeze -> `score`
// float32 [N]. The evaluator runs Sub, Div, Mul, Add, MatMul, Gemm, Relu, Squeeze, Reshape,
// Flatten and Identity on float tensors of rank <= 2; any other operator, an unknown input, or
// a shape it cannot reconcile is a clear error naming the node.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "vqfuse/error.hpp"

namespace vqfuse::train {
struct Mlp;
}

namespace vqfuse::model {

// Serialised ONNX bytes of an MLP.
std::string export_onnx(const train::Mlp& mlp, const std::string& model_id);

class OnnxModel {
 public:
  static Result<OnnxModel> load(const std::string& bytes, const std::string& origin);
  static Result<OnnxModel> load_file(const std::string& path);

  const std::string& input_name() const { return input_; }
  const std::string& output_name() const { return output_; }
  int64_t input_width() const { return width_; }
  int64_t opset() const { return opset_; }

  // Scores N rows of K features (row-major); returns N values.
  Result<std::vector<float>> run(const std::vector<float>& x, size_t n) const;

 private:
  struct Tensor {
    std::vector<int64_t> shape;
    std::vector<float> f;
    std::vector<int64_t> i;  // int64 tensors (axes, shapes)
    bool is_int = false;
  };
  struct Node {
    std::string op, name;
    std::vector<std::string> in, out;
    std::map<std::string, double> attr_f;
    std::map<std::string, int64_t> attr_i;
    std::vector<int64_t> attr_ints;
  };
  Result<void> exec(const Node& n, std::map<std::string, Tensor>& env) const;

  std::string origin_;
  std::string input_, output_;
  int64_t width_ = 0;
  int64_t opset_ = 0;
  std::map<std::string, Tensor> init_;
  std::vector<Node> nodes_;
};

}  // namespace vqfuse::model
