// hwclock's drift model, exactly as util-linux 2.38.1 computes it
// (calculate_adjustment, do_adjustment, adjust_drift_factor). Pure: numbers
// in, numbers out; no files, no devices, no clock.
//
// Sign convention: the factor is the correction to ADD to the RTC, in seconds
// per day. An RTC that gains (runs fast) 9.6 s/day has factor -9.6.
//   drift(t)      = (t - last_adjust) * factor / 86400 + not_adjusted
//   corrected     = RTC + drift        (what the RTC should have read)
//   predicted RTC = true - drift
#pragma once

#include <cstdint>
#include <string>

namespace rtcal::calibration {

inline constexpr double kSecondsPerDay = 86400.0;
// hwclock refuses or resets factors beyond this (s/day).
inline constexpr double kMaxFactorSPerDay = 2145.0;

struct DriftState {
  double factor_s_per_day = 0.0;
  int64_t last_adjust_unix_s = 0;
  double not_adjusted_s = 0.0;
  int64_t last_calibration_unix_s = 0;
};

// The correction accumulated at time t (unix s), as a true signed value.
double drift_s(const DriftState& state, double t_unix_s);

// What the RTC is predicted to read at true time t (hwclock --predict).
double predicted_rtc_unix_s(const DriftState& state, double true_unix_s);

// hwclock's own split of a drift into floor seconds and a positive fraction
// in microseconds (how `hwclock --predict -v` prints it), for compatibility.
struct HwclockDriftParts {
  int64_t seconds;  // floor(drift)
  int64_t micros;   // (drift - floor(drift)) * 1e6, truncated
};
HwclockDriftParts hwclock_drift_parts(double drift_s);

// hwclock --adjust: what to do at RTC reading `rtc_unix_s`.
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

// hwclock --update-drift at a set/systohc: the RTC read `rtc_unix_s` raw
// (uncorrected) when the true time was `true_unix_s`.
struct DriftUpdate {
  enum class Kind {
    updated,              // new factor computed
    skipped_uncalibrated, // last calibration time is 0
    skipped_too_soon,     // less than 4 hours since the last calibration
    reset_too_large,      // |new factor| > 2145: reset to 0
  };
  Kind kind = Kind::updated;
  double days = 0.0;      // days since the last calibration
  double factor_s_per_day = 0.0;  // the resulting factor
  DriftState next;        // both timestamps = now, not_adjusted = 0
};
DriftUpdate update_drift(const DriftState& state, double true_unix_s, double rtc_unix_s);

// "the RTC gains 9.6 s/day, so the correction factor is -9.600000 s/day":
// the sign convention in words, used everywhere a factor is shown.
std::string describe_factor(double factor_s_per_day);

}  // namespace rtcal::calibration
