// Two drift rates: the RTC runs at one rate while the machine is on (warm,
// on system power) and at another while it is off (on its battery, cold).
// A single drift factor mixes the two in whatever share of on and off time
// the log happens to hold; at the next boot only the off-rate has acted since
// the shutdown. Pure: numbers in, numbers out.
//
// The model: within a segment (no unknown change of the RTC, no gap in the
// power history) the RTC's step-corrected error at a point is
//   c_i = c0_segment + rate_on * on_i + rate_off * off_i
// with on_i / off_i the powered / unpowered days since the segment's start.
// Points, not intervals, are the observations: an interval (shutdown -> boot,
// boot -> next shutdown) is the difference of two points, and fitting the
// points keeps the covariance of intervals that share an end right without
// more bookkeeping. Weighted least squares; rate_on and rate_off come with
// their covariance (scaled up by chi2/dof when that is above 1).
//
// Sign convention: errors are RTC minus true time (+ = fast); a rate is
// + = the RTC gains.
#pragma once

#include <string>
#include <vector>

namespace rtcal::calibration {

// One RTC error with the power history behind it.
struct TwoRatePoint {
  int segment = 0;
  double on_days = 0.0;    // powered time since the segment's start
  double off_days = 0.0;   // unpowered time since the segment's start
  double error_s = 0.0;    // RTC error minus the known steps before it in the segment
  double sigma_s = 0.0;    // its 1-sigma, > 0
};

struct TwoRateFit {
  bool ok = false;
  std::string problem;               // why not, when !ok
  double rate_on_s_per_day = 0.0;
  double rate_off_s_per_day = 0.0;
  double var_on = 0.0, var_off = 0.0, cov_on_off = 0.0;  // (s/day)²
  double ci95_on_s_per_day = 0.0;    // half-width
  double ci95_off_s_per_day = 0.0;
  double chi2 = 0.0;
  int dof = 0;
  int n = 0;
  double on_days = 0.0, off_days = 0.0;  // the total of each the points span
};

// Fit both rates. Not ok (with the reason) when fewer than 4 points, no off
// or no on time, or the on and off shares do not vary enough to tell them apart.
TwoRateFit fit_two_rates(const std::vector<TwoRatePoint>& points);

// The 1-sigma of the error change predicted over `on_days` + `off_days`.
double two_rate_sigma_s(const TwoRateFit& fit, double on_days, double off_days);

}  // namespace rtcal::calibration
