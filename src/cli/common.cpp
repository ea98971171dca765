#include "cli/common.hpp"

#include <unistd.h>

#include <cstdio>

namespace vqfuse::cli {

int report(const Error& e) {
  std::fprintf(stderr, "vqfuse: error: %s\n", e.to_string().c_str());
  return exit_code(e.code);
}

void warn(const std::string& msg) { std::fprintf(stderr, "vqfuse: warning: %s\n", msg.c_str()); }

Progress::Progress(std::string what, bool quiet)
    : what_(std::move(what)), quiet_(quiet), tty_(::isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()), last_(start_) {}

void Progress::update(int64_t done, int64_t total, const std::string& unit) {
  if (quiet_) return;
  const auto now = std::chrono::steady_clock::now();
  const double since = std::chrono::duration<double>(now - last_).count();
  if (since < (tty_ ? 0.25 : 10.0)) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
  char eta[48] = "";
  if (total > 0 && rate > 0)
    std::snprintf(eta, sizeof eta, ", ETA %.0f s", static_cast<double>(total - done) / rate);
  char buf[256];
  if (total > 0) {
    const int width = 24;
    const int fill = static_cast<int>(static_cast<double>(width) * static_cast<double>(done) / static_cast<double>(total));
    std::string bar(static_cast<size_t>(std::min(fill, width)), '#');
    bar.resize(width, '.');
    std::snprintf(buf, sizeof buf, "%s [%s] %lld/%lld %s, %.1f %s/s%s", what_.c_str(), bar.c_str(),
                  static_cast<long long>(done), static_cast<long long>(total), unit.c_str(), rate,
                  unit.c_str(), eta);
  } else {
    std::snprintf(buf, sizeof buf, "%s: %lld %s, %.1f %s/s", what_.c_str(), static_cast<long long>(done),
                  unit.c_str(), rate, unit.c_str());
  }
  if (tty_) {
    std::fprintf(stderr, "\r\033[K%s", buf);
    drawn_ = true;
  } else {
    std::fprintf(stderr, "vqfuse: %s\n", buf);
  }
}

void Progress::finish() {
  if (drawn_) std::fprintf(stderr, "\r\033[K");
  drawn_ = false;
}

}  // namespace vqfuse::cli
