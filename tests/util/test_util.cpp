#include "test_util.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace vqfuse::test {

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "vqfuse_test_XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

VideoInfo make_info(int w, int h, int bit_depth, Chroma c) {
  VideoInfo v;
  v.width = w;
  v.height = h;
  v.bit_depth = bit_depth;
  v.chroma = c;
  return v;
}

std::string y4m_colorspace(const VideoInfo& v) {
  std::string base;
  switch (v.chroma) {
    case Chroma::k400: base = "mono"; break;
    case Chroma::k420: base = v.bit_depth == 8 ? "420jpeg" : "420"; break;
    case Chroma::k422: base = "422"; break;
    case Chroma::k444: base = "444"; break;
  }
  if (v.bit_depth > 8) base += v.chroma == Chroma::k400 ? std::to_string(v.bit_depth) : "p" + std::to_string(v.bit_depth);
  return base;
}

namespace {
void write_frame(std::ostream& os, const VideoInfo& info, int f, const SampleFn& fn) {
  std::vector<char> row;
  for (int p = 0; p < info.plane_count(); ++p) {
    const int w = info.plane_width(p), h = info.plane_height(p);
    for (int y = 0; y < h; ++y) {
      row.clear();
      for (int x = 0; x < w; ++x) {
        const uint16_t v = fn(f, p, x, y);
        row.push_back(static_cast<char>(v & 0xff));
        if (info.bit_depth > 8) row.push_back(static_cast<char>(v >> 8));
      }
      os.write(row.data(), static_cast<std::streamsize>(row.size()));
    }
  }
}
}  // namespace

void write_y4m(const std::string& path, const VideoInfo& info, int frames, const SampleFn& fn,
               const std::string& extra_header) {
  std::ofstream os(path, std::ios::binary);
  os << "YUV4MPEG2 W" << info.width << " H" << info.height << " F25:1 Ip A1:1 C" << y4m_colorspace(info)
     << extra_header << "\n";
  for (int f = 0; f < frames; ++f) {
    os << "FRAME\n";
    write_frame(os, info, f, fn);
  }
}

void write_yuv(const std::string& path, const VideoInfo& info, int frames, const SampleFn& fn) {
  std::ofstream os(path, std::ios::binary);
  for (int f = 0; f < frames; ++f) write_frame(os, info, f, fn);
}

SampleFn noise_fn(uint64_t seed, int bit_depth, int amplitude) {
  const int maxv = (1 << bit_depth) - 1;
  const int amp = amplitude << (bit_depth - 8);
  return [=](int f, int p, int x, int y) -> uint16_t {
    uint64_t h = seed * 0x9E3779B97F4A7C15ull ^ (uint64_t(f) << 48) ^ (uint64_t(p) << 40) ^
                 (uint64_t(y) << 20) ^ uint64_t(x);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    const int base = ((x * 3 + y * 5 + f * 7 + p * 50) % 200 + 28) << (bit_depth - 8);
    const int v = base + static_cast<int>(h % static_cast<uint64_t>(2 * amp + 1)) - amp;
    return static_cast<uint16_t>(std::clamp(v, 0, maxv));
  };
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const std::string& path, const std::string& data) {
  std::ofstream os(path, std::ios::binary);
  os << data;
}

bool file_exists(const std::string& path) { return std::filesystem::exists(path); }

namespace {
std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') q += "'\\''";
    else q += c;
  }
  return q + "'";
}
}  // namespace

CliResult run_cli(const std::vector<std::string>& args) {
  TempDir tmp;
  std::string cmd = quote(VQFUSE_BINARY);
  for (const auto& a : args) cmd += " " + quote(a);
  cmd += " >" + quote(tmp.file("out")) + " 2>" + quote(tmp.file("err"));
  CliResult r;
  const int status = std::system(cmd.c_str());
  r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(tmp.file("out"));
  r.err = read_file(tmp.file("err"));
  return r;
}

std::string shared_dir() {
  const std::string d = VQFUSE_SHARED_DIR;
  return std::filesystem::exists(d + "/golden") ? d : "";
}

bool in_ci() {
  const char* ci = std::getenv("CI");
  return ci && std::string(ci) == "true";
}

}  // namespace vqfuse::test
