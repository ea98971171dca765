// PLACEHOLDER: replace this file with the real extractor (see docs/ADDING_AN_EXTRACTOR.md).
#include "features/pending.hpp"

namespace vqfuse::features {

extern const ExtractorInfo kSsimulacra2Info{
    Ext::kSsimulacra2, "ssimulacra2", "(not implemented yet)", {},
    [](const Options&) -> std::unique_ptr<Extractor> { return std::make_unique<PendingExtractor>("ssimulacra2"); }};

}  // namespace vqfuse::features
