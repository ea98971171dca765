// The extractor interface, the per-frame context with its shared intermediates, and the rows
// extractors write into.
//
// Life of a frame pair (see engine.cpp):
//   1. parallel, any frame order: the intermediates every extractor declared are built once
//      (FrameCtx::get), then each extractor's extract() writes its columns of the frame's row;
//   2. in frame order: each extractor's sequence() finishes rows that needed neighbours
//      (motion2 = min of two motions), then models score the rows that are complete.
// Temporal extractors read the previous frame's intermediates through FrameCtx::prev(); they are
// built at most once per frame whichever thread asks first.
#pragma once

#include <atomic>
#include <cmath>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "features/options.hpp"
#include "vqfuse/error.hpp"
#include "vqfuse/features.hpp"
#include "vqfuse/frame.hpp"

namespace vqfuse::features {

class FrameCtx;

// Key of one shared per-frame intermediate, identified by its exact recipe: sharing never
// changes a number. Define keys as namespace-scope `inline const Intermediate<T>` objects; each
// gets a slot at static initialisation.
inline constexpr int kMaxIntermediates = 48;
int allocate_intermediate_slot();

struct IntermediateBase {
  std::string_view name;
  int slot;
  // Builds the value into the context (used to precompute declared needs).
  virtual void prepare(FrameCtx& f) const = 0;

 protected:
  explicit IntermediateBase(std::string_view n) : name(n), slot(allocate_intermediate_slot()) {}
  ~IntermediateBase() = default;
};

template <class T>
struct Intermediate final : IntermediateBase {
  using Builder = T (*)(FrameCtx&);
  Intermediate(std::string_view n, Builder b) : IntermediateBase(n), build(b) {}
  void prepare(FrameCtx& f) const override;
  Builder build;
};

class FrameCtx {
 public:
  FrameCtx(int64_t index, std::shared_ptr<const Frame> ref, std::shared_ptr<const Frame> dis)
      : index_(index), ref_(std::move(ref)), dis_(std::move(dis)) {}
  FrameCtx(const FrameCtx&) = delete;
  FrameCtx& operator=(const FrameCtx&) = delete;

  int64_t index() const { return index_; }
  const Frame& ref() const { return *ref_; }
  const Frame& dis() const { return *dis_; }
  const VideoInfo& info() const { return ref_->info(); }
  // The previous frame pair (frame index - 1), or null for the first frame. Only as deep as the
  // run's temporal depth: older links are cut to bound memory.
  FrameCtx* prev() const { return prev_.get(); }

  // Returns the intermediate, building it on first use (thread-safe, at most once).
  template <class T>
  const T& get(const Intermediate<T>& key) {
    Slot& s = slots_[key.slot];
    std::call_once(s.once, [&] { s.value = std::make_shared<T>(key.build(*this)); });
    if (!s.value) throw Error(Errc::kInternal, "intermediate '" + std::string(key.name) + "' used after release");
    return *static_cast<const T*>(s.value.get());
  }

  // Engine use.
  void set_prev(std::shared_ptr<FrameCtx> p) { prev_ = std::move(p); }
  void drop_prev() { prev_.reset(); }
  // Frees every intermediate once all extractors have run on the frame (temporal extractors
  // read only the previous frame's pictures, never its intermediates): bounds the memory of
  // frames kept alive as history or waiting in the in-order stage.
  void release_intermediates() {
    for (Slot& s : slots_) s.value.reset();
  }

 private:
  struct Slot {
    std::once_flag once;
    std::shared_ptr<void> value;
  };
  int64_t index_;
  std::shared_ptr<const Frame> ref_;
  std::shared_ptr<const Frame> dis_;
  std::shared_ptr<FrameCtx> prev_;
  Slot slots_[kMaxIntermediates];
};

template <class T>
void Intermediate<T>::prepare(FrameCtx& f) const {
  (void)f.get(*this);
}

// Where an extractor instance's features live in a row: column per FeatureId (-1 = not
// requested, value dropped) and the offset of its private per-frame scratch words.
struct Binding {
  std::vector<int16_t> column;  // size kFeatureCount
  int scratch_offset = 0;
  int scratch_count = 0;
};

// One frame's values: output columns (double, NaN = not computed) then scratch words.
class FeatureRow {
 public:
  FeatureRow(double* values, uint64_t* scratch, const Binding* b)
      : values_(values), scratch_(scratch), b_(b) {}
  void set(FeatureId id, double v) {
    const int c = b_->column[id.v];
    if (c >= 0) values_[c] = v;
  }
  // Value of one of this instance's own columns (NaN when not requested).
  double get(FeatureId id) const {
    const int c = b_->column[id.v];
    return c >= 0 ? values_[c] : std::nan("");
  }
  bool wants(FeatureId id) const { return b_->column[id.v] >= 0; }
  // Per-frame private words of this extractor instance (e.g. raw SAD for temporal pooling).
  uint64_t& scratch(int i) { return scratch_[b_->scratch_offset + i]; }

 private:
  double* values_;
  uint64_t* scratch_;
  const Binding* b_;
};

// Rows of the frames still in flight in the in-order stage, by absolute frame index.
class RowWindow {
 public:
  virtual ~RowWindow() = default;
  virtual bool has(int64_t frame) const = 0;
  virtual FeatureRow row(int64_t frame) = 0;  // for the calling extractor's binding
};

// Aggregate (whole-run) metrics, e.g. apsnr_y.
struct AggregateSink {
  virtual ~AggregateSink() = default;
  virtual void set(FeatureId id, double v) = 0;
};

class Extractor {
 public:
  virtual ~Extractor() = default;
  // Rejects unsupported geometry once, before any frame (size limits name the feature, the
  // limit and the input size).
  virtual Result<void> init(const VideoInfo& video) { return {}; }
  // After init(): false for a name its options would switch on but the input cannot give
  // (psnr_cb on 4:0:0).
  virtual bool writes(FeatureId id) const { return true; }
  // Shared intermediates this extractor reads; the engine builds them first, in parallel.
  virtual std::vector<const IntermediateBase*> needs() const { return {}; }
  // Per frame, any order, possibly concurrently for different frames: writes only this
  // instance's columns and scratch of `row`.
  virtual void extract(FrameCtx& f, FeatureRow& row) = 0;
  // In frame order, once extract() of frame n and of every earlier frame has finished.
  virtual void sequence(int64_t n, RowWindow& rows) {}
  // After the last frame (index `last`): finish rows that waited for look-ahead.
  virtual void flush(int64_t last, RowWindow& rows) {}
  // Whole-run values written into aggregate_metrics.
  virtual void aggregate(AggregateSink& out) {}
  // Frames after n whose sequence() must run before row n is complete.
  virtual int lookahead() const { return 0; }
  // How many earlier frames' contexts extract() may reach through prev() (0 = none).
  virtual int history() const { return 0; }
  // Scratch words per row.
  virtual int scratch_count() const { return 0; }
  // True when it must see every frame even under --subsample (temporal state).
  virtual bool every_frame() const { return history() > 0 || lookahead() > 0; }
};

struct ExtractorInfo {
  Ext id;
  std::string_view name;                 // the name libvmaf's --feature takes: "float_vif"
  std::string_view summary;              // one line for --list-features
  std::span<const OptionInfo> options;   // typed, with defaults
  std::unique_ptr<Extractor> (*make)(const Options& opts);
};

// The registry: an explicit array, in the order of Ext (registry.cpp).
std::span<const ExtractorInfo> extractors();
const ExtractorInfo* find_extractor(std::string_view name);
const ExtractorInfo* find_extractor(Ext id);  // null when this build lacks it
const ExtractorInfo& extractor_info(Ext id);  // must be registered

// Names an instance with these options writes, in kFeatures order (tiers switched on by options).
std::vector<FeatureId> features_written(Ext id, const Options& opts);

}  // namespace vqfuse::features
