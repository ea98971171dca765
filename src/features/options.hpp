// Typed extractor options, parsed from libvmaf's syntax `name=opt=val:opt=val`.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vqfuse/error.hpp"

namespace vqfuse::features {

enum class OptType : uint8_t { kBool, kInt, kDouble, kString };

struct OptionInfo {
  std::string_view name;
  OptType type;
  double def = 0;              // default of bool (0/1), int and double options
  std::string_view def_str;    // default of string options
  double min = -1e300;
  double max = 1e300;
  std::string_view help;
  // Non-default values change the feature names, as libvmaf's VMAF_OPT_FLAG_FEATURE_PARAM:
  // "_<alias>_<value>" (or "_<alias>" for booleans) is appended, sorted by option name.
  bool changes_name = false;
  std::string_view alias;      // the short name used in that suffix ("egl"); empty = name
};

// Option values of one extractor instance, with defaults filled in.
class Options {
 public:
  Options() = default;
  // Parses "k=v:k=v" against the option table; unknown keys and bad values are errors.
  static Result<Options> parse(std::string_view extractor, std::span<const OptionInfo> table,
                               const std::vector<std::pair<std::string, std::string>>& kv);
  static Options defaults(std::span<const OptionInfo> table);

  bool get_bool(std::string_view name) const;
  int get_int(std::string_view name) const;
  double get_double(std::string_view name) const;
  const std::string& get_string(std::string_view name) const;
  bool has(std::string_view name) const;
  void set(std::string_view name, std::string value);  // already validated text
  bool is_default(std::string_view name) const;

  // The name suffix libvmaf adds for non-default feature parameters, e.g. "_egl_1".
  std::string name_suffix() const;
  // "debug=true:enable_lcs=false" with every non-default value (for the store's run record).
  std::string canonical() const;

 private:
  const OptionInfo* find(std::string_view name) const;
  std::span<const OptionInfo> table_;
  std::map<std::string, std::string, std::less<>> values_;  // text form, validated
  std::string extractor_;
};

// Splits "name=k=v:k=v" into the name and its key/value pairs (libvmaf's --feature syntax).
struct FeatureSpec {
  std::string name;
  std::vector<std::pair<std::string, std::string>> options;
};
Result<FeatureSpec> parse_feature_spec(std::string_view text);

// "%g"-like text of a double as libvmaf's feature_name.c writes option values.
std::string format_g(double v);

}  // namespace vqfuse::features
