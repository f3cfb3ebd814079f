// What every command gets: the global options as given, the output streams,
// and the system clock and RTC they name. Only src/ builds one.
//
// With --rtc sim:FILE the system clock is simulated too (its state lives in
// the same file), so no command with a sim RTC can ever step the real clock.
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "base/lock_file.h"
#include "base/result.h"
#include "rtc/rtc_device.h"
#include "rtc/system_clock.h"
#include "src/cli/exit_codes.h"
#include "state/adjtime.h"

namespace rtcal {

class SimWorld;

struct GlobalOptions {
  std::string adjfile = "/etc/adjtime";
  bool noadjfile = false;
  bool utc = false;        // --utc: the RTC keeps UTC (overrides adjtime line 3)
  bool localtime = false;  // --localtime: the RTC keeps local time
  std::string log_path = "/var/lib/rtcal/measurements.jsonl";
  std::string rtc_spec;    // --rtc: "" (probe), "/dev/rtcN", "sim:FILE"
  bool directisa = false;  // --directisa: CMOS ports 0x70/0x71 (x86)
  bool json = false;
  bool dry_run = false;
  int verbose = 0;
  bool hwclock_output = false;  // drop-in mode: print only what hwclock prints
  std::string hwclock_name = "hwclock";  // drop-in mode: the name in hwclock's messages ("clock")
};

class Context {
 public:
  Context(GlobalOptions options, std::ostream& out, std::ostream& err);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  const GlobalOptions& options() const { return options_; }
  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }

  // The system clock: simulated with --rtc sim:FILE, real otherwise.
  Result<SystemClock*> clock();

  // The RTC named by --rtc / --directisa, or the first /dev/rtc found.
  Result<RtcDevice*> rtc();

  // The RTC scale from --utc/--localtime, else from adjtime line 3.
  // Errors when --noadjfile is given without --utc or --localtime.
  Result<state::RtcScale> scale(const state::Adjtime& adjtime) const;

  // With --rtc sim:FILE, take the sim file's lock for the whole command, so
  // that two commands on one simulated world run one after the other (as
  // two on a real RTC serialise on adjtime's lock). Called before a command
  // runs, so every process takes the sim lock before adjtime's and the log's
  // (one order: no deadlock).
  Status lock_sim();

  // Save simulated state (unless --dry-run). Called once when a command ends.
  Status finish();

  // Verbose diagnostics to stderr when -v was given.
  void note(const std::string& text);

  // Drop-in -v (hwclock --verbose): the lines hwclock 2.38.1 prints before
  // its work, on stdout: "hwclock from rtcal X.Y.Z" and "System Time: S.US"
  // (left out when a named sim world is missing: it has no clock).
  void hwclock_verbose_intro();

  // True once no RTC could be reached (the sim world or /dev/rtc*).
  bool rtc_unreachable() const { return rtc_unreachable_; }

  // Read adjtime as util-linux hwclock does (state/adjtime_hwclock.h),
  // warning about damage instead of refusing: always in drop-in mode, and
  // for the boot command (apply), which must set the clock regardless.
  bool lenient_adjtime() const { return lenient_adjtime_ || options_.hwclock_output; }
  void set_lenient_adjtime() { lenient_adjtime_ = true; }

 private:
  Status open_sim_if_named();
  void no_access_lines();
  void say_rtc_search(const RtcDevice* opened);
  bool say_sim_trying();
  Result<std::unique_ptr<RtcDevice>> open_real_rtc() const;

  GlobalOptions options_;
  std::ostream& out_;
  std::ostream& err_;
  LockFile sim_lock_;
  std::unique_ptr<SimWorld> sim_;
  std::unique_ptr<SystemClock> real_clock_;
  std::unique_ptr<RtcDevice> rtc_;
  bool lenient_adjtime_ = false;
  bool rtc_search_said_ = false;
  bool rtc_unreachable_ = false;  // no_access_lines() was said  // drop-in -v: "Trying to open: ..." printed
};

// The lock of the sim file at `path` (".<name>.lock" beside it), waiting at
// most the default lock timeout. Not held (no error) when the file's
// directory does not exist: opening the file then reports that.
Result<LockFile> lock_sim_file(const std::string& path);

// The current system time: the simulated one with --rtc sim:FILE.
Result<SysTime> now_for(Context& ctx);

}  // namespace rtcal
