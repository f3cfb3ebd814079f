// Reading the RTC for the hwclock-like commands: the devices of a command
// (the real ones, or both simulated with --rtc sim:FILE) and one reading
// placed on the RTC's scale (UTC or LOCAL), at the seconds edge or, with
// --fast, to the second.
//
// Sign convention: RTC error = RTC minus true time (+ = fast).
#pragma once

#include <string>

#include "rtc/precise.h"
#include "src/cli/context.h"
#include "state/adjtime.h"

namespace rtcal {

// The RTC and the system clock of a command (both simulated with --rtc sim:FILE).
struct HwDevices {
  RtcDevice* rtc = nullptr;
  SystemClock* clock = nullptr;
};
Result<HwDevices> hw_devices(Context& ctx);

// One reading of the RTC.
struct RtcReading {
  EdgeReading edge;       // the fields, and the system time when they were read
  int64_t rtc_unix_s = 0;  // the fields as a point in time on the RTC's scale
  bool at_edge = true;     // false with --fast: whole seconds, phase unknown (±1 s)
  int zone_offset_s = 0;   // the fields minus rtc_unix_s (the UTC offset for LOCAL)
  // LOCAL fields skipped or repeated by a DST change: how they were read
  // (rtc_scale.h); warn_reading() tells the user.
  std::string scale_note;

  // The RTC minus the system clock when read, in true seconds (+ = RTC ahead).
  double rtc_minus_system_s() const;
};

// Read at the seconds edge (or, `fast`, without waiting) and place on `scale`;
// `edge_timeout` bounds each edge wait.
Result<RtcReading> read_rtc(const HwDevices& dev, state::RtcScale scale, bool fast = false,
                            Nanos edge_timeout = kDefaultEdgeTimeout);

// In drop-in mode with -v, first hwclock's lines for the read ("Waiting for
// clock tick...", "Time read from Hardware Clock: ..." ...) on stdout.
// Tell the user how a reading was taken when that was a guess (scale_note):
// "rtcal: warning: ..." on stderr; in drop-in mode only with -v, as hwclock
// is silent there (OpenRC takes stderr output for a failure).
void warn_reading(Context& ctx, const RtcReading& reading);

}  // namespace rtcal
