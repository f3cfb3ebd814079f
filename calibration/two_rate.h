// Two drift rates: the RTC runs at one rate while the machine is on (warm,
// on system power) and at another while it is off (on its battery, cold).
// A single drift factor mixes the two in whatever share of on and off time
// the log happens to hold; at the next boot only the off-rate has acted since
// the shutdown. Pure: numbers in, numbers out.
//
// The model: within a segment (no unknown change of the RTC, no gap in the
// power history) the RTC's step-corrected error moves between two successive
// points by
//   c_b - c_a = rate_on * (on_b - on_a) + rate_off * (off_b - off_a)
// with on / off the powered / unpowered days since the segment's start: each
// such interval (shutdown -> boot: off; boot -> shutdown: on) is one
// observation with the RTC's error known at both ends, variance
// sigma_a² + sigma_b². Intervals, not points, because what disturbs an RTC
// (temperature, a changed rate for a while) acts per interval and does not
// carry over: a fit of cumulative points would take that random walk for
// independent noise. Weighted least squares; rate_on and rate_off come with
// their covariance, and the scatter beyond the stated sigmas (chi2/dof above
// 1) widens both the rates' variances and the prediction of a new interval.
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
  int dof = 0;                       // intervals - 2
  int n = 0;                         // intervals
  double scatter_scale = 1.0;        // max(1, chi2/dof): how much the intervals scatter beyond their sigmas
  double on_days = 0.0, off_days = 0.0;  // the total of each the points span
};

// Fit both rates from the intervals between successive points of a segment.
// Not ok (with the reason) when fewer than 3 intervals, no off or no on time,
// or the on and off shares do not vary enough to tell them apart.
TwoRateFit fit_two_rates(const std::vector<TwoRatePoint>& points);

// The 1-sigma of the rates' part of the error change predicted over
// `on_days` + `off_days` (the parameters' uncertainty only).
double two_rate_sigma_s(const TwoRateFit& fit, double on_days, double off_days);

// The 1-sigma of a new interval's error change: the rates' part and the
// interval's own scatter, scatter_scale x (sigma at its start² + at its end²).
double two_rate_prediction_sigma_s(const TwoRateFit& fit, double on_days, double off_days, double start_sigma_s,
                                   double end_sigma_s);

}  // namespace rtcal::calibration
