#include "golden.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

namespace vqfuse::golden {
namespace {

using nlohmann::json;

struct GoldenFile {
  std::vector<std::map<std::string, double>> frames;
  std::map<std::string, std::map<std::string, double>> pooled;
  std::map<std::string, double> aggregate;
};

double num(const json& v) { return v.is_number() ? v.get<double>() : std::nan(""); }

const GoldenFile& load(const std::string& file_path) {
  static std::mutex mu;
  static std::map<std::string, GoldenFile> cache;
  std::lock_guard lock(mu);
  auto it = cache.find(file_path);
  if (it != cache.end()) return it->second;
  GoldenFile g;
  std::ifstream in(file_path);
  if (in) {
    json j = json::parse(in);
    for (const auto& f : j["frames"]) {
      std::map<std::string, double> m;
      for (auto kv = f["metrics"].begin(); kv != f["metrics"].end(); ++kv) m[kv.key()] = num(kv.value());
      g.frames.push_back(std::move(m));
    }
    for (auto kv = j["pooled_metrics"].begin(); kv != j["pooled_metrics"].end(); ++kv)
      for (auto p = kv.value().begin(); p != kv.value().end(); ++p) g.pooled[kv.key()][p.key()] = num(p.value());
    if (j.contains("aggregate_metrics"))
      for (auto kv = j["aggregate_metrics"].begin(); kv != j["aggregate_metrics"].end(); ++kv)
        g.aggregate[kv.key()] = num(kv.value());
  }
  return cache.emplace(file_path, std::move(g)).first->second;
}

bool close(double ours, double gold, Tolerance t) {
  if (!std::isfinite(gold) || !std::isfinite(ours)) return std::isfinite(gold) == std::isfinite(ours) &&
                                                            (std::isnan(gold) || ours == gold || std::isnan(ours));
  return std::fabs(ours - gold) <= t.abs + t.rel * std::fabs(gold);
}

Tolerance tolerance_of(const std::string& feature) {
  std::string base = feature;
  if (auto id = find_feature(base)) return id->info().golden;
  return kExact;
}

}  // namespace

std::string golden_dir() {
  if (const char* env = std::getenv("VQFUSE_GOLDEN_DIR"); env && *env) return env;
  return VQFUSE_DEFAULT_GOLDEN_DIR;
}

bool available() {
  return std::filesystem::exists(path(kPairs[0], ".ref.y4m"));
}

std::string path(const std::string& pair, const std::string& suffix) {
  return golden_dir() + "/" + pair + suffix;
}

FeatureMatrix run_pair(const std::string& pair, const RunOptions& o) {
  ExtractConfig cfg;
  cfg.reference = path(pair, ".ref.y4m");
  cfg.distorted = path(pair, ".dis.y4m");
  cfg.features = o.features;
  cfg.models = o.models;
  cfg.no_prediction = o.no_prediction && o.models.empty();
  cfg.threads = o.threads;
  cfg.skip_unsupported = o.skip_unsupported;
  FeatureMatrix m;
  FrameSink* sinks[] = {&m};
  auto r = extract(cfg, sinks);
  if (!r.ok()) ADD_FAILURE() << pair << ": extraction failed: " << r.error().to_string();
  return m;
}

std::vector<std::string> golden_names(const std::string& pair, const std::string& file) {
  const GoldenFile& g = load(path(pair, "." + file));
  std::vector<std::string> out;
  if (!g.frames.empty())
    for (const auto& [k, v] : g.frames[0]) out.push_back(k);
  return out;
}

FeatureReport compare_feature(const std::string& pair, const FeatureMatrix& m, const std::string& feature,
                              std::optional<Tolerance> tol_override) {
  FeatureReport rep;
  rep.feature = feature;
  const Expectation ex = expectation(pair, feature);
  const Tolerance tol = tol_override ? *tol_override : tolerance_of(feature);
  std::vector<std::string> files = {ex.file};
  if (!ex.alternative.empty()) files.push_back(ex.alternative);
  const int col = m.column(feature);
  const bool is_aggregate = feature.rfind("apsnr_", 0) == 0;
  for (const std::string& file : files) {
    rep = FeatureReport{};
    rep.feature = feature;
    rep.file = file;
    const GoldenFile& g = load(path(pair, "." + file));
    if (g.frames.empty()) {
      rep.ok = false;
      rep.message = "golden file " + file + " missing or empty";
      continue;
    }
    if (is_aggregate) {
      int ac = -1;
      for (size_t c = 0; c < m.info.aggregate_columns.size(); ++c)
        if (m.info.aggregate_columns[c].name == feature) ac = static_cast<int>(c);
      auto it = g.aggregate.find(feature);
      if (ac < 0 || it == g.aggregate.end()) {
        rep.ok = false;
        rep.message = feature + (ac < 0 ? " not written by vqfuse" : " not in " + file);
        continue;
      }
      rep.ours = m.summary.aggregate[static_cast<size_t>(ac)];
      rep.golden = it->second;
      rep.max_abs = std::fabs(rep.ours - rep.golden);
      rep.ok = close(rep.ours, rep.golden, tol);
      if (!rep.ok) rep.message = feature + " aggregate: ours " + std::to_string(rep.ours) + " golden " + std::to_string(rep.golden);
      if (rep.ok) return rep;
      continue;
    }
    if (col < 0) {
      rep.ok = false;
      rep.message = feature + " not written by vqfuse";
      return rep;
    }
    if (g.frames.size() != m.rows.size()) {
      rep.ok = false;
      rep.message = "frame count: ours " + std::to_string(m.rows.size()) + ", " + file + " " +
                    std::to_string(g.frames.size());
      continue;
    }
    rep.frames = g.frames.size();
    for (size_t f = 0; f < g.frames.size(); ++f) {
      auto it = g.frames[f].find(feature);
      if (it == g.frames[f].end()) {
        rep.ok = false;
        rep.message = feature + " not in " + file;
        break;
      }
      const double ours = m.rows[f][static_cast<size_t>(col)];
      const double gold = it->second;
      const double abs = (std::isfinite(ours) && std::isfinite(gold)) ? std::fabs(ours - gold) : 0.0;
      const double rel = gold != 0 ? abs / std::fabs(gold) : abs;
      if (abs > rep.max_abs || rep.worst_frame < 0) {
        rep.max_abs = std::max(rep.max_abs, abs);
        rep.worst_frame = static_cast<int64_t>(f);
        rep.ours = ours;
        rep.golden = gold;
      }
      rep.max_rel = std::max(rep.max_rel, rel);
      if (!close(ours, gold, tol) && rep.ok) {
        rep.ok = false;
        char buf[256];
        std::snprintf(buf, sizeof buf, "%s frame %zu: ours %.17g golden %.17g diff %.3g (tol %.3g + %.3g*|g|)",
                      feature.c_str(), f, ours, gold, ours - gold, tol.abs, tol.rel);
        rep.message = buf;
      }
    }
    // Pooled values of the golden file (the engine pools the same way).
    auto pit = g.pooled.find(feature);
    if (rep.ok && pit != g.pooled.end()) {
      const Pooled& p = m.summary.pooled[static_cast<size_t>(col)];
      const std::pair<const char*, double> ours[] = {
          {"min", p.min}, {"max", p.max}, {"mean", p.mean}, {"harmonic_mean", p.harmonic_mean}};
      for (const auto& [k, v] : ours) {
        auto gv = pit->second.find(k);
        if (gv != pit->second.end() && !close(v, gv->second, tol)) {
          rep.ok = rep.pooled_ok = false;
          char buf[256];
          std::snprintf(buf, sizeof buf, "%s pooled %s: ours %.17g golden %.17g", feature.c_str(), k, v, gv->second);
          rep.message = buf;
          break;
        }
      }
    }
    if (rep.ok) return rep;
  }
  return rep;
}

void expect_golden(const std::string& pair, const FeatureMatrix& m, const std::vector<std::string>& features,
                   std::optional<Tolerance> tol) {
  for (const std::string& f : features) {
    const FeatureReport r = compare_feature(pair, m, f, tol);
    EXPECT_TRUE(r.ok) << pair << ": " << r.message;
    std::printf("  %-32s %-30s max_abs %-10.3g max_rel %-10.3g %s\n", pair.c_str(), f.c_str(), r.max_abs,
                r.max_rel, r.ok ? "ok" : "FAIL");
  }
}

}  // namespace vqfuse::golden
