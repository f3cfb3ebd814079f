// Dates on the command line (--date, --from, --to, ...).
//
// Accepted forms (local time unless a zone is given):
//   2026-11-23 10:56[:10[.25]]   2026-11-23T10:56:10   2026-11-23 (midnight)
//   10:56[:10]  (today)          @1795427168[.5]       now, today, yesterday, tomorrow
//   relative: "+3 days", "-90min", "now - 2 hours"
//   zone suffix: Z, UTC, +HH:MM, -HHMM, +HH
// A date that does not exist (Feb 30, a time skipped by a DST change) or is
// ambiguous (a time repeated by a DST change, without a zone) is an error that
// says so.
#pragma once

#include <string_view>

#include "rtc/clock_types.h"
#include "src/result.h"

namespace rtcal {

// `what` names the argument in messages ("--date"); `now` anchors "now",
// "today" and relative forms. Errors are usage errors.
Result<SysTime> parse_date(std::string_view text, std::string_view what, SysTime now);

// "2026-11-23 10:56:10.250000+00:00" in local time (TZ), like hwclock prints.
std::string format_local_time(SysTime t, int fraction_digits = 6);

// "2026-11-23 10:56:10 UTC" style, in UTC.
std::string format_utc_time(SysTime t, int fraction_digits = 0);

}  // namespace rtcal
