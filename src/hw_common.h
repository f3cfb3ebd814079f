// What the hwclock-like commands (show, set, systohc, hctosys, systz, adjust)
// share: reading the RTC as a point in time on its scale (UTC or LOCAL),
// opening adjtime for a change (a locked transaction, or a plain read for
// --dry-run and --noadjfile), setting the RTC on the seconds edge and knowing
// by how much it stepped, recording that step in the measurement log, and
// printing in rtcal's words or, in drop-in mode, as quietly as hwclock.
//
// Sign conventions: RTC error = RTC minus true time (+ = fast); a step's
// amount = the RTC's new reading minus the reading it would have shown.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "rtc/precise.h"
#include "src/cmd_common.h"
#include "state/adjtime_file.h"
#include "state/measurement_log.h"

namespace rtcal {

// The RTC and the system clock of a command (both simulated with --rtc sim:FILE).
struct HwDevices {
  RtcDevice* rtc = nullptr;
  SystemClock* clock = nullptr;
};
Result<HwDevices> hw_devices(Context& ctx);

// One reading of the RTC.
struct RtcReading {
  EdgeReading edge;       // the fields, and the system time when they were read
  int64_t rtc_unix_s = 0;  // the fields as a point in time on the RTC's scale
  bool at_edge = true;     // false with --fast: whole seconds, phase unknown (±1 s)
  int zone_offset_s = 0;   // the fields minus rtc_unix_s (the UTC offset for LOCAL)
  // LOCAL fields skipped or repeated by a DST change: how they were read
  // (rtc_scale.h); warn_reading() tells the user.
  std::string scale_note;

  // The RTC minus the system clock when read, in true seconds (+ = RTC ahead).
  double rtc_minus_system_s() const;
};

// Read at the seconds edge (or, `fast`, without waiting) and place on `scale`;
// `edge_timeout` bounds each edge wait.
Result<RtcReading> read_rtc(const HwDevices& dev, state::RtcScale scale, bool fast = false,
                            Nanos edge_timeout = kDefaultEdgeTimeout);

// In drop-in mode with -v, first hwclock's lines for the read ("Waiting for
// clock tick...", "Time read from Hardware Clock: ..." ...) on stdout.
// Tell the user how a reading was taken when that was a guess (scale_note):
// "rtcal: warning: ..." on stderr; in drop-in mode only with -v, as hwclock
// is silent there (OpenRC takes stderr output for a failure).
void warn_reading(Context& ctx, const RtcReading& reading);

// The adjtime file opened for a command that may change it: under the lock
// (state::AdjtimeTransaction) normally, a plain read with --dry-run, nothing
// with --noadjfile (defaults, and commit() writes nothing).
class AdjtimeAccess {
 public:
  static Result<std::unique_ptr<AdjtimeAccess>> open(Context& ctx);

  const state::Adjtime& values() const { return values_; }
  const std::string& path() const { return path_; }

  // Line 3 said UTC or LOCAL; the file was damaged (read as hwclock does,
  // in drop-in mode and apply; see Context::lenient_adjtime).
  bool scale_known() const { return meta_.scale_known; }
  bool damaged() const { return meta_.damaged; }

  // Make sure commit() can write, before a clock is changed: the temp file
  // beside adjtime with its room reserved, and for a damaged file a copy of
  // it as "<file>.damaged" (nothing with --dry-run or --noadjfile).
  Status prepare(Context& ctx);

  // Write `next` unless --noadjfile or --dry-run; say what changed (a diff)
  // with -v or --dry-run. Unchanged bytes are not written.
  Status commit(Context& ctx, const state::Adjtime& next);

 private:
  std::unique_ptr<state::AdjtimeTransaction> transaction_;
  state::Adjtime values_;
  std::string path_;
  std::string original_text_;
  AdjtimeMeta meta_;
  bool backed_up_ = false;
};

// Everything a change of the RTC will write afterwards, made sure of before
// the RTC or the system clock is touched (so a read-only or full /etc or
// /var stops the command with nothing changed): adjtime's prepare() and
// room to append to the measurement log. Nothing with --dry-run.
Status prepare_rtc_write(Context& ctx, AdjtimeAccess& access);

// adjtime's line 3 after a set/systohc/adjust: --utc/--localtime win, as in hwclock.
state::RtcScale scale_after_change(const Context& ctx, state::RtcScale current);

// Options shared by the commands that write the RTC.
struct WriteOptions {
  std::optional<double> delay_s;  // --delay
  bool update_drift = false;      // --update-drift (set, systohc)
  // For a command with a time budget (apply, 1.2 s): write once, taking a
  // write up to this late (the lateness is in the step logged), without
  // timing the RTC's first edge after it or putting a late or misplaced write
  // off to the next second. nullopt: set_on_edge's timed, re-tried write.
  std::optional<double> write_once_within_s;
};

// Check --delay: any non-negative number of seconds (as hwclock), up to a day.
Status check_delay(const WriteOptions& options);

// What setting the RTC did (or, with --dry-run, would do).
struct RtcWrite {
  bool done = false;       // false: --dry-run, nothing written
  RtcTime written;         // fields written (dry-run: those it would show at the edge read)
  SysTime system_at_write{};
  double lateness_s = 0.0;  // the RTC ends this far behind the target
  // lateness_s was measured at the RTC's first edge after the write (a verified
  // write) rather than being the write's own lateness.
  bool first_edge_timed = false;
  // The RTC kept its sub-second phase (rtc_cmos on AMD/Hygon): lateness_s is
  // the measured residual no write could remove; adjtime records it.
  bool phase_kept = false;
  std::optional<double> step_s;  // new minus old reading; none when the old was unreadable
  // The old reading was whole seconds (not at its edge): the step lies in
  // [step_s - 1 s, step_s], and the log gets a reset that says so.
  bool step_to_second = false;
  double delay_s = 0.0;  // the delay used (hwclock's --delay; 0.5 s for rtc_cmos)
  // The step is known to the millisecond: logged as a step record.
  bool step_exact() const { return step_s && !step_to_second; }
};

// "between -0.812 and +0.188 s": the range of a step whose old reading was
// whole seconds (RtcWrite::step_to_second), upper end `step_s`.
std::string step_range_text(double step_s);

// The RTC's fields (as UTC) that keep the true time `wanted(system time)`
// on `scale`: for LOCAL, shifted by the zone's offset at that true time (so
// a correction across a DST change lands in the right hour).
RtcTarget target_on_scale(std::function<SysTime(SysTime)> wanted, state::RtcScale scale);

// Set the RTC so that its value follows `target` (system time -> the RTC's
// fields as UTC), on the seconds edge; `before` is the reading taken first
// (none: the RTC held no valid time). With --dry-run only compute.
Result<RtcWrite> write_rtc(Context& ctx, const HwDevices& dev, const RtcTarget& target,
                           const std::optional<RtcReading>& before, const WriteOptions& options);

// In drop-in mode with -v, hwclock's lines for a set (set_hardware_clock_exact,
// set_hardware_clock) on stdout: "Using delay: 0.500000 seconds" and
// "Setting Hardware Clock to HH:MM:SS = N seconds since 1969".
void say_hwclock_write(Context& ctx, const RtcWrite& write, state::RtcScale scale);

// Append a step (or, without a known amount, a reset) record for `write`;
// --dry-run prints the record instead. `reason` is the command name.
Status record_write(Context& ctx, const RtcWrite& write, const std::string& reason);

// After the RTC was written: log the step (record_write) and save `next` to
// adjtime, each tried even when the other failed (a full /var must not keep
// /etc/adjtime from learning of the set). On a failure, reports each error
// and then says what was and was not changed ("rtcal: the RTC was set;
// /etc/adjtime was not updated; the step was logged in ..."), returning the
// first error's exit code.
ExitCode save_after_write(Context& ctx, const RtcWrite& write, const std::string& reason,
                          AdjtimeAccess& access, const state::Adjtime& next);

// Report `error` (from prepare_rtc_write), then "rtcal: nothing was
// changed: not the RTC, the system clock or any file"; returns its code.
ExitCode report_unchanged(Context& ctx, const Error& error);

// A line of rtcal's normal output: on stdout, or in drop-in mode (where
// hwclock prints nothing) only with -v, on stderr.
void say(Context& ctx, const std::string& line);

// "2026-11-23 10:56:10.250000+01:00" as hwclock prints times (local time, µs).
std::string hwclock_time_text(SysTime t);

// "+1.250000 s" with its sign.
std::string signed_seconds(double seconds, int decimals = 6);

// The RTC's fields as text, with the scale: "2026-11-23 09:45:58 UTC" or "... LOCAL".
std::string rtc_fields_text(const RtcTime& fields, state::RtcScale scale);

}  // namespace rtcal
