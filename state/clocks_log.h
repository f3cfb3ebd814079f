// adjtimex's clock comparison log (/var/log/clocks.log, written by
// `adjtimex --log`), parsed from text (no file access) so `rtcal log import`
// can turn it into measurements. One entry per line, whitespace separated
// (adjtimex 1.29 puthackent/gethackent):
//
//   DATE TIME REF SIGMA_REF SYS TICK FREQ SYS_OK CMOS CMOS_OK
//   2026-11-23 10:56 1795427760.25 0.05 1795427760.661 10000 0 y 1795427772.650 y
//
// DATE TIME: UTC, to the minute (informative only); REF: the reference
// (true) time, unix s, 0 when none was given; SIGMA_REF: its uncertainty, s;
// SYS: the system clock at that moment; TICK, FREQ: the kernel's settings;
// SYS_OK: y when the system clock was not disturbed since the previous
// entry; CMOS: the RTC's reading at that moment (unix s, adjtimex's
// UTC/LOCAL already applied); CMOS_OK: y when the RTC was not disturbed
// since the previous entry. Lines starting with '#' are comments.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rtcal::state {

struct ClocksLogEntry {
  int line = 0;
  double ref_unix_s = 0.0;    // true time; 0: no reference given
  double sigma_ref_s = 0.0;
  double sys_unix_s = 0.0;
  bool sys_ok = true;
  double cmos_unix_s = 0.0;   // the RTC's reading
  bool cmos_ok = true;        // false: the RTC was set since the previous entry
};

struct ClocksLogError {
  int line = 0;
  std::string cause;
};

struct ClocksLogParse {
  std::vector<ClocksLogEntry> entries;
  std::vector<ClocksLogError> errors;  // lines that are not entries
};

// Parse the whole text. A line that is not blank, not a comment and not an
// entry (ten fields; numbers where numbers belong; y or n flags; finite
// values, times from 1980 to 2199 or 0 for REF) is an error naming its field.
ClocksLogParse parse_clocks_log(std::string_view text);

}  // namespace rtcal::state
