// hwclock's drift model, as util-linux 2.38.1 applies it (calculate_adjustment,
// do_adjustment), with the factor and the anchor rtcal writes made exact.
// Pure: numbers in, numbers out; no files, no devices, no clock.
//
// THE CONVENTION (the one place it is defined; README "The sign convention"):
//
//   factor_s_per_rtc_day  seconds to ADD to the RTC per 86400 s *of the RTC's
//                         own reading* (adjtime line 1, field 1). hwclock
//                         multiplies it by (RTC reading - last_adjust), so the
//                         day it counts is an RTC day, not a true day.
//   last_adjust_unix_s,   the anchor: when the RTC read last_adjust_unix_s the
//   not_adjusted_s        true time was last_adjust_unix_s + not_adjusted_s.
//
//   drift(R)  = (R - last_adjust) * factor / 86400 + not_adjusted
//   true time = R + drift(R)     at any later RTC reading R
//
// An RTC that runs fast by r (rate_s_per_true_day = 86400 r: it gains
// 86400 r s per TRUE day) shows 86400 (1 + r) s per true day, so the exact
// factor is -86400 r / (1 + r) (factor_s_per_rtc_day_of_rate). Storing -86400 r
// instead (a rate per true day) leaves an error of drift * r: -16 ms at 75 ppm
// after a month, -0.58 s at 167 ppm after 208 days.
//
// A factor of 0 means no drift known; a negative factor, an RTC that runs
// fast. One that gains 9.6 s per true day needs -9.6 / (1 + 9.6 / 86400) =
// -9.598934 s per RTC day (messages say "gains 9.6 s/day ... -9.6" loosely:
// the two differ by a part in 10^4 of the factor).
//
// hwclock --predict alone evaluates the drift at the true target time instead
// of at the RTC reading (a second-order difference, factor/86400 * drift);
// predicted_rtc_unix_s keeps that for compatibility.
#pragma once

#include <cstdint>
#include <string>

namespace rtcal::calibration {

inline constexpr double kSecondsPerDay = 86400.0;
// hwclock refuses or resets factors beyond this (s/day).
inline constexpr double kMaxFactorSPerDay = 2145.0;

struct DriftState {
  double factor_s_per_rtc_day = 0.0;
  int64_t last_adjust_unix_s = 0;
  double not_adjusted_s = 0.0;
  int64_t last_calibration_unix_s = 0;
};

// The factor for an RTC that gains `rate_s_per_true_day` seconds per true day
// (+ = fast; what the drift fit measures): -rate / (1 + rate / 86400).
double factor_s_per_rtc_day_of_rate(double rate_s_per_true_day);

// The inverse: the rate per true day that a factor corrects exactly.
double rate_s_per_true_day_of_factor(double factor_s_per_rtc_day);

// The factor after a calibration (hwclock --update-drift, the HOWTO's hand
// method), made exact: over `days_true` true days since the RTC was right,
// with `old_factor` applied, the corrected RTC ended `seconds_added` short
// of the true time (true minus corrected). The RTC counted
// days_true * 86400 (1 + r) seconds meanwhile, so
//   new = (old * days + added) / (days - added / 86400)
// (hwclock divides by days alone, which is right only to first order).
// `days_true` must be > 0.
double updated_factor_s_per_rtc_day(double old_factor_s_per_rtc_day, double days_true, double seconds_added);

// The drift correction at RTC reading `rtc_unix_s` (raw, uncorrected): add it
// to the reading for the true time. Evaluated at the reading, as hwclock's
// --adjust, --hctosys and --get do; exact for any later reading.
double drift_s(const DriftState& state, double rtc_unix_s);

// The anchor after the RTC was written: at the write, its continuous value
// (whole seconds plus the oscillator's phase, e.g. V + 0.5 on an MC146818
// whose first tick comes 0.5 s after the write of V) was `rtc_at_write_unix_s`
// and the true time was that plus `true_minus_rtc_s` (what the write could not
// reach; 0 for a write on target). Returns `state` with last_adjust = the whole
// second of that value and not_adjusted such that drift() is exact at every
// later reading:
//   not_adjusted = true_minus_rtc - factor / 86400 * (rtc_at_write - last_adjust)
// (hwclock writes 0 there, which is up to factor/86400 * 2 s wrong). The
// factor and last_calibration are kept.
DriftState anchored_at_write(const DriftState& state, double rtc_at_write_unix_s, double true_minus_rtc_s);

// The drift at the moment the true time is `true_unix_s`: drift(R) at the RTC
// reading R with R + drift(R) = true (solved exactly; drift_s() evaluated at
// the true time is off by factor/86400 * drift).
double drift_at_true_s(const DriftState& state, double true_unix_s);

// What the RTC is predicted to read at true time t, as hwclock --predict
// computes it: t - drift(t), the drift evaluated at t (see the top); exactly,
// t - drift_at_true_s(t).
double predicted_rtc_unix_s(const DriftState& state, double true_unix_s);

// hwclock's own split of a drift into floor seconds and a positive fraction
// in microseconds (calculate_adjustment's struct timeval; `hwclock -v` prints
// it as "%ld.%06ld", so a drift of -191.771099 shows as "-192.228900").
struct HwclockDriftParts {
  int64_t seconds;  // floor(drift)
  int64_t micros;   // (drift - floor(drift)) * 1e6, truncated: 0..999999, or
                    // 1000000 for a negative drift within ~1e-16 s of 0 (as hwclock)
  friend bool operator==(const HwclockDriftParts&, const HwclockDriftParts&) = default;
};
HwclockDriftParts hwclock_drift_parts(double drift_s);

// "-192.228900": the parts as `hwclock --verbose` prints "Calculated Hardware
// Clock drift is ... seconds" (misleading for negative drifts: it means
// -192 + 0.228900; show drift_s() to users instead).
std::string hwclock_drift_text(const HwclockDriftParts& parts);

// A time as hwclock carries it (struct timeval): whole seconds and a
// microsecond count in 0..999999.
struct HwclockTime {
  int64_t seconds = 0;
  int64_t micros = 0;
  friend bool operator==(const HwclockTime&, const HwclockTime&) = default;
};

// Exactly what `hwclock --predict --date=T` prints for an integer target T
// (unix s): T minus the drift parts, fraction truncated to microseconds.
// Differs from predicted_rtc_unix_s() by under 2 µs; use it only to compare
// with hwclock byte for byte.
HwclockTime hwclock_predict(const DriftState& state, int64_t target_unix_s);

// hwclock --adjust: what to do at RTC reading `rtc_unix_s` (the raw,
// uncorrected RTC value; hwclock reads it at the seconds edge, so it is an
// integer there; pass an integer to match hwclock exactly).
//
// hwclock evaluates the drift at the RTC reading, not at the system time,
// and tests in this order (manipulate_clock, then do_adjustment):
//   1. floor(drift) in {-1, 0}, i.e. drift in [-1, +1): within_dead_band
//      (so a drift of exactly -1 is NOT adjusted, exactly +1 is);
//   2. last adjust time == 0: refused_no_history;
//   3. |factor| > 2145 s/day: refused_factor;
//   4. otherwise adjust: the RTC becomes rtc + drift, last_adjust becomes
//      floor(rtc) + floor(drift) (whole seconds), not_adjusted 0;
//      last_calibration and the factor are kept. (hwclock's bookkeeping:
//      rtcal re-anchors `next` at the write with anchored_at_write.)
struct AdjustDecision {
  enum class Kind {
    adjust,              // set the RTC to rtc + correction_s
    within_dead_band,    // drift in [-1, +1): change nothing
    refused_no_history,  // last adjust time is 0: "history is bad"
    refused_factor,      // |factor| > 2145 s/day
  };
  Kind kind = Kind::within_dead_band;
  double correction_s = 0.0;  // the drift at the reading (add it to the RTC)
  DriftState next;            // the state after the adjustment (= input unless adjust)
};
AdjustDecision decide_adjust(const DriftState& state, double rtc_unix_s);

// hwclock --update-drift at a set/systohc (adjust_drift_factor): the RTC
// read `rtc_unix_s` raw (uncorrected) when the true time was `true_unix_s`.
//
// corrected = rtc + drift(rtc) (drift evaluated at the raw RTC reading).
// Then, as hwclock decides:
//   last calibration == 0                         -> skipped_uncalibrated
//   floor(corrected) - last calibration < 4 h     -> skipped_too_soon
//     (measured from the corrected RTC time, not from the true time)
//   days = (true - last calibration) / 86400
//   factor' = updated_factor_s_per_rtc_day(factor, days, true - corrected)
//     (hwclock: factor + (true - corrected) / days, first-order only)
//   |factor'| > 2145                              -> reset_too_large, 0
// In every case (skips included) both timestamps become floor(true) and
// not_adjusted becomes 0 (re-anchor at the write with anchored_at_write);
// a skip keeps the old factor.
// For `hwclock --set --date=T` hwclock passes true = T (whole seconds).
struct DriftUpdate {
  enum class Kind {
    updated,              // new factor computed
    skipped_uncalibrated, // last calibration time is 0
    skipped_too_soon,     // less than 4 hours since the last calibration
    reset_too_large,      // |new factor| > 2145: reset to 0
  };
  Kind kind = Kind::updated;
  double days = 0.0;      // true days since the last calibration
  double factor_s_per_rtc_day = 0.0;  // the resulting factor
  double calculated_s_per_rtc_day = 0.0;  // the factor computed (reset_too_large: the value refused)
  DriftState next;        // both timestamps = now, not_adjusted = 0
};
DriftUpdate update_drift(const DriftState& state, double true_unix_s, double rtc_unix_s);

// What a --set or --systohc WITHOUT --update-drift does to the state: both
// timestamps become floor(true), not_adjusted 0, the factor is kept.
DriftState after_set(const DriftState& state, double true_unix_s);

// "the RTC gains 9.6 s/day, so the correction factor is -9.600000 s/day":
// the sign convention in words, used everywhere a factor is shown.
//   factor < 0: "the RTC gains X s/day, so the correction factor is -X.XXXXXX s/day"
//   factor > 0: "the RTC loses X s/day, so the correction factor is X.XXXXXX s/day"
//   |factor| < 0.0000005: "the RTC keeps time (no drift known), so the
//                          correction factor is 0.000000 s/day"
// X is the magnitude with up to 6 decimals, trailing zeros dropped.
std::string describe_factor(double factor_s_per_rtc_day);

}  // namespace rtcal::calibration
