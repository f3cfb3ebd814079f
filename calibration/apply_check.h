// Whether a boot-time correction (`rtcal apply`) is plausible enough to do
// without a person watching. Pure: numbers in, a reason out.
//
// A real RTC crystal is off by tens of ppm (a few s/day); 1000 ppm = 86.4 s/day
// is already a broken oscillator. A last adjustment after the RTC's own
// reading means the RTC went back (a dead battery, another OS): the drift
// would be negative nonsense. A correction of an hour or more is rather a
// time-zone or DST confusion than drift, and is left to a person.
#pragma once

#include <string>

#include "calibration/drift.h"

namespace rtcal::calibration {

// The largest factor apply accepts, s/day (1000 ppm).
inline constexpr double kPlausibleFactorSPerDay = 86.4;
// The largest correction apply makes, s (exclusive).
inline constexpr double kMaxApplyCorrectionS = 3600.0;
// How far the last adjustment may lie after the RTC's reading, s (the
// reading is whole seconds and last_adjust is floored: a second of slack).
inline constexpr double kLastAdjustSlackS = 2.0;

// "" when `apply` may correct `state` at RTC reading `rtc_unix_s` (raw, on
// its scale as unix s) by `correction_s`; else a one-line reason.
std::string apply_problem(const DriftState& state, double rtc_unix_s, double correction_s);

}  // namespace rtcal::calibration
