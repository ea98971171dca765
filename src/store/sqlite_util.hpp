// Thin RAII wrappers over the SQLite C API; failures throw Error(kStore) naming the database.
#pragma once

#include <sqlite3.h>

#include <cmath>
#include <string>

#include "vqfuse/error.hpp"

namespace vqfuse::store {

class Db {
 public:
  Db() = default;
  ~Db() {
    if (db_) sqlite3_close_v2(db_);
  }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void open(const std::string& path, bool create) {
    path_ = path;
    const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) fail("cannot open");
    sqlite3_extended_result_codes(db_, 1);
  }
  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "error";
      sqlite3_free(err);
      throw Error(Errc::kStore, msg, path_);
    }
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw Error(Errc::kStore, what + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory"), path_);
  }
  sqlite3* get() { return db_; }
  const std::string& path() const { return path_; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

class Stmt {
 public:
  Stmt(Db& db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &st_, nullptr) != SQLITE_OK) db.fail("bad statement");
  }
  ~Stmt() { sqlite3_finalize(st_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  void bind(int i, const std::string& v) { check(sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT)); }
  void bind(int i, int64_t v) { check(sqlite3_bind_int64(st_, i, v)); }
  // NaN is stored as NULL and read back as NaN.
  void bind_real_or_null(int i, double v) {
    check(std::isnan(v) ? sqlite3_bind_null(st_, i) : sqlite3_bind_double(st_, i, v));
  }
  // Returns true for a row, false when done.
  bool step() {
    const int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    db_.fail("query failed");
  }
  void reset() {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
  }
  int64_t int64(int c) { return sqlite3_column_int64(st_, c); }
  double real(int c) { return sqlite3_column_double(st_, c); }
  bool is_null(int c) { return sqlite3_column_type(st_, c) == SQLITE_NULL; }
  std::string text(int c) {
    const unsigned char* t = sqlite3_column_text(st_, c);
    return t ? std::string(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_column_bytes(st_, c))) : "";
  }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK) db_.fail("bind failed");
  }
  Db& db_;
  sqlite3_stmt* st_ = nullptr;
};

class Transaction {
 public:
  explicit Transaction(Db& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
  ~Transaction() {
    if (!done_) {
      try {
        db_.exec("ROLLBACK");
      } catch (...) {
      }
    }
  }
  void commit() {
    db_.exec("COMMIT");
    done_ = true;
  }

 private:
  Db& db_;
  bool done_ = false;
};

}  // namespace vqfuse::store
