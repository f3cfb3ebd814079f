// What the drift fit means for the future: the fitted line (or curve) at a
// time with its band, the error expected after N days and when the next
// measurement is worth taking. Pure.
#include <algorithm>
#include <cmath>

#include "calibration/drift.h"
#include "calibration/fit.h"

namespace rtcal::calibration {
namespace {

// The segment and time of the latest measurement.
const FitPoint& latest_point(const DriftFit& fit) {
  return *std::max_element(fit.points.begin(), fit.points.end(), [](const FitPoint& a, const FitPoint& b) {
    return a.segment != b.segment ? a.segment < b.segment : a.time_unix_s < b.time_unix_s;
  });
}

}  // namespace

ErrorAfter error_after_days(const DriftFit& fit, double days) {
  ErrorAfter e;
  e.days = days;
  e.uncorrected_s = fit.rate_s_per_day * days;
  e.corrected_sigma_s = fit.rate_sigma_s_per_day * std::fabs(days);
  e.corrected_half_width_s = fit.quantile * e.corrected_sigma_s;
  if (fit.model.model == FitModel::quadratic) {
    // The aging goes on: a constant factor leaves c days^2, and c is itself uncertain.
    const double c = std::fabs(fit.model.curvature_s_per_day2) + fit.quantile * fit.model.curvature_sigma_s_per_day2;
    e.uncorrected_s += fit.model.curvature_s_per_day2 * days * days;
    e.corrected_half_width_s += c * days * days;
  }
  if (fit.points.empty()) return e;
  const FitPoint& last = latest_point(fit);
  const auto line = predict_rtc_error(fit, last.segment, last.time_unix_s + days * kSecondsPerDay);
  e.predicted_error_s = line.corrected_error_s;
  e.predicted_sigma_s = line.sigma_s;
  return e;
}

// Adding one point of weight w at time t to a segment with weight W and
// weighted mean time m raises the rate information Sxx by w W / (W + w) *
// (t - m)^2 (the segment's mean moves). Halving the standard error needs
// four times the information: solve Sxx + that = 4 Sxx for t.
NextMeasurement next_measurement(const DriftFit& fit, double sigma_s) {
  NextMeasurement next;
  next.sigma_s = sigma_s;
  if (fit.points.empty() || fit.sxx <= 0.0 || sigma_s <= 0.0) return next;
  const FitPoint& last = latest_point(fit);
  const auto& seg = fit.segments.at(static_cast<size_t>(last.segment));
  // The new reading's sigma is likely misjudged like the old ones were.
  const double sd = sigma_s * fit.sigma_scale;
  const double w = 1.0 / (sd * sd);
  // sxx and weight_sum are in unscaled units; scale them like w.
  const double scale2 = fit.sigma_scale * fit.sigma_scale;
  const double sxx = fit.sxx / scale2;
  const double weight = seg.weight_sum / scale2;
  const double gap_s = std::sqrt(3.0 * sxx * (weight + w) / (w * weight));
  next.time_unix_s = std::max(last.time_unix_s, seg.ref_unix_s + gap_s);
  next.days_after_last = (next.time_unix_s - last.time_unix_s) / kSecondsPerDay;
  return next;
}

double typical_sigma_s(const DriftFit& fit) {
  std::vector<double> sigmas;
  sigmas.reserve(fit.points.size());
  for (const auto& p : fit.points)
    if (!p.outlier) sigmas.push_back(p.sigma_s);
  if (sigmas.empty()) return 0.0;
  // The element a full sort would put in the middle, in O(n).
  const auto mid = sigmas.begin() + static_cast<std::ptrdiff_t>(sigmas.size() / 2);
  std::nth_element(sigmas.begin(), mid, sigmas.end());
  return *mid;
}

LinePrediction predict_line(const DriftFit& fit, int segment, double t_unix_s) {
  const auto& seg = fit.segments.at(static_cast<size_t>(segment));
  const double dt = t_unix_s - seg.ref_unix_s;
  LinePrediction p;
  p.corrected_error_s = seg.intercept_s + fit.rate_s_per_day / kSecondsPerDay * dt;
  const double var = 1.0 / seg.weight_sum + dt * dt / fit.sxx;
  p.sigma_s = fit.sigma_scale * std::sqrt(var);
  if (fit.model.model == FitModel::quadratic) {  // the curve, rate and curvature errors added
    const auto& m = fit.model;
    const double tau = (t_unix_s - m.ref_unix_s) / kSecondsPerDay, tau_ref = (seg.ref_unix_s - m.ref_unix_s) / kSecondsPerDay;
    const double d2 = tau * tau - tau_ref * tau_ref, dd = dt / kSecondsPerDay;
    p.corrected_error_s += m.curvature_s_per_day2 * d2;
    p.sigma_s = std::hypot(fit.sigma_scale / std::sqrt(seg.weight_sum), m.rate_now_sigma_s_per_day * dd,
                           m.curvature_sigma_s_per_day2 * d2);
  }
  p.half_width_s = fit.quantile * p.sigma_s;
  return p;
}

LinePrediction predict_rtc_error(const DriftFit& fit, int segment, double t_unix_s) {
  LinePrediction p = predict_line(fit, segment, t_unix_s);
  for (const auto& s : fit.steps)
    if (s.segment == segment && s.time_unix_s <= t_unix_s) p.corrected_error_s += s.amount_s;
  return p;
}

}  // namespace rtcal::calibration
