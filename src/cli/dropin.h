// Drop-in mode: when rtcal runs as `hwclock` or `clock` (a symlink), the
// classic command lines of util-linux hwclock 2.38.1 and of clock(8) as the
// Clock mini-HOWTO uses it (-r, -w, -s, -a, -u and clusters like -ua) are
// translated into an rtcal command line, run, and the exit code mapped as
// hwclock's: 0 ok, 1 any failure.
//
// The translation is pure (argv and environment in, rtcal argv or a usage
// error out) so it is unit-tested on its own (tests/unit/dropin_test.cc).
// Options are parsed as getopt_long does: clustered short flags, -fDEV and
// -f DEV, --opt=ARG and --opt ARG, unique prefixes of long options, `--`.
//
// Environment (for tests and the lab, honoured only in drop-in mode):
//   RTCAL_RTC      replaces the RTC the command line names (e.g. sim:FILE)
//   RTCAL_ADJFILE  replaces the default /etc/adjtime
//   RTCAL_LOG      replaces the default measurement log
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace rtcal {

struct DropinEnv {
  std::string rtc;      // RTCAL_RTC
  std::string adjfile;  // RTCAL_ADJFILE
  std::string log;      // RTCAL_LOG
};

struct DropinPlan {
  enum class Action { run, help, version };
  Action action = Action::run;
  std::string function = "show";      // hwclock's function: show, get, set, systohc, ...
  std::vector<std::string> rtcal_args;  // the rtcal command line, without argv[0]
  // clock -a (clock(8) as the Clock mini-HOWTO's rc.local runs it) adjusts
  // the RTC and then sets the system clock from it: this second command line
  // (hctosys) runs after the first whatever it gave. Empty otherwise.
  std::vector<std::string> then_args;
  std::vector<std::string> warnings;    // printed on stderr before running
  bool test_mode = false;               // --test: "Test mode: nothing was changed." at the end
};

// True when argv[0]'s basename is "hwclock" or "clock".
bool is_dropin_name(std::string_view argv0);

// Translate hwclock's arguments (without argv[0]); `name` is the name rtcal
// was started as ("hwclock" or "clock": clock -a also sets the system clock). Usage errors are what
// hwclock refuses: unknown options, two functions, --set/--predict without
// --date, -u with -l, --noadjfile without -u/-l, --update-drift without
// --set/--systohc, a --delay that is not a non-negative number, extra arguments.
Result<DropinPlan> translate_hwclock_args(const std::vector<std::string>& args, const DropinEnv& env,
                                          std::string_view name = "hwclock");

// The exit code hwclock would give for rtcal's `code` after `function`:
// 0 stays 0; adjust's refusals (no history, factor too large) are 0, as
// hwclock only mentions them with --verbose; everything else is 1.
int dropin_exit_code(int rtcal_code, const std::string& function);

// hwclock's exit code for clock -a's two commands: 1 when the system clock
// could not be set, else adjust's (dropin_exit_code).
int dropin_exit_code_then(int adjust_code, int hctosys_code);

// The usage text for `hwclock --help` in drop-in mode.
std::string dropin_help(std::string_view name);

}  // namespace rtcal
