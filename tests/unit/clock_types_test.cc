// Calendar arithmetic of rtc/clock_types against known dates and libc's timegm.
#include "base/clock_types.h"

#include <ctime>
#include <random>

#include <doctest/doctest.h>

using namespace rtcal;

TEST_CASE("clock_types: known dates") {
  CHECK(rtc_time_as_utc_unix_s({1970, 1, 1, 0, 0, 0}) == 0);
  CHECK(rtc_time_as_utc_unix_s({2038, 1, 19, 3, 14, 8}) == 2147483648LL);
  CHECK(rtc_time_as_utc_unix_s({1996, 11, 1, 0, 0, 0}) == 846806400LL);
  CHECK(utc_fields_of_unix_s(951782400LL) == RtcTime{2000, 2, 29, 0, 0, 0});
  CHECK(utc_fields_of_unix_s(-1) == RtcTime{1969, 12, 31, 23, 59, 59});
}

TEST_CASE("clock_types: round trip against timegm over random times") {
  const unsigned seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int64_t> dist(-2'000'000'000LL, 8'000'000'000LL);
  for (int i = 0; i < 10000; ++i) {
    const int64_t t = dist(rng);
    const RtcTime fields = utc_fields_of_unix_s(t);
    REQUIRE(rtc_time_is_valid(fields));
    REQUIRE(rtc_time_as_utc_unix_s(fields) == t);
    std::tm tm{};
    const time_t tt = static_cast<time_t>(t);
    gmtime_r(&tt, &tm);
    REQUIRE(fields.year == tm.tm_year + 1900);
    REQUIRE(fields.month == tm.tm_mon + 1);
    REQUIRE(fields.day == tm.tm_mday);
  }
}

TEST_CASE("clock_types: validity") {
  CHECK_FALSE(rtc_time_is_valid({2026, 2, 29, 0, 0, 0}));
  CHECK(rtc_time_is_valid({2024, 2, 29, 0, 0, 0}));
  CHECK_FALSE(rtc_time_is_valid({2100, 2, 29, 0, 0, 0}));
  CHECK(rtc_time_is_valid({2000, 2, 29, 0, 0, 0}));
  CHECK_FALSE(rtc_time_is_valid({2026, 1, 1, 24, 0, 0}));
  CHECK_FALSE(rtc_time_is_valid({2026, 13, 1, 0, 0, 0}));
}

TEST_CASE("clock_types: unix seconds and SysTime") {
  CHECK(to_unix_s(from_unix_s(1795427168.25)) == doctest::Approx(1795427168.25).epsilon(1e-15));
  CHECK(from_unix_s(-0.5).time_since_epoch().count() == -500'000'000);
}
