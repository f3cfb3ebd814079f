// /etc/adjtime as util-linux hwclock 2.38.1 reads it, damage and all, for
// drop-in mode and `rtcal apply`: a boot must set the clock even when the
// file is damaged (NUL-filled after a crash, `utc` on line 3, CRLF, junk),
// as hwclock does, warning where hwclock warns. rtcal's own reading
// (adjtime.h) stays strict and refuses such files.
//
// hwclock's reading, found by running 2.38.1 on damaged files: each of the
// first three lines is what fgets() gives into an 81-byte buffer (so a line
// longer than 80 bytes spills into the next), cut at its first NUL byte.
// Line 1 is scanned as "%lf %lld %lf" and line 2 as "%lld" (leading blanks
// skipped, junk after the last field ignored, a field cut short where its
// text stops being a number: "1795427168.7" is 1795427168 then .7); fields
// scanned before a failure keep their values. A line that does not give all
// its fields is warned about ("unrecognized line"). Line 3 must be exactly
// "UTC\n" or "LOCAL\n"; anything else means UTC, with a warning unless it is
// empty. Where hwclock would keep an uninitialised value (a timestamp it
// could not scan), this reading uses 0; where it would take nan or inf, 0
// with a warning of rtcal's own (hwclock's arithmetic breaks on them).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "state/adjtime.h"

namespace rtcal::state {

struct HwclockAdjtimeReading {
  Adjtime value;
  bool scale_known = false;            // line 3 was exactly "UTC\n" or "LOCAL\n"
  std::vector<std::string> warnings;   // hwclock's own warnings, in its words and order (no "hwclock: ")
  std::vector<std::string> problems;   // each damage in rtcal's words ("line 3: expected UTC or LOCAL, got 'utc'")

  // The file is not what hwclock or rtcal would have written.
  bool damaged() const { return !warnings.empty() || !problems.empty(); }
};

// Read `text` as hwclock 2.38.1 does (see above). An empty `text` for a
// missing file gives the defaults and no warning.
HwclockAdjtimeReading read_adjtime_as_hwclock(std::string_view text, bool file_exists);

}  // namespace rtcal::state
