// PLACEHOLDER: replace this file with the real extractor (see docs/ADDING_AN_EXTRACTOR.md).
#include "features/pending.hpp"

namespace vqfuse::features {

extern const ExtractorInfo kPsnrHvsInfo{
    Ext::kPsnrHvs, "psnr_hvs", "(not implemented yet)", {},
    [](const Options&) -> std::unique_ptr<Extractor> { return std::make_unique<PendingExtractor>("psnr_hvs"); }};

}  // namespace vqfuse::features
