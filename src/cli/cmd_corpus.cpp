// `vqfuse corpus build` and `vqfuse corpus extract`.
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "vqfuse/corpus.hpp"

namespace vqfuse::cli {
namespace {

struct CorpusArgs {
  std::string manifest;
  std::string preset;
  std::string out_dir;
  std::string corpus_dir;
  std::string store;
  std::string shard = "0/1";
  int jobs = 1;
  bool quiet = false;
  bool list = false;
  ExtractConfig cfg;
};

int run_build(CorpusArgs& a) {
  if (a.manifest.empty() == a.preset.empty())
    return report(Error(Errc::kInvalidArgument, "give a MANIFEST.json or --preset demo|research"));
  auto m = a.preset.empty() ? corpus::load_manifest(a.manifest) : corpus::preset(a.preset);
  if (!m.ok()) return report(m.error());
  if (a.list) {
    for (const auto& c : corpus::plan_clips(m.value()))
      std::printf("%s\t%s\t%s\t%s\n", c.clip_id.c_str(), c.source_id.c_str(), c.params_json.c_str(),
                  c.failure_mode.c_str());
    return kExitOk;
  }
  auto shard = corpus::parse_shard(a.shard);
  if (!shard.ok()) return report(shard.error());
  Progress progress("corpus build", a.quiet);
  corpus::BuildOptions o;
  o.out_dir = a.out_dir;
  o.jobs = a.jobs;
  o.shard_index = shard.value().first;
  o.shard_count = shard.value().second;
  o.progress = [&](int64_t d, int64_t t) { progress.update(d, t, "steps"); };
  auto r = corpus::build(m.value(), o);
  progress.finish();
  if (!r.ok()) return report(r.error());
  if (!a.quiet) std::fprintf(stderr, "vqfuse: %zu clips in %s\n", r.value().size(), a.out_dir.c_str());
  return kExitOk;
}

int run_corpus_extract(CorpusArgs& a) {
  auto shard = corpus::parse_shard(a.shard);
  if (!shard.ok()) return report(shard.error());
  Progress progress("corpus extract", a.quiet);
  corpus::ExtractOptions o;
  o.store_path = a.store;
  o.config = a.cfg;
  o.config.warn = [](const std::string& m) { warn(m); };
  o.jobs = a.jobs;
  o.shard_index = shard.value().first;
  o.shard_count = shard.value().second;
  o.progress = [&](int64_t, int64_t, int64_t fd, int64_t ft) { progress.update(fd, ft); };
  auto r = corpus::extract(a.corpus_dir, o);
  progress.finish();
  if (!r.ok()) return report(r.error());
  const auto& rep = r.value();
  if (!a.quiet)
    std::fprintf(stderr, "vqfuse: %lld clips (%lld computed, %lld already complete), %lld frames, %.1f s, %.1f fps\n",
                 static_cast<long long>(rep.clips), static_cast<long long>(rep.computed),
                 static_cast<long long>(rep.skipped), static_cast<long long>(rep.frames), rep.seconds,
                 rep.seconds > 0 ? static_cast<double>(rep.frames) / rep.seconds : 0.0);
  return kExitOk;
}

}  // namespace

void add_corpus_command(CLI::App& app, std::vector<Command>& out) {
  auto a = std::make_shared<CorpusArgs>();
  CLI::App* sub = app.add_subcommand("corpus", "Build distorted corpora and extract them into a store");
  sub->set_help_flag("--help", "Print this help and exit");
  sub->require_subcommand(1);

  CLI::App* b = sub->add_subcommand("build", "Encode a corpus from a manifest or a preset (deterministic)");
  b->set_help_flag("--help", "Print this help and exit");
  b->add_option("manifest", a->manifest, "Manifest JSON");
  b->add_option("--preset", a->preset, "Built-in corpus: demo or research");
  b->add_option("-o,--output", a->out_dir, "Corpus directory")->required();
  b->add_option("--jobs", a->jobs, "Parallel encodes (each encoder is single-threaded)")->check(CLI::PositiveNumber);
  b->add_option("--shard", a->shard, "Build only shard I of N (I/N)");
  b->add_flag("--list", a->list, "Print the clips the manifest expands to and exit");
  b->add_flag("-q,--quiet", a->quiet, "No progress");
  out.push_back({b, [a] { return run_build(*a); }});

  CLI::App* e = sub->add_subcommand("extract", "Extract features of every clip into a SQLite store (resumable)");
  e->set_help_flag("--help", "Print this help and exit");
  e->add_option("corpus", a->corpus_dir, "Corpus directory")->required();
  e->add_option("--store", a->store, "SQLite store (created if missing)")->required();
  e->add_option("--feature-set,--feature_set", a->cfg.feature_set, "canonical | full | custom");
  e->add_option("--feature", a->cfg.features, "Extractor with options (repeatable)");
  e->add_option("-m,--model", a->cfg.models, "Model spec (repeatable)");
  e->add_flag("-n,--no_prediction,--no-prediction", a->cfg.no_prediction, "No default vmaf model");
  e->add_flag("--skip-unsupported", a->cfg.skip_unsupported, "Drop features a clip is too small for");
  e->add_option("--jobs", a->jobs, "Clips in parallel")->check(CLI::PositiveNumber);
  e->add_option("--threads", a->cfg.threads, "Threads per clip (0: cores / jobs)");
  e->add_option("--shard", a->shard, "Extract only shard I of N (I/N)");
  e->add_flag("-q,--quiet", a->quiet, "No progress");
  out.push_back({e, [a] { return run_corpus_extract(*a); }});
}

}  // namespace vqfuse::cli
