// `vqfuse analyze`: correlation, mutual information, LASSO, random forest, SHAP, consensus.
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "vqfuse/analysis.hpp"

namespace vqfuse::cli {
namespace {

struct AnalyzeArgs {
  std::string store, csv, out;
  std::string missing = "drop";
  std::string id_column = "clip_id", frame_column = "frame", source_column = "source_id";
  analysis::AnalysisOptions opt;
  bool quiet = false;
};

// Loads the table of --store or --csv.
Result<store::FrameTable> load_table(const std::string& store_path, const std::string& csv,
                                     const store::ImportOptions& csv_opt) {
  if (store_path.empty() == csv.empty())
    return Error(Errc::kInvalidArgument, "give exactly one of --store FILE or --csv FILE");
  if (!csv.empty()) return store::read_csv_table(csv, csv_opt);
  VQ_ASSIGN_OR_RETURN(auto s, store::Store::open(store_path, false));
  return s->read_table();
}

int run_analyze(AnalyzeArgs& a) {
  if (a.missing != "drop" && a.missing != "error")
    return report(Error(Errc::kInvalidArgument, "expected drop or error", "", -1, "--missing"));
  a.opt.data.drop_missing = a.missing == "drop";
  store::ImportOptions io;
  io.id_column = a.id_column;
  io.frame_column = a.frame_column;
  io.source_column = a.source_column;
  auto t = load_table(a.store, a.csv, io);
  if (!t.ok()) return report(t.error());
  if (!a.quiet) a.opt.progress = [](const std::string& s) { std::fprintf(stderr, "vqfuse: analyze: %s\n", s.c_str()); };
  auto r = analysis::analyze(t.value(), a.opt, a.out);
  if (!r.ok()) return report(r.error());
  if (!a.quiet)
    std::fprintf(stderr, "vqfuse: report in %s/report.md (%.1f s)\n", a.out.c_str(), r.value().seconds);
  return kExitOk;
}

}  // namespace

void add_analyze_command(CLI::App& app, std::vector<Command>& out) {
  auto a = std::make_shared<AnalyzeArgs>();
  CLI::App* sub = app.add_subcommand("analyze", "Which features carry signal: correlation, MI, LASSO, forest, SHAP");
  sub->set_help_flag("--help", "Print this help and exit");
  sub->add_option("--store", a->store, "vqfuse SQLite store");
  sub->add_option("--csv", a->csv, "Feature table (CSV or CSV.gz)");
  sub->add_option("--id-column", a->id_column, "CSV: clip id column (default clip_id)");
  sub->add_option("--frame-column", a->frame_column, "CSV: frame column (default frame)");
  sub->add_option("--source-column", a->source_column, "CSV: source id column (default source_id)");
  sub->add_option("--target", a->opt.data.target, "Target: vmaf, mos (a clip attribute) or any column");
  sub->add_option("--group", a->opt.data.group, "Cross-validation groups: source_id, clip_id, failure_mode");
  sub->add_option("--features", a->opt.data.features, "full, canonical, or a comma list (default: registry analysis columns)");
  sub->add_option("--level", a->opt.data.level, "frame or clip (default: clip for per-clip targets)");
  sub->add_option("--missing", a->missing, "Rows with missing values: drop (counted in the report) or error");
  sub->add_option("--seed", a->opt.seed, "Seed (same seed, same report)");
  sub->add_option("--folds", a->opt.folds, "Group K-fold folds (default 5)")->check(CLI::Range(2, 100));
  sub->add_option("--mi-k", a->opt.mi_k, "KSG neighbours (default 3)")->check(CLI::Range(1, 50));
  sub->add_option("--mi-max-rows", a->opt.mi_max_rows, "Rows for MI (deterministic subsample above)");
  sub->add_option("--tree-max-rows", a->opt.tree_max_rows, "Rows for forest/boosting training");
  sub->add_option("--threads", a->opt.threads, "Threads (0 = all cores)");
  sub->add_option("-o,--output", a->out, "Report directory")->required();
  sub->add_flag("-q,--quiet", a->quiet, "No progress");
  out.push_back({sub, [a] { return run_analyze(*a); }});
}

}  // namespace vqfuse::cli
