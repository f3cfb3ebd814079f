// When the model misses: the widening of the drift fit's interval (calibration/
// fit.h, ModelCheck::misfit). The scaled sigmas of the fit assume misses that
// scale with each reading's sigma and are independent; an RTC whose rate
// changes (aging) or that runs a sawtooth (on/off temperature) misses every
// reading by the same seconds whatever its sigma, and in a pattern. Then the
// interval's half-width gets the rate error such misses can cause. With few
// readings a flagged reading may be such a miss (a sawtooth's peak) as well
// as a typo; when the RTC could have made it, it counts. Pure.
#include <algorithm>
#include <cmath>

#include "calibration/fit.h"
#include "calibration/fit_detail.h"

namespace rtcal::calibration::detail {
namespace {

constexpr double kMisfitDayS = 86400.0;
// From this many fitted readings the runs test and the likelihood below can
// tell systematic misses from plain understated sigmas (fit_model.cc's
// runs test starts there too).
constexpr int kMisfitTellFrom = 10;
// Runs this far below their expected count (z, one-sided 5%) say the misses
// are systematic: chi2 has already said the model does not fit.
constexpr double kMisfitRunsZ = 1.645;
// Misses of the same size at every reading (sigma^2 + A^2) must beat misses
// in proportion to the sigmas (s^2 sigma^2) by this much log-likelihood
// (a likelihood ratio of e^3 = 20; both have one parameter).
constexpr double kMisfitAdditiveGain = 3.0;
// The largest swing of an RTC's rate about its mean taken as possible
// structure, s/day (11.6 ppm: a 32 kHz crystal's rate falls 0.034 ppm per
// degree squared away from its turnover near 25 C, 13.6 ppm at 45 C, a warm
// running machine, against under 1 ppm at 20 C, off). A flagged reading that
// would need more is taken for a typo, not the RTC.
constexpr double kMaxRateSwingSPerDay = 1.0;

// -2 log-likelihood of the residuals with variances sigma^2 + a2.
double additive_cost(const std::vector<FitPoint>& pts, const std::vector<double>& r, double a2) {
  double c = 0.0;
  for (size_t i = 0; i < pts.size(); ++i) {
    const double v = pts[i].sigma_s * pts[i].sigma_s + a2;
    c += std::log(v) + r[i] * r[i] / v;
  }
  return c;
}

// Whether the misses look additive (the same seconds at every reading)
// rather than proportional to the sigmas: the best A^2 (golden section on
// log A^2) against the best common scale. Equal sigmas cannot tell.
bool looks_additive(const std::vector<FitPoint>& pts, const std::vector<double>& r) {
  double z2 = 0.0, log_var = 0.0;
  for (size_t i = 0; i < pts.size(); ++i)
    z2 += r[i] * r[i] / (pts[i].sigma_s * pts[i].sigma_s), log_var += std::log(pts[i].sigma_s * pts[i].sigma_s);
  const double n = static_cast<double>(pts.size()), s2 = std::max(z2 / n, 1e-300);
  const double proportional = log_var + n * std::log(s2) + n;
  double lo = std::log(1e-12), hi = std::log(1e8);
  const double g = 0.5 * (std::sqrt(5.0) - 1.0);
  for (int it = 0; it < 80; ++it) {
    const double x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo);
    if (additive_cost(pts, r, std::exp(x1)) < additive_cost(pts, r, std::exp(x2))) hi = x2;
    else lo = x1;
  }
  return additive_cost(pts, r, std::exp(0.5 * (lo + hi))) < proportional - 2.0 * kMisfitAdditiveGain;
}

// The same on the line's residuals: a quadratic bends through the precise
// readings of a sawtooth and hides what the line shows.
bool line_looks_additive(const std::vector<FitPoint>& pts) {
  std::vector<double> r(pts.size());
  for (size_t i = 0; i < pts.size(); ++i) r[i] = pts[i].residual_s;
  return looks_additive(pts, r);
}

// Below kMisfitTellFrom fitted readings a flagged reading may be the peak of
// structure (a sawtooth's, with the others on its slopes) as well as a typo:
// the readings cannot tell them apart. It counts as possible structure when
// the rate swing it needs is one an RTC can have. Per point of fit.points.
std::vector<bool> flagged_maybe_structure(const DriftFit& fit, const std::vector<double>& residual_s,
                                          double max_swing_s_per_day) {
  std::vector<bool> maybe(fit.points.size(), false);
  for (size_t i = 0; i < fit.points.size(); ++i)
    maybe[i] = fit.points[i].outlier && swing_needed_s_per_day(fit.points, i, residual_s[i]) <= max_swing_s_per_day;
  return maybe;
}

// Flagged readings between fitted readings of their segment on both sides
// that would need a rate swing no RTC has (kMaxRateSwingAnySPerDay) to be
// real: typos. One at a segment's end is not judged (an unlogged reset there
// looks the same as a typo). Per point of fit.points; O(n) (the first and
// last fitted reading of each segment are found once: looking for them per
// flagged reading made 1,000 typos among 10^6 readings cost 0.5 s).
std::vector<bool> typos_between(const DriftFit& fit, const std::vector<double>& residual_s) {
  const auto& pts = fit.points;
  constexpr size_t kNone = static_cast<size_t>(-1);
  std::vector<size_t> first, last;  // per segment: the first and last fitted reading
  for (size_t j = 0; j < pts.size(); ++j) {
    if (pts[j].outlier || pts[j].segment < 0) continue;
    const auto g = static_cast<size_t>(pts[j].segment);
    if (first.size() <= g) first.resize(g + 1, kNone), last.resize(g + 1, kNone);
    if (first[g] == kNone) first[g] = j;
    last[g] = j;
  }
  std::vector<bool> typo(pts.size(), false);
  for (size_t i = 0; i < pts.size(); ++i) {
    if (!pts[i].outlier || pts[i].segment < 0) continue;
    const auto g = static_cast<size_t>(pts[i].segment);
    if (g >= first.size() || first[g] == kNone || !(first[g] < i && i < last[g])) continue;
    typo[i] = swing_needed_s_per_day(pts, i, residual_s[i]) > kMaxRateSwingAnySPerDay;
  }
  return typo;
}

// Whether the fitted readings' own misses (RMS beyond their sigmas, as a
// curve's rate error over the span) are within what an RTC can do: then a
// flagged reading that needs more is a typo. When they are not, a typo may
// be among them (two among five readings cannot be told) and every reading
// counts in A, so the interval stays as wide as the data are bad.
bool fitted_misses_plausible(const DriftFit& fit, const std::vector<double>& residual_s) {
  double excess2 = 0.0, first_s = HUGE_VAL, last_s = -HUGE_VAL;
  int n = 0;
  for (size_t i = 0; i < fit.points.size(); ++i) {
    const auto& p = fit.points[i];
    if (p.outlier) continue;
    ++n;
    first_s = std::min(first_s, p.time_unix_s), last_s = std::max(last_s, p.time_unix_s);
    excess2 += std::max(0.0, residual_s[i] * residual_s[i] - p.sigma_s * p.sigma_s);
  }
  if (n < 2 || !(last_s > first_s)) return false;
  const double a_s = std::sqrt(excess2 / n);
  return std::sqrt(180.0) * a_s / (last_s - first_s) * kMisfitDayS <= kMaxRateSwingAnySPerDay;
}

}  // namespace

// fit_detail.h.
double swing_needed_s_per_day(const std::vector<FitPoint>& pts, size_t i, double miss_s) {
  double gap_s = HUGE_VAL;
  for (size_t j = i; j-- > 0 && pts[j].segment == pts[i].segment;)
    if (!pts[j].outlier) {
      gap_s = std::min(gap_s, pts[i].time_unix_s - pts[j].time_unix_s);
      break;
    }
  for (size_t j = i + 1; j < pts.size() && pts[j].segment == pts[i].segment; ++j)
    if (!pts[j].outlier) {
      gap_s = std::min(gap_s, pts[j].time_unix_s - pts[i].time_unix_s);
      break;
    }
  return gap_s > 0.0 ? std::fabs(miss_s) / gap_s * kMisfitDayS : HUGE_VAL;
}

// Two bounds on the rate's error from misses of RMS A (the plain RMS of the
// residuals beyond their sigmas, flagged readings included: the reading a
// model misses most is flagged first, and it shows the shape; not one that
// needs a rate swing beyond kMaxRateSwingAnySPerDay, a typo), the larger
// added to the interval's half-width:
//  - a curve e = c t^2 over a span T, fitted by a line, leaves residuals of
//    RMS c T^2 / sqrt(180) and a rate at the last reading c T away from the
//    line's: sqrt(180) A / T. This is the aging a prior on the rate's change
//    must allow when a curve cannot be tested (as chrony bounds its
//    frequency wander), here scaled by what the data show;
//  - misses of RMS A at the readings that set the rate, taken as
//    independent: 1.96 A sqrt(sum w^2 (t - t_seg)^2) / sum w (t - t_seg)^2
//    (a few precise readings on a sawtooth's slopes); for the quadratic the
//    same ratio times its rate-now sigma.
// Below 10 fitted readings, when the fitted ones alone pass chi2, flagged
// readings whose rate swing is within kMaxRateSwingSPerDay count in the test
// (evidence flagged_reading) and in A, a typo beside them does not, and the
// term is at most that swing: a rate within +-s of its mean moves a weighted
// line's rate, a weighted mean of the rates, by no more than s.
void misfit_term(ModelCheck& m, const DriftFit& fit, const std::vector<double>& residual_s, double alpha) {
  const bool quad = m.model == FitModel::quadratic;
  const int dof = quad ? fit.dof - 1 : fit.dof;
  const double chi2 = quad ? m.chi2 : fit.chi2;
  if (dof < 1) return;
  m.misfit_chi2 = chi2;
  m.misfit_chi2_threshold = chi2_quantile(1.0 - alpha, dof);
  // Below kMisfitTellFrom fitted readings, flagged readings that may be
  // structure count in the test (and, when only they tip it, in A; a typo
  // beside them does not).
  // Which flagged readings count in A: all, unless the fitted readings alone
  // miss by what an RTC can do and a flagged one needs a swing no RTC has.
  std::vector<bool> maybe(fit.points.size(), true);
  if (fitted_misses_plausible(fit, residual_s)) {
    const auto typo = typos_between(fit, residual_s);
    for (size_t i = 0; i < maybe.size(); ++i) maybe[i] = !typo[i];
  }
  bool by_flagged = false;
  if (!(chi2 > m.misfit_chi2_threshold)) {
    if (fit.n >= kMisfitTellFrom) return;
    by_flagged = true;
    maybe = flagged_maybe_structure(fit, residual_s, kMaxRateSwingSPerDay);
    int k = 0;
    for (size_t i = 0; i < maybe.size(); ++i)
      if (maybe[i]) m.misfit_chi2 += std::pow(residual_s[i] / fit.points[i].sigma_s, 2), ++k;
    if (k == 0) return;
    m.misfit_chi2_threshold = chi2_quantile(1.0 - alpha, dof + k);
    if (!(m.misfit_chi2 > m.misfit_chi2_threshold)) return;
  }
  int used = 0, typos = 0;
  double excess2 = 0.0, lever2 = 0.0, first_s = fit.points.front().time_unix_s, last_s = first_s;
  for (size_t i = 0; i < fit.points.size(); ++i) {
    const auto& p = fit.points[i];
    first_s = std::min(first_s, p.time_unix_s), last_s = std::max(last_s, p.time_unix_s);
    if (p.outlier && !maybe[i]) {
      ++typos;
      continue;
    }
    excess2 += std::max(0.0, residual_s[i] * residual_s[i] - p.sigma_s * p.sigma_s);
    if (p.outlier) continue;
    ++used;
    const double w = 1.0 / (p.sigma_s * p.sigma_s);
    const double dt = p.time_unix_s - fit.segments[static_cast<size_t>(p.segment)].ref_unix_s;
    lever2 += w * w * dt * dt;
  }
  // From kMisfitTellFrom readings, plain understated sigmas are left to the scaled
  // sigmas: the misses must look systematic (runs), additive, or remain
  // after a quadratic (which the F test chose: the shape is not a curve).
  MisfitEvidence evidence = by_flagged ? MisfitEvidence::flagged_reading : MisfitEvidence::chi2;
  if (used >= kMisfitTellFrom) {
    if (quad) evidence = MisfitEvidence::beyond_quadratic;
    else if (m.too_few_runs || m.runs_z < -kMisfitRunsZ) evidence = MisfitEvidence::runs;
    else if (line_looks_additive(fit.points)) evidence = MisfitEvidence::same_seconds;
    else return;
  }
  if (!(last_s > first_s) || !(fit.sxx > 0.0)) return;
  const int parameters = used - dof;
  const double a_s = std::sqrt(excess2 / std::max(1, static_cast<int>(fit.points.size()) - typos - parameters));
  const double curve = std::sqrt(180.0) * a_s / (last_s - first_s) * kMisfitDayS;
  const double ratio = std::sqrt(lever2 / fit.sxx);  // sandwich over plain, for unit A
  const double plain = quad ? m.rate_now_unit_sigma_s_per_day : kMisfitDayS / std::sqrt(fit.sxx);
  const double scatter = normal_quantile(0.95) * a_s * ratio * plain;
  m.misfit = true;
  m.misfit_evidence = evidence;
  m.misfit_rms_s = a_s;
  m.misfit_curve_s_per_day = curve;
  m.misfit_scatter_s_per_day = scatter;
  m.misfit_s_per_day = std::max(curve, scatter);
  // Structure whose rate stays within +-kMaxRateSwingSPerDay of its mean
  // moves a weighted line's rate (a weighted mean of the rates) by no more.
  if (evidence == MisfitEvidence::flagged_reading) m.misfit_s_per_day = std::min(m.misfit_s_per_day, kMaxRateSwingSPerDay);
}

}  // namespace rtcal::calibration::detail
