// From checked date and time fields to an instant (see date_detail.h). In
// local time a wall-clock time may not exist (clocks jumped over it) or may
// exist twice (clocks went back over it); both are usage errors that say
// what the clocks did and how to name the instant meant.
#include <cstdio>
#include <string>

#include "src/dates/date_detail.h"
#include "src/dates/local_time.h"

namespace rtcal::date_detail {
namespace {

Error gap_error(const Input& in, const RtcTime& fields, const LocalResolution& r) {
  return in.error(date_text(fields) + " " + clock_text(fields) + " does not exist in " + local_zone_name() +
                      ": clocks jumped " + transition_text(r),
                  "give a time outside the gap, or a zone suffix such as " +
                      format_utc_offset(r.offset_before_s));
}

Error repeated_error(const Input& in, const RtcTime& fields, const LocalResolution& r) {
  const std::string typed(in.text);
  return in.error(date_text(fields) + " " + clock_text(fields) + " is ambiguous in " + local_zone_name() +
                      ": clocks went back " + transition_text(r) + ", so it happened twice",
                  "add a zone offset: '" + typed + " " + format_utc_offset(r.offset_before_s) +
                      "' for the first, '" + typed + " " + format_utc_offset(r.offset_after_s) +
                      "' for the second");
}

}  // namespace

SysTime make_time(int64_t unix_s, int64_t nanos) {
  return SysTime{std::chrono::seconds(unix_s)} + Nanos(nanos);
}

std::pair<int64_t, int64_t> split(SysTime t) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(t);
  return {seconds.time_since_epoch().count(), (t - seconds).count()};
}

Result<SysTime> resolve_fields(const Input& in, RtcTime fields, int64_t nanos,
                               std::optional<int> zone_offset_s, bool has_date, SysTime now) {
  if (!has_date) {
    const int64_t now_s = split(now).first;
    const RtcTime today =
        zone_offset_s ? utc_fields_of_unix_s(now_s + *zone_offset_s) : local_fields_of_unix_s(now_s);
    fields.year = today.year;
    fields.month = today.month;
    fields.day = today.day;
  }
  const int64_t as_utc = rtc_time_as_utc_unix_s(fields);
  if (as_utc <= -kLimitUnixS + kSecondsPerDay || as_utc >= kLimitUnixS - kSecondsPerDay) {
    return in.error("the year " + std::to_string(fields.year) + " is outside the range rtcal handles",
                    "give a date between 1678 and 2261");
  }
  if (zone_offset_s) return make_time(as_utc - *zone_offset_s, nanos);
  const LocalResolution r = resolve_local_fields(fields);
  switch (r.kind) {
    case LocalResolution::Kind::unique:
      return make_time(r.first_unix_s, nanos);
    case LocalResolution::Kind::gap:
      return gap_error(in, fields, r);
    case LocalResolution::Kind::repeated:
      return repeated_error(in, fields, r);
  }
  return gap_error(in, fields, r);  // not reached
}

}  // namespace rtcal::date_detail
