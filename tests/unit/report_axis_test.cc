// Tick choice of the report's axes (src/report/axis): round steps and their
// labels, the range widened to whole steps, a zero-width range, the unit of
// the error axis, and calendar ticks from seconds to years with their labels
// and captions (midnight shows the day).
#include "src/report/axis.h"

#include <cmath>

#include <doctest/doctest.h>

#include "tests/unit/test_support.h"

using namespace rtcal::history;

namespace {

using rtcal::test_support::kNov1;
using rtcal::test_support::kHour;
using rtcal::test_support::kDay;

using Labels = std::vector<std::string>;
}  // namespace

TEST_CASE("report axis: linear ticks are round and cover the range") {
  Range r{0.13, 0.87};
  Ticks t = linear_ticks(r, 6);
  CHECK(t.step == doctest::Approx(0.2));
  CHECK(t.labels == Labels{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"});
  CHECK(r.min == 0.0);
  CHECK(r.max == doctest::Approx(1.0));

  Range n{-12.3, 4.1};
  t = linear_ticks(n, 5);
  CHECK(t.labels == Labels{"-15", "-10", "-5", "0", "5"});
  CHECK(n.min == -15.0);
  CHECK(n.max == 5.0);

  Range q{0.0, 1.0};
  t = linear_ticks(q, 5);
  CHECK(t.labels == Labels{"0.00", "0.25", "0.50", "0.75", "1.00"});

  Range big{-1200, 61000};
  t = linear_ticks(big, 9);
  CHECK(t.labels.front() == "-10000");
  CHECK(t.labels.back() == "70000");
}

TEST_CASE("report axis: no '-0' label, and a zero-width range still gets ticks") {
  Range r{-0.3, 0.3};
  for (const auto& label : linear_ticks(r, 7).labels) CHECK(label != "-0.0");
  Range flat{2.0, 2.0};
  Ticks t = linear_ticks(flat, 5);
  CHECK(t.values.size() >= 2);
  CHECK(flat.span() > 0);
  CHECK(flat.contains(2.0));
  Range zero{0.0, 0.0};
  CHECK(linear_ticks(zero, 5).values.size() >= 2);
}

TEST_CASE("report axis: padding and ranges") {
  CHECK(range_of({3.0, -1.0, NAN, 2.0}).min == -1.0);
  CHECK(range_of({3.0, -1.0, NAN, 2.0}).max == 3.0);
  const Range p = padded(Range{5, 5}, 0.1, 2);
  CHECK(p.min == 3.0);
  CHECK(p.max == 7.0);
  const Range q = padded(Range{0, 10}, 0.1, 2);
  CHECK(q.min == -1.0);
  CHECK(q.max == 11.0);
}

TEST_CASE("report axis: milliseconds within a second, seconds beyond") {
  CHECK(error_unit_for(Range{-0.004, 0.002}).name == "ms");
  CHECK(error_unit_for(Range{-0.004, 0.002}).per_s == 1000.0);
  CHECK(error_unit_for(Range{-2, 1}).name == "s");
  CHECK(error_unit_for(Range{0.5, 1.5}).name == "s");
}

TEST_CASE("report axis: date ticks on Mondays for a month") {
  const DateTicks t = date_ticks(Range{kNov1, kNov1 + 29 * kDay}, 8);
  CHECK(t.step == 7 * kDay);
  CHECK(t.labels == Labels{"Nov 2", "Nov 9", "Nov 16", "Nov 23", "Nov 30"});
  CHECK(t.caption == "UTC, 2026");
}

TEST_CASE("report axis: date ticks in hours, midnight shows the day") {
  const double nov23 = kNov1 + 22 * kDay;
  DateTicks t = date_ticks(Range{nov23 + 8 * kHour + 600, nov23 + 14 * kHour + 3000}, 8);
  CHECK(t.labels == Labels{"09:00", "10:00", "11:00", "12:00", "13:00", "14:00"});
  CHECK(t.caption == "UTC, 2026-11-23");
  t = date_ticks(Range{nov23 - 4 * kHour, nov23 + 4 * kHour}, 5);
  CHECK(t.labels == Labels{"20:00", "22:00", "Nov 23", "02:00", "04:00"});
  CHECK(t.caption == "UTC, 2026");
  t = date_ticks(Range{nov23, nov23 + 50}, 6);
  CHECK(t.labels == Labels{"00:00:00", "00:00:10", "00:00:20", "00:00:30", "00:00:40", "00:00:50"});
}

TEST_CASE("report axis: date ticks in months and years") {
  const double jan15 = 1768435200;  // 2026-01-15
  DateTicks t = date_ticks(Range{jan15, jan15 + 339 * kDay}, 6);
  CHECK(t.labels == Labels{"Mar 2026", "May 2026", "Jul 2026", "Sep 2026", "Nov 2026"});
  CHECK(t.caption == "UTC");
  t = date_ticks(Range{946684800, 1893456000}, 8);  // 2000-01-01 .. 2030-01-01
  CHECK(t.labels == Labels{"2000", "2005", "2010", "2015", "2020", "2025", "2030"});
}

TEST_CASE("report axis: a padded zero-width time range gets a few ticks") {
  const DateTicks t = date_ticks(padded(Range{kNov1 + 7, kNov1 + 7}, 0.03, 3600), 8);
  CHECK(t.values.size() >= 2);
  CHECK(t.values.size() <= 8);
  CHECK(utc_text(kNov1 + 7) == "2026-11-01 00:00:07");
  CHECK(utc_text(kNov1 + 7, false) == "2026-11-01 00:00");
}

TEST_CASE("axis: absurd ranges end quickly with few ticks (never a loop without end)") {
  using namespace rtcal::history;
  for (Range r : {Range{1e300, 1e300}, Range{-1e308, 1e308}, Range{1e15, 1e15 + 1}, Range{NAN, 5}, Range{0, INFINITY}}) {
    Range copy = r;
    const auto lin = linear_ticks(copy, 10);
    CHECK(lin.values.size() <= 10);
    const auto dates = date_ticks(r, 10);
    CHECK(dates.values.size() <= 10);
  }
}
