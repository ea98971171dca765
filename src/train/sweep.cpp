#include "train/sweep.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <set>

#include "core/sha256.hpp"
#include "io/file.hpp"
#include "model/onnx_model.hpp"
#include "model/tiny_model.hpp"
#include "features/extractor.hpp"
#include "vqfuse/features.hpp"

namespace vqfuse::train {
namespace {

using nlohmann::json;

json summary_json(const Summary& s) { return {{"mean", s.mean}, {"std", s.std}}; }
json metrics_json(const Metrics& m) { return {{"plcc", m.plcc}, {"srocc", m.srocc}, {"rmse", m.rmse}, {"n", m.n}}; }

std::string pm(const Summary& s, int prec = 4) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f ± %.*f", prec, s.mean, prec, s.std);
  return buf;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

// Size of the ONNX file an architecture gives for k inputs (weights do not change the size).
size_t onnx_size(const std::vector<int>& hidden, size_t k) {
  Mlp m;
  m.input_mean.assign(k, 0);
  m.input_std.assign(k, 1);
  std::vector<int> w = {static_cast<int>(k)};
  w.insert(w.end(), hidden.begin(), hidden.end());
  w.push_back(1);
  for (size_t l = 0; l + 1 < w.size(); ++l) m.layers.push_back({Eigen::MatrixXf::Zero(w[l + 1], w[l]), Eigen::VectorXf::Zero(w[l + 1])});
  return model::export_onnx(m, "size").size();
}

// Extraction cost of a feature list: the distinct extractors it needs.
double extraction_cost(const std::vector<std::string>& features, const std::map<std::string, double>& cost) {
  std::set<std::string> ext;
  for (const auto& f : features) {
    const auto id = find_feature(f);
    if (!id) return std::nan("");
    const features::ExtractorInfo* e = features::find_extractor(id->info().extractor);
    if (!e) return std::nan("");
    ext.insert(std::string(e->name));
  }
  double total = 0;
  for (const auto& e : ext) {
    auto it = cost.find(e);
    if (it == cost.end()) return std::nan("");
    total += it->second;
  }
  return total;
}

}  // namespace

Result<std::string> resolve_features(const std::string& spec, const store::FrameTable& t, const std::string& target,
                                     const std::string& consensus_path) {
  std::vector<std::string> cols;
  for (const auto& c : t.columns)
    if (c != target) cols.push_back(c);
  if (spec == "canonical" || spec == "full" || spec.empty()) return spec;
  if (spec.rfind("topk:", 0) == 0) {
    int k = 0;
    try {
      k = std::stoi(spec.substr(5));
    } catch (...) {
    }
    if (k < 1) return Error(Errc::kInvalidArgument, "expected topk:K with K >= 1", "", -1, "--features");
    if (consensus_path.empty())
      return Error(Errc::kInvalidArgument, "topk:K needs --consensus FILE (from vqfuse analyze)", "", -1, "--features");
    VQ_ASSIGN_OR_RETURN(std::string text, io::read_text_file(consensus_path));
    json c;
    try {
      c = json::parse(text);
    } catch (const json::exception&) {
      return Error(Errc::kParse, "not valid JSON", consensus_path);
    }
    if (!c.contains("beyond_canonical") || !c["beyond_canonical"].is_array())
      return Error(Errc::kParse, "missing beyond_canonical (not a vqfuse consensus.json?)", consensus_path);
    std::vector<std::string> f = analysis::canonical_features(cols);
    if (f.size() != 6) return Error(Errc::kInvalidArgument, "the table lacks the canonical six features", "", -1, "--features");
    int added = 0;
    for (const auto& x : c["beyond_canonical"]) {
      if (added == k) break;
      const std::string name = x.get<std::string>();
      if (t.column(name) < 0)
        return Error(Errc::kInvalidArgument, "consensus feature '" + name + "' is not in the table", consensus_path);
      f.push_back(name);
      ++added;
    }
    return join(f);
  }
  return spec;
}

std::string cv_json(const CvResult& r) {
  json j;
  j["validation"] = r.validation;
  j["folds"] = r.folds;
  j["cv_seconds"] = r.seconds;
  j["plcc"] = summary_json(r.plcc);
  j["srocc"] = summary_json(r.srocc);
  j["rmse"] = summary_json(r.rmse);
  j["clip_plcc"] = summary_json(r.clip_plcc);
  j["clip_srocc"] = summary_json(r.clip_srocc);
  j["clip_rmse"] = summary_json(r.clip_rmse);
  for (const auto& [m, s] : r.failure_plcc) j["failure_modes"][m] = {{"plcc", summary_json(s)}, {"rmse", summary_json(r.failure_rmse.at(m))}};
  j["seeds"] = json::array();
  for (const auto& s : r.seeds) {
    json sj = {{"seed", s.seed}, {"frame_pooled", metrics_json(s.frame_pooled)}, {"clip_pooled", metrics_json(s.clip_pooled)}};
    for (const auto& f : s.folds)
      sj["folds"].push_back({{"held_out", f.held_out}, {"frame", metrics_json(f.frame)}, {"clip", metrics_json(f.clip)}, {"epochs", f.epochs}});
    j["seeds"].push_back(sj);
  }
  return j.dump();
}

Result<TrainOutcome> train_and_export(const store::FrameTable& t, const TrainRequest& r, const std::string& onnx_path) {
  return guard([&]() -> TrainOutcome {
    const analysis::Dataset d = unwrap(analysis::make_dataset(t, r.data));
    for (const auto& f : d.features)
      if (!find_feature(f))
        throw Error(Errc::kInvalidArgument,
                    "'" + f + "' is not a vqfuse feature name: a model must take features vqfuse can extract "
                    "(rename columns on import, e.g. psnr=psnr_y)",
                    "", -1, "--features");
    CvConfig cv = r.cv;
    cv.opt.hidden = unwrap(parse_arch(r.arch));
    TrainOutcome out;
    out.cv = unwrap(cross_validate(d, cv));
    out.features = d.features;
    out.rows = static_cast<int64_t>(d.rows());
    out.groups = static_cast<int64_t>(d.group_names.size());
    int epochs = 0;
    const Mlp m = train_final(d, cv.opt, cv.seeds.front(), &epochs);
    const std::string bytes = model::export_onnx(m, r.model_id);
    out.n_params = m.n_params();
    out.onnx_bytes = bytes.size();
    model::Sidecar s;
    s.id = r.model_id;
    s.onnx = std::filesystem::path(onnx_path).filename().string();
    s.sha256 = sha256_hex(bytes);
    s.features = d.features;
    s.feature_set = r.feature_spec;
    s.input_mean.assign(m.input_mean.begin(), m.input_mean.end());
    s.input_std.assign(m.input_std.begin(), m.input_std.end());
    s.arch = r.arch;
    s.n_params = static_cast<int64_t>(m.n_params());
    s.target = d.target;
    json training = {{"data", r.data_description}, {"rows", d.rows()}, {"level", d.level}, {"groups", d.group_names},
                     {"group_by", d.group_by}, {"rows_dropped_missing", d.rows_dropped},
                     {"seeds", r.cv.seeds}, {"final_seed", cv.seeds.front()}, {"final_epochs", epochs},
                     {"epochs", cv.opt.epochs}, {"batch", cv.opt.batch}, {"lr", cv.opt.lr},
                     {"cross_validation", json::parse(cv_json(out.cv))}, {"vqfuse_version", VQFUSE_VERSION}};
    s.training_json = training.dump();
    unwrap(io::write_file_atomic(onnx_path, bytes));
    unwrap(io::write_file_atomic(model::sidecar_path(onnx_path), model::sidecar_json(s)));
    return out;
  });
}

Result<void> sweep(const store::FrameTable& t, const SweepRequest& r, const std::string& out_dir) {
  return guard([&] {
    std::filesystem::create_directories(out_dir);
    // Subsets: canonical-6, canonical + top-K, full.
    std::vector<std::pair<std::string, std::string>> subsets;  // (name, feature list spec)
    subsets.emplace_back("canonical", "canonical");
    for (int k : r.ks)
      subsets.emplace_back("top" + std::to_string(k), unwrap(resolve_features("topk:" + std::to_string(k), t, r.data.target, r.consensus_path)));
    subsets.emplace_back("full", "");
    json cells = json::array();
    std::string csv = "subset,arch,k_features,features,plcc_mean,plcc_std,srocc_mean,srocc_std,rmse_mean,rmse_std,"
                      "clip_plcc_mean,clip_plcc_std,n_params,onnx_bytes,extraction_ms_1080p\n";
    struct Cell {
      std::string subset, arch;
      std::vector<std::string> features;
      CvResult cv;
      size_t params = 0, bytes = 0;
      double cost = 0;
    };
    std::vector<Cell> all;
    for (const auto& [name, spec] : subsets) {
      analysis::DatasetOptions dopt = r.data;
      dopt.features = spec;
      const analysis::Dataset d = unwrap(analysis::make_dataset(t, dopt));
      for (const std::string& arch : r.archs) {
        if (r.progress) r.progress(name + " x " + arch);
        CvConfig cv = r.cv;
        cv.opt.hidden = unwrap(parse_arch(arch));
        Cell c;
        c.subset = name;
        c.arch = arch;
        c.features = d.features;
        c.cv = unwrap(cross_validate(d, cv));
        size_t params = 2 * d.cols();
        int prev = static_cast<int>(d.cols());
        for (int h : cv.opt.hidden) {
          params += static_cast<size_t>(prev * h + h);
          prev = h;
        }
        c.params = params + static_cast<size_t>(prev + 1);
        c.bytes = onnx_size(cv.opt.hidden, d.cols());
        c.cost = extraction_cost(d.features, r.extractor_cost_ms);
        all.push_back(std::move(c));
      }
    }
    // Pareto front: no other cell has higher-or-equal PLCC, lower-or-equal cost and size, and
    // is strictly better in one of them.
    std::vector<bool> pareto(all.size(), true);
    for (size_t a = 0; a < all.size(); ++a)
      for (size_t b = 0; b < all.size(); ++b) {
        if (a == b) continue;
        const double ca = std::isnan(all[a].cost) ? 0 : all[a].cost, cb = std::isnan(all[b].cost) ? 0 : all[b].cost;
        const bool ge = all[b].cv.plcc.mean >= all[a].cv.plcc.mean && cb <= ca && all[b].bytes <= all[a].bytes;
        const bool gt = all[b].cv.plcc.mean > all[a].cv.plcc.mean || cb < ca || all[b].bytes < all[a].bytes;
        if (ge && gt) pareto[a] = false;
      }
    std::string md = "# vqfuse sweep: target `" + r.data.target + "`\n\nLOSO (" + r.cv.validation + "), seeds";
    for (auto s : r.cv.seeds) md += " " + std::to_string(s);
    md += "; mean ± std over seeds of the mean over folds.\n\n"
          "| subset | arch | K | PLCC | SROCC | RMSE | clip PLCC | params | ONNX bytes | extraction ms/frame (1080p) | Pareto |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|\n";
    for (size_t i = 0; i < all.size(); ++i) {
      const Cell& c = all[i];
      char cost[32];
      std::snprintf(cost, sizeof cost, "%.1f", c.cost);
      md += "| " + c.subset + " | " + c.arch + " | " + std::to_string(c.features.size()) + " | " + pm(c.cv.plcc) + " | " +
            pm(c.cv.srocc) + " | " + pm(c.cv.rmse, 3) + " | " + pm(c.cv.clip_plcc) + " | " + std::to_string(c.params) +
            " | " + std::to_string(c.bytes) + " | " + (std::isnan(c.cost) ? "n/a" : cost) + " | " + (pareto[i] ? "yes" : "") + " |\n";
      char line[512];
      std::snprintf(line, sizeof line, "%s,%s,%zu,\"%s\",%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%zu,%zu,%.17g\n",
                    c.subset.c_str(), c.arch.c_str(), c.features.size(), join(c.features).c_str(), c.cv.plcc.mean,
                    c.cv.plcc.std, c.cv.srocc.mean, c.cv.srocc.std, c.cv.rmse.mean, c.cv.rmse.std, c.cv.clip_plcc.mean,
                    c.cv.clip_plcc.std, c.params, c.bytes, c.cost);
      csv += line;
      cells.push_back({{"subset", c.subset}, {"arch", c.arch}, {"features", c.features}, {"n_params", c.params},
                       {"onnx_bytes", c.bytes}, {"extraction_ms_1080p", std::isnan(c.cost) ? json(nullptr) : json(c.cost)},
                       {"pareto", pareto[i]}, {"cv", json::parse(cv_json(c.cv))}});
    }
    // Failure modes against the canonical baseline of the same architecture.
    std::set<std::string> modes;
    for (const Cell& c : all)
      for (const auto& [m, s] : c.cv.failure_plcc) modes.insert(m);
    if (!modes.empty()) {
      md += "\n## Failure modes (out-of-fold PLCC / RMSE on tagged clips; delta vs canonical, same arch)\n\n| subset | arch |";
      for (const auto& m : modes) md += " " + m + " PLCC | " + m + " RMSE |";
      md += "\n|---|---|";
      for (size_t i = 0; i < modes.size(); ++i) md += "---|---|";
      md += "\n";
      for (const Cell& c : all) {
        const Cell* base = nullptr;
        for (const Cell& b : all)
          if (b.subset == "canonical" && b.arch == c.arch) base = &b;
        md += "| " + c.subset + " | " + c.arch + " |";
        for (const auto& m : modes) {
          auto p = c.cv.failure_plcc.find(m);
          auto e = c.cv.failure_rmse.find(m);
          if (p == c.cv.failure_plcc.end()) {
            md += " n/a | n/a |";
            continue;
          }
          char buf[96];
          const double dp = base ? p->second.mean - base->cv.failure_plcc.at(m).mean : 0;
          const double de = base ? e->second.mean - base->cv.failure_rmse.at(m).mean : 0;
          std::snprintf(buf, sizeof buf, " %.4f (%+.4f) | %.3f (%+.3f) |", p->second.mean, dp, e->second.mean, de);
          md += buf;
        }
        md += "\n";
      }
    }
    json j = {{"target", r.data.target}, {"validation", r.cv.validation}, {"seeds", r.cv.seeds}, {"cells", cells}};
    unwrap(io::write_file_atomic(out_dir + "/results.json", j.dump(2) + "\n"));
    unwrap(io::write_file_atomic(out_dir + "/results.csv", csv));
    unwrap(io::write_file_atomic(out_dir + "/results.md", md));
  });
}

}  // namespace vqfuse::train
