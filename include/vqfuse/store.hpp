// The SQLite feature store: per-frame features of many clips, resumable and mergeable.
//
// Schema (src/store/schema.sql): sources, clips (tags, parameters, hashes), runs (vqfuse version,
// options, feature set, model hash), features (name -> id), frame_values (clip, feature, frame,
// value) in long form so that features can be added later without rewriting old rows, and
// clip_features, the completion marker of a (clip, feature) pair written in the same transaction
// as its values. One transaction per clip: a crash loses at most the clip in flight.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "vqfuse/error.hpp"
#include "vqfuse/extract.hpp"

namespace vqfuse::store {

struct SourceRecord {
  std::string source_id;
  std::string path;
  std::string kind;       // "video", "y4m", "image", "lavfi"
  std::string sha256;
  std::string attrs_json = "{}";
};

struct ClipRecord {
  std::string clip_id;
  std::string source_id;
  std::string ref_path;
  std::string dis_path;
  std::string ref_sha256;
  std::string dis_sha256;
  std::string codec;          // "libx264", "" for imported tables
  std::string params_json = "{}";
  std::string scaler;
  std::string failure_mode;   // "", "banding", "chroma", "motion_lowlight"
  std::string tags_json = "{}";
  int width = 0, height = 0, bit_depth = 0;
  std::string chroma;
  int64_t frames = 0;
};

struct RunRecord {
  std::string vqfuse_version;
  std::string command;       // the options, for provenance
  std::string feature_set;
  std::string model_sha256;
};

// A per-frame table read back from the store (or a CSV): one row per (clip, frame).
struct FrameTable {
  std::vector<std::string> columns;  // feature names
  std::vector<std::string> clip_id;
  std::vector<std::string> source_id;
  std::vector<std::string> failure_mode;
  std::vector<int64_t> frame;
  std::vector<std::vector<double>> values;  // [row][column], NaN = missing
  // Per-clip scalar attributes (imported subjective scores such as mos), by clip_id.
  std::map<std::string, std::map<std::string, double>> clip_attrs;
  int column(const std::string& name) const;
};

class Store {
 public:
  // Opens (and with `create`, creates) a store. A file that is not a vqfuse store, or is
  // corrupt, is refused and never modified.
  static Result<std::unique_ptr<Store>> open(const std::string& path, bool create);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::string& path() const { return path_; }

  Result<int64_t> begin_run(const RunRecord& run);
  Result<void> upsert_source(const SourceRecord& s);
  Result<void> upsert_clip(const ClipRecord& c);
  Result<std::optional<ClipRecord>> clip(const std::string& clip_id);
  Result<std::vector<ClipRecord>> clips();

  // Names (with option suffixes) stored completely for a clip.
  Result<std::set<std::string>> complete_features(const std::string& clip_id);

  // Extractor instances ("psnr=enable_mse=true", "model:vmaf") stored completely for a clip.
  Result<std::set<std::string>> complete_instances(const std::string& clip_id);

  // Writes every column of `m` for one clip in one transaction, marking each name and each of
  // `instances` complete. Existing values of the same (clip, feature) are replaced, never
  // duplicated.
  Result<void> write_clip(const std::string& clip_id, int64_t run_id, const FeatureMatrix& m,
                          const std::vector<std::string>& instances = {});
  // Per-clip scalar attributes (e.g. imported mos), in one transaction.
  Result<void> write_clip_attrs(const std::map<std::string, std::map<std::string, double>>& attrs);

  // Reads the wide per-frame table. Empty `features` = every stored feature.
  Result<FrameTable> read_table(const std::vector<std::string>& features = {});

  // Merges other stores into this one (idempotent: merging twice changes nothing).
  Result<void> merge_from(const std::string& other_path);

  // Counts for reports and tests.
  Result<int64_t> count_values();
  // A canonical text dump of every table (sorted), to compare stores in tests.
  Result<std::string> dump();

 private:
  struct Impl;
  explicit Store(std::string path);
  std::string path_;
  std::unique_ptr<Impl> impl_;
};

// Collects one clip's rows and writes them to the store at end() (one transaction).
class StoreSink final : public FrameSink {
 public:
  StoreSink(Store& store, std::string clip_id, int64_t run_id, std::vector<std::string> instances = {})
      : store_(store), clip_id_(std::move(clip_id)), run_id_(run_id), instances_(std::move(instances)) {}
  Result<void> begin(const RunInfo& info) override { return m_.begin(info); }
  Result<void> frame(int64_t index, std::span<const double> v) override { return m_.frame(index, v); }
  Result<void> end(const RunInfo& info, const RunSummary& s) override;

 private:
  Store& store_;
  std::string clip_id_;
  int64_t run_id_;
  std::vector<std::string> instances_;
  FeatureMatrix m_;
};

// Extracts one clip into the store: only the extractor instances and models the store lacks for
// this clip are computed; everything is written in one transaction (values + completion marks).
struct ClipExtractResult {
  bool skipped = false;                // already complete
  std::vector<std::string> instances;  // the instances computed now
  RunSummary summary;
};
Result<ClipExtractResult> extract_clip(const ExtractConfig& cfg, Store& store, const ClipRecord& clip,
                                       int64_t run_id, std::span<FrameSink* const> extra_sinks = {});

// CSV export: one wide row per frame (clip_id, source_id, failure_mode, frame, features..., then
// per-clip attributes). Written atomically.
Result<void> export_csv(const FrameTable& t, const std::string& path);

// CSV import (plain or .gz): rows keyed by `id_column` (clip) and, for per-frame tables,
// `frame_column`; numeric columns are mapped to feature names (registry names pass through;
// `rename` maps others, e.g. psnr -> psnr_y); other text columns become clip tags. Per-clip tables
// (no frame column) store their numeric columns as clip attributes (mos ...).
struct ImportOptions {
  std::string id_column = "clip_id";
  std::string frame_column = "frame";  // "" = per-clip table
  std::string source_column = "source_id";
  std::map<std::string, std::string> rename;
  std::vector<std::string> only;  // numeric columns to keep (empty = all)
};
struct ImportSummary {
  int64_t rows = 0;
  int64_t clips = 0;
  std::vector<std::string> feature_columns;
  std::vector<std::string> attr_columns;
  bool per_frame() const { return !feature_columns.empty(); }
};
Result<ImportSummary> import_csv(Store& store, const std::string& csv_path, const ImportOptions& opt);

// Reads a CSV (plain or .gz) feature table directly, without a store (analysis/training input).
Result<FrameTable> read_csv_table(const std::string& csv_path, const ImportOptions& opt);

}  // namespace vqfuse::store
