// PLACEHOLDER: replace this file with the real extractor (see docs/ADDING_AN_EXTRACTOR.md).
#include "features/pending.hpp"

namespace vqfuse::features {

extern const ExtractorInfo kFloatMsSsimInfo{
    Ext::kFloatMsSsim, "float_ms_ssim", "(not implemented yet)", {},
    [](const Options&) -> std::unique_ptr<Extractor> { return std::make_unique<PendingExtractor>("float_ms_ssim"); }};

}  // namespace vqfuse::features
