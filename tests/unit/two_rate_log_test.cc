// The power history apply corrects for (src/two_rate_log.h power_days_between):
// every on and off stretch since the last adjustment, across several boots
// when shutdown left the RTC alone, boots at their measured true time.
#include "src/measure/two_rate_log.h"

#include <doctest/doctest.h>

using rtcal::LogView;
using rtcal::PowerDays;
using rtcal::PowerEvent;

namespace {

constexpr double kPowerTestDayS = 86400.0;

PowerEvent boot(double t, const char* id) { return PowerEvent{true, 0, t, id, 0}; }
PowerEvent shutdown(double t) { return PowerEvent{false, 0, t, "", 0}; }

}  // namespace

TEST_CASE("two_rate_log: power days since the last adjustment span several boots") {
  LogView view;
  // adjusted at 0 (running); shutdown 0.5; boot 3.5; shutdown 5.5; boot 6.5 (now 6.5 + a bit)
  view.power_events = {boot(-1 * kPowerTestDayS, "a"), shutdown(0.5 * kPowerTestDayS), boot(3.5 * kPowerTestDayS, "b"), shutdown(5.5 * kPowerTestDayS)};
  const PowerDays d = rtcal::power_days_between(view, 0.0, 6.5 * kPowerTestDayS);
  CHECK(d.on_days == doctest::Approx(0.5 + 2.0));
  CHECK(d.off_days == doctest::Approx(3.0 + 1.0));
}

TEST_CASE("two_rate_log: a boot counts at its measured true time; an adjustment while off") {
  LogView view;
  view.power_events = {shutdown(1.0 * kPowerTestDayS), boot(2.0 * kPowerTestDayS + 40.0, "b"), shutdown(3.0 * kPowerTestDayS)};
  view.boot_true_time["b"] = 2.0 * kPowerTestDayS;  // the RTC read 40 s fast at that boot
  // From 0.5 (on: the first event after it is a shutdown) to 4.0.
  const PowerDays d = rtcal::power_days_between(view, 0.5 * kPowerTestDayS, 4.0 * kPowerTestDayS);
  CHECK(d.on_days == doctest::Approx(0.5 + 1.0));
  CHECK(d.off_days == doctest::Approx(1.0 + 1.0));
  // From 1.5, during the off stretch: off until the boot.
  const PowerDays off = rtcal::power_days_between(view, 1.5 * kPowerTestDayS, 4.0 * kPowerTestDayS);
  CHECK(off.on_days == doctest::Approx(1.0));
  CHECK(off.off_days == doctest::Approx(0.5 + 1.0));
}
