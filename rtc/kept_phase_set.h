// Setting an RTC that keeps its sub-second phase across a write (Linux's
// rtc_cmos on AMD and Hygon CPUs leaves the MC146818's divider running), from
// a seconds edge just read: no write can move that phase, so there is no
// moment to wait for and no first edge to time. The RTC shows the value
// written until its next edge at the old phase, which the reading already
// placed: set_at_kept_phase writes at once the value that puts the RTC
// nearest the target at that edge and computes the residual (|r| <= 0.5 s).
// Writing right after the edge read keeps the write a second away from the
// next edge, so no update can be lost inside it. Only where the reading's
// bracket was too wide to know the residual to kGoodSetError is that next
// edge timed (the write was the wait's only cost before: up to two seconds).
#pragma once

#include "base/result.h"
#include "rtc/precise.h"
#include "rtc/rtc_device.h"
#include "rtc/system_clock.h"

namespace rtcal {

// A write that ends closer than this to the RTC's next edge (preempted
// into it) may have lost or kept that update: it is made again for the
// edge after it.
inline constexpr Nanos kKeptPhaseEdgeGuard = std::chrono::milliseconds(20);
// At most this many writes (each further one only after a write held up
// into the edge; a second apart).
inline constexpr int kKeptPhaseMaxWrites = 3;

// Write `rtc` now so that its next increment at the phase of `edge` (an edge
// read just before) shows the target's nearest whole second. The result has
// phase_kept set, first_tick (the write to that edge), and lateness: the
// RTC's distance behind the target (the residual, negated). Timed at the
// edge (verified_error) only when edge.uncertainty > kGoodSetError and the
// timing is narrower.
Result<SetOnEdgeResult> set_at_kept_phase(RtcDevice& rtc, SystemClock& clock, const RtcTarget& target,
                                          const EdgeReading& edge);

}  // namespace rtcal
