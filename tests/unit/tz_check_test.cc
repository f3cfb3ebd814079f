// The TZ check: known zones, POSIX rules and glibc's UTC pass; a zone that
// does not exist is a usage error naming TZ, the file looked for and the fix.
#include <doctest/doctest.h>

#include "src/hwclock/tz_check.h"

using rtcal::check_time_zone;

TEST_CASE("tz_check: unset, empty and glibc's built-in UTC pass") {
  CHECK(check_time_zone(nullptr, "/nonexistent"));
  CHECK(check_time_zone("", "/nonexistent"));
  CHECK(check_time_zone("UTC", "/nonexistent"));
  CHECK(check_time_zone(":GMT", "/nonexistent"));
}

TEST_CASE("tz_check: POSIX rules pass without a zone file") {
  CHECK(check_time_zone("EST5EDT", "/nonexistent"));
  CHECK(check_time_zone("JST-9", "/nonexistent"));
  CHECK(check_time_zone("<+0530>-5:30", "/nonexistent"));
  CHECK(check_time_zone("CET-1CEST,M3.5.0,M10.5.0/3", "/nonexistent"));
}

TEST_CASE("tz_check: a zone file that exists passes") {
  CHECK(check_time_zone("Europe/Berlin", "/usr/share/zoneinfo"));
  CHECK(check_time_zone(":Europe/Berlin", "/usr/share/zoneinfo"));
  CHECK(check_time_zone("/usr/share/zoneinfo/America/New_York", "/nonexistent"));
}

TEST_CASE("tz_check: an unknown zone is a usage error saying what to do") {
  auto s = check_time_zone("Europe/Berln", "/usr/share/zoneinfo");
  REQUIRE_FALSE(s);
  CHECK(s.error().kind == rtcal::ErrorKind::usage);
  CHECK(s.error().message() ==
        "TZ=Europe/Berln: unknown time zone: no /usr/share/zoneinfo/Europe/Berln and not a POSIX rule "
        "(the C library would quietly use UTC) (give a zone from /usr/share/zoneinfo, e.g. "
        "TZ=Europe/Berlin, or unset TZ)");
  CHECK_FALSE(check_time_zone("Nowhere", "/usr/share/zoneinfo"));
  CHECK_FALSE(check_time_zone(":EST5EDT", "/nonexistent"));
  CHECK_FALSE(check_time_zone("../../etc/passwd", "/usr/share/zoneinfo"));
}
