// From a feature table to the numeric problem of analysis and training: feature selection,
// target, per-clip aggregation, missing values and constant columns.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "vqfuse/analysis.hpp"
#include "vqfuse/features.hpp"

namespace vqfuse::analysis {
namespace {

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

}  // namespace

std::vector<std::string> canonical_features(const std::vector<std::string>& available) {
  const std::vector<std::string> integer = {"integer_adm2", "integer_motion2", "integer_vif_scale0",
                                            "integer_vif_scale1", "integer_vif_scale2", "integer_vif_scale3"};
  const std::vector<std::string> flt = {"adm2", "motion2", "vif_scale0", "vif_scale1", "vif_scale2", "vif_scale3"};
  const std::set<std::string> have(available.begin(), available.end());
  std::vector<std::string> out;
  for (size_t i = 0; i < integer.size(); ++i) {
    if (have.count(integer[i])) out.push_back(integer[i]);
    else if (have.count(flt[i])) out.push_back(flt[i]);
  }
  return out;
}

Result<Dataset> make_dataset(const store::FrameTable& t, const DatasetOptions& o) {
  Dataset d;
  d.target = o.target;
  d.group_by = o.group;
  // Target: a column, or a per-clip attribute.
  const int target_col = t.column(o.target);
  bool attr_target = false;
  if (target_col < 0) {
    for (const auto& [clip, kv] : t.clip_attrs)
      if (kv.count(o.target)) attr_target = true;
    if (!attr_target) {
      std::string cols;
      for (const auto& c : t.columns) cols += " " + c;
      return Error(Errc::kInvalidArgument, "target '" + o.target + "' is neither a column nor a clip attribute (columns:" + cols + ")",
                   "", -1, "--target");
    }
  }
  d.level = o.level.empty() ? (attr_target ? "clip" : "frame") : o.level;
  if (d.level != "frame" && d.level != "clip")
    return Error(Errc::kInvalidArgument, "expected frame or clip", "", -1, "--level");
  if (o.group != "source_id" && o.group != "clip_id" && o.group != "failure_mode")
    return Error(Errc::kInvalidArgument, "expected source_id, clip_id or failure_mode", "", -1, "--group");

  // Features.
  std::vector<std::string> names;
  std::vector<std::string> available;
  for (const auto& c : t.columns)
    if (c != o.target) available.push_back(c);
  if (o.features.empty()) {
    // The canonical six (integer names, or the float ones of an external table) plus the
    // registry's analysis columns; a table with neither: every numeric column.
    names = canonical_features(available);
    for (const auto& c : available)
      if (auto id = find_feature(c); id && id->info().analysis &&
                                     std::find(names.begin(), names.end(), c) == names.end())
        names.push_back(c);
    if (names.empty()) names = available;
  } else if (o.features == "full") {
    names = available;
  } else if (o.features == "canonical") {
    names = canonical_features(available);
    if (names.size() != 6)
      return Error(Errc::kInvalidArgument, "the table lacks some of the canonical six features", "", -1, "--features");
  } else {
    names = split_list(o.features);
    for (const auto& n : names)
      if (t.column(n) < 0) return Error(Errc::kInvalidArgument, "no column '" + n + "'", "", -1, "--features");
  }
  if (names.empty()) return Error(Errc::kInvalidArgument, "no feature columns", "", -1, "--features");
  std::vector<int> cols;
  for (const auto& n : names) cols.push_back(t.column(n));

  // Rows (frame level) or clip means (clip level).
  struct Acc {
    std::vector<double> sum;
    double ysum = 0;
    int64_t n = 0;
    size_t first_row = 0;
  };
  std::vector<std::vector<double>> xs;
  std::vector<double> ys;
  std::vector<size_t> src_row;
  d.rows_in = static_cast<int64_t>(d.level == "frame" ? t.values.size() : 0);
  auto target_of = [&](size_t r) {
    if (!attr_target) return t.values[r][static_cast<size_t>(target_col)];
    auto it = t.clip_attrs.find(t.clip_id[r]);
    if (it == t.clip_attrs.end()) return std::nan("");
    auto v = it->second.find(o.target);
    return v == it->second.end() ? std::nan("") : v->second;
  };
  if (d.level == "frame") {
    for (size_t r = 0; r < t.values.size(); ++r) {
      std::vector<double> row;
      for (int c : cols) row.push_back(t.values[r][static_cast<size_t>(c)]);
      xs.push_back(std::move(row));
      ys.push_back(target_of(r));
      src_row.push_back(r);
    }
  } else {
    std::map<std::string, Acc> by_clip;
    std::vector<std::string> order;
    for (size_t r = 0; r < t.values.size(); ++r) {
      auto [it, fresh] = by_clip.try_emplace(t.clip_id[r]);
      Acc& a = it->second;
      if (fresh) {
        order.push_back(t.clip_id[r]);
        a.sum.assign(cols.size(), 0.0);
        a.first_row = r;
      }
      for (size_t k = 0; k < cols.size(); ++k) a.sum[k] += t.values[r][static_cast<size_t>(cols[k])];
      if (!attr_target) a.ysum += t.values[r][static_cast<size_t>(target_col)];
      ++a.n;
    }
    d.rows_in = static_cast<int64_t>(order.size());
    for (const auto& clip : order) {
      const Acc& a = by_clip[clip];
      std::vector<double> row;
      for (double s : a.sum) row.push_back(s / static_cast<double>(a.n));
      xs.push_back(std::move(row));
      ys.push_back(attr_target ? target_of(a.first_row) : a.ysum / static_cast<double>(a.n));
      src_row.push_back(a.first_row);
    }
  }

  // Missing values.
  std::map<std::string, int> group_id;
  for (size_t i = 0; i < xs.size(); ++i) {
    bool missing = std::isnan(ys[i]);
    for (double v : xs[i]) missing = missing || !std::isfinite(v);
    if (missing) {
      if (!o.drop_missing) {
        const size_t r = src_row[i];
        return Error(Errc::kInvalidArgument,
                     "missing value in clip '" + t.clip_id[r] + "' frame " + std::to_string(t.frame[r]) +
                         " (pass --missing drop to drop such rows)",
                     "", -1, "--missing");
      }
      ++d.rows_dropped;
      continue;
    }
    const size_t r = src_row[i];
    const std::string& g = o.group == "source_id" ? t.source_id[r] : o.group == "clip_id" ? t.clip_id[r] : t.failure_mode[r];
    auto [it, fresh] = group_id.try_emplace(g, static_cast<int>(d.group_names.size()));
    if (fresh) d.group_names.push_back(g);
    d.group.push_back(it->second);
    d.x.push_back(std::move(xs[i]));
    d.y.push_back(ys[i]);
    d.failure_mode.push_back(t.failure_mode[r]);
    d.clip_id.push_back(t.clip_id[r]);
  }
  if (d.y.size() < 2) return Error(Errc::kInvalidArgument, "fewer than 2 complete rows");

  // Constant columns carry no information and break standardisation: excluded and reported.
  std::vector<size_t> keep;
  for (size_t k = 0; k < names.size(); ++k) {
    bool constant = true;
    for (size_t i = 1; i < d.x.size() && constant; ++i) constant = d.x[i][k] == d.x[0][k];
    if (constant) d.constant_excluded.push_back(names[k]);
    else keep.push_back(k);
  }
  for (size_t k : keep) d.features.push_back(names[k]);
  if (d.features.empty()) return Error(Errc::kInvalidArgument, "every feature column is constant");
  if (keep.size() != names.size())
    for (auto& row : d.x) {
      std::vector<double> r;
      for (size_t k : keep) r.push_back(row[k]);
      row = std::move(r);
    }
  return d;
}

}  // namespace vqfuse::analysis
