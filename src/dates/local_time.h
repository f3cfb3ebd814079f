// Local time as the TZ environment variable (or /etc/localtime) defines it:
// the UTC offset in effect at an instant, and the reverse question, which
// instants a local date and time names. That reverse question has three
// answers: one instant, none (the time fell in a gap when clocks jumped
// forward) or two (the time was repeated when clocks went back); callers
// must handle all three instead of letting mktime() guess.
//
// Offsets come from localtime_r's tm_gmtoff, so any zone change (DST or a
// change of standard offset) counts, not only tm_isdst flips.
#pragma once

#include <cstdint>
#include <string>

#include "base/clock_types.h"

namespace rtcal {

// The UTC offset (s, east positive) of local time at `unix_s`.
int local_utc_offset_s(int64_t unix_s);

// The local date and time fields at `unix_s`.
RtcTime local_fields_of_unix_s(int64_t unix_s);

// Which instants the local fields name.
struct LocalResolution {
  enum class Kind {
    unique,    // first_unix_s is the instant
    gap,       // no instant: clocks jumped over these fields
    repeated,  // two instants: first_unix_s (earlier) and second_unix_s (later)
  };
  Kind kind = Kind::unique;
  int64_t first_unix_s = 0;
  int64_t second_unix_s = 0;
  // gap and repeated: the zone change nearest the fields.
  int64_t transition_unix_s = 0;  // first instant with the new offset
  int offset_before_s = 0;
  int offset_after_s = 0;
};
LocalResolution resolve_local_fields(const RtcTime& fields);

// What the clocks did at the zone change of a gap or repeat: "from 02:00 to
// 03:00 on 2026-03-29", with both dates when they differ.
std::string transition_text(const LocalResolution& r);

// A time's date as "2026-03-29" and its clock as "02:30" ("02:30:15" when the
// seconds are not zero), for messages about local times.
std::string date_text(const RtcTime& t);
std::string clock_text(const RtcTime& t);

// The zone's name for messages: "Europe/Berlin" (from TZ or the
// /etc/localtime link), "UTC" when TZ is empty, else "the local time zone".
std::string local_zone_name();

// "+01:00", "-04:00", "+05:45"; seconds appended when not whole minutes.
std::string format_utc_offset(int offset_s);

}  // namespace rtcal
