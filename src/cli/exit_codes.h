// rtcal's exit codes: the one place they are defined. The README's "Exit
// status" table lists the same numbers; a test keeps the two in step.
//
// When rtcal runs as `hwclock` or `clock` (drop-in mode) every failure exits
// 1, as util-linux hwclock does, so boot scripts see the codes they expect.
#pragma once

#include "base/result.h"

namespace rtcal {

enum class ExitCode : int {
  ok = 0,         // did what was asked (or, with --dry-run, showed it)
  failure = 1,    // a runtime failure: a device, file, network or permission problem
  usage = 2,      // the command line is wrong: unknown option, bad date, missing argument
  bad_state = 3,  // a state file (adjtime, measurement log, sim file) is malformed
  refused = 4,    // refused as unsafe: implausible correction, step too large, bad history
};

inline constexpr int as_int(ExitCode code) { return static_cast<int>(code); }

// The exit code of each kind of error (base/result.h), and back: the only
// place an error's kind becomes a process's exit status.
inline constexpr ExitCode exit_code_of(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::failure: return ExitCode::failure;
    case ErrorKind::usage: return ExitCode::usage;
    case ErrorKind::bad_state: return ExitCode::bad_state;
    case ErrorKind::refused: return ExitCode::refused;
  }
  return ExitCode::failure;
}
inline constexpr ErrorKind error_kind_of(ExitCode code) {
  switch (code) {
    case ExitCode::usage: return ErrorKind::usage;
    case ExitCode::bad_state: return ErrorKind::bad_state;
    case ExitCode::refused: return ErrorKind::refused;
    default: return ErrorKind::failure;
  }
}

}  // namespace rtcal
