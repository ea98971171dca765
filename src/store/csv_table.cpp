// CSV feature tables: import into the store, export from it, and direct reading for analysis.
// Plain or gzip-compressed (.gz, through zlib). Fields may be quoted ("a,b"); an empty field is
// a missing value. A column's type is decided by its first data row; a later non-number in a
// numeric column is an error naming the line and column.
#include <zlib.h>

#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "core/format.hpp"
#include "vqfuse/features.hpp"
#include "io/file.hpp"
#include "vqfuse/store.hpp"

namespace vqfuse::store {
namespace {

class LineReader {
 public:
  explicit LineReader(const std::string& path) : path_(path) {
    gz_ = gzopen(path.c_str(), "rb");  // reads plain files too
    if (!gz_) throw Error(Errc::kIo, "cannot open", path);
    gzbuffer(gz_, 1 << 18);
  }
  ~LineReader() {
    if (gz_) gzclose(gz_);
  }
  bool next(std::string& line) {
    line.clear();
    char buf[1 << 14];
    while (gzgets(gz_, buf, sizeof buf)) {
      line += buf;
      if (!line.empty() && line.back() == '\n') break;
    }
    int err = 0;
    gzerror(gz_, &err);
    if (err != Z_OK && err != Z_STREAM_END) throw Error(Errc::kParse, "corrupt or truncated gzip data", path_);
    if (line.empty()) return false;
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    ++line_no_;
    return true;
  }
  int64_t line_no() const { return line_no_; }

 private:
  std::string path_;
  gzFile gz_ = nullptr;
  int64_t line_no_ = 0;
};

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cur += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cur += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(std::move(cur));
  return out;
}

bool parse_number(const std::string& s, double& v) {
  if (s.empty()) {
    v = std::nan("");
    return true;
  }
  if (s == "nan" || s == "NaN" || s == "null") {
    v = std::nan("");
    return true;
  }
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

// A parsed CSV: per-column numeric values or text, decided by the first data row.
struct ParsedCsv {
  std::vector<std::string> header;
  std::vector<bool> numeric;
  std::vector<std::vector<double>> num;       // per numeric column
  std::vector<std::vector<std::string>> text; // per text column
  size_t rows = 0;
};

ParsedCsv parse_csv(const std::string& path, const std::set<std::string>& force_text) {
  LineReader in(path);
  ParsedCsv p;
  std::string line;
  if (!in.next(line)) throw Error(Errc::kParse, "empty file (no header row)", path);
  p.header = split_csv(line);
  const size_t n = p.header.size();
  std::set<std::string> seen;
  for (const auto& h : p.header) {
    if (h.empty()) throw Error(Errc::kParse, "empty column name in the header", path, -1, "line 1");
    if (!seen.insert(h).second) throw Error(Errc::kParse, "duplicate column '" + h + "'", path, -1, "line 1");
  }
  p.num.resize(n);
  p.text.resize(n);
  while (in.next(line)) {
    if (line.empty()) continue;
    std::vector<std::string> f = split_csv(line);
    const std::string where = "line " + std::to_string(in.line_no());
    if (f.size() != n)
      throw Error(Errc::kParse,
                  "expected " + std::to_string(n) + " fields, got " + std::to_string(f.size()), path, -1, where);
    if (p.rows == 0) {
      p.numeric.resize(n);
      for (size_t c = 0; c < n; ++c) {
        double v;
        p.numeric[c] = !force_text.count(p.header[c]) && parse_number(f[c], v) && !f[c].empty();
      }
    }
    for (size_t c = 0; c < n; ++c) {
      if (p.numeric[c]) {
        double v;
        if (!parse_number(f[c], v))
          throw Error(Errc::kParse, "column '" + p.header[c] + "': '" + f[c] + "' is not a number", path, -1, where);
        p.num[c].push_back(v);
      } else {
        p.text[c].push_back(std::move(f[c]));
      }
    }
    ++p.rows;
  }
  if (p.rows == 0) throw Error(Errc::kParse, "no data rows", path);
  return p;
}

int find_col(const ParsedCsv& p, const std::string& name) {
  for (size_t c = 0; c < p.header.size(); ++c)
    if (p.header[c] == name) return static_cast<int>(c);
  return -1;
}

std::string cell_text(const ParsedCsv& p, int c, size_t r) {
  if (c < 0) return "";
  if (!p.numeric[static_cast<size_t>(c)]) return p.text[static_cast<size_t>(c)][r];
  const double v = p.num[static_cast<size_t>(c)][r];
  if (std::isnan(v)) return "";
  const double i = std::floor(v);
  return i == v && std::fabs(v) < 1e15 ? std::to_string(static_cast<long long>(i)) : format_double(v);
}

// Numeric columns that become features (renamed), in file order.
std::vector<std::pair<int, std::string>> value_columns(const ParsedCsv& p, const ImportOptions& o,
                                                       const std::set<int>& key_cols) {
  std::vector<std::pair<int, std::string>> out;
  for (size_t c = 0; c < p.header.size(); ++c) {
    if (!p.numeric[c] || key_cols.count(static_cast<int>(c))) continue;
    const std::string& name = p.header[c];
    if (!o.only.empty() && std::find(o.only.begin(), o.only.end(), name) == o.only.end()) continue;
    auto r = o.rename.find(name);
    out.emplace_back(static_cast<int>(c), r == o.rename.end() ? name : r->second);
  }
  return out;
}

// Key columns read as text even when they look numeric (ids); the frame column stays numeric.
std::set<std::string> key_names(const ImportOptions& o) { return {o.id_column, o.source_column}; }

// In a per-frame table, a numeric column that is constant within every clip and is not a
// registry feature name is clip metadata (width, fps, bitrate ...), stored as a clip attribute.
bool constant_per_clip(const ParsedCsv& p, int c, const std::map<std::string, std::vector<size_t>>& rows_of) {
  if (find_feature(p.header[static_cast<size_t>(c)])) return false;
  const auto& v = p.num[static_cast<size_t>(c)];
  for (const auto& [clip, rows] : rows_of)
    for (size_t r : rows) {
      const double a = v[r], b = v[rows.front()];
      if (!(a == b || (std::isnan(a) && std::isnan(b)))) return false;
    }
  return true;
}

}  // namespace

Result<FrameTable> read_csv_table(const std::string& path, const ImportOptions& o) {
  return guard([&] {
    const ParsedCsv p = parse_csv(path, key_names(o));
    const int id = find_col(p, o.id_column);
    if (id < 0) throw Error(Errc::kParse, "missing column '" + o.id_column + "'", path, -1, "line 1");
    const int fr = o.frame_column.empty() ? -1 : find_col(p, o.frame_column);
    if (!o.frame_column.empty() && fr < 0)
      throw Error(Errc::kParse, "missing column '" + o.frame_column + "'", path, -1, "line 1");
    const int src = find_col(p, o.source_column);
    const int fm = find_col(p, "failure_mode");
    const auto cols = value_columns(p, o, {id, fr, src});
    if (cols.empty()) throw Error(Errc::kParse, "no numeric columns", path);
    FrameTable t;
    for (const auto& [c, name] : cols) t.columns.push_back(name);
    for (size_t r = 0; r < p.rows; ++r) {
      t.clip_id.push_back(cell_text(p, id, r));
      t.source_id.push_back(src >= 0 ? cell_text(p, src, r) : t.clip_id.back());
      t.failure_mode.push_back(cell_text(p, fm, r));
      // (numeric checked first: a text column has no numbers to index)
      const bool frame_numeric = fr < 0 || p.numeric[static_cast<size_t>(fr)];
      const double frame = fr >= 0 && frame_numeric ? p.num[static_cast<size_t>(fr)][r] : 0;
      if (fr >= 0 && (!frame_numeric || std::isnan(frame)))
        throw Error(Errc::kParse, "column '" + o.frame_column + "' must be a frame number", path, -1,
                    "line " + std::to_string(r + 2));
      t.frame.push_back(static_cast<int64_t>(frame));
      std::vector<double> row;
      for (const auto& [c, name] : cols) row.push_back(p.num[static_cast<size_t>(c)][r]);
      t.values.push_back(std::move(row));
    }
    return t;
  });
}

Result<ImportSummary> import_csv(Store& store, const std::string& path, const ImportOptions& o) {
  return guard([&] {
    const ParsedCsv p = parse_csv(path, key_names(o));
    const int id = find_col(p, o.id_column);
    if (id < 0) throw Error(Errc::kParse, "missing column '" + o.id_column + "'", path, -1, "line 1");
    const int fr = o.frame_column.empty() ? -1 : find_col(p, o.frame_column);
    if (!o.frame_column.empty() && fr < 0)
      throw Error(Errc::kParse, "missing column '" + o.frame_column + "' (use --per-clip for per-clip tables)",
                  path, -1, "line 1");
    const int src = find_col(p, o.source_column);
    if (fr >= 0 && !p.numeric[static_cast<size_t>(fr)])
      throw Error(Errc::kParse, "column '" + o.frame_column + "' must hold frame numbers", path, -1, "line 2");
    auto cols = value_columns(p, o, {id, fr, src});
    ImportSummary sum;
    sum.rows = static_cast<int64_t>(p.rows);
    // Group rows by clip, in first-seen order.
    std::vector<std::string> order;
    std::map<std::string, std::vector<size_t>> rows_of;
    for (size_t r = 0; r < p.rows; ++r) {
      const std::string clip = cell_text(p, id, r);
      if (clip.empty()) throw Error(Errc::kParse, "empty " + o.id_column, path, -1, "line " + std::to_string(r + 2));
      auto [it, fresh] = rows_of.try_emplace(clip);
      if (fresh) order.push_back(clip);
      it->second.push_back(r);
    }
    sum.clips = static_cast<int64_t>(order.size());
    std::vector<std::pair<int, std::string>> meta_cols;
    if (fr >= 0) {
      std::vector<std::pair<int, std::string>> keep;
      for (auto& c : cols) (constant_per_clip(p, c.first, rows_of) ? meta_cols : keep).push_back(c);
      cols = std::move(keep);
    }
    auto existing = unwrap(store.clips());
    std::map<std::string, ClipRecord> known;
    for (auto& c : existing) known[c.clip_id] = c;
    for (const std::string& clip : order) {
      const size_t r0 = rows_of[clip].front();
      ClipRecord rec = known.count(clip) ? known[clip] : ClipRecord{};
      rec.clip_id = clip;
      if (src >= 0) rec.source_id = cell_text(p, src, r0);
      if (rec.source_id.empty()) rec.source_id = clip;
      std::string tags = "{";
      for (size_t c = 0; c < p.header.size(); ++c) {
        if (p.numeric[c] || static_cast<int>(c) == id || static_cast<int>(c) == src) continue;
        if (p.header[c] == "failure_mode") rec.failure_mode = p.text[c][r0];
        if (tags.size() > 1) tags += ",";
        append_json_string(tags, p.header[c]);
        tags += ":";
        append_json_string(tags, p.text[c][r0]);
      }
      tags += "}";
      if (tags.size() > 2) rec.tags_json = tags;
      if (fr >= 0) rec.frames = static_cast<int64_t>(rows_of[clip].size());
      unwrap(store.upsert_clip(rec));
      if (!known.count(clip)) {
        SourceRecord s;
        s.source_id = rec.source_id;
        s.kind = "imported";
        s.path = path;
        unwrap(store.upsert_source(s));
      }
    }
    if (fr >= 0) {
      const int64_t run = unwrap(store.begin_run({VQFUSE_VERSION, "store import --csv " + path, "imported", ""}));
      for (const std::string& clip : order) {
        FeatureMatrix m;
        for (const auto& [c, name] : cols) m.info.columns.push_back({name, FeatureId{}, false});
        for (size_t r : rows_of[clip]) {
          const double f = p.num[static_cast<size_t>(fr)][r];
          if (std::isnan(f)) throw Error(Errc::kParse, "missing frame number", path, -1, "line " + std::to_string(r + 2));
          m.frame_index.push_back(static_cast<int64_t>(f));
          std::vector<double> row;
          for (const auto& [c, name] : cols) row.push_back(p.num[static_cast<size_t>(c)][r]);
          m.rows.push_back(std::move(row));
        }
        unwrap(store.write_clip(clip, run, m));
      }
      for (const auto& [c, name] : cols) sum.feature_columns.push_back(name);
      std::map<std::string, std::map<std::string, double>> attrs;
      for (const std::string& clip : order)
        for (const auto& [c, name] : meta_cols) attrs[clip][name] = p.num[static_cast<size_t>(c)][rows_of[clip].front()];
      if (!meta_cols.empty()) unwrap(store.write_clip_attrs(attrs));
      for (const auto& [c, name] : meta_cols) sum.attr_columns.push_back(name);
    } else {
      std::map<std::string, std::map<std::string, double>> attrs;
      for (const std::string& clip : order)
        for (const auto& [c, name] : cols) attrs[clip][name] = p.num[static_cast<size_t>(c)][rows_of[clip].front()];
      unwrap(store.write_clip_attrs(attrs));
      for (const auto& [c, name] : cols) sum.attr_columns.push_back(name);
    }
    return sum;
  });
}

Result<void> export_csv(const FrameTable& t, const std::string& path) {
  return guard([&] {
    std::set<std::string> attr_names;
    for (const auto& [clip, kv] : t.clip_attrs)
      for (const auto& [k, v] : kv) attr_names.insert(k);
    std::string out = "clip_id,source_id,failure_mode,frame";
    for (const auto& c : t.columns) out += "," + csv_field(c);
    for (const auto& a : attr_names) out += "," + csv_field(a);
    out += "\n";
    for (size_t r = 0; r < t.values.size(); ++r) {
      out += csv_field(t.clip_id[r]) + "," + csv_field(t.source_id[r]) + "," + csv_field(t.failure_mode[r]) +
             "," + std::to_string(t.frame[r]);
      for (double v : t.values[r]) {
        out += ",";
        if (!std::isnan(v)) append_double(out, v);
      }
      auto it = t.clip_attrs.find(t.clip_id[r]);
      for (const auto& a : attr_names) {
        out += ",";
        if (it != t.clip_attrs.end()) {
          auto v = it->second.find(a);
          if (v != it->second.end() && !std::isnan(v->second)) append_double(out, v->second);
        }
      }
      out += "\n";
    }
    unwrap(io::write_file_atomic(path, out));
  });
}

}  // namespace vqfuse::store
