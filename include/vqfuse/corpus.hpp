// Corpus builder: reference/distorted pairs with known sources, real encoders at many rates,
// resolution ladders and targeted failure modes, made deterministically with FFmpeg.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "vqfuse/error.hpp"
#include "vqfuse/extract.hpp"

namespace vqfuse::corpus {

// A source clip: a video/Y4M file, an FFmpeg lavfi graph, or a still image turned into a short
// clip by a deterministic supersampled pan/zoom.
struct Source {
  std::string id;
  std::string kind;     // "video", "lavfi", "image"
  std::string input;    // path or lavfi graph
  std::string motion = "pan";  // image: "pan", "zoom", "panzoom", "fast"
  std::string filter;   // extra FFmpeg filters applied to the source (e.g. darken + noise)
  std::string failure_mode;  // tags every clip of this source unless the plan entry overrides
  int width = 0, height = 0, frames = 0, fps = 25;
};

// One encode of the plan, applied to the sources it selects.
struct PlanEntry {
  std::string codec = "libx264";            // libx264, libx265, libvpx-vp9, libaom-av1, libsvtav1, none
  std::vector<int> crf;                     // rate ladder (CRF or QP per codec)
  std::string rate_mode = "crf";            // "crf" or "qp"
  std::string preset;                       // encoder speed preset
  std::vector<double> scales = {1.0};       // resolution ladder: down then back up
  std::string scaler = "bicubic";
  int bit_depth = 8;                        // 8 or 10
  std::string chroma = "420";               // source/ref subsampling: 420 or 444
  std::string extra;                        // extra encoder options, e.g. "-x264-params chroma-qp-offset=12"
  std::string chroma_roundtrip;             // "420": 4:4:4 -> 4:2:0 -> 4:4:4, no encode
  std::vector<std::string> sources;         // source ids (empty = all)
  std::string failure_mode;                 // tag
};

struct Manifest {
  std::string name;
  std::vector<Source> sources;
  std::vector<PlanEntry> plan;
};

// A produced clip (corpus.json).
struct Clip {
  std::string clip_id, source_id, ref, dis, encoded;  // paths relative to the corpus dir
  std::string codec, params_json, scaler, failure_mode;
  std::string ref_sha256, dis_sha256;
  int width = 0, height = 0, bit_depth = 8, frames = 0;
  std::string chroma;
};

Result<Manifest> parse_manifest(const std::string& json_text, const std::string& origin);
Result<Manifest> load_manifest(const std::string& path);
// Built-in presets: "demo" (minutes on 2 cores) and "research" (larger), made from content a
// Debian machine has offline (lavfi sources, photos from mate-backgrounds).
Result<Manifest> preset(const std::string& name);

struct BuildOptions {
  std::string out_dir;
  int jobs = 1;
  int shard_index = 0, shard_count = 1;
  std::string ffmpeg = "ffmpeg";
  std::function<void(int64_t done, int64_t total)> progress;
  std::function<void(const std::string&)> log;
};

// The clips a manifest expands to, in a fixed order (ids are deterministic).
std::vector<Clip> plan_clips(const Manifest& m);

// Builds the corpus (skipping clips already built), writes out_dir/corpus.json.
Result<std::vector<Clip>> build(const Manifest& m, const BuildOptions& opt);
Result<std::vector<Clip>> read_corpus(const std::string& dir);

struct ExtractOptions {
  std::string store_path;
  ExtractConfig config;  // features / feature set / models / threads; inputs are set per clip
  int jobs = 1;
  int shard_index = 0, shard_count = 1;
  std::function<void(int64_t clips_done, int64_t clips_total, int64_t frames_done, int64_t frames_total)> progress;
};
struct ExtractReport {
  int64_t clips = 0, skipped = 0, computed = 0, frames = 0;
  double seconds = 0;
};
// Extracts every clip of a corpus into the store; resumable (complete clips are skipped).
Result<ExtractReport> extract(const std::string& corpus_dir, const ExtractOptions& opt);

// "I/N" -> (I, N).
Result<std::pair<int, int>> parse_shard(const std::string& text);

}  // namespace vqfuse::corpus
