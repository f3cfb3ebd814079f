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
//       A reset whose time is before measurements already in the log (added
//       later by `rtcal log reset --at T`) applies at T, not where it stands.
//   {"type":"drop","time":T,"line":N,"reason":"..."}
//       a correction: the record on line N is withdrawn (a typo); T is when.
//   {"type":"note","time":T,"line":N,"text":"..."}
//       a correction: a remark on the record on line N.
//   {"type":"trim","time":T,"offset_ppb":O,"previous_ppb":P,"sign":S,"reason":"set|from-fit|reapply"}
//       the RTC chip's own trim register (rtcal trim) was changed from P to O
//       ppb at T; S is +1 when + slows the RTC (Linux's convention), -1 when
//       the chip does the opposite. The rate changed by -S * (O - P) / 1000 ppm.
//   {"type":"boot","time":T,"boottime":B,"boot_id":"..."}
//       `rtcal apply` at a boot: T is the RTC's reading at its seconds edge
//       (unix s on the UTC scale; NOT true time), B is CLOCK_BOOTTIME at that
//       edge (s since the boot), boot_id this boot's id. `measure --boot`
//       later turns it into the RTC's error at that edge.
//   {"type":"shutdown","time":T}
//       `rtcal shutdown`: the machine went down at system time T (when the
//       clock was NTP-synchronised, a measurement and a step came just before).
// Corrections are appended like everything else: nothing is ever rewritten.
//
// Every number is range-checked (record_problem): a time from 1980 to 2199
// in unix seconds, |rtc_error| and |amount| under 100 years, sigma from 1 ns
// to 1 day, so a time in ms or ns or a sigma of 1e-200 is refused with a
// message that names the field and the likely fix.
//
// Extra fields are allowed and preserved. A corrupt line is reported with its
// line number and skipped; the others are kept.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/file_io.h"
#include "base/result.h"

namespace rtcal::state {

enum class RecordType { measurement, step, reset, drop, note, trim, boot, shutdown };

struct LogRecord {
  RecordType type = RecordType::measurement;
  double time_unix_s = 0.0;
  double rtc_error_s = 0.0;  // measurement
  double sigma_s = 0.0;      // measurement
  std::string source;        // measurement
  double amount_s = 0.0;     // step
  std::string reason;        // step, reset, drop; the text of a note
  int target_line = 0;       // drop, note: the line of the record meant
  double offset_ppb = 0.0;   // trim: the register's new value
  double previous_ppb = 0.0; // trim: its value before
  int trim_sign = 1;         // trim: +1 Linux's convention, -1 the opposite
  double boottime_s = 0.0;   // boot: CLOCK_BOOTTIME at the RTC's edge
  std::string boot_id;       // boot
  // Every other field, preserved in its original order (ordered_json, so
  // format_record writes extras back as they were read).
  nlohmann::ordered_json extra = nlohmann::ordered_json::object();
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

// Parse a whole log text (no file access). Blank lines are skipped; every
// other line is a record or a LogLineError (not JSON, not an object, unknown
// "type", a required field missing or of the wrong type, a non-finite
// number, sigma <= 0), and parsing goes on with the next line.
LogParse parse_log(std::string_view text);

// Parse one line (no '\n'); `line` is its number, for the result.
struct LogLineParse {
  std::optional<LogRecord> record;  // set on success
  std::string cause;                // why not, otherwise
};
LogLineParse parse_log_line(std::string_view text, int line);
// The same into `out`, reusing the storage of the record it holds (scan_log
// passes one LogLineParse along for every line: no allocation per line).
void parse_log_line_into(std::string_view text, int line, LogLineParse& out);
// The same without the fast path for canonical lines (the fuzz target checks
// that both agree).
LogLineParse parse_log_line_slow(std::string_view text, int line);

// Read the log at `path` a block at a time (never whole: a log of a million
// records must not cost its size in memory) and call `on_line` with each
// non-blank line's parse and its number. A missing file is an empty log.
Status scan_log(const std::string& path, const std::function<void(LogLineParse&&, int)>& on_line);

// Plausible ranges (see the top of this file).
inline constexpr double kMinLogTimeUnixS = 315532800.0;    // 1980-01-01
inline constexpr double kMaxLogTimeUnixS = 7258118400.0;   // 2200-01-01
inline constexpr double kMaxLogErrorS = 3155760000.0;      // 100 years
inline constexpr double kMinLogSigmaS = 1e-9;
inline constexpr double kMaxLogSigmaS = 86400.0;

// "measurement", "step", "reset", "drop", "note", "trim", "boot" or "shutdown".
std::string_view record_type_name(RecordType type);

// Why `record` must not be written ("sigma must be > 0, got 0"), or "" when
// it may. The same rules parse_log applies.
std::string record_problem(const LogRecord& record);

// One record as one JSON line, with its '\n': "type", "time", then the
// type's own fields, then the extras in their order. Numbers are printed as
// the shortest text that reads back to the same double.
std::string format_record(const LogRecord& record);

// Read the log at `path`; a missing file is an empty log.
Result<LogParse> load_log(const std::string& path);

// Append one record: O_APPEND, under flock (waiting at most `lock_timeout`),
// one write(2), then fsync. Creates the file (0644) and its directories
// (0755) when missing. A torn last line (no final '\n') is closed first, so
// the new record always stands on a line of its own. Refuses a record that
// parse_log would reject (record_problem). If the write fails part-way the
// file is cut back to its old length, so no half record is left behind.
Status append_log(const std::string& path, const LogRecord& record,
                  std::chrono::milliseconds lock_timeout = kDefaultLockTimeout);

// Make sure a later append_log of a record can succeed: create the log (and
// its directories) when missing, open it for appending, and reserve room
// for a record beyond its end (fallocate with FALLOC_FL_KEEP_SIZE, where the
// filesystem has it). Fails on a read-only or full filesystem or a file this
// user may not write, so a command calls it before it changes a clock.
Status prepare_append(const std::string& path);

}  // namespace rtcal::state
