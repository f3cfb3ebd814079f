// The drift fit's result (calibration/fit.h) from its final solve: the rate
// with its interval (the sigmas checked against the scatter both ways), the
// segments' lines, every point's residual, the two-point answer, and the
// model check applied to them (flagged points a curve explains tested again;
// a quadratic's rate now, the runs widening and the misfit term put into the
// interval). The search itself (segments, outliers, change point) is in
// fit.cc. Every pass is O(n). Pure.
#include <algorithm>
#include <cmath>

#include "calibration/drift.h"
#include "calibration/fit.h"
#include "calibration/fit_detail.h"

namespace rtcal::calibration::detail {
namespace {

// Overstated sigmas are scaled down only from this many degrees of
// freedom, and by at most 1/kMaxShrink.
constexpr int kMinDofToShrink = 4;
constexpr double kMaxShrink = 5.0;
// The sigmas are called overstated only when chi2 falls below this tail
// (the interval narrows from the 5% point on, without that claim).
constexpr double kOverstatedTail = 1e-6;

// One point's residual and normalized residual on the final solve.
void fill_residual(FitPoint& p, const DriftFit& fit, const Solve& s, double origin) {
  p.fitted_s = fitted_at(s, p, origin);
  p.residual_s = p.corrected_error_s - p.fitted_s;
  const double h = leverage(s, p, origin);
  const double sd = p.sigma_s * fit.sigma_scale;
  if (p.outlier) {
    p.normalized_residual = p.residual_s / std::sqrt(sd * sd + h * sd * sd);
  } else if (h < 1.0 - 1e-9) {
    p.normalized_residual = p.residual_s / (sd * std::sqrt(1.0 - h));
  }
}

// The segments' lines from the solve (their spans come from the points).
void start_segments(DriftFit& fit, const Solve& s, double origin) {
  fit.segments.assign(s.segments.size(), {});
  for (size_t k = 0; k < s.segments.size(); ++k) {
    auto& seg = fit.segments[k];
    seg.ref_unix_s = origin + s.segments[k].mean_t;
    seg.intercept_s = s.segments[k].mean_e;
    seg.weight_sum = s.segments[k].weight;
  }
}

// A point into its segment's span and count.
void add_to_segment(DriftFit& fit, const FitPoint& p) {
  auto& seg = fit.segments[static_cast<size_t>(p.segment)];
  if (seg.points == 0) seg.start_unix_s = p.time_unix_s;
  seg.end_unix_s = seg.points == 0 ? p.time_unix_s : std::max(seg.end_unix_s, p.time_unix_s);
  ++seg.points;
}

void fill_rate(DriftFit& fit, const Solve& s, const FitOptions& o) {
  fit.n = s.used;
  fit.dof = s.used - s.parameters;
  fit.chi2 = s.chi2;
  // Known sigmas: the normal quantile. Sigmas scaled by the scatter: the
  // scale itself is estimated from dof points, so Student's t (exact for
  // Gaussian errors whatever the true scale).
  fit.sigma_scale = scatter_scale(s);
  const bool shrink = fit.dof >= kMinDofToShrink && s.chi2 < chi2_quantile(0.05, fit.dof);
  if (shrink) fit.sigma_scale = std::max(std::sqrt(s.chi2 / fit.dof), 1.0 / kMaxShrink);
  fit.sigmas = shrink && chi2_lower_tail(s.chi2, fit.dof) < kOverstatedTail ? SigmaCheck::overstated
               : shrink ? SigmaCheck::consistent
               : fit.dof >= 1 && s.chi2 > chi2_quantile(0.95, fit.dof) ? SigmaCheck::understated
                                                                       : SigmaCheck::consistent;
  fit.quantile = fit.sigma_scale != 1.0 ? student_t_quantile(o.confidence, fit.dof)
                                        : normal_quantile(o.confidence);
  fit.rate_s_per_day = s.rate_s_per_s * kSecondsPerDay;
  fit.rate_ppm = s.rate_s_per_s * 1e6;
  fit.rate_sigma_s_per_day = fit.sigma_scale / std::sqrt(s.sxx) * kSecondsPerDay;
  fit.ci95_low_s_per_day = fit.rate_s_per_day - fit.quantile * fit.rate_sigma_s_per_day;
  fit.ci95_high_s_per_day = fit.rate_s_per_day + fit.quantile * fit.rate_sigma_s_per_day;
  fit.factor_s_per_day = factor_s_per_rtc_day_of_rate(fit.rate_s_per_day);
  fit.sxx = s.sxx;
}

}  // namespace

// The outlier list, rate, segments and residuals of a solve: the rate
// first (the residuals need its scale), then one pass over the points (at a
// million points each pass costs).
void fill_solved(DriftFit& fit, const Solve& s, double origin, const FitOptions& o) {
  fit.outliers.clear();
  fill_rate(fit, s, o);
  start_segments(fit, s, origin);
  for (auto& p : fit.points) {
    if (p.outlier) fit.outliers.push_back(p.record_index);
    add_to_segment(fit, p);
    fill_residual(p, fit, s, origin);
  }
}

// The last segment with two measurements at different times: its first and
// last, known steps taken out. O(n).
void fill_two_point(DriftFit& fit, const std::vector<double>& known_steps_s) {
  const size_t none = fit.points.size();
  std::vector<size_t> first(fit.segments.size(), none), last(fit.segments.size(), none);
  for (size_t i = 0; i < fit.points.size(); ++i) {
    const auto seg = static_cast<size_t>(fit.points[i].segment);
    if (first[seg] == none) first[seg] = i;
    last[seg] = i;
  }
  for (size_t seg = fit.segments.size(); seg-- > 0;) {
    if (first[seg] == none || first[seg] == last[seg]) continue;
    const auto& a = fit.points[first[seg]];
    const auto& b = fit.points[last[seg]];
    const double dt = b.time_unix_s - a.time_unix_s;
    if (dt <= 0.0) continue;
    const double de = (b.rtc_error_s - known_steps_s[last[seg]]) - (a.rtc_error_s - known_steps_s[first[seg]]);
    fit.two_point_rate_s_per_day = de / dt * kSecondsPerDay;
    fit.two_point_factor_s_per_day = factor_s_per_rtc_day_of_rate(*fit.two_point_rate_s_per_day);
    return;
  }
}

// The model check, after flagged points a curve explains are tested again:
// the line's outlier test runs before the model check, so with aging it
// throws out the precise readings that show the curve. When a quadratic
// through the unflagged points explains some flagged ones, the fit is
// redone with them, and kept when the quadratic then wins the F test.
ModelCheck model_with_curve_points(DriftFit& fit, const Solve& s, double origin, const FitOptions& o) {
  ModelCheck m = check_model(fit, o.model_alpha, o.confidence);
  // The quadratic needs 3 degrees of freedom of its own (6 readings in one
  // segment): with fewer it bends through a gross outlier as easily.
  if (fit.outliers.empty() || static_cast<int>(fit.points.size() - fit.segments.size()) - 2 < 3) return m;
  const auto back = explained_by_curve(fit.points, static_cast<int>(fit.segments.size()),
                                               o.outlier_threshold_sigma);
  if (back.empty()) return m;
  for (size_t i : back) fit.points[i].outlier = false;
  std::vector<bool> used(fit.points.size());
  for (size_t i = 0; i < used.size(); ++i) used[i] = !fit.points[i].outlier;
  const auto curve = solve(fit.points, used, static_cast<int>(fit.segments.size()), origin);
  if (curve.ok) {
    fill_solved(fit, curve, origin, o);
    ModelCheck with = check_model(fit, o.model_alpha, o.confidence);
    if (with.trend) return with;
  }
  for (size_t i : back) fit.points[i].outlier = true;  // the curve did not win: as before
  fill_solved(fit, s, origin, o);
  return m;
}

// A quadratic model replaces the rate by the rate now; too few runs widen
// the interval (the residuals are correlated, the points worth fewer).
void apply_model(DriftFit& fit, ModelCheck m) {
  if (m.model == FitModel::quadratic) {
    fit.rate_s_per_day = m.rate_now_s_per_day;
    fit.rate_sigma_s_per_day = m.rate_now_sigma_s_per_day;
    fit.quantile = m.quantile;
    fit.sigma_scale = m.sigma_scale;  // the line's scatter was the curve's
    fit.sigmas = m.sigmas_understated ? SigmaCheck::understated : SigmaCheck::consistent;
    for (size_t g = 0; g < fit.segments.size() && g < m.segment_value_at_ref_s.size(); ++g)
      fit.segments[g].intercept_s = m.segment_value_at_ref_s[g];
  }
  if (m.too_few_runs) {
    fit.sigma_scale *= m.widening;
    if (fit.sigma_scale >= 1.0 && fit.sigmas == SigmaCheck::overstated) fit.sigmas = SigmaCheck::consistent;
    fit.rate_sigma_s_per_day *= m.widening;
    fit.quantile = std::max(fit.quantile, student_t_quantile(0.95, std::max(fit.dof - 1, 1)));
  }
  if (m.misfit) fit.rate_sigma_s_per_day += m.misfit_s_per_day / fit.quantile;  // on the half-width
  fit.rate_ppm = fit.rate_s_per_day / kSecondsPerDay * 1e6;
  fit.ci95_low_s_per_day = fit.rate_s_per_day - fit.quantile * fit.rate_sigma_s_per_day;
  fit.ci95_high_s_per_day = fit.rate_s_per_day + fit.quantile * fit.rate_sigma_s_per_day;
  fit.factor_s_per_day = factor_s_per_rtc_day_of_rate(fit.rate_s_per_day);
  fit.model = std::move(m);
}

}  // namespace rtcal::calibration::detail
