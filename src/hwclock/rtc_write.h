// Setting the RTC for the hwclock-like commands: on the seconds edge, knowing
// by how much it stepped, recording the step in the measurement log and
// saving adjtime after it, each tried even when the other failed.
//
// Sign conventions: RTC error = RTC minus true time (+ = fast); a step's
// amount = the RTC's new reading minus the reading it would have shown.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "rtc/precise.h"
#include "src/cli/context.h"
#include "src/cli/exit_codes.h"
#include "src/hwclock/adjtime_access.h"
#include "src/hwclock/rtc_read.h"
#include "state/adjtime.h"

namespace rtcal {

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

// Monotonic time since this process started (for the set's budget and -v's timings).
Nanos since_process_start();

// Check --delay: any non-negative number of seconds (as hwclock), up to a day.
Status check_delay(const WriteOptions& options);

// What setting the RTC did (or, with --dry-run, would do).
struct RtcWrite {
  bool done = false;       // false: --dry-run, nothing written
  RtcTime written;         // fields written (dry-run: those it would show at the edge read)
  SysTime system_at_write{};
  double lateness_s = 0.0;  // the RTC ends this far behind the target
  // The RTC kept its sub-second phase (rtc_cmos on AMD/Hygon): lateness_s is
  // the measured residual no write could remove; adjtime records it.
  bool phase_kept = false;
  std::optional<double> step_s;  // new minus old reading; none when the old was unreadable
  // The old reading was whole seconds (not at its edge): the step lies in
  // [step_s - 1 s, step_s], and the log gets a reset that says so.
  bool step_to_second = false;
  // How far the step may be off (s): the old reading's edge uncertainty plus
  // the new one's (half their polled brackets; wide on a busy machine).
  double step_uncertainty_s = 0.0;
  double delay_s = 0.0;  // the delay used (hwclock's --delay; 0.5 s for rtc_cmos)
  double write_lateness_s = 0.0;  // the write's own moment minus the one aimed at (0: written at once)
  // hwclock -v's "RTC type": the /dev/rtc driver the delay came from (empty
  // with --delay, --directisa or a driver not known).
  std::string rtc_type;
  // Moments to write that came too late (the wake-up was late), each put off
  // to the next second: hwclock -v's "missed it" lines.
  std::vector<MissedMoment> missed;
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

// Whether a write keeps the RTC's sub-second phase (Linux's rtc_cmos on an
// AMD/Hygon CPU does not restart the divider) and `before` timed the edges it
// keeps: the write then lands at that phase whatever its moment.
bool set_keeps_phase(const HwDevices& dev, const std::optional<RtcReading>& before);

// Set the RTC so that its value follows `target` (system time -> the RTC's
// fields as UTC), on the seconds edge; `before` is the reading taken first
// (none: the RTC held no valid time). With --dry-run only compute.
Result<RtcWrite> write_rtc(Context& ctx, const HwDevices& dev, const RtcTarget& target,
                           const std::optional<RtcReading>& before, const WriteOptions& options);

// hwclock's reference for a set: the RTC should read sethwtime (unix s) at
// refsystime (system time): for systohc the system time's whole second at
// the start, for --set the date and the start, for --adjust the corrected
// reading's whole second and the moment it held.
struct HwclockSetRef {
  SysTime refsystime{};
  int64_t sethwtime_s = 0;
};

// In drop-in mode with -v, hwclock's lines for a set (set_hardware_clock_exact,
// set_hardware_clock, set_hardware_clock_rtc) on stdout: "Using delay:
// 0.500000 seconds", for each moment missed "missed it - X is too far past
// Y (d > tol)" (tol 1 ms, doubled with each miss), "X is close enough to Y (d < tol)", "Set RTC to N (S +
// d; refsystime = R)", "Setting Hardware Clock to HH:MM:SS = N seconds since
// 1969" and, when written over /dev/rtc, "ioctl(RTC_SET_TIME) was successful.".
void say_hwclock_write(Context& ctx, const RtcWrite& write, state::RtcScale scale, const HwclockSetRef& ref);

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

}  // namespace rtcal
