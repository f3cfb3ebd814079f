// RTC fields <-> unix time for UTC and LOCAL (see rtc_scale.h).
#include "src/rtc_scale.h"

#include <ctime>

namespace rtcal {

Result<int64_t> rtc_fields_to_unix_s(const RtcTime& fields, state::RtcScale scale) {
  if (!rtc_time_is_valid(fields)) {
    return failure("RTC", "holds an impossible time " + format_rtc_time(fields),
                   "set it: rtcal set --date DATE, or rtcal systohc");
  }
  if (scale == state::RtcScale::utc) return rtc_time_as_utc_unix_s(fields);
  std::tm tm{};
  tm.tm_year = fields.year - 1900;
  tm.tm_mon = fields.month - 1;
  tm.tm_mday = fields.day;
  tm.tm_hour = fields.hour;
  tm.tm_min = fields.minute;
  tm.tm_sec = fields.second;
  tm.tm_isdst = -1;
  const std::tm asked = tm;
  const time_t t = std::mktime(&tm);
  // mktime normalises a skipped local time (e.g. 02:30 on a spring-forward
  // night) to another hour: the fields then differ from what was asked.
  if (tm.tm_hour != asked.tm_hour || tm.tm_min != asked.tm_min || tm.tm_mday != asked.tm_mday) {
    return failure("RTC", "holds " + format_rtc_time(fields) + " local time, which does not exist in this time zone (skipped by a DST change)",
                   "set the RTC again (rtcal systohc), or keep it in UTC (--utc)");
  }
  return static_cast<int64_t>(t);
}

RtcTime unix_s_to_rtc_fields(int64_t unix_s, state::RtcScale scale) {
  if (scale == state::RtcScale::utc) return utc_fields_of_unix_s(unix_s);
  const auto t = static_cast<time_t>(unix_s);
  std::tm tm{};
  localtime_r(&t, &tm);
  return RtcTime{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec};
}

}  // namespace rtcal
