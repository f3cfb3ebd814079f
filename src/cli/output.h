// How rtcal speaks on its streams: JSON, lines of normal output (quiet in
// drop-in mode, as hwclock), durations and dates in words, times and
// seconds as hwclock prints them.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "base/clock_types.h"
#include "src/cli/context.h"
#include "state/adjtime.h"

namespace rtcal {

// Pretty-printed JSON and a newline on ctx.out().
void print_json(Context& ctx, const nlohmann::ordered_json& value);

// "3 days 4 hours", "5 minutes", "12 seconds": the size of a duration, no sign.
std::string duration_words(double seconds);

// "2026-11-23 10:56:10+00:00 (3 days ago)" / "(in 2 hours)" / "never" for 0.
std::string date_and_age(int64_t unix_s, SysTime now);

// A line of rtcal's normal output: on stdout, or in drop-in mode (where
// hwclock prints nothing) only with -v, on stderr.
void say(Context& ctx, const std::string& line);

// "2026-11-23 10:56:10.250000+01:00" as hwclock prints times (local time, µs).
std::string hwclock_time_text(SysTime t);

// "+1.250000 s" with its sign.
std::string signed_seconds(double seconds, int decimals = 6);

// The RTC's fields as text, with the scale: "2026-11-23 09:45:58 UTC" or "... LOCAL".
std::string rtc_fields_text(const RtcTime& fields, state::RtcScale scale);

}  // namespace rtcal
