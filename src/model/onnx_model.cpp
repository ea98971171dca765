#include "model/onnx_model.hpp"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>

#include "io/file.hpp"
#include "train/mlp.hpp"

namespace vqfuse::model {
namespace {

constexpr int64_t kOpset = 17;

void add_float_init(onnx::GraphProto* g, const std::string& name, const std::vector<int64_t>& dims,
                    const float* data, size_t n) {
  onnx::TensorProto* t = g->add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : dims) t->add_dims(d);
  t->set_raw_data(std::string(reinterpret_cast<const char*>(data), n * sizeof(float)));
}

onnx::NodeProto* add_node(onnx::GraphProto* g, const std::string& op, std::vector<std::string> in,
                          const std::string& out, const std::string& name) {
  onnx::NodeProto* n = g->add_node();
  n->set_op_type(op);
  n->set_name(name);
  for (auto& i : in) n->add_input(i);
  n->add_output(out);
  return n;
}

void set_io(onnx::ValueInfoProto* v, const std::string& name, std::vector<std::pair<std::string, int64_t>> dims) {
  v->set_name(name);
  auto* tt = v->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(onnx::TensorProto::FLOAT);
  for (const auto& [param, value] : dims) {
    auto* d = tt->mutable_shape()->add_dim();
    if (!param.empty()) d->set_dim_param(param);
    else d->set_dim_value(value);
  }
}

}  // namespace

std::string export_onnx(const train::Mlp& m, const std::string& model_id) {
  onnx::ModelProto model;
  model.set_ir_version(8);
  model.set_producer_name("vqfuse");
  model.set_producer_version(VQFUSE_VERSION);
  model.set_domain("org.vqfuse");
  model.set_model_version(1);
  model.set_doc_string("vqfuse tiny quality model " + model_id);
  auto* op = model.add_opset_import();
  op->set_domain("");
  op->set_version(kOpset);
  onnx::GraphProto* g = model.mutable_graph();
  g->set_name(model_id);
  const int64_t k = static_cast<int64_t>(m.inputs());
  set_io(g->add_input(), "features", {{"N", 0}, {"", k}});
  set_io(g->add_output(), "score", {{"N", 0}});
  add_float_init(g, "input_mean", {k}, m.input_mean.data(), m.input_mean.size());
  add_float_init(g, "input_std", {k}, m.input_std.data(), m.input_std.size());
  add_node(g, "Sub", {"features", "input_mean"}, "centred", "scaler_sub");
  add_node(g, "Div", {"centred", "input_std"}, "x0", "scaler_div");
  std::string cur = "x0";
  for (size_t l = 0; l < m.layers.size(); ++l) {
    const auto& L = m.layers[l];
    // Gemm with transB=1 takes W as [out, in], row-major; Eigen stores column-major.
    std::vector<float> w(static_cast<size_t>(L.w.size()));
    for (Eigen::Index r = 0; r < L.w.rows(); ++r)
      for (Eigen::Index c = 0; c < L.w.cols(); ++c) w[static_cast<size_t>(r * L.w.cols() + c)] = L.w(r, c);
    const std::string ln = std::to_string(l);
    add_float_init(g, "w" + ln, {L.w.rows(), L.w.cols()}, w.data(), w.size());
    add_float_init(g, "b" + ln, {L.b.size()}, L.b.data(), static_cast<size_t>(L.b.size()));
    const std::string out = "gemm" + ln;
    onnx::NodeProto* n = add_node(g, "Gemm", {cur, "w" + ln, "b" + ln}, out, "dense" + ln);
    auto* a = n->add_attribute();
    a->set_name("transB");
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(1);
    cur = out;
    if (l + 1 < m.layers.size()) {
      add_node(g, "Relu", {cur}, "relu" + ln, "relu" + ln);
      cur = "relu" + ln;
    }
  }
  onnx::TensorProto* axes = g->add_initializer();
  axes->set_name("squeeze_axes");
  axes->set_data_type(onnx::TensorProto::INT64);
  axes->add_dims(1);
  axes->add_int64_data(1);
  add_node(g, "Squeeze", {cur, "squeeze_axes"}, "score", "squeeze");
  std::string bytes;
  model.SerializeToString(&bytes);
  return bytes;
}

Result<OnnxModel> OnnxModel::load_file(const std::string& path) {
  VQ_ASSIGN_OR_RETURN(std::string bytes, io::read_text_file(path, size_t{64} << 20));
  return load(bytes, path);
}

Result<OnnxModel> OnnxModel::load(const std::string& bytes, const std::string& origin) {
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes)) return Error(Errc::kModel, "not an ONNX model (protobuf parse failed)", origin);
  OnnxModel m;
  m.origin_ = origin;
  for (const auto& o : model.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx") m.opset_ = o.version();
  if (m.opset_ < 13 || m.opset_ > 21)
    return Error(Errc::kModel, "opset " + std::to_string(m.opset_) + " is not supported (13..21)", origin, -1, "opset_import");
  const onnx::GraphProto& g = model.graph();
  for (const auto& t : g.initializer()) {
    Tensor x;
    for (int64_t d : t.dims()) {
      if (d < 0 || d > (1 << 24)) return Error(Errc::kModel, "bad dimension", origin, -1, "initializer " + t.name());
      x.shape.push_back(d);
    }
    size_t count = 1;
    for (int64_t d : x.shape) count *= static_cast<size_t>(d);
    if (count > (size_t{1} << 24)) return Error(Errc::kModel, "initializer too large", origin, -1, "initializer " + t.name());
    if (t.data_type() == onnx::TensorProto::FLOAT) {
      if (!t.raw_data().empty()) {
        if (t.raw_data().size() != count * sizeof(float))
          return Error(Errc::kModel, "raw_data size does not match dims", origin, -1, "initializer " + t.name());
        x.f.resize(count);
        std::memcpy(x.f.data(), t.raw_data().data(), count * sizeof(float));
      } else {
        if (static_cast<size_t>(t.float_data_size()) != count)
          return Error(Errc::kModel, "float_data size does not match dims", origin, -1, "initializer " + t.name());
        x.f.assign(t.float_data().begin(), t.float_data().end());
      }
      for (float v : x.f)
        if (!std::isfinite(v)) return Error(Errc::kModel, "non-finite weight", origin, -1, "initializer " + t.name());
    } else if (t.data_type() == onnx::TensorProto::INT64) {
      x.is_int = true;
      if (!t.raw_data().empty()) {
        if (t.raw_data().size() != count * sizeof(int64_t))
          return Error(Errc::kModel, "raw_data size does not match dims", origin, -1, "initializer " + t.name());
        x.i.resize(count);
        std::memcpy(x.i.data(), t.raw_data().data(), count * sizeof(int64_t));
      } else {
        if (static_cast<size_t>(t.int64_data_size()) != count)
          return Error(Errc::kModel, "int64_data size does not match dims", origin, -1, "initializer " + t.name());
        x.i.assign(t.int64_data().begin(), t.int64_data().end());
      }
    } else {
      return Error(Errc::kModel, "initializer type " + std::to_string(t.data_type()) + " is not supported (float, int64)",
                   origin, -1, "initializer " + t.name());
    }
    m.init_[t.name()] = std::move(x);
  }
  std::vector<std::string> inputs;
  for (const auto& i : g.input())
    if (!m.init_.count(i.name())) inputs.push_back(i.name());
  if (inputs.size() != 1) return Error(Errc::kModel, "expected exactly one graph input", origin, -1, "graph.input");
  if (g.output_size() != 1) return Error(Errc::kModel, "expected exactly one graph output", origin, -1, "graph.output");
  m.input_ = inputs[0];
  m.output_ = g.output(0).name();
  for (const auto& i : g.input()) {
    if (i.name() != m.input_) continue;
    const auto& tt = i.type().tensor_type();
    if (tt.elem_type() != onnx::TensorProto::FLOAT)
      return Error(Errc::kModel, "input must be float32", origin, -1, "input " + m.input_);
    if (tt.shape().dim_size() != 2 || !tt.shape().dim(1).has_dim_value() || tt.shape().dim(1).dim_value() < 1)
      return Error(Errc::kModel, "input must be [N, K] with a fixed K", origin, -1, "input " + m.input_);
    m.width_ = tt.shape().dim(1).dim_value();
  }
  static const std::set<std::string> kOps = {"Sub", "Div", "Mul", "Add", "MatMul", "Gemm", "Relu",
                                             "Squeeze", "Reshape", "Flatten", "Identity"};
  std::set<std::string> defined(inputs.begin(), inputs.end());
  for (const auto& [name, t] : m.init_) defined.insert(name);
  for (int i = 0; i < g.node_size(); ++i) {
    const auto& pn = g.node(i);
    const std::string where = "node " + std::to_string(i) + " (" + pn.op_type() + " '" + pn.name() + "')";
    if (!pn.domain().empty() && pn.domain() != "ai.onnx")
      return Error(Errc::kModel, "operator domain '" + pn.domain() + "' is not supported", origin, -1, where);
    if (!kOps.count(pn.op_type()))
      return Error(Errc::kModel, "unsupported operator '" + pn.op_type() + "' (vqfuse evaluates Sub Div Mul Add MatMul "
                   "Gemm Relu Squeeze Reshape Flatten Identity)", origin, -1, where);
    Node n;
    n.op = pn.op_type();
    n.name = pn.name();
    for (const auto& s : pn.input()) {
      if (!s.empty() && !defined.count(s))
        return Error(Errc::kModel, "input '" + s + "' is not defined before use", origin, -1, where);
      n.in.push_back(s);
    }
    if (pn.output_size() != 1) return Error(Errc::kModel, "expected one output", origin, -1, where);
    n.out.push_back(pn.output(0));
    defined.insert(pn.output(0));
    for (const auto& a : pn.attribute()) {
      if (a.type() == onnx::AttributeProto::FLOAT) n.attr_f[a.name()] = a.f();
      else if (a.type() == onnx::AttributeProto::INT) n.attr_i[a.name()] = a.i();
      else if (a.type() == onnx::AttributeProto::INTS) n.attr_ints.assign(a.ints().begin(), a.ints().end());
    }
    m.nodes_.push_back(std::move(n));
  }
  if (!defined.count(m.output_)) return Error(Errc::kModel, "output '" + m.output_ + "' is never produced", origin, -1, "graph.output");
  return m;
}

Result<void> OnnxModel::exec(const Node& n, std::map<std::string, Tensor>& env) const {
  const std::string where = n.op + " '" + n.name + "'";
  auto in = [&](size_t i) -> const Tensor* {
    if (i >= n.in.size() || n.in[i].empty()) return nullptr;
    auto it = env.find(n.in[i]);
    return it == env.end() ? nullptr : &it->second;
  };
  auto fail = [&](const std::string& what) { return Error(Errc::kModel, what, origin_, -1, where); };
  const Tensor* a = in(0);
  if (!a) return fail("missing input");
  Tensor out;
  auto rows = [](const Tensor& t) { return t.shape.size() == 2 ? t.shape[0] : 1; };
  auto cols = [](const Tensor& t) { return t.shape.empty() ? 1 : t.shape.back(); };
  if (n.op == "Relu" || n.op == "Identity") {
    out = *a;
    if (n.op == "Relu")
      for (float& v : out.f) v = v > 0 ? v : 0;
  } else if (n.op == "Sub" || n.op == "Div" || n.op == "Mul" || n.op == "Add") {
    const Tensor* b = in(1);
    if (!b || a->is_int || b->is_int) return fail("expects two float inputs");
    // Broadcast: [R,C] with [R,C], [C], [1,C] or a scalar.
    const Tensor& big = a->f.size() >= b->f.size() ? *a : *b;
    const size_t total = big.f.size();
    const size_t c = static_cast<size_t>(cols(big));
    enum Mode { kFull, kScalar, kRow };
    auto mode_of = [&](const Tensor& t, Mode& m) {
      if (t.f.size() == total) m = kFull;
      else if (t.f.size() == 1) m = kScalar;
      else if (t.f.size() == c) m = kRow;
      else return false;
      return true;
    };
    Mode ma, mb;
    if (!mode_of(*a, ma) || !mode_of(*b, mb)) return fail("shapes do not broadcast");
    auto pick = [&](const Tensor& t, Mode m, size_t idx) {
      return m == kFull ? t.f[idx] : m == kScalar ? t.f[0] : t.f[idx % c];
    };
    out.shape = big.shape;
    out.f.resize(total);
    for (size_t idx = 0; idx < total; ++idx) {
      const float x = pick(*a, ma, idx), y = pick(*b, mb, idx);
      out.f[idx] = n.op == "Sub" ? x - y : n.op == "Div" ? x / y : n.op == "Mul" ? x * y : x + y;
    }
  } else if (n.op == "MatMul" || n.op == "Gemm") {
    const Tensor* b = in(1);
    if (!b || b->shape.size() != 2 || a->is_int) return fail("expects a float [N,K] input and a 2-D weight");
    const bool ta = n.op == "Gemm" && n.attr_i.count("transA") && n.attr_i.at("transA");
    const bool tb = n.op == "Gemm" && n.attr_i.count("transB") && n.attr_i.at("transB");
    if (ta) return fail("transA is not supported");
    const double alpha = n.attr_f.count("alpha") ? n.attr_f.at("alpha") : 1.0;
    const double beta = n.attr_f.count("beta") ? n.attr_f.at("beta") : 1.0;
    const int64_t r = rows(*a), k = cols(*a);
    const int64_t kb = tb ? b->shape[1] : b->shape[0], m = tb ? b->shape[0] : b->shape[1];
    if (k != kb) return fail("inner dimensions differ: " + std::to_string(k) + " vs " + std::to_string(kb));
    const Tensor* c = n.op == "Gemm" ? in(2) : nullptr;
    if (c && c->f.size() != 1 && static_cast<int64_t>(c->f.size()) != m && static_cast<int64_t>(c->f.size()) != r * m)
      return fail("bias does not broadcast");
    out.shape = {r, m};
    out.f.assign(static_cast<size_t>(r * m), 0.0f);
    for (int64_t i = 0; i < r; ++i)
      for (int64_t j = 0; j < m; ++j) {
        float s = 0;
        for (int64_t q = 0; q < k; ++q)
          s += a->f[static_cast<size_t>(i * k + q)] * (tb ? b->f[static_cast<size_t>(j * k + q)] : b->f[static_cast<size_t>(q * m + j)]);
        float v = static_cast<float>(alpha) * s;
        if (c) v += static_cast<float>(beta) * (c->f.size() == 1 ? c->f[0] : static_cast<int64_t>(c->f.size()) == m ? c->f[static_cast<size_t>(j)] : c->f[static_cast<size_t>(i * m + j)]);
        out.f[static_cast<size_t>(i * m + j)] = v;
      }
  } else if (n.op == "Squeeze" || n.op == "Reshape" || n.op == "Flatten") {
    out = *a;
    const int64_t total = static_cast<int64_t>(a->f.size());
    if (n.op == "Flatten") {
      out.shape = {rows(*a), total / std::max<int64_t>(rows(*a), 1)};
    } else if (n.op == "Squeeze") {
      const Tensor* axes = in(1);
      std::vector<int64_t> ax = axes ? axes->i : n.attr_ints;
      std::vector<int64_t> shape;
      for (size_t d = 0; d < a->shape.size(); ++d) {
        const bool listed = ax.empty() ? a->shape[d] == 1
                                       : std::find_if(ax.begin(), ax.end(), [&](int64_t v) {
                                           return (v < 0 ? v + static_cast<int64_t>(a->shape.size()) : v) == static_cast<int64_t>(d);
                                         }) != ax.end();
        if (listed && a->shape[d] != 1) return fail("cannot squeeze a dimension of size " + std::to_string(a->shape[d]));
        if (!listed) shape.push_back(a->shape[d]);
      }
      out.shape = shape;
    } else {
      const Tensor* s = in(1);
      if (!s || !s->is_int) return fail("needs an int64 shape input");
      std::vector<int64_t> shape = s->i;
      int64_t known = 1, unknown = -1;
      for (size_t d = 0; d < shape.size(); ++d) {
        if (shape[d] == 0 && d < a->shape.size()) shape[d] = a->shape[d];
        if (shape[d] == -1) unknown = static_cast<int64_t>(d);
        else known *= shape[d];
      }
      if (unknown >= 0 && known > 0) shape[static_cast<size_t>(unknown)] = total / known;
      int64_t prod = 1;
      for (int64_t d : shape) prod *= d;
      if (prod != total) return fail("reshape changes the element count");
      out.shape = shape;
    }
  }
  env[n.out[0]] = std::move(out);
  return {};
}

Result<std::vector<float>> OnnxModel::run(const std::vector<float>& x, size_t n) const {
  if (x.size() != n * static_cast<size_t>(width_))
    return Error(Errc::kModel, "expected " + std::to_string(width_) + " features per row", origin_, -1, input_);
  std::map<std::string, Tensor> env = init_;
  Tensor in;
  in.shape = {static_cast<int64_t>(n), width_};
  in.f = x;
  env[input_] = std::move(in);
  for (const Node& node : nodes_) VQ_TRY(exec(node, env));
  const Tensor& out = env.at(output_);
  if (out.f.size() != n)
    return Error(Errc::kModel, "output has " + std::to_string(out.f.size()) + " values for " + std::to_string(n) + " rows",
                 origin_, -1, output_);
  return out.f;
}

}  // namespace vqfuse::model
