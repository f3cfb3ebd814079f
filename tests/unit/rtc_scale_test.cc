// A LOCAL RTC's fields as a point in time (src/rtc_scale): unique times;
// times skipped by a spring-forward change (read with the offset before it,
// with a note naming the time and the offset); times repeated by a fall-back
// change (read as util-linux hwclock reads them). hwclock calls glibc's
// mktime with tm_isdst = -1 as the first mktime of its process; the oracle
// here is exactly that, in a forked child, for every skipped or repeated
// quarter hour of 2026-2027 in zones with 1 h, 30 min and southern changes.
#include "src/hwclock/rtc_scale.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

#include <doctest/doctest.h>

#include "tests/unit/test_support.h"

#include "src/dates/local_time.h"

using namespace rtcal;

namespace {

using test_support::ScopedTz;

// mktime(tm_isdst = -1) as the first mktime of a fresh process (hwclock's),
// in a forked child: this process's own earlier mktime calls change glibc's
// starting guess for repeated times.
int64_t fresh_mktime(const RtcTime& f) {
  int pipe_fd[2];
  REQUIRE(pipe(pipe_fd) == 0);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    std::tm tm{};
    tm.tm_year = f.year - 1900;
    tm.tm_mon = f.month - 1;
    tm.tm_mday = f.day;
    tm.tm_hour = f.hour;
    tm.tm_min = f.minute;
    tm.tm_sec = f.second;
    tm.tm_isdst = -1;
    const int64_t t = std::mktime(&tm);
    const ssize_t n = write(pipe_fd[1], &t, sizeof t);
    _exit(n == sizeof t ? 0 : 1);
  }
  close(pipe_fd[1]);
  int64_t t = 0;
  const ssize_t n = read(pipe_fd[0], &t, sizeof t);
  close(pipe_fd[0]);
  int status = 0;
  waitpid(child, &status, 0);
  REQUIRE(n == static_cast<ssize_t>(sizeof t));
  return t;
}

}  // namespace

TEST_CASE("rtc scale: a LOCAL time skipped by spring forward takes the offset before the change") {
  ScopedTz tz("Europe/Berlin");
  const RtcTime fields{2026, 3, 29, 2, 30, 5};
  auto r = read_fields_on_scale(fields, state::RtcScale::local);
  REQUIRE(r.ok());
  CHECK(r->unix_s == 1774747805);  // 01:30:05 UTC = 02:30:05 CET = 03:30:05 CEST
  CHECK(r->zone_offset_s == 3600);
  CHECK(r->note ==
        "the RTC reads 2026-03-29 02:30:05 local time, which does not exist in Europe/Berlin (clocks jumped "
        "from 02:00 to 03:00 on 2026-03-29): read with the offset before the change, +01:00, as hwclock does "
        "(2026-03-29 03:30:05+02:00); rtcal systohc writes the RTC in the new offset");
  CHECK(r->unix_s == fresh_mktime(fields));
}

TEST_CASE("rtc scale: a repeated LOCAL time is read as hwclock reads it, and said so") {
  ScopedTz tz("Europe/Berlin");
  const RtcTime fields{2026, 10, 25, 2, 30, 0};
  auto r = read_fields_on_scale(fields, state::RtcScale::local);
  REQUIRE(r.ok());
  CHECK(r->unix_s == 1792891800);  // the second 02:30, CET (glibc's search from UTC lands there)
  CHECK(r->zone_offset_s == 3600);
  CHECK(r->note.find("which happened twice in Europe/Berlin (clocks went back from 03:00 to 02:00 on "
                     "2026-10-25): read as the second, +01:00, as hwclock does") != std::string::npos);
  ScopedTz ny("America/New_York");
  auto first = read_fields_on_scale(RtcTime{2026, 11, 1, 1, 30, 0}, state::RtcScale::local);
  REQUIRE(first.ok());
  CHECK(first->zone_offset_s == -4 * 3600);  // New York's repeated 01:30 is the first (EDT)
  CHECK(first->note.find("read as the first, -04:00") != std::string::npos);
}

TEST_CASE("rtc scale: unique LOCAL times and UTC carry no note") {
  ScopedTz tz("Europe/Berlin");
  auto winter = read_fields_on_scale(RtcTime{2026, 1, 15, 12, 0, 0}, state::RtcScale::local);
  REQUIRE(winter.ok());
  CHECK(winter->unix_s == 1768474800);
  CHECK(winter->zone_offset_s == 3600);
  CHECK(winter->note.empty());
  auto utc = read_fields_on_scale(RtcTime{2026, 3, 29, 2, 30, 0}, state::RtcScale::utc);
  REQUIRE(utc.ok());
  CHECK(utc->unix_s == 1774751400);
  CHECK(utc->note.empty());
  CHECK_FALSE(read_fields_on_scale(RtcTime{2026, 2, 30, 0, 0, 0}, state::RtcScale::local).ok());
}

TEST_CASE("rtc scale: every skipped or repeated quarter hour agrees with a fresh glibc mktime (hwclock)") {
  int checked = 0;
  for (const char* zone : {"Europe/Berlin", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe",
                           "Europe/London", "America/Santiago", "Pacific/Chatham"}) {
    ScopedTz tz(zone);
    for (int year = 2026; year <= 2027; ++year) {
      for (int month = 1; month <= 12; ++month) {
        for (int day = 1; day <= 31; ++day) {
          for (int minute = 0; minute < 24 * 60; minute += 15) {
            const RtcTime fields{year, month, day, minute / 60, minute % 60, 7};
            if (!rtc_time_is_valid(fields)) continue;
            const LocalResolution lr = resolve_local_fields(fields);
            if (lr.kind == LocalResolution::Kind::unique) continue;
            CAPTURE(zone);
            CAPTURE(format_rtc_time(fields));
            auto r = read_fields_on_scale(fields, state::RtcScale::local);
            REQUIRE(r.ok());
            CHECK(r->unix_s == fresh_mktime(fields));
            CHECK_FALSE(r->note.empty());
            if (lr.kind == LocalResolution::Kind::gap) CHECK(r->zone_offset_s == lr.offset_before_s);
            ++checked;
          }
        }
      }
    }
  }
  MESSAGE(checked << " skipped or repeated local times checked against mktime");
  CHECK(checked > 80);
}
