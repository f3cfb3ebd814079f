// Whether `rtcal drift --auto` may store a drift factor in adjtime by itself
// (rtcal-measure.service after each boot measurement): only from a tight fit
// that is not suspect. With a two-rate fit (calibration/two_rate.h) the factor
// is the off-rate's, in hwclock's per-RTC-day sense: what hwclock --hctosys
// (or rtcal hctosys) should apply at boot, after the machine was off. Pure.
#pragma once

#include <string>

#include "calibration/fit.h"
#include "calibration/two_rate.h"

namespace rtcal::calibration {

// Intervals scattering more than twice what their stated sigmas and a
// crystal's typical wander allow (chi2/dof above this: TwoRateFit::
// typical_scatter_scale) make a two-rate fit suspect: something the model
// lacks is going on. (Against the stated sigmas alone an ordinary wander of
// 0.2 ppm over 16 h off already scatters 4-14 times 5 ms sigmas: the
// autocal benchmark's fits were all "suspect".)
inline constexpr double kMaxAutoScatterScale = 4.0;

// Why a two-rate fit is suspect (its intervals scatter more than
// kMaxAutoScatterScale times their variance with a crystal's typical wander:
// something the model lacks is going on), or "" when it is not. drift --auto writes nothing from a suspect
// fit and apply does not correct with it (adjtime's factor instead).
std::string two_rate_suspect(const TwoRateFit& two);

struct AutoFactorDecision {
  bool write = false;
  double factor_s_per_rtc_day = 0.0;  // when write
  std::string reason;                 // why (written or not), one sentence for the log
};

// Two-rate fit ok: write the off-rate's factor when its 95% half-width is at
// most `tight_s_per_day` and the scatter is not suspect. Otherwise, when the
// log holds boot or shutdown records (`power_history`) and too few intervals
// for the two-rate fit mix on and off time, nothing: the single fit mixes the
// two rates in whatever shares those intervals had (and from two points its
// model check cannot fail), so it would mispredict the next boot while
// looking tight (seen in lab.autocal: 5.2 s/day written after two boots of a
// 6 s/day off-rate, and the next apply 8 s wrong). Else (no power history;
// intervals all off or all on; or enough of them, all in one proportion) the
// single fit: write its factor when the model fits (a constant rate), no
// outlier is ambiguous and its 95% half-width is at most `tight_s_per_day`.
AutoFactorDecision decide_auto_factor(const DriftFit& fit, const TwoRateFit& two, double tight_s_per_day,
                                      bool power_history = false);

}  // namespace rtcal::calibration
