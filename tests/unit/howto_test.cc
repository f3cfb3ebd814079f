// The Clock mini-HOWTO's manual method (calibration/howto): the factor
// formula with both signs, day-of-year intervals across January 1 in leap
// and common years, range checks, and agreement with rtcal's
// --update-drift on the same data over random seeds.
#include "calibration/howto.h"

#include <cstdlib>
#include <random>

#include <doctest/doctest.h>

#include "calibration/drift.h"

using namespace rtcal::calibration;

TEST_CASE("howto: factor formula with both signs, exact per RTC day") {
  // The HOWTO's (old * days + added) / days, divided instead by the RTC's
  // own count of days, days - added / 86400.
  auto exact = [](double old_factor, double days, double added) {
    return (old_factor * days + added) / (days - added / 86400.0);
  };
  // RTC 12 s fast after 10 days, no old factor: you had to add -12 s.
  CHECK(howto_factor(0.0, 10.0, -12.0) == doctest::Approx(exact(0.0, 10.0, -12.0)).epsilon(1e-14));
  CHECK(howto_factor(0.0, 10.0, -12.0) == doctest::Approx(-1.2).epsilon(2e-5));  // the HOWTO's -1.2
  // RTC 5 s slow after 2 days: add +5 s.
  CHECK(howto_factor(0.0, 2.0, 5.0) == doctest::Approx(exact(0.0, 2.0, 5.0)).epsilon(1e-14));
  CHECK(howto_factor(0.0, 2.0, 5.0) == doctest::Approx(2.5).epsilon(3e-5));
  // Old factor -9.6 already applied for 25 days; still 3 s fast.
  CHECK(howto_factor(-9.6, 25.0, -3.0) == doctest::Approx(exact(-9.6, 25.0, -3.0)).epsilon(1e-14));
  CHECK(howto_factor(-9.6, 25.0, -3.0) == doctest::Approx(-9.72).epsilon(2e-6));
  // Old factor overcorrected: add +2 s over 4 days.
  CHECK(howto_factor(-1.0, 4.0, 2.0) == doctest::Approx(exact(-1.0, 4.0, 2.0)).epsilon(1e-14));
  // An RTC 1000 ppm fast (86.4 s/day) over 100 days: exactly -86.4 / 1.001 per RTC day.
  CHECK(howto_factor(0.0, 100.0, -8640.0) == doctest::Approx(-86.4 / 1.001).epsilon(1e-14));
}

TEST_CASE("howto: leap years") {
  CHECK(is_leap_year(2024));
  CHECK(is_leap_year(2000));
  CHECK_FALSE(is_leap_year(2023));
  CHECK_FALSE(is_leap_year(1900));
  CHECK_FALSE(is_leap_year(2100));
  CHECK(days_in_year(2024) == 366);
  CHECK(days_in_year(2025) == 365);
}

TEST_CASE("howto: days between day-of-year numbers") {
  CHECK(days_between_days_of_year(10, 40, 2026) == 30);
  CHECK(days_between_days_of_year(40, 40, 2026) == 0);
  // Across January 1: the first reading's year length counts.
  CHECK(days_between_days_of_year(350, 10, 2023) == 25);  // 2023 has 365 days
  CHECK(days_between_days_of_year(350, 10, 2024) == 26);  // 2024 has 366 days
  CHECK(days_between_days_of_year(366, 1, 2024) == 1);    // Dec 31 2024 -> Jan 1 2025
  CHECK(days_between_days_of_year(365, 1, 2023) == 1);
  CHECK(days_between_days_of_year(1, 366, 2024) == 365);
}

TEST_CASE("howto: day numbers out of range are rejected") {
  CHECK_FALSE(days_between_days_of_year(0, 10, 2026).has_value());
  CHECK_FALSE(days_between_days_of_year(10, 0, 2026).has_value());
  CHECK_FALSE(days_between_days_of_year(366, 10, 2023).has_value());  // common year
  CHECK_FALSE(days_between_days_of_year(10, 366, 2023).has_value());
  CHECK_FALSE(days_between_days_of_year(367, 10, 2024).has_value());
  CHECK_FALSE(days_between_days_of_year(10, 367, 2024).has_value());
  CHECK_FALSE(days_between_days_of_year(-5, 10, 2024).has_value());
  CHECK(days_between_days_of_year(366, 10, 2024).has_value());
}

TEST_CASE("howto: agrees with --update-drift on the same data (seed printed)") {
  const char* fixed = std::getenv("RTCAL_SEED");
  const unsigned seed = fixed ? static_cast<unsigned>(std::strtoul(fixed, nullptr, 10)) : std::random_device{}();
  INFO("seed " << seed << " (replay: RTCAL_SEED=" << seed << ")");
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> factor_dist(-100.0, 100.0);
  std::uniform_real_distribution<double> added_dist(-300.0, 300.0);
  std::uniform_int_distribution<int64_t> days_dist(1, 400);
  for (int i = 0; i < 5000; ++i) {
    const double old_factor = factor_dist(rng);
    const int64_t days = days_dist(rng);
    const double added = added_dist(rng);
    const int64_t t0 = 1'600'000'000;
    const DriftState state{old_factor, t0, 0.0, t0};
    const double true_s = static_cast<double>(t0 + days * 86400);
    // The raw RTC reading whose corrected value (rtc + drift(rtc)) is `added` short of true.
    const double rtc = (true_s - added + static_cast<double>(t0) * old_factor / 86400.0) /
                       (1.0 + old_factor / 86400.0);
    const DriftUpdate u = update_drift(state, true_s, rtc);
    const double howto = howto_factor(old_factor, static_cast<double>(days), added);
    if (u.kind == DriftUpdate::Kind::updated) {
      // The same exact update, to the 2.4e-7 s a double resolves of a time
      // near 1.6e9 s, over the interval.
      REQUIRE(std::abs(u.factor_s_per_rtc_day - howto) <= 1e-6 / static_cast<double>(days));
    } else {
      REQUIRE(u.kind == DriftUpdate::Kind::reset_too_large);
      REQUIRE(std::abs(howto) > 2145.0);
    }
  }
}
