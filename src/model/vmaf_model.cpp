// libvmaf JSON model loading and SVM prediction.
//
// Behavioural reference: Netflix/vmaf f85a853 libvmaf/src/read_json_model.c, predict.c, svm.cpp.
// Prediction per frame: each feature is normalised (linear_rescale: slope_i * x + intercept_i,
// slopes[0]/intercepts[0] belong to the prediction), the libsvm RBF decision value is computed in
// support-vector order, denormalised ((y - intercept) / slope), transformed only when
// score_transform has "enabled": true or the spec says enable_transform (vmaf_v0.6.1's block has
// no "enabled", so libvmaf leaves it off), then clipped to score_clip unless disable_clip.
#include "model/vmaf_model.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "io/file.hpp"

namespace vqfuse::embedded {
extern const unsigned char vmaf_v0_6_1_json[];
extern const unsigned long vmaf_v0_6_1_json_size;
}  // namespace vqfuse::embedded

namespace vqfuse::model {
namespace {

using nlohmann::json;

Error model_error(const std::string& origin, const std::string& field, const std::string& what) {
  return Error(Errc::kModel, what, origin, -1, field);
}

Result<double> finite_number(const json& v, const std::string& origin, const std::string& field) {
  if (!v.is_number()) return model_error(origin, field, "expected a number");
  const double d = v.get<double>();
  if (!std::isfinite(d)) return model_error(origin, field, "not a finite number");
  return d;
}

Result<std::vector<double>> number_array(const json& v, const std::string& origin,
                                         const std::string& field) {
  if (!v.is_array()) return model_error(origin, field, "expected an array of numbers");
  std::vector<double> out;
  for (size_t i = 0; i < v.size(); ++i) {
    VQ_ASSIGN_OR_RETURN(double d, finite_number(v[i], origin, field + "[" + std::to_string(i) + "]"));
    out.push_back(d);
  }
  return out;
}

bool parse_strict_double(const std::string& s, double& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && std::isfinite(out);
}

// libsvm's text format (svm_load_model): header lines, then "SV", then "coef idx:val ...".
Result<SvmModel> parse_libsvm(const std::string& text, int n_features, const std::string& origin) {
  SvmModel m;
  m.n_features = n_features;
  std::istringstream in(text);
  std::string line;
  long total_sv = -1;
  bool kernel_ok = false, type_ok = false, have_gamma = false, have_rho = false;
  int line_no = 0;
  const std::string field = "model_dict.model";
  while (std::getline(in, line)) {
    ++line_no;
    std::istringstream ls(line);
    std::string key;
    ls >> key;
    if (key.empty()) continue;
    if (key == "SV") break;
    std::string val;
    ls >> val;
    if (key == "svm_type") {
      type_ok = val == "nu_svr" || val == "epsilon_svr";
      if (!type_ok) return model_error(origin, field, "svm_type '" + val + "' is not a regression SVM");
    } else if (key == "kernel_type") {
      kernel_ok = val == "rbf";
      if (!kernel_ok) return model_error(origin, field, "kernel_type '" + val + "' is not supported (rbf only)");
    } else if (key == "gamma") {
      have_gamma = parse_strict_double(val, m.gamma);
      if (!have_gamma) return model_error(origin, field, "bad gamma '" + val + "'");
    } else if (key == "rho") {
      have_rho = parse_strict_double(val, m.rho);
      if (!have_rho) return model_error(origin, field, "bad rho '" + val + "'");
    } else if (key == "total_sv") {
      total_sv = std::strtol(val.c_str(), nullptr, 10);
    }
  }
  if (!type_ok || !kernel_ok || !have_gamma || !have_rho || total_sv <= 0)
    return model_error(origin, field, "incomplete libsvm header (svm_type, kernel_type, gamma, rho, total_sv)");
  while (std::getline(in, line)) {
    ++line_no;
    std::istringstream ls(line);
    std::string tok;
    if (!(ls >> tok)) continue;
    const std::string where = field + " line " + std::to_string(line_no);
    double coef;
    if (!parse_strict_double(tok, coef)) return model_error(origin, where, "bad coefficient '" + tok + "'");
    m.coef.push_back(coef);
    m.sv.resize(m.sv.size() + static_cast<size_t>(n_features), 0.0);
    double* row = m.sv.data() + m.sv.size() - static_cast<size_t>(n_features);
    int last = 0;
    while (ls >> tok) {
      const size_t colon = tok.find(':');
      double v;
      if (colon == std::string::npos || !parse_strict_double(tok.substr(colon + 1), v))
        return model_error(origin, where, "bad node '" + tok + "'");
      const long idx = std::strtol(tok.substr(0, colon).c_str(), nullptr, 10);
      if (idx <= last || idx > n_features)
        return model_error(origin, where,
                           "node index " + std::to_string(idx) + " out of order or beyond " +
                               std::to_string(n_features) + " features");
      last = static_cast<int>(idx);
      row[idx - 1] = v;
    }
  }
  if (static_cast<long>(m.coef.size()) != total_sv)
    return model_error(origin, field,
                       "total_sv is " + std::to_string(total_sv) + " but " +
                           std::to_string(m.coef.size()) + " support vectors follow");
  return m;
}

Result<ScoreTransform> parse_transform(const json& t, const std::string& origin) {
  ScoreTransform st;
  if (!t.is_object()) return model_error(origin, "model_dict.score_transform", "expected an object");
  for (auto it = t.begin(); it != t.end(); ++it) {
    const std::string field = "model_dict.score_transform." + it.key();
    const json& v = it.value();
    if (it.key() == "enabled") {
      st.enabled = v.is_boolean() ? v.get<bool>() : (v.is_string() && v.get<std::string>() == "true");
    } else if (it.key() == "p0" || it.key() == "p1" || it.key() == "p2") {
      if (v.is_null()) continue;
      VQ_ASSIGN_OR_RETURN(double d, finite_number(v, origin, field));
      if (it.key() == "p0") st.has_p0 = true, st.p0 = d;
      if (it.key() == "p1") st.has_p1 = true, st.p1 = d;
      if (it.key() == "p2") st.has_p2 = true, st.p2 = d;
    } else if (it.key() == "knots") {
      if (v.is_null()) continue;
      if (!v.is_array()) return model_error(origin, field, "expected [[x, y], ...]");
      for (size_t i = 0; i < v.size(); ++i) {
        VQ_ASSIGN_OR_RETURN(auto xy, number_array(v[i], origin, field + "[" + std::to_string(i) + "]"));
        if (xy.size() != 2) return model_error(origin, field, "each knot is [x, y]");
        st.knots.emplace_back(xy[0], xy[1]);
      }
    } else if (it.key() == "out_lte_in" || it.key() == "out_gte_in") {
      const bool on = v.is_boolean() ? v.get<bool>() : (v.is_string() && v.get<std::string>() == "true");
      (it.key() == "out_lte_in" ? st.out_lte_in : st.out_gte_in) = on;
    }
  }
  return st;
}

// libvmaf predict.c piecewise_linear_mapping(): segments evaluated in order, the last matching
// segment wins; values outside the knots extrapolate the first/last segment.
double piecewise_linear(double x, const std::vector<std::pair<double, double>>& k) {
  double y = 0;
  for (size_t i = 0; i + 1 < k.size(); ++i) {
    const auto [x0, y0] = k[i];
    const auto [x1, y1] = k[i + 1];
    const bool in = x0 <= x && x <= x1;
    const bool first = i == 0, last = i + 2 == k.size();
    if (y0 == y1) {
      if (in || (first && x < x0) || (last && x > x1)) y = y0;
    } else {
      double slope, offset;
      if (x0 == 0) {
        offset = y0;
        slope = (y1 - offset) / x1;
      } else {
        slope = (y1 - y0) / (x1 - x0);
        offset = y0 - x0 * slope;
      }
      if (in || (first && x < x0) || (last && x > x1)) y = slope * x + offset;
    }
  }
  return y;
}

class VmafSvm final : public features::RowModel {
 public:
  VmafSvm(std::string name, VmafModelData data, std::vector<Input> inputs, bool clip, bool transform)
      : name_(std::move(name)), d_(std::move(data)), inputs_(std::move(inputs)), clip_(clip),
        transform_(transform) {}

  const std::string& name() const override { return name_; }
  const std::vector<Input>& inputs() const override { return inputs_; }

  double predict(std::span<const double> x) const override {
    double node[64];
    const size_t n = x.size();
    for (size_t i = 0; i < n; ++i)
      node[i] = d_.linear_rescale ? d_.slopes[i + 1] * x[i] + d_.intercepts[i + 1] : x[i];
    double y = d_.svm.decision(node);
    if (d_.linear_rescale) y = (y - d_.intercept) / d_.slope;
    if (transform_) y = apply_transform(y);
    if (clip_) {
      y = y < d_.clip_min ? d_.clip_min : y;
      y = y > d_.clip_max ? d_.clip_max : y;
    }
    return y;
  }

 private:
  double apply_transform(double in) const {
    const ScoreTransform& t = d_.transform;
    double out = in;
    if (t.has_p0 || t.has_p1 || t.has_p2) {
      out = 0;
      if (t.has_p0) out += t.p0;
      if (t.has_p1) out += t.p1 * in;
      if (t.has_p2) out += t.p2 * in * in;
    }
    if (t.knots.size() > 1) out = piecewise_linear(out, t.knots);
    if (t.out_lte_in && out > in) out = in;
    if (t.out_gte_in && out < in) out = in;
    return out;
  }

  std::string name_;
  VmafModelData d_;
  std::vector<Input> inputs_;
  bool clip_;
  bool transform_;
};

}  // namespace

double SvmModel::decision(const double* x) const {
  double sum = 0;
  const size_t n = static_cast<size_t>(n_features);
  for (size_t i = 0; i < coef.size(); ++i) {
    const double* s = sv.data() + i * n;
    double d2 = 0;
    for (size_t k = 0; k < n; ++k) {
      const double d = x[k] - s[k];
      d2 += d * d;
    }
    sum += coef[i] * std::exp(-gamma * d2);
  }
  return sum - rho;
}

Result<VmafModelData> parse_vmaf_model(std::string_view text, const std::string& origin) {
  json j;
  try {
    j = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    return model_error(origin, "JSON at byte " + std::to_string(e.byte), "not valid JSON");
  } catch (const json::exception& e) {  // e.g. a number out of range (1e999)
    return model_error(origin, "JSON", "not valid JSON: " + std::string(e.what()));
  }
  if (!j.is_object() || !j.contains("model_dict") || !j["model_dict"].is_object())
    return model_error(origin, "model_dict", "missing (not a libvmaf JSON model)");
  const json& md = j["model_dict"];
  VmafModelData d;
  if (!md.contains("model_type") || !md["model_type"].is_string())
    return model_error(origin, "model_dict.model_type", "missing");
  const std::string type = md["model_type"].get<std::string>();
  if (type != "LIBSVMNUSVR")
    return model_error(origin, "model_dict.model_type",
                       "'" + type + "' is not supported (LIBSVMNUSVR; bootstrap models are not)");
  if (!md.contains("feature_names") || !md["feature_names"].is_array() || md["feature_names"].empty())
    return model_error(origin, "model_dict.feature_names", "missing or empty");
  for (size_t i = 0; i < md["feature_names"].size(); ++i) {
    const json& f = md["feature_names"][i];
    if (!f.is_string())
      return model_error(origin, "model_dict.feature_names[" + std::to_string(i) + "]", "expected a string");
    d.feature_names.push_back(f.get<std::string>());
  }
  const size_t n = d.feature_names.size();
  if (n > 64) return model_error(origin, "model_dict.feature_names", "more than 64 features");
  d.feature_opts.resize(n);
  if (md.contains("feature_opts_dicts")) {
    const json& fo = md["feature_opts_dicts"];
    if (!fo.is_array() || fo.size() != n)
      return model_error(origin, "model_dict.feature_opts_dicts", "expected one object per feature");
    for (size_t i = 0; i < n; ++i) {
      if (!fo[i].is_object())
        return model_error(origin, "model_dict.feature_opts_dicts[" + std::to_string(i) + "]", "expected an object");
      for (auto it = fo[i].begin(); it != fo[i].end(); ++it) {
        const json& v = it.value();
        std::string s = v.is_string() ? v.get<std::string>() : v.is_boolean() ? (v.get<bool>() ? "true" : "false") : v.dump();
        d.feature_opts[i].emplace_back(it.key(), s);
      }
    }
  }
  const std::string norm = md.value("norm_type", std::string("none"));
  if (norm == "linear_rescale") {
    d.linear_rescale = true;
    if (!md.contains("slopes")) return model_error(origin, "model_dict.slopes", "missing (needed by linear_rescale)");
    if (!md.contains("intercepts")) return model_error(origin, "model_dict.intercepts", "missing (needed by linear_rescale)");
    VQ_ASSIGN_OR_RETURN(d.slopes, number_array(md["slopes"], origin, "model_dict.slopes"));
    VQ_ASSIGN_OR_RETURN(d.intercepts, number_array(md["intercepts"], origin, "model_dict.intercepts"));
    if (d.slopes.size() != n + 1 || d.intercepts.size() != n + 1)
      return model_error(origin, "model_dict.slopes",
                         "slopes and intercepts need " + std::to_string(n + 1) + " values (one for the "
                         "prediction, then one per feature), got " + std::to_string(d.slopes.size()) +
                             " and " + std::to_string(d.intercepts.size()));
    d.slope = d.slopes[0];
    d.intercept = d.intercepts[0];
    if (d.slope == 0) return model_error(origin, "model_dict.slopes[0]", "zero slope");
  } else if (norm != "none") {
    return model_error(origin, "model_dict.norm_type", "'" + norm + "' is not supported (linear_rescale, none)");
  }
  if (md.contains("score_clip")) {
    VQ_ASSIGN_OR_RETURN(auto c, number_array(md["score_clip"], origin, "model_dict.score_clip"));
    if (c.size() != 2) return model_error(origin, "model_dict.score_clip", "expected [min, max]");
    d.clip = true;
    d.clip_min = c[0];
    d.clip_max = c[1];
  }
  if (md.contains("score_transform")) {
    VQ_ASSIGN_OR_RETURN(d.transform, parse_transform(md["score_transform"], origin));
  }
  if (!md.contains("model") || !md["model"].is_string())
    return model_error(origin, "model_dict.model", "missing libsvm model text");
  VQ_ASSIGN_OR_RETURN(d.svm, parse_libsvm(md["model"].get<std::string>(), static_cast<int>(n), origin));
  return d;
}

Result<ModelSpec> parse_model_spec(std::string_view text) {
  ModelSpec s;
  std::string_view rest = text;
  while (!rest.empty()) {
    const size_t colon = rest.find(':');
    const std::string kv(rest.substr(0, colon));
    rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    const size_t eq = kv.find('=');
    const std::string key = kv.substr(0, eq);
    if (eq == std::string::npos) {
      if (key == "disable_clip") s.disable_clip = true;
      else if (key == "enable_transform") s.enable_transform = true;
      else return Error(Errc::kInvalidArgument, "bad option string '" + kv + "'", "", -1, "--model");
      continue;
    }
    const std::string val = kv.substr(eq + 1);
    if (key == "path") s.path = val;
    else if (key == "version") s.version = val;
    else if (key == "name") s.name = val;
    else if (key == "disable_clip") s.disable_clip = val == "true";
    else if (key == "enable_transform") s.enable_transform = val == "true";
    else {
      const size_t dot = key.find('.');
      if (dot == std::string::npos || dot == 0 || dot + 1 == key.size())
        return Error(Errc::kInvalidArgument,
                     "unknown option '" + key + "' (path, version, name, disable_clip, "
                     "enable_transform, or EXTRACTOR.OPTION overloads such as adm.debug)",
                     "", -1, "--model");
      s.overloads.push_back({key.substr(0, dot), {key.substr(dot + 1), val}});
    }
  }
  if (s.path.empty() == s.version.empty())
    return Error(Errc::kInvalidArgument, "give exactly one of path=FILE or version=NAME", "", -1, "--model");
  if (s.name.empty()) return Error(Errc::kInvalidArgument, "empty name", "", -1, "--model");
  return s;
}

std::vector<std::string> builtin_model_versions() { return {"vmaf_v0.6.1"}; }

Result<std::string> builtin_model_json(std::string_view version) {
  if (version == "vmaf_v0.6.1")
    return std::string(reinterpret_cast<const char*>(embedded::vmaf_v0_6_1_json),
                       embedded::vmaf_v0_6_1_json_size);
  return Error(Errc::kModel, "unknown built-in model '" + std::string(version) + "' (built in: vmaf_v0.6.1)",
               "", -1, "--model version");
}

Result<std::shared_ptr<const features::RowModel>> load_vmaf_model(const ModelSpec& spec) {
  std::string text;
  std::string origin;
  if (!spec.path.empty()) {
    VQ_ASSIGN_OR_RETURN(text, io::read_text_file(spec.path, size_t{64} << 20));
    origin = spec.path;
  } else {
    VQ_ASSIGN_OR_RETURN(text, builtin_model_json(spec.version));
    origin = spec.version + " (built in)";
  }
  VQ_ASSIGN_OR_RETURN(VmafModelData data, parse_vmaf_model(text, origin));
  std::vector<features::RowModel::Input> inputs;
  for (size_t i = 0; i < data.feature_names.size(); ++i) {
    const std::string field = "model_dict.feature_names[" + std::to_string(i) + "]";
    const auto id = find_feature_by_model_name(data.feature_names[i]);
    if (!id || id->info().extractor == Ext::kModel)
      return Error(Errc::kModel, "'" + data.feature_names[i] + "' has no extractor", origin, -1, field);
    const features::ExtractorInfo* ext_p = features::find_extractor(id->info().extractor);
    if (!ext_p)
      return Error(Errc::kModel, "'" + data.feature_names[i] + "': its extractor is not in this build",
                   origin, -1, field);
    const features::ExtractorInfo& ext = *ext_p;
    std::vector<std::pair<std::string, std::string>> kv = data.feature_opts[i];
    for (const auto& [name, opt] : spec.overloads)
      if (name == ext.name) kv.push_back(opt);
    for (const auto& [name, opt] : spec.overloads)
      if (!features::find_extractor(name))
        return Error(Errc::kInvalidArgument, "overload names unknown extractor '" + name + "'", "", -1, "--model");
    auto opts = features::Options::parse(ext.name, ext.options, kv);
    if (!opts.ok()) {
      Error e = std::move(opts).error();
      e.file = origin;
      return e;
    }
    inputs.push_back({id->info().extractor, std::move(opts).value(), *id});
  }
  const bool transform = data.transform.enabled || spec.enable_transform;
  const bool clip = data.clip && !spec.disable_clip;
  return std::shared_ptr<const features::RowModel>(
      std::make_shared<VmafSvm>(spec.name, std::move(data), std::move(inputs), clip, transform));
}

}  // namespace vqfuse::model
