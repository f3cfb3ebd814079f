// The drift fit (calibration/fit.h): gathers the measurements into segments
// with their known steps, takes out hour jumps, flags gross outliers from a
// robust start (fit_robust.cc), rejects further outliers by a leave-one-out
// test, takes back flagged points the final line explains, looks for one
// unlogged step (a change point), and turns the final weighted least-squares
// solve into a rate with an honest interval, the two-point answer and line
// predictions. Every pass is O(n) or O(n log n). Pure.
#include "calibration/fit.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "calibration/drift.h"
#include "calibration/fit_detail.h"

namespace rtcal::calibration {
namespace {

using RecordType = ObservationType;

// The prior weight (in degrees of freedom) of the stated sigmas when the
// outlier test scales them by the scatter of the other points.
constexpr double kPriorDof = 2.0;
// Overstated sigmas are scaled down only from this many degrees of
// freedom, and by at most 1/kMaxShrink.
constexpr int kMinDofToShrink = 4;
constexpr double kMaxShrink = 5.0;
// A robust-start residual beyond this many robust sigmas flags a point.
constexpr double kRobustThreshold = 5.0;
// Beyond this many points the leave-one-out test rejects every point over
// its threshold at once (one at a time would cost O(n) per outlier).
constexpr size_t kBatchRejectFrom = 1000;

struct Gathered {
  std::vector<FitPoint> points;
  std::vector<FitStep> steps;
  std::vector<double> known_steps_s;  // per point: recorded steps only
  int segments = 0;
};

// Walk the log: a reset after measurements opens a new segment; steps add up
// within a segment. `split_before` (an index, or -1) opens a new segment
// before that measurement too: a change point treated as a reset.
Gathered gather(const std::vector<Observation>& records, int split_before) {
  Gathered g;
  g.points.reserve(records.size());
  g.known_steps_s.reserve(records.size());
  int segment = 0;
  bool segment_has_points = false;
  double steps_s = 0.0;
  for (size_t i = 0; i < records.size(); ++i) {
    const Observation& r = records[i];
    if (r.dropped) continue;
    if (r.type == RecordType::reset || (static_cast<int>(i) == split_before && segment_has_points)) {
      if (segment_has_points) ++segment;
      segment_has_points = false;
      steps_s = 0.0;
      if (r.type == RecordType::reset) continue;
    }
    if (r.type == RecordType::step) {
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
                         double t_threshold, double others_chi2_99) {
  const int dof = s.used - s.parameters;
  const double h = detail::leverage(s, p, origin);
  if (dof < 2 || h > 1.0 - 1e-9) return {};
  const double r = p.corrected_error_s - detail::fitted_at(s, p, origin);
  const double t_int = r / (p.sigma_s * std::sqrt(1.0 - h));
  // The chi2 of the fit without this point (exact leave-one-out identity).
  const double others_chi2 = std::max(0.0, s.chi2 - t_int * t_int);
  const bool consistent = others_chi2 <= others_chi2_99;
  if (consistent || dof - 1 < 2) {
    // Scatter within chance may still say the sigmas are understated: scale
    // them up by it, shrunk towards 1 by a prior worth kPriorDof points (so
    // one large chance residual among few does not hide an outlier).
    // The threshold: Student's t at a 1e-3 tail with those degrees of
    // freedom, so a precise reading is not thrown out by chance at n = 4-8.
    const double shrunk2 = (kPriorDof + others_chi2) / (kPriorDof + dof - 1);
    const double shrunk_t = student_t_quantile(1.0 - 1e-3, static_cast<int>(kPriorDof) + dof - 1);
    return {std::fabs(t_int) / std::sqrt(std::max(1.0, shrunk2)) / std::max(o.outlier_threshold_sigma, shrunk_t),
            consistent};
  }
  const double scale2 = others_chi2 / (dof - 1);
  return {std::fabs(t_int) / std::sqrt(scale2) / std::max(o.outlier_threshold_sigma, t_threshold), false};
}

// Reject the worst outlier while one exceeds its threshold (at most
// `max_rejects`, and never one whose removal leaves no rate); with many
// points, every one over its threshold at once. `ambiguous` is set when
// another point's removal would have explained the data as well.
detail::Solve reject_outliers(std::vector<FitPoint>& pts, std::vector<bool>& used, int segments,
                              double origin, const FitOptions& o, size_t max_rejects, bool& ambiguous) {
  // With scaled sigmas: a 1-in-1000 false-alarm rate per point under t.
  constexpr double kTail = 1e-3;
  auto s = detail::solve(pts, used, segments, origin);
  const bool batch = static_cast<size_t>(s.used) >= kBatchRejectFrom;
  size_t rejected = 0;
  for (int round = 0; s.ok && rejected < max_rejects && round < 64; ++round) {
    double worst = 1.0;
    size_t worst_i = pts.size();
    int explanations = 0;  // outliers whose removal leaves a consistent fit
    const int dof = s.used - s.parameters;
    const double t_threshold = dof >= 3 ? student_t_quantile(1.0 - kTail, dof - 1) : 0.0;
    const double others_chi2_99 = dof >= 2 ? chi2_99(dof - 1) : 0.0;
    std::vector<size_t> over;
    for (size_t i = 0; i < pts.size(); ++i) {
      if (!used[i]) continue;
      const OutlierTest t = test_outlier(s, pts[i], origin, o, t_threshold, others_chi2_99);
      if (t.excess > 1.0 && t.rest_consistent) ++explanations;
      if (batch && t.excess > 1.0) over.push_back(i);
      if (t.excess > worst) worst = t.excess, worst_i = i;
    }
    if (worst_i == pts.size()) break;
    if (!batch || over.size() + rejected > max_rejects) over = {worst_i};
    for (size_t i : over) used[i] = false;
    auto next = detail::solve(pts, used, segments, origin);
    if (!next.ok) {
      for (size_t i : over) used[i] = true;
      break;
    }
    ambiguous = ambiguous || (!batch && explanations > 1);
    for (size_t i : over) pts[i].outlier = true;
    rejected += over.size();
    s = next;
  }
  return s;
}

// max(1, sqrt(chi2 / dof)): how much more the fitted points scatter than
// their sigmas say (1 when they do not, or cannot tell).
double scatter_scale(const detail::Solve& s) {
  const int dof = s.used - s.parameters;
  return dof > 0 ? std::max(1.0, std::sqrt(s.chi2 / dof)) : 1.0;
}

// Take back flagged points that the line without them explains (a robust
// start errs on the side of flagging). True when any came back.
bool reinstate(std::vector<FitPoint>& pts, std::vector<bool>& used, const detail::Solve& s, double origin,
               const FitOptions& o) {
  const double scale = scatter_scale(s);
  bool any = false;
  for (size_t i = 0; i < pts.size(); ++i) {
    if (used[i]) continue;
    const auto& p = pts[i];
    const double h = detail::leverage(s, p, origin);
    const double r = p.corrected_error_s - detail::fitted_at(s, p, origin);
    if (std::fabs(r) < o.outlier_threshold_sigma * scale * p.sigma_s * std::sqrt(1.0 + h)) {
      used[i] = true;
      pts[i].outlier = false;
      any = true;
    }
  }
  return any;
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

void fill_segments(DriftFit& fit, const detail::Solve& s, double origin) {
  fit.segments.assign(s.segments.size(), {});
  for (size_t k = 0; k < s.segments.size(); ++k) {
    auto& seg = fit.segments[k];
    seg.ref_unix_s = origin + s.segments[k].mean_t;
    seg.intercept_s = s.segments[k].mean_e;
    seg.weight_sum = s.segments[k].weight;
  }
  for (const auto& p : fit.points) {
    auto& seg = fit.segments[static_cast<size_t>(p.segment)];
    if (seg.points == 0) seg.start_unix_s = p.time_unix_s;
    seg.end_unix_s = seg.points == 0 ? p.time_unix_s : std::max(seg.end_unix_s, p.time_unix_s);
    ++seg.points;
  }
}

void fill_rate(DriftFit& fit, const detail::Solve& s, const FitOptions& o) {
  fit.n = s.used;
  fit.dof = s.used - s.parameters;
  fit.chi2 = s.chi2;
  // Known sigmas: the normal quantile. Sigmas scaled by the scatter: the
  // scale itself is estimated from dof points, so Student's t (exact for
  // Gaussian errors whatever the true scale).
  fit.sigma_scale = scatter_scale(s);
  const bool shrink = fit.dof >= kMinDofToShrink && s.chi2 < chi2_quantile(0.05, fit.dof);
  if (shrink) fit.sigma_scale = std::max(std::sqrt(s.chi2 / fit.dof), 1.0 / kMaxShrink);
  fit.sigmas = shrink ? SigmaCheck::overstated
               : fit.dof >= 1 && s.chi2 > chi2_quantile(0.95, fit.dof) ? SigmaCheck::understated
                                                                       : SigmaCheck::consistent;
  fit.quantile = fit.sigma_scale != 1.0 ? student_t_quantile(o.confidence, fit.dof)
                                        : detail::normal_quantile(o.confidence);
  fit.rate_s_per_day = s.rate_s_per_s * kSecondsPerDay;
  fit.rate_ppm = s.rate_s_per_s * 1e6;
  fit.rate_sigma_s_per_day = fit.sigma_scale / std::sqrt(s.sxx) * kSecondsPerDay;
  fit.ci95_low_s_per_day = fit.rate_s_per_day - fit.quantile * fit.rate_sigma_s_per_day;
  fit.ci95_high_s_per_day = fit.rate_s_per_day + fit.quantile * fit.rate_sigma_s_per_day;
  fit.factor_s_per_day = factor_s_per_rtc_day_of_rate(fit.rate_s_per_day);
  fit.sxx = s.sxx;
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
    fit.rate_sigma_s_per_day *= m.widening;
    fit.quantile = std::max(fit.quantile, student_t_quantile(0.95, std::max(fit.dof - 1, 1)));
  }
  fit.rate_ppm = fit.rate_s_per_day / kSecondsPerDay * 1e6;
  fit.ci95_low_s_per_day = fit.rate_s_per_day - fit.quantile * fit.rate_sigma_s_per_day;
  fit.ci95_high_s_per_day = fit.rate_s_per_day + fit.quantile * fit.rate_sigma_s_per_day;
  fit.factor_s_per_day = factor_s_per_rtc_day_of_rate(fit.rate_s_per_day);
  fit.model = std::move(m);
}

// One complete attempt, with or without the hour-jump search, optionally
// with a reset inserted before one measurement (a change point).
struct Attempt {
  Gathered g;
  DriftFit fit;
  detail::Solve solved;
  double cost = 0.0;  // chi2, plus 25 (a 5-sigma residual) per outlier
  bool jumps = false;
};

// Flags from the robust start, then the leave-one-out test, then flagged
// points the line explains taken back (a few rounds at most).
detail::Solve fit_points(Attempt& a, const FitOptions& options, bool robust_start) {
  auto& pts = a.g.points;
  const size_t n = pts.size();
  const double origin = pts.front().time_unix_s;
  std::vector<bool> used(n, true), robust(n, false);
  const size_t cap = n >= 5 ? std::max((n - 3) / 2, n / 3) : n / 3;
  if (robust_start) {
    for (size_t i : detail::robust_outliers(pts, used, kRobustThreshold, (n - 3) / 2)) {
      used[i] = false;
      pts[i].outlier = true;
      robust[i] = true;
    }
  }
  detail::Solve s = detail::solve(pts, used, a.g.segments, origin);
  if (s.ok && reinstate(pts, used, s, origin, options)) s = detail::solve(pts, used, a.g.segments, origin);
  for (int round = 0; round < 4; ++round) {
    size_t flagged = 0;
    for (bool u : used) flagged += u ? 0 : 1;
    s = reject_outliers(pts, used, a.g.segments, origin, options, cap > flagged ? cap - flagged : 0,
                        a.fit.outlier_ambiguous);
    if (!s.ok || !reinstate(pts, used, s, origin, options)) break;
    s = detail::solve(pts, used, a.g.segments, origin);
  }
  if (!s.ok) {  // the robust flags left no rate: fall back to none
    std::fill(used.begin(), used.end(), true);
    for (auto& p : pts) p.outlier = false;
    std::fill(robust.begin(), robust.end(), false);
    s = reject_outliers(pts, used, a.g.segments, origin, options, n / 3, a.fit.outlier_ambiguous);
  }
  for (size_t i = 0; i < n; ++i) a.fit.robust_flags += robust[i] && pts[i].outlier ? 1 : 0;
  return s;
}

Attempt attempt(const std::vector<Observation>& records, const FitOptions& options, bool jumps, int split_before) {
  Attempt a{gather(records, split_before), {}, {}, 0.0, jumps};
  auto& g = a.g;
  if (jumps) a.fit.hour_jumps = detail::take_out_hour_jumps(g.points, options.hour_jump_tolerance_s);
  {
    size_t k = 0;  // both in log order: one pass
    for (const auto& j : a.fit.hour_jumps) {
      while (g.points[k].record_index != j.after_record_index) ++k;
      g.steps.push_back({g.points[k].segment, j.time_unix_s, j.amount_s, true});
    }
  }
  std::stable_sort(g.steps.begin(), g.steps.end(), [](const FitStep& x, const FitStep& y) {
    return x.segment != y.segment ? x.segment < y.segment : x.time_unix_s < y.time_unix_s;
  });
  if (g.points.empty()) return a;
  const auto cost_of = [](Attempt& x) {
    x.cost = x.solved.chi2;
    for (const auto& p : x.g.points) x.cost += p.outlier ? 25.0 : 0.0;
  };
  const size_t n = g.points.size();
  // Below a thousand points both starts are tried and the better kept: the
  // leave-one-out test alone is best for one outlier among few readings, the
  // robust start for several (they can mask each other there).
  std::optional<Attempt> plain;
  if (n < kBatchRejectFrom) {
    plain = a;
    plain->solved = fit_points(*plain, options, false);
    cost_of(*plain);
  }
  if (n >= 5) {
    a.solved = fit_points(a, options, true);
    cost_of(a);
    if (plain && plain->solved.ok && (!a.solved.ok || plain->cost < a.cost - 1e-9)) a = std::move(*plain);
  } else {
    a = std::move(*plain);
  }
  return a;
}

// Whether one unlogged step explains the data far better than chance: the
// best split of the residuals, refitted with a reset there, must gain more
// than the Bonferroni-corrected t quantile squared over every split tried.
void try_change_point(Attempt& a, const std::vector<Observation>& records, const FitOptions& options) {
  const auto& pts = a.g.points;
  const double origin = pts.front().time_unix_s;
  const auto scan = detail::best_split(pts, std::vector<bool>(pts.size(), true), a.solved, origin,
                                       scatter_scale(a.solved), 10.0);
  if (!scan.found || scan.gain <= 0.0) return;
  // The scan's gain (clipped residuals) is a cheap lower estimate of the
  // refit's: a split that cannot come near the threshold is not refitted.
  const int dof_now = a.solved.used - a.solved.parameters;
  const double q_now = student_t_quantile(1.0 - options.change_point_alpha / scan.candidates, std::max(dof_now - 1, 1));
  if (scan.gain < 0.25 * q_now * q_now) return;
  // The clipped scan finds the step's neighbourhood; below a thousand points
  // the best few splits are refitted in full and the cheapest kept.
  size_t first_after = scan.first_after;
  Attempt b = attempt(records, options, a.jumps, pts[first_after].record_index);
  if (pts.size() < kBatchRejectFrom) {
    for (size_t other : scan.runners_up) {
      Attempt c = attempt(records, options, a.jumps, pts[other].record_index);
      if (c.solved.ok && (!b.solved.ok || c.cost < b.cost)) b = std::move(c), first_after = other;
    }
  }
  const FitPoint& after = pts[first_after];
  if (!b.solved.ok) return;
  const int dof = b.solved.used - b.solved.parameters;
  if (dof < 1) return;
  const double scale2 = std::max(1.0, b.solved.chi2 / dof);
  const double improvement = (a.cost - b.cost) / scale2;
  const double q = student_t_quantile(1.0 - options.change_point_alpha / scan.candidates, dof);
  if (!(improvement > q * q)) return;
  const FitPoint& before = pts[first_after - 1];
  ChangePoint c;
  c.before_record_index = before.record_index;
  c.after_record_index = after.record_index;
  c.before_unix_s = before.time_unix_s;
  c.after_unix_s = after.time_unix_s;
  c.improvement = improvement;
  c.threshold = q * q;
  const auto& bp = b.g.points;
  const auto it = std::find_if(bp.begin(), bp.end(), [&](const FitPoint& p) { return p.record_index == after.record_index; });
  if (it != bp.end() && it->segment > 0) {
    const double o = bp.front().time_unix_s;
    const auto& sa = b.solved.segments[static_cast<size_t>(it->segment)];
    const auto& sb = b.solved.segments[static_cast<size_t>(it->segment - 1)];
    const double t = c.after_unix_s - o;
    c.step_s = (sa.mean_e + b.solved.rate_s_per_s * (t - sa.mean_t)) - (sb.mean_e + b.solved.rate_s_per_s * (t - sb.mean_t));
  }
  a = std::move(b);
  a.fit.change_point = c;
}

}  // namespace

Result<DriftFit> fit_drift(const std::vector<Observation>& records, const FitOptions& options) {
  Attempt a = attempt(records, options, options.detect_hour_jumps, -1);
  if (a.g.points.empty())
    return failure("measurement log", "no measurements yet", "take one with rtcal measure, then another days later");
  // A jump is believed only when the log fits better with it than without
  // (a misread preliminary rate can make drift look like a jump).
  if (!a.fit.hour_jumps.empty()) {
    Attempt plain = attempt(records, options, false, -1);
    if (!a.solved.ok || (plain.solved.ok && plain.cost < a.cost)) a = std::move(plain);
  }
  if (!a.solved.ok) {
    const size_t n = a.g.points.size();
    return failure("measurement log",
                   std::to_string(n) + " measurement" + (n == 1 ? "" : "s") +
                       " but no segment holds two at different times, so no rate can be fitted",
                   "take another measurement later (a day or more after the last one)");
  }
  if (options.detect_change_point) try_change_point(a, records, options);
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
  if (options.check_model) apply_model(fit, detail::check_model(fit, options.model_alpha, options.confidence));
  return std::move(fit);
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
