// --date parsing and time formatting (src/date_parse): every hwclock 2.38.1
// form, rtcal's additions, exact error messages for dates that do not exist
// or are ambiguous, in UTC, Europe/Berlin and America/New_York (TZ is set
// per test and restored), against a fixed `now`.
#include "src/dates/date_parse.h"

#include <cstdlib>
#include <ctime>
#include <optional>
#include <random>
#include <string>

#include <doctest/doctest.h>

#include "tests/unit/test_support.h"

using namespace rtcal;

namespace {

using test_support::ScopedTz;

// 2026-11-23 10:56:10.25 UTC: a Monday; 11:56 in Berlin, 05:56 in New York.
const SysTime kNow = from_unix_s(1795431370.25);

SysTime at(int64_t unix_s, int64_t nanos = 0) {
  return SysTime{std::chrono::seconds(unix_s)} + Nanos(nanos);
}

// The parsed instant, failing the test with the message on error.
SysTime parsed(const std::string& text) {
  const Result<SysTime> r = parse_date(text, "--date", kNow);
  INFO("--date '" << text << "'");
  if (!r.ok()) FAIL_CHECK(r.error().message());
  return r.ok() ? r.value() : SysTime{};
}

std::string error_of(const std::string& text) {
  const Result<SysTime> r = parse_date(text, "--date", kNow);
  if (r.ok()) return "(accepted: " + format_utc_time(r.value(), 9) + ")";
  CHECK(r.error().kind == ErrorKind::usage);
  return r.error().message();
}

}  // namespace

TEST_CASE("date_parse: absolute forms hwclock accepts, in UTC") {
  ScopedTz tz("UTC");
  CHECK(parsed("2026-11-23 10:56:10") == at(1795431370));
  CHECK(parsed("2026-11-23T10:56:10") == at(1795431370));
  CHECK(parsed("2026-11-23 10:56") == at(1795431360));
  CHECK(parsed("2026-11-23") == at(1795392000));
  CHECK(parsed("26-11-23 10:56:10") == at(1795431370));  // %y: 00-68 are 20xx
  CHECK(parsed("96-11-01") == at(846806400));             // 69-99 are 19xx
  CHECK(parsed("1996-11-1 0:0:0") == at(846806400));      // one-digit fields
  CHECK(parsed("19961101000000") == at(846806400));
  // hwclock 2.38.1 drops the seconds of the compact form (gives 10:56:00); rtcal keeps them.
  CHECK(parsed("20261123105610") == at(1795431370));
  CHECK(parsed("  1996-11-01 00:00:00  ") == at(846806400));
  CHECK(parsed("Fri 1996-11-01") == at(846806400));
  CHECK(parsed("friday 1996-11-01 00:00") == at(846806400));
  CHECK(parsed("10:00") == at(1795392000 + 36000));        // today, from `now`
  CHECK(parsed("10:00:30") == at(1795392000 + 36030));
}

TEST_CASE("date_parse: fractions, epoch and zone suffixes") {
  ScopedTz tz("Europe/Berlin");
  CHECK(parsed("2026-11-23 10:56:10.25 UTC") == at(1795431370, 250'000'000));
  CHECK(parsed("2026-11-23 10:56:10,5Z") == at(1795431370, 500'000'000));
  CHECK(parsed("2026-11-23T10:56:10.123456789z") == at(1795431370, 123'456'789));
  CHECK(parsed("@1795431370") == at(1795431370));
  CHECK(parsed("@1795431370.5") == at(1795431370, 500'000'000));
  CHECK(parsed("@-1.5") == at(-2, 500'000'000));
  CHECK(parsed("2026-11-23 11:56:10+01:00") == at(1795431370));
  CHECK(parsed("2026-11-23 11:56:10 +0100") == at(1795431370));
  CHECK(parsed("2026-11-23 05:56:10-05") == at(1795431370));
  CHECK(parsed("2026-11-23 16:41:10 +05:45") == at(1795431370));
  CHECK(parsed("2026-11-23 +01:00") == at(1795388400));
  // A bare time with a zone takes today's date in that zone.
  CHECK(parsed("23:30 -05:00") == at(1795410000 + 23 * 3600 + 1800));
  // Local (Berlin, CET) without a suffix.
  CHECK(parsed("2026-11-23 11:56:10") == at(1795431370));
  CHECK(parsed("2026-07-01 14:00") == at(1782907200));  // CEST
}

TEST_CASE("date_parse: relative forms against a fixed now") {
  ScopedTz tz("Europe/Berlin");
  const int64_t now_s = 1795431370;
  const int64_t quarter = 250'000'000;
  CHECK(parsed("now") == kNow);
  CHECK(parsed("NOW") == kNow);
  CHECK(parsed("+5min") == at(now_s + 300, quarter));
  CHECK(parsed("+ 5 min") == at(now_s + 300, quarter));
  CHECK(parsed("-1 day") == at(now_s - 86400, quarter));
  CHECK(parsed("-5days") == at(now_s - 5 * 86400, quarter));
  CHECK(parsed("2 weeks ago") == at(now_s - 14 * 86400, quarter));
  CHECK(parsed("+1h 30min") == at(now_s + 5400, quarter));
  CHECK(parsed("+1h30min") == at(now_s + 5400, quarter));
  CHECK(parsed("+1.5d") == at(now_s + 129600, quarter));
  CHECK(parsed("+1month") == at(now_s + 2629800, quarter));  // 30.44 days, as hwclock
  CHECK(parsed("+1y") == at(now_s + 31557600, quarter));     // 365.25 days
  CHECK(parsed("+250ms") == at(now_s, 2 * quarter));
  CHECK(parsed("+5") == at(now_s + 5, quarter));
  CHECK(parsed("+1.5") == at(now_s + 1, 3 * quarter));
  CHECK(parsed("-2m") == at(now_s - 120, quarter));          // m is minutes
  CHECK(parsed("+2us") == at(now_s, quarter + 2000));
  CHECK(parsed("+1 week 2 days") == at(now_s + 9 * 86400, quarter));
  CHECK(parsed("now - 2 hours") == at(now_s - 7200, quarter));
  CHECK(parsed("now+90s") == at(now_s + 90, quarter));
  CHECK(parsed("today") == at(1795388400));  // Berlin midnight (CET)
  CHECK(parsed("yesterday") == at(1795388400 - 86400));
  CHECK(parsed("tomorrow") == at(1795388400 + 86400));
  CHECK(parsed("today + 10h") == at(1795388400 + 36000));
}

TEST_CASE("date_parse: keywords follow the local zone") {
  ScopedTz tz("America/New_York");
  CHECK(parsed("today") == at(1795410000));  // 2026-11-23 00:00 EST
  CHECK(parsed("12:00") == at(1795410000 + 12 * 3600));
  CHECK(parsed("2026-11-01 00:00 +00:00") == at(1793491200));
  // Midnight on the day after the fall-back change is still one instant.
  CHECK(parsed("2026-11-02") == at(1793491200 + 86400 + 5 * 3600));
}

TEST_CASE("date_parse: dates that do not exist are refused") {
  ScopedTz tz("UTC");
  CHECK(error_of("2026-02-30 10:00") ==
        "--date '2026-02-30 10:00': February 2026 has no day 30 (give a date that exists)");
  CHECK(error_of("2026-02-29") == "--date '2026-02-29': February 2026 has no day 29 (give a date that exists)");
  CHECK(error_of("2024-02-29").starts_with("(accepted: 2024-02-29 00:00:00"));
  CHECK(error_of("2026-04-31") == "--date '2026-04-31': April 2026 has no day 31 (give a date that exists)");
  CHECK(error_of("2026-13-01") == "--date '2026-13-01': month 13 does not exist (give a month from 1 to 12)");
  CHECK(error_of("2026-11-23 25:00") ==
        "--date '2026-11-23 25:00': hour 25 does not exist (give an hour from 0 to 23)");
  CHECK(error_of("2026-11-23 10:61") ==
        "--date '2026-11-23 10:61': minute 61 does not exist (give a minute from 0 to 59)");
  CHECK(error_of("2026-11-23 10:59:60") ==
        "--date '2026-11-23 10:59:60': second 60 does not exist here (give a second from 0 to 59; rtcal "
        "does not take leap seconds)");
  CHECK(error_of("Sat 1996-11-01") ==
        "--date 'Sat 1996-11-01': 1996-11-01 is a Friday, not a Saturday (fix the date or drop the weekday)");
  CHECK(error_of("2026-11-23 10:00 +25:00") ==
        "--date '2026-11-23 10:00 +25:00': zone offset hours must be 0-23 and minutes 0-59 (give an "
        "offset such as +01:00 or -0500)");
}

TEST_CASE("date_parse: a time skipped by a DST change is refused") {
  SUBCASE("Europe/Berlin") {
    ScopedTz tz("Europe/Berlin");
    CHECK(error_of("2026-03-29 02:30") ==
          "--date '2026-03-29 02:30': 2026-03-29 02:30 does not exist in Europe/Berlin: clocks jumped from "
          "02:00 to 03:00 on 2026-03-29 (give a time outside the gap, or a zone suffix such as +01:00)");
    CHECK(error_of("2026-03-29 02:00:00").find("does not exist in Europe/Berlin") != std::string::npos);
    CHECK(parsed("2026-03-29 01:59:59") == at(1774746000 - 1));
    CHECK(parsed("2026-03-29 03:00") == at(1774746000));
    CHECK(parsed("2026-03-29 02:30 +01:00") == at(1774746000 + 1800));
  }
  SUBCASE("America/New_York") {
    ScopedTz tz("America/New_York");
    CHECK(error_of("2026-03-08 02:15") ==
          "--date '2026-03-08 02:15': 2026-03-08 02:15 does not exist in America/New_York: clocks jumped "
          "from 02:00 to 03:00 on 2026-03-08 (give a time outside the gap, or a zone suffix such as -05:00)");
    CHECK(parsed("2026-03-08 03:00") == at(1772953200));
  }
}

TEST_CASE("date_parse: a time repeated by a DST change is refused as ambiguous") {
  ScopedTz tz("Europe/Berlin");
  CHECK(error_of("2026-10-25 02:30") ==
        "--date '2026-10-25 02:30': 2026-10-25 02:30 is ambiguous in Europe/Berlin: clocks went back from "
        "03:00 to 02:00 on 2026-10-25, so it happened twice (add a zone offset: '2026-10-25 02:30 +02:00' "
        "for the first, '2026-10-25 02:30 +01:00' for the second)");
  CHECK(parsed("2026-10-25 02:30 +02:00") == at(1792888200));
  CHECK(parsed("2026-10-25 02:30 +01:00") == at(1792891800));
  CHECK(parsed("2026-10-25 01:59:59") == at(1792888200 - 1801));
  CHECK(parsed("2026-10-25 03:00") == at(1792891800 + 1800));
}

TEST_CASE("date_parse: unknown text lists the accepted forms") {
  ScopedTz tz("UTC");
  const std::string forms =
      " (use e.g. '2026-11-23 10:56:10', '2026-11-23T10:56', '2026-11-23', '10:56', '@1795427168', 'now', "
      "'today', 'yesterday', 'tomorrow', '+5min', '-2 days', 'now - 2 hours', '3 hours ago'; local time "
      "unless it ends in Z, UTC or an offset such as +01:00)";
  CHECK(error_of("next friday") == "--date 'next friday': not a date or time rtcal understands" + forms);
  CHECK(error_of("Nov 1 1996") == "--date 'Nov 1 1996': not a date or time rtcal understands" + forms);
  CHECK(error_of("2026-11-23 10:56:10 CET").find("not a date or time") != std::string::npos);
  CHECK(error_of("202-11-23").find("not a date or time") != std::string::npos);
  CHECK(error_of("2026-11-23 10:56:10.") .find("not a date or time") != std::string::npos);
  CHECK(error_of("") == "--date '': no date given (give a date such as '2026-11-23 10:56:10' or 'now')");
  CHECK(error_of("+5 parsecs") ==
        "--date '+5 parsecs': 'parsecs' is not a time unit (give a number and a unit (s, min, h, d, w, "
        "month, y, ms, us), e.g. '+90min', '-2 days' or '3 hours ago')");
  CHECK(error_of("+5mins").starts_with("--date '+5mins': 'mins' is not a time unit"));
  CHECK(error_of("+").starts_with("--date '+': no duration given"));
  CHECK(error_of("@12abc") ==
        "--date '@12abc': expected seconds since 1970-01-01 00:00 UTC after '@' (give e.g. '@1795427168' or "
        "'@1795427168.25')");
  CHECK(error_of("now 10:00") ==
        "--date 'now 10:00': expected '+' or '-' and a duration after 'now' (write e.g. 'now + 2 hours')");
  CHECK(error_of("3000-01-01") ==
        "--date '3000-01-01': the year 3000 is outside the range rtcal handles (give a date between 1678 "
        "and 2261)");
}

TEST_CASE("date_parse: the object names the option given") {
  ScopedTz tz("UTC");
  const Result<SysTime> r = parse_date("2026-02-30", "--from", kNow);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().object == "--from '2026-02-30'");
}

TEST_CASE("date_parse: format_local_time and format_utc_time") {
  const SysTime t = at(1795431370, 250'000'000);
  {
    ScopedTz tz("UTC");
    CHECK(format_local_time(t) == "2026-11-23 10:56:10.250000+00:00");
  }
  {
    ScopedTz tz("Europe/Berlin");
    CHECK(format_local_time(t) == "2026-11-23 11:56:10.250000+01:00");
    CHECK(format_local_time(at(1782907200)) == "2026-07-01 14:00:00.000000+02:00");
    CHECK(format_local_time(t, 0) == "2026-11-23 11:56:10+01:00");
    CHECK(format_local_time(t, 3) == "2026-11-23 11:56:10.250+01:00");
  }
  {
    ScopedTz tz("America/New_York");
    CHECK(format_local_time(t) == "2026-11-23 05:56:10.250000-05:00");
  }
  {
    ScopedTz tz("Asia/Kathmandu");
    CHECK(format_local_time(t, 0) == "2026-11-23 16:41:10+05:45");
  }
  CHECK(format_utc_time(t) == "2026-11-23 10:56:10 UTC");
  CHECK(format_utc_time(t, 3) == "2026-11-23 10:56:10.250 UTC");
  CHECK(format_utc_time(at(-2, 500'000'000), 1) == "1969-12-31 23:59:58.5 UTC");
}

TEST_CASE("date_parse: formatted local times parse back to the same instant (seed printed)") {
  const char* fixed = std::getenv("RTCAL_SEED");
  const unsigned seed = fixed ? static_cast<unsigned>(std::strtoul(fixed, nullptr, 10)) : std::random_device{}();
  INFO("seed " << seed << " (replay: RTCAL_SEED=" << seed << ")");
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int64_t> seconds(0, 4'000'000'000);
  std::uniform_int_distribution<int64_t> nanos(0, 999'999'999);
  for (const char* zone : {"UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe"}) {
    ScopedTz tz(zone);
    for (int i = 0; i < 3000; ++i) {
      const SysTime t = at(seconds(rng), nanos(rng));
      const std::string text = format_local_time(t, 9);
      INFO(zone << " " << text);
      const Result<SysTime> back = parse_date(text, "--date", kNow);
      REQUIRE(back.ok());
      REQUIRE(back.value() == t);
      // Without the offset: the same instant, or an error naming the DST change.
      const Result<SysTime> local = parse_date(text.substr(0, text.size() - 6), "--date", kNow);
      if (local.ok()) {
        REQUIRE(local.value() == t);
      } else {
        REQUIRE(local.error().cause.find("is ambiguous in") != std::string::npos);
      }
    }
  }
}
