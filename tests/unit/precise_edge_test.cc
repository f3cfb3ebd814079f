// Edge timing in rtc/precise on the fakes of precise_fakes.h: the total
// deadline of read_at_edge, the edge missed before the wait took hold (seen in
// the QEMU lab as a 2 s `hctosys`), polling that ignores a late wake-up, and
// the verified write that is done again when its edge lands wrong.
#include <chrono>
#include <cstdlib>

#include <doctest/doctest.h>

#include "rtc/edge_poll.h"
#include "rtc/precise.h"
#include "tests/unit/precise_fakes.h"

using namespace rtcal;
using namespace rtcal::testing;
using namespace std::chrono_literals;

TEST_CASE("precise: an edge that passed before the wait took hold is taken at the next wake-up, within 1.1 s") {
  FakeTime t;
  t.true_ns = kStart_s * kNsPerS + 998'000'000;  // 2 ms before an edge
  FakeClock clock(t, 0);                     // a clock that cannot be polled: the wait path
  FakeRtc rtc(t, 0, 0.5);
  rtc.missed_edges = 1;  // the edge at kStart_s + 1 passes unseen; the wake-up comes at kStart_s + 2
  const Nanos before = clock.monotonic();
  auto reading = read_at_edge(rtc, clock);
  REQUIRE(reading.ok());
  CHECK(reading->edges_waited == 1);  // not rejected as "two seconds on" and waited for again
  CHECK(rtc_time_as_utc_unix_s(reading->rtc) == kStart_s + 2);
  CHECK(std::llabs(rtc_minus_system(*reading).count()) <= 10'000);
  CHECK(clock.monotonic() - before <= 1100ms);
}

TEST_CASE("precise: read_at_edge has one deadline for all its edges") {
  FakeTime t;
  FakeClock clock(t, 0);
  FakeRtc rtc(t, 0, 0.5);
  rtc.stale_wakeups = 1;  // at once, showing the same second: then the real edge is 1 s away
  const Nanos before = clock.monotonic();
  REQUIRE_FALSE(read_at_edge(rtc, clock, 500ms).ok());
  CHECK(clock.monotonic() - before == 500ms);  // not 500 ms for each edge waited
  rtc.frozen = true;
  const Nanos frozen_from = clock.monotonic();
  REQUIRE_FALSE(read_at_edge(rtc, clock, 700ms).ok());
  CHECK(clock.monotonic() - frozen_from == 700ms);
}

TEST_CASE("precise: on a clock that moves, the edge is polled: a late wake-up does not bias the reading") {
  FakeTime t;
  t.true_ns = kStart_s * kNsPerS + 321'000'000;
  FakeClock clock(t, 250'000'000);  // the system clock 0.25 s ahead of true time
  FakeRtc rtc(t, 0, 0.5);
  clock.now_cost_ns = 1'000;
  rtc.read_cost_ns = 30'000;          // an RTC_RD_TIME under emulation
  rtc.wake_latency_ns = 12'000'000;   // update interrupts 12 ms late, as in the QEMU lab
  auto reading = read_at_edge(rtc, clock);
  REQUIRE(reading.ok());
  CHECK(rtc.waits == 0);
  CHECK(reading->uncertainty <= 40us);  // half of at most two reads and their timestamps
  CHECK(std::llabs((rtc_minus_system(*reading) + 250ms).count()) <= 20'000);
}

TEST_CASE("precise: poll_edge brackets the change, stops when the edge sought has passed, and is bounded") {
  FakeTime t;
  t.true_ns = kStart_s * kNsPerS + 900'000'000;
  FakeClock clock(t, 0);
  FakeRtc rtc(t, 0, 0.5);
  auto still = poll_edge(rtc, clock, clock.monotonic() + 1s);
  REQUIRE(still.ok());
  CHECK_FALSE(still->has_value());  // the clock stands still: cannot poll

  clock.now_cost_ns = 2'000;
  rtc.read_cost_ns = 10'000;
  auto edge = poll_edge(rtc, clock, clock.monotonic() + 1s);
  REQUIRE(edge.ok());
  REQUIRE(edge->has_value());
  CHECK((*edge)->from_s == kStart_s);
  CHECK(rtc_time_as_utc_unix_s((*edge)->rtc) == kStart_s + 1);
  CHECK((*edge)->width <= 30us);
  CHECK(std::llabs(((*edge)->edge.time_since_epoch() - std::chrono::seconds(kStart_s + 1)).count()) <= 10'000);

  auto passed = poll_edge(rtc, clock, clock.monotonic() + 1s, kStart_s);
  REQUIRE(passed.ok());
  CHECK_FALSE(passed->has_value());

  rtc.frozen_reads = true;
  const Nanos from = clock.monotonic();
  auto none = poll_edge(rtc, clock, from + 300ms);
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().cause.find("no seconds edge within") == 0);
  CHECK(clock.monotonic() - from <= 301ms);
}

TEST_CASE("precise: a write whose edge lands 4 ms late is timed and done again; the result says how it landed") {
  FakeTime t;
  t.true_ns = kStart_s * kNsPerS + 123'000'000;
  FakeClock clock(t, 0);
  FakeRtc rtc(t, 0, 0.5);
  clock.now_cost_ns = 1'000;
  rtc.read_cost_ns = 30'000;
  rtc.set_cost_ns = 4'000'000;  // the divider restarts 4 ms into the write (preempted)
  rtc.slow_sets = 1;
  const Nanos before = clock.monotonic();
  auto set = set_on_edge(rtc, clock, target_with_offset(0ns));
  REQUIRE(set.ok());
  CHECK(set->writes == 2);
  CHECK(rtc.writes == 2);
  REQUIRE(set->verified_error.has_value());
  CHECK(std::llabs(set->verified_error->count()) <= 50'000);
  CHECK(clock.monotonic() - before <= 3s);  // two writes and their edges, not more

  rtc.slow_sets = 100;  // every write slow: the last try is kept, and says so
  SetOnEdgeOptions unhurried;
  unhurried.budget = 20s;  // all 8 tries (the default 3 s budget allows 2 here)
  auto late = set_on_edge(rtc, clock, target_with_offset(0ns), unhurried);
  REQUIRE(late.ok());
  CHECK(late->writes == SetOnEdgeOptions{}.attempts);
  REQUIRE(late->verified_error.has_value());
  CHECK(std::llabs((*late->verified_error + 4ms).count()) <= 50'000);  // 4 ms behind
  CHECK(std::llabs((late->lateness - 4ms).count()) <= 50'000);
}

TEST_CASE("precise: a write that lands right is verified once and not repeated; a given --delay is not checked") {
  FakeTime t;
  t.true_ns = kStart_s * kNsPerS + 700'000'000;
  FakeClock clock(t, 0);
  FakeRtc rtc(t, 3 * kNsPerS, 0.5);
  clock.now_cost_ns = 1'000;
  const Nanos before = clock.monotonic();
  auto set = set_on_edge(rtc, clock, target_with_offset(0ns));
  REQUIRE(set.ok());
  CHECK(set->writes == 1);
  REQUIRE(set->verified_error.has_value());
  CHECK(std::llabs(set->verified_error->count()) <= 10'000);
  CHECK(clock.monotonic() - before <= 1s + 500ms + 50ms);  // the write, then its first edge

  SetOnEdgeOptions given;
  given.delay = 0ns;
  auto unchecked = set_on_edge(rtc, clock, target_with_offset(0ns), given);
  REQUIRE(unchecked.ok());
  CHECK_FALSE(unchecked->verified_error.has_value());
}
