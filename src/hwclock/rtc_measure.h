// Measuring the RTC's error against a Reference (src/measure/reference.h) and keeping
// it in the measurement log: read the RTC at its seconds edge, take the true
// time of that edge as system time at the edge + the reference's offset, and
// record rtc_error = RTC reading (on its scale, UTC or LOCAL) - true time
// (+ = RTC fast) with sigma = sqrt(reference sigma² + kEdgeSigmaS²).
// Used by `rtcal measure` and `rtcal set --from-ntp`. Changes no clock.
#pragma once

#include "src/hwclock/rtc_read.h"
#include "src/measure/reference.h"
#include "state/measurement_log.h"

namespace rtcal {

// The RTC's scale from --utc/--localtime or adjtime line 3 (read, not locked).
Result<state::RtcScale> rtc_scale_for(Context& ctx);

// Read the RTC at its edge and build the measurement record (nothing written).
// The record's extras: the reference's, then "rtc_reading" (the fields as
// text) and "system_at_edge" (unix s).
Result<state::LogRecord> measure_rtc(const HwDevices& dev, state::RtcScale scale, const Reference& ref);

// Append `record` (of any type) to the log (--log); with --dry-run print
// "Would append to LOG: {...}" instead and write nothing.
Status save_measurement(Context& ctx, const state::LogRecord& record);

// "RTC error:  +2.500123 s (fast) ± 0.001200 s at 2026-11-23 12:33:01.000 UTC"
std::string measurement_text(const state::LogRecord& record);

}  // namespace rtcal
