// Store-backed extraction: computes only the extractor instances (and models) a clip lacks in
// the store, and writes them in one transaction.
#include "api/request.hpp"
#include "features/engine.hpp"
#include "vqfuse/store.hpp"

namespace vqfuse::store {

namespace {

// "name" or "name=opt=val:..." with only non-default options, so equivalent specs share a key.
Result<std::string> instance_key(const std::string& spec) {
  VQ_ASSIGN_OR_RETURN(features::InstanceSpec in, features::parse_instance(spec));
  const std::string opts = in.options.canonical();
  return std::string(in.info->name) + (opts.empty() ? "" : "=" + opts);
}

}  // namespace

Result<ClipExtractResult> extract_clip(const ExtractConfig& cfg, Store& store, const ClipRecord& clip,
                                       int64_t run_id, std::span<FrameSink* const> extra_sinks) {
  return guard([&]() -> ClipExtractResult {
    detail::Request req = unwrap(detail::resolve_request(cfg));
    // The store keeps every name an extractor writes: canonical is stored as its extractors.
    if (req.canonical_filter) {
      req.canonical_filter = false;
      for (const auto& e : feature_set_extractors("canonical")) req.features.push_back(e);
    }
    const std::set<std::string> done = unwrap(store.complete_instances(clip.clip_id));
    detail::Request todo;
    ClipExtractResult out;
    std::set<std::string> seen;
    for (const std::string& f : req.features) {
      const std::string key = unwrap(instance_key(f));
      if (!seen.insert(key).second) continue;
      if (done.count(key)) continue;
      todo.features.push_back(f);
      out.instances.push_back(key);
    }
    for (const std::string& m : req.models) {
      const std::string key = "model:" + m;
      if (!seen.insert(key).second || done.count(key)) continue;
      todo.models.push_back(m);
      out.instances.push_back(key);
    }
    if (out.instances.empty()) {
      out.skipped = true;
      return out;
    }
    unwrap(store.upsert_clip(clip));
    StoreSink sink(store, clip.clip_id, run_id, out.instances);
    std::vector<FrameSink*> sinks(extra_sinks.begin(), extra_sinks.end());
    sinks.push_back(&sink);
    out.summary = unwrap(run_request(cfg, todo, sinks));
    return out;
  });
}

}  // namespace vqfuse::store
