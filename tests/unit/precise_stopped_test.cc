// set_on_edge over an RTC that was read to the second only (never seen to
// tick): a stopped RTC (divider held in reset, valid fields; Linux's
// rtc_cmos restores that reset after its set) must be noticed after the
// write, and a running one must not cost more than its first edge, on the
// fakes of precise_fakes.h (issue 12 item 1).
#include <chrono>
#include <cstdlib>

#include <doctest/doctest.h>

#include "rtc/precise.h"
#include "tests/unit/precise_fakes.h"

using namespace rtcal;
using namespace rtcal::testing;
using namespace std::chrono_literals;

namespace {

// A world 0.2 s past a system second; the RTC's edges come `edge_phase_ms`
// after the system clock's whole seconds (it shows true time + 7 s then).
struct PhasedWorld : FakeWorld {
  explicit PhasedWorld(int64_t edge_phase_ms) : FakeWorld(7 * kNsPerS - edge_phase_ms * 1'000'000, 200'000'000) {}
};

// Linux's rtc_cmos on Intel, the old value read to the second.
SetOnEdgeOptions unconfirmed() {
  SetOnEdgeOptions options;
  options.trust_clean_restart = true;
  options.running_unconfirmed = true;
  return options;
}

}  // namespace

TEST_CASE("precise: an RTC seen to tick while waiting for the moment gets the untimed clean write") {
  PhasedWorld w(400);  // an edge at .4, between now (.2) and the moment to write (.5)
  const Nanos before = w.clock.monotonic();
  auto set = set_on_edge(w.rtc, w.clock, target_with_offset(0ns), unconfirmed());
  REQUIRE(set.ok());
  CHECK(set->seen_running_before_write);
  CHECK_FALSE(set->verified_error.has_value());
  CHECK(w.clock.monotonic() - before <= 310ms);
}

TEST_CASE("precise: an RTC not seen to tick before the write has its first edge timed") {
  PhasedWorld w(0);  // edges at .0: none between .2 and the moment (.5)
  const Nanos before = w.clock.monotonic();
  auto set = set_on_edge(w.rtc, w.clock, target_with_offset(0ns), unconfirmed());
  REQUIRE(set.ok());
  CHECK_FALSE(set->seen_running_before_write);
  REQUIRE(set->verified_error.has_value());
  CHECK(std::llabs(set->verified_error->count()) <= 1'000'000);
  CHECK(set->writes == 1);
  CHECK(w.clock.monotonic() - before <= 820ms);  // the moment (0.3 s) and the first edge 0.5 s after
}

TEST_CASE("precise: a stopped RTC read to the second is set once, then named as stopped") {
  PhasedWorld w(0);
  w.rtc.frozen_reads = true;
  const Nanos before = w.clock.monotonic();
  auto set = set_on_edge(w.rtc, w.clock, target_with_offset(0ns), unconfirmed());
  REQUIRE_FALSE(set.ok());
  CHECK(set.error().cause.find("was set, but it does not run (is stopped: its seconds did not advance in ") == 0);
  CHECK(set.error().fix.find("rtcal --directisa systohc") != std::string::npos);
  CHECK(w.rtc.writes == 1);
  CHECK(w.clock.monotonic() - before <= 1450ms);  // the moment (0.3 s) and 1.1 s of watching
  auto shown = w.rtc.read();
  REQUIRE(shown.ok());
  CHECK(rtc_time_as_utc_unix_s(*shown) == kStart_s);  // it was set: the system time's second
}

TEST_CASE("precise: a stopped RTC under a timed write (no restart known) is not written again and again") {
  PhasedWorld w(0);
  w.rtc.frozen_reads = true;
  auto set = set_on_edge(w.rtc, w.clock, target_with_offset(0ns));  // verified, nothing trusted
  REQUIRE_FALSE(set.ok());
  CHECK(set.error().cause.find("was set, but it does not run") == 0);
  CHECK(w.rtc.writes == 1);
}
