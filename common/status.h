// Status and Result<T>: how every module reports failure. A Status carries a domain code (never an
// HTTP status: only http/ maps codes to statuses), OpenSearch's exception name for the error body
// (e.g. "mapper_parsing_exception"), a human reason, and the index it concerns when there is one.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace sift {

enum class Code {
  kOk,
  kInvalidArgument,    // bad request: wrong parameter, bad value, validation failure
  kParseError,         // malformed JSON / body
  kNotFound,           // index, document, alias, template missing
  kAlreadyExists,      // index exists, create of an existing doc
  kVersionConflict,    // optimistic concurrency failure
  kResourceExhausted,  // queue full, memory budget, disk floor: retry later
  kTooLarge,           // request body over the limit
  kUnavailable,        // shard not ready, closed
  kCorruption,         // checksum mismatch, unreadable file
  kIOError,            // the operating system refused
  kTimeout,
  kInternal,
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string type, std::string reason)
      : code_(code), type_(std::move(type)), reason_(std::move(reason)) {}

  static Status ok() { return Status(); }
  bool is_ok() const { return code_ == Code::kOk; }
  explicit operator bool() const { return is_ok(); }

  Code code() const { return code_; }
  const std::string& type() const { return type_; }
  const std::string& reason() const { return reason_; }
  const std::string& index() const { return index_; }
  int shard() const { return shard_; }
  Status& with_shard(int shard) & {
    shard_ = shard;
    return *this;
  }
  Status&& with_index(std::string index) && {
    index_ = std::move(index);
    return std::move(*this);
  }
  Status& with_index(std::string index) & {
    index_ = std::move(index);
    return *this;
  }
  std::string to_string() const { return type_ + ": " + reason_; }

 private:
  Code code_ = Code::kOk;
  std::string type_;
  std::string reason_;
  std::string index_;
  int shard_ = -1;
};

// Shorthands for the common OpenSearch exception types.
inline Status invalid_argument(std::string reason) {
  return Status(Code::kInvalidArgument, "illegal_argument_exception", std::move(reason));
}
inline Status parse_error(std::string reason) {
  return Status(Code::kParseError, "parse_exception", std::move(reason));
}
inline Status io_error(std::string reason) {
  return Status(Code::kIOError, "io_exception", std::move(reason));
}
inline Status corruption(std::string reason) {
  return Status(Code::kCorruption, "corrupt_index_exception", std::move(reason));
}
inline Status internal_error(std::string reason) {
  return Status(Code::kInternal, "exception", std::move(reason));
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT

  bool is_ok() const { return v_.index() == 0; }
  explicit operator bool() const { return is_ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Status& status() const {
    static const Status kOk;
    return is_ok() ? kOk : std::get<1>(v_);
  }
  Status take_status() && { return is_ok() ? Status() : std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace sift

#define SIFT_CONCAT_INNER(a, b) a##b
#define SIFT_CONCAT(a, b) SIFT_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function when it is not ok.
#define SIFT_RETURN_IF_ERROR(expr)              \
  do {                                          \
    ::sift::Status sift_status_ = (expr);       \
    if (!sift_status_.is_ok()) return sift_status_; \
  } while (0)

// `SIFT_ASSIGN_OR_RETURN(auto x, f());` binds the value or returns the error.
#define SIFT_ASSIGN_OR_RETURN(lhs, expr) \
  SIFT_ASSIGN_OR_RETURN_IMPL(SIFT_CONCAT(sift_result_, __LINE__), lhs, expr)
#define SIFT_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.is_ok()) return std::move(tmp).take_status(); \
  lhs = std::move(tmp).value()

// Programmer errors only, never user input.
#define SIFT_ASSERT(cond)                                                          \
  do {                                                                             \
    if (!(cond)) ::sift::assert_failed(#cond, __FILE__, __LINE__);                 \
  } while (0)

namespace sift {
[[noreturn]] void assert_failed(const char* cond, const char* file, int line);
}
