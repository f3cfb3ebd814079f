// Dates on the command line (--date, --from, --to, ...).
//
// Accepted forms (case-insensitive; local time, i.e. TZ or /etc/localtime,
// unless a zone is given):
//   2026-11-23 10:56[:10[.25]]  2026-11-23T10:56:10  2026-11-23 (midnight)
//   26-11-23 ... (two-digit year: 69-99 = 19xx, 00-68 = 20xx)
//   20261123105610 (compact)    10:56[:10[.25]] (today)
//   an optional weekday first ("Mon 2026-11-23"), which must match the date
//   @1795427168[.5]             now, today, yesterday, tomorrow (midnight)
//   relative: "+3 days", "-90min", "+1h 30min", "2 weeks ago",
//             "now - 2 hours", "today + 10h" (units: see src/dates/date_span.h)
//   zone suffix, with or without a space: Z, UTC, GMT, +HH:MM, -HHMM, +HH
// Fractions of a second: '.' or ',' and up to 9 digits.
//
// That is every form util-linux 2.38.1 hwclock --date accepts (its
// parse_timestamp) plus @epoch, fractions, "now ± span" and zones. Unlike
// hwclock, a date that does not exist (Feb 30, hour 25, second 60, a local
// time skipped by a DST change) or is ambiguous (a local time repeated by a
// DST change, without a zone) is a usage error that says so and how to fix
// it, instead of being normalised by mktime(); and the compact form keeps
// its seconds (hwclock 2.38.1 drops them: "20261123105645" gives 10:56:00).
#pragma once

#include <string_view>

#include "base/clock_types.h"
#include "base/result.h"

namespace rtcal {

// `what` names the argument in messages ("--date"); `now` anchors "now",
// "today" and relative forms. Errors are usage errors.
Result<SysTime> parse_date(std::string_view text, std::string_view what, SysTime now);

// "2026-11-23 10:56:10.250000+00:00" in local time (TZ), like hwclock
// prints; the fraction is truncated to `fraction_digits` (0-9, 0 = none).
std::string format_local_time(SysTime t, int fraction_digits = 6);


}  // namespace rtcal
