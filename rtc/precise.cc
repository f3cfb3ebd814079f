// Edge-timed reads and writes of an RTC (see rtc/precise.h). Only the
// RtcDevice and SystemClock interfaces are used, so the same code runs on a
// real /dev/rtc, the CMOS ports and the simulated world.
#include "rtc/precise.h"

#include <cstdlib>
#include <string>

#include "rtc/edge_poll.h"

namespace rtcal {
namespace {

constexpr int kMaxFastReads = 4;
constexpr int kMaxSleepsPerWait = 5;
// set_on_edge sleeps until this long before the moment to write and spins the
// rest: a sleep ends late by the scheduler's wake-up latency (tens of us on
// an idle machine, milliseconds on a busy or emulated one), a spin does not.
constexpr Nanos kSpinMargin = std::chrono::milliseconds(5);
constexpr int64_t kMaxSpins = 50'000'000;  // far more than 5 ms of clock reads
// A write later than this is put off to the next second while another attempt
// remains; the last attempt takes anything within max_lateness. (In the QEMU
// lab on a loaded host the spinning vCPU was preempted for 2-9 ms at times.)
constexpr Nanos kGoodLateness = std::chrono::milliseconds(1);
// A read after a wake-up belongs to that edge when it ends within this.
constexpr Nanos kPromptRead = std::chrono::milliseconds(100);
// Two edges passed since a reading when more than this passed (1 s at 1 Hz,
// less a margin for the RTC's drift and the clock's resolution).
constexpr Nanos kTwoEdgesAfter = std::chrono::milliseconds(900);
// After a write the first edge is looked for from this long before it should
// come to this long after (a write preempted for longer shows as "not seen").
constexpr Nanos kVerifyBefore = std::chrono::milliseconds(20);
constexpr Nanos kVerifyAfter = std::chrono::milliseconds(50);

// Sleep until the clock reads `when` (a few sleeps at most: a sleep may end early).
void sleep_until(SystemClock& clock, SysTime when) {
  for (int i = 0; i < kMaxSleepsPerWait; ++i) {
    const Nanos left = when - clock.now();
    if (left.count() <= 0) return;
    clock.sleep_for(left);
  }
}

// Busy-wait until the clock reads `when` (bounded). A clock that does not move
// by itself between two reads (a simulated one) is slept on instead.
void spin_until(SystemClock& clock, SysTime when) {
  SysTime last = clock.now();
  for (int64_t i = 0; i < kMaxSpins && last < when; ++i) {
    const SysTime now = clock.now();
    if (now == last) break;
    last = now;
  }
  sleep_until(clock, when);
}

// The system time at which target - delay reaches the whole second `value_s`,
// assuming the target runs at about the system clock's rate (refined twice).
SysTime moment_for(const RtcTarget& target, Nanos delay, int64_t value_s, SysTime from) {
  const SysTime want(Nanos(value_s * kNsPerS) + delay);
  SysTime w = from;
  for (int i = 0; i < 3; ++i) w += want - target(w);
  return w;
}

// read_at_edge where the clock cannot be polled: wait for the edge, timestamp
// the wake-up, read (see precise.h for what is accepted).
Result<EdgeReading> wait_at_edge(RtcDevice& rtc, SystemClock& clock, Nanos deadline) {
  SysTime previous_at = clock.now();
  Result<RtcTime> before = rtc.read();
  if (!before) return before.error();
  int64_t previous_s = rtc_time_as_utc_unix_s(*before);
  for (int edge = 1; edge <= kMaxEdgeAttempts; ++edge) {
    const Nanos left = deadline - clock.monotonic();
    if (left <= Nanos::zero()) {
      return failure(rtc.name(), "no seconds edge that read right within the time allowed",
                     "the RTC or its driver misbehaves; try again, or read without waiting for the edge");
    }
    if (Status waited = rtc.wait_for_edge(left); !waited) return waited.error();
    const SysTime at_edge = clock.now();
    Result<RtcTime> after = rtc.read();
    if (!after) return after.error();
    const bool prompt = clock.now() - at_edge <= kPromptRead;
    const int64_t after_s = rtc_time_as_utc_unix_s(*after);
    const bool next = after_s == previous_s + 1;
    const bool missed_one = after_s == previous_s + 2 && at_edge - previous_at > kTwoEdgesAfter;
    if (prompt && (next || missed_one)) return EdgeReading{*after, at_edge, edge, Nanos::zero()};
    // A stale wake-up, or a read so late it may show a later second: again.
    previous_s = after_s;
    previous_at = at_edge;
  }
  return failure(rtc.name(),
                 "after " + std::to_string(kMaxEdgeAttempts) +
                     " seconds edges the RTC never showed the second expected after one",
                 "the RTC or its driver misbehaves; try again, or read without waiting for the edge");
}

// How a write landed: its first edge against the target's whole second.
struct SetCheck {
  Nanos error;        // the edge's lead over the target's (+ = the RTC ahead)
  Nanos uncertainty;  // half the bracket
};

// Time the RTC's first increment (to written_s + 1) after a write, looked for
// around `expected` (system time). nullopt when it was not seen there.
Result<std::optional<SetCheck>> time_first_edge(RtcDevice& rtc, SystemClock& clock, const RtcTarget& target,
                                                int64_t written_s, SysTime expected) {
  const SysTime wanted = moment_for(target, Nanos::zero(), written_s + 1, expected);
  const SysTime from = expected - kVerifyBefore;
  sleep_until(clock, from);
  const Nanos deadline = clock.monotonic() + (expected + kVerifyAfter - clock.now());
  auto polled = poll_edge(rtc, clock, deadline, written_s);
  if (!polled) {
    if (clock.monotonic() >= deadline) return std::optional<SetCheck>();  // no edge in the window
    return polled.error();
  }
  if (*polled) {
    if ((*polled)->from_s != written_s) return std::optional<SetCheck>();
    return std::optional<SetCheck>(SetCheck{wanted - (*polled)->edge, (*polled)->width / 2});
  }
  // A clock that cannot be polled (simulated): wait for the edge instead.
  Result<RtcTime> shown = rtc.read();
  if (!shown) return shown.error();
  if (rtc_time_as_utc_unix_s(*shown) != written_s) return std::optional<SetCheck>();
  if (!rtc.wait_for_edge(kVerifyBefore + kVerifyAfter)) return std::optional<SetCheck>();
  const SysTime at_edge = clock.now();
  Result<RtcTime> after = rtc.read();
  if (!after) return after.error();
  if (rtc_time_as_utc_unix_s(*after) != written_s + 1) return std::optional<SetCheck>();
  return std::optional<SetCheck>(SetCheck{wanted - at_edge, Nanos::zero()});
}

}  // namespace

Nanos rtc_minus_system(const EdgeReading& reading) {
  return Nanos(rtc_time_as_utc_unix_s(reading.rtc) * kNsPerS) - reading.system_at_edge.time_since_epoch();
}

Result<EdgeReading> read_at_edge(RtcDevice& rtc, SystemClock& clock, Nanos timeout) {
  const Nanos deadline = clock.monotonic() + timeout;
  auto polled = poll_edge(rtc, clock, deadline);
  if (!polled) return polled.error();
  if (*polled) return EdgeReading{(*polled)->rtc, (*polled)->edge, 1, (*polled)->width / 2};
  return wait_at_edge(rtc, clock, deadline);
}

Result<RtcTime> read_fast(RtcDevice& rtc) {
  Result<RtcTime> last = rtc.read();
  if (!last) return last.error();
  for (int i = 1; i < kMaxFastReads; ++i) {
    Result<RtcTime> again = rtc.read();
    if (!again) return again.error();
    if (*again == *last) return again;
    last = std::move(again);
  }
  return failure(rtc.name(), std::to_string(kMaxFastReads) + " reads in a row all differed",
                 "the RTC's value keeps changing; check the device");
}

RtcTarget target_with_offset(Nanos offset) {
  return [offset](SysTime system_time) { return system_time + offset; };
}

Result<SetOnEdgeResult> set_on_edge(RtcDevice& rtc, SystemClock& clock, const RtcTarget& target,
                                    const SetOnEdgeOptions& options) {
  const Nanos delay = options.delay.value_or(Nanos(kNsPerS) - rtc.first_tick_after_set());
  // A given --delay overrides what we know of the RTC: its edge is not ours to check.
  const bool verify = options.verify && !options.delay;
  int writes = 0;
  for (int attempt = 0; attempt < options.attempts; ++attempt) {
    const SysTime now = clock.now();
    // The next whole second V of target - delay, and the moment it comes.
    const int64_t next_s = floor_div(ns_of(target(now)) - delay.count(), kNsPerS) + 1;
    const SysTime when = moment_for(target, delay, next_s, now);
    if (when - now > options.max_wait) {
      return failure(rtc.name(), "the moment to write is " + ms_text(when - now) + " away, more than " +
                                     ms_text(options.max_wait),
                     "check the target time and --delay");
    }
    sleep_until(clock, when - kSpinMargin);
    spin_until(clock, when);
    const SysTime write_at = clock.now();
    // Round, never ceil: a late wake-up must not write the next second.
    const int64_t late_value_ns = ns_of(target(write_at)) - delay.count();
    const int64_t value_s = floor_div(late_value_ns + kNsPerS / 2, kNsPerS);
    const Nanos lateness(late_value_ns - value_s * kNsPerS);
    const bool last_attempt = attempt + 1 == options.attempts;
    const Nanos allowed = last_attempt ? options.max_lateness : std::min(options.max_lateness, kGoodLateness);
    if (std::llabs(lateness.count()) > allowed.count()) continue;
    const RtcTime fields = utc_fields_of_unix_s(value_s);
    if (Status written = rtc.set(fields); !written) return written.error();
    ++writes;
    SetOnEdgeResult result{fields, write_at, lateness, delay, std::nullopt, writes};
    if (!verify) {
      // The RTC's divider restarts somewhere inside the write: a write that took
      // long (preempted) may have started it late. Write again on the next second.
      const Nanos took = clock.now() - write_at;
      if (!last_attempt && std::llabs(lateness.count()) + took.count() > kGoodLateness.count()) continue;
      return result;
    }
    auto check = time_first_edge(rtc, clock, target, value_s, write_at + rtc.first_tick_after_set());
    if (!check) return check.error();
    if (*check) {
      result.verified_error = (*check)->error;
      result.lateness = -(*check)->error;
    }
    const bool good = *check && std::llabs((*check)->error.count()) + (*check)->uncertainty.count() <=
                                    kGoodSetError.count();
    if (good || last_attempt) return result;
  }
  return failure(rtc.name(),
                 "could not write within " + ms_text(options.max_lateness) + " of the right moment in " +
                     std::to_string(options.attempts) + " tries",
                 "the system is too busy to time the write; try again when it is quieter");
}

Status check_runs_after_set(RtcDevice& rtc, SystemClock& clock, Nanos timeout) {
  auto edge = read_at_edge(rtc, clock, timeout);
  if (edge) return Status::success();
  return failure(rtc.name(),
                 "was set, but it does not run (" + edge.error().cause +
                     "): its oscillator stayed stopped, as a dead battery leaves an MC146818 and the "
                     "kernel's driver keeps it",
                 "on a PC set it over the CMOS ports, which restart the divider: rtcal --directisa systohc; "
                 "if it stops again, replace the battery");
}

}  // namespace rtcal
