// Calendar arithmetic for RtcTime without libc's time zone state: the
// proleptic Gregorian calendar, valid for any year an RTC can hold.
#include "base/clock_types.h"

#include <cmath>
#include <cstdio>

namespace rtcal {

// Howard Hinnant's days_from_civil algorithm.
int64_t days_from_civil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<int64_t>(day_of_era) - 719468;
}

int64_t rtc_time_as_utc_unix_s(const RtcTime& t) {
  const int64_t days = days_from_civil(t.year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day));
  return days * 86400 + t.hour * 3600 + t.minute * 60 + t.second;
}

RtcTime utc_fields_of_unix_s(int64_t unix_s) {
  int64_t days = unix_s / 86400;
  int64_t rem = unix_s % 86400;
  if (rem < 0) {
    rem += 86400;
    days -= 1;
  }
  // civil_from_days, the inverse of days_from_civil.
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned mp = (5 * day_of_year + 2) / 153;
  RtcTime t;
  t.day = static_cast<int>(day_of_year - (153 * mp + 2) / 5 + 1);
  t.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  t.year = static_cast<int>(static_cast<int64_t>(year_of_era) + era * 400 + (t.month <= 2 ? 1 : 0));
  t.hour = static_cast<int>(rem / 3600);
  t.minute = static_cast<int>(rem / 60 % 60);
  t.second = static_cast<int>(rem % 60);
  return t;
}

static int days_in_month(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

bool rtc_time_is_valid(const RtcTime& t) {
  return t.month >= 1 && t.month <= 12 && t.day >= 1 && t.day <= days_in_month(t.year, t.month) &&
         t.hour >= 0 && t.hour <= 23 && t.minute >= 0 && t.minute <= 59 && t.second >= 0 &&
         t.second <= 59;
}

std::string format_rtc_time(const RtcTime& t) {
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d:%02d", t.year, t.month, t.day, t.hour,
                t.minute, t.second);
  return text;
}

double to_unix_s(SysTime t) {
  const auto ns = t.time_since_epoch().count();
  // Split so that whole seconds stay exact in the double.
  const int64_t whole = ns / 1'000'000'000;
  const int64_t frac = ns % 1'000'000'000;
  return static_cast<double>(whole) + static_cast<double>(frac) * 1e-9;
}

SysTime from_unix_s(double unix_s) {
  const double whole = std::floor(unix_s);
  const auto frac_ns = static_cast<int64_t>(std::llround((unix_s - whole) * 1e9));
  return SysTime(Nanos(static_cast<int64_t>(whole) * 1'000'000'000 + frac_ns));
}

int weekday_of(const RtcTime& t) {
  const int64_t days = days_from_civil(t.year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day));
  return static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday (4)
}

std::pair<int64_t, int64_t> split_seconds(SysTime t) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(t);
  return {seconds.time_since_epoch().count(), (t - seconds).count()};
}

std::string fraction_text(int64_t nanos, int digits) {
  if (digits <= 0) return "";
  if (digits > 9) digits = 9;
  int64_t scaled = nanos;
  for (int i = digits; i < 9; ++i) scaled /= 10;
  char text[16];
  std::snprintf(text, sizeof text, ".%0*lld", digits, static_cast<long long>(scaled));
  return text;
}

std::string format_utc_time(SysTime t, int fraction_digits) {
  const auto [seconds, nanos] = split_seconds(t);
  return format_rtc_time(utc_fields_of_unix_s(seconds)) + fraction_text(nanos, fraction_digits) + " UTC";
}

}  // namespace rtcal
