// The measurement log: JSON Lines, default /var/lib/rtcal/measurements.jsonl.
// Appended with fsync, never rewritten in place. Each line is one record:
//
//   {"type":"measurement","time":T,"rtc_error":E,"sigma":S,"source":"ntp|beep|typed|system|import"}
//       T: true time, unix s (fractional); E: RTC reading minus true time, s
//       (+ = RTC fast); S: 1-sigma uncertainty of E, s.
//   {"type":"step","time":T,"amount":A,"reason":"adjust|set|systohc|..."}
//       the RTC was changed by a known amount A s (new reading minus old).
//   {"type":"reset","time":T,"reason":"..."}
//       the RTC was changed by an unknown amount: a new calibration segment.
//
// Extra fields are allowed and preserved. A corrupt line is reported with its
// line number and skipped; the others are kept.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/result.h"

namespace rtcal::state {

enum class RecordType { measurement, step, reset };

struct LogRecord {
  RecordType type = RecordType::measurement;
  double time_unix_s = 0.0;
  double rtc_error_s = 0.0;  // measurement
  double sigma_s = 0.0;      // measurement
  std::string source;        // measurement
  double amount_s = 0.0;     // step
  std::string reason;        // step, reset
  nlohmann::json extra = nlohmann::json::object();  // every other field, preserved
  int line = 0;              // where it was read from (0 for a new record)
};

struct LogLineError {
  int line = 0;
  std::string cause;  // "not valid JSON: ...", "missing field \"sigma\""
};

struct LogParse {
  std::vector<LogRecord> records;
  std::vector<LogLineError> errors;
};

// Parse a whole log text (no file access).
LogParse parse_log(std::string_view text);

// One record as one JSON line, with its '\n'.
std::string format_record(const LogRecord& record);

// Read the log at `path`; a missing file is an empty log.
Result<LogParse> load_log(const std::string& path);

// Append one record: O_APPEND, under flock, then fsync. Creates the file (and
// its directory) when missing. A torn last line (no final '\n') is closed
// first, so the new record always stands on a line of its own.
Status append_log(const std::string& path, const LogRecord& record);

}  // namespace rtcal::state
