// Development scaffolding: an extractor that is registered but not implemented yet fails at
// init with a clear message. Removed once every extractor is implemented.
#pragma once

#include "features/extractor.hpp"

namespace vqfuse::features {

class PendingExtractor final : public Extractor {
 public:
  explicit PendingExtractor(std::string_view name) : name_(name) {}
  Result<void> init(const VideoInfo&) override {
    return Error(Errc::kInvalidArgument, "extractor '" + std::string(name_) + "' is not implemented yet");
  }
  void extract(FrameCtx&, FeatureRow&) override {}

 private:
  std::string_view name_;
};

}  // namespace vqfuse::features
