// The fused extraction engine.
//
// Three pipeline stages on oneTBB (parallel_pipeline; oneTBB because its work-stealing lets the
// frame-level pipeline and the row-band/extractor parallelism inside a frame share one thread
// pool without oversubscription, and its token limit bounds memory):
//   read     (serial, in order): decode one ref/dis pair into pooled frames, link the previous
//            frame context for temporal extractors;
//   compute  (parallel): build declared intermediates, run every extractor on the frame;
//   sequence (serial, in order): temporal steps (motion2 = min of neighbours ...), models,
//            pooling, sinks. A row leaves when every look-ahead is satisfied.
// Errors thrown anywhere cancel the pipeline and come back as one Error naming the frame.
#include "features/engine.hpp"

#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <deque>
#include <limits>
#include <map>
#include <mutex>
#include <set>

#include "core/dispatch.hpp"
#include "core/parallel.hpp"

namespace vqfuse::features {
namespace {

// One extractor instance in a run.
struct Instance {
  const ExtractorInfo* info = nullptr;
  Options options;
  std::unique_ptr<Extractor> ext;
  Binding binding;
  bool every_frame = false;
  std::unique_ptr<std::atomic<int64_t>> ns = std::make_unique<std::atomic<int64_t>>(0);
};

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct ModelSlot {
  std::shared_ptr<const RowModel> model;
  std::vector<int> input_columns;
  int column = -1;
};

// Recycles decoded frames: memory stays bounded by the frames in flight.
class FramePool {
 public:
  explicit FramePool(const VideoInfo& info) : info_(info) {}
  std::shared_ptr<Frame> acquire() {
    Frame* f = nullptr;
    {
      std::lock_guard lock(mu_);
      if (!free_.empty()) {
        f = free_.back().release();
        free_.pop_back();
      }
    }
    if (!f) f = new Frame(info_);
    return std::shared_ptr<Frame>(f, [this](Frame* p) { release(p); });
  }
  ~FramePool() = default;

 private:
  void release(Frame* p) {
    std::lock_guard lock(mu_);
    free_.emplace_back(p);
  }
  VideoInfo info_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Frame>> free_;
};

struct Job {
  std::shared_ptr<FrameCtx> ctx;
  std::vector<double> values;
  std::vector<uint64_t> scratch;
  bool sampled = true;  // n % subsample == 0
};

struct PooledAcc {
  double min = 0, max = 0, sum = 0, isum = 0;
  int64_t n = 0;
  void add(double v) {
    if (n == 0 || v < min) min = v;
    if (n == 0 || v > max) max = v;
    sum += v;
    isum += 1.0 / (v + 1.0);  // libvmaf's harmonic mean: n / sum(1/(x+1)) - 1
    ++n;
  }
  Pooled get() const {
    Pooled p;
    if (n == 0) return p;
    p.min = min;
    p.max = max;
    p.mean = sum / static_cast<double>(n);
    p.harmonic_mean = static_cast<double>(n) / isum - 1.0;
    return p;
  }
};

class Window final : public RowWindow {
 public:
  std::deque<Job*> jobs;  // consecutive frame indices
  const Binding* binding = nullptr;
  bool has(int64_t frame) const override { return find(frame) != nullptr; }
  FeatureRow row(int64_t frame) override {
    Job* j = find(frame);
    if (!j) throw Error(Errc::kInternal, "row of frame " + std::to_string(frame) + " is not in the window");
    return FeatureRow(j->values.data(), j->scratch.data(), binding);
  }

 private:
  Job* find(int64_t frame) const {
    if (jobs.empty()) return nullptr;
    const int64_t first = jobs.front()->ctx->index();
    const int64_t i = frame - first;
    if (i < 0 || i >= static_cast<int64_t>(jobs.size())) return nullptr;
    return jobs[static_cast<size_t>(i)];
  }
};

class Aggregates final : public AggregateSink {
 public:
  explicit Aggregates(const Binding* b, std::vector<double>* out) : b_(b), out_(out) {}
  void set(FeatureId id, double v) override {
    const int c = b_->column[id.v];
    if (c >= 0) (*out_)[static_cast<size_t>(c)] = v;
  }

 private:
  const Binding* b_;
  std::vector<double>* out_;
};

bool is_tier_option(std::string_view name) {
  return name == "debug" || name == "enable_lcs" || name == "enable_mse" ||
         name == "enable_chroma" || name == "enable_apsnr";
}

// Adds `spec` to the instance list, merging with an instance of the same extractor and the same
// name suffix (libvmaf keeps one instance per feature name): tier switches are OR-ed.
Result<size_t> add_instance(std::vector<Instance>& list, const InstanceSpec& spec) {
  for (size_t i = 0; i < list.size(); ++i) {
    Instance& in = list[i];
    if (in.info != spec.info || in.options.name_suffix() != spec.options.name_suffix()) continue;
    for (const auto& o : spec.info->options) {
      if (is_tier_option(o.name)) {
        if (spec.options.get_bool(o.name)) in.options.set(o.name, "true");
      } else if (in.options.get_string(o.name) != spec.options.get_string(o.name)) {
        return Error(Errc::kInvalidArgument,
                     "two instances of '" + std::string(spec.info->name) + "' differ in option '" +
                         std::string(o.name) + "' (" + in.options.get_string(o.name) + " vs " +
                         spec.options.get_string(o.name) + ") but would write the same names",
                     "", -1, "--feature");
      }
    }
    return i;
  }
  Instance in;
  in.info = spec.info;
  in.options = spec.options;
  list.push_back(std::move(in));
  return list.size() - 1;
}

struct Plan {
  std::vector<Instance> instances;
  std::vector<ModelSlot> models;
  RunInfo info;
  int scratch_words = 0;
  int lookahead = 0;
  int history = 0;
  std::vector<const IntermediateBase*> needs;
};

std::vector<std::string> names_of(const ExtractorInfo& e, const Options& o) {
  std::vector<std::string> out;
  for (FeatureId id : features_written(e.id, o))
    out.push_back(std::string(id.info().json_name) + o.name_suffix());
  return out;
}

Result<Plan> build_plan(const VideoInfo& video, const EngineConfig& cfg) {
  Plan plan;
  plan.info.video = video;
  // Model inputs first: libvmaf registers the model's extractors before --feature ones.
  std::vector<std::vector<size_t>> model_instance(cfg.models.size());
  for (size_t m = 0; m < cfg.models.size(); ++m) {
    for (const auto& in : cfg.models[m]->inputs()) {
      InstanceSpec spec{&extractor_info(in.ext), in.options};
      VQ_ASSIGN_OR_RETURN(size_t idx, add_instance(plan.instances, spec));
      model_instance[m].push_back(idx);
    }
  }
  for (const auto& spec : cfg.instances) VQ_TRY(add_instance(plan.instances, spec));

  // init; an unsupported input either fails the run or is skipped and recorded.
  std::vector<bool> skipped(plan.instances.size(), false);
  for (size_t i = 0; i < plan.instances.size(); ++i) {
    Instance& in = plan.instances[i];
    in.ext = in.info->make(in.options);
    Result<void> r = in.ext->init(video);
    if (r.ok()) continue;
    Error e = std::move(r).error();
    if (e.field.empty()) e.field = std::string(in.info->name);
    if (e.code != Errc::kUnsupported || !cfg.skip_unsupported) {
      if (e.code == Errc::kUnsupported)
        e.message += " (pass --skip-unsupported to drop this feature and go on)";
      return e;
    }
    skipped[i] = true;
    plan.info.skipped.push_back({std::string(in.info->name), names_of(*in.info, in.options), e.message});
    if (cfg.warn)
      cfg.warn("skipping " + std::string(in.info->name) + ": " + e.message);
  }

  // Columns: every written name, in kFeatures order, instances in order for equal ids.
  struct Col {
    FeatureId id;
    size_t instance;
    bool aggregate;
  };
  std::vector<Col> cols;
  for (size_t i = 0; i < plan.instances.size(); ++i) {
    Instance& in = plan.instances[i];
    in.binding.column.assign(kFeatureCount, -1);
    if (skipped[i]) continue;
    for (FeatureId id : features_written(in.info->id, in.options))
      if (in.ext->writes(id)) cols.push_back({id, i, id.info().tier == Tier::kApsnr});
  }
  std::stable_sort(cols.begin(), cols.end(), [](const Col& a, const Col& b) {
    return a.id.v != b.id.v ? a.id.v < b.id.v : a.instance < b.instance;
  });
  for (const Col& c : cols) {
    Instance& in = plan.instances[c.instance];
    auto& list = c.aggregate ? plan.info.aggregate_columns : plan.info.columns;
    in.binding.column[c.id.v] = static_cast<int16_t>(list.size());
    list.push_back({std::string(c.id.info().json_name) + in.options.name_suffix(), c.id, c.aggregate});
  }

  // Models read the columns of their own instances.
  const FeatureId kVmaf = feature_id("vmaf");
  for (size_t m = 0; m < cfg.models.size(); ++m) {
    ModelSlot slot;
    slot.model = cfg.models[m];
    const auto& inputs = slot.model->inputs();
    bool ok = true;
    for (size_t k = 0; k < inputs.size(); ++k) {
      const size_t idx = model_instance[m][k];
      if (skipped[idx]) {
        ok = false;
        break;
      }
      const int c = plan.instances[idx].binding.column[inputs[k].feature.v];
      if (c < 0)
        return Error(Errc::kModel, "model input '" + std::string(inputs[k].feature.info().json_name) +
                                       "' is not written by its extractor",
                     slot.model->name());
      slot.input_columns.push_back(c);
    }
    if (!ok) {
      plan.info.skipped.push_back({"model", {slot.model->name()}, "an input feature was skipped"});
      if (cfg.warn) cfg.warn("skipping model " + slot.model->name() + ": an input feature was skipped");
      continue;
    }
    for (const auto& c : plan.info.columns)
      if (c.name == slot.model->name())
        return Error(Errc::kInvalidArgument, "model name '" + c.name + "' collides with a feature name",
                     "", -1, "--model");
    slot.column = static_cast<int>(plan.info.columns.size());
    const auto id = find_feature(slot.model->name());
    plan.info.columns.push_back({slot.model->name(), id && id->info().extractor == Ext::kModel ? *id : kVmaf, false});
    plan.models.push_back(std::move(slot));
  }

  // Drop skipped instances; collect scratch, look-ahead, history and intermediates.
  std::vector<Instance> live;
  for (size_t i = 0; i < plan.instances.size(); ++i)
    if (!skipped[i]) live.push_back(std::move(plan.instances[i]));
  plan.instances = std::move(live);
  for (Instance& in : plan.instances) {
    in.binding.scratch_offset = plan.scratch_words;
    in.binding.scratch_count = in.ext->scratch_count();
    plan.scratch_words += in.binding.scratch_count;
    plan.lookahead = std::max(plan.lookahead, in.ext->lookahead());
    plan.history = std::max(plan.history, in.ext->history());
    in.every_frame = in.ext->every_frame();
    for (const IntermediateBase* n : in.ext->needs())
      if (std::find(plan.needs.begin(), plan.needs.end(), n) == plan.needs.end()) plan.needs.push_back(n);
  }
  if (plan.info.columns.empty() && plan.info.aggregate_columns.empty())
    return Error(Errc::kInvalidArgument, "nothing to compute: every requested feature was skipped");
  return plan;
}

class Runner {
 public:
  Runner(io::VideoReader& ref, io::VideoReader& dis, const EngineConfig& cfg, Plan& plan,
         std::span<FrameSink* const> sinks)
      : ref_(ref), dis_(dis), cfg_(cfg), plan_(plan), sinks_(sinks), pool_(ref.info()) {
    pooled_.resize(plan.info.columns.size());
    aggregate_.assign(plan.info.aggregate_columns.size(), std::nan(""));
  }

  Result<RunSummary> run() {
    const auto t0 = std::chrono::steady_clock::now();
    VQ_TRY(skip_frames(ref_, cfg_.frame_skip_ref));
    VQ_TRY(skip_frames(dis_, cfg_.frame_skip_dist));
    for (FrameSink* s : sinks_) VQ_TRY(s->begin(plan_.info));

    const int threads = plan_.info.threads;
    tbb::task_arena arena(threads);
    // Frames in flight: one per thread plus one being read. Above 1440p the full set's
    // intermediates of one frame alone run to ~600 MiB (4K: two float luma planes per key, six
    // linear-RGB planes, five SSIM means, the XYB pyramid), so frames go one at a time and the
    // threads work inside the frame (extractors, row bands): the memory bound holds at 4K.
    const int64_t pixels = static_cast<int64_t>(ref_.info().width) * ref_.info().height;
    const size_t tokens = pixels > 2560 * 1440 ? 1 : static_cast<size_t>(threads) + 1;
    Result<void> r = guard([&] {
      arena.execute([&] {
        tbb::parallel_pipeline(
            tokens,
            tbb::make_filter<void, Job*>(tbb::filter_mode::serial_in_order,
                                         [&](tbb::flow_control& fc) { return read_stage(fc); }) &
                tbb::make_filter<Job*, Job*>(tbb::filter_mode::parallel,
                                             [&](Job* j) { return compute_stage(j); }) &
                tbb::make_filter<Job*, void>(tbb::filter_mode::serial_in_order,
                                             [&](Job* j) { sequence_stage(j); }));
      });
      finish();
    });
    if (!r.ok()) {
      // Jobs still in the pipeline when it was cancelled (being computed or queued for the
      // in-order stage) are owned by live_, as are those in the window.
      window_.jobs.clear();
      for (Job* j : live_) delete j;
      live_.clear();
      return std::move(r).error();
    }
    RunSummary summary;
    summary.frames = rows_written_;
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    summary.fps = summary.seconds > 0 ? static_cast<double>(frames_read_) / summary.seconds : 0;
    for (const auto& p : pooled_) summary.pooled.push_back(p.get());
    summary.aggregate = aggregate_;
    const double frames = static_cast<double>(std::max<int64_t>(frames_read_, 1));
    summary.timing.push_back({"(intermediates)", static_cast<double>(intermediates_ns_.load()) / 1e6 / frames});
    for (const Instance& in : plan_.instances)
      summary.timing.push_back({std::string(in.info->name) + in.options.name_suffix(),
                                static_cast<double>(in.ns->load()) / 1e6 / frames});
    for (FrameSink* s : sinks_) VQ_TRY(s->end(plan_.info, summary));
    return summary;
  }

 private:
  static Result<void> skip_frames(io::VideoReader& r, int64_t n) {
    Frame scratch;
    for (int64_t i = 0; i < n; ++i) {
      VQ_ASSIGN_OR_RETURN(bool got, r.read(scratch));
      if (!got)
        return Error(Errc::kInvalidArgument,
                     "cannot skip " + std::to_string(n) + " frames: the input has only " +
                         std::to_string(i),
                     r.path());
    }
    return {};
  }

  Job* read_stage(tbb::flow_control& fc) {
    if (cfg_.frame_cnt >= 0 && frames_read_ >= cfg_.frame_cnt) {
      fc.stop();
      return nullptr;
    }
    auto ref = pool_.acquire();
    auto dis = pool_.acquire();
    const bool got_ref = unwrap(ref_.read(*ref));
    const bool got_dis = unwrap(dis_.read(*dis));
    if (!got_ref || !got_dis) {
      if (got_ref != got_dis) throw count_mismatch(got_ref);
      if (frames_read_ == 0) throw Error(Errc::kParse, "no frames", ref_.path());
      fc.stop();
      return nullptr;
    }
    auto job = std::make_unique<Job>();
    job->ctx = std::make_shared<FrameCtx>(frames_read_, std::move(ref), std::move(dis));
    if (plan_.history > 0 && last_ctx_) job->ctx->set_prev(last_ctx_);
    last_ctx_ = plan_.history > 0 ? job->ctx : nullptr;
    job->values.assign(plan_.info.columns.size(), std::nan(""));
    job->scratch.assign(static_cast<size_t>(plan_.scratch_words), 0);
    job->sampled = frames_read_ % cfg_.subsample == 0;
    ++frames_read_;
    {
      std::lock_guard lock(live_mu_);
      live_.insert(job.get());
    }
    return job.release();
  }

  // One side ended before the other: count the rest of the longer one for the message.
  Error count_mismatch(bool ref_longer) {
    io::VideoReader& longer = ref_longer ? ref_ : dis_;
    io::VideoReader& shorter = ref_longer ? dis_ : ref_;
    Frame scratch;
    int64_t extra = 1;
    for (;;) {
      Result<bool> more = longer.read(scratch);
      if (!more.ok() || !more.value()) break;
      ++extra;
    }
    const int64_t n = frames_read_ + (ref_longer ? cfg_.frame_skip_dist : cfg_.frame_skip_ref);
    const int64_t m = frames_read_ + extra + (ref_longer ? cfg_.frame_skip_ref : cfg_.frame_skip_dist);
    return Error(Errc::kMismatch,
                 "frame count mismatch: " + shorter.path() + " has " + std::to_string(n) +
                     " frames, " + longer.path() + " has " + std::to_string(m) +
                     " (pass --frame-cnt N to compare the first N frames)",
                 shorter.path());
  }

  Job* compute_stage(Job* j) {
    try {
      FrameCtx& ctx = *j->ctx;
      std::vector<Instance*> active;
      for (Instance& in : plan_.instances)
        if (j->sampled || in.every_frame) active.push_back(&in);
      if (!active.empty()) {
        const int64_t t0 = now_ns();
        for_each_index(static_cast<int>(plan_.needs.size()),
                       [&](int i) { plan_.needs[static_cast<size_t>(i)]->prepare(ctx); });
        intermediates_ns_ += now_ns() - t0;
        for_each_index(static_cast<int>(active.size()), [&](int i) {
          Instance& in = *active[static_cast<size_t>(i)];
          FeatureRow row(j->values.data(), j->scratch.data(), &in.binding);
          const int64_t t1 = now_ns();
          in.ext->extract(ctx, row);
          *in.ns += now_ns() - t1;
        });
        ctx.release_intermediates();
      }
    } catch (Error& e) {
      if (e.frame < 0) e.frame = j->ctx->index();
      throw;
    }
    return j;
  }

  void sequence_stage(Job* j) {
    const int64_t n = j->ctx->index();
    window_.jobs.push_back(j);
    try {
      for (Instance& in : plan_.instances) {
        if (!j->sampled && !in.every_frame) continue;
        window_.binding = &in.binding;
        in.ext->sequence(n, window_);
      }
    } catch (Error& e) {
      if (e.frame < 0) e.frame = n;
      throw;
    }
    // Frames past the history depth no longer need their predecessors.
    recent_.push_back(j->ctx);
    while (static_cast<int>(recent_.size()) > std::max(plan_.history, 1)) recent_.pop_front();
    if (plan_.history > 0 && static_cast<int>(recent_.size()) >= plan_.history)
      recent_.front()->drop_prev();
    while (!window_.jobs.empty() && window_.jobs.front()->ctx->index() + plan_.lookahead <= n)
      emit_front();
    if (cfg_.progress) cfg_.progress(n + 1, -1);
  }

  void finish() {
    if (!window_.jobs.empty()) {
      const int64_t last = window_.jobs.back()->ctx->index();
      for (Instance& in : plan_.instances) {
        window_.binding = &in.binding;
        in.ext->flush(last, window_);
      }
    }
    while (!window_.jobs.empty()) emit_front();
    recent_.clear();
    last_ctx_.reset();
    for (Instance& in : plan_.instances) {
      Aggregates agg(&in.binding, &aggregate_);
      in.ext->aggregate(agg);
    }
  }

  void emit_front() {
    std::unique_ptr<Job> j(window_.jobs.front());
    window_.jobs.pop_front();
    {
      std::lock_guard lock(live_mu_);
      live_.erase(j.get());
    }
    if (!j->sampled) return;
    std::vector<double> x;
    for (const ModelSlot& m : plan_.models) {
      x.clear();
      for (int c : m.input_columns) x.push_back(j->values[static_cast<size_t>(c)]);
      j->values[static_cast<size_t>(m.column)] = m.model->predict(x);
    }
    for (size_t c = 0; c < j->values.size(); ++c) pooled_[c].add(j->values[c]);
    for (FrameSink* s : sinks_) unwrap(s->frame(j->ctx->index(), j->values));
    ++rows_written_;
  }

  io::VideoReader& ref_;
  io::VideoReader& dis_;
  const EngineConfig& cfg_;
  Plan& plan_;
  std::span<FrameSink* const> sinks_;
  FramePool pool_;
  Window window_;
  std::deque<std::shared_ptr<FrameCtx>> recent_;
  std::shared_ptr<FrameCtx> last_ctx_;
  std::vector<PooledAcc> pooled_;
  std::vector<double> aggregate_;
  int64_t frames_read_ = 0;
  int64_t rows_written_ = 0;
  std::atomic<int64_t> intermediates_ns_{0};
  std::mutex live_mu_;
  std::set<Job*> live_;  // every job read and not yet emitted (freed on cancellation)
};

}  // namespace

Result<InstanceSpec> parse_instance(std::string_view text) {
  VQ_ASSIGN_OR_RETURN(FeatureSpec spec, parse_feature_spec(text));
  const ExtractorInfo* info = find_extractor(spec.name);
  if (!info) {
    std::string known;
    for (const auto& e : extractors()) known += " " + std::string(e.name);
    return Error(Errc::kInvalidArgument, "unknown feature extractor '" + spec.name + "' (known:" + known + ")",
                 "", -1, "--feature");
  }
  VQ_ASSIGN_OR_RETURN(Options opts, Options::parse(info->name, info->options, spec.options));
  return InstanceSpec{info, std::move(opts)};
}

Result<RunSummary> run_engine(io::VideoReader& ref, io::VideoReader& dis, const EngineConfig& cfg,
                              std::span<FrameSink* const> sinks) {
  if (!ref.info().same_geometry(dis.info()))
    return Error(Errc::kMismatch,
                 "reference is " + ref.info().describe() + " (" + ref.path() + "), distorted is " +
                     dis.info().describe() + " (" + dis.path() + "): they must agree in size, "
                     "subsampling and bit depth",
                 dis.path());
  if (cfg.subsample < 1)
    return Error(Errc::kInvalidArgument, "must be >= 1", "", -1, "--subsample");
  if (cfg.frame_skip_ref < 0 || cfg.frame_skip_dist < 0)
    return Error(Errc::kInvalidArgument, "must be >= 0", "", -1, "--frame-skip-ref/--frame-skip-dist");
  VQ_ASSIGN_OR_RETURN(Plan plan, build_plan(ref.info(), cfg));
  plan.info.reference = ref.path();
  plan.info.distorted = dis.path();
  plan.info.simd_target = active_simd_target();
  const int hw = static_cast<int>(tbb::info::default_concurrency());
  plan.info.threads = cfg.threads > 0 ? cfg.threads : std::max(hw, 1);
  Runner runner(ref, dis, cfg, plan, sinks);
  return runner.run();
}

}  // namespace vqfuse::features
