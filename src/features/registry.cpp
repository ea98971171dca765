// The extractor registry: an explicit array (libvmaf's feature_extractor.c style; no static-init
// self-registration, whose order varies and which static linking drops).
#include <algorithm>

#include "features/extractor.hpp"

namespace vqfuse::features {

extern const ExtractorInfo kPsnrInfo;
extern const ExtractorInfo kFloatPsnrInfo;
extern const ExtractorInfo kIntegerAdmInfo;
extern const ExtractorInfo kIntegerMotionInfo;
extern const ExtractorInfo kIntegerVifInfo;
extern const ExtractorInfo kFloatAdmInfo;
extern const ExtractorInfo kFloatVifInfo;
extern const ExtractorInfo kFloatMotionInfo;
extern const ExtractorInfo kFloatSsimInfo;
extern const ExtractorInfo kFloatMsSsimInfo;
extern const ExtractorInfo kSsimInfo;
extern const ExtractorInfo kFloatAnsnrInfo;
extern const ExtractorInfo kFloatMomentInfo;
extern const ExtractorInfo kCiedeInfo;
extern const ExtractorInfo kPsnrHvsInfo;
extern const ExtractorInfo kCambiInfo;
extern const ExtractorInfo kSsimulacra2Info;
extern const ExtractorInfo kMotionV2Info;
extern const ExtractorInfo kSpeedChromaInfo;
extern const ExtractorInfo kSpeedTemporalInfo;

namespace {
const ExtractorInfo* const kRegistry[] = {
    &kPsnrInfo,
    &kFloatPsnrInfo,
    &kIntegerAdmInfo,
    &kIntegerMotionInfo,
    &kIntegerVifInfo,
    &kFloatAdmInfo,
    &kFloatVifInfo,
    &kFloatMotionInfo,
    &kFloatSsimInfo,
    &kFloatMsSsimInfo,
    &kSsimInfo,
    &kFloatAnsnrInfo,
    &kFloatMomentInfo,
    &kCiedeInfo,
    &kPsnrHvsInfo,
    &kCambiInfo,
    &kSsimulacra2Info,
    &kMotionV2Info,
    &kSpeedChromaInfo,
    &kSpeedTemporalInfo,
};

std::vector<ExtractorInfo> sorted_registry() {
  std::vector<ExtractorInfo> v;
  for (const ExtractorInfo* e : kRegistry) v.push_back(*e);
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return v;
}
}  // namespace

std::span<const ExtractorInfo> extractors() {
  static const std::vector<ExtractorInfo> v = sorted_registry();
  return v;
}

const ExtractorInfo* find_extractor(std::string_view name) {
  for (const auto& e : extractors())
    if (e.name == name) return &e;
  return nullptr;
}

const ExtractorInfo* find_extractor(Ext id) {
  for (const auto& e : extractors())
    if (e.id == id) return &e;
  return nullptr;
}

const ExtractorInfo& extractor_info(Ext id) {
  const ExtractorInfo* e = find_extractor(id);
  if (!e) std::abort();  // every Ext but kModel is registered (registry_test)
  return *e;
}

std::vector<FeatureId> features_written(Ext id, const Options& opts) {
  std::vector<FeatureId> out;
  for (size_t i = 0; i < kFeatureCount; ++i) {
    const FeatureInfo& f = kFeatures[i];
    if (f.extractor != id) continue;
    const std::string_view opt = tier_option(f.tier);
    if (!opt.empty() && !opts.get_bool(opt)) continue;
    out.push_back(FeatureId{static_cast<uint16_t>(i)});
  }
  return out;
}

}  // namespace vqfuse::features
