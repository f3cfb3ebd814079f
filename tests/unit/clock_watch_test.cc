// The clock-step watch: a steady or slewed clock passes; a step of the
// system clock (here an hour, as a mistaken time zone would make it) fails
// with a message naming the step and what to do.
#include <doctest/doctest.h>

#include "rtc/clock_watch.h"

namespace {

// A system clock whose realtime and monotonic readings tests move by hand.
class HandClock final : public rtcal::SystemClock {
 public:
  std::string name() const override { return "system clock"; }
  rtcal::SysTime now() override { return rtcal::SysTime(realtime); }
  rtcal::Nanos monotonic() override { return mono; }
  void sleep_for(rtcal::Nanos d) override { realtime += d; mono += d; }
  rtcal::Status set(rtcal::SysTime t) override { realtime = t.time_since_epoch(); return rtcal::Status::success(); }
  rtcal::Status step(rtcal::Nanos d) override { realtime += d; return rtcal::Status::success(); }
  rtcal::Nanos realtime{int64_t{1795427168} * 1'000'000'000};
  rtcal::Nanos mono{1'000'000'000};
};

using std::chrono::milliseconds;
using std::chrono::seconds;

}  // namespace

TEST_CASE("clock_watch: a clock that only runs passes") {
  HandClock clock;
  rtcal::ClockWatch watch(clock);
  clock.sleep_for(seconds(3));
  CHECK(watch.check("the measurement"));
}

TEST_CASE("clock_watch: slewing at 500 ppm and a 40 ms step pass") {
  HandClock clock;
  rtcal::ClockWatch watch(clock);
  clock.sleep_for(seconds(10));
  clock.realtime += milliseconds(5);  // 500 ppm over 10 s
  clock.realtime += milliseconds(40);
  CHECK(watch.check("the measurement"));
}

TEST_CASE("clock_watch: an hour's step during a measurement fails, naming it") {
  HandClock clock;
  rtcal::ClockWatch watch(clock);
  clock.sleep_for(seconds(1));
  REQUIRE(clock.step(seconds(3600)));
  auto s = watch.check("the measurement");
  REQUIRE_FALSE(s);
  CHECK(s.error().kind == rtcal::ErrorKind::failure);
  CHECK(s.error().message() ==
        "system clock: was stepped by +3600.000 s during the measurement (it moved 3601.000 s while 1.000 s "
        "passed) (nothing was recorded; stop what sets the clock meanwhile, e.g. chronyd, ntpd or "
        "systemd-timesyncd, or simply measure again)");
}

TEST_CASE("clock_watch: a step back of 100 ms fails") {
  HandClock clock;
  rtcal::ClockWatch watch(clock);
  clock.sleep_for(milliseconds(500));
  clock.realtime -= milliseconds(100);
  CHECK_FALSE(watch.check("the measurement"));
}
