#include "model/tiny_model.hpp"

#include <nlohmann/json.hpp>
#include <unistd.h>

#include <filesystem>

#include "core/sha256.hpp"
#include "io/file.hpp"

namespace vqfuse::model {
namespace {

using nlohmann::json;

Error sidecar_error(const std::string& origin, const std::string& field, const std::string& what) {
  return Error(Errc::kModel, what, origin, -1, field);
}

class TinyRowModel final : public features::RowModel {
 public:
  TinyRowModel(std::string name, OnnxModel m, std::vector<Input> in)
      : name_(std::move(name)), m_(std::move(m)), in_(std::move(in)) {}
  const std::string& name() const override { return name_; }
  const std::vector<Input>& inputs() const override { return in_; }
  double predict(std::span<const double> x) const override {
    std::vector<float> row(x.begin(), x.end());
    auto r = m_.run(row, 1);
    return r.ok() ? static_cast<double>(r.value()[0]) : std::nan("");
  }

 private:
  std::string name_;
  OnnxModel m_;
  std::vector<Input> in_;
};

}  // namespace

std::string sidecar_json(const Sidecar& s) {
  json j = {{"id", s.id},
            {"kind", s.kind},
            {"onnx", s.onnx},
            {"opset", s.opset},
            {"sha256", s.sha256},
            {"input_name", s.input_name},
            {"input_shape", {"N", static_cast<int64_t>(s.features.size())}},
            {"output_name", s.output_name},
            {"output_shape", {"N"}},
            {"features", s.features},
            {"feature_set", s.feature_set},
            {"input_mean", s.input_mean},
            {"input_std", s.input_std},
            {"arch", s.arch},
            {"n_params", s.n_params},
            {"target", s.target},
            {"training", json::parse(s.training_json)}};
  return j.dump(2) + "\n";
}

Result<Sidecar> parse_sidecar(const std::string& text, const std::string& origin) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    return sidecar_error(origin, "byte " + std::to_string(e.byte), "not valid JSON");
  } catch (const json::exception& e) {  // e.g. a number out of range (1e999)
    return sidecar_error(origin, "", "not valid JSON: " + std::string(e.what()));
  }
  if (!j.is_object()) return sidecar_error(origin, "", "expected a JSON object");
  Sidecar s;
  try {
    for (const char* k : {"id", "onnx", "sha256", "features", "input_name", "output_name"})
      if (!j.contains(k)) return sidecar_error(origin, k, "missing");
    s.id = j.at("id").get<std::string>();
    s.kind = j.value("kind", "");
    s.onnx = j.at("onnx").get<std::string>();
    s.opset = j.value("opset", 17);
    s.sha256 = j.at("sha256").get<std::string>();
    s.input_name = j.at("input_name").get<std::string>();
    s.output_name = j.at("output_name").get<std::string>();
    s.features = j.at("features").get<std::vector<std::string>>();
    s.feature_set = j.value("feature_set", "");
    s.input_mean = j.value("input_mean", std::vector<double>{});
    s.input_std = j.value("input_std", std::vector<double>{});
    s.arch = j.value("arch", "");
    s.n_params = j.value("n_params", int64_t{0});
    s.target = j.value("target", "");
    s.training_json = j.value("training", json::object()).dump();
  } catch (const json::exception& e) {
    return sidecar_error(origin, "", std::string("wrong type: ") + e.what());
  }
  if (s.id.empty() || s.id.find_first_of(" \"\\/") != std::string::npos)
    return sidecar_error(origin, "id", "empty or contains spaces, quotes or slashes");
  if (s.sha256.size() != 64) return sidecar_error(origin, "sha256", "expected 64 hex digits");
  if (s.features.empty()) return sidecar_error(origin, "features", "empty");
  if (s.onnx.find('/') != std::string::npos) return sidecar_error(origin, "onnx", "must be a file name next to the sidecar");
  return s;
}

std::string sidecar_path(const std::string& onnx_path) {
  std::filesystem::path p(onnx_path);
  p.replace_extension(".json");
  return p.string();
}

Result<TinyModel> load_tiny_model(const std::string& onnx_path) {
  const std::string side = sidecar_path(onnx_path);
  if (!std::filesystem::exists(side))
    return Error(Errc::kModel, "no sidecar " + side + " next to the model", onnx_path);
  VQ_ASSIGN_OR_RETURN(std::string text, io::read_text_file(side, size_t{16} << 20));
  VQ_ASSIGN_OR_RETURN(Sidecar s, parse_sidecar(text, side));
  if (std::filesystem::path(onnx_path).filename().string() != s.onnx)
    return sidecar_error(side, "onnx", "names '" + s.onnx + "', not " + std::filesystem::path(onnx_path).filename().string());
  VQ_ASSIGN_OR_RETURN(std::string bytes, io::read_text_file(onnx_path, size_t{64} << 20));
  const std::string actual = sha256_hex(bytes);
  if (actual != s.sha256)
    return sidecar_error(side, "sha256",
                         "does not match " + onnx_path + " (sidecar " + s.sha256.substr(0, 12) + "..., file " +
                             actual.substr(0, 12) + "...): refusing a model that changed");
  VQ_ASSIGN_OR_RETURN(OnnxModel m, OnnxModel::load(bytes, onnx_path));
  if (m.input_width() != static_cast<int64_t>(s.features.size()))
    return sidecar_error(side, "features",
                         std::to_string(s.features.size()) + " features, but the ONNX input takes " +
                             std::to_string(m.input_width()));
  if (m.input_name() != s.input_name) return sidecar_error(side, "input_name", "does not match the ONNX graph");
  if (m.output_name() != s.output_name) return sidecar_error(side, "output_name", "does not match the ONNX graph");
  return TinyModel{std::move(s), std::move(m), onnx_path};
}

Result<std::shared_ptr<const features::RowModel>> tiny_row_model(const TinyModel& m, const std::string& name) {
  std::vector<features::RowModel::Input> inputs;
  const std::string side = sidecar_path(m.path);
  for (size_t i = 0; i < m.sidecar.features.size(); ++i) {
    const std::string& f = m.sidecar.features[i];
    const auto id = find_feature(f);
    const std::string field = "features[" + std::to_string(i) + "]";
    if (!id || id->info().extractor == Ext::kModel)
      return sidecar_error(side, field, "'" + f + "' is not a vqfuse feature name");
    const features::ExtractorInfo* e = features::find_extractor(id->info().extractor);
    if (!e) return sidecar_error(side, field, "'" + f + "': its extractor is not in this build");
    features::Options o = features::Options::defaults(e->options);
    const std::string_view tier = tier_option(id->info().tier);
    if (!tier.empty()) o.set(tier, "true");
    if (id->info().tier == Tier::kApsnr) return sidecar_error(side, field, "'" + f + "' is not a per-frame feature");
    inputs.push_back({id->info().extractor, std::move(o), *id});
  }
  return std::shared_ptr<const features::RowModel>(
      std::make_shared<TinyRowModel>(name.empty() ? m.sidecar.id : name, m.onnx, std::move(inputs)));
}

std::string default_tiny_model_path() {
  // Installed next to the binary (build/), or the source tree's data/models.
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  const std::vector<std::filesystem::path> candidates = {
      exe.parent_path() / "models" / "vqfuse_tiny_v1.onnx",
      exe.parent_path().parent_path() / "data" / "models" / "vqfuse_tiny_v1.onnx",
      std::filesystem::path(VQFUSE_SOURCE_DIR) / "data" / "models" / "vqfuse_tiny_v1.onnx"};
  for (const auto& c : candidates)
    if (std::filesystem::exists(c)) return c.string();
  return candidates.back().string();
}

}  // namespace vqfuse::model
