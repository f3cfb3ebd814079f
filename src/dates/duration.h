// Durations on the command line: "90", "90s", "15m", "3h", "4d", "1.5d".
// A bare number is seconds. Used by `rtcal sim advance`.
#pragma once

#include <string_view>

#include "base/clock_types.h"
#include "base/result.h"

namespace rtcal {

// `what` names the argument in messages ("DURATION"). Errors are usage errors:
// empty, not a number, an unknown unit, zero or negative, or over 100 years.
Result<Nanos> parse_duration(std::string_view text, std::string_view what);

}  // namespace rtcal
