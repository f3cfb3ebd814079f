// Plausibility of a boot-time correction (see apply_check.h).
#include "calibration/apply_check.h"

#include <cmath>
#include <cstdio>

namespace rtcal::calibration {
namespace {

std::string num(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace

std::string apply_problem(const DriftState& state, double rtc_unix_s, double correction_s) {
  if (!std::isfinite(state.factor_s_per_rtc_day) || std::fabs(state.factor_s_per_rtc_day) > kPlausibleFactorSPerDay) {
    return "the drift factor " + num(state.factor_s_per_rtc_day, 6) + " s/day is beyond the plausible ±" +
           num(kPlausibleFactorSPerDay, 1) + " s/day (1000 ppm)";
  }
  if (state.last_adjust_unix_s != 0 && static_cast<double>(state.last_adjust_unix_s) > rtc_unix_s + kLastAdjustSlackS) {
    return "the last adjustment (unix " + std::to_string(state.last_adjust_unix_s) +
           ") lies after the RTC's reading (unix " + num(rtc_unix_s, 0) + "): the RTC went back";
  }
  if (!std::isfinite(correction_s) || std::fabs(correction_s) >= kMaxApplyCorrectionS) {
    return "the correction " + num(correction_s, 3) + " s is an hour or more: a time zone or DST change, not drift";
  }
  return "";
}

}  // namespace rtcal::calibration
