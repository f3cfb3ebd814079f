// Tick choice and axis labels (see axis.h).
#include "src/report/axis.h"


#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>

#include "base/clock_types.h"

namespace rtcal::history {
namespace {

constexpr double kDay_s = 86400.0;
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string number_text(double value, int decimals) {
  if (std::fabs(value) < 1e-12) value = 0.0;  // never "-0"
  char text[64];
  auto [end, ec] = std::to_chars(text, text + sizeof text, value, std::chars_format::fixed, decimals);
  return ec == std::errc() ? std::string(text, end) : "?";
}

std::tm utc_tm(double unix_s) {
  const auto t = static_cast<std::time_t>(std::floor(unix_s));
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

std::string two(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

std::string day_label(const std::tm& tm) { return std::string(kMonths[tm.tm_mon]) + " " + std::to_string(tm.tm_mday); }

// Unix s of 00:00 UTC on the first of `month` (0-11, may overflow) of `year`.
double month_start_s(int year, int month) {
  year += month / 12;
  month %= 12;
  if (month < 0) { month += 12; --year; }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month;
  tm.tm_mday = 1;
  return static_cast<double>(timegm(&tm));
}

// Ticks every `step_s` from `origin_s` (a midnight, or a Monday midnight).
std::vector<double> fixed_step_ticks(Range r, double step_s, double origin_s) {
  std::vector<double> out;
  const double first = std::ceil((r.min - origin_s) / step_s);
  for (double i = first; origin_s + i * step_s <= r.max && out.size() < 10000; ++i) out.push_back(origin_s + i * step_s);
  return out;
}

// Ticks at the first of every `months`-th month (months 12, 24...: years).
std::vector<double> month_ticks(Range r, int months) {
  std::vector<double> out;
  const std::tm start = utc_tm(r.min);
  int index = (start.tm_year + 1900) * 12 + start.tm_mon;
  index -= ((index % months) + months) % months;
  for (int guard = 0; out.size() < 10000 && guard < 100000; index += months, ++guard) {
    const double t = month_start_s(index / 12, index % 12);
    if (t > r.max) break;
    if (t >= r.min) out.push_back(t);
  }
  return out;
}

std::string date_label(double t, double step_s) {
  const std::tm tm = utc_tm(t);
  if (step_s < 60) return two(tm.tm_hour) + ":" + two(tm.tm_min) + ":" + two(tm.tm_sec);
  if (step_s < kDay_s) {
    if (tm.tm_hour == 0 && tm.tm_min == 0) return day_label(tm);
    return two(tm.tm_hour) + ":" + two(tm.tm_min);
  }
  if (step_s < 28 * kDay_s) return day_label(tm);
  if (step_s < 365 * kDay_s) return std::string(kMonths[tm.tm_mon]) + " " + std::to_string(tm.tm_year + 1900);
  return std::to_string(tm.tm_year + 1900);
}

std::string date_caption(Range r, double step_s) {
  const std::tm a = utc_tm(r.min), b = utc_tm(r.max);
  const bool same_year = a.tm_year == b.tm_year;
  if (step_s < kDay_s && same_year && a.tm_yday == b.tm_yday) return "UTC, " + utc_text(r.min).substr(0, 10);
  if (step_s < 28 * kDay_s && same_year) return "UTC, " + std::to_string(a.tm_year + 1900);
  return "UTC";
}

}  // namespace

Range range_of(const std::vector<double>& values) {
  Range r{NAN, NAN};
  for (double v : values) {
    if (std::isnan(v)) continue;
    if (std::isnan(r.min) || v < r.min) r.min = v;
    if (std::isnan(r.max) || v > r.max) r.max = v;
  }
  if (std::isnan(r.min)) return Range{};
  return r;
}

Range padded(Range r, double fraction, double pad_if_zero) {
  if (!(r.span() > 0.0)) return Range{r.min - pad_if_zero, r.max + pad_if_zero};
  const double pad = r.span() * fraction;
  return Range{r.min - pad, r.max + pad};
}

Ticks linear_ticks(Range& r, int max_ticks) {
  if (max_ticks < 2) max_ticks = 2;
  // Bounded whatever comes in: non-finite or astronomically large ranges
  // (the log's range checks keep them out; the axis does not rely on it).
  if (!std::isfinite(r.min) || !std::isfinite(r.max) || std::fabs(r.min) > 1e15 || std::fabs(r.max) > 1e15)
    r = Range{std::clamp(std::isfinite(r.min) ? r.min : 0.0, -1e15, 1e15), std::clamp(std::isfinite(r.max) ? r.max : 1.0, -1e15, 1e15)};
  if (!(r.span() > 0.0)) r = padded(r, 0.0, std::max(std::fabs(r.min) * 0.1, 1e-3));
  const double raw = r.span() / (max_ticks - 1);
  const double decade = std::pow(10.0, std::floor(std::log10(raw)));
  Ticks t;
  int decimals = 0;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0, 20.0}) {
    t.step = m * decade;
    const double lo = std::floor(r.min / t.step), hi = std::ceil(r.max / t.step);
    decimals = std::max(0, static_cast<int>(-std::floor(std::log10(t.step) + 1e-9))) + (m == 2.5 ? 1 : 0);
    if (hi - lo + 1 <= max_ticks) {
      r = Range{lo * t.step, hi * t.step};
      for (int k = 0; k <= static_cast<int>(hi - lo); ++k) t.values.push_back((lo + k) * t.step);
      break;
    }
  }
  for (double v : t.values) t.labels.push_back(number_text(v, decimals));
  return t;
}

ErrorUnit error_unit_for(Range r_s) {
  if (std::fabs(r_s.min) < 1.0 && std::fabs(r_s.max) < 1.0) return {1000.0, "ms"};
  return {1.0, "s"};
}

DateTicks date_ticks(Range r, int max_ticks) {
  if (max_ticks < 2) max_ticks = 2;
  // Dates from 1900 to 2400 at most: beyond, the calendar loops would be
  // astronomically long (and gmtime_r has no answer).
  constexpr double kLow = -2208988800.0, kHigh = 13569465600.0;
  const auto clamp_date = [&](double v, double fallback) { return std::isfinite(v) ? std::clamp(v, kLow, kHigh) : fallback; };
  r = Range{clamp_date(r.min, 0.0), clamp_date(r.max, 0.0)};
  static const double kFixed_s[] = {1,    2,     5,     10,    15,    30,       60,       120,      300,      600,
                                    900,  1800,  3600,  7200,  10800, 21600,    43200,    kDay_s,   2 * kDay_s,
                                    7 * kDay_s,  14 * kDay_s};
  const double monday_s = 4 * kDay_s;  // 1970-01-05, a Monday
  DateTicks t;
  for (double step : kFixed_s) {
    auto values = fixed_step_ticks(r, step, step >= 7 * kDay_s ? monday_s : 0.0);
    if (static_cast<int>(values.size()) <= max_ticks) { t.values = values; t.step = step; break; }
  }
  if (t.step == 0.0) {
    for (int months : {1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200}) {
      auto values = month_ticks(r, months);
      if (static_cast<int>(values.size()) <= max_ticks) { t.values = values; t.step = months * 30.4375 * kDay_s; break; }
    }
  }
  for (double v : t.values) t.labels.push_back(date_label(v, t.step));
  t.caption = date_caption(r, t.step);
  return t;
}

std::string utc_text(double unix_s, bool with_seconds) {
  const std::string text = format_rtc_time(utc_fields_of_unix_s(static_cast<int64_t>(std::floor(unix_s))));
  return with_seconds ? text : text.substr(0, 16);  // "2026-11-23 10:56"
}

}  // namespace rtcal::history
