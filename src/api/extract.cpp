// Public extraction entry point: resolves feature sets, --feature and --model strings into an
// engine plan, opens the inputs and runs the engine.
#include "vqfuse/extract.hpp"

#include <cmath>

#include "api/request.hpp"
#include "features/engine.hpp"
#include "io/reader.hpp"
#include "model/tiny_model.hpp"
#include "model/vmaf_model.hpp"

namespace vqfuse {
namespace {

constexpr std::string_view kDefaultModel = "version=vmaf_v0.6.1";

// The vmaf_v0.6.1 inputs plus its score.
constexpr FeatureId kCanonical[] = {
    feature_id("integer_adm2"),       feature_id("integer_motion2"),    feature_id("integer_vif_scale0"),
    feature_id("integer_vif_scale1"), feature_id("integer_vif_scale2"), feature_id("integer_vif_scale3"),
    feature_id("vmaf")};

// Keeps only the canonical columns (the engine still computes what the model needs).
class CanonicalFilter final : public FrameSink {
 public:
  explicit CanonicalFilter(std::span<FrameSink* const> next) : next_(next.begin(), next.end()) {}
  Result<void> begin(const RunInfo& info) override {
    keep_.clear();
    filtered_ = info;
    filtered_.columns.clear();
    for (size_t c = 0; c < info.columns.size(); ++c) {
      for (FeatureId id : kCanonical) {
        if (info.columns[c].id == id && info.columns[c].name == id.info().json_name) {
          keep_.push_back(c);
          filtered_.columns.push_back(info.columns[c]);
        }
      }
    }
    for (FrameSink* s : next_) VQ_TRY(s->begin(filtered_));
    return {};
  }
  Result<void> frame(int64_t index, std::span<const double> v) override {
    row_.clear();
    for (size_t c : keep_) row_.push_back(v[c]);
    for (FrameSink* s : next_) VQ_TRY(s->frame(index, row_));
    return {};
  }
  Result<void> end(const RunInfo&, const RunSummary& sum) override {
    RunSummary f = sum;
    f.pooled.clear();
    for (size_t c : keep_) f.pooled.push_back(sum.pooled[c]);
    for (FrameSink* s : next_) VQ_TRY(s->end(filtered_, f));
    return {};
  }

 private:
  std::vector<FrameSink*> next_;
  std::vector<size_t> keep_;
  RunInfo filtered_;
  std::vector<double> row_;
};

bool ends_with(const std::string& s, std::string_view suf) {
  return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}

// "--model" accepts libvmaf specs (version=/path=FILE.json) and tiny ONNX models
// (path=MODEL.onnx[:name=N], or just MODEL.onnx).
Result<std::shared_ptr<const features::RowModel>> load_model(const std::string& text) {
  if (text.find('=') == std::string::npos && ends_with(text, ".onnx")) {
    VQ_ASSIGN_OR_RETURN(model::TinyModel m, model::load_tiny_model(text));
    return model::tiny_row_model(m);
  }
  VQ_ASSIGN_OR_RETURN(model::ModelSpec spec, model::parse_model_spec(text));
  if (ends_with(spec.path, ".onnx")) {
    VQ_ASSIGN_OR_RETURN(model::TinyModel m, model::load_tiny_model(spec.path));
    return model::tiny_row_model(m, spec.name == "vmaf" ? "" : spec.name);
  }
  return model::load_vmaf_model(spec);
}

Result<features::EngineConfig> engine_config(const ExtractConfig& cfg, const detail::Request& req) {
  features::EngineConfig ec;
  ec.threads = cfg.threads;
  ec.subsample = cfg.subsample;
  ec.frame_cnt = cfg.frame_cnt;
  ec.frame_skip_ref = cfg.frame_skip_ref;
  ec.frame_skip_dist = cfg.frame_skip_dist;
  ec.skip_unsupported = cfg.skip_unsupported;
  ec.warn = cfg.warn;
  ec.progress = cfg.progress;
  for (const std::string& m : req.models) {
    VQ_ASSIGN_OR_RETURN(auto loaded, load_model(m));
    ec.models.push_back(std::move(loaded));
  }
  for (const std::string& f : req.features) {
    VQ_ASSIGN_OR_RETURN(auto inst, features::parse_instance(f));
    ec.instances.push_back(std::move(inst));
  }
  if (ec.instances.empty() && ec.models.empty())
    return Error(Errc::kInvalidArgument, "nothing to compute: give --feature, --feature-set or --model");
  return ec;
}

}  // namespace

Result<RunSummary> run_request(const ExtractConfig& cfg, const detail::Request& req,
                               std::span<FrameSink* const> sinks) {
  return guard([&]() -> RunSummary {
    features::EngineConfig ec = unwrap(engine_config(cfg, req));
    io::RawFormat raw{cfg.width, cfg.height, cfg.pixel_format, cfg.bit_depth};
    auto ref = unwrap(io::open_video(cfg.reference, raw));
    auto dis = unwrap(io::open_video(cfg.distorted, raw));
    if (req.canonical_filter) {
      CanonicalFilter filter(sinks);
      FrameSink* f = &filter;
      return unwrap(features::run_engine(*ref, *dis, ec, std::span<FrameSink* const>(&f, 1)));
    }
    return unwrap(features::run_engine(*ref, *dis, ec, sinks));
  });
}


std::vector<std::string> feature_set_extractors(std::string_view set) {
  std::vector<std::string> out;
  if (set == "canonical") return {"adm", "motion", "vif"};
  if (set == "full")
    for (const auto& e : features::extractors()) out.emplace_back(e.name);
  return out;
}

namespace detail {

Result<Request> resolve_request(const ExtractConfig& cfg) {
  Request req;
  const std::string& set = cfg.feature_set;
  if (!set.empty() && set != "canonical" && set != "full" && set != "custom")
    return Error(Errc::kInvalidArgument, "unknown feature set '" + set + "' (canonical, full, custom)", "", -1,
                 "--feature-set");
  if (set == "custom" && cfg.features.empty())
    return Error(Errc::kInvalidArgument, "'custom' needs at least one --feature", "", -1, "--feature-set");
  if (set == "canonical" && cfg.no_prediction)
    return Error(Errc::kInvalidArgument, "'canonical' includes the vmaf score; drop -n", "", -1, "--feature-set");
  if (cfg.no_prediction && !cfg.models.empty())
    return Error(Errc::kInvalidArgument, "-n/--no_prediction conflicts with --model", "", -1, "--model");
  req.models = cfg.models;
  const bool wants_model = set == "canonical" || set == "full" || (set.empty() && cfg.features.empty());
  if (req.models.empty() && wants_model && !cfg.no_prediction) req.models.emplace_back(kDefaultModel);
  if (set == "full") req.features = feature_set_extractors("full");
  req.features.insert(req.features.end(), cfg.features.begin(), cfg.features.end());
  req.canonical_filter = set == "canonical";
  return req;
}

}  // namespace detail

Result<RunSummary> extract(const ExtractConfig& cfg, std::span<FrameSink* const> sinks) {
  VQ_ASSIGN_OR_RETURN(detail::Request req, detail::resolve_request(cfg));
  return run_request(cfg, req, sinks);
}

}  // namespace vqfuse
