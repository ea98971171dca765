// `vqfuse extract`: libvmaf-compatible feature extraction.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/dispatch.hpp"
#include "core/format.hpp"
#include "io/file.hpp"
#include "features/extractor.hpp"
#include "io/writers.hpp"
#include "vqfuse/extract.hpp"
#include "vqfuse/store.hpp"

namespace vqfuse::cli {
namespace {

struct ExtractArgs {
  ExtractConfig cfg;
  std::string output;
  bool json = false, csv = false, xml = false;
  bool quiet = false;
  bool list = false;
  std::string cpu;  // empty: keep VQFUSE_SIMD or the best target
  std::string store;
  std::string timing_json;
  std::string command;
  std::string clip_id;
  std::string source_id;
};

std::string list_features() {
  std::string s = "Extractors (--feature NAME[=opt=val:opt=val]) and the names they write:\n";
  for (const auto& e : features::extractors()) {
    s += "\n" + std::string(e.name) + ": " + std::string(e.summary) + "\n";
    for (const auto& o : e.options) {
      const char* type = o.type == features::OptType::kBool ? "bool" : o.type == features::OptType::kInt ? "int"
                         : o.type == features::OptType::kDouble ? "double" : "string";
      std::string def = o.type == features::OptType::kString ? std::string(o.def_str)
                        : o.type == features::OptType::kBool ? (o.def != 0 ? "true" : "false")
                                                             : features::format_g(o.def);
      s += "    option " + std::string(o.name) + " (" + type + ", default " + def + "): " + std::string(o.help) + "\n";
    }
    for (const auto& f : kFeatures) {
      if (f.extractor != e.id) continue;
      const auto opt = tier_option(f.tier);
      s += "    " + std::string(f.json_name);
      if (!opt.empty()) s += "   [" + std::string(opt) + "=true]";
      s += "\n";
    }
  }
  s += "\nFeature sets (--feature-set): canonical = integer_adm2, integer_motion2, "
       "integer_vif_scale0..3 and vmaf; full = every extractor above plus vmaf; custom = the "
       "--feature list.\n";
  return s;
}

int run_extract(ExtractArgs& a) {
  if (a.list) {
    std::fputs(list_features().c_str(), stdout);
    return kExitOk;
  }
  if (a.cfg.reference.empty() || a.cfg.distorted.empty())
    return report(Error(Errc::kInvalidArgument, "-r/--reference and -d/--distorted are required"));
  if (!a.cpu.empty())
    if (auto r = set_simd_target(a.cpu); !r.ok()) return report(r.error());
  if (int(a.json) + int(a.csv) + int(a.xml) > 1)
    return report(Error(Errc::kInvalidArgument, "choose one of --json, --csv, --xml"));

  io::OutputFormat fmt = io::OutputFormat::kXml;  // libvmaf's default
  const auto ends = [&](const char* ext) {
    const std::string e = ext;
    return a.output.size() >= e.size() && a.output.compare(a.output.size() - e.size(), e.size(), e) == 0;
  };
  if (ends(".json")) fmt = io::OutputFormat::kJson;
  if (ends(".csv")) fmt = io::OutputFormat::kCsv;
  if (a.json) fmt = io::OutputFormat::kJson;
  if (a.csv) fmt = io::OutputFormat::kCsv;
  if (a.xml) fmt = io::OutputFormat::kXml;

  std::vector<std::unique_ptr<FrameSink>> owned;
  if (!a.output.empty()) owned.push_back(io::make_file_writer(fmt, a.output));
  FeatureMatrix summary_only;  // pooled values for the stdout summary
  std::vector<FrameSink*> sinks;
  for (auto& s : owned) sinks.push_back(s.get());

  Progress progress("extract", a.quiet);
  a.cfg.warn = [](const std::string& m) { warn(m); };
  a.cfg.progress = [&](int64_t done, int64_t total) { progress.update(done, total); };

  class SummarySink final : public FrameSink {
   public:
    Result<void> frame(int64_t, std::span<const double>) override { return {}; }
    Result<void> end(const RunInfo& info, const RunSummary& s) override {
      text = io::summary_text(info, s);
      return {};
    }
    std::string text;
  } summary;
  sinks.push_back(&summary);

  Result<RunSummary> r = RunSummary{};
  if (!a.store.empty()) {
    auto st = store::Store::open(a.store, true);
    if (!st.ok()) return report(st.error());
    store::ClipRecord clip;
    clip.clip_id = a.clip_id.empty() ? std::filesystem::path(a.cfg.distorted).stem().string() : a.clip_id;
    clip.source_id = a.source_id.empty() ? std::filesystem::path(a.cfg.reference).stem().string() : a.source_id;
    clip.ref_path = a.cfg.reference;
    clip.dis_path = a.cfg.distorted;
    auto run = st.value()->begin_run({io::version_string(), a.command, a.cfg.feature_set, ""});
    if (!run.ok()) return report(run.error());
    auto res = store::extract_clip(a.cfg, *st.value(), clip, run.value(), sinks);
    progress.finish();
    if (!res.ok()) return report(res.error());
    if (res.value().skipped) {
      if (!a.quiet)
        std::fprintf(stderr, "vqfuse: %s: clip '%s' already complete in the store\n", a.store.c_str(),
                     clip.clip_id.c_str());
      return kExitOk;
    }
  } else {
    r = extract(a.cfg, sinks);
    progress.finish();
    if (!r.ok()) return report(r.error());
    if (!a.timing_json.empty()) {
      std::string j = "{\"frames\": " + std::to_string(r.value().frames) + ", \"seconds\": " +
                      format_double(r.value().seconds) + ", \"fps\": " + format_double(r.value().fps) +
                      ", \"extractors\": {";
      bool first = true;
      for (const auto& t : r.value().timing) {
        j += std::string(first ? "" : ", ") + "\"" + t.name + "\": " + format_double(t.ms_per_frame);
        first = false;
      }
      j += "}}\n";
      if (auto w = io::write_file_atomic(a.timing_json, j); !w.ok()) return report(w.error());
    }
  }
  if (a.output.empty() || (a.output != "-" && !a.quiet)) {
    if (a.output.empty()) std::fputs(summary.text.c_str(), stdout);
    else std::fputs(summary.text.c_str(), stderr);
  }
  return kExitOk;
}

}  // namespace

void add_extract_command(CLI::App& app, std::vector<Command>& out) {
  auto args = std::make_shared<ExtractArgs>();
  CLI::App* sub = app.add_subcommand("extract", "Compute per-frame features of a reference/distorted pair");
  sub->set_help_flag("--help", "Print this help and exit");
  ExtractConfig& c = args->cfg;
  sub->add_option("-r,--reference", c.reference, "Reference video (.y4m, .yuv, or any container FFmpeg reads)");
  sub->add_option("-d,--distorted", c.distorted, "Distorted video");
  sub->add_option("-w,--width", c.width, "Width of raw .yuv input");
  sub->add_option("-h,--height", c.height, "Height of raw .yuv input");
  sub->add_option("-p,--pixel_format,--pixel-format", c.pixel_format, "Raw .yuv subsampling: 420, 422, 444, 400");
  sub->add_option("-b,--bitdepth", c.bit_depth, "Raw .yuv bit depth: 8, 10, 12, 16");
  sub->add_option("--feature", c.features, "Extractor with options, libvmaf syntax: NAME[=opt=val:opt=val] (repeatable)");
  sub->add_option("--feature-set,--feature_set", c.feature_set, "canonical | full | custom");
  sub->add_option("-m,--model", c.models,
                  "Model: version=vmaf_v0.6.1 or path=FILE.json, with :name=N, :disable_clip, "
                  ":enable_transform, :EXTRACTOR.OPTION=V overloads (repeatable)");
  sub->add_flag("-n,--no_prediction,--no-prediction", c.no_prediction, "Features only, no default vmaf model");
  sub->add_option("-o,--output", args->output, "Output file ('-' for stdout); format from --json/--csv/--xml or the extension");
  sub->add_flag("--json", args->json, "Write JSON (libvmaf schema)");
  sub->add_flag("--csv", args->csv, "Write CSV");
  sub->add_flag("--xml", args->xml, "Write XML (libvmaf's default)");
  sub->add_option("--threads", c.threads, "Worker threads (0 = all cores)")->check(CLI::NonNegativeNumber);
  sub->add_option("--subsample", c.subsample, "Compute every Nth frame")->check(CLI::PositiveNumber);
  sub->add_option("--frame-cnt,--frame_cnt", c.frame_cnt, "Process at most N frames");
  sub->add_option("--frame-skip-ref,--frame_skip_ref", c.frame_skip_ref, "Skip the first N reference frames");
  sub->add_option("--frame-skip-dist,--frame_skip_dist", c.frame_skip_dist, "Skip the first N distorted frames");
  sub->add_flag("--skip-unsupported", c.skip_unsupported,
                "Drop (with a warning, recorded in the output) features the input is too small for");
  sub->add_option("--cpu", args->cpu, "SIMD target: auto, scalar, sse4, avx2, avx512 (also VQFUSE_SIMD)");
  sub->add_flag("-q,--quiet", args->quiet, "No progress or summary on stderr");
  sub->add_flag("--list-features", args->list, "List extractors, their options and feature names");
  sub->add_option("--store", args->store, "Also write the features into this SQLite store (resumable)");
  sub->add_option("--clip-id", args->clip_id, "Clip id in the store (default: distorted file name)");
  sub->add_option("--source-id", args->source_id, "Source id in the store (default: reference file name)");
  sub->add_option("--timing-json", args->timing_json, "Write fps and per-extractor ms/frame (used by vqfuse bench)")
      ->group("");
  sub->callback([args, sub] {
    args->command = "extract";
    for (const auto& o : sub->get_options())
      for (const auto& r : o->results()) args->command += " " + o->get_name() + " " + r;
  });
  out.push_back({sub, [args] { return run_extract(*args); }});
}

}  // namespace vqfuse::cli
