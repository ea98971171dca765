// Helpers for fuzz targets: the input as a file path (readers take paths) through memfd.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <string>

namespace vqfuse::fuzz {

class MemFile {
 public:
  MemFile(const uint8_t* data, size_t size) {
    fd_ = memfd_create("vqfuse_fuzz", 0);
    if (fd_ >= 0) {
      size_t off = 0;
      while (off < size) {
        const ssize_t n = ::write(fd_, data + off, size - off);
        if (n <= 0) break;
        off += static_cast<size_t>(n);
      }
    }
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  ~MemFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

}  // namespace vqfuse::fuzz
