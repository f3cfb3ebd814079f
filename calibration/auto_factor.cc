// drift --auto's decision (see auto_factor.h).
#include "calibration/auto_factor.h"

#include <cstdio>

#include "calibration/drift.h"

namespace rtcal::calibration {
namespace {

std::string s_per_day(double x) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4f s/day", x);
  return text;
}

AutoFactorDecision from_two_rates(const TwoRateFit& two, double tight) {
  AutoFactorDecision d;
  if (const std::string suspect = two_rate_suspect(two); !suspect.empty()) {
    d.reason = "not written: " + suspect;
  } else if (two.ci95_off_s_per_day > tight) {
    d.reason = "not written: the off-rate's 95% interval (± " + s_per_day(two.ci95_off_s_per_day) + ") is wider than ± " +
               s_per_day(tight);
  } else {
    d.write = true;
    d.factor_s_per_rtc_day = factor_s_per_rtc_day_of_rate(two.rate_off_s_per_day);
    d.reason = "written: the off-rate " + s_per_day(two.rate_off_s_per_day) + " ± " + s_per_day(two.ci95_off_s_per_day);
  }
  return d;
}

}  // namespace

std::string two_rate_suspect(const TwoRateFit& two) {
  if (!(two.typical_scatter_scale > kMaxAutoScatterScale)) return "";
  char scale[32];
  std::snprintf(scale, sizeof scale, "%.1f", two.typical_scatter_scale);
  return std::string("the on/off intervals scatter ") + scale + " times their variance with a crystal's typical wander (suspect)";
}

AutoFactorDecision decide_auto_factor(const DriftFit& fit, const TwoRateFit& two, double tight_s_per_day,
                                      bool power_history) {
  if (two.ok) return from_two_rates(two, tight_s_per_day);
  AutoFactorDecision d;
  const double half_width = (fit.ci95_high_s_per_day - fit.ci95_low_s_per_day) / 2.0;
  if (power_history && two.dof < 1 && two.on_days > 0 && two.off_days > 0) {
    d.reason = "not written: the log holds boots and shutdowns, and the two-rate fit is not ready (" + two.problem + ")";
  } else if (!fit.model.fits) {
    d.reason = "not written: the rate is not constant (model check)";
  } else if (fit.outlier_ambiguous) {
    d.reason = "not written: an outlier cannot be told apart (suspect)";
  } else if (half_width > tight_s_per_day) {
    d.reason = "not written: the rate's 95% interval (± " + s_per_day(half_width) + ") is wider than ± " +
               s_per_day(tight_s_per_day);
  } else {
    d.write = true;
    d.factor_s_per_rtc_day = fit.factor_s_per_day;
    d.reason = "written: the rate " + s_per_day(fit.rate_s_per_day) + " ± " + s_per_day(half_width);
  }
  return d;
}

}  // namespace rtcal::calibration
