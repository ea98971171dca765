#include "vqfuse/features.hpp"

namespace vqfuse {

std::optional<FeatureId> find_feature(std::string_view json_name) {
  for (size_t i = 0; i < kFeatureCount; ++i)
    if (kFeatures[i].json_name == json_name) return FeatureId{static_cast<uint16_t>(i)};
  return std::nullopt;
}

std::optional<FeatureId> find_feature_by_model_name(std::string_view model_name) {
  if (model_name.empty()) return std::nullopt;
  for (size_t i = 0; i < kFeatureCount; ++i)
    if (kFeatures[i].model_name == model_name) return FeatureId{static_cast<uint16_t>(i)};
  return std::nullopt;
}

}  // namespace vqfuse
