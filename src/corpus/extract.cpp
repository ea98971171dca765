// Corpus extraction into the store: clips run in parallel jobs, each job with its own SQLite
// connection; every clip is one transaction, and clips already complete are skipped, so an
// interrupted run resumes where it stopped.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include "io/writers.hpp"
#include "vqfuse/corpus.hpp"
#include "vqfuse/store.hpp"

namespace vqfuse::corpus {

Result<ExtractReport> extract(const std::string& corpus_dir, const ExtractOptions& opt) {
  return guard([&]() -> ExtractReport {
    const auto t0 = std::chrono::steady_clock::now();
    if (opt.shard_count < 1 || opt.shard_index < 0 || opt.shard_index >= opt.shard_count)
      throw Error(Errc::kInvalidArgument, "bad shard", "", -1, "--shard");
    std::vector<Clip> all = unwrap(read_corpus(corpus_dir));
    std::vector<Clip> clips;
    for (size_t i = 0; i < all.size(); ++i)
      if (static_cast<int>(i % static_cast<size_t>(opt.shard_count)) == opt.shard_index) clips.push_back(all[i]);
    int64_t frames_total = 0;
    for (const Clip& c : clips) frames_total += c.frames;

    auto main_store = unwrap(store::Store::open(opt.store_path, true));
    std::string command = "corpus extract " + corpus_dir;
    if (!opt.config.feature_set.empty()) command += " --feature-set " + opt.config.feature_set;
    for (const auto& f : opt.config.features) command += " --feature " + f;
    const int64_t run_id =
        unwrap(main_store->begin_run({io::version_string(), command, opt.config.feature_set, ""}));

    const int jobs = std::max(1, opt.jobs);
    const int hw = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    ExtractReport rep;
    rep.clips = static_cast<int64_t>(clips.size());
    std::atomic<size_t> next{0};
    std::atomic<int64_t> clips_done{0}, frames_done{0}, skipped{0}, computed{0};
    std::atomic<bool> failed{false};
    std::mutex mu;
    Error first;
    auto worker = [&] {
      Result<void> r = guard([&] {
        auto st = unwrap(store::Store::open(opt.store_path, false));
        for (size_t i; !failed && (i = next.fetch_add(1)) < clips.size();) {
          const Clip& c = clips[i];
          ExtractConfig cfg = opt.config;
          cfg.reference = (std::filesystem::path(corpus_dir) / c.ref).string();
          cfg.distorted = (std::filesystem::path(corpus_dir) / c.dis).string();
          if (cfg.threads == 0) cfg.threads = std::max(1, hw / jobs);
          cfg.progress = nullptr;
          store::ClipRecord rec;
          rec.clip_id = c.clip_id;
          rec.source_id = c.source_id;
          rec.ref_path = c.ref;
          rec.dis_path = c.dis;
          rec.ref_sha256 = c.ref_sha256;
          rec.dis_sha256 = c.dis_sha256;
          rec.codec = c.codec;
          rec.params_json = c.params_json;
          rec.scaler = c.scaler;
          rec.failure_mode = c.failure_mode;
          rec.width = c.width;
          rec.height = c.height;
          rec.bit_depth = c.bit_depth;
          rec.chroma = c.chroma;
          rec.frames = c.frames;
          auto res = store::extract_clip(cfg, *st, rec, run_id);
          if (!res.ok()) {
            Error e = std::move(res).error();
            if (e.file.empty()) e.file = c.clip_id;
            throw e;
          }
          (res.value().skipped ? skipped : computed)++;
          const int64_t cd = ++clips_done;
          const int64_t fd = frames_done += c.frames;
          if (opt.progress) {
            std::lock_guard lock(mu);
            opt.progress(cd, static_cast<int64_t>(clips.size()), fd, frames_total);
          }
        }
      });
      if (!r.ok()) {
        std::lock_guard lock(mu);
        if (!failed.exchange(true)) first = r.error();
      }
    };
    std::vector<std::thread> pool;
    for (int j = 1; j < jobs; ++j) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    if (failed) throw first;
    rep.skipped = skipped;
    rep.computed = computed;
    rep.frames = frames_done;
    rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return rep;
  });
}

}  // namespace vqfuse::corpus
