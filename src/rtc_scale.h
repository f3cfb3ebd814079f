// What the RTC's fields mean: UTC or local time (adjtime line 3, --utc,
// --localtime). Drivers deal in fields only; this is where they become a
// point in time, using the TZ rules of the process (TZ, /etc/localtime).
#pragma once

#include <cstdint>

#include "rtc/clock_types.h"
#include "src/result.h"
#include "state/adjtime.h"

namespace rtcal {

// The unix time the fields name. LOCAL uses mktime with tm_isdst = -1, as
// hwclock does, so a time repeated by a DST change resolves the same way.
// A local time skipped by a DST change is an error naming the fields.
Result<int64_t> rtc_fields_to_unix_s(const RtcTime& fields, state::RtcScale scale);

// The fields the RTC should hold at unix time `unix_s`.
RtcTime unix_s_to_rtc_fields(int64_t unix_s, state::RtcScale scale);

}  // namespace rtcal
