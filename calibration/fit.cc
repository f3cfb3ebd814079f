// The drift fit (calibration/fit.h): gathers the measurements into segments
// with their known steps, takes out hour jumps, rejects gross outliers one at
// a time by a leave-one-out test, and turns the final weighted least-squares
// solve into a rate with an honest interval, the two-point answer, line
// predictions and the advice on the next measurement. Pure.
#include "calibration/fit.h"

#include <algorithm>
#include <cmath>

#include "calibration/drift.h"
#include "calibration/fit_detail.h"

namespace rtcal::calibration {
namespace {

using state::LogRecord;
using state::RecordType;

struct Gathered {
  std::vector<FitPoint> points;
  std::vector<FitStep> steps;
  std::vector<double> known_steps_s;  // per point: recorded steps only
  int segments = 0;
};

// Walk the log: a reset after measurements opens a new segment; steps add up
// within a segment.
Gathered gather(const std::vector<LogRecord>& records) {
  Gathered g;
  int segment = 0;
  bool segment_has_points = false;
  double steps_s = 0.0;
  for (size_t i = 0; i < records.size(); ++i) {
    const LogRecord& r = records[i];
    if (r.type == RecordType::reset) {
      if (segment_has_points) ++segment;
      segment_has_points = false;
      steps_s = 0.0;
    } else if (r.type == RecordType::step) {
      steps_s += r.amount_s;
      g.steps.push_back({segment, r.time_unix_s, r.amount_s, false});
    } else {
      FitPoint p;
      p.record_index = static_cast<int>(i);
      p.line = r.line;
      p.time_unix_s = r.time_unix_s;
      p.rtc_error_s = r.rtc_error_s;
      p.steps_s = steps_s;
      p.corrected_error_s = r.rtc_error_s - steps_s;
      p.sigma_s = r.sigma_s;
      p.segment = segment;
      g.points.push_back(p);
      g.known_steps_s.push_back(steps_s);
      segment_has_points = true;
    }
  }
  g.segments = g.points.empty() ? 0 : g.points.back().segment + 1;
  // Steps recorded after the last measurement of the last segment stay in it.
  std::erase_if(g.steps, [&](const FitStep& s) { return s.segment >= g.segments; });
  return g;
}

// The 99% point of chi2 with `dof` degrees of freedom (Wilson-Hilferty
// approximation, within 1% of the exact value).
double chi2_99(int dof) {
  const double k = dof, z99 = 2.326348;
  return k * std::pow(1.0 - 2.0 / (9.0 * k) + z99 * std::sqrt(2.0 / (9.0 * k)), 3);
}

// The outlier test for one point.
struct OutlierTest {
  double excess = 0.0;       // statistic over threshold (> 1: an outlier); 0: untestable
  bool rest_consistent = false;  // the other points alone fit within their sigmas (99%)
};

// Its leave-one-out residual over its standard deviation. The sigmas are
// trusted unless the other points' scatter says they were too small (chi2
// beyond its 99% point with 2 or more degrees of freedom: one cannot tell a
// misjudged sigma from chance, and a gross outlier would hide behind it);
// then they are scaled by that scatter and the threshold comes from
// Student's t (`t_threshold`).
OutlierTest test_outlier(const detail::Solve& s, const FitPoint& p, double origin, const FitOptions& o,
                         double t_threshold) {
  const int dof = s.used - s.parameters;
  const double h = detail::leverage(s, p, origin);
  if (dof < 2 || h > 1.0 - 1e-9) return {};
  const double r = p.corrected_error_s - detail::fitted_at(s, p, origin);
  const double t_int = r / (p.sigma_s * std::sqrt(1.0 - h));
  // The chi2 of the fit without this point (exact leave-one-out identity).
  const double others_chi2 = std::max(0.0, s.chi2 - t_int * t_int);
  const bool consistent = others_chi2 <= chi2_99(dof - 1);
  if (consistent || dof - 1 < 2) return {std::fabs(t_int) / o.outlier_threshold_sigma, consistent};
  const double scale2 = others_chi2 / (dof - 1);
  return {std::fabs(t_int) / std::sqrt(scale2) / std::max(o.outlier_threshold_sigma, t_threshold), false};
}

// Reject the worst outlier while one exceeds its threshold (at most a third
// of the points, and never one whose removal leaves no rate). `ambiguous`
// is set when another point's removal would have explained the data as well.
detail::Solve reject_outliers(std::vector<FitPoint>& pts, std::vector<bool>& used, int segments,
                              double origin, const FitOptions& o, bool& ambiguous) {
  // With scaled sigmas: a 1-in-1000 false-alarm rate per point under t.
  constexpr double kTail = 1e-3;
  auto s = detail::solve(pts, used, segments, origin);
  const size_t max_rejects = pts.size() / 3;
  for (size_t rejected = 0; s.ok && rejected < max_rejects; ++rejected) {
    double worst = 1.0;
    size_t worst_i = pts.size();
    int explanations = 0;  // outliers whose removal leaves a consistent fit
    const int dof = s.used - s.parameters;
    const double t_threshold = dof >= 3 ? student_t_quantile(1.0 - kTail, dof - 1) : 0.0;
    for (size_t i = 0; i < pts.size(); ++i) {
      if (!used[i]) continue;
      const OutlierTest t = test_outlier(s, pts[i], origin, o, t_threshold);
      if (t.excess > 1.0 && t.rest_consistent) ++explanations;
      if (t.excess > worst) worst = t.excess, worst_i = i;
    }
    if (worst_i == pts.size()) break;
    used[worst_i] = false;
    auto next = detail::solve(pts, used, segments, origin);
    if (!next.ok) {
      used[worst_i] = true;
      break;
    }
    ambiguous = ambiguous || explanations > 1;
    pts[worst_i].outlier = true;
    s = next;
  }
  return s;
}

// Residuals and normalized residuals on the final solve.
void fill_residuals(DriftFit& fit, const detail::Solve& s, double origin) {
  for (auto& p : fit.points) {
    p.fitted_s = detail::fitted_at(s, p, origin);
    p.residual_s = p.corrected_error_s - p.fitted_s;
    const double h = detail::leverage(s, p, origin);
    const double sd = p.sigma_s * fit.sigma_scale;
    if (p.outlier) {
      p.normalized_residual = p.residual_s / std::sqrt(sd * sd + h * sd * sd);
    } else if (h < 1.0 - 1e-9) {
      p.normalized_residual = p.residual_s / (sd * std::sqrt(1.0 - h));
    }
  }
}

void fill_two_point(DriftFit& fit, const std::vector<double>& known_steps_s) {
  for (int seg = static_cast<int>(fit.segments.size()) - 1; seg >= 0; --seg) {
    size_t first = fit.points.size(), last = fit.points.size();
    for (size_t i = 0; i < fit.points.size(); ++i) {
      if (fit.points[i].segment != seg) continue;
      if (first == fit.points.size()) first = i;
      last = i;
    }
    if (first == last || first == fit.points.size()) continue;
    const double dt = fit.points[last].time_unix_s - fit.points[first].time_unix_s;
    if (dt <= 0.0) continue;
    const double de = (fit.points[last].rtc_error_s - known_steps_s[last]) -
                      (fit.points[first].rtc_error_s - known_steps_s[first]);
    fit.two_point_rate_s_per_day = de / dt * kSecondsPerDay;
    fit.two_point_factor_s_per_day = factor_s_per_rtc_day_of_rate(*fit.two_point_rate_s_per_day);
    return;
  }
}

void fill_segments(DriftFit& fit, const detail::Solve& s, double origin) {
  fit.segments.assign(s.segments.size(), {});
  for (size_t k = 0; k < s.segments.size(); ++k) {
    auto& seg = fit.segments[k];
    seg.ref_unix_s = origin + s.segments[k].mean_t;
    seg.intercept_s = s.segments[k].mean_e;
    seg.weight_sum = s.segments[k].weight;
    bool first = true;
    for (const auto& p : fit.points) {
      if (p.segment != static_cast<int>(k)) continue;
      if (first) seg.start_unix_s = p.time_unix_s;
      seg.end_unix_s = std::max(seg.end_unix_s, p.time_unix_s);
      first = false;
      ++seg.points;
    }
  }
}

void fill_rate(DriftFit& fit, const detail::Solve& s, const FitOptions& o) {
  fit.n = s.used;
  fit.dof = s.used - s.parameters;
  fit.chi2 = s.chi2;
  fit.sigma_scale = fit.dof > 0 ? std::max(1.0, std::sqrt(s.chi2 / fit.dof)) : 1.0;
  // Known sigmas: the normal quantile. Sigmas scaled by the scatter: the
  // scale itself is estimated from dof points, so Student's t.
  fit.quantile = fit.sigma_scale > 1.0 ? student_t_quantile(o.confidence, fit.dof)
                                       : detail::normal_quantile(o.confidence);
  fit.rate_s_per_day = s.rate_s_per_s * kSecondsPerDay;
  fit.rate_ppm = s.rate_s_per_s * 1e6;
  fit.rate_sigma_s_per_day = fit.sigma_scale / std::sqrt(s.sxx) * kSecondsPerDay;
  fit.ci95_low_s_per_day = fit.rate_s_per_day - fit.quantile * fit.rate_sigma_s_per_day;
  fit.ci95_high_s_per_day = fit.rate_s_per_day + fit.quantile * fit.rate_sigma_s_per_day;
  fit.factor_s_per_day = factor_s_per_rtc_day_of_rate(fit.rate_s_per_day);
  fit.sxx = s.sxx;
}

// One complete attempt, with or without the hour-jump search.
struct Attempt {
  Gathered g;
  DriftFit fit;
  detail::Solve solved;
  double cost = 0.0;  // chi2, plus 25 (a 5-sigma residual) per outlier
};

Attempt attempt(const std::vector<LogRecord>& records, const FitOptions& options, bool jumps) {
  Attempt a{gather(records), {}, {}, 0.0};
  auto& g = a.g;
  if (jumps) a.fit.hour_jumps = detail::take_out_hour_jumps(g.points, options.hour_jump_tolerance_s);
  for (const auto& j : a.fit.hour_jumps) {
    const auto& p = *std::find_if(g.points.begin(), g.points.end(),
                                  [&](const FitPoint& q) { return q.record_index == j.after_record_index; });
    g.steps.push_back({p.segment, j.time_unix_s, j.amount_s, true});
  }
  std::stable_sort(g.steps.begin(), g.steps.end(), [](const FitStep& x, const FitStep& y) {
    return x.segment != y.segment ? x.segment < y.segment : x.time_unix_s < y.time_unix_s;
  });
  if (g.points.empty()) return a;
  std::vector<bool> used(g.points.size(), true);
  a.solved = reject_outliers(g.points, used, g.segments, g.points.front().time_unix_s, options,
                             a.fit.outlier_ambiguous);
  a.cost = a.solved.chi2;
  for (bool u : used) a.cost += u ? 0.0 : 25.0;
  return a;
}

}  // namespace

Result<DriftFit> fit_drift(const std::vector<LogRecord>& records, const FitOptions& options) {
  Attempt a = attempt(records, options, options.detect_hour_jumps);
  if (a.g.points.empty())
    return failure("measurement log", "no measurements yet", "take one with rtcal measure, then another days later");
  // A jump is believed only when the log fits better with it than without
  // (a misread preliminary rate can make drift look like a jump).
  if (!a.fit.hour_jumps.empty()) {
    Attempt plain = attempt(records, options, false);
    if (!a.solved.ok || (plain.solved.ok && plain.cost < a.cost)) a = std::move(plain);
  }
  if (!a.solved.ok) {
    const size_t n = a.g.points.size();
    return failure("measurement log",
                   std::to_string(n) + " measurement" + (n == 1 ? "" : "s") +
                       " but no segment holds two at different times, so no rate can be fitted",
                   "take another measurement later (a day or more after the last one)");
  }
  DriftFit& fit = a.fit;
  const double origin = a.g.points.front().time_unix_s;
  fit.points = std::move(a.g.points);
  fit.steps = std::move(a.g.steps);
  for (const auto& p : fit.points)
    if (p.outlier) fit.outliers.push_back(p.record_index);
  fill_rate(fit, a.solved, options);
  fill_segments(fit, a.solved, origin);
  fill_residuals(fit, a.solved, origin);
  fill_two_point(fit, a.g.known_steps_s);
  return std::move(fit);
}

LinePrediction predict_line(const DriftFit& fit, int segment, double t_unix_s) {
  const auto& seg = fit.segments.at(static_cast<size_t>(segment));
  const double dt = t_unix_s - seg.ref_unix_s;
  LinePrediction p;
  p.corrected_error_s = seg.intercept_s + fit.rate_s_per_day / kSecondsPerDay * dt;
  const double var = 1.0 / seg.weight_sum + dt * dt / fit.sxx;
  p.sigma_s = fit.sigma_scale * std::sqrt(var);
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
