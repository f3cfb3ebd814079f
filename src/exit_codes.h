// rtcal's exit codes: the one place they are defined. The README's "Exit
// status" table lists the same numbers; a test keeps the two in step.
//
// When rtcal runs as `hwclock` or `clock` (drop-in mode) every failure exits
// 1, as util-linux hwclock does, so boot scripts see the codes they expect.
#pragma once

namespace rtcal {

enum class ExitCode : int {
  ok = 0,         // did what was asked (or, with --dry-run, showed it)
  failure = 1,    // a runtime failure: a device, file, network or permission problem
  usage = 2,      // the command line is wrong: unknown option, bad date, missing argument
  bad_state = 3,  // a state file (adjtime, measurement log, sim file) is malformed
  refused = 4,    // refused as unsafe: implausible correction, step too large, bad history
};

inline constexpr int as_int(ExitCode code) { return static_cast<int>(code); }

}  // namespace rtcal
