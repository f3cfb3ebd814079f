// hwclock's drift arithmetic (util-linux 2.38.1 calculate_adjustment,
// do_adjustment, adjust_drift_factor and the --predict branch of
// manipulate_clock), rewritten from its documented behaviour. Pure.
//
// hwclock carries times as struct timeval (whole seconds + microseconds) and
// truncates fractions to microseconds on the way; where that is visible
// (the --predict output, the adjust decision) we do the same. The factor
// update and the anchor after a write are exact instead (see drift.h).
// Values shown to users (drift_s, predicted_rtc_unix_s) are the true signed
// values.
#include "calibration/drift.h"

#include <cmath>
#include <cstdio>

namespace rtcal::calibration {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMinimumCalibrationInterval_s = 4 * 60 * 60;

// A double time split like gettimeofday's timeval: floor seconds, truncated
// microseconds.
HwclockTime split(double unix_s) {
  const double whole = std::floor(unix_s);
  return {static_cast<int64_t>(whole), static_cast<int64_t>((unix_s - whole) * 1e6)};
}

// The sum of two split times, microseconds normalised to 0..999999.
HwclockTime add(const HwclockTime& a, const HwclockTime& b) {
  HwclockTime sum{a.seconds + b.seconds, a.micros + b.micros};
  if (sum.micros >= kMicrosPerSecond) {
    sum.micros -= kMicrosPerSecond;
    sum.seconds += 1;
  }
  return sum;
}

// The RTC reading corrected by the drift at that reading, as hwclock's
// manipulate_clock computes hclocktime (time_inc(tdrift, rtc)).
HwclockTime corrected_rtc(const DriftState& state, double rtc_unix_s) {
  const HwclockDriftParts parts = hwclock_drift_parts(drift_s(state, rtc_unix_s));
  return add(split(rtc_unix_s), HwclockTime{parts.seconds, parts.micros});
}

// The factor as a fraction per RTC second.
double per_rtc_second(double factor_s_per_rtc_day) { return factor_s_per_rtc_day / kSecondsPerDay; }

// "9.6" for 9.6, "1.999893" for 1.999893: %.6f without trailing zeros.
std::string trimmed_magnitude(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.6f", std::fabs(value));
  std::string s = text;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

double factor_s_per_rtc_day_of_rate(double rate_s_per_true_day) {
  return -rate_s_per_true_day / (1.0 + rate_s_per_true_day / kSecondsPerDay);
}

double rate_s_per_true_day_of_factor(double factor_s_per_rtc_day) {
  // The same form: f = -g / (1 + g/86400)  <=>  g = -f / (1 + f/86400).
  return -factor_s_per_rtc_day / (1.0 + factor_s_per_rtc_day / kSecondsPerDay);
}

double updated_factor_s_per_rtc_day(double old_factor_s_per_rtc_day, double days_true, double seconds_added) {
  // The old factor phi_o (per RTC second) left `added` = (phi - phi_o) * (RTC
  // seconds counted) over D true seconds, and the RTC counted D / (1 + phi):
  // solve added * (1 + phi) = (phi - phi_o) * D for phi.
  const double d_s = days_true * kSecondsPerDay;
  const double phi = (per_rtc_second(old_factor_s_per_rtc_day) * d_s + seconds_added) / (d_s - seconds_added);
  return phi * kSecondsPerDay;
}

double drift_s(const DriftState& state, double rtc_unix_s) {
  // hwclock's order of operations (multiply, then divide), so that its
  // microsecond truncations land on the same digit.
  return (rtc_unix_s - static_cast<double>(state.last_adjust_unix_s)) * state.factor_s_per_rtc_day / kSecondsPerDay +
         state.not_adjusted_s;
}

double drift_at_true_s(const DriftState& state, double true_unix_s) {
  // R + (R - L) phi + n = T  =>  R - L = (T - L - n) / (1 + phi).
  const double phi = per_rtc_second(state.factor_s_per_rtc_day);
  const double rtc_past_s = (true_unix_s - static_cast<double>(state.last_adjust_unix_s) - state.not_adjusted_s) /
                            (1.0 + phi);
  return rtc_past_s * phi + state.not_adjusted_s;
}

DriftState anchored_at_write(const DriftState& state, double rtc_at_write_unix_s, double true_minus_rtc_s) {
  DriftState next = state;
  next.last_adjust_unix_s = static_cast<int64_t>(std::floor(rtc_at_write_unix_s));
  const double past_s = rtc_at_write_unix_s - static_cast<double>(next.last_adjust_unix_s);
  next.not_adjusted_s = true_minus_rtc_s - per_rtc_second(state.factor_s_per_rtc_day) * past_s;
  return next;
}

double predicted_rtc_unix_s(const DriftState& state, double true_unix_s) {
  return true_unix_s - drift_s(state, true_unix_s);
}

HwclockDriftParts hwclock_drift_parts(double drift) {
  const double whole = std::floor(drift);
  return {static_cast<int64_t>(whole), static_cast<int64_t>((drift - whole) * 1e6)};
}

std::string hwclock_drift_text(const HwclockDriftParts& parts) {
  char text[64];
  std::snprintf(text, sizeof text, "%lld.%06lld", static_cast<long long>(parts.seconds),
                static_cast<long long>(parts.micros));
  return text;
}

HwclockTime hwclock_predict(const DriftState& state, int64_t target_unix_s) {
  // hwclock: time_inc(T, -(tdrift.tv_sec + tdrift.tv_usec / 1E6)); time_inc
  // splits the increment with (int) casts, truncating toward zero.
  const HwclockDriftParts parts =
      hwclock_drift_parts(drift_s(state, static_cast<double>(target_unix_s)));
  const double increment =
      -(static_cast<double>(parts.seconds) + static_cast<double>(parts.micros) / 1e6);
  const double whole = std::trunc(increment);
  HwclockTime result{target_unix_s + static_cast<int64_t>(whole),
                     static_cast<int64_t>((increment - whole) * 1e6)};
  if (result.micros < 0) {
    result.micros += kMicrosPerSecond;
    result.seconds -= 1;
  } else if (result.micros >= kMicrosPerSecond) {
    result.micros -= kMicrosPerSecond;
    result.seconds += 1;
  }
  return result;
}

AdjustDecision decide_adjust(const DriftState& state, double rtc_unix_s) {
  AdjustDecision decision;
  decision.next = state;
  decision.correction_s = drift_s(state, rtc_unix_s);
  const HwclockDriftParts parts = hwclock_drift_parts(decision.correction_s);
  using Kind = AdjustDecision::Kind;
  if (!(parts.seconds > 0 || parts.seconds < -1)) {
    decision.kind = Kind::within_dead_band;
  } else if (state.last_adjust_unix_s == 0) {
    decision.kind = Kind::refused_no_history;
  } else if (std::fabs(state.factor_s_per_rtc_day) > kMaxFactorSPerDay) {
    decision.kind = Kind::refused_factor;
  } else {
    decision.kind = Kind::adjust;
    decision.next.last_adjust_unix_s = corrected_rtc(state, rtc_unix_s).seconds;
    decision.next.not_adjusted_s = 0.0;
  }
  return decision;
}

DriftState after_set(const DriftState& state, double true_unix_s) {
  DriftState next = state;
  const int64_t now_s = split(true_unix_s).seconds;
  next.last_adjust_unix_s = now_s;
  next.last_calibration_unix_s = now_s;
  next.not_adjusted_s = 0.0;
  return next;
}

DriftUpdate update_drift(const DriftState& state, double true_unix_s, double rtc_unix_s) {
  DriftUpdate update;
  update.next = after_set(state, true_unix_s);
  update.factor_s_per_rtc_day = state.factor_s_per_rtc_day;
  update.days = (true_unix_s - static_cast<double>(state.last_calibration_unix_s)) / kSecondsPerDay;
  const double corrected_unix_s = rtc_unix_s + drift_s(state, rtc_unix_s);
  using Kind = DriftUpdate::Kind;
  if (state.last_calibration_unix_s == 0) {
    update.kind = Kind::skipped_uncalibrated;
  } else if (corrected_rtc(state, rtc_unix_s).seconds - state.last_calibration_unix_s <
             kMinimumCalibrationInterval_s) {
    update.kind = Kind::skipped_too_soon;
  } else {
    const double factor =
        updated_factor_s_per_rtc_day(state.factor_s_per_rtc_day, update.days, true_unix_s - corrected_unix_s);
    update.calculated_s_per_rtc_day = factor;
    if (!(std::fabs(factor) <= kMaxFactorSPerDay)) {
      update.kind = Kind::reset_too_large;
      update.factor_s_per_rtc_day = 0.0;
    } else {
      update.kind = Kind::updated;
      update.factor_s_per_rtc_day = factor;
    }
  }
  update.next.factor_s_per_rtc_day = update.factor_s_per_rtc_day;
  return update;
}

std::string describe_factor(double factor_s_per_rtc_day) {
  char factor_text[64];
  if (!std::isfinite(factor_s_per_rtc_day)) {
    std::snprintf(factor_text, sizeof factor_text, "%f", factor_s_per_rtc_day);
    return std::string("the correction factor is not a number (") + factor_text + ")";
  }
  const std::string magnitude = trimmed_magnitude(factor_s_per_rtc_day);
  if (magnitude == "0") {
    return "the RTC keeps time (no drift known), so the correction factor is 0.000000 s/day";
  }
  std::snprintf(factor_text, sizeof factor_text, "%f", factor_s_per_rtc_day);
  const char* verb = factor_s_per_rtc_day < 0 ? "gains" : "loses";
  return std::string("the RTC ") + verb + " " + magnitude + " s/day, so the correction factor is " +
         factor_text + " s/day";
}

}  // namespace rtcal::calibration
