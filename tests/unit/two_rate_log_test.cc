// The power history apply corrects for (src/two_rate_log.h power_days_between):
// every on and off stretch since the last adjustment, across several boots
// when shutdown left the RTC alone, boots at their measured true time; and
// boot_anchor, the last measurement apply carries to this boot.
#include "src/measure/two_rate_log.h"

#include <vector>

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

// boot_anchor (what apply carries to this boot): the last measurement of the
// open segment, the steps logged after it, the days on and off since.
namespace {

rtcal::state::LogRecord record(rtcal::state::RecordType type, double t, int line) {
  rtcal::state::LogRecord r;
  r.type = type;
  r.time_unix_s = t;
  r.line = line;
  return r;
}

rtcal::state::LogRecord measured(double t, double error_s, int line) {
  rtcal::state::LogRecord r = record(rtcal::state::RecordType::measurement, t, line);
  r.rtc_error_s = error_s;
  r.sigma_s = 0.01;
  r.source = "boot";
  return r;
}

rtcal::state::LogRecord stepped(double t, double amount_s, int line) {
  rtcal::state::LogRecord r = record(rtcal::state::RecordType::step, t, line);
  r.amount_s = amount_s;
  r.reason = "adjust";
  return r;
}

}  // namespace

TEST_CASE("two_rate_log: boot_anchor is the last measurement plus the steps since, and the days since") {
  using rtcal::state::RecordType;
  const double d = kPowerTestDayS;
  std::vector<rtcal::state::LogRecord> log = {
      record(RecordType::shutdown, 0.0, 1), record(RecordType::boot, 1.0 * d, 2), measured(1.0 * d, 7.0, 3),
      record(RecordType::shutdown, 1.5 * d, 4), record(RecordType::boot, 4.5 * d, 5), stepped(4.5 * d, -2.0, 6),
      measured(4.5 * d, 3.0, 7), stepped(4.6 * d, 0.5, 8), record(RecordType::shutdown, 5.0 * d, 9)};
  const auto a = rtcal::boot_anchor(rtcal::view_of(log), 7.0 * d);
  REQUIRE(a.has_value());
  CHECK(a->line == 7);
  CHECK(a->error_s == doctest::Approx(3.5));  // the step after it counts; the one before is in it
  CHECK(a->on_days == doctest::Approx(0.5));
  CHECK(a->off_days == doctest::Approx(2.0));

  SUBCASE("a reset after it: no anchor (the RTC changed by an unknown amount)") {
    log.insert(log.end() - 1, record(RecordType::reset, 4.8 * d, 10));
    CHECK_FALSE(rtcal::boot_anchor(rtcal::view_of(log), 7.0 * d).has_value());
  }
  SUBCASE("no shutdown after the last boot: no anchor (the power history is unknown)") {
    log.push_back(record(RecordType::boot, 6.0 * d, 10));
    CHECK_FALSE(rtcal::boot_anchor(rtcal::view_of(log), 7.0 * d).has_value());
  }
  SUBCASE("a dropped measurement is passed over") {
    rtcal::state::LogRecord drop = record(RecordType::drop, 5.1 * d, 10);
    drop.target_line = 7;
    log.push_back(drop);
    const auto earlier = rtcal::boot_anchor(rtcal::view_of(log), 7.0 * d);
    REQUIRE(earlier.has_value());
    CHECK(earlier->line == 3);
    CHECK(earlier->error_s == doctest::Approx(7.0 - 2.0 + 0.5));
    CHECK(earlier->on_days == doctest::Approx(0.5 + 0.5));
    CHECK(earlier->off_days == doctest::Approx(3.0 + 2.0));
  }
}
