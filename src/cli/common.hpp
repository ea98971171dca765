// Shared CLI helpers: error printing, progress on stderr.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "cli/exit_codes.hpp"

namespace vqfuse::cli {

// Prints "vqfuse: error: <file>: frame <n>: <field>: <what>" and returns the exit code.
int report(const Error& e);
void warn(const std::string& msg);

// A progress line on a terminal (\r-updated), or a plain line every few seconds otherwise.
class Progress {
 public:
  Progress(std::string what, bool quiet);
  void update(int64_t done, int64_t total, const std::string& unit = "frames");
  void finish();

 private:
  std::string what_;
  bool quiet_;
  bool tty_;
  std::chrono::steady_clock::time_point start_, last_;
  bool drawn_ = false;
};

}  // namespace vqfuse::cli
