// Shared test helpers: temporary directories, synthetic Y4M files, running the CLI.
#pragma once

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "vqfuse/frame.hpp"

namespace vqfuse::test {

// A fresh directory under the system temp dir, removed with its contents at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Sample generator: (frame, plane, x, y) -> value.
using SampleFn = std::function<uint16_t(int frame, int plane, int x, int y)>;

// Writes a Y4M file with the given geometry; `extra_header` is appended to the header line.
void write_y4m(const std::string& path, const VideoInfo& info, int frames, const SampleFn& fn,
               const std::string& extra_header = "");
// Writes the same frames as raw planar YUV.
void write_yuv(const std::string& path, const VideoInfo& info, int frames, const SampleFn& fn);
std::string y4m_colorspace(const VideoInfo& info);  // "420jpeg", "444p10" ...

VideoInfo make_info(int w, int h, int bit_depth = 8, Chroma c = Chroma::k420);

// Deterministic pseudo-random content: a smooth gradient plus noise.
SampleFn noise_fn(uint64_t seed, int bit_depth, int amplitude = 20);

struct CliResult {
  int rc = -1;
  std::string out;
  std::string err;
};
// Runs build/vqfuse with the arguments (shell-quoted here), capturing stdout and stderr.
CliResult run_cli(const std::vector<std::string>& args);

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& data);
bool file_exists(const std::string& path);
// Directory of the golden data, or "" (tests skip unless CI=true).
std::string shared_dir();
bool in_ci();

}  // namespace vqfuse::test
