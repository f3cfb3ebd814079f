// Writing an RTC that keeps its phase (see rtc/kept_phase_set.h).
#include "rtc/kept_phase_set.h"

#include <chrono>

#include "rtc/edge_poll.h"

namespace rtcal {
namespace {

// How long after the expected edge a timed landing is still looked for.
constexpr Nanos kLandingSlack = std::chrono::milliseconds(50);

// The first edge at the phase of `edge` later than `t`.
SysTime next_edge_after(SysTime edge, SysTime t) {
  const int64_t since_ns = ns_of(t) - ns_of(edge);
  return edge + Nanos((floor_div(since_ns, kNsPerS) + 1) * kNsPerS);
}

// Time the edge expected at `next` when that beats the reading's bracket:
// the result then carries the measured residual.
Result<SetOnEdgeResult> timed_if_wider(RtcDevice& rtc, SystemClock& clock, const RtcTarget& target,
                                       const EdgeReading& edge, SetOnEdgeResult result, SysTime next) {
  if (edge.uncertainty <= kGoodSetError) return result;
  const Nanos deadline = clock.monotonic() + (next + edge.uncertainty + kLandingSlack - clock.now());
  auto polled = poll_edge(rtc, clock, deadline);
  if (!polled) {
    if (clock.monotonic() >= deadline) return result;  // no edge seen in time: keep the computed one
    return polled.error();
  }
  if (!*polled || (*polled)->width / 2 >= edge.uncertainty) return result;
  const int64_t shown_s = rtc_time_as_utc_unix_s((*polled)->rtc);
  const Nanos error = Nanos(shown_s * kNsPerS) - target((*polled)->edge).time_since_epoch();
  result.verified_error = error;
  result.verified_uncertainty = (*polled)->width / 2;
  result.lateness = -error;
  result.first_tick = (*polled)->edge - result.system_at_write;
  return result;
}

}  // namespace

Result<SetOnEdgeResult> set_at_kept_phase(RtcDevice& rtc, SystemClock& clock, const RtcTarget& target,
                                          const EdgeReading& edge) {
  for (int write = 1;; ++write) {  // bounded: again only while write < kKeptPhaseMaxWrites
    SysTime now = clock.now();
    SysTime next = next_edge_after(edge.system_at_edge, now);
    if (next - now < 2 * kKeptPhaseEdgeGuard) {  // too near the edge: write just after it
      clock.sleep_for(next - now + kKeptPhaseEdgeGuard);
      now = clock.now();
      next = next_edge_after(edge.system_at_edge, now);
    }
    // At `next` the RTC shows the value written plus one: the target's nearest second.
    const int64_t shown_s = floor_div(ns_of(target(next)) + kNsPerS / 2, kNsPerS);
    const RtcTime fields = utc_fields_of_unix_s(shown_s - 1);
    const SysTime write_at = clock.now();
    if (Status written = rtc.set(fields); !written) return written.error();
    const SysTime done = clock.now();
    if (next - done < kKeptPhaseEdgeGuard && write < kKeptPhaseMaxWrites) continue;  // held up into the edge
    // The last write, held up past the edge: it took effect at its end at the latest.
    const SysTime landing = done < next ? next : next_edge_after(edge.system_at_edge, done);
    SetOnEdgeResult result;
    result.written = fields;
    result.system_at_write = write_at;
    result.lateness = target(landing).time_since_epoch() - Nanos(shown_s * kNsPerS);
    result.delay = target(write_at).time_since_epoch() - Nanos((shown_s - 1) * kNsPerS);
    result.writes = write;
    result.phase_kept = true;
    result.first_tick = landing - write_at;
    return timed_if_wider(rtc, clock, target, edge, result, landing);
  }
}

}  // namespace rtcal
