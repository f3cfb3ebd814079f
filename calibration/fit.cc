// The drift fit (calibration/fit.h): the search. Gathers the measurements
// into segments with their known steps, takes out hour jumps, flags gross
// outliers from a robust start (fit_robust.cc), rejects further outliers by
// a leave-one-out test and takes back flagged points the final line
// explains (fit_outliers.cc), keeps the cheaper of the starts, and looks for
// one unlogged step (a change point). The final solve becomes the rate with
// its interval, the residuals and the model check in fit_result.cc. Every
// pass is O(n) or O(n log n). Pure.
#include "calibration/fit.h"

#include <algorithm>
#include <optional>

#include "calibration/apply_check.h"
#include "calibration/fit_detail.h"

namespace rtcal::calibration {
namespace {

using RecordType = ObservationType;

// A robust-start residual beyond this many robust sigmas flags a point.
constexpr double kRobustThreshold = 5.0;

// A fit whose points scatter more than this many times their sigmas has
// gross errors left in it, not merely misjudged sigmas.
constexpr double kGrossScatter = 10.0;
// The least-quantile start replaces the others only when its cost is less
// than theirs by this factor: it is a rescue from gross errors, not a
// rival on ordinary data.
constexpr double kGrossGain = 100.0;
// Up to this many readings two typos may be flagged though (n - 3) / 2 is 1.
constexpr size_t kWideFlagsUpTo = 6;
static_assert(kWideFlagsUpTo <= detail::kLmsUpTo, "the wide flags use the least-quantile start");

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


// One complete attempt, with or without the hour-jump search, optionally
// with a reset inserted before one measurement (a change point).
struct Attempt {
  Gathered g;
  DriftFit fit;
  detail::Solve solved;
  double cost = 0.0;  // chi2, plus 25 (a 5-sigma residual) per outlier
  bool jumps = false;
};

enum class Start { none, repeated_median, least_quantile };

// Flags from the robust start, if any, then the leave-one-out test, then
// flagged points the line explains taken back (a few rounds at most).
// `wide_flags` (the least-quantile start only): up to that many, beyond the
// usual (n - 3) / 2.
detail::Solve fit_points(Attempt& a, const FitOptions& options, Start start, size_t wide_flags = 0) {
  auto& pts = a.g.points;
  const size_t n = pts.size();
  const double origin = pts.front().time_unix_s;
  std::vector<bool> used(n, true), robust(n, false);
  const size_t cap = std::max(n >= 5 ? std::max((n - 3) / 2, n / 3) : n / 3, wide_flags);
  if (start != Start::none) {
    const size_t max_flags = std::max((n - 3) / 2, wide_flags);
    for (size_t i : start == Start::repeated_median ? detail::robust_outliers(pts, used, kRobustThreshold, max_flags)
                                                    : detail::lms_outliers(pts, used, kRobustThreshold, max_flags)) {
      used[i] = false;
      pts[i].outlier = true;
      robust[i] = true;
    }
  }
  detail::Solve s = detail::solve(pts, used, a.g.segments, origin);
  if (s.ok && detail::reinstate(pts, used, s, origin, options)) s = detail::solve(pts, used, a.g.segments, origin);
  for (int round = 0; round < 4; ++round) {
    size_t flagged = 0;
    for (bool u : used) flagged += u ? 0 : 1;
    s = detail::reject_outliers(pts, used, a.g.segments, origin, options, cap > flagged ? cap - flagged : 0,
                        a.fit.outlier_ambiguous);
    if (!s.ok || !detail::reinstate(pts, used, s, origin, options)) break;
    s = detail::solve(pts, used, a.g.segments, origin);
  }
  if (!s.ok) {  // the robust flags left no rate: fall back to none
    std::fill(used.begin(), used.end(), true);
    for (auto& p : pts) p.outlier = false;
    std::fill(robust.begin(), robust.end(), false);
    s = detail::reject_outliers(pts, used, a.g.segments, origin, options, n / 3, a.fit.outlier_ambiguous);
  }
  for (size_t i = 0; i < n; ++i) a.fit.robust_flags += robust[i] && pts[i].outlier ? 1 : 0;
  return s;
}

// Whether every point the attempt flags misses its line by more than any
// RTC's rate could swing to (a typo): misses an RTC can make, a sawtooth's
// peaks, are left to the other starts and the model check.
bool only_typos_flagged(const Attempt& x) {
  const double origin = x.g.points.front().time_unix_s;
  for (size_t i = 0; i < x.g.points.size(); ++i) {
    const FitPoint& p = x.g.points[i];
    if (!p.outlier) continue;
    const double miss_s = p.corrected_error_s - detail::fitted_at(x.solved, p, origin);
    if (!(detail::swing_needed_s_per_day(x.g.points, i, miss_s) > detail::kMaxRateSwingAnySPerDay)) return false;
  }
  return true;
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
  if (n < detail::kBatchRejectFrom) {
    plain = a;
    plain->solved = fit_points(*plain, options, Start::none);
    cost_of(*plain);
  }
  if (n >= 5) {
    std::optional<Attempt> fresh;
    if (n <= detail::kLmsUpTo) fresh = a;
    a.solved = fit_points(a, options, Start::repeated_median);
    cost_of(a);
    if (plain && plain->solved.ok && (!a.solved.ok || plain->cost < a.cost - 1e-9)) a = std::move(*plain);
    // The least-quantile start (fit_lms.cc) from a fresh copy, kept only
    // when it rescues a fit from gross errors (see kGrossGain).
    const auto gross = [&] { return !a.solved.ok || detail::scatter_scale(a.solved) > kGrossScatter; };
    const auto try_quantile = [&](size_t wide_flags) {
      Attempt q = *fresh;
      q.solved = fit_points(q, options, Start::least_quantile, wide_flags);
      cost_of(q);
      if (q.solved.ok && (!a.solved.ok || q.cost * kGrossGain < a.cost) && only_typos_flagged(q)) a = std::move(q);
    };
    // Among few points, when both starts leave a scatter no misjudged sigma
    // explains: gross errors that mask each other beside rough readings
    // that mislead the repeated median. Not tried on a lesser scatter: with
    // understated sigmas its scale, from the best few residuals, flags
    // precise readings.
    if (fresh && gross()) try_quantile(0);
    // Two typos among 5 or 6 readings are beyond (n - 3) / 2 = 1, but when
    // exactly one subset of n - 2 readings lies on a line within its sigmas
    // (and the other two are off by what no RTC does), they are the typos.
    if (n <= kWideFlagsUpTo && a.g.segments == 1 && gross() && detail::lines_within_sigmas(a.g.points, n - 2) == 1)
      try_quantile(2);
  } else {
    a = std::move(*plain);
  }
  return a;
}

// Whether the fit with a step (b, split before record `after_record`, with
// `b_flagged` readings flagged) fits every reading within its sigmas (none
// flagged, chi2 within its 99% point)
// where the fit without it had to flag readings (`flagged_records`), all on
// one side of the split: readings that moved together by one step, as after
// a reset, not typos (each off by its own amount). Among few readings the
// chance threshold alone misses such a step (n = 7, dof 4: a gain of 68
// against 74 for a 13 s step, two of its NTP readings flagged instead).
bool step_explains_flags(const std::vector<int>& flagged_records, const Attempt& b, long b_flagged, int after_record,
                         int dof) {
  int before = 0, beyond = 0;
  for (int r : flagged_records) (r < after_record ? before : beyond) += 1;
  if (before + beyond == 0 || (before > 0 && beyond > 0)) return false;
  return b_flagged == 0 && b.solved.chi2 <= chi2_quantile(0.99, dof);
}

// Whether one unlogged step explains the data far better than chance: the
// best split of the residuals, refitted with a reset there, must gain more
// than the Bonferroni-corrected t quantile squared over every split tried.
void try_change_point(Attempt& a, const std::vector<Observation>& records, const FitOptions& options) {
  const auto& pts = a.g.points;
  const size_t n = pts.size();
  const bool large = n >= detail::kBatchRejectFrom;
  const double origin = pts.front().time_unix_s;
  const auto scan = detail::best_split(pts, std::vector<bool>(n, true), a.solved, origin,
                                       detail::scatter_scale(a.solved), 10.0);
  if (!scan.found || scan.gain <= 0.0) return;
  // The scan's gain (clipped residuals) is a cheap lower estimate of the
  // refit's: a split that cannot come near the threshold is not refitted,
  // unless, among fewer than a thousand readings, the fit misses by far more
  // than any misjudged sigma. There the gain is in the sigmas scaled by that
  // scatter, which a plain step makes (an 80 s step with one NTP reading
  // before it, flagged, and clipped away: a gain of 6 where the refit gains
  // 10^5). Its threshold is at the degrees of freedom the refit has when it
  // flags nothing: the fit's own (less the readings it flagged) made the
  // quantile of a 13 s step among 7 readings, two of them flagged, 2000 (t
  // with 2 dof) where the refit's is 74 (4 dof).
  const int dof_split = static_cast<int>(n) - a.g.segments - 2;
  const double q_now = student_t_quantile(1.0 - options.change_point_alpha / scan.candidates, std::max(dof_split, 1));
  if (scan.gain < 0.25 * q_now * q_now && (large || !(detail::scatter_scale(a.solved) > kGrossScatter))) return;
  // What the decision needs of the fit without the step, taken before the
  // refits: a large log's points are then let go (each fit of 10^6 points
  // holds 96 MB) and fitted again only if the step is not taken.
  struct Split { int before_record, after_record; double before_unix_s, after_unix_s; };
  std::vector<size_t> firsts{scan.first_after};  // the first point after each split tried
  if (!large) firsts.insert(firsts.end(), scan.runners_up.begin(), scan.runners_up.end());
  std::vector<Split> splits;
  for (size_t k : firsts)
    splits.push_back({pts[k - 1].record_index, pts[k].record_index, pts[k - 1].time_unix_s, pts[k].time_unix_s});
  std::vector<int> flagged_records;
  for (const auto& p : pts)
    if (p.outlier) flagged_records.push_back(p.record_index);
  double curve_gain = 0.0;  // what a rate that changes (aging) explains
  if (options.check_model) {
    std::vector<bool> used(n);
    for (size_t i = 0; i < n; ++i) used[i] = !pts[i].outlier;
    curve_gain = detail::curve_gain(pts, used, a.g.segments);
  }
  const double a_cost = a.cost;
  const bool jumps = a.jumps;
  if (large) std::vector<FitPoint>().swap(a.g.points);  // `pts` is empty from here
  const auto keep_a = [&] {
    if (large) a = attempt(records, options, jumps, -1);
  };
  // The clipped scan finds the step's neighbourhood; below a thousand points
  // the best few splits are refitted in full and the cheapest kept.
  size_t chosen = 0;
  Attempt b = attempt(records, options, jumps, splits[0].after_record);
  for (size_t k = 1; k < splits.size(); ++k) {
    Attempt c = attempt(records, options, jumps, splits[k].after_record);
    if (c.solved.ok && (!b.solved.ok || c.cost < b.cost)) b = std::move(c), chosen = k;
  }
  const Split& at = splits[chosen];
  // A step explains readings; one that must flag more of them than the fit
  // without it did is a rate that changed (a trim recorded with the wrong
  // sign: the readings before it flagged, all but one), not a step.
  const auto b_flagged = std::count_if(b.g.points.begin(), b.g.points.end(), [](const FitPoint& p) { return p.outlier; });
  const int dof = b.solved.used - b.solved.parameters;
  if (!b.solved.ok || b_flagged > static_cast<long>(flagged_records.size()) || dof < 1) return keep_a();
  const double scale2 = std::max(1.0, b.solved.chi2 / dof);
  const double improvement = (a_cost - b.cost) / scale2;
  const double q = student_t_quantile(1.0 - options.change_point_alpha / scan.candidates, dof);
  const bool by_chance = improvement > q * q;
  if (!by_chance && !(improvement > 0.0 && step_explains_flags(flagged_records, b, b_flagged, at.after_record, dof))) return keep_a();
  // A rate that changes (aging) also looks like a step: when a quadratic
  // term explains as much, there was no step.
  if (options.check_model && curve_gain / scale2 >= improvement) return keep_a();
  ChangePoint c;
  c.before_record_index = at.before_record;
  c.after_record_index = at.after_record;
  c.before_unix_s = at.before_unix_s;
  c.after_unix_s = at.after_unix_s;
  c.improvement = improvement;
  c.threshold = q * q;
  if (!by_chance) c.explained_record_indices = flagged_records;
  const auto& bp = b.g.points;
  const auto it = std::find_if(bp.begin(), bp.end(), [&](const FitPoint& p) { return p.record_index == at.after_record; });
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
  // In a large log that check is skipped when no jump could be misread
  // drift: every one between readings closer than the 10.4 days in which any
  // RTC (1000 ppm) drifts a quarter hour, the least drift that rounds to the
  // smallest jump (1800 s); otherwise the fit with the jumps is let go while
  // the one without is made (each fit of 10^6 points holds 96 MB), and made
  // again if it wins.
  const bool large = a.g.points.size() >= detail::kBatchRejectFrom;
  const auto maybe_drift = [](const HourJump& j) { return j.gap_s / kSecondsPerDay * kPlausibleFactorSPerDay >= 900.0; };
  if (!a.fit.hour_jumps.empty() &&
      (!large || std::any_of(a.fit.hour_jumps.begin(), a.fit.hour_jumps.end(), maybe_drift))) {
    const bool a_ok = a.solved.ok;
    const double a_cost = a.cost;
    if (large) a = Attempt{};
    Attempt plain = attempt(records, options, false, -1);
    if (!a_ok || (plain.solved.ok && plain.cost < a_cost)) {
      a = std::move(plain);
    } else if (large) {
      plain = Attempt{};
      a = attempt(records, options, options.detect_hour_jumps, -1);
    }
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
  detail::fill_solved(fit, a.solved, origin, options);
  detail::fill_two_point(fit, a.g.known_steps_s);
  if (options.check_model) detail::apply_model(fit, detail::model_with_curve_points(fit, a.solved, origin, options));
  return std::move(fit);
}

}  // namespace rtcal::calibration
