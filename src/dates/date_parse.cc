// --date and friends: every form util-linux 2.38.1 hwclock accepts (its
// parse_timestamp in lib/timeutils.c: "now", "today", "yesterday",
// "tomorrow", "+5min", "-1 day", "2 weeks ago", an optional weekday name,
// "YYYY-MM-DD HH:MM:SS", "YYYY-MM-DDTHH:MM:SS", "YY-MM-DD ...",
// "YYYY-MM-DD HH:MM", "YYYY-MM-DD", "HH:MM:SS", "HH:MM", "YYYYMMDDHHMMSS")
// plus "@epoch", fractional seconds, "now - 2 hours" and a zone suffix.
//
// Where hwclock lets mktime() quietly normalise (Feb 30 becomes Mar 1, a
// time in a DST gap moves by an hour, a repeated time picks either
// instant), rtcal refuses and says why: setting a clock to a date the user
// did not mean is worse than asking again.
#include "src/dates/date_parse.h"

#include <array>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "src/dates/date_detail.h"
#include "src/dates/local_time.h"

namespace rtcal {
namespace {

using date_detail::Input;

constexpr std::array<std::string_view, 12> kMonthNames = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> kWeekdayNames = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

Error unknown_form(const Input& in) {
  return in.error("not a date or time rtcal understands",
                  "use e.g. '2026-11-23 10:56:10', '2026-11-23T10:56', '2026-11-23', '10:56', "
                  "'@1795427168', 'now', 'today', 'yesterday', 'tomorrow', '+5min', '-2 days', "
                  "'now - 2 hours', '3 hours ago'; local time unless it ends in Z, UTC or an "
                  "offset such as +01:00");
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view strip_spaces(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

// A cursor over lower-cased input.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}
  bool done() const { return pos_ >= text_.size(); }
  char peek(size_t ahead = 0) const { return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0'; }
  std::string_view rest() const { return text_.substr(pos_); }
  bool eat(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  bool eat(std::string_view word) {
    if (!rest().starts_with(word)) return false;
    pos_ += word.size();
    return true;
  }
  bool skip_spaces() {
    const size_t start = pos_;
    while (!done() && std::isspace(static_cast<unsigned char>(peek()))) ++pos_;
    return pos_ > start;
  }
  // Up to `max` digits into `value`; how many were read.
  int digits(int64_t& value, int max) {
    int count = 0;
    value = 0;
    while (count < max && std::isdigit(static_cast<unsigned char>(peek()))) {
      value = value * 10 + (peek() - '0');
      ++pos_;
      ++count;
    }
    return count;
  }
  // ".25" or ",25": up to 9 digits as nanoseconds; false if malformed.
  bool fraction(int64_t& nanos) {
    nanos = 0;
    if (peek() != '.' && peek() != ',') return true;
    ++pos_;
    int64_t value = 0;
    const int count = digits(value, 9);
    if (count == 0 || std::isdigit(static_cast<unsigned char>(peek()))) return false;
    for (int i = count; i < 9; ++i) value *= 10;
    nanos = value;
    return true;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// The pieces of an absolute date as typed, before any checking.
struct Absolute {
  int weekday = -1;  // 0 = Sunday; -1 = none given
  bool has_date = false;
  int64_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, nanos = 0;
  bool has_zone = false;
  int zone_sign = 1;
  int64_t zone_hours = 0, zone_minutes = 0;
};

void parse_weekday(Scanner& in, Absolute& out) {
  for (int day = 0; day < 7; ++day) {
    const std::string full = lower(kWeekdayNames[static_cast<size_t>(day)]);
    for (const std::string_view name : {std::string_view(full), std::string_view(full).substr(0, 3)}) {
      if (in.rest().starts_with(name) && in.rest().size() > name.size() &&
          in.rest()[name.size()] == ' ') {
        in.eat(name);
        in.skip_spaces();
        out.weekday = day;
        return;
      }
    }
  }
}

bool parse_time_of_day(Scanner& in, Absolute& out) {
  if (in.digits(out.hour, 2) == 0 || !in.eat(':') || in.digits(out.minute, 2) == 0) return false;
  if (in.eat(':')) {
    if (in.digits(out.second, 2) == 0) return false;
    return in.fraction(out.nanos);
  }
  return true;
}

// "YYYYMMDDHHMMSS[.frac]" (hwclock's compact form).
bool parse_compact(Scanner& in, Absolute& out) {
  int64_t all = 0;
  if (in.digits(all, 14) != 14 || std::isdigit(static_cast<unsigned char>(in.peek()))) return false;
  out.has_date = true;
  out.year = all / 10'000'000'000;
  out.month = all / 100'000'000 % 100;
  out.day = all / 1'000'000 % 100;
  out.hour = all / 10'000 % 100;
  out.minute = all / 100 % 100;
  out.second = all % 100;
  return in.fraction(out.nanos);
}

// "[YY]YY-M[M]-D[D]", then optionally " " or "T" and a time of day.
bool parse_date_time(Scanner& in, Absolute& out) {
  const int year_digits = in.digits(out.year, 4);
  if (year_digits != 2 && year_digits != 4) return false;
  if (year_digits == 2) out.year += out.year < 69 ? 2000 : 1900;  // strptime's %y
  if (!in.eat('-') || in.digits(out.month, 2) == 0 || !in.eat('-') || in.digits(out.day, 2) == 0) {
    return false;
  }
  out.has_date = true;
  if (in.eat('t')) return parse_time_of_day(in, out);
  Scanner ahead = in;
  ahead.skip_spaces();
  if (std::isdigit(static_cast<unsigned char>(ahead.peek()))) {
    in = ahead;
    return parse_time_of_day(in, out);
  }
  return true;
}

// " Z", "UTC", "GMT", "+01:00", "-0500", "+05" at the end.
bool parse_zone(Scanner& in, Absolute& out) {
  in.skip_spaces();
  if (in.done()) return true;
  out.has_zone = true;
  if (in.eat("utc") || in.eat("gmt") || in.eat('z')) return in.done();
  if (in.eat('-')) {
    out.zone_sign = -1;
  } else if (!in.eat('+')) {
    return false;
  }
  if (in.digits(out.zone_hours, 2) != 2) return false;
  if (in.done()) return true;  // +HH
  in.eat(':');                 // +HH:MM or +HHMM
  return in.digits(out.zone_minutes, 2) == 2 && in.done();
}

std::optional<Absolute> parse_absolute(std::string_view lowered) {
  Scanner in(lowered);
  Absolute out;
  parse_weekday(in, out);
  Scanner try_compact = in;
  Absolute compact = out;
  if (parse_compact(try_compact, compact) && parse_zone(try_compact, compact)) return compact;
  Scanner try_date = in;
  Absolute dated = out;
  if (parse_date_time(try_date, dated) && parse_zone(try_date, dated)) return dated;
  Absolute timed = out;
  if (parse_time_of_day(in, timed) && parse_zone(in, timed)) return timed;
  return std::nullopt;
}

int days_in_month(int64_t year, int64_t month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[static_cast<size_t>(month - 1)];
}

// The fields name a real calendar date and time of day.
Status check_fields(const Input& in, const Absolute& a) {
  if (a.has_date && (a.month < 1 || a.month > 12)) {
    return in.error("month " + std::to_string(a.month) + " does not exist", "give a month from 1 to 12");
  }
  if (a.has_date && (a.day < 1 || a.day > days_in_month(a.year, a.month))) {
    return in.error(std::string(kMonthNames[static_cast<size_t>(a.month - 1)]) + " " +
                        std::to_string(a.year) + " has no day " + std::to_string(a.day),
                    "give a date that exists");
  }
  if (a.hour > 23) return in.error("hour " + std::to_string(a.hour) + " does not exist", "give an hour from 0 to 23");
  if (a.minute > 59) {
    return in.error("minute " + std::to_string(a.minute) + " does not exist", "give a minute from 0 to 59");
  }
  if (a.second > 59) {
    return in.error("second " + std::to_string(a.second) + " does not exist here",
                    "give a second from 0 to 59; rtcal does not take leap seconds");
  }
  if (a.has_zone && (a.zone_hours > 23 || a.zone_minutes > 59)) {
    return in.error("zone offset hours must be 0-23 and minutes 0-59", "give an offset such as +01:00 or -0500");
  }
  return Status::success();
}

}  // namespace

Result<SysTime> parse_date(std::string_view text, std::string_view what, SysTime now) {
  tzset();
  const Input in{text, what};
  const std::string lowered = lower(strip_spaces(text));
  if (lowered.empty()) return in.error("no date given", "give a date such as '2026-11-23 10:56:10' or 'now'");
  if (std::optional<Result<SysTime>> relative = date_detail::parse_relative(in, lowered, now)) {
    return std::move(*relative);
  }
  const std::optional<Absolute> absolute = parse_absolute(lowered);
  if (!absolute) return unknown_form(in);
  const Absolute& a = *absolute;
  if (Status checked = check_fields(in, a); !checked) return checked.error();
  std::optional<int> zone;
  if (a.has_zone) zone = a.zone_sign * static_cast<int>(a.zone_hours * 3600 + a.zone_minutes * 60);
  const RtcTime fields{static_cast<int>(a.year), static_cast<int>(a.month), static_cast<int>(a.day),
                       static_cast<int>(a.hour),  static_cast<int>(a.minute), static_cast<int>(a.second)};
  Result<SysTime> result = date_detail::resolve_fields(in, fields, a.nanos, zone, a.has_date, now);
  if (!result || a.weekday < 0) return result;
  // The weekday names the date as written (or today's date for a bare time).
  const int64_t unix_s = date_detail::split(*result).first;
  const RtcTime date = zone ? utc_fields_of_unix_s(unix_s + *zone) : local_fields_of_unix_s(unix_s);
  const int actual = weekday_of(date);
  if (actual != a.weekday) {
    char day[16];
    std::snprintf(day, sizeof day, "%04d-%02d-%02d", date.year, date.month, date.day);
    return in.error(std::string(day) + " is a " + std::string(kWeekdayNames[static_cast<size_t>(actual)]) +
                        ", not a " + std::string(kWeekdayNames[static_cast<size_t>(a.weekday)]),
                    "fix the date or drop the weekday");
  }
  return result;
}

}  // namespace rtcal
