// Reading and setting an RTC to the millisecond, over any RtcDevice and
// SystemClock (a real /dev/rtc, CMOS ports or the simulated world alike).
//
// An RTC holds whole seconds; its sub-second phase shows only at the seconds
// edge. So a precise read waits for an edge, timestamps the system clock at
// once and then reads the new value; a precise set writes value V at the
// moment that makes the RTC's next increment land exactly on a whole second
// of the wanted time (V + 1 s after "the RTC shows V + 1 - first tick").
//
// Which scale the RTC keeps (UTC or local) and any drift correction are the
// caller's business: set_on_edge takes a function from system time to the
// RTC value wanted, and readings come back as the RTC's raw fields. Every
// wait is bounded; nothing here loops without a limit.
#pragma once

#include <chrono>
#include <functional>
#include <optional>

#include "rtc/clock_types.h"
#include "rtc/rtc_device.h"
#include "rtc/system_clock.h"
#include "src/result.h"

namespace rtcal {

// How long to wait for one seconds edge by default (an edge comes every 1 s).
inline constexpr Nanos kDefaultEdgeTimeout = std::chrono::milliseconds(1500);

// How many edges read_at_edge waits for at most when a read after an edge is
// not the second it expected.
inline constexpr int kMaxEdgeAttempts = 3;

// An RTC reading taken at its seconds edge.
struct EdgeReading {
  RtcTime rtc;             // what the RTC shows just after the edge
  SysTime system_at_edge;  // the system clock read right after waking at the edge
  int edges_waited = 1;    // more than 1 when a read did not match and was retried
};

// The RTC's value minus the system clock at the edge, reading the RTC's fields
// as UTC (+ = the RTC is ahead). For a LOCAL RTC, subtract the zone offset.
Nanos rtc_minus_system(const EdgeReading& reading);

// Wait for the RTC's next seconds edge (at most `timeout` per edge), timestamp
// the system clock, read the RTC, and check that it shows the second after the
// one read before; retry on a mismatch, at most kMaxEdgeAttempts edges.
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
  int attempts = 3;                                    // seconds to try before giving up
};

// What set_on_edge did.
struct SetOnEdgeResult {
  RtcTime written;          // the value written (fields as the target's scale)
  SysTime system_at_write;  // the system clock read just before the write
  Nanos lateness{};         // how late the write came: the RTC ends this much behind the target
  Nanos delay{};            // the delay used
};

// Sleep until a few ms before the system clock reaches the moment when
// target - delay is a whole second V, spin to it (a sleep's wake-up comes
// late on a busy or emulated machine), then write V. The value is rounded to the nearest second at
// the moment of the write, so a late wake-up can never leave the RTC a whole
// second off (util-linux #1600: hwclock 2.38 used ceil()). A write that would
// come more than 1 ms late aims for the next second instead, and a write that
// took so long is done again on the next second, except on the last of
// `attempts`, which takes up to max_lateness.
Result<SetOnEdgeResult> set_on_edge(RtcDevice& rtc, SystemClock& clock, const RtcTarget& target,
                                    const SetOnEdgeOptions& options = {});

// After a set over an RTC that held no valid time: check that it now runs
// (a seconds edge within `timeout`). Linux's rtc_cmos, for one, writes the
// fields of a stopped MC146818 but restores register A as it found it, so
// the divider stays stopped and the RTC never ticks. The error says so and
// names the fix (direct CMOS I/O, or the battery).
Status check_runs_after_set(RtcDevice& rtc, SystemClock& clock, Nanos timeout = kDefaultEdgeTimeout);

}  // namespace rtcal
