#include "io/file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vqfuse::io {

namespace {
std::string errno_text() { return std::strerror(errno); }
}  // namespace

Result<void> InputFile::open(const std::string& path) {
  close();
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return Error(Errc::kIo, "cannot open: " + errno_text(), path);
  if (S_ISDIR(st.st_mode)) return Error(Errc::kIo, "is a directory, not a file", path);
  f_ = std::fopen(path.c_str(), "rb");
  if (!f_) return Error(Errc::kIo, "cannot open: " + errno_text(), path);
  size_ = S_ISREG(st.st_mode) ? static_cast<long long>(st.st_size) : -1;
  std::setvbuf(f_, nullptr, _IOFBF, 1 << 20);
  return {};
}

void InputFile::close() {
  if (f_) std::fclose(f_);
  f_ = nullptr;
  size_ = -1;
}

size_t InputFile::read(void* dst, size_t n) { return std::fread(dst, 1, n, f_); }

long long InputFile::tell() const { return f_ ? ftello(f_) : -1; }

bool InputFile::seek(long long offset) { return f_ && fseeko(f_, offset, SEEK_SET) == 0; }

AtomicOutput::~AtomicOutput() {
  if (f_ && !is_stdout_) {
    std::fclose(f_);
    ::unlink(tmp_.c_str());
  }
}

Result<void> AtomicOutput::open(const std::string& path) {
  path_ = path;
  if (path == "-") {
    f_ = stdout;
    is_stdout_ = true;
    return {};
  }
  tmp_ = path + ".tmp." + std::to_string(::getpid());
  f_ = std::fopen(tmp_.c_str(), "wb");
  if (!f_) return Error(Errc::kIo, "cannot write: " + errno_text(), path);
  return {};
}

Result<void> AtomicOutput::commit() {
  if (!f_) return Error(Errc::kInternal, "commit without open", path_);
  if (is_stdout_) {
    std::fflush(f_);
    f_ = nullptr;
    return {};
  }
  bool ok = std::fflush(f_) == 0 && !std::ferror(f_);
  ok = ok && ::fsync(fileno(f_)) == 0;
  const std::string why = errno_text();
  ok = (std::fclose(f_) == 0) && ok;
  f_ = nullptr;
  if (!ok) {
    ::unlink(tmp_.c_str());
    return Error(Errc::kIo, "write failed: " + why, path_);
  }
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    const std::string e = errno_text();
    ::unlink(tmp_.c_str());
    return Error(Errc::kIo, "cannot rename temporary file into place: " + e, path_);
  }
  return {};
}

Result<std::string> read_text_file(const std::string& path, size_t max_bytes) {
  InputFile f;
  VQ_TRY(f.open(path));
  std::string out;
  char buf[1 << 16];
  size_t n;
  while ((n = f.read(buf, sizeof buf)) > 0) {
    out.append(buf, n);
    if (out.size() > max_bytes)
      return Error(Errc::kParse, "file is larger than " + std::to_string(max_bytes) + " bytes", path);
  }
  if (f.error()) return Error(Errc::kIo, "read error", path);
  return out;
}

Result<void> write_file_atomic(const std::string& path, const std::string& data) {
  AtomicOutput out;
  VQ_TRY(out.open(path));
  if (std::fwrite(data.data(), 1, data.size(), out.get()) != data.size())
    return Error(Errc::kIo, "write failed", path);
  return out.commit();
}

}  // namespace vqfuse::io
