// PLACEHOLDER: replace this file with the real extractor (see docs/ADDING_AN_EXTRACTOR.md).
#include "features/pending.hpp"

namespace vqfuse::features {

extern const ExtractorInfo kFloatAdmInfo{
    Ext::kFloatAdm, "float_adm", "(not implemented yet)", {},
    [](const Options&) -> std::unique_ptr<Extractor> { return std::make_unique<PendingExtractor>("float_adm"); }};

}  // namespace vqfuse::features
