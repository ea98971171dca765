// PLACEHOLDER: replace this file with the real extractor (see docs/ADDING_AN_EXTRACTOR.md).
#include "features/pending.hpp"

namespace vqfuse::features {

extern const ExtractorInfo kFloatSsimInfo{
    Ext::kFloatSsim, "float_ssim", "(not implemented yet)", {},
    [](const Options&) -> std::unique_ptr<Extractor> { return std::make_unique<PendingExtractor>("float_ssim"); }};

}  // namespace vqfuse::features
