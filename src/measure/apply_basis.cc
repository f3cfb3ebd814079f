// apply's basis for its correction (see apply_basis.h).
#include "src/measure/apply_basis.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "base/number_text.h"
#include "calibration/auto_factor.h"
#include "calibration/two_rate.h"
#include "src/measure/two_rate_log.h"

namespace rtcal {
namespace {

// A measurement this close before adjtime's last adjustment still counts as
// newer: a boot measurement is dated at the boot's edge, apply's write (the
// adjustment) comes within a second after it; a synchronised shutdown's set
// comes a second or two after its measurement.
constexpr double kAnchorBeforeAdjustS = 10.0;

struct Rates {
  double on_s_per_day = 0.0, off_s_per_day = 0.0;
  const calibration::TwoRateFit* fit = nullptr;  // the two-rate fit's, or adjtime's factor (null)
};

std::string rate_text(double r) { return fixed(r, 4) + " s/day"; }

// From the log's last measurement: its error (with the steps since) plus the
// drift over the days on and off since, at a boot at true time ~ `rtc_unix_s`
// plus adjtime's drift (the off stretch's end; corrected once by the result).
std::optional<ApplyBasis> from_measurement(const LogView& view, const calibration::DriftState& adjtime,
                                           double rtc_unix_s, const Rates& rates) {
  const double guess_s = rtc_unix_s + calibration::drift_s(adjtime, rtc_unix_s);
  std::optional<BootAnchor> a = boot_anchor(view, guess_s);
  // adjtime's last adjustment is on the RTC's scale (its reading then): so is
  // the measurement's time plus its error with the steps since.
  if (!a || a->time_unix_s + a->error_s + kAnchorBeforeAdjustS < static_cast<double>(adjtime.last_adjust_unix_s)) {
    return std::nullopt;
  }
  const auto error_at = [&](const BootAnchor& b) {
    return b.error_s + rates.on_s_per_day * b.on_days + rates.off_s_per_day * b.off_days;
  };
  // The last stretch is off: it ends at the true time the result gives.
  a->off_days = std::max(0.0, a->off_days + ((rtc_unix_s - error_at(*a)) - guess_s) / calibration::kSecondsPerDay);
  const double error_s = error_at(*a);
  ApplyBasis b;
  b.state = adjtime;
  // drift_s(state, rtc) = -error: the factor's part since the last adjustment, the rest in not_adjusted.
  b.state.not_adjusted_s = -error_s - (rtc_unix_s - static_cast<double>(adjtime.last_adjust_unix_s)) *
                                          adjtime.factor_s_per_rtc_day / calibration::kSecondsPerDay;
  const std::string since = " since the measurement on line " + std::to_string(a->line) +
                            " (the RTC's error then, with the steps since: " + fixed(a->error_s, 4) + " s)";
  if (rates.fit) {
    b.basis = "measurement + two-rate fit";
    b.ci95_s = calibration::two_rate_prediction(*rates.fit, a->on_days, a->off_days, a->sigma_s, 0.0).ci95_s;
    b.note = "two-rate fit: " + fixed(a->on_days, 3) + " days on at " + rate_text(rates.on_s_per_day) + ", " +
             fixed(a->off_days, 3) + " off at " + rate_text(rates.off_s_per_day) + since + " (± " + fixed(*b.ci95_s, 4) +
             " s, 95%)";
  } else {
    b.basis = "measurement + adjtime factor";
    b.note = "adjtime's factor: " + fixed(a->on_days, 3) + " days on and " + fixed(a->off_days, 3) + " off at " +
             rate_text(rates.off_s_per_day) + since;
  }
  return b;
}

// From adjtime's anchor with the two-rate fit: every on and off stretch since
// the last adjustment (src/two_rate_log.h power_days_between) at its rate;
// the factor of `adjtime` replaced by the one that gives that drift.
ApplyBasis from_adjustment(const LogView& view, const calibration::DriftState& adjtime, double rtc_unix_s,
                           const calibration::TwoRateFit& fit, double last_sigma_s) {
  const PowerDays days = power_days_between(view, static_cast<double>(adjtime.last_adjust_unix_s), rtc_unix_s);
  const double rate = (fit.rate_on_s_per_day * days.on_days + fit.rate_off_s_per_day * days.off_days) /
                      (days.on_days + days.off_days);
  ApplyBasis b;
  b.state = adjtime;
  b.state.factor_s_per_rtc_day = calibration::factor_s_per_rtc_day_of_rate(rate);
  b.basis = "two-rate fit";
  b.ci95_s = calibration::two_rate_prediction(fit, days.on_days, days.off_days, last_sigma_s, 0.0).ci95_s;
  b.note = "two-rate fit: " + fixed(days.on_days, 3) + " days on at " + rate_text(fit.rate_on_s_per_day) + ", " +
           fixed(days.off_days, 3) + " off at " + rate_text(fit.rate_off_s_per_day) +
           " since the last adjustment (± " + fixed(*b.ci95_s, 4) + " s, 95%)";
  return b;
}

}  // namespace

ApplyBasis apply_basis(const LogView* view, const calibration::DriftState& adjtime, double rtc_unix_s) {
  ApplyBasis plain;
  plain.state = adjtime;
  if (!view || adjtime.last_adjust_unix_s == 0) return plain;
  const std::optional<double> shutdown_s = last_shutdown_unix_s(*view);
  if (!shutdown_s || rtc_unix_s <= *shutdown_s) return plain;  // no shutdown since the last boot: adjtime's
  const std::vector<calibration::TwoRatePoint> points = two_rate_points(*view);
  const calibration::TwoRateFit fit = calibration::fit_two_rates(points);
  const std::string suspect = fit.ok ? calibration::two_rate_suspect(fit) : "";
  Rates rates;
  std::string unused = fit.ok ? suspect : fit.problem;
  if (unused.empty()) {
    rates = {fit.rate_on_s_per_day, fit.rate_off_s_per_day, &fit};
  } else {
    rates.on_s_per_day = rates.off_s_per_day = calibration::rate_s_per_true_day_of_factor(adjtime.factor_s_per_rtc_day);
  }
  std::optional<ApplyBasis> b = from_measurement(*view, adjtime, rtc_unix_s, rates);
  if (!b && rates.fit && *shutdown_s >= static_cast<double>(adjtime.last_adjust_unix_s)) {
    b = from_adjustment(*view, adjtime, rtc_unix_s, fit, points.back().sigma_s);
  }
  ApplyBasis out = b ? std::move(*b) : plain;
  out.two_rate_unused = std::move(unused);
  return out;
}

}  // namespace rtcal
