// set_at_kept_phase (rtc/kept_phase_set.h): an RTC that keeps its phase
// across a write (Linux's rtc_cmos on AMD) is written at once after an edge
// read, its landing computed from that edge, on the fakes of precise_fakes.h.
#include <chrono>
#include <cstdlib>

#include <doctest/doctest.h>

#include "rtc/kept_phase_set.h"
#include "tests/unit/precise_fakes.h"

using namespace rtcal;
using namespace rtcal::testing;
using namespace std::chrono_literals;

namespace {

// The RTC's value minus the target at its next edge, in ns.
int64_t kept_rtc_ahead_ns(FakeRtc& rtc, FakeClock& clock, Nanos offset) {
  auto reading = read_at_edge(rtc, clock);
  REQUIRE(reading.ok());
  return (rtc_minus_system(*reading) - offset).count();
}

// The phase folded into the nearest second's residual: [-0.5, 0.5) s.
int64_t kept_folded_ns(int64_t ns) { return ((ns % kNsPerS) + kNsPerS + kNsPerS / 2) % kNsPerS - kNsPerS / 2; }

struct KeptWorld : FakeWorld {
  KeptWorld(int64_t start_fraction_ns, int64_t rtc_minus_true_ns) : FakeWorld(rtc_minus_true_ns, start_fraction_ns) {
    rtc.keeps_phase = true;
  }
};

}  // namespace

TEST_CASE("kept phase: written once right after the edge read, the residual computed within 0.1 ms") {
  for (const int64_t phase_ms : {8, 120, 438, 501, 730, 990}) {
    for (const Nanos offset : {0ns, Nanos(3600 * kNsPerS + 250'000'000)}) {  // UTC; LOCAL-like with a fraction
      CAPTURE(phase_ms);
      CAPTURE(offset.count());
      KeptWorld w(37'000'000, 5 * kNsPerS - phase_ms * 1'000'000);
      auto edge = read_at_edge(w.rtc, w.clock);
      REQUIRE(edge.ok());
      const Nanos before = w.clock.monotonic();
      auto set = set_at_kept_phase(w.rtc, w.clock, target_with_offset(offset), *edge);
      REQUIRE(set.ok());
      CHECK(w.clock.monotonic() - before <= 1ms);  // no wait for a moment, no edge timed
      CHECK(set->phase_kept);
      CHECK(set->writes == 1);
      CHECK(w.rtc.writes == 1);
      CHECK_FALSE(set->verified_error.has_value());
      REQUIRE(set->first_tick.has_value());
      CHECK(*set->first_tick > 900ms);  // the next edge at the old phase, a second after the read
      CHECK(*set->first_tick <= 1s);
      // The nearest second: the residual is the phase (against the target) folded into ±0.5 s.
      const int64_t expected = kept_folded_ns(-phase_ms * 1'000'000 - offset.count());
      CHECK(std::llabs(-set->lateness.count() - expected) <= 100'000);
      // What it computed is what the RTC then does.
      CHECK(std::llabs(kept_rtc_ahead_ns(w.rtc, w.clock, offset) + set->lateness.count()) <= 100'000);
    }
  }
}

TEST_CASE("kept phase: a reading whose next edge is too near is written just after that edge") {
  KeptWorld w(0, 2 * kNsPerS - 300'000'000);
  auto edge = read_at_edge(w.rtc, w.clock);
  REQUIRE(edge.ok());
  w.t.true_ns += 990'000'000;  // held up: the next edge is 10 ms away
  const Nanos before = w.clock.monotonic();
  auto set = set_at_kept_phase(w.rtc, w.clock, target_with_offset(0ns), *edge);
  REQUIRE(set.ok());
  CHECK(w.clock.monotonic() - before <= 40ms);
  CHECK(set->writes == 1);
  CHECK(*set->first_tick > 900ms);
  CHECK(std::llabs(kept_rtc_ahead_ns(w.rtc, w.clock, 0ns) + set->lateness.count()) <= 100'000);
}

TEST_CASE("kept phase: a write held up into the next edge is made again, at most three times") {
  KeptWorld w(0, 2 * kNsPerS - 700'000'000);
  auto edge = read_at_edge(w.rtc, w.clock);
  REQUIRE(edge.ok());
  w.rtc.set_cost_ns = 995'000'000;  // the first write ends 5 ms before the edge
  w.rtc.slow_sets = 1;
  auto set = set_at_kept_phase(w.rtc, w.clock, target_with_offset(0ns), *edge);
  REQUIRE(set.ok());
  CHECK(set->writes == 2);
  CHECK(std::llabs(kept_rtc_ahead_ns(w.rtc, w.clock, 0ns) + set->lateness.count()) <= 100'000);

  KeptWorld always(0, 2 * kNsPerS - 700'000'000);
  auto edge2 = read_at_edge(always.rtc, always.clock);
  REQUIRE(edge2.ok());
  always.rtc.set_cost_ns = 1'010'000'000;  // every write ends past the edge
  always.rtc.slow_sets = 100;
  auto last = set_at_kept_phase(always.rtc, always.clock, target_with_offset(0ns), *edge2);
  REQUIRE(last.ok());
  CHECK(last->writes == kKeptPhaseMaxWrites);
  CHECK(always.rtc.writes == kKeptPhaseMaxWrites);
  always.rtc.slow_sets = 0;
  CHECK(std::llabs(kept_rtc_ahead_ns(always.rtc, always.clock, 0ns) + last->lateness.count()) <= 100'000);
}

TEST_CASE("kept phase: a reading bracketed wider than 1 ms has its next edge timed") {
  KeptWorld w(0, 2 * kNsPerS - 400'000'000);
  auto edge = read_at_edge(w.rtc, w.clock);
  REQUIRE(edge.ok());
  EdgeReading wide = *edge;
  wide.system_at_edge += 3ms;  // the middle of a 10 ms bracket, 3 ms from the edge
  wide.uncertainty = 5ms;
  auto set = set_at_kept_phase(w.rtc, w.clock, target_with_offset(0ns), wide);
  REQUIRE(set.ok());
  REQUIRE(set->verified_error.has_value());
  CHECK(set->lateness == -*set->verified_error);
  CHECK(std::llabs(kept_rtc_ahead_ns(w.rtc, w.clock, 0ns) - set->verified_error->count()) <= 100'000);
}
