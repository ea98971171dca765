#include "vqfuse/error.hpp"

namespace vqfuse {

const char* errc_name(Errc c) {
  switch (c) {
    case Errc::kIo: return "io";
    case Errc::kParse: return "parse";
    case Errc::kUnsupported: return "unsupported";
    case Errc::kMismatch: return "mismatch";
    case Errc::kInvalidArgument: return "invalid argument";
    case Errc::kModel: return "model";
    case Errc::kStore: return "store";
    case Errc::kInternal: return "internal";
  }
  return "unknown";
}

std::string Error::to_string() const {
  std::string s;
  auto part = [&s](const std::string& p) {
    if (p.empty()) return;
    if (!s.empty()) s += ": ";
    s += p;
  };
  part(file);
  if (frame >= 0) part("frame " + std::to_string(frame));
  part(field);
  part(message);
  return s;
}

const char* Error::what() const noexcept {
  try {
    what_ = to_string();
  } catch (...) {
    return message.c_str();
  }
  return what_.c_str();
}

}  // namespace vqfuse
