// The drift fit: one constant rate estimated from the whole measurement log.
// Pure: observations (calibration/observation.h) in, numbers out; no files,
// no clock, no printing. Cost O(n log n) in the number of measurements.
//
// Model. The log is cut into segments at `reset` records (the RTC changed by
// an unknown amount). Within a segment the RTC error (RTC minus true time,
// + = fast), with the known `step` amounts before each point taken out, is a
// straight line: e(t) = intercept_seg + rate * (t - t_ref_seg). All segments
// share one rate. The fit is weighted least squares, w = 1/sigma^2, which
// reaches the Cramer-Rao bound 1 / sum w (t - t_w)^2 for Gaussian errors.
//
// Two things drift cannot explain are taken out before the rate is believed:
//  - an hour jump: consecutive measurements that differ by about k * 1800 s
//    more than drift explains (DST, another OS keeping the RTC in local
//    time) is treated as a step of k * 1800 s and reported;
//  - gross outliers (mistyped readings, a minute off): a robust start (the
//    repeated median line, Siegel 1982, breakdown ~50%; partners sampled for
//    large n) flags points far off it, so several outliers cannot mask each
//    other; then a point whose leave-one-out residual is far outside what
//    the other points allow is flagged, shown, and kept out of the fit, and
//    a flagged point the final line explains is taken back.
// And one thing it reports: a single unlogged step of the RTC (another OS
// set it) is searched for as a change point and, when it explains the data
// far better than chance allows, treated as a reset.
//
// Sign convention: rate_s_per_day > 0 means the RTC gains (runs fast), per
// true day; the hwclock factor (what to ADD per RTC day, calibration/drift.h)
// is -rate / (1 + rate / 86400).
#pragma once

#include <optional>
#include <vector>

#include "base/result.h"
#include "calibration/observation.h"

namespace rtcal::calibration {

// Tuning of the fit; the defaults are what `rtcal drift` uses.
struct FitOptions {
  // A point is an outlier when its leave-one-out residual exceeds this many
  // standard deviations (the measurement's sigma, inflated by the scatter of
  // the other points when that says sigma was too small).
  double outlier_threshold_sigma = 5.0;
  // Recognise jumps of k * 1800 s between consecutive measurements.
  bool detect_hour_jumps = true;
  // How far from a multiple of 1800 s (after drift) a jump may be, s.
  double hour_jump_tolerance_s = 60.0;
  // Two-sided confidence of the reported interval.
  double confidence = 0.95;
  // Look for one unlogged step (a change point) and treat it as a reset.
  bool detect_change_point = true;
  // Family-wise false-alarm rate of that search (Bonferroni over positions).
  double change_point_alpha = 1e-3;
  // Test the residuals for structure the straight line misses (a quadratic
  // term by an F test, the signs by a runs test), at this false-alarm rate.
  bool check_model = true;
  double model_alpha = 1e-3;
};

// One measurement record as the fit saw it.
struct FitPoint {
  int record_index = 0;        // index into the observations given to fit_drift()
  int line = 0;                // its line in the log (Observation::line; 0 if none)
  double time_unix_s = 0.0;    // true time of the measurement
  double rtc_error_s = 0.0;    // as recorded (RTC minus true time, + = fast)
  double steps_s = 0.0;        // known steps + recognised hour jumps before it
                               // in its segment (sum of amounts, s)
  double corrected_error_s = 0.0;  // rtc_error_s - steps_s: what the line fits
  double sigma_s = 0.0;        // recorded 1-sigma uncertainty
  int segment = 0;             // index into DriftFit::segments
  double fitted_s = 0.0;       // the fitted line at time_unix_s (corrected scale)
  double residual_s = 0.0;     // corrected_error_s - fitted_s
  double normalized_residual = 0.0;  // leave-one-out residual / its std dev
  bool outlier = false;        // flagged and kept out of the fit
  bool hour_jump = false;      // an hour jump was recognised just before it
  double hour_jump_s = 0.0;    // its size (k * 1800 s), 0 when none
};

// One segment (between resets) with its own intercept.
struct FitSegment {
  double start_unix_s = 0.0;   // first measurement in it
  double end_unix_s = 0.0;     // last measurement in it
  double ref_unix_s = 0.0;     // weighted mean time of its fitted points
  double intercept_s = 0.0;    // fitted corrected error at ref_unix_s
  double weight_sum = 0.0;     // sum of 1/sigma^2 of its fitted points (1/s^2)
  int points = 0;              // measurements in it (outliers included)
};

// A recognised hour jump.
struct HourJump {
  int after_record_index = 0;  // the first measurement after the jump
  double time_unix_s = 0.0;    // placed at that measurement's time
  double amount_s = 0.0;       // k * 1800 s (+ = the RTC jumped ahead)
  double gap_s = 0.0;          // from the measurement before it
};

// A change of the RTC the fit takes out: a `step` record or an hour jump.
struct FitStep {
  int segment = 0;
  double time_unix_s = 0.0;
  double amount_s = 0.0;       // new reading minus old, s
  bool hour_jump = false;      // recognised by the fit, not recorded
};

// A single unlogged step of the RTC found in the data, treated as a reset.
struct ChangePoint {
  int before_record_index = 0;  // the last measurement before the step
  int after_record_index = 0;   // the first measurement after it
  double before_unix_s = 0.0;   // their times: the step happened in between
  double after_unix_s = 0.0;
  double step_s = 0.0;          // the new line minus the old at after_unix_s
  double improvement = 0.0;     // chi2 gained by the reset, in units of the scatter
  double threshold = 0.0;       // what chance alone would reach (Bonferroni)
  // When the gain is below that threshold, the step was taken because the
  // fit with it holds every reading within its sigma where the fit without
  // it flagged these readings, all on one side: they moved together by one
  // step (a reset), not each by its own typo. Empty otherwise.
  std::vector<int> explained_record_indices;
};

// The stated sigmas against the scatter: consistent with it (chi2 within its
// 90% range, or too few degrees of freedom to tell), too small, too large.
enum class SigmaCheck { consistent, understated, overstated };
const char* sigma_check_name(SigmaCheck c);  // "consistent", "understated", "overstated"

// Whether one constant rate fits the residuals (FitOptions::check_model).
enum class FitModel { linear, quadratic };
const char* fit_model_name(FitModel m);  // "linear", "quadratic"
// What said the model misses systematically (ModelCheck::misfit): chi2 alone
// (fewer than 10 fitted readings: a misfit and understated sigmas cannot be
// told apart), a reading flagged as an outlier that may instead be structure
// (fewer than 10 fitted readings, the rest within their sigmas: a typo and a
// sawtooth's peak cannot be told apart), too few runs of residual sign,
// misses of the same seconds at every reading whatever its sigma, or misses
// left by the quadratic.
enum class MisfitEvidence { none, chi2, flagged_reading, runs, same_seconds, beyond_quadratic };
// "none", "chi2", "flagged_reading", "runs", "same_seconds", "beyond_quadratic"
const char* misfit_evidence_name(MisfitEvidence e);
struct ModelCheck {
  bool fits = true;              // no structure found: one constant rate fits
  FitModel model = FitModel::linear;
  // A quadratic term (the rate changes: aging) by an F test: chi2 gained by
  // it over the quadratic's scatter, against F(1, dof - 1) at model_alpha.
  bool trend = false;
  double f_statistic = 0.0;
  double f_threshold = 0.0;
  // Runs of equal residual sign (Wald-Wolfowitz; from 10 points): too few
  // runs is a sawtooth (the machine on and off at different temperatures).
  bool too_few_runs = false;
  int runs = 0;
  double runs_expected = 0.0;
  double runs_z = 0.0;
  double widening = 1.0;         // of the interval for too few runs (AR(1))
  // The model (line or quadratic) misses the data by far more than the
  // sigmas allow (chi2 beyond its 1 - model_alpha point) and, from 10
  // readings, the misses look systematic (runs, the same seconds at every
  // reading, or left by the quadratic); or, below 10 fitted readings, a
  // flagged reading the RTC could have made (a rate swing within 1 s/day)
  // may be the peak of such misses: the interval's half-width is widened
  // by the rate error such misses can cause (calibration/fit_misfit.cc), in
  // s/day; 0 when not. The rate itself is unchanged.
  bool misfit = false;
  double misfit_s_per_day = 0.0;
  double misfit_rms_s = 0.0;     // the misses' RMS beyond the sigmas (A)
  MisfitEvidence misfit_evidence = MisfitEvidence::none;
  double misfit_chi2 = 0.0;            // the model's chi2 and its 1 - model_alpha
  double misfit_chi2_threshold = 0.0;  // point (set when tested)
  // The two bounds of misfit_s_per_day (the larger is taken): a curve's
  // rate-now gap, sqrt(180) A / span, and independent misses of A at the
  // readings that set the rate.
  double misfit_curve_s_per_day = 0.0;
  double misfit_scatter_s_per_day = 0.0;
  double chi2 = 0.0;             // the quadratic's chi2 (with the quadratic model)
  double rate_now_unit_sigma_s_per_day = 0.0;  // its rate-now sigma for unit sigma scale
  double linear_rate_s_per_day = 0.0;  // the straight line's average rate
  // With the quadratic model: the rate at the last fitted reading and how
  // fast it changes.
  double rate_now_s_per_day = 0.0;
  double rate_now_sigma_s_per_day = 0.0;
  double aging_s_per_day_per_year = 0.0;
  double aging_sigma_s_per_day_per_year = 0.0;
  double curvature_s_per_day2 = 0.0;        // e = a + b tau + c tau^2, tau in days
  double curvature_sigma_s_per_day2 = 0.0;
  double quantile = 1.96;        // of the quadratic's intervals
  double sigma_scale = 1.0;      // max(1, sqrt(chi2 / (dof - 1))) of the quadratic
  bool sigmas_understated = false;  // the quadratic's chi2 beyond its 95% point
  double ref_unix_s = 0.0;       // tau = 0: the last fitted reading
  std::vector<double> segment_value_at_ref_s;  // the curve at each segment's ref_unix_s
};

// The whole result.
struct DriftFit {
  std::vector<FitPoint> points;      // every measurement, in log order
  std::vector<FitSegment> segments;  // segments that hold measurements
  std::vector<HourJump> hour_jumps;
  std::vector<FitStep> steps;        // in time order within each segment

  double rate_s_per_day = 0.0;       // + = the RTC gains
  double rate_ppm = 0.0;             // the same in parts per million
  double rate_sigma_s_per_day = 0.0; // standard error (scaled, see below)
  double ci95_low_s_per_day = 0.0;   // confidence interval (FitOptions::confidence)
  double ci95_high_s_per_day = 0.0;
  double factor_s_per_day = 0.0;     // hwclock factor, per RTC day: factor_s_per_rtc_day_of_rate(rate)

  int n = 0;                 // measurements used in the fit (outliers excluded)
  int dof = 0;               // n - segments - 1
  double chi2 = 0.0;         // sum of w * residual^2 over fitted points
  double sxx = 0.0;          // sum w (t - t_segment)^2 over fitted points (unscaled
                             // information on the rate, s^-2 * s^2 -> rate var = 1/sxx)
  // What the scatter says of the stated sigmas, and the factor applied to
  // them: sqrt(chi2/dof) when above 1 (understated: the interval widens,
  // Student's t); when 4+ degrees of freedom put chi2 below its 5% point
  // also sqrt(chi2/dof), at least 0.2 (the interval narrows, Student's t,
  // exact whatever the true scale); else 1 and the normal quantile. The
  // sigmas are called `overstated` only when chi2 is below its 1e-6 point
  // (and the final scale below 1): a log whose sigmas are right or too small
  // is then practically never called overstated.
  double sigma_scale = 1.0;
  SigmaCheck sigmas = SigmaCheck::consistent;
  double quantile = 1.96;    // the normal or Student-t quantile the interval uses
  std::vector<int> outliers; // record indices of flagged points
  // Removing another reading instead would have fitted as well: the flagged
  // one may be the wrong one (too few readings to tell; measure again).
  bool outlier_ambiguous = false;
  // Flagged by the robust start (the repeated-median line), before the
  // leave-one-out test; a subset of `outliers`.
  int robust_flags = 0;
  // A single unlogged step, when one was found (then `segments` has the
  // extra segment it starts).
  std::optional<ChangePoint> change_point;
  // Whether the straight line fits; with a quadratic model the rate, its
  // interval and the factor above are the rate at the last reading.
  ModelCheck model;

  // The two-point answer (hwclock --update-drift / the Clock mini-HOWTO) on
  // the same data: first and last measurement of the last segment with two,
  // known steps taken out, no outlier or hour-jump handling.
  std::optional<double> two_point_rate_s_per_day;
  std::optional<double> two_point_factor_s_per_day;  // the same of two_point_rate
};

// Fit the observations (any order of types; measurements must be in time
// order within a segment, as the log is appended; dropped ones are left
// out). Errors (exit code failure): no measurements; fewer than two
// measurements at different times in any one segment ("take another
// measurement later").
Result<DriftFit> fit_drift(const std::vector<Observation>& observations,
                           const FitOptions& options = {});

// The fitted line of `segment` at time t, with its 1-sigma band (the line's
// own uncertainty, scaled like the rate; not a single reading's scatter).
struct LinePrediction {
  double corrected_error_s = 0.0;  // on the step-free scale the fit uses
  double sigma_s = 0.0;            // 1-sigma of the line at t
  double half_width_s = 0.0;       // interval half-width (quantile * sigma_s)
};
LinePrediction predict_line(const DriftFit& fit, int segment, double t_unix_s);

// The same in the RTC's own terms: the error the RTC would show at t if
// nothing but the known steps (and hour jumps) before t changed it.
LinePrediction predict_rtc_error(const DriftFit& fit, int segment, double t_unix_s);

// How the RTC error grows over `days` from the last measurement.
struct ErrorAfter {
  double days = 0.0;
  double uncorrected_s = 0.0;  // rate * days: drift if nothing corrects it
  double corrected_sigma_s = 0.0;  // 1-sigma left after applying the fitted factor
  double corrected_half_width_s = 0.0;  // interval half-width of the same
  double predicted_error_s = 0.0;   // the last segment's line, days after its last point
  double predicted_sigma_s = 0.0;   // its 1-sigma (line uncertainty)
};
ErrorAfter error_after_days(const DriftFit& fit, double days);

// When one more measurement with 1-sigma `sigma_s` (in the last segment)
// would halve the rate's standard error: the earliest such time.
struct NextMeasurement {
  double time_unix_s = 0.0;
  double days_after_last = 0.0;   // after the last measurement in the log
  double sigma_s = 0.0;           // the sigma assumed
};
NextMeasurement next_measurement(const DriftFit& fit, double sigma_s);

// The sigma a next measurement will likely have: the median sigma of the
// fitted points (so a user of beeps is not promised NTP precision).
double typical_sigma_s(const DriftFit& fit);

// Two-sided quantile of Student's t with `dof` degrees of freedom
// (dof <= 0 or huge: the normal quantile). confidence in (0, 1).
double student_t_quantile(double confidence, int dof);

// The p-quantile of chi2 with `dof` degrees of freedom (Wilson-Hilferty,
// within ~3% from dof 2; p in (0, 1)).
double chi2_quantile(double p, int dof);

// P(X <= x) for X chi2 with `dof` degrees of freedom (power series of the
// regularized gamma function: exact to rounding below the mean, slow far
// above it; meant for small lower tails).
double chi2_lower_tail(double x, int dof);

}  // namespace rtcal::calibration
