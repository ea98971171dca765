#include "features/options.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace vqfuse::features {

namespace {

std::string format_exact(double v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string default_text(const OptionInfo& o) {
  switch (o.type) {
    case OptType::kBool: return o.def != 0 ? "true" : "false";
    case OptType::kInt: return std::to_string(static_cast<long long>(o.def));
    case OptType::kDouble: return format_exact(o.def);
    case OptType::kString: return std::string(o.def_str);
  }
  return {};
}

bool parse_double(const std::string& s, double& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtod(s.c_str(), &end);
  return errno == 0 && end == s.c_str() + s.size() && std::isfinite(out);
}

}  // namespace

std::string format_g(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

Options Options::defaults(std::span<const OptionInfo> table) {
  Options o;
  o.table_ = table;
  for (const auto& info : table) o.values_[std::string(info.name)] = default_text(info);
  return o;
}

Result<Options> Options::parse(std::string_view extractor, std::span<const OptionInfo> table,
                               const std::vector<std::pair<std::string, std::string>>& kv) {
  Options o = defaults(table);
  o.extractor_ = extractor;
  for (const auto& [key, raw] : kv) {
    const OptionInfo* info = o.find(key);
    if (!info) {
      std::string known;
      for (const auto& t : table) known += (known.empty() ? "" : " ") + std::string(t.name);
      return Error(Errc::kInvalidArgument,
                   "unknown option '" + key + "' (options: " + (known.empty() ? "none" : known) + ")",
                   "", -1, "--feature " + std::string(extractor));
    }
    std::string val = raw;
    const std::string where = "--feature " + std::string(extractor) + " option " + key;
    switch (info->type) {
      case OptType::kBool:
        if (val == "1") val = "true";
        if (val == "0") val = "false";
        if (val != "true" && val != "false")
          return Error(Errc::kInvalidArgument, "expected true or false, got '" + raw + "'", "", -1, where);
        break;
      case OptType::kInt: {
        long long v = 0;
        auto [p, ec] = std::from_chars(val.data(), val.data() + val.size(), v);
        if (ec != std::errc() || p != val.data() + val.size())
          return Error(Errc::kInvalidArgument, "expected an integer, got '" + raw + "'", "", -1, where);
        if (v < info->min || v > info->max)
          return Error(Errc::kInvalidArgument,
                       "value " + raw + " outside [" + format_g(info->min) + ", " + format_g(info->max) + "]",
                       "", -1, where);
        val = std::to_string(v);
        break;
      }
      case OptType::kDouble: {
        double v = 0;
        if (!parse_double(val, v))
          return Error(Errc::kInvalidArgument, "expected a number, got '" + raw + "'", "", -1, where);
        if (v < info->min || v > info->max)
          return Error(Errc::kInvalidArgument,
                       "value " + raw + " outside [" + format_g(info->min) + ", " + format_g(info->max) + "]",
                       "", -1, where);
        // Full precision for computation; names use %g (name_suffix), as libvmaf does.
        val = format_exact(v);
        break;
      }
      case OptType::kString:
        break;
    }
    o.values_[std::string(info->name)] = val;
  }
  return o;
}

const OptionInfo* Options::find(std::string_view name) const {
  for (const auto& t : table_)
    if (t.name == name) return &t;
  return nullptr;
}

bool Options::has(std::string_view name) const { return values_.find(name) != values_.end(); }

bool Options::get_bool(std::string_view name) const {
  auto it = values_.find(name);
  return it != values_.end() && it->second == "true";
}

int Options::get_int(std::string_view name) const {
  auto it = values_.find(name);
  return it == values_.end() ? 0 : std::atoi(it->second.c_str());
}

double Options::get_double(std::string_view name) const {
  auto it = values_.find(name);
  return it == values_.end() ? 0.0 : std::strtod(it->second.c_str(), nullptr);
}

const std::string& Options::get_string(std::string_view name) const {
  static const std::string kEmpty;
  auto it = values_.find(name);
  return it == values_.end() ? kEmpty : it->second;
}

void Options::set(std::string_view name, std::string value) { values_[std::string(name)] = std::move(value); }

bool Options::is_default(std::string_view name) const {
  const OptionInfo* info = find(name);
  if (!info) return true;
  const std::string& v = get_string(name);
  switch (info->type) {
    case OptType::kBool: return (v == "true") == (info->def != 0);
    case OptType::kInt:
    case OptType::kDouble: return std::strtod(v.c_str(), nullptr) == info->def;
    case OptType::kString: return v == info->def_str;
  }
  return true;
}

std::string Options::name_suffix() const {
  // Sorted by option name, as libvmaf's feature_name.c sorts its dictionary.
  std::vector<const OptionInfo*> changed;
  for (const auto& t : table_)
    if (t.changes_name && !is_default(t.name)) changed.push_back(&t);
  std::sort(changed.begin(), changed.end(),
            [](const OptionInfo* a, const OptionInfo* b) { return a->name < b->name; });
  std::string s;
  for (const OptionInfo* t : changed) {
    const std::string_view key = t->alias.empty() ? t->name : t->alias;
    s += "_" + std::string(key);
    if (t->type == OptType::kDouble) s += "_" + format_g(get_double(t->name));
    else if (t->type != OptType::kBool) s += "_" + get_string(t->name);
  }
  return s;
}

std::string Options::canonical() const {
  std::string s;
  for (const auto& [k, v] : values_) {
    const OptionInfo* info = find(k);
    if (info && is_default(k)) continue;
    if (!s.empty()) s += ':';
    s += k + "=" + v;
  }
  return s;
}

Result<FeatureSpec> parse_feature_spec(std::string_view text) {
  FeatureSpec spec;
  const size_t eq = text.find('=');
  spec.name = std::string(text.substr(0, eq));
  if (spec.name.empty())
    return Error(Errc::kInvalidArgument, "empty feature name in '" + std::string(text) + "'", "", -1,
                 "--feature");
  if (eq == std::string_view::npos) return spec;
  std::string_view rest = text.substr(eq + 1);
  while (!rest.empty()) {
    const size_t colon = rest.find(':');
    const std::string_view kv = rest.substr(0, colon);
    const size_t e = kv.find('=');
    if (e == std::string_view::npos || e == 0 || e + 1 == kv.size())
      return Error(Errc::kInvalidArgument,
                   "bad option string '" + std::string(kv) + "' (expected opt=value)", "", -1,
                   "--feature " + spec.name);
    spec.options.emplace_back(std::string(kv.substr(0, e)), std::string(kv.substr(e + 1)));
    if (colon == std::string_view::npos) break;
    rest = rest.substr(colon + 1);
  }
  return spec;
}

}  // namespace vqfuse::features
