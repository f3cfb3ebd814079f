// Time types shared by the RTC drivers, the system clock and the commands.
//
// SysTime is a point on the system clock's (UTC, POSIX) time scale with
// nanosecond resolution; Nanos is a duration. RtcTime is what an RTC holds:
// broken-down fields with no zone. Whether those fields mean UTC or local time
// is decided by /etc/adjtime line 3, in src/, never in a driver.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>

namespace rtcal {

using Nanos = std::chrono::nanoseconds;
using SysTime = std::chrono::sys_time<std::chrono::nanoseconds>;

inline constexpr int64_t kNsPerS = 1'000'000'000;

// A duration in (fractional) seconds. Divides, so 24.56 s stays 24.56, not
// 24.560000000000002.
inline double seconds_of(Nanos n) { return static_cast<double>(n.count()) / 1e9; }

// floor(a / b) for any signs (b != 0).
inline int64_t floor_div(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// "12 ms": a duration in whole milliseconds, for messages.
inline std::string ms_text(Nanos n) { return std::to_string(n.count() / 1'000'000) + " ms"; }

// Nanoseconds since the epoch of a SysTime.
inline int64_t ns_of(SysTime t) { return t.time_since_epoch().count(); }

struct RtcTime {
  int year = 1970;  // full year, e.g. 2026
  int month = 1;    // 1-12
  int day = 1;      // 1-31
  int hour = 0;     // 0-23
  int minute = 0;   // 0-59
  int second = 0;   // 0-59 (an RTC never holds a leap second)
  friend bool operator==(const RtcTime&, const RtcTime&) = default;
};

// Days since 1970-01-01 for a proleptic Gregorian civil date (any year).
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);

// Seconds since the epoch if the fields are read as UTC (timegm without libc).
int64_t rtc_time_as_utc_unix_s(const RtcTime& t);

// The fields of a unix time in UTC.
RtcTime utc_fields_of_unix_s(int64_t unix_s);

// True when the fields name a real date and time (Feb 30, hour 24 are not).
bool rtc_time_is_valid(const RtcTime& t);

// "2026-11-23 10:56:10": the fields as they are, no zone.
std::string format_rtc_time(const RtcTime& t);

// The day of the week of the fields' date, 0-6, 0 = Sunday.
int weekday_of(const RtcTime& t);

// Whole seconds (floor) since the epoch and the nanoseconds past them.
std::pair<int64_t, int64_t> split_seconds(SysTime t);

// ".250" for 250'000'000 ns with 3 digits: the fraction truncated to
// `digits` (0-9; 0 gives "").
std::string fraction_text(int64_t nanos, int digits);

// "2026-11-23 10:56:10 UTC", or "2026-11-23 10:56:10.250 UTC" with 3
// digits; the fraction is truncated.
std::string format_utc_time(SysTime t, int fraction_digits = 0);

// Seconds (fractional) since the epoch of a SysTime, and back.
double to_unix_s(SysTime t);
SysTime from_unix_s(double unix_s);

}  // namespace rtcal
