// `vqfuse store`: export, import, merge and describe feature stores.
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "vqfuse/store.hpp"

namespace vqfuse::cli {
namespace {

struct StoreArgs {
  std::string store;
  std::string csv;
  std::string output;
  std::vector<std::string> inputs;
  std::vector<std::string> features;
  std::vector<std::string> renames;
  std::string id_column = "clip_id";
  std::string frame_column = "frame";
  std::string source_column = "source_id";
  bool per_clip = false;
};

int run_export(const StoreArgs& a) {
  auto s = store::Store::open(a.store, false);
  if (!s.ok()) return report(s.error());
  auto t = s.value()->read_table(a.features);
  if (!t.ok()) return report(t.error());
  if (auto r = store::export_csv(t.value(), a.csv); !r.ok()) return report(r.error());
  std::fprintf(stderr, "vqfuse: wrote %zu rows x %zu features to %s\n", t.value().values.size(),
               t.value().columns.size(), a.csv.c_str());
  return kExitOk;
}

int run_import(const StoreArgs& a) {
  store::ImportOptions o;
  o.id_column = a.id_column;
  o.frame_column = a.per_clip ? "" : a.frame_column;
  o.source_column = a.source_column;
  for (const auto& r : a.renames) {
    const size_t eq = r.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == r.size())
      return report(Error(Errc::kInvalidArgument, "expected CSV_COLUMN=NAME, got '" + r + "'", "", -1, "--rename"));
    o.rename[r.substr(0, eq)] = r.substr(eq + 1);
  }
  auto s = store::Store::open(a.store, true);
  if (!s.ok()) return report(s.error());
  auto r = store::import_csv(*s.value(), a.csv, o);
  if (!r.ok()) return report(r.error());
  const auto& sum = r.value();
  std::string cols;
  for (const auto& c : sum.per_frame() ? sum.feature_columns : sum.attr_columns) cols += " " + c;
  std::fprintf(stderr, "vqfuse: imported %lld rows of %lld clips into %s (%s:%s)\n",
               static_cast<long long>(sum.rows), static_cast<long long>(sum.clips), a.store.c_str(),
               sum.per_frame() ? "per-frame features" : "per-clip attributes", cols.c_str());
  return kExitOk;
}

int run_merge(const StoreArgs& a) {
  auto s = store::Store::open(a.output, true);
  if (!s.ok()) return report(s.error());
  for (const auto& in : a.inputs) {
    if (auto r = s.value()->merge_from(in); !r.ok()) return report(r.error());
  }
  auto n = s.value()->count_values();
  std::fprintf(stderr, "vqfuse: merged %zu stores into %s (%lld values)\n", a.inputs.size(), a.output.c_str(),
               static_cast<long long>(n.ok() ? n.value() : -1));
  return kExitOk;
}

int run_info(const StoreArgs& a) {
  auto s = store::Store::open(a.store, false);
  if (!s.ok()) return report(s.error());
  auto clips = s.value()->clips();
  auto t = s.value()->read_table();
  if (!clips.ok()) return report(clips.error());
  if (!t.ok()) return report(t.error());
  std::printf("%s: %zu clips, %zu frames, %zu features\n", a.store.c_str(), clips.value().size(),
              t.value().values.size(), t.value().columns.size());
  for (const auto& c : t.value().columns) std::printf("  %s\n", c.c_str());
  return kExitOk;
}

}  // namespace

void add_store_command(CLI::App& app, std::vector<Command>& out) {
  auto args = std::make_shared<StoreArgs>();
  CLI::App* sub = app.add_subcommand("store", "Export, import, merge or describe a feature store");
  sub->set_help_flag("--help", "Print this help and exit");
  sub->require_subcommand(1);

  CLI::App* ex = sub->add_subcommand("export", "Write one wide CSV row per frame");
  ex->set_help_flag("--help", "Print this help and exit");
  ex->add_option("--store", args->store, "SQLite store")->required();
  ex->add_option("--csv", args->csv, "Output CSV")->required();
  ex->add_option("--features", args->features, "Only these features (default: all)")->delimiter(',');
  out.push_back({ex, [args] { return run_export(*args); }});

  CLI::App* im = sub->add_subcommand("import", "Import an external feature or score table (CSV or CSV.gz)");
  im->set_help_flag("--help", "Print this help and exit");
  im->add_option("--store", args->store, "SQLite store (created if missing)")->required();
  im->add_option("--csv", args->csv, "Input CSV")->required();
  im->add_option("--id-column", args->id_column, "Column with the clip id (default clip_id)");
  im->add_option("--frame-column", args->frame_column, "Column with the frame index (default frame)");
  im->add_option("--source-column", args->source_column, "Column with the source id (default source_id)");
  im->add_flag("--per-clip", args->per_clip, "One row per clip: numeric columns become clip attributes (mos ...)");
  im->add_option("--rename", args->renames, "CSV_COLUMN=FEATURE_NAME (repeatable), e.g. psnr=psnr_y");
  out.push_back({im, [args] { return run_import(*args); }});

  CLI::App* mg = sub->add_subcommand("merge", "Merge stores (idempotent)");
  mg->set_help_flag("--help", "Print this help and exit");
  mg->add_option("inputs", args->inputs, "Stores to merge")->required();
  mg->add_option("-o,--output", args->output, "Merged store (created if missing)")->required();
  out.push_back({mg, [args] { return run_merge(*args); }});

  CLI::App* in = sub->add_subcommand("info", "Summarise a store");
  in->set_help_flag("--help", "Print this help and exit");
  in->add_option("--store", args->store, "SQLite store")->required();
  out.push_back({in, [args] { return run_info(*args); }});
}

}  // namespace vqfuse::cli
