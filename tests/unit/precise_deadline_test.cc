// read_at_edge under load (issue 12 item 5): a reader held up across the edge
// (its read returned late) looks again, a bounded number of times, instead of
// failing with "no seconds edge"; a stopped RTC (its seconds stand still over
// more than a second of sure watching) is named as stopped at once.
#include <chrono>
#include <cstdlib>

#include <doctest/doctest.h>

#include "rtc/precise.h"
#include "tests/unit/precise_fakes.h"

using namespace rtcal;
using namespace rtcal::testing;
using namespace std::chrono_literals;

namespace {

struct HeldWorld : FakeWorld {
  explicit HeldWorld(int64_t sub_second_ns) : FakeWorld(0, sub_second_ns) {}
};

}  // namespace

TEST_CASE("precise: a reader held up across the edge looks again instead of failing") {
  HeldWorld w(100'000'000);  // the edge 0.9 s away
  w.rtc.held_up_read = 3;
  w.rtc.held_up_ns = 1'500'000'000;  // preempted 1.5 s: the edge passes unseen, the RTC shows +2
  const Nanos before = w.clock.monotonic();
  auto reading = read_at_edge(w.rtc, w.clock);
  REQUIRE(reading.ok());
  CHECK(reading->edges_waited == 2);
  CHECK(std::llabs(rtc_minus_system(*reading).count()) <= 100'000);
  CHECK(w.clock.monotonic() - before <= 3300ms);
}

TEST_CASE("precise: a held-up reader whose seconds did not yet move is not called stopped") {
  HeldWorld w(50'000'000);  // the edge 0.95 s away
  w.rtc.held_up_read = 1;
  w.rtc.held_up_ns = 1'000'000'000;  // the first read returns 1 s late, still showing the old second
  auto reading = read_at_edge(w.rtc, w.clock);
  REQUIRE(reading.ok());
  CHECK(std::llabs(rtc_minus_system(*reading).count()) <= 100'000);
}

TEST_CASE("precise: a stopped RTC is named as stopped after one deadline, not retried") {
  HeldWorld w(300'000'000);
  w.rtc.frozen_reads = true;
  const Nanos before = w.clock.monotonic();
  auto reading = read_at_edge(w.rtc, w.clock);
  REQUIRE_FALSE(reading.ok());
  CHECK(reading.error().cause.find("is stopped: its seconds did not advance in") == 0);
  CHECK(w.clock.monotonic() - before <= 1150ms);
}

TEST_CASE("precise: a stopped RTC whose first read was held up is watched longer, then named, bounded") {
  HeldWorld w(300'000'000);
  w.rtc.frozen_reads = true;
  w.rtc.held_up_read = 1;
  w.rtc.held_up_ns = 800'000'000;  // the first read returns late: only 0.3 s of sure watching by the deadline
  const Nanos before = w.clock.monotonic();
  auto reading = read_at_edge(w.rtc, w.clock);
  REQUIRE_FALSE(reading.ok());
  CHECK(reading.error().cause.find("is stopped") == 0);
  CHECK(w.clock.monotonic() - before <= 3400ms);
}
