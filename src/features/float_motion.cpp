// PLACEHOLDER: replace this file with the real extractor (see docs/ADDING_AN_EXTRACTOR.md).
#include "features/pending.hpp"

namespace vqfuse::features {

extern const ExtractorInfo kFloatMotionInfo{
    Ext::kFloatMotion, "float_motion", "(not implemented yet)", {},
    [](const Options&) -> std::unique_ptr<Extractor> { return std::make_unique<PendingExtractor>("float_motion"); }};

}  // namespace vqfuse::features
