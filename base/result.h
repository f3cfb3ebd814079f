// Errors as values. Every module below src/ returns a Result<T> (or Status)
// instead of printing or exiting; only src/ turns an Error into a message and
// its kind into an exit code (src/cli/exit_codes.h).
//
// An Error always names three things, so a user can act on it:
//   object: what is wrong   ("/etc/adjtime:3", "--date", "/dev/rtc0")
//   cause:  why             ("expected UTC or LOCAL, got 'utc'")
//   fix:    what to do      ("write UTC or LOCAL on line 3")
// and rendered it reads: "/etc/adjtime:3: expected UTC or LOCAL, got 'utc' (write UTC or LOCAL on line 3)".
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>


namespace rtcal {

// What sort of failure an Error is; the CLI maps each kind to an exit code.
enum class ErrorKind : int {
  failure,    // a runtime failure: a device, file, network or permission problem
  usage,      // the request is wrong: unknown option, bad date, missing argument
  bad_state,  // a state file (adjtime, measurement log, sim file) is malformed
  refused,    // refused as unsafe: implausible correction, step too large, bad history
};

struct Error {
  ErrorKind kind = ErrorKind::failure;
  std::string object;
  std::string cause;
  std::string fix;

  // "object: cause (fix)", the form every rtcal message takes after "rtcal: ".
  std::string message() const {
    std::string text = object.empty() ? cause : object + ": " + cause;
    if (!fix.empty()) text += " (" + fix + ")";
    return text;
  }
};

// Shorthands for the common kinds.
inline Error failure(std::string object, std::string cause, std::string fix) {
  return Error{ErrorKind::failure, std::move(object), std::move(cause), std::move(fix)};
}
inline Error usage_error(std::string object, std::string cause, std::string fix) {
  return Error{ErrorKind::usage, std::move(object), std::move(cause), std::move(fix)};
}
inline Error bad_state(std::string object, std::string cause, std::string fix) {
  return Error{ErrorKind::bad_state, std::move(object), std::move(cause), std::move(fix)};
}
inline Error refused(std::string object, std::string cause, std::string fix) {
  return Error{ErrorKind::refused, std::move(object), std::move(cause), std::move(fix)};
}

// A value or an Error. Check ok() before value(); value() on an error asserts.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}   // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Success or an Error, for operations that return nothing.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}  // NOLINT: implicit by design
  static Status success() { return Status(); }

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { assert(!ok()); return *error_; }

 private:
  std::optional<Error> error_;
};

// strerror(err), thread-safely: the cause of a failed system call.
std::string errno_text(int err);

}  // namespace rtcal
