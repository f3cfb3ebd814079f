// Internals of the drift fit shared by calibration/fit*.cc (not a public API):
// the weighted least-squares solve with one shared rate and an intercept per
// segment, the hour-jump search, the robust start and the change-point
// scan. Pure.
#pragma once

#include <vector>

#include "calibration/fit.h"

namespace rtcal::calibration::detail {

// Per-segment sums of one weighted solve over the points with used[i].
struct SegmentSums {
  double weight = 0.0;     // sum w
  double mean_t = 0.0;     // weighted mean time (relative to the origin)
  double mean_e = 0.0;     // weighted mean corrected error
  int used = 0;
};

// The solve: rate in s per s, the sums per segment, Sxx and chi2.
struct Solve {
  std::vector<SegmentSums> segments;
  double rate_s_per_s = 0.0;
  double sxx = 0.0;        // sum w (t - t_seg)^2 (1/s^2 * s^2)
  double chi2 = 0.0;
  int used = 0;
  int parameters = 0;      // segments with used points + 1
  bool ok = false;         // sxx > 0
};

// `origin` is subtracted from every time (keeps the sums well conditioned).
Solve solve(const std::vector<FitPoint>& points, const std::vector<bool>& used,
            int segment_count, double origin_s);

// The fitted value at point i's time on its segment's line.
double fitted_at(const Solve& s, const FitPoint& p, double origin_s);

// Leverage of point i (w_i (1/W_seg + (t_i - t_seg)^2 / Sxx)).
double leverage(const Solve& s, const FitPoint& p, double origin_s);

// Find hour jumps between consecutive measurements of each segment (on the
// known-step-corrected errors) and add them to the later points' steps_s.
// O(n log n).
std::vector<HourJump> take_out_hour_jumps(std::vector<FitPoint>& points, double tolerance_s);

// The repeated-median slope (Siegel) of the corrected errors, pairs within a
// segment only, over the points with used[i]: for each point the median of
// its slopes to the others, then the median of those. Breakdown point ~50%.
// Bounded cost: beyond a few hundred points per segment each point gets a
// fixed number of pseudo-random partners (deterministic), and beyond a few
// thousand points only an even subsample of points is taken. With
// `small_changes_only`, pairs whose change is half an hour or more are left
// out when any smaller one exists (the hour-jump search). s per s; 0 when no
// pair has a time span.
double repeated_median_rate(const std::vector<FitPoint>& points, const std::vector<bool>& used,
                            bool small_changes_only);

// The robust start: the repeated-median line (per-segment intercepts are
// medians), each residual over the larger of its sigma and the residuals'
// robust spread (1.4826 * median |r|), and the points beyond `threshold`
// of that: at most `max_flags` of them, worst first. Indices into points.
std::vector<size_t> robust_outliers(const std::vector<FitPoint>& points, const std::vector<bool>& used,
                                    double threshold, size_t max_flags);

// The second robust start, for few points (calibration/fit_lms.cc): of the
// lines through every two used points of a segment (each other segment's
// intercept the weighted median of its residuals), the one whose
// (m - max_flags)-th smallest |residual| / sigma is least; the points beyond
// `threshold` times that line's scale (its criterion over the normal
// quantile it estimates, at least 1), at most `max_flags` of them, worst
// first. Empty beyond kLmsUpTo used points. O(m^3 log m).
inline constexpr size_t kLmsUpTo = 60;
std::vector<size_t> lms_outliers(const std::vector<FitPoint>& points, const std::vector<bool>& used,
                                 double threshold, size_t max_flags);

// How many subsets of `size` points (one segment, at most 20 points) lie on
// a weighted line within their sigmas (chi2 within its 1 - 1e-6 point) at
// a rate an RTC can have (kPlausibleFactorSPerDay, 1000 ppm). One
// means the points outside it are identified; more, that the log cannot
// tell which are bad (fit_lms.cc).
int lines_within_sigmas(const std::vector<FitPoint>& points, size_t size);

// The change-point scan: for each segment and each split between two
// consecutive used points (two or more on each side, at different times),
// the chi2 gained by a separate intercept after the split, on the residuals
// of `s` with each clipped to +-clip_sigma of its scaled sigma (so gross
// outliers cannot pick the split). The best split: the index of the first
// point after it, and how many splits were tried. O(n).
struct SplitScan {
  size_t first_after = 0;
  double gain = 0.0;
  int candidates = 0;
  bool found = false;
  std::vector<size_t> runners_up;  // the next best splits (first_after), best first, up to 4
};
SplitScan best_split(const std::vector<FitPoint>& points, const std::vector<bool>& used, const Solve& s,
                     double origin_s, double scale, double clip_sigma);

// Beyond this many points the leave-one-out test rejects every point over
// its threshold at once (one at a time would cost O(n) per outlier), and
// only the robust start is tried.
inline constexpr size_t kBatchRejectFrom = 1000;

// Reject the worst outlier while one exceeds its threshold (at most
// `max_rejects`, and never one whose removal leaves no rate); with many
// points, every one over its threshold at once. Sets pts[i].outlier and
// clears used[i]; `ambiguous` is set when another point's removal would have
// explained the data as well (calibration/fit_outliers.cc).
Solve reject_outliers(std::vector<FitPoint>& pts, std::vector<bool>& used, int segments, double origin,
                      const FitOptions& o, size_t max_rejects, bool& ambiguous);

// Take back flagged points that the line of `s` explains (a robust start
// errs on the side of flagging). True when any came back.
bool reinstate(std::vector<FitPoint>& pts, std::vector<bool>& used, const Solve& s, double origin,
               const FitOptions& o);

// max(1, sqrt(chi2 / dof)): how much more the fitted points scatter than
// their sigmas say (1 when they do not, or cannot tell).
double scatter_scale(const Solve& s);

// The largest swing any RTC's rate can have, s/day (100 ppm: beyond a crystal
// at its temperature extremes plus its aging over years). A flagged reading
// that would need more is a typo, never structure: it stays out of the
// misfit term even where chi2 alone calls for the widening (a 1e5 s typo gave
// +-12,900 s/day), and only such readings let the least-quantile start win.
inline constexpr double kMaxRateSwingAnySPerDay = 8.64;

// The swing of the rate (s/day) flagged point i needs to be real: its miss
// over the time to the nearest unflagged point of its segment on either side
// in log order (the RTC has to get there from its neighbour, or back).
// Infinite with no such neighbour. fit_misfit.cc.
double swing_needed_s_per_day(const std::vector<FitPoint>& pts, size_t i, double miss_s);

// Test the fit's residuals for structure (calibration/fit_model.cc). O(n).
ModelCheck check_model(DriftFit& fit, double alpha, double confidence);

// Whether the model (line or quadratic) misses the data by far more than
// the sigmas allow in a way that looks systematic, and by how much the
// rate's interval must widen then (ModelCheck::misfit; fit_misfit.cc). The
// residuals are against the model m chose. O(n).
void misfit_term(ModelCheck& m, const DriftFit& fit, const std::vector<double>& residual_s, double alpha);

// Flagged points (FitPoint::outlier) that a quadratic through the others
// explains: the curve's residual within `threshold` times the point's sigma,
// scaled by the curve's scatter when that is larger; repeated while points
// come back (a few rounds). Indices into pts, ascending. O(n) per round.
std::vector<size_t> explained_by_curve(const std::vector<FitPoint>& pts, int segments, double threshold);

// The chi2 a quadratic term gains over the line on the points with used[i]
// (unscaled, >= 0): what a rate that changes explains (fit_model.cc).
double curve_gain(const std::vector<FitPoint>& pts, const std::vector<bool>& used, int segments);

// The result of the final solve (fit_result.cc): the outlier list, the rate
// with its interval (the sigmas checked against the scatter), the segments
// and every point's residual. O(n).
void fill_solved(DriftFit& fit, const Solve& s, double origin, const FitOptions& o);

// The two-point answer: first and last measurement of the last segment with
// two at different times, the recorded steps (`known_steps_s`, per point)
// taken out. O(n).
void fill_two_point(DriftFit& fit, const std::vector<double>& known_steps_s);

// The model check, with flagged points a quadratic through the others
// explains tested again (the fit redone with them when the quadratic then
// wins the F test; else `fit` as it was). fit_result.cc.
ModelCheck model_with_curve_points(DriftFit& fit, const Solve& s, double origin, const FitOptions& o);

// The model check into the rate, its interval and the factor (a quadratic's
// rate now, the runs widening, the misfit term); stored in fit.model.
void apply_model(DriftFit& fit, ModelCheck m);

// Two-sided normal quantile (confidence 0.95 -> 1.959964).
double normal_quantile(double confidence);

}  // namespace rtcal::calibration::detail
