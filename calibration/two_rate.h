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
// their covariance.
//
// An interval's variance is its ends' stated sigmas plus the wander of the
// rate over it: sigma_a² + sigma_b² + q_on x on² + q_off x off², with q_on
// and q_off the variance of one period's rate about the mean ((s/day)²), each
// state its own (a crystal warm on system power and cold on its battery
// wanders differently, and a 16 h off period wanders more than an 8 h on one
// at the same rate noise). Each q comes from its own intervals' residuals (a
// method-of-moments fit, iterated with the weights it gives), drawn towards
// the pooled q of all intervals with the weight of kWanderPriorDof intervals,
// so a state with few intervals borrows from the other; the pooled q is drawn
// towards a crystal's typical wander (0.5 ppm) with the weight of one
// interval, so a few intervals that happen to agree are not taken for a
// clock without wander, but to no more wander than their scatter leaves
// possible (chi2 under it not in its lower 5% tail). The 95% intervals take
// Student's t with the degrees of freedom of the variance they rest on
// (Welch-Satterthwaite over the known and the estimated parts).
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
  double scatter_scale = 1.0;        // max(1, chi2/dof) against the stated sigmas alone (the wander's sign)
  // chi2/dof of the fitted rates against the stated sigmas plus a crystal's
  // typical wander (0.5 ppm a period): scatter beyond it is something the
  // model lacks (calibration/auto_factor.h two_rate_suspect).
  double typical_scatter_scale = 0.0;
  double wander_on_s_per_day = 0.0;  // 1 sigma of an on period's rate about rate_on: sqrt(q_on)
  double wander_off_s_per_day = 0.0; // the same while off: sqrt(q_off)
  double dof_on = 0.0, dof_off = 0.0;  // of each wander's estimate: its intervals' residual dof plus the prior's, x share²
  double share_on = 0.0, share_off = 0.0;  // the share of each rate's variance that rests on its wander
  double on_days = 0.0, off_days = 0.0;  // the total of each the points span
};

// Fit both rates from the intervals between successive points of a segment.
// Not ok (with the reason) when fewer than 3 intervals, no off or no on time,
// or the on and off shares do not vary enough to tell them apart.
TwoRateFit fit_two_rates(const std::vector<TwoRatePoint>& points);

// The 1-sigma of the rates' part of the error change predicted over
// `on_days` + `off_days` (the parameters' uncertainty only).
double two_rate_sigma_s(const TwoRateFit& fit, double on_days, double off_days);

// A new interval's error change as the fit predicts it: its 1-sigma (the
// rates' part, the interval's own wander q_on x on² + q_off x off², and the
// stated sigmas at its ends), the degrees of freedom of that variance and the
// 95% half-width (Student's t with them; the normal quantile when only the
// stated sigmas count).
struct TwoRatePrediction {
  double sigma_s = 0.0;
  double dof = 0.0;  // 0: infinite (nothing estimated in it)
  double ci95_s = 0.0;
};
TwoRatePrediction two_rate_prediction(const TwoRateFit& fit, double on_days, double off_days, double start_sigma_s,
                                      double end_sigma_s);

// Its 1-sigma alone.
double two_rate_prediction_sigma_s(const TwoRateFit& fit, double on_days, double off_days, double start_sigma_s,
                                   double end_sigma_s);

}  // namespace rtcal::calibration
