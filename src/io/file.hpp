// Small RAII wrappers around stdio for readers and writers.
#pragma once

#include <cstdio>
#include <string>

#include "vqfuse/error.hpp"

namespace vqfuse::io {

class InputFile {
 public:
  InputFile() = default;
  ~InputFile() { close(); }
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  Result<void> open(const std::string& path);
  void close();
  // Reads up to n bytes; returns the count (short only at end of file).
  size_t read(void* dst, size_t n);
  int getc() { return std::getc(f_); }
  // Size of a regular file in bytes, or -1 (pipe, device).
  long long size() const { return size_; }
  long long tell() const;
  bool seek(long long offset);
  bool error() const { return f_ && std::ferror(f_); }
  std::FILE* get() { return f_; }

 private:
  std::FILE* f_ = nullptr;
  long long size_ = -1;
};

// Output that appears under its final name only when complete: data goes to "<path>.tmp.<pid>",
// commit() flushes, fsyncs and renames; destruction without commit() removes the temporary file.
// A failed run therefore never leaves a file that looks complete.
class AtomicOutput {
 public:
  AtomicOutput() = default;
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  Result<void> open(const std::string& path);  // "-" writes to stdout, no temporary file
  std::FILE* get() { return f_; }
  Result<void> commit();
  const std::string& path() const { return path_; }

 private:
  std::FILE* f_ = nullptr;
  std::string path_;
  std::string tmp_;
  bool is_stdout_ = false;
};

// Reads a whole (small) file: model JSON, sidecars, manifests.
Result<std::string> read_text_file(const std::string& path, size_t max_bytes = size_t{256} << 20);
// Writes a whole file atomically.
Result<void> write_file_atomic(const std::string& path, const std::string& data);

}  // namespace vqfuse::io
