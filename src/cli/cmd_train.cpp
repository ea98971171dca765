// `vqfuse train`, `vqfuse sweep` and `vqfuse score`.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/format.hpp"
#include "io/file.hpp"
#include "io/writers.hpp"
#include "model/tiny_model.hpp"
#include "train/sweep.hpp"
#include "vqfuse/extract.hpp"

namespace vqfuse::cli {
namespace {

struct DataArgs {
  std::string store, csv;
  std::string id_column = "clip_id", frame_column = "frame", source_column = "source_id";
};

void add_data_options(CLI::App* sub, DataArgs& d) {
  sub->add_option("--store", d.store, "vqfuse SQLite store");
  sub->add_option("--csv", d.csv, "Feature table (CSV or CSV.gz)");
  sub->add_option("--id-column", d.id_column, "CSV: clip id column (default clip_id)");
  sub->add_option("--frame-column", d.frame_column, "CSV: frame column (default frame)");
  sub->add_option("--source-column", d.source_column, "CSV: source id column (default source_id)");
}

Result<store::FrameTable> load(const DataArgs& d) {
  if (d.store.empty() == d.csv.empty()) return Error(Errc::kInvalidArgument, "give exactly one of --store FILE or --csv FILE");
  if (!d.csv.empty()) {
    store::ImportOptions o;
    o.id_column = d.id_column;
    o.frame_column = d.frame_column;
    o.source_column = d.source_column;
    return store::read_csv_table(d.csv, o);
  }
  VQ_ASSIGN_OR_RETURN(auto s, store::Store::open(d.store, false));
  return s->read_table();
}

Result<std::vector<uint64_t>> parse_seeds(const std::string& s) {
  std::vector<uint64_t> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    try {
      size_t used = 0;
      out.push_back(std::stoull(item, &used));
      if (used != item.size()) throw 0;
    } catch (...) {
      return Error(Errc::kInvalidArgument, "bad seed '" + item + "'", "", -1, "--seeds");
    }
  }
  if (out.empty()) return Error(Errc::kInvalidArgument, "no seeds", "", -1, "--seeds");
  return out;
}

// "loso:source_id" -> (group source_id, "loso"); "kfold:5" -> (default group, "kfold:5").
Result<void> parse_val(const std::string& v, analysis::DatasetOptions& d, train::CvConfig& cv) {
  if (v.rfind("loso:", 0) == 0) {
    d.group = v.substr(5);
    cv.validation = "loso";
  } else if (v == "loso") {
    cv.validation = "loso";
  } else if (v.rfind("kfold:", 0) == 0) {
    cv.validation = v;
  } else {
    return Error(Errc::kInvalidArgument, "expected loso:GROUP or kfold:K, got '" + v + "'", "", -1, "--val");
  }
  return {};
}

struct TrainArgs {
  DataArgs data;
  std::string features = "canonical", consensus, arch = "mlp_small", target = "vmaf", level, val = "loso:source_id";
  std::string seeds = "0", output, id, report;
  train::TrainOptions opt;
  int threads = 0;
  bool quiet = false;
};

void add_train_options(CLI::App* sub, TrainArgs& a) {
  add_data_options(sub, a.data);
  sub->add_option("--target", a.target, "vmaf, mos or any column (default vmaf)");
  sub->add_option("--level", a.level, "frame or clip (default: clip for per-clip targets)");
  sub->add_option("--epochs", a.opt.epochs, "Maximum epochs (early stopping on a group split)")->check(CLI::Range(1, 100000));
  sub->add_option("--batch", a.opt.batch, "Mini-batch size")->check(CLI::Range(1, 1 << 20));
  sub->add_option("--lr", a.opt.lr, "Adam learning rate")->check(CLI::PositiveNumber);
  sub->add_option("--patience", a.opt.patience, "Early-stopping patience in epochs");
  sub->add_option("--seeds", a.seeds, "Seeds, comma-separated (mean +- std over them)");
  sub->add_option("--val", a.val, "loso:GROUP (source_id, clip_id, failure_mode) or kfold:K");
  sub->add_option("--threads", a.threads, "Threads (folds and seeds in parallel)");
  sub->add_flag("-q,--quiet", a.quiet, "No progress");
}

void print_cv(const train::CvResult& r, const std::string& title) {
  std::fprintf(stderr, "vqfuse: %s: %s %d folds x %zu seeds: PLCC %.4f ± %.4f, SROCC %.4f ± %.4f, RMSE %.4f ± %.4f "
                       "(per clip PLCC %.4f ± %.4f)\n",
               title.c_str(), r.validation.c_str(), r.folds, r.seeds.size(), r.plcc.mean, r.plcc.std, r.srocc.mean,
               r.srocc.std, r.rmse.mean, r.rmse.std, r.clip_plcc.mean, r.clip_plcc.std);
}

int run_train(TrainArgs& a) {
  auto t = load(a.data);
  if (!t.ok()) return report(t.error());
  train::TrainRequest r;
  r.data.target = a.target;
  r.data.level = a.level;
  if (auto v = parse_val(a.val, r.data, r.cv); !v.ok()) return report(v.error());
  auto seeds = parse_seeds(a.seeds);
  if (!seeds.ok()) return report(seeds.error());
  r.cv.seeds = seeds.value();
  r.cv.opt = a.opt;
  r.cv.threads = a.threads;
  auto feats = train::resolve_features(a.features, t.value(), a.target, a.consensus);
  if (!feats.ok()) return report(feats.error());
  r.data.features = feats.value();
  r.feature_spec = a.features;
  r.arch = a.arch;
  r.data_description = a.data.store.empty() ? "--csv " + a.data.csv : "--store " + a.data.store;
  r.model_id = a.id.empty() ? std::filesystem::path(a.output).stem().string() : a.id;
  auto out = train::train_and_export(t.value(), r, a.output);
  if (!out.ok()) return report(out.error());
  if (!a.quiet) {
    print_cv(out.value().cv, r.model_id);
    std::fprintf(stderr, "vqfuse: wrote %s (%zu bytes, %zu parameters, %zu features) and %s\n", a.output.c_str(),
                 out.value().onnx_bytes, out.value().n_params, out.value().features.size(),
                 model::sidecar_path(a.output).c_str());
  }
  if (!a.report.empty()) {
    if (auto w = io::write_file_atomic(a.report, train::cv_json(out.value().cv) + "\n"); !w.ok()) return report(w.error());
  }
  return kExitOk;
}

struct SweepArgs {
  TrainArgs t;
  std::string ks = "2,4,6,12", archs = "mlp_small,mlp_medium,mlp_large", cost, out;
};

int run_sweep(SweepArgs& a) {
  auto t = load(a.t.data);
  if (!t.ok()) return report(t.error());
  train::SweepRequest r;
  r.data.target = a.t.target;
  r.data.level = a.t.level;
  if (auto v = parse_val(a.t.val, r.data, r.cv); !v.ok()) return report(v.error());
  auto seeds = parse_seeds(a.t.seeds);
  if (!seeds.ok()) return report(seeds.error());
  r.cv.seeds = seeds.value();
  r.cv.opt = a.t.opt;
  r.cv.threads = a.t.threads;
  r.consensus_path = a.t.consensus;
  r.ks.clear();
  auto ks = parse_seeds(a.ks);
  if (!ks.ok()) return report(ks.error());
  for (uint64_t k : ks.value()) r.ks.push_back(static_cast<int>(k));
  r.archs.clear();
  std::stringstream ss(a.archs);
  for (std::string s; std::getline(ss, s, ',');) r.archs.push_back(s);
  if (!a.cost.empty()) {
    auto text = io::read_text_file(a.cost);
    if (!text.ok()) return report(text.error());
    try {
      const auto j = nlohmann::json::parse(text.value());
      for (auto it = j.at("extractors").begin(); it != j.at("extractors").end(); ++it)
        r.extractor_cost_ms[it.key()] = it.value().at("ms_per_frame").get<double>();
    } catch (const std::exception& e) {
      return report(Error(Errc::kParse, std::string("not a vqfuse bench --json report: ") + e.what(), a.cost));
    }
  }
  if (!a.t.quiet) r.progress = [](const std::string& s) { std::fprintf(stderr, "vqfuse: sweep: %s\n", s.c_str()); };
  if (auto res = train::sweep(t.value(), r, a.out); !res.ok()) return report(res.error());
  if (!a.t.quiet) std::fprintf(stderr, "vqfuse: results in %s/results.md\n", a.out.c_str());
  return kExitOk;
}

struct ScoreArgs {
  ExtractConfig cfg;
  DataArgs data;
  std::string model, output;
  bool json = false, quiet = false;
};

int score_table(ScoreArgs& a) {
  auto t = load(a.data);
  if (!t.ok()) return report(t.error());
  auto m = model::load_tiny_model(a.model);
  if (!m.ok()) return report(m.error());
  const auto& feats = m.value().sidecar.features;
  std::vector<int> cols;
  for (const auto& f : feats) {
    const int c = t.value().column(f);
    if (c < 0) return report(Error(Errc::kInvalidArgument, "the table has no column '" + f + "' that the model needs", a.data.csv));
    cols.push_back(c);
  }
  const auto& tab = t.value();
  std::vector<float> x(tab.values.size() * feats.size());
  for (size_t r = 0; r < tab.values.size(); ++r)
    for (size_t j = 0; j < feats.size(); ++j) x[r * feats.size() + j] = static_cast<float>(tab.values[r][static_cast<size_t>(cols[j])]);
  auto pred = m.value().onnx.run(x, tab.values.size());
  if (!pred.ok()) return report(pred.error());
  std::string out = "clip_id,frame," + m.value().sidecar.id + "\n";
  for (size_t r = 0; r < tab.values.size(); ++r) {
    out += tab.clip_id[r] + "," + std::to_string(tab.frame[r]) + ",";
    append_double(out, pred.value()[r]);
    out += "\n";
  }
  if (a.output.empty() || a.output == "-") {
    std::fputs(out.c_str(), stdout);
    return kExitOk;
  }
  if (auto w = io::write_file_atomic(a.output, out); !w.ok()) return report(w.error());
  return kExitOk;
}

int run_score(ScoreArgs& a) {
  if (a.model.empty()) a.model = model::default_tiny_model_path();
  if (!a.data.csv.empty() || !a.data.store.empty()) return score_table(a);
  if (a.cfg.reference.empty() || a.cfg.distorted.empty())
    return report(Error(Errc::kInvalidArgument, "give -r REF -d DIS, or --csv FEATURES.csv"));
  a.cfg.models = {"path=" + a.model};
  a.cfg.feature_set.clear();
  const std::string ext = std::filesystem::path(a.output).extension().string();
  io::OutputFormat fmt = ext == ".csv" ? io::OutputFormat::kCsv : ext == ".xml" ? io::OutputFormat::kXml : io::OutputFormat::kJson;
  std::vector<std::unique_ptr<FrameSink>> owned;
  if (!a.output.empty()) owned.push_back(io::make_file_writer(fmt, a.output));
  class Summary final : public FrameSink {
   public:
    Result<void> frame(int64_t, std::span<const double>) override { return {}; }
    Result<void> end(const RunInfo& i, const RunSummary& s) override {
      text = io::summary_text(i, s);
      return {};
    }
    std::string text;
  } summary;
  std::vector<FrameSink*> sinks;
  for (auto& s : owned) sinks.push_back(s.get());
  sinks.push_back(&summary);
  Progress progress("score", a.quiet);
  a.cfg.progress = [&](int64_t d, int64_t t) { progress.update(d, t); };
  a.cfg.warn = [](const std::string& m) { warn(m); };
  auto r = extract(a.cfg, sinks);
  progress.finish();
  if (!r.ok()) return report(r.error());
  if (a.output.empty()) std::fputs(summary.text.c_str(), stdout);
  return kExitOk;
}

}  // namespace

void add_train_commands(CLI::App& app, std::vector<Command>& out) {
  auto t = std::make_shared<TrainArgs>();
  CLI::App* tr = app.add_subcommand("train", "Train a tiny MLP with leave-one-source-out evaluation; export ONNX + sidecar");
  tr->set_help_flag("--help", "Print this help and exit");
  add_train_options(tr, *t);
  tr->add_option("--features", t->features, "canonical, full, topk:K (with --consensus) or a comma list");
  tr->add_option("--consensus", t->consensus, "consensus.json from vqfuse analyze (for topk:K)");
  tr->add_option("--arch", t->arch, "mlp_small (K-16-8-1), mlp_medium (K-64-32-1), mlp_large (K-64-32-16-1), mlp:W1,W2,...");
  tr->add_option("--id", t->id, "Model id (default: the output file name)");
  tr->add_option("--report", t->report, "Also write the cross-validation metrics as JSON");
  tr->add_option("-o,--output", t->output, "MODEL.onnx (MODEL.json is written next to it)")->required();
  out.push_back({tr, [t] { return run_train(*t); }});

  auto s = std::make_shared<SweepArgs>();
  s->t.seeds = "0,1,2,3,4";
  CLI::App* sw = app.add_subcommand("sweep", "The research grid: feature subsets x architectures x seeds, LOSO");
  sw->set_help_flag("--help", "Print this help and exit");
  add_train_options(sw, s->t);
  sw->add_option("--consensus", s->t.consensus, "consensus.json from vqfuse analyze")->required();
  sw->add_option("--ks", s->ks, "Top-K sizes beyond the canonical six (default 2,4,6,12)");
  sw->add_option("--archs", s->archs, "Architectures (default mlp_small,mlp_medium,mlp_large)");
  sw->add_option("--cost", s->cost, "vqfuse bench --json report with per-extractor ms/frame (Pareto cost axis)");
  sw->add_option("-o,--output", s->out, "Results directory")->required();
  out.push_back({sw, [s] { return run_sweep(*s); }});

  auto c = std::make_shared<ScoreArgs>();
  CLI::App* sc = app.add_subcommand("score", "Score a pair (or a feature table) with a tiny ONNX model, natively");
  sc->set_help_flag("--help", "Print this help and exit");
  sc->add_option("-r,--reference", c->cfg.reference, "Reference video");
  sc->add_option("-d,--distorted", c->cfg.distorted, "Distorted video");
  sc->add_option("-w,--width", c->cfg.width, "Width of raw .yuv input");
  sc->add_option("-h,--height", c->cfg.height, "Height of raw .yuv input");
  sc->add_option("-p,--pixel_format,--pixel-format", c->cfg.pixel_format, "Raw .yuv subsampling");
  sc->add_option("-b,--bitdepth", c->cfg.bit_depth, "Raw .yuv bit depth");
  add_data_options(sc, c->data);
  sc->add_option("--model", c->model, "MODEL.onnx with MODEL.json beside it (default: the shipped model)");
  sc->add_option("--threads", c->cfg.threads, "Threads");
  sc->add_flag("--json", c->json, "JSON output (default; .csv/.xml output files by extension)");
  sc->add_option("-o,--output", c->output, "Output file");
  sc->add_flag("-q,--quiet", c->quiet, "No progress");
  out.push_back({sc, [c] { return run_score(*c); }});
}

}  // namespace vqfuse::cli
