// Timing an RTC's seconds edge by reading it back to back: the edge lies
// between the start of the last read that showed the old second and the end
// of the first read that showed the new one. That bracket is as narrow as
// one read, with no interrupt-to-wake-up latency in it (under QEMU's software
// emulation an update interrupt reaches the reader 2-16 ms after the edge;
// a polled edge is bracketed within about 1 ms). The price is a busy CPU until
// the edge, at most `deadline` (about a second): what util-linux hwclock does
// when it has no update interrupt.
//
// Polling needs a system clock that moves by itself between two reads; a
// simulated clock does not, and poll_edge says so (nullopt) so that the caller
// waits with RtcDevice::wait_for_edge instead. Every loop is bounded.
#pragma once

#include <cstdint>
#include <optional>

#include "base/clock_types.h"
#include "base/result.h"
#include "rtc/rtc_device.h"
#include "rtc/system_clock.h"

namespace rtcal {

// An edge found by polling.
struct PolledEdge {
  RtcTime rtc;       // the first reading of the new second
  SysTime edge;      // the middle of the bracket: the best estimate of the edge
  Nanos width{};     // the bracket's width; the estimate is good to half of it
  int64_t from_s = 0;  // the second shown before the edge (fields as UTC)
};

// What a poll that found no edge saw, to tell a stopped RTC from a reader
// that was held up (preempted) across the edge.
struct PollWatch {
  bool moved = false;       // the RTC's seconds changed at all (it runs; the edge was missed)
  Nanos unchanged_for{};    // monotonic time surely between two reads showing the first second
                            // (the end of the first read to the start of the last)
};

// Read `rtc` back to back until its second changes by one, until the clock's
// monotonic reading passes `deadline` (then an error: no edge, and `watch`,
// when given, says what was seen). nullopt when the clock did not move across
// a read (a simulated clock: poll impossible). With `stop_after_s`, also
// nullopt when the first read already shows a second after it (the edge
// looked for has passed).
Result<std::optional<PolledEdge>> poll_edge(RtcDevice& rtc, SystemClock& clock, Nanos deadline,
                                            std::optional<int64_t> stop_after_s = std::nullopt,
                                            PollWatch* watch = nullptr);

// Read `rtc` every few milliseconds until its seconds change or `until` is
// near (not back to back: no edge is timed, so the CPU stays free; no read
// starts in the last 25 ms, so a slow read cannot overrun `until`): true as
// soon as they changed, i.e. it runs; false when they stood still. Returns
// at the latest 20 ms before `until`; the caller sleeps the rest. Where the
// clock does not move between reads (simulated), the sleeps move it.
// Bounded by the number of sleeps.
Result<bool> watch_for_tick(RtcDevice& rtc, SystemClock& clock, SysTime until);

}  // namespace rtcal
