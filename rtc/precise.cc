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
// The last try the budget allows takes a write up to this late when none was
// made yet (set_on_edge's time stays bounded on a machine too busy to wake up on time).
constexpr Nanos kFinalLateness = std::chrono::milliseconds(50);
// Seconds that stand still for longer than this (surely watched) mean a
// stopped RTC: a running one ticks every second.
constexpr Nanos kStoppedAfter = std::chrono::milliseconds(1050);
// A polled edge bracketed wider than this was seen by a reader held up
// (preempted) around it: read_at_edge times the next one while it may.
constexpr Nanos kWideBracket = std::chrono::milliseconds(50);
// A read after a wake-up belongs to that edge when it ends within this.
constexpr Nanos kPromptRead = std::chrono::milliseconds(100);
// Two edges passed since a reading when more than this passed (1 s at 1 Hz,
// less a margin for the RTC's drift and the clock's resolution).
constexpr Nanos kTwoEdgesAfter = std::chrono::milliseconds(900);
// After a write its first edge is looked for until this long after the
// latest it can come (1 s: an RTC that kept its phase ticks within a second).
constexpr Nanos kVerifyAfter = std::chrono::milliseconds(50);
// A first edge this close to first_tick after the write (later by up to the
// write's own duration) shows the write restarted the RTC's divider.
constexpr Nanos kRestartTolerance = std::chrono::milliseconds(2);

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

// Where an edge after a write came, and what the RTC showed there.
struct Landing {
  Nanos error;        // the RTC's value after the edge minus the target there (+ = the RTC ahead)
  Nanos uncertainty;  // half the bracket
  Nanos after_write;  // from the write to the edge
};

// Time the next edge of the RTC (polled; waited for where the clock cannot be
// polled) until `until` (system time). nullopt when none was seen by then.
Result<std::optional<Landing>> time_landing(RtcDevice& rtc, SystemClock& clock, const RtcTarget& target,
                                            SysTime write_at, SysTime until) {
  const Nanos deadline = clock.monotonic() + (until - clock.now());
  auto polled = poll_edge(rtc, clock, deadline);
  if (!polled) {
    if (clock.monotonic() >= deadline) return std::optional<Landing>();  // no edge in the window
    return polled.error();
  }
  SysTime edge;
  Nanos uncertainty{};
  int64_t shown_s = 0;
  if (*polled) {
    edge = (*polled)->edge;
    uncertainty = (*polled)->width / 2;
    shown_s = rtc_time_as_utc_unix_s((*polled)->rtc);
  } else {  // a clock that cannot be polled (simulated): wait for the edge instead
    if (!rtc.wait_for_edge(until - clock.now())) return std::optional<Landing>();
    edge = clock.now();
    Result<RtcTime> after = rtc.read();
    if (!after) return after.error();
    shown_s = rtc_time_as_utc_unix_s(*after);
  }
  const Nanos error = Nanos(shown_s * kNsPerS) - target(edge).time_since_epoch();
  return std::optional<Landing>(Landing{error, uncertainty, edge - write_at});
}

// Whether a write restarted the RTC: its first edge came first_tick after the
// write, or later by at most the write's own duration (the divider is
// released somewhere inside it).
bool restarted_by_write(const Landing& landing, Nanos first_tick, Nanos write_took) {
  const Nanos slack = kRestartTolerance + landing.uncertainty;
  return landing.after_write >= first_tick - slack && landing.after_write <= first_tick + write_took + slack;
}

// After a timed write found no edge: an RTC that still shows the value
// written, more than kStoppedAfter after the write, does not run.
Status ticked_since_write(RtcDevice& rtc, SystemClock& clock, int64_t written_s, Nanos write_began) {
  Result<RtcTime> now = rtc.read();
  if (!now) return now.error();
  const Nanos still_for = clock.monotonic() - write_began;
  if (rtc_time_as_utc_unix_s(*now) != written_s || still_for < kStoppedAfter) return Status::success();
  return not_running_after_set_error(
      rtc, "is stopped: its seconds did not advance in " + ms_text(still_for) + " after the write");
}

bool landed_well(const Landing& landing) {
  return std::llabs(landing.error.count()) + landing.uncertainty.count() <= kGoodSetError.count();
}

// A phase the write could not move: the residual, timed again at the next edge
// when the first bracket was too wide to know it within kGoodSetError.
Result<Landing> measure_residual(RtcDevice& rtc, SystemClock& clock, const RtcTarget& target,
                                 const Landing& first, SysTime write_at) {
  if (first.uncertainty <= kGoodSetError) return first;
  const SysTime until = write_at + first.after_write + std::chrono::seconds(1) + kVerifyAfter;
  auto again = time_landing(rtc, clock, target, write_at, until);
  if (!again) return again.error();
  if (*again && (*again)->uncertainty < first.uncertainty) return **again;
  return first;
}

// An unverified write over an RTC that keeps its phase, with an edge known at
// `edge`: it shows the value written until its next edge at that phase after
// the write ended (`done`), then one more.
SetOnEdgeResult landed_at_kept_phase(SetOnEdgeResult result, const RtcTarget& target, SysTime edge, SysTime done) {
  const int64_t since_ns = ns_of(done) - ns_of(edge);
  const SysTime next_edge = edge + Nanos((floor_div(since_ns, kNsPerS) + 1) * kNsPerS);
  const int64_t written_s = rtc_time_as_utc_unix_s(result.written);
  result.lateness = target(next_edge).time_since_epoch() - Nanos((written_s + 1) * kNsPerS);
  result.first_tick = next_edge - result.system_at_write;
  result.phase_kept = true;
  return result;
}

}  // namespace

Nanos rtc_minus_system(const EdgeReading& reading) {
  return Nanos(rtc_time_as_utc_unix_s(reading.rtc) * kNsPerS) - reading.system_at_edge.time_since_epoch();
}

Result<EdgeReading> read_at_edge(RtcDevice& rtc, SystemClock& clock, Nanos timeout) {
  const Nanos started = clock.monotonic();
  Nanos deadline = started + timeout;
  for (int round = 1;; ++round) {
    PollWatch watch;
    auto polled = poll_edge(rtc, clock, deadline, std::nullopt, &watch);
    if (polled) {
      if (!*polled) return wait_at_edge(rtc, clock, deadline);
      // A bracket this wide: a read returned late (the reader was preempted);
      // time the next edge instead while tries remain.
      if ((*polled)->width <= kWideBracket || round >= kMaxEdgeAttempts) {
        return EdgeReading{(*polled)->rtc, (*polled)->edge, round, (*polled)->width / 2};
      }
      deadline = clock.monotonic() + std::max(timeout, kDefaultEdgeTimeout);
      continue;
    }
    if (clock.monotonic() < deadline) return polled.error();  // the read itself failed
    // No edge by the deadline. Seconds that stood still over more than a
    // second of sure watching: the RTC is stopped. Otherwise the reader was
    // held up (a busy machine): look again, a bounded number of times.
    if (!watch.moved && watch.unchanged_for >= kStoppedAfter) {
      return failure(rtc.name(),
                     "is stopped: its seconds did not advance in " + ms_text(watch.unchanged_for) +
                         " (no seconds edge)",
                     "set it (rtcal systohc); if it stops again, check the battery and the kernel log (dmesg)");
    }
    if (round >= kMaxEdgeAttempts) {
      return failure(rtc.name(),
                     "no seconds edge timed in " + ms_text(clock.monotonic() - started) + " (" +
                         std::to_string(round) + " tries); the RTC runs, but this program was held up each time",
                     "the machine is too busy to time the RTC; try again when it is quieter");
    }
    deadline = clock.monotonic() + std::max(timeout, kDefaultEdgeTimeout);
  }
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
  const Nanos first_tick = rtc.first_tick_after_set();
  const Nanos budget_end = clock.monotonic() + options.budget;
  // What a try costs from now: the wait for its moment, then its first edge.
  auto fits = [&](Nanos wait) { return clock.monotonic() + wait + first_tick + kVerifyAfter <= budget_end; };
  std::optional<SetOnEdgeResult> last;
  int writes = 0;
  bool running_seen = !options.running_unconfirmed;
  std::vector<MissedMoment> missed;
  int tries = options.attempts;
  Nanos max_lateness = options.max_lateness;
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
    if (last && !fits(when - now)) {
      last->budget_ran_out = true;
      return *last;
    }
    if (!running_seen && options.trust_clean_restart) {  // an untrusted write is timed anyway
      auto ticked = watch_for_tick(rtc, clock, when - kSpinMargin);  // a tick shows it runs
      if (!ticked) return ticked.error();
      running_seen = *ticked;
    }
    sleep_until(clock, when - kSpinMargin);
    spin_until(clock, when);
    // The monotonic clock around the whole write shows a preemption anywhere
    // in it (the system clock may be stepped by someone else meanwhile).
    const Nanos write_began = clock.monotonic();
    const SysTime write_at = clock.now();
    // Round, never ceil: a late wake-up must not write the next second.
    const int64_t late_value_ns = ns_of(target(write_at)) - delay.count();
    const int64_t value_s = floor_div(late_value_ns + kNsPerS / 2, kNsPerS);
    const Nanos lateness(late_value_ns - value_s * kNsPerS);
    const bool last_attempt = attempt + 1 == options.attempts || !fits(std::chrono::seconds(1));
    // The last try the budget allows, with nothing written yet: a write up to
    // kFinalLateness late is taken (timed and reported), a later one ends the tries.
    const bool final_by_budget = last_attempt && !last && attempt + 1 < options.attempts;
    const Nanos allowed = final_by_budget ? std::max(options.max_lateness, kFinalLateness)
                          : last_attempt  ? options.max_lateness
                                          : std::min(options.max_lateness, kGoodLateness);
    if (std::llabs(lateness.count()) > allowed.count()) {
      missed.push_back(MissedMoment{write_at, when});
      if (!final_by_budget) continue;
      tries = attempt + 1;
      max_lateness = allowed;
      break;
    }
    const RtcTime fields = utc_fields_of_unix_s(value_s);
    if (Status written = rtc.set(fields); !written) return written.error();
    const Nanos took = clock.monotonic() - write_began;
    ++writes;
    SetOnEdgeResult result;
    result.written = fields;
    result.system_at_write = write_at;
    result.lateness = lateness;
    result.write_lateness = lateness;
    result.delay = delay;
    result.writes = writes;
    result.seen_running_before_write = running_seen;
    result.missed = missed;
    if (!verify) {
      if (options.kept_phase_edge) return landed_at_kept_phase(result, target, *options.kept_phase_edge, clock.now());
      // The RTC's divider restarts somewhere inside the write: a write that took
      // long (preempted) may have started it late. Write again on the next second.
      if (!last_attempt && std::llabs(lateness.count()) + took.count() > kGoodLateness.count()) continue;
      return result;
    }
    if (options.trust_clean_restart && running_seen &&
        std::llabs(lateness.count()) + took.count() <= kGoodLateness.count()) {
      return result;  // the restart lies within [write_at, write_at + took]: not timed
    }
    // A running RTC's first edge comes within a second; without one in
    // kStoppedAfter, it does not run (ticked_since_write).
    const SysTime until = write_at + kStoppedAfter + kVerifyAfter;
    auto landing = time_landing(rtc, clock, target, write_at, until);
    if (!landing) return landing.error();
    if (!*landing) {
      if (Status runs = ticked_since_write(rtc, clock, value_s, write_began); !runs) return runs.error();
    } else {
      running_seen = true;
      result.verified_error = (*landing)->error;
      result.verified_uncertainty = (*landing)->uncertainty;
      result.lateness = -(*landing)->error;
      result.first_tick = (*landing)->after_write;
      if (!restarted_by_write(**landing, first_tick, took)) {
        auto residual = measure_residual(rtc, clock, target, **landing, write_at);
        if (!residual) return residual.error();
        result.phase_kept = true;
        result.verified_error = residual->error;
        result.verified_uncertainty = residual->uncertainty;
        result.lateness = -residual->error;
        return result;
      }
      if (landed_well(**landing)) return result;
    }
    if (last_attempt) {
      result.budget_ran_out = attempt + 1 < options.attempts;
      return result;
    }
    last = result;
  }
  if (last) return *last;
  return failure(rtc.name(),
                 "could not write within " + ms_text(max_lateness) + " of the right moment in " +
                     std::to_string(tries) + (tries == 1 ? " try" : " tries"),
                 "the system is too busy to time the write; try again when it is quieter");
}

Status check_runs_after_set(RtcDevice& rtc, SystemClock& clock, Nanos timeout) {
  auto edge = read_at_edge(rtc, clock, timeout);
  if (edge) return Status::success();
  return not_running_after_set_error(rtc, edge.error().cause);
}

Error not_running_after_set_error(const RtcDevice& rtc, const std::string& detail) {
  return failure(rtc.name(),
                 "was set, but it does not run (" + detail +
                     "): its oscillator stayed stopped, as a dead battery leaves an MC146818 and the "
                     "kernel's driver keeps it",
                 "on a PC set it over the CMOS ports, which restart the divider: rtcal --directisa systohc; "
                 "if it stops again, replace the battery");
}

}  // namespace rtcal
