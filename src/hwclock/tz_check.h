// Whether TZ names a time zone this system knows. glibc quietly treats an
// unknown zone ("Europe/Berln") as UTC, so an RTC in local time would be read
// and set hours off without a word; rtcal refuses to run instead.
#pragma once

#include <string>

#include "base/result.h"

namespace rtcal {

// A usage error when `tz` (the value of TZ; nullptr = unset) names neither a
// zone file (under `zoneinfo_dir`, or an absolute path) nor a POSIX rule
// ("EST5EDT", "<+0530>-5:30", "JST-9"). Unset, empty, "UTC", "GMT" and
// "UCT" are always fine (glibc's built-in UTC).
Status check_time_zone(const char* tz, const std::string& zoneinfo_dir = "/usr/share/zoneinfo");

}  // namespace rtcal
