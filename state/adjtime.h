// /etc/adjtime as util-linux hwclock reads and writes it, from and to strings
// (no file access here: see state/adjtime_file.h).
//
//   line 1: <drift factor, s/day> <last adjust time, unix s> <not adjusted, s>
//   line 2: <last calibration time, unix s>
//   line 3: UTC | LOCAL
//   lines 4...: kept verbatim when rtcal writes the file
//
// The factor is the correction to ADD to the RTC per day: an RTC that gains
// 9.6 s/day has factor -9.6.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace rtcal::state {

enum class RtcScale { utc, local };

struct Adjtime {
  double drift_factor_s_per_day = 0.0;
  int64_t last_adjust_unix_s = 0;
  double not_adjusted_s = 0.0;
  int64_t last_calibration_unix_s = 0;
  RtcScale scale = RtcScale::utc;
  std::vector<std::string> extra_lines;  // lines after line 3, without their '\n'
  friend bool operator==(const Adjtime&, const Adjtime&) = default;
};

// The fields of the file, for naming what a command needs.
enum class AdjtimeField { drift_factor, last_adjust, not_adjusted, last_calibration, scale };

// A field that was present but could not be parsed.
struct AdjtimeFieldError {
  AdjtimeField field;
  int line = 0;           // 1-based line number in the file
  std::string expected;   // "a number of seconds per day, e.g. -1.250000"
  std::string got;        // the offending text, as found
};

// What parsing found: the values (defaults where a line or field was missing
// or broken) and every field that was present but unparseable.
struct AdjtimeParse {
  Adjtime value;
  std::vector<AdjtimeFieldError> errors;
  bool scale_line_present = false;  // false: line 3 absent, UTC by default
};

// Parse with hwclock's leniency (leading blanks, trailing junk after a field,
// CRLF, missing final newline, missing lines mean defaults) but without its
// bugs (no 80-byte line split, no uninitialised values).
AdjtimeParse parse_adjtime(std::string_view text);

// The values, or a bad_state Error naming "<origin>:<line>" and what was
// expected for the first field in `needed` that could not be parsed.
Result<Adjtime> require_fields(const AdjtimeParse& parse, std::string_view origin,
                               std::initializer_list<AdjtimeField> needed);

// Exactly hwclock's "%f %lld %f\n%lld\n%s\n" in the C locale, then extra lines.
std::string format_adjtime(const Adjtime& adjtime);

// "UTC" or "LOCAL".
std::string_view scale_name(RtcScale scale);

}  // namespace rtcal::state
