// Error handling at the library boundary: Error, Result<T> and the VQ_TRY macros.
//
// Public functions return Result<T>. Deep inside, parsers and kernels may throw vqfuse::Error
// (or std::bad_alloc); one guard() per public entry point turns exceptions into a Result, the
// XGBoost API_BEGIN/API_END idea with libjxl's StatusOr shape.
#pragma once

#include <cstdint>
#include <exception>
#include <new>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace vqfuse {

enum class Errc : uint8_t {
  kIo,               // cannot open/read/write a file
  kParse,            // malformed input (Y4M header, JSON, CSV ...)
  kUnsupported,      // well-formed but not supported (pixel format, size limit ...)
  kMismatch,         // reference and distorted disagree (size, format, frame count)
  kInvalidArgument,  // bad option, unknown feature name
  kModel,            // model / sidecar / ONNX problem
  kStore,            // SQLite store problem
  kInternal,         // a bug
};

const char* errc_name(Errc c);

struct Error : std::exception {
  Errc code = Errc::kInternal;
  std::string message;  // what is wrong, and what to do if it is not obvious
  std::string file;     // "dis.y4m", "vmaf_v0.6.1.json"
  int64_t frame = -1;   // frame index when it applies
  std::string field;    // "FRAME header", "C tag", "feature_names[2]"

  Error() = default;
  Error(Errc c, std::string msg, std::string file_ = {}, int64_t frame_ = -1,
        std::string field_ = {})
      : code(c), message(std::move(msg)), file(std::move(file_)), frame(frame_),
        field(std::move(field_)) {}

  // "file: frame N: field: message" with the empty parts left out.
  std::string to_string() const;
  const char* what() const noexcept override;

 private:
  mutable std::string what_;
};

// A minimal std::expected<T, Error> (g++ 12 has none in C++20).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T v) : v_(std::in_place_index<0>, std::move(v)) {}  // NOLINT: implicit by design
  Result(Error e) : v_(std::in_place_index<1>, std::move(e)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error e) : err_(std::move(e)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { return err_; }
  Error&& error() && { return std::move(err_); }

 private:
  Error err_;
  bool ok_ = true;
};

// Runs fn, turning a thrown Error / bad_alloc / std::exception into an error Result.
template <class Fn>
auto guard(Fn&& fn) -> Result<std::invoke_result_t<Fn>> {
  using T = std::invoke_result_t<Fn>;
  try {
    if constexpr (std::is_void_v<T>) {
      fn();
      return Result<void>();
    } else {
      return Result<T>(fn());
    }
  } catch (const Error& e) {
    return e;
  } catch (const std::bad_alloc&) {
    return Error(Errc::kIo, "out of memory");
  } catch (const std::exception& e) {
    return Error(Errc::kInternal, e.what());
  }
}

// Throws the error of a failed Result (inside the library, where exceptions are allowed).
template <class T>
T unwrap(Result<T>&& r) {
  if (!r.ok()) throw std::move(r).error();
  if constexpr (!std::is_void_v<T>) return std::move(r).value();
}

}  // namespace vqfuse

#define VQ_CONCAT_INNER(a, b) a##b
#define VQ_CONCAT(a, b) VQ_CONCAT_INNER(a, b)

// Returns the error of a failed Result<...> expression from the enclosing function.
#define VQ_TRY(expr)                                          \
  do {                                                        \
    auto&& vq_try_result_ = (expr);                           \
    if (!vq_try_result_.ok()) return std::move(vq_try_result_).error(); \
  } while (0)

#define VQ_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return std::move(tmp).error();  \
  lhs = std::move(tmp).value()

#define VQ_ASSIGN_OR_RETURN(lhs, expr) \
  VQ_ASSIGN_OR_RETURN_IMPL(VQ_CONCAT(vq_result_, __LINE__), lhs, expr)
