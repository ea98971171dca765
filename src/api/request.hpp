// Resolution of an ExtractConfig into extractor and model specs (shared by extract() and the
// store-backed extraction, which stores complete extractors and needs the expanded list).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "vqfuse/extract.hpp"

namespace vqfuse::detail {

struct Request {
  std::vector<std::string> features;  // --feature specs, feature sets expanded
  std::vector<std::string> models;    // --model specs, the default model added
  bool canonical_filter = false;      // write only the canonical columns
};

Result<Request> resolve_request(const ExtractConfig& cfg);

}  // namespace vqfuse::detail

namespace vqfuse {
Result<RunSummary> run_request(const ExtractConfig& cfg, const detail::Request& req,
                               std::span<FrameSink* const> sinks);
}  // namespace vqfuse
