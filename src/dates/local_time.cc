// Local-time queries (see local_time.h) and the time formats rtcal prints
// (format_local_time, format_utc_time from date_parse.h).
#include "src/dates/local_time.h"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <set>
#include <string_view>
#include <vector>

#include "src/dates/date_parse.h"

namespace rtcal {
namespace {

constexpr int64_t kSecondsPerDay = 86400;

std::tm local_tm(int64_t unix_s) {
  const time_t t = static_cast<time_t>(unix_s);
  std::tm tm{};
  localtime_r(&t, &tm);
  return tm;
}

// The first instant in (before, after] whose offset differs from the offset
// at `before` (the offsets at the two ends differ; one change in between).
int64_t find_transition(int64_t before, int64_t after) {
  const int offset_before = local_utc_offset_s(before);
  while (after - before > 1) {
    const int64_t mid = before + (after - before) / 2;
    if (local_utc_offset_s(mid) == offset_before) {
      before = mid;
    } else {
      after = mid;
    }
  }
  return after;
}

// Every offset in effect within two days either side of `around_unix_s`,
// sampled every 3 hours (zone changes are never closer together).
std::set<int> offsets_near(int64_t around_unix_s) {
  std::set<int> offsets;
  for (int64_t t = around_unix_s - 2 * kSecondsPerDay; t <= around_unix_s + 2 * kSecondsPerDay;
       t += 3 * 3600) {
    offsets.insert(local_utc_offset_s(t));
  }
  return offsets;
}

}  // namespace

int local_utc_offset_s(int64_t unix_s) { return static_cast<int>(local_tm(unix_s).tm_gmtoff); }

RtcTime local_fields_of_unix_s(int64_t unix_s) {
  const std::tm tm = local_tm(unix_s);
  return RtcTime{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec};
}

LocalResolution resolve_local_fields(const RtcTime& fields) {
  tzset();
  const int64_t as_utc = rtc_time_as_utc_unix_s(fields);
  std::vector<int64_t> instants;
  for (const int offset : offsets_near(as_utc)) {
    const int64_t candidate = as_utc - offset;
    if (local_utc_offset_s(candidate) == offset) instants.push_back(candidate);
  }
  std::set<int64_t> unique(instants.begin(), instants.end());
  LocalResolution result;
  if (unique.size() == 1) {
    result.first_unix_s = *unique.begin();
    return result;
  }
  if (unique.size() >= 2) {
    result.kind = LocalResolution::Kind::repeated;
    result.first_unix_s = *unique.begin();
    result.second_unix_s = *unique.rbegin();
    result.transition_unix_s = find_transition(result.first_unix_s, result.second_unix_s);
  } else {
    // A gap: just before it the fields were still ahead, just after they were passed.
    result.kind = LocalResolution::Kind::gap;
    const std::set<int> offsets = offsets_near(as_utc);
    const int64_t earliest = as_utc - *offsets.rbegin();
    const int64_t latest = as_utc - *offsets.begin();
    result.transition_unix_s = find_transition(earliest, latest);
  }
  result.offset_before_s = local_utc_offset_s(result.transition_unix_s - 1);
  result.offset_after_s = local_utc_offset_s(result.transition_unix_s);
  return result;
}

// "2026-03-29".
std::string date_text(const RtcTime& t) {
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", t.year, t.month, t.day);
  return text;
}

// "02:30", or "02:30:15" when the seconds are not zero.
std::string clock_text(const RtcTime& t) {
  char text[32];
  if (t.second != 0) {
    std::snprintf(text, sizeof text, "%02d:%02d:%02d", t.hour, t.minute, t.second);
  } else {
    std::snprintf(text, sizeof text, "%02d:%02d", t.hour, t.minute);
  }
  return text;
}

std::string transition_text(const LocalResolution& r) {
  const RtcTime before = utc_fields_of_unix_s(r.transition_unix_s + r.offset_before_s);
  const RtcTime after = utc_fields_of_unix_s(r.transition_unix_s + r.offset_after_s);
  if (date_text(before) == date_text(after)) {
    return "from " + clock_text(before) + " to " + clock_text(after) + " on " + date_text(before);
  }
  return "from " + date_text(before) + " " + clock_text(before) + " to " + date_text(after) + " " +
         clock_text(after);
}

std::string local_zone_name() {
  std::string name;
  if (const char* tz = std::getenv("TZ")) {
    name = tz;
    if (name.empty()) return "UTC";
  } else {
    std::array<char, 512> link{};
    const ssize_t n = readlink("/etc/localtime", link.data(), link.size() - 1);
    if (n <= 0) return "the local time zone";
    name.assign(link.data(), static_cast<size_t>(n));
  }
  if (!name.empty() && name.front() == ':') name.erase(0, 1);
  if (const size_t at = name.find("zoneinfo/"); at != std::string::npos) {
    name.erase(0, at + std::string_view("zoneinfo/").size());
  }
  return name.empty() ? "the local time zone" : name;
}

std::string format_utc_offset(int offset_s) {
  const char sign = offset_s < 0 ? '-' : '+';
  const int magnitude = offset_s < 0 ? -offset_s : offset_s;
  char text[32];
  if (magnitude % 60 != 0) {
    std::snprintf(text, sizeof text, "%c%02d:%02d:%02d", sign, magnitude / 3600, magnitude / 60 % 60,
                  magnitude % 60);
  } else {
    std::snprintf(text, sizeof text, "%c%02d:%02d", sign, magnitude / 3600, magnitude / 60 % 60);
  }
  return text;
}

std::string format_local_time(SysTime t, int fraction_digits_count) {
  tzset();
  const auto [seconds, nanos] = split_seconds(t);
  return format_rtc_time(local_fields_of_unix_s(seconds)) + fraction_text(nanos, fraction_digits_count) +
         format_utc_offset(local_utc_offset_s(seconds));
}

}  // namespace rtcal
