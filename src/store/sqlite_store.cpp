// SQLite feature store.
//
// WAL journal, synchronous=NORMAL: a committed clip survives a process crash (SIGKILL) and the
// writer never blocks readers. The file carries application_id 'vqfs' and a meta row, so a
// foreign SQLite file is recognised and refused before anything is written to it.
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>

#include "store/sqlite_util.hpp"
#include "vqfuse/store.hpp"

namespace vqfuse::store {

namespace {
constexpr int kApplicationId = 0x76716673;  // 'vqfs'
constexpr int kSchemaVersion = 1;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources(
  source_id TEXT PRIMARY KEY, path TEXT, kind TEXT, sha256 TEXT, attrs TEXT);
CREATE TABLE IF NOT EXISTS clips(
  clip_key INTEGER PRIMARY KEY, clip_id TEXT UNIQUE NOT NULL, source_id TEXT NOT NULL, ref_path TEXT, dis_path TEXT,
  ref_sha256 TEXT, dis_sha256 TEXT, codec TEXT, params TEXT, scaler TEXT, failure_mode TEXT,
  tags TEXT, width INTEGER, height INTEGER, bit_depth INTEGER, chroma TEXT, frames INTEGER);
CREATE TABLE IF NOT EXISTS runs(
  run_id INTEGER PRIMARY KEY, started TEXT, vqfuse_version TEXT, command TEXT,
  feature_set TEXT, model_sha256 TEXT);
CREATE TABLE IF NOT EXISTS features(feature_id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL);
CREATE TABLE IF NOT EXISTS clip_features(
  clip_key INTEGER NOT NULL, feature_id INTEGER NOT NULL, run_id INTEGER, frames INTEGER,
  PRIMARY KEY(clip_key, feature_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS frame_values(
  clip_key INTEGER NOT NULL, feature_id INTEGER NOT NULL, frame INTEGER NOT NULL, value REAL,
  PRIMARY KEY(clip_key, feature_id, frame)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS clip_extractors(
  clip_key INTEGER NOT NULL, instance TEXT NOT NULL, run_id INTEGER, PRIMARY KEY(clip_key, instance)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS clip_attrs(
  clip_key INTEGER NOT NULL, name TEXT NOT NULL, value REAL, PRIMARY KEY(clip_key, name)) WITHOUT ROWID;
)sql";

bool looks_like_sqlite(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  char head[16] = {};
  const size_t n = std::fread(head, 1, sizeof head, f);
  std::fclose(f);
  return n == 16 && std::memcmp(head, "SQLite format 3", 16) == 0;
}

}  // namespace

struct Store::Impl {
  Db db;
  int64_t feature_id(const std::string& name) {
    auto it = ids.find(name);
    if (it != ids.end()) return it->second;
    Stmt ins(db, "INSERT OR IGNORE INTO features(name) VALUES(?)");
    ins.bind(1, name);
    ins.step();
    Stmt sel(db, "SELECT feature_id FROM features WHERE name=?");
    sel.bind(1, name);
    sel.step();
    const int64_t id = sel.int64(0);
    ids[name] = id;
    return id;
  }
  std::map<std::string, int64_t> ids;
  // The integer key of a clip; a clip written before its record exists gets a minimal row.
  int64_t clip_key(const std::string& clip_id) {
    Stmt ins(db, "INSERT OR IGNORE INTO clips(clip_id, source_id) VALUES(?, ?)");
    ins.bind(1, clip_id);
    ins.bind(2, clip_id);
    ins.step();
    Stmt sel(db, "SELECT clip_key FROM clips WHERE clip_id=?");
    sel.bind(1, clip_id);
    sel.step();
    return sel.int64(0);
  }
};

Store::Store(std::string path) : path_(std::move(path)), impl_(std::make_unique<Impl>()) {}
Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::open(const std::string& path, bool create) {
  return guard([&]() -> std::unique_ptr<Store> {
    const bool exists = std::filesystem::exists(path);
    if (!exists && !create) throw Error(Errc::kStore, "no such store (create it with an extract --store run)", path);
    if (exists && std::filesystem::file_size(path) > 0 && !looks_like_sqlite(path))
      throw Error(Errc::kStore, "not an SQLite file; refusing to touch it", path);
    std::unique_ptr<Store> s(new Store(path));
    Db& db = s->impl_->db;
    db.open(path, create);
    const bool fresh = !exists || std::filesystem::file_size(path) == 0;
    if (!fresh) {
      Stmt app(db, "PRAGMA application_id");
      app.step();
      if (app.int64(0) != kApplicationId)
        throw Error(Errc::kStore, "an SQLite file that is not a vqfuse store; refusing to modify it", path);
      Stmt check(db, "PRAGMA quick_check");
      check.step();
      if (check.text(0) != "ok")
        throw Error(Errc::kStore, "store is corrupt (quick_check: " + check.text(0) + ")", path);
      Stmt ver(db, "SELECT value FROM meta WHERE key='schema_version'");
      if (!ver.step() || std::stoi(ver.text(0)) > kSchemaVersion)
        throw Error(Errc::kStore, "store schema is newer than this vqfuse understands", path);
    }
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA synchronous=NORMAL");
    db.exec("PRAGMA busy_timeout=10000");
    if (fresh) {
      db.exec("BEGIN IMMEDIATE");
      db.exec("PRAGMA application_id=" + std::to_string(kApplicationId));
      db.exec(kSchema);
      db.exec("INSERT OR REPLACE INTO meta VALUES('application','vqfuse'),('schema_version','" +
              std::to_string(kSchemaVersion) + "')");
      db.exec("COMMIT");
    }
    return s;
  });
}

Result<int64_t> Store::begin_run(const RunRecord& r) {
  return guard([&]() -> int64_t {
    Stmt st(impl_->db,
            "INSERT INTO runs(started, vqfuse_version, command, feature_set, model_sha256) "
            "VALUES(datetime('now'), ?, ?, ?, ?)");
    st.bind(1, r.vqfuse_version);
    st.bind(2, r.command);
    st.bind(3, r.feature_set);
    st.bind(4, r.model_sha256);
    st.step();
    return sqlite3_last_insert_rowid(impl_->db.get());
  });
}

Result<void> Store::upsert_source(const SourceRecord& s) {
  return guard([&] {
    Stmt st(impl_->db, "INSERT OR REPLACE INTO sources VALUES(?,?,?,?,?)");
    st.bind(1, s.source_id);
    st.bind(2, s.path);
    st.bind(3, s.kind);
    st.bind(4, s.sha256);
    st.bind(5, s.attrs_json);
    st.step();
  });
}

Result<void> Store::upsert_clip(const ClipRecord& c) {
  return guard([&] {
    // An upsert keeps the clip's integer key (REPLACE would renumber it).
    Stmt st(impl_->db,
            "INSERT INTO clips(clip_id, source_id, ref_path, dis_path, ref_sha256, dis_sha256, codec, "
            "params, scaler, failure_mode, tags, width, height, bit_depth, chroma, frames) "
            "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(clip_id) DO UPDATE SET "
            "source_id=excluded.source_id, ref_path=excluded.ref_path, dis_path=excluded.dis_path, "
            "ref_sha256=excluded.ref_sha256, dis_sha256=excluded.dis_sha256, codec=excluded.codec, "
            "params=excluded.params, scaler=excluded.scaler, failure_mode=excluded.failure_mode, "
            "tags=excluded.tags, width=excluded.width, height=excluded.height, "
            "bit_depth=excluded.bit_depth, chroma=excluded.chroma, frames=excluded.frames");
    int i = 1;
    for (const std::string* v : {&c.clip_id, &c.source_id, &c.ref_path, &c.dis_path, &c.ref_sha256,
                                 &c.dis_sha256, &c.codec, &c.params_json, &c.scaler, &c.failure_mode,
                                 &c.tags_json})
      st.bind(i++, *v);
    st.bind(i++, int64_t{c.width});
    st.bind(i++, int64_t{c.height});
    st.bind(i++, int64_t{c.bit_depth});
    st.bind(i++, c.chroma);
    st.bind(i++, c.frames);
    st.step();
  });
}

namespace {
constexpr const char* kClipColumns =
    "clip_id, source_id, ref_path, dis_path, ref_sha256, dis_sha256, codec, params, scaler, "
    "failure_mode, tags, width, height, bit_depth, chroma, frames";

ClipRecord read_clip_row(Stmt& st) {
  ClipRecord c;
  int i = 0;
  for (std::string* v : {&c.clip_id, &c.source_id, &c.ref_path, &c.dis_path, &c.ref_sha256, &c.dis_sha256,
                         &c.codec, &c.params_json, &c.scaler, &c.failure_mode, &c.tags_json})
    *v = st.text(i++);
  c.width = static_cast<int>(st.int64(i++));
  c.height = static_cast<int>(st.int64(i++));
  c.bit_depth = static_cast<int>(st.int64(i++));
  c.chroma = st.text(i++);
  c.frames = st.int64(i++);
  return c;
}
}  // namespace

Result<std::optional<ClipRecord>> Store::clip(const std::string& clip_id) {
  return guard([&]() -> std::optional<ClipRecord> {
    Stmt st(impl_->db, std::string("SELECT ") + kClipColumns + " FROM clips WHERE clip_id=?");
    st.bind(1, clip_id);
    if (!st.step()) return std::nullopt;
    return read_clip_row(st);
  });
}

Result<std::vector<ClipRecord>> Store::clips() {
  return guard([&] {
    std::vector<ClipRecord> out;
    Stmt st(impl_->db, std::string("SELECT ") + kClipColumns + " FROM clips ORDER BY clip_id");
    while (st.step()) out.push_back(read_clip_row(st));
    return out;
  });
}

Result<std::set<std::string>> Store::complete_features(const std::string& clip_id) {
  return guard([&] {
    std::set<std::string> out;
    Stmt st(impl_->db,
            "SELECT f.name FROM clip_features c JOIN features f USING(feature_id) JOIN clips k "
            "USING(clip_key) WHERE k.clip_id=?");
    st.bind(1, clip_id);
    while (st.step()) out.insert(st.text(0));
    return out;
  });
}

Result<std::set<std::string>> Store::complete_instances(const std::string& clip_id) {
  return guard([&] {
    std::set<std::string> out;
    Stmt st(impl_->db,
            "SELECT instance FROM clip_extractors JOIN clips USING(clip_key) WHERE clip_id=?");
    st.bind(1, clip_id);
    while (st.step()) out.insert(st.text(0));
    return out;
  });
}

Result<void> Store::write_clip(const std::string& clip_id, int64_t run_id, const FeatureMatrix& m,
                               const std::vector<std::string>& instances) {
  return guard([&] {
    Db& db = impl_->db;
    Transaction tx(db);
    const int64_t key = impl_->clip_key(clip_id);
    std::vector<int64_t> ids;
    for (const auto& c : m.info.columns) ids.push_back(impl_->feature_id(c.name));
    Stmt del(db, "DELETE FROM frame_values WHERE clip_key=? AND feature_id=?");
    Stmt ins(db, "INSERT INTO frame_values VALUES(?,?,?,?)");
    Stmt mark(db, "INSERT OR REPLACE INTO clip_features VALUES(?,?,?,?)");
    for (size_t c = 0; c < ids.size(); ++c) {
      del.reset();
      del.bind(1, key);
      del.bind(2, ids[c]);
      del.step();
      for (size_t r = 0; r < m.rows.size(); ++r) {
        ins.reset();
        ins.bind(1, key);
        ins.bind(2, ids[c]);
        ins.bind(3, m.frame_index[r]);
        ins.bind_real_or_null(4, m.rows[r][c]);
        ins.step();
      }
      mark.reset();
      mark.bind(1, key);
      mark.bind(2, ids[c]);
      mark.bind(3, run_id);
      mark.bind(4, static_cast<int64_t>(m.rows.size()));
      mark.step();
    }
    Stmt inst(db, "INSERT OR REPLACE INTO clip_extractors VALUES(?,?,?)");
    for (const std::string& instance : instances) {
      inst.reset();
      inst.bind(1, key);
      inst.bind(2, instance);
      inst.bind(3, run_id);
      inst.step();
    }
    tx.commit();
  });
}

Result<void> Store::write_clip_attrs(const std::map<std::string, std::map<std::string, double>>& attrs) {
  return guard([&] {
    Transaction tx(impl_->db);
    Stmt st(impl_->db, "INSERT OR REPLACE INTO clip_attrs VALUES(?,?,?)");
    for (const auto& [clip, kv] : attrs) {
      const int64_t key = impl_->clip_key(clip);
      for (const auto& [k, v] : kv) {
        st.reset();
        st.bind(1, key);
        st.bind(2, k);
        st.bind_real_or_null(3, v);
        st.step();
      }
    }
    tx.commit();
  });
}

Result<FrameTable> Store::read_table(const std::vector<std::string>& features) {
  return guard([&] {
    Db& db = impl_->db;
    FrameTable t;
    std::map<int64_t, size_t> col_of;
    {
      Stmt st(db, "SELECT feature_id, name FROM features ORDER BY feature_id");
      std::vector<std::pair<int64_t, std::string>> all;
      while (st.step()) all.emplace_back(st.int64(0), st.text(1));
      if (features.empty()) {
        for (const auto& [id, name] : all) {
          col_of[id] = t.columns.size();
          t.columns.push_back(name);
        }
      } else {
        for (const std::string& want : features) {
          auto it = std::find_if(all.begin(), all.end(), [&](const auto& p) { return p.second == want; });
          if (it == all.end()) throw Error(Errc::kInvalidArgument, "feature '" + want + "' is not in the store", path_);
          col_of[it->first] = t.columns.size();
          t.columns.push_back(want);
        }
      }
    }
    // Rows are keyed (clip, frame); the scan follows the primary key (no sort), each clip's
    // frames map to rows through a small vector.
    std::map<std::string, std::vector<int64_t>> row_of;
    struct ClipMeta {
      std::string id, source, failure_mode;
    };
    std::map<int64_t, ClipMeta> clip_meta;
    {
      Stmt cm(db, "SELECT clip_key, clip_id, source_id, failure_mode FROM clips");
      while (cm.step()) clip_meta[cm.int64(0)] = {cm.text(1), cm.text(2), cm.text(3)};
    }
    Stmt st(db, "SELECT clip_key, feature_id, frame, value FROM frame_values");
    int64_t last_key = -1;
    std::vector<int64_t>* rows = nullptr;
    const ClipMeta* meta = nullptr;
    while (st.step()) {
      auto it = col_of.find(st.int64(1));
      if (it == col_of.end()) continue;
      const int64_t key = st.int64(0);
      if (!rows || key != last_key) {
        meta = &clip_meta[key];
        rows = &row_of[meta->id];
        last_key = key;
      }
      const int64_t frame = st.int64(2);
      if (frame < 0) continue;
      if (static_cast<size_t>(frame) >= rows->size()) rows->resize(static_cast<size_t>(frame) + 1, -1);
      int64_t& r = (*rows)[static_cast<size_t>(frame)];
      if (r < 0) {
        r = static_cast<int64_t>(t.values.size());
        t.clip_id.push_back(meta->id);
        t.source_id.push_back(meta->source);
        t.failure_mode.push_back(meta->failure_mode);
        t.frame.push_back(frame);
        t.values.emplace_back(t.columns.size(), std::nan(""));
      }
      t.values[static_cast<size_t>(r)][it->second] = st.is_null(3) ? std::nan("") : st.real(3);
    }
    // Order rows by (clip, frame).
    std::vector<size_t> order;
    for (const auto& [clip, v] : row_of)
      for (int64_t r : v)
        if (r >= 0) order.push_back(static_cast<size_t>(r));
    FrameTable sorted;
    sorted.columns = t.columns;
    for (size_t r : order) {
      sorted.clip_id.push_back(std::move(t.clip_id[r]));
      sorted.source_id.push_back(std::move(t.source_id[r]));
      sorted.failure_mode.push_back(std::move(t.failure_mode[r]));
      sorted.frame.push_back(t.frame[r]);
      sorted.values.push_back(std::move(t.values[r]));
    }
    t = std::move(sorted);
    Stmt attrs(db, "SELECT clip_id, name, value FROM clip_attrs JOIN clips USING(clip_key)");
    while (attrs.step()) t.clip_attrs[attrs.text(0)][attrs.text(1)] = attrs.is_null(2) ? std::nan("") : attrs.real(2);
    return t;
  });
}

Result<void> Store::merge_from(const std::string& other_path) {
  return guard([&] {
    // Validate the other store first (refuses foreign or corrupt files).
    { unwrap(Store::open(other_path, false)); }
    Db& db = impl_->db;
    Stmt attach(db, "ATTACH DATABASE ? AS other");
    attach.bind(1, other_path);
    attach.step();
    try {
      Transaction tx(db);
      db.exec("INSERT OR IGNORE INTO features(name) SELECT name FROM other.features");
      db.exec("INSERT OR REPLACE INTO sources SELECT * FROM other.sources");
      db.exec(
          "INSERT INTO clips(clip_id, source_id, ref_path, dis_path, ref_sha256, dis_sha256, codec, params, "
          "scaler, failure_mode, tags, width, height, bit_depth, chroma, frames) "
          "SELECT clip_id, source_id, ref_path, dis_path, ref_sha256, dis_sha256, codec, params, scaler, "
          "failure_mode, tags, width, height, bit_depth, chroma, frames FROM other.clips WHERE true "
          "ON CONFLICT(clip_id) DO UPDATE SET source_id=excluded.source_id, ref_path=excluded.ref_path, "
          "dis_path=excluded.dis_path, ref_sha256=excluded.ref_sha256, dis_sha256=excluded.dis_sha256, "
          "codec=excluded.codec, params=excluded.params, scaler=excluded.scaler, "
          "failure_mode=excluded.failure_mode, tags=excluded.tags, width=excluded.width, "
          "height=excluded.height, bit_depth=excluded.bit_depth, chroma=excluded.chroma, frames=excluded.frames");
      // Keys of the other store mapped to ours through clip ids and feature names.
      db.exec(
          "CREATE TEMP TABLE ck AS SELECT o.clip_key AS okey, c.clip_key AS key FROM other.clips o "
          "JOIN clips c ON c.clip_id = o.clip_id");
      db.exec(
          "CREATE TEMP TABLE fk AS SELECT o.feature_id AS oid, f.feature_id AS id FROM other.features o "
          "JOIN features f ON f.name = o.name");
      db.exec("INSERT OR REPLACE INTO clip_attrs SELECT ck.key, a.name, a.value FROM other.clip_attrs a "
              "JOIN ck ON ck.okey = a.clip_key");
      db.exec("INSERT OR REPLACE INTO clip_extractors SELECT ck.key, e.instance, NULL FROM other.clip_extractors e "
              "JOIN ck ON ck.okey = e.clip_key");
      // Runs keep their own ids; a run already merged (same start and command) is not repeated.
      db.exec(
          "INSERT INTO runs(started, vqfuse_version, command, feature_set, model_sha256) "
          "SELECT started, vqfuse_version, command, feature_set, model_sha256 FROM other.runs o "
          "WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.started=o.started AND r.command=o.command)");
      db.exec(
          "INSERT OR REPLACE INTO frame_values SELECT ck.key, fk.id, v.frame, v.value FROM other.frame_values v "
          "JOIN ck ON ck.okey = v.clip_key JOIN fk ON fk.oid = v.feature_id");
      db.exec(
          "INSERT OR REPLACE INTO clip_features SELECT ck.key, fk.id, NULL, c.frames FROM other.clip_features c "
          "JOIN ck ON ck.okey = c.clip_key JOIN fk ON fk.oid = c.feature_id");
      db.exec("DROP TABLE temp.ck");
      db.exec("DROP TABLE temp.fk");
      tx.commit();
    } catch (...) {
      try {
        db.exec("DROP TABLE IF EXISTS temp.ck");
        db.exec("DROP TABLE IF EXISTS temp.fk");
        db.exec("DETACH DATABASE other");
      } catch (...) {
      }
      throw;
    }
    db.exec("DETACH DATABASE other");
    impl_->ids.clear();
  });
}

Result<int64_t> Store::count_values() {
  return guard([&] {
    Stmt st(impl_->db, "SELECT COUNT(*) FROM frame_values");
    st.step();
    return st.int64(0);
  });
}

Result<std::string> Store::dump() {
  return guard([&] {
    std::string out;
    Db& db = impl_->db;
    auto dump_query = [&](const char* title, const char* sql, int cols) {
      out += std::string("# ") + title + "\n";
      Stmt st(db, sql);
      while (st.step()) {
        for (int c = 0; c < cols; ++c) {
          if (c) out += '|';
          out += st.is_null(c) ? "NULL" : st.text(c);
        }
        out += '\n';
      }
    };
    dump_query("sources", "SELECT * FROM sources ORDER BY source_id", 5);
    dump_query("clips", (std::string("SELECT ") + kClipColumns + " FROM clips ORDER BY clip_id").c_str(), 16);
    dump_query("values",
               "SELECT k.clip_id, f.name, v.frame, quote(v.value) FROM frame_values v JOIN features f "
               "USING(feature_id) JOIN clips k USING(clip_key) ORDER BY k.clip_id, f.name, v.frame",
               4);
    dump_query("complete",
               "SELECT k.clip_id, f.name, c.frames FROM clip_features c JOIN features f USING(feature_id) "
               "JOIN clips k USING(clip_key) ORDER BY k.clip_id, f.name",
               3);
    dump_query("instances",
               "SELECT k.clip_id, e.instance FROM clip_extractors e JOIN clips k USING(clip_key) "
               "ORDER BY k.clip_id, e.instance",
               2);
    dump_query("attrs",
               "SELECT k.clip_id, a.name, quote(a.value) FROM clip_attrs a JOIN clips k USING(clip_key) "
               "ORDER BY k.clip_id, a.name",
               3);
    return out;
  });
}

Result<void> StoreSink::end(const RunInfo& info, const RunSummary& s) {
  VQ_TRY(m_.end(info, s));
  return store_.write_clip(clip_id_, run_id_, m_, instances_);
}

int FrameTable::column(const std::string& name) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return static_cast<int>(i);
  return -1;
}

}  // namespace vqfuse::store
