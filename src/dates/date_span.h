// Durations in relative dates ("+5min", "-1 day", "2 weeks ago"), with the
// units and spellings of util-linux 2.38.1's parse_sec (lib/timeutils.c):
//   s sec second seconds | m min minute minutes | h hr hour hours |
//   d day days | w week weeks | month months (30.44 d) | y year years
//   (365.25 d) | ms msec | us usec; a bare number means seconds.
// Items may follow each other ("1h 30min", "1h30min"); each number may have
// a decimal fraction ("1.5d"). Input is lower case.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace rtcal {

// The duration in nanoseconds, or the reason it is not one ("'parsecs' is
// not a time unit"), without object or fix: the caller adds those.
std::variant<int64_t, std::string> parse_span_ns(std::string_view text);

// The accepted units, for messages: "s, min, h, d, w, month, y, ms, us".
inline constexpr std::string_view kSpanUnitsHelp = "s, min, h, d, w, month, y, ms, us";

}  // namespace rtcal
