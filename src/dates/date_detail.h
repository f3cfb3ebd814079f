// Pieces of parse_date (src/dates/date_parse.h) shared by its three files:
// date_parse.cc (the syntax of absolute dates), date_resolve.cc (checked
// fields to an instant, with local-time gaps and repeats) and
// date_relative.cc ("now", "today", "+5min", "2 weeks ago"). Not for use
// outside them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/clock_types.h"
#include "base/result.h"

namespace rtcal::date_detail {

inline constexpr int64_t kSecondsPerDay = 86400;

// SysTime is int64 nanoseconds: 1677-09-21 to 2262-04-11; dates stay well inside.
inline constexpr int64_t kLimitUnixS = 9'200'000'000;

// What the user typed, for messages: object "--date '2026-02-30 10:00'".
struct Input {
  std::string_view text;
  std::string_view what;
  Error error(std::string cause, std::string fix) const {
    return usage_error(std::string(what) + " '" + std::string(text) + "'", std::move(cause),
                       std::move(fix));
  }
};

// unix seconds + nanoseconds as a SysTime, and back (floor seconds).
SysTime make_time(int64_t unix_s, int64_t nanos);
std::pair<int64_t, int64_t> split(SysTime t);

// The instant named by checked date and time fields: in the zone
// `zone_offset_s` when given, else in local time (an error for a time in a
// DST gap or a repeated time). Without a date (has_date false), the date is
// today's at `now`, in that zone.
Result<SysTime> resolve_fields(const Input& in, RtcTime fields, int64_t nanos,
                               std::optional<int> zone_offset_s, bool has_date, SysTime now);

// "now", "today", "yesterday", "tomorrow" (each optionally "± span"),
// "+span", "-span", "span ago" and "@epoch[.frac]"; nullopt when `lowered`
// is none of these.
std::optional<Result<SysTime>> parse_relative(const Input& in, std::string_view lowered, SysTime now);

}  // namespace rtcal::date_detail
