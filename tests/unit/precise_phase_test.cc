// set_on_edge over an RTC whose writes do not move its sub-second phase
// (Linux's rtc_cmos on AMD and Hygon CPUs leaves the MC146818's divider
// running), and its total time budget, on the fakes of precise_fakes.h.
#include <chrono>
#include <cstdlib>

#include <doctest/doctest.h>

#include "rtc/precise.h"
#include "tests/unit/precise_fakes.h"

using namespace rtcal;
using namespace rtcal::testing;
using namespace std::chrono_literals;

namespace {

// The RTC's value minus true time at its next edge, in ns (after a set).
int64_t rtc_ahead_ns(FakeRtc& rtc, FakeClock& clock) {
  auto reading = read_at_edge(rtc, clock);
  REQUIRE(reading.ok());
  return rtc_minus_system(*reading).count();
}

}  // namespace

TEST_CASE("precise: an RTC that keeps its phase is written once, and the residual is measured exactly") {
  // The RTC's edges come `phase` after the system clock's whole seconds.
  for (const int64_t phase_ms : {8, 120, 438, 501, 730, 990}) {
    CAPTURE(phase_ms);
    FakeTime t;
    t.true_ns = kStart_s * kNsPerS + 37'000'000;
    FakeClock clock(t, 0);
    clock.now_cost_ns = 1'000;
    FakeRtc rtc(t, 5 * kNsPerS - phase_ms * 1'000'000, 0.5);
    rtc.read_cost_ns = 20'000;
    rtc.keeps_phase = true;
    const Nanos before = clock.monotonic();
    auto set = set_on_edge(rtc, clock, target_with_offset(0ns));
    REQUIRE(set.ok());
    CHECK(clock.monotonic() - before <= 1500ms);  // the wait (< 0.5 s here), the write, its first edge (< 1 s)
    CHECK(set->phase_kept);
    CHECK(set->writes == 1);  // no useless retries
    CHECK(rtc.writes == 1);
    CHECK_FALSE(set->budget_ran_out);
    REQUIRE(set->verified_error.has_value());
    // The best whole second: the residual is the phase folded into ±0.5 s.
    const int64_t folded_ns = ((-phase_ms * 1'000'000) % kNsPerS + kNsPerS + kNsPerS / 2) % kNsPerS - kNsPerS / 2;
    CHECK(std::llabs(set->verified_error->count() - folded_ns) <= 1'000'000);
    CHECK(std::llabs(set->verified_error->count()) <= kNsPerS / 2 + 1'000'000);
    CHECK(set->lateness == -*set->verified_error);
    // What it says matches what the RTC does afterwards, within 1 ms.
    CHECK(std::llabs(rtc_ahead_ns(rtc, clock) - set->verified_error->count()) <= 1'000'000);
  }
}

TEST_CASE("precise: a restarting RTC is not taken for one that keeps its phase, even after a slow write") {
  FakeTime t;
  t.true_ns = kStart_s * kNsPerS + 640'000'000;
  FakeClock clock(t, 0);
  clock.now_cost_ns = 1'000;
  FakeRtc rtc(t, -2 * kNsPerS, 0.5);
  rtc.read_cost_ns = 20'000;
  rtc.set_cost_ns = 30'000'000;  // the divider restarts 30 ms into the first write
  rtc.slow_sets = 1;
  auto set = set_on_edge(rtc, clock, target_with_offset(0ns));
  REQUIRE(set.ok());
  CHECK_FALSE(set->phase_kept);
  CHECK(set->writes == 2);
  REQUIRE(set->verified_error.has_value());
  CHECK(std::llabs(set->verified_error->count()) <= 100'000);
  REQUIRE(set->first_tick.has_value());
  CHECK(std::llabs((*set->first_tick - 500ms).count()) <= 1'000'000);
}

TEST_CASE("precise: set_on_edge keeps to its total time budget on a machine where every write lands late") {
  FakeTime t;
  t.true_ns = kStart_s * kNsPerS + 900'000'000;
  FakeClock clock(t, 0);
  clock.now_cost_ns = 1'000;
  FakeRtc rtc(t, 0, 0.5);
  rtc.read_cost_ns = 20'000;
  rtc.set_cost_ns = 3'000'000;  // every write preempted for 3 ms
  rtc.slow_sets = 1000;
  const Nanos before = clock.monotonic();
  auto set = set_on_edge(rtc, clock, target_with_offset(0ns));
  REQUIRE(set.ok());
  CHECK(clock.monotonic() - before <= SetOnEdgeOptions{}.budget);
  CHECK(set->writes >= 2);
  CHECK(set->writes < SetOnEdgeOptions{}.attempts);
  CHECK(set->budget_ran_out);
  REQUIRE(set->verified_error.has_value());
  CHECK(std::llabs((*set->verified_error + 3ms).count()) <= 100'000);  // it says how it landed

  SetOnEdgeOptions longer;
  longer.budget = 20s;
  auto all = set_on_edge(rtc, clock, target_with_offset(0ns), longer);
  REQUIRE(all.ok());
  CHECK(all->writes == longer.attempts);
  CHECK_FALSE(all->budget_ran_out);
}

TEST_CASE("precise: trust_clean_restart skips timing a clean write's edge, but times a slow one") {
  FakeTime t;
  t.true_ns = kStart_s * kNsPerS + 200'000'000;
  FakeClock clock(t, 0);
  clock.now_cost_ns = 1'000;
  FakeRtc rtc(t, 7 * kNsPerS, 0.5);
  rtc.read_cost_ns = 20'000;
  SetOnEdgeOptions trusting;
  trusting.trust_clean_restart = true;
  const Nanos before = clock.monotonic();
  auto set = set_on_edge(rtc, clock, target_with_offset(0ns), trusting);
  REQUIRE(set.ok());
  CHECK(clock.monotonic() - before <= 310ms);  // to the moment (0.3 s), not to the edge after it
  CHECK_FALSE(set->verified_error.has_value());
  CHECK(std::llabs(rtc_ahead_ns(rtc, clock)) <= 100'000);

  rtc.set_cost_ns = 3'000'000;  // a preempted write: its edge is timed, and it is written again
  rtc.slow_sets = 1;
  auto slow = set_on_edge(rtc, clock, target_with_offset(0ns), trusting);
  REQUIRE(slow.ok());
  CHECK(slow->writes == 2);
  CHECK(std::llabs(rtc_ahead_ns(rtc, clock)) <= 100'000);
}

TEST_CASE("precise: an unverified write over an RTC that keeps its phase computes where it lands from a known edge") {
  FakeTime t;
  t.true_ns = kStart_s * kNsPerS + 5'000'000;
  FakeClock clock(t, 0);
  clock.now_cost_ns = 1'000;
  FakeRtc rtc(t, 2 * kNsPerS - 600'000'000, 0.5);  // edges 0.6 s after the system clock's seconds
  rtc.read_cost_ns = 20'000;
  rtc.keeps_phase = true;
  auto edge = read_at_edge(rtc, clock);
  REQUIRE(edge.ok());
  SetOnEdgeOptions once;
  once.verify = false;
  once.attempts = 1;
  once.kept_phase_edge = edge->system_at_edge;
  auto set = set_on_edge(rtc, clock, target_with_offset(0ns), once);
  REQUIRE(set.ok());
  CHECK(set->phase_kept);
  CHECK_FALSE(set->verified_error.has_value());
  // The RTC ends `lateness` behind the target: as the next edge shows.
  CHECK(std::llabs(rtc_ahead_ns(rtc, clock) + set->lateness.count()) <= 100'000);
  CHECK(std::llabs(set->lateness.count()) <= kNsPerS / 2 + 1'000'000);
}
