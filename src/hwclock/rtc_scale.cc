// RTC fields <-> unix time for UTC and LOCAL (see rtc_scale.h).
#include "src/hwclock/rtc_scale.h"

#include <ctime>

#include "src/dates/date_parse.h"
#include "src/dates/local_time.h"

namespace rtcal {
namespace {

// Which of two instants a fresh glibc mktime (tm_isdst = -1) gives for
// repeated local fields: it starts from the fields read as UTC and steps by
// the difference between the fields wanted and the local fields there until
// they agree (glibc's __mktime_internal; a process's earlier mktime calls
// would change the start, and hwclock makes none before reading the RTC).
int64_t hwclock_choice(const RtcTime& fields, const LocalResolution& r) {
  const int64_t wanted = rtc_time_as_utc_unix_s(fields);
  int64_t t = wanted;
  for (int i = 0; i < 8; ++i) {
    const int64_t step = wanted - rtc_time_as_utc_unix_s(local_fields_of_unix_s(t));
    if (step == 0) break;
    t += step;
  }
  return t == r.second_unix_s ? r.second_unix_s : r.first_unix_s;
}

std::string local_text(const RtcTime& fields) { return format_rtc_time(fields) + " local time"; }

ScaleReading in_gap(const RtcTime& fields, const LocalResolution& r) {
  ScaleReading reading;
  reading.unix_s = rtc_time_as_utc_unix_s(fields) - r.offset_before_s;
  reading.zone_offset_s = r.offset_before_s;
  reading.note = "the RTC reads " + local_text(fields) + ", which does not exist in " + local_zone_name() +
                 " (clocks jumped " + transition_text(r) + "): read with the offset before the change, " +
                 format_utc_offset(r.offset_before_s) + ", as hwclock does (" +
                 format_local_time(from_unix_s(static_cast<double>(reading.unix_s)), 0) +
                 "); rtcal systohc writes the RTC in the new offset";
  return reading;
}

ScaleReading repeated(const RtcTime& fields, const LocalResolution& r) {
  ScaleReading reading;
  reading.unix_s = hwclock_choice(fields, r);
  const bool first = reading.unix_s == r.first_unix_s;
  reading.zone_offset_s = first ? r.offset_before_s : r.offset_after_s;
  reading.note = "the RTC reads " + local_text(fields) + ", which happened twice in " + local_zone_name() +
                 " (clocks went back " + transition_text(r) + "): read as the " + (first ? "first" : "second") +
                 ", " + format_utc_offset(reading.zone_offset_s) + ", as hwclock does; an hour off if the " +
                 "RTC meant the " + (first ? "second" : "first");
  return reading;
}

}  // namespace

Result<ScaleReading> read_fields_on_scale(const RtcTime& fields, state::RtcScale scale) {
  if (!rtc_time_is_valid(fields)) {
    return failure("RTC", "holds an impossible time " + format_rtc_time(fields),
                   "set it: rtcal set --date DATE, or rtcal systohc");
  }
  if (scale == state::RtcScale::utc) return ScaleReading{rtc_time_as_utc_unix_s(fields), 0, ""};
  const LocalResolution r = resolve_local_fields(fields);
  switch (r.kind) {
    case LocalResolution::Kind::unique:
      return ScaleReading{r.first_unix_s, static_cast<int>(rtc_time_as_utc_unix_s(fields) - r.first_unix_s), ""};
    case LocalResolution::Kind::gap:
      return in_gap(fields, r);
    case LocalResolution::Kind::repeated:
      return repeated(fields, r);
  }
  return in_gap(fields, r);  // not reached
}

Result<int64_t> rtc_fields_to_unix_s(const RtcTime& fields, state::RtcScale scale) {
  auto reading = read_fields_on_scale(fields, scale);
  if (!reading) return reading.error();
  return reading->unix_s;
}

}  // namespace rtcal
