// Reading and setting an RTC to the millisecond, over any RtcDevice and
// SystemClock (a real /dev/rtc, CMOS ports or the simulated world alike).
//
// An RTC holds whole seconds; its sub-second phase shows only at the seconds
// edge. So a precise read times an edge: by reading back to back and
// bracketing the change (rtc/edge_poll.h), or, where the clock cannot be
// polled (simulated), by waiting for the edge and timestamping the wake-up.
// A precise set writes value V at the moment that makes the RTC's next
// increment land exactly on a whole second of the wanted time (V + 1 s after
// "the RTC shows V + 1 - first tick"), then times that increment to check.
// Where that increment does not come first_tick after the write but at the
// RTC's old sub-second phase (Linux's rtc_cmos on AMD and Hygon CPUs leaves
// the MC146818's divider running), no write can move the phase: the set stops
// retrying and reports the residual it measured (within ±0.5 s: the second
// written is the nearest one at that phase).
//
// Which scale the RTC keeps (UTC or local) and any drift correction are the
// caller's business: set_on_edge takes a function from system time to the
// RTC value wanted, and readings come back as the RTC's raw fields. Every
// wait is bounded; nothing here loops without a limit.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <vector>

#include "base/clock_types.h"
#include "base/result.h"
#include "rtc/rtc_device.h"
#include "rtc/system_clock.h"

namespace rtcal {

// How long read_at_edge takes at most by default, all edges included (an edge
// comes every 1 s; `show` and `hctosys` must not take more than 1.1 s).
inline constexpr Nanos kDefaultEdgeTimeout = std::chrono::milliseconds(1100);

// How many edges read_at_edge waits for at most when a read after an edge is
// not the second it expected (within the deadline as well).
inline constexpr int kMaxEdgeAttempts = 3;

// An RTC reading taken at its seconds edge.
struct EdgeReading {
  RtcTime rtc;             // what the RTC shows just after the edge
  SysTime system_at_edge;  // the system clock at the edge (a bracket's middle, or the wake-up)
  int edges_waited = 1;    // more than 1 when a read did not match and was retried
  Nanos uncertainty{};     // half the polled bracket; 0 when timed by a wake-up
};

// The RTC's value minus the system clock at the edge, reading the RTC's fields
// as UTC (+ = the RTC is ahead). For a LOCAL RTC, subtract the zone offset.
Nanos rtc_minus_system(const EdgeReading& reading);

// Time the RTC's next seconds edge, normally within `timeout`: poll it
// (poll_edge), or where the clock cannot be polled wait for the edge,
// timestamp the wake-up and read. A read that follows the wake-up promptly
// is taken when it shows one second after the reading before the wait, or
// two when more than a second has passed since (an edge came before the
// wait began, e.g. before update interrupts were on); anything else (a stale
// wake-up) waits again, at most kMaxEdgeAttempts edges.
// A polled edge that was not found by the deadline, or was bracketed wider
// than 50 ms, is looked for again (at most kMaxEdgeAttempts rounds of
// max(timeout, 1.1 s) each) when the reader was held up (the RTC's seconds
// moved, or were not surely watched for a whole second): a busy machine.
// Seconds that stood still over more than a second of sure watching are a
// stopped RTC, an error at once.
Result<EdgeReading> read_at_edge(RtcDevice& rtc, SystemClock& clock,
                                 Nanos timeout = kDefaultEdgeTimeout);

// Whole seconds without waiting: read until two reads in a row agree
// (at most 4 reads).
Result<RtcTime> read_fast(RtcDevice& rtc);

// What the RTC should hold at a given system time: its fields read as UTC,
// with the sub-second phase. E.g. system time itself for a UTC RTC, system time
// plus the zone offset for a LOCAL one, minus the predicted drift to pre-correct.
using RtcTarget = std::function<SysTime(SysTime system_time)>;

// The target "system time + offset" (offset 0: the RTC keeps the system time).
RtcTarget target_with_offset(Nanos offset);

struct SetOnEdgeOptions {
  // hwclock's --delay: write V when the target reads V + delay. Default
  // 1 s - rtc.first_tick_after_set() (0.5 s for the MC146818, 0 for most).
  std::optional<Nanos> delay;
  Nanos max_wait = std::chrono::milliseconds(1500);   // longest sleep before one write
  Nanos max_lateness = std::chrono::milliseconds(10);  // later than this: aim for the next second
  // Seconds to try before giving up. Each try costs a second; on a quiet
  // machine the first lands. In the QEMU lab on a loaded host three tries in a
  // row were seen to miss (the vCPU preempted around the write), so 8.
  int attempts = 8;
  // Time the RTC's first increment after each write and write again (while
  // attempts remain) when it is further than kGoodSetError from the target.
  bool verify = true;
  // Where the caller knows that a write restarts the RTC first_tick before its
  // next increment (Linux's rtc_cmos on an Intel CPU), a clean write (on time
  // within kGoodLateness, the set call itself as quick) cannot land further
  // than 2 ms off: its first edge is then not waited for (saves 0.5 s).
  bool trust_clean_restart = false;
  // The RTC was not yet seen to run (its old value was read to the second,
  // not at an edge): with trust_clean_restart, its seconds are watched while
  // waiting for the moment to write (watch_for_tick), and the trust applies
  // only once they were seen to advance; until then the write's first edge
  // is timed. (An
  // RTC whose divider is held in reset keeps valid fields, and Linux's
  // rtc_cmos restores the reset after its set: only a tick tells it runs.)
  bool running_unconfirmed = false;
  // The RTC keeps its sub-second phase across a write (Linux's rtc_cmos on an
  // AMD/Hygon CPU) and had a seconds edge at this system time: an unverified
  // write's landing is then computed (the RTC shows the value written until
  // its next edge at that phase) instead of assumed; the result says
  // phase_kept and its lateness is the residual.
  std::optional<SysTime> kept_phase_edge;
  // The longest set_on_edge takes, all tries included (monotonic clock): a try
  // that could not end within it is not begun (the first always is), and the
  // last write's result is returned with budget_ran_out. When no write was
  // made yet (every wake-up came late), the last try the budget allows takes
  // a write up to 50 ms late (timed when `verify`); later, set_on_edge fails.
  // 2.7 s: systohc's worst case stays under 3 s with the process around it.
  Nanos budget = std::chrono::milliseconds(2700);
};

// How far from the target a verified write may land and be kept (the bracket's
// uncertainty included).
inline constexpr Nanos kGoodSetError = std::chrono::milliseconds(1);

// A moment to write that the wake-up missed (it came later than the try
// allowed), so the write was put off to the next second: hwclock -v's
// "missed it" (set_hardware_clock_exact).
struct MissedMoment {
  SysTime woke;   // the system clock when the write would have been made
  SysTime aimed;  // the moment aimed at
};

// What set_on_edge did.
struct SetOnEdgeResult {
  RtcTime written;          // the value written (fields as the target's scale)
  SysTime system_at_write;  // the system clock read just before the write
  Nanos lateness{};         // how much the RTC ends behind the target: measured when verified
  Nanos write_lateness{};   // the last write's own lateness: its moment minus the one aimed at
  Nanos delay{};            // the delay used
  std::optional<Nanos> verified_error;  // the RTC's first edge minus the target's (+ = ahead), if timed
  Nanos verified_uncertainty{};         // verified_error is good to this (half the polled bracket)
  int writes = 1;           // how many writes it took
  // The RTC kept its sub-second phase: its first increment after the write
  // came where its old edges were, not first_tick_after_set() after the write.
  // verified_error is then the residual no write can remove (|r| <= 0.5 s).
  bool phase_kept = false;
  std::optional<Nanos> first_tick;  // measured: from the write to the RTC's first increment
  bool budget_ran_out = false;      // stopped by options.budget before a write landed well
  // With running_unconfirmed: the RTC ticked before the write was made.
  bool seen_running_before_write = false;
  std::vector<MissedMoment> missed;  // the moments missed before the write, in order
};

// Sleep until a few ms before the system clock reaches the moment when
// target - delay is a whole second V, spin to it (a sleep's wake-up comes
// late on a busy or emulated machine), then write V. The value is rounded to the nearest second at
// the moment of the write, so a late wake-up can never leave the RTC a whole
// second off (util-linux #1600: hwclock 2.38 used ceil()). A write that would
// come more than 1 ms late aims for the next second instead, except on the
// last of `attempts`, which takes up to max_lateness. With `verify`, the
// RTC's first increment after the write is timed (poll_edge, wherever it
// comes within a second); one further than kGoodSetError from the target (the
// write was preempted, the driver slow) is written again while attempts and
// the budget remain. An increment that came neither first_tick after the write
// nor later by the write's own duration shows the RTC kept its phase
// (phase_kept): no further write is made, and the residual is measured (to
// kGoodSetError, timing one more edge when the first bracket was wider).
// A timed write after which the RTC still shows the value written more than
// a second later does not run: an error (not_running_after_set_error),
// without writing again.
Result<SetOnEdgeResult> set_on_edge(RtcDevice& rtc, SystemClock& clock, const RtcTarget& target,
                                    const SetOnEdgeOptions& options = {});

// After a set over an RTC that held no valid time: check that it now runs
// (a seconds edge within `timeout`). Linux's rtc_cmos, for one, writes the
// fields of a stopped MC146818 but restores register A as it found it, so
// the divider stays stopped and the RTC never ticks. The error says so and
// names the fix (direct CMOS I/O, or the battery).
Status check_runs_after_set(RtcDevice& rtc, SystemClock& clock, Nanos timeout = kDefaultEdgeTimeout);

// The error of an RTC that was set but does not run; `detail` says how that
// was seen ("is stopped: its seconds did not advance in 1100 ms after the write").
Error not_running_after_set_error(const RtcDevice& rtc, const std::string& detail);

}  // namespace rtcal
