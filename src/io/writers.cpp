#include "io/writers.hpp"

#include <cstdio>
#include <cstring>

#include "core/format.hpp"
#include "io/file.hpp"

namespace vqfuse::io {
namespace {

Result<void> put(std::FILE* f, const std::string& s, const std::string& path) {
  if (!s.empty() && std::fwrite(s.data(), 1, s.size(), f) != s.size())
    return Error(Errc::kIo, "write failed (disk full?)", path);
  return {};
}

class WriterBase : public FrameSink {
 public:
  explicit WriterBase(std::string path) : path_(std::move(path)) {}

 protected:
  std::string path_;
  AtomicOutput out_;
};

// JSON: frames are streamed to a scratch file (fps, which precedes them, is known only at the
// end), then copied after the header.
class JsonWriter final : public WriterBase {
 public:
  using WriterBase::WriterBase;
  ~JsonWriter() override {
    if (body_) std::fclose(body_);
  }

  Result<void> begin(const RunInfo& info) override {
    VQ_TRY(out_.open(path_));
    body_ = std::tmpfile();
    if (!body_) return Error(Errc::kIo, "cannot create a temporary file", path_);
    names_.clear();
    for (const auto& c : info.columns) {
      std::string n = "        ";
      append_json_string(n, c.name);
      n += ": ";
      names_.push_back(std::move(n));
    }
    return {};
  }

  Result<void> frame(int64_t index, std::span<const double> v) override {
    std::string s = first_ ? "\n" : ",\n";
    first_ = false;
    s += "    {\n      \"frameNum\": " + std::to_string(index) + ",\n      \"metrics\": {\n";
    for (size_t c = 0; c < v.size(); ++c) {
      s += names_[c];
      append_double(s, v[c]);
      s += c + 1 < v.size() ? ",\n" : "\n";
    }
    s += "      }\n    }";
    return put(body_, s, path_);
  }

  Result<void> end(const RunInfo& info, const RunSummary& sum) override {
    std::string head = "{\n  \"version\": ";
    append_json_string(head, version_string());
    head += ",\n  \"fps\": ";
    append_double(head, std::round(sum.fps * 100) / 100);
    head += ",\n  \"frames\": [";
    VQ_TRY(put(out_.get(), head, path_));
    // Copy the streamed frames.
    std::fflush(body_);
    std::rewind(body_);
    char buf[1 << 16];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, body_)) > 0)
      if (std::fwrite(buf, 1, n, out_.get()) != n) return Error(Errc::kIo, "write failed (disk full?)", path_);
    std::string tail = "\n  ],\n  \"pooled_metrics\": {";
    for (size_t c = 0; c < info.columns.size(); ++c) {
      const Pooled& p = sum.pooled[c];
      tail += c ? ",\n    " : "\n    ";
      append_json_string(tail, info.columns[c].name);
      tail += ": {\n      \"min\": ";
      append_double(tail, p.min);
      tail += ",\n      \"max\": ";
      append_double(tail, p.max);
      tail += ",\n      \"mean\": ";
      append_double(tail, p.mean);
      tail += ",\n      \"harmonic_mean\": ";
      append_double(tail, p.harmonic_mean);
      tail += "\n    }";
    }
    tail += "\n  },\n  \"aggregate_metrics\": {";
    for (size_t c = 0; c < info.aggregate_columns.size(); ++c) {
      tail += c ? ",\n    " : "\n    ";
      append_json_string(tail, info.aggregate_columns[c].name);
      tail += ": ";
      append_double(tail, sum.aggregate[c]);
    }
    tail += "\n  }";
    if (!info.skipped.empty()) {
      tail += ",\n  \"skipped_features\": [";
      for (size_t i = 0; i < info.skipped.size(); ++i) {
        const SkippedFeature& s = info.skipped[i];
        tail += i ? ",\n    {\"extractor\": " : "\n    {\"extractor\": ";
        append_json_string(tail, s.extractor);
        tail += ", \"features\": [";
        for (size_t k = 0; k < s.names.size(); ++k) {
          if (k) tail += ", ";
          append_json_string(tail, s.names[k]);
        }
        tail += "], \"reason\": ";
        append_json_string(tail, s.reason);
        tail += "}";
      }
      tail += "\n  ]";
    }
    tail += "\n}\n";
    VQ_TRY(put(out_.get(), tail, path_));
    return out_.commit();
  }

 private:
  std::FILE* body_ = nullptr;
  std::vector<std::string> names_;
  bool first_ = true;
};

class CsvWriter final : public WriterBase {
 public:
  using WriterBase::WriterBase;
  Result<void> begin(const RunInfo& info) override {
    VQ_TRY(out_.open(path_));
    std::string h = "Frame,";
    for (const auto& c : info.columns) h += c.name + ",";
    h += "\n";
    return put(out_.get(), h, path_);
  }
  Result<void> frame(int64_t index, std::span<const double> v) override {
    std::string s = std::to_string(index) + ",";
    for (double x : v) {
      append_double(s, x);
      s += ",";
    }
    s += "\n";
    return put(out_.get(), s, path_);
  }
  Result<void> end(const RunInfo&, const RunSummary&) override { return out_.commit(); }
};

class XmlWriter final : public WriterBase {
 public:
  using WriterBase::WriterBase;
  ~XmlWriter() override {
    if (body_) std::fclose(body_);
  }
  Result<void> begin(const RunInfo& info) override {
    VQ_TRY(out_.open(path_));
    body_ = std::tmpfile();
    if (!body_) return Error(Errc::kIo, "cannot create a temporary file", path_);
    names_.clear();
    for (const auto& c : info.columns) names_.push_back(c.name);
    return {};
  }
  Result<void> frame(int64_t index, std::span<const double> v) override {
    std::string s = "    <frame frameNum=\"" + std::to_string(index) + "\" ";
    for (size_t c = 0; c < v.size(); ++c) {
      s += names_[c] + "=\"";
      append_double(s, v[c]);
      s += "\" ";
    }
    s += "/>\n";
    return put(body_, s, path_);
  }
  Result<void> end(const RunInfo& info, const RunSummary& sum) override {
    std::string head = std::string("<VMAF version=\"") + version_string() + "\">\n";
    head += "  <params qualityWidth=\"" + std::to_string(info.video.width) + "\" qualityHeight=\"" +
            std::to_string(info.video.height) + "\" />\n";
    char fps[64];
    std::snprintf(fps, sizeof fps, "%.2f", sum.fps);
    head += std::string("  <fyi fps=\"") + fps + "\" />\n  <frames>\n";
    VQ_TRY(put(out_.get(), head, path_));
    std::fflush(body_);
    std::rewind(body_);
    char buf[1 << 16];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, body_)) > 0)
      if (std::fwrite(buf, 1, n, out_.get()) != n) return Error(Errc::kIo, "write failed (disk full?)", path_);
    std::string tail = "  </frames>\n  <pooled_metrics>\n";
    for (size_t c = 0; c < info.columns.size(); ++c) {
      const Pooled& p = sum.pooled[c];
      tail += "    <metric name=\"" + info.columns[c].name + "\" min=\"";
      append_double(tail, p.min);
      tail += "\" max=\"";
      append_double(tail, p.max);
      tail += "\" mean=\"";
      append_double(tail, p.mean);
      tail += "\" harmonic_mean=\"";
      append_double(tail, p.harmonic_mean);
      tail += "\" />\n";
    }
    tail += "  </pooled_metrics>\n  <aggregate_metrics ";
    for (size_t c = 0; c < info.aggregate_columns.size(); ++c) {
      tail += info.aggregate_columns[c].name + "=\"";
      append_double(tail, sum.aggregate[c]);
      tail += "\" ";
    }
    tail += "/>\n</VMAF>\n";
    VQ_TRY(put(out_.get(), tail, path_));
    return out_.commit();
  }

 private:
  std::FILE* body_ = nullptr;
  std::vector<std::string> names_;
};

}  // namespace

std::unique_ptr<FrameSink> make_file_writer(OutputFormat fmt, const std::string& path) {
  switch (fmt) {
    case OutputFormat::kJson: return std::make_unique<JsonWriter>(path);
    case OutputFormat::kCsv: return std::make_unique<CsvWriter>(path);
    case OutputFormat::kXml: return std::make_unique<XmlWriter>(path);
  }
  return nullptr;
}

std::string summary_text(const RunInfo& info, const RunSummary& sum) {
  std::string s = "vqfuse: " + std::to_string(sum.frames) + " frames, " + info.video.describe();
  char buf[96];
  std::snprintf(buf, sizeof buf, ", %.2f fps, %d thread%s, %s\n", sum.fps, info.threads,
                info.threads == 1 ? "" : "s", info.simd_target.c_str());
  s += buf;
  size_t width = 0;
  for (const auto& c : info.columns) width = std::max(width, c.name.size());
  for (size_t c = 0; c < info.columns.size(); ++c) {
    std::snprintf(buf, sizeof buf, "  %-*s %14.6f\n", static_cast<int>(width), info.columns[c].name.c_str(),
                  sum.pooled[c].mean);
    s += buf;
  }
  for (size_t c = 0; c < info.aggregate_columns.size(); ++c) {
    std::snprintf(buf, sizeof buf, "  %-*s %14.6f (aggregate)\n", static_cast<int>(width),
                  info.aggregate_columns[c].name.c_str(), sum.aggregate[c]);
    s += buf;
  }
  for (const auto& sk : info.skipped) s += "  skipped " + sk.extractor + ": " + sk.reason + "\n";
  return s;
}

const char* version_string() { return VQFUSE_VERSION; }

}  // namespace vqfuse::io
