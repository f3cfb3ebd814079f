// What the RTC's fields mean: UTC or local time (adjtime line 3, --utc,
// --localtime). Drivers deal in fields only; this is where they become a
// point in time, using the TZ rules of the process (TZ, /etc/localtime).
//
// A LOCAL RTC can hold fields that name no instant or two: the machine was
// off across a DST change, so the RTC still counts in the old offset. Both
// are read as util-linux hwclock reads them (glibc mktime with tm_isdst = -1
// in a fresh process): a time skipped by a spring-forward change with the
// offset before the change (the one the RTC was still keeping), a repeated
// time with the offset mktime's search from UTC lands on. Either way the
// reading carries a note for the user naming the time and the offset taken.
#pragma once

#include <cstdint>
#include <string>

#include "base/clock_types.h"
#include "base/result.h"
#include "state/adjtime.h"

namespace rtcal {

// The fields as a point in time on a scale.
struct ScaleReading {
  int64_t unix_s = 0;
  int zone_offset_s = 0;  // the fields minus unix_s (0 for UTC)
  // Non-empty when LOCAL fields were skipped or repeated by a zone change:
  // what was assumed, for a warning ("... read with the offset before the
  // change, +01:00, as hwclock does").
  std::string note;
};

// The unix time the fields name on `scale` (see the top). An impossible
// date (month 13, Feb 30) is an error naming the fields.
Result<ScaleReading> read_fields_on_scale(const RtcTime& fields, state::RtcScale scale);

// read_fields_on_scale's instant alone.
Result<int64_t> rtc_fields_to_unix_s(const RtcTime& fields, state::RtcScale scale);

}  // namespace rtcal
