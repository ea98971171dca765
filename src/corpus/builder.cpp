// Corpus building with the ffmpeg CLI (Debian's FFmpeg and its libavcodec encoders).
//
// Determinism: every encoder runs single-threaded with fixed options (libx264 -threads 1,
// libx265 pools=none:frame-threads=1, libvpx-vp9/libaom-av1 -threads 1 -row-mt 0, SVT-AV1 lp=1),
// noise filters have fixed seeds, and outputs are written with +bitexact so that containers do
// not embed version strings: the same manifest and FFmpeg build give the same bytes (sha256 in
// corpus.json). Files appear under their final names only when complete (rename), so an
// interrupted build resumes where it stopped.
#include <nlohmann/json.hpp>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "core/process.hpp"
#include "core/sha256.hpp"
#include "io/file.hpp"
#include "vqfuse/corpus.hpp"

namespace vqfuse::corpus {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string pix_fmt(const std::string& chroma, int bit_depth) {
  std::string p = chroma == "444" ? "yuv444p" : "yuv420p";
  return bit_depth == 10 ? p + "10le" : p;
}

std::string variant_name(const std::string& source, const std::string& chroma, int bit_depth) {
  return "sources/" + source + "_" + chroma + "p" + std::to_string(bit_depth) + ".y4m";
}

std::string scale_tag(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

std::vector<std::string> split_args(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  std::string a;
  while (in >> a) out.push_back(a);
  return out;
}

// Supersampled pan/zoom over a still image: the image is scaled to cover twice the target size,
// a moving window is cropped (or zoompan'ed) at that size, then box-filtered down to the target,
// which looks like camera motion over a real scene.
std::string image_filter(const Source& s) {
  const int w2 = 2 * s.width, h2 = 2 * s.height;
  const int n1 = std::max(s.frames - 1, 1);
  const std::string cover = "scale=" + std::to_string(w2 * 5 / 4) + ":" + std::to_string(h2 * 5 / 4) +
                            ":force_original_aspect_ratio=increase:flags=lanczos";
  std::string motion;
  const double speed = s.motion == "fast" ? 1.0 : 0.35;
  if (s.motion == "pan" || s.motion == "fast") {
    char buf[256];
    std::snprintf(buf, sizeof buf, "crop=%d:%d:x='(iw-%d)*%.3f*n/%d':y='(ih-%d)*%.3f*n/%d'", w2, h2, w2, speed, n1, h2,
                  speed * 0.5, n1);
    motion = buf;
  } else {
    char buf[256];
    const double zmax = s.motion == "zoom" ? 1.25 : 1.4;
    const std::string xpos = s.motion == "zoom" ? "0.5" : "on/" + std::to_string(n1) + "*0.8";
    std::snprintf(buf, sizeof buf,
                  "zoompan=z='1+%.4f*on/%d':x='(iw-iw/zoom)*%s':y='(ih-ih/zoom)/2':d=1:s=%dx%d:fps=%d", zmax - 1, n1,
                  xpos.c_str(), w2, h2, s.fps);
    motion = buf;
  }
  return cover + "," + motion + ",scale=" + std::to_string(s.width) + ":" + std::to_string(s.height) + ":flags=area";
}

// Command that renders a source variant (subsampling, bit depth) to Y4M.
std::vector<std::string> source_command(const Source& s, const std::string& chroma, int bit_depth,
                                        const std::string& ffmpeg, const std::string& out) {
  std::vector<std::string> a = {ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-threads", "1"};
  std::string vf;
  if (s.kind == "image") {
    a.insert(a.end(), {"-loop", "1", "-framerate", std::to_string(s.fps), "-i", s.input});
    vf = image_filter(s);
  } else if (s.kind == "lavfi") {
    a.insert(a.end(), {"-f", "lavfi", "-i", s.input});
    vf = "scale=" + std::to_string(s.width) + ":" + std::to_string(s.height) + ":flags=area";
  } else {
    a.insert(a.end(), {"-i", s.input});
    vf = "scale=" + std::to_string(s.width) + ":" + std::to_string(s.height) + ":flags=bicubic,fps=" +
         std::to_string(s.fps);
  }
  if (!s.filter.empty()) vf += "," + s.filter;
  vf += ",format=" + pix_fmt(chroma, bit_depth);
  a.insert(a.end(), {"-vf", vf, "-frames:v", std::to_string(s.frames), "-r", std::to_string(s.fps), "-strict", "-1",
                     "-f", "yuv4mpegpipe", out});
  return a;
}

std::vector<std::string> rate_args(const PlanEntry& e, int crf) {
  const std::string q = std::to_string(crf);
  if (e.codec == "libx264") {
    std::vector<std::string> a = {e.rate_mode == "qp" ? "-qp" : "-crf", q, "-preset", e.preset.empty() ? "medium" : e.preset,
                                  "-threads", "1"};
    return a;
  }
  if (e.codec == "libx265")
    return {e.rate_mode == "qp" ? "-qp" : "-crf", q, "-preset", e.preset.empty() ? "fast" : e.preset, "-x265-params",
            "pools=none:frame-threads=1:log-level=error"};
  if (e.codec == "libvpx-vp9")
    return {"-crf", q, "-b:v", "0", "-cpu-used", e.preset.empty() ? "4" : e.preset, "-deadline", "good", "-threads",
            "1", "-row-mt", "0", "-tile-columns", "0"};
  if (e.codec == "libaom-av1")
    return {"-crf", q, "-b:v", "0", "-cpu-used", e.preset.empty() ? "8" : e.preset, "-threads", "1", "-row-mt", "0",
            "-tiles", "1x1"};
  return {"-crf", q, "-preset", e.preset.empty() ? "10" : e.preset, "-svtav1-params", "lp=1"};  // libsvtav1
}

std::string params_json(const PlanEntry& e, int crf, double scale) {
  json p;
  if (e.codec != "none") {
    p[e.rate_mode] = crf;
    if (!e.preset.empty()) p["preset"] = e.preset;
  }
  p["scale"] = scale;
  p["bit_depth"] = e.bit_depth;
  p["chroma"] = e.chroma;
  if (!e.extra.empty()) p["extra"] = e.extra;
  if (!e.chroma_roundtrip.empty()) p["chroma_roundtrip"] = e.chroma_roundtrip;
  return p.dump();
}

json clip_json(const Clip& c) {
  return {{"clip_id", c.clip_id},       {"source_id", c.source_id}, {"ref", c.ref},
          {"dis", c.dis},               {"encoded", c.encoded},     {"codec", c.codec},
          {"params", json::parse(c.params_json)},                   {"scaler", c.scaler},
          {"failure_mode", c.failure_mode},                         {"ref_sha256", c.ref_sha256},
          {"dis_sha256", c.dis_sha256}, {"width", c.width},         {"height", c.height},
          {"bit_depth", c.bit_depth},   {"chroma", c.chroma},       {"frames", c.frames}};
}

Result<void> run_atomic(std::vector<std::string> argv, const std::string& out, const std::string& what) {
  // The last argument is the output path: write to a temporary name, rename when complete.
  const std::string tmp = out + ".part" + fs::path(out).extension().string();
  argv.back() = tmp;
  std::error_code ec;
  fs::remove(tmp, ec);
  if (auto r = run_process(argv, what); !r.ok()) {
    fs::remove(tmp, ec);
    return r;
  }
  fs::rename(tmp, out, ec);
  if (ec) return Error(Errc::kIo, "cannot rename into place: " + ec.message(), out);
  return {};
}

// Runs fn(i) for i in [0, n) on `jobs` threads; the first error wins and stops the rest.
Result<void> parallel_jobs(size_t n, int jobs, const std::function<Result<void>(size_t)>& fn) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mu;
  Error first;
  auto worker = [&] {
    for (size_t i; !failed && (i = next.fetch_add(1)) < n;) {
      Result<void> r = guard([&] { unwrap(fn(i)); });
      if (!r.ok()) {
        std::lock_guard lock(mu);
        if (!failed.exchange(true)) first = r.error();
      }
    }
  };
  std::vector<std::thread> pool;
  for (int j = 1; j < std::max(jobs, 1); ++j) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (failed) return first;
  return {};
}

}  // namespace

std::vector<Clip> plan_clips(const Manifest& m) {
  std::vector<Clip> out;
  std::map<std::string, const Source*> by_id;
  for (const auto& s : m.sources) by_id[s.id] = &s;
  for (const PlanEntry& e : m.plan) {
    std::vector<const Source*> srcs;
    if (e.sources.empty())
      for (const auto& s : m.sources) srcs.push_back(&s);
    else
      for (const auto& id : e.sources) srcs.push_back(by_id.at(id));
    const std::vector<int> rates = e.codec == "none" ? std::vector<int>{0} : e.crf;
    for (const Source* s : srcs)
      for (int crf : rates)
        for (double scale : e.scales) {
          Clip c;
          c.source_id = s->id;
          c.codec = e.codec;
          std::string id = s->id + "__";
          if (e.codec == "none") {
            id += "roundtrip" + e.chroma_roundtrip;
          } else {
            id += e.codec + "_" + e.rate_mode + std::to_string(crf);
          }
          if (scale != 1.0) id += "_s" + scale_tag(scale) + "_" + e.scaler;
          if (e.bit_depth != 8) id += "_" + std::to_string(e.bit_depth) + "bit";
          if (e.chroma != "420") id += "_" + e.chroma;
          if (!e.extra.empty()) id += "_x" + sha256_hex(e.extra).substr(0, 6);
          c.clip_id = id;
          c.params_json = params_json(e, crf, scale);
          c.scaler = scale != 1.0 ? e.scaler : "";
          c.failure_mode = !e.failure_mode.empty() ? e.failure_mode : s->failure_mode;
          c.width = s->width;
          c.height = s->height;
          c.bit_depth = e.bit_depth;
          c.chroma = e.chroma;
          c.frames = s->frames;
          c.ref = variant_name(s->id, e.chroma, e.bit_depth);
          c.dis = "clips/" + id + ".dis.y4m";
          c.encoded = e.codec == "none" ? "" : "clips/" + id + ".mkv";
          out.push_back(std::move(c));
        }
  }
  // A repeated id (the same clip twice in a plan) is built once.
  std::set<std::string> seen;
  std::vector<Clip> unique;
  for (auto& c : out)
    if (seen.insert(c.clip_id).second) unique.push_back(std::move(c));
  return unique;
}

Result<std::vector<Clip>> build(const Manifest& m, const BuildOptions& opt) {
  return guard([&]() -> std::vector<Clip> {
    if (opt.shard_count < 1 || opt.shard_index < 0 || opt.shard_index >= opt.shard_count)
      throw Error(Errc::kInvalidArgument, "bad shard", "", -1, "--shard");
    const fs::path dir = opt.out_dir;
    fs::create_directories(dir / "sources");
    fs::create_directories(dir / "clips");
    std::vector<Clip> all = plan_clips(m);
    std::vector<Clip> clips;
    for (size_t i = 0; i < all.size(); ++i)
      if (static_cast<int>(i % static_cast<size_t>(opt.shard_count)) == opt.shard_index) clips.push_back(all[i]);
    std::map<std::string, const Source*> by_id;
    for (const auto& s : m.sources) by_id[s.id] = &s;

    // 1. Source variants the shard needs.
    struct Variant {
      const Source* src;
      std::string chroma;
      int bit_depth;
      std::string path;
    };
    std::vector<Variant> variants;
    std::set<std::string> seen;
    for (const Clip& c : clips)
      if (seen.insert(c.ref).second) variants.push_back({by_id.at(c.source_id), c.chroma, c.bit_depth, c.ref});
    const int64_t total = static_cast<int64_t>(variants.size() + clips.size());
    std::atomic<int64_t> done{0};
    auto tick = [&] {
      const int64_t d = ++done;
      if (opt.progress) opt.progress(d, total);
    };
    unwrap(parallel_jobs(variants.size(), opt.jobs, [&](size_t i) -> Result<void> {
      const Variant& v = variants[i];
      const std::string out = (dir / v.path).string();
      if (!fs::exists(out))
        VQ_TRY(run_atomic(source_command(*v.src, v.chroma, v.bit_depth, opt.ffmpeg, out), out,
                          "source " + v.src->id));
      tick();
      return {};
    }));

    // 2. Encodes and decodes.
    std::map<std::string, const PlanEntry*> entry_of;
    for (const PlanEntry& e : m.plan)
      for (const Clip& c : plan_clips(Manifest{m.name, m.sources, {e}})) entry_of.emplace(c.clip_id, &e);
    unwrap(parallel_jobs(clips.size(), opt.jobs, [&](size_t i) -> Result<void> {
      Clip& c = clips[i];
      const PlanEntry& e = *entry_of.at(c.clip_id);
      const std::string ref = (dir / c.ref).string(), dis = (dir / c.dis).string();
      const std::string pix = pix_fmt(c.chroma, c.bit_depth);
      const std::vector<std::string> base = {opt.ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y"};
      const json params = json::parse(c.params_json);
      const double scale = params.value("scale", 1.0);
      if (!fs::exists(dis)) {
        std::vector<std::string> dec = base;
        if (e.codec == "none") {
          // chroma-only distortion: 4:4:4 -> 4:2:0 -> 4:4:4
          dec.insert(dec.end(), {"-i", ref, "-vf", "format=yuv420p,scale=flags=bicubic,format=" + pix, "-strict", "-1",
                                 "-f", "yuv4mpegpipe", dis});
        } else {
          const std::string enc = (dir / c.encoded).string();
          if (!fs::exists(enc)) {
            std::vector<std::string> a = base;
            a.insert(a.end(), {"-i", ref});
            if (scale != 1.0) {
              const int w = std::max(2, static_cast<int>(std::lround(c.width * scale / 2)) * 2);
              const int h = std::max(2, static_cast<int>(std::lround(c.height * scale / 2)) * 2);
              a.insert(a.end(), {"-vf", "scale=" + std::to_string(w) + ":" + std::to_string(h) + ":flags=" + e.scaler});
            }
            a.insert(a.end(), {"-c:v", e.codec, "-pix_fmt", pix});
            for (const auto& r : rate_args(e, params.value(e.rate_mode, 0))) a.push_back(r);
            for (const auto& x : split_args(e.extra)) a.push_back(x);
            a.insert(a.end(), {"-fflags", "+bitexact", "-flags:v", "+bitexact", "-map_metadata", "-1", enc});
            VQ_TRY(run_atomic(a, enc, "clip " + c.clip_id + " (encode)"));
          }
          dec.insert(dec.end(), {"-i", (dir / c.encoded).string()});
          std::string vf = "format=" + pix;
          if (scale != 1.0)
            vf = "scale=" + std::to_string(c.width) + ":" + std::to_string(c.height) + ":flags=" + e.scaler + "," + vf;
          dec.insert(dec.end(), {"-vf", vf, "-frames:v", std::to_string(c.frames), "-strict", "-1", "-f",
                                 "yuv4mpegpipe", dis});
        }
        VQ_TRY(run_atomic(dec, dis, "clip " + c.clip_id + " (decode)"));
      }
      VQ_ASSIGN_OR_RETURN(c.ref_sha256, sha256_file(ref));
      VQ_ASSIGN_OR_RETURN(c.dis_sha256, sha256_file(dis));
      tick();
      return {};
    }));

    // 3. corpus.json (per shard when sharded, so shards can share one directory).
    json j;
    j["name"] = m.name;
    j["clips"] = json::array();
    for (const Clip& c : clips) j["clips"].push_back(clip_json(c));
    const std::string name = opt.shard_count > 1 ? "corpus." + std::to_string(opt.shard_index) + "-of-" +
                                                       std::to_string(opt.shard_count) + ".json"
                                                 : "corpus.json";
    unwrap(io::write_file_atomic((dir / name).string(), j.dump(2) + "\n"));
    return clips;
  });
}

Result<std::vector<Clip>> read_corpus(const std::string& dir) {
  return guard([&] {
    std::vector<std::string> files;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      const std::string n = e.path().filename().string();
      if (n.rfind("corpus", 0) == 0 && e.path().extension() == ".json") files.push_back(e.path().string());
    }
    if (ec) throw Error(Errc::kIo, "cannot list: " + ec.message(), dir);
    if (files.empty()) throw Error(Errc::kIo, "no corpus.json (build the corpus first)", dir);
    std::sort(files.begin(), files.end());
    std::map<std::string, Clip> by_id;
    for (const auto& f : files) {
      json j;
      try {
        j = json::parse(unwrap(io::read_text_file(f)));
      } catch (const json::exception& e) {
        throw Error(Errc::kParse, std::string("not valid JSON: ") + e.what(), f);
      }
      if (!j.contains("clips") || !j["clips"].is_array()) throw Error(Errc::kParse, "missing clips", f);
      for (size_t i = 0; i < j["clips"].size(); ++i) {
        const json& c = j["clips"][i];
        try {
          Clip k;
          k.clip_id = c.at("clip_id");
          k.source_id = c.at("source_id");
          k.ref = c.at("ref");
          k.dis = c.at("dis");
          k.encoded = c.value("encoded", "");
          k.codec = c.value("codec", "");
          k.params_json = c.value("params", json::object()).dump();
          k.scaler = c.value("scaler", "");
          k.failure_mode = c.value("failure_mode", "");
          k.ref_sha256 = c.value("ref_sha256", "");
          k.dis_sha256 = c.value("dis_sha256", "");
          k.width = c.value("width", 0);
          k.height = c.value("height", 0);
          k.bit_depth = c.value("bit_depth", 8);
          k.chroma = c.value("chroma", "420");
          k.frames = c.value("frames", 0);
          by_id[k.clip_id] = std::move(k);
        } catch (const json::exception& e) {
          throw Error(Errc::kParse, e.what(), f, -1, "clips[" + std::to_string(i) + "]");
        }
      }
    }
    std::vector<Clip> out;
    for (auto& [id, c] : by_id) out.push_back(std::move(c));
    return out;
  });
}

Result<std::pair<int, int>> parse_shard(const std::string& text) {
  const size_t slash = text.find('/');
  try {
    if (slash != std::string::npos) {
      const int i = std::stoi(text.substr(0, slash)), n = std::stoi(text.substr(slash + 1));
      if (n >= 1 && i >= 0 && i < n) return std::pair<int, int>{i, n};
    }
  } catch (...) {
  }
  return Error(Errc::kInvalidArgument, "expected I/N with 0 <= I < N, got '" + text + "'", "", -1, "--shard");
}

}  // namespace vqfuse::corpus
