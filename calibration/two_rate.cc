// The two-rate fit (see two_rate.h): a 2x2 weighted least-squares problem on
// the intervals, its weights from the stated sigmas and the wander of each
// state, the wander estimated from the residuals and refitted until it
// settles.
#include "calibration/two_rate.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "calibration/fit.h"

namespace rtcal::calibration {
namespace {

// A matrix this close to singular means the shares of on and off time did not vary.
constexpr double kMinRelativeDeterminant = 1e-9;
// How many intervals' worth of weight the pooled wander has in each state's.
constexpr double kWanderPriorDof = 2.0;
// Unless the residuals rule it out, a period's rate wanders by 0.5 ppm (1
// sigma): a tuning-fork crystal's -0.034 ppm/°C² parabola over a few °C of
// swing a few °C from its turnover. It has the weight of one interval in the
// pooled wander, so a fit of a few intervals whose residuals happen to be
// small does not take them for no wander at all; but no more of it than the
// residuals leave possible (chi2 under it not in its lower 5% tail), so an
// emulated or a temperature-stable clock's few intervals stay tight.
constexpr double kPhysicalWanderSPerDay = 0.5e-6 * 86400.0;
constexpr double kPhysicalWanderDof = 1.0;
constexpr double kPhysicalWanderRuledOut = 0.05;
constexpr int kPhysicalWanderMaxDof = 100;
// Refits of the wander, each two passes over the intervals, until it moves
// by under 1e-6 of itself.
constexpr int kMaxWanderRounds = 16;
constexpr double kWanderTolerance = 1e-6;

struct Interval {
  double on = 0, off = 0, change = 0, var = 0;  // var: the stated sigmas' part
};

// Each interval between successive points of a segment, in order, to `f`
// (none kept: a log of a million points would need 32 MB for them).
template <typename F>
void for_each_interval(const std::vector<TwoRatePoint>& points, F&& f) {
  for (size_t i = 1; i < points.size(); ++i) {
    const TwoRatePoint& a = points[i - 1];
    const TwoRatePoint& b = points[i];
    if (a.segment != b.segment) continue;
    f(Interval{b.on_days - a.on_days, b.off_days - a.off_days, b.error_s - a.error_s,
               a.sigma_s * a.sigma_s + b.sigma_s * b.sigma_s});
  }
}

struct Wander {
  double q_on = 0, q_off = 0;  // (s/day)², one period's rate about the mean
  double total_var(const Interval& i) const { return i.var + q_on * i.on * i.on + q_off * i.off * i.off; }
};

// The weighted normal equations [a b; b c] (rate_on, rate_off) = (ya, yc),
// solved: the rates and the inverse (their covariance).
struct Solved {
  double a = 0, b = 0, c = 0, ya = 0, yc = 0;
  double rate_on = 0, rate_off = 0, var_on = 0, var_off = 0, cov = 0;
  bool ok() const { return a > 0 && c > 0 && a * c - b * b > kMinRelativeDeterminant * a * c; }
};

Solved solve(const std::vector<TwoRatePoint>& points, const Wander& w) {
  Solved s;
  for_each_interval(points, [&](const Interval& i) {
    const double u = 1.0 / w.total_var(i);
    s.a += u * i.on * i.on, s.b += u * i.on * i.off, s.c += u * i.off * i.off;
    s.ya += u * i.on * i.change, s.yc += u * i.off * i.change;
  });
  if (!s.ok()) return s;
  const double det = s.a * s.c - s.b * s.b;
  s.rate_on = (s.c * s.ya - s.b * s.yc) / det, s.rate_off = (s.a * s.yc - s.b * s.ya) / det;
  s.var_on = s.c / det, s.var_off = s.a / det, s.cov = -s.b / det;
  return s;
}

// One method-of-moments step: an interval's squared residual over (1 -
// leverage) estimates its total variance, so what exceeds its stated part
// estimates q_on x on² + q_off x off²; a regression of that excess (weights
// 1 / variance², non-negative) gives each state's q, the pooled regression on
// on² + off² the prior they are drawn towards.
struct Moments {
  double s11 = 0, s12 = 0, s22 = 0, t1 = 0, t2 = 0, sp = 0, tp = 0;
  double dof_on = 0, dof_off = 0;          // residual dof, shared by each interval's on² : off²
  double share_on = 0, share_off = 0, weight_on = 0, weight_off = 0;  // the estimated share of the variance
};

Moments moments(const std::vector<TwoRatePoint>& points, const Wander& w, const Solved& s) {
  Moments m;
  for_each_interval(points, [&](const Interval& i) {
    const double v = w.total_var(i);
    const double r = i.change - s.rate_on * i.on - s.rate_off * i.off;
    const double h = std::min(0.999, (i.on * i.on * s.var_on + i.off * i.off * s.var_off + 2 * i.on * i.off * s.cov) / v);
    const double z = r * r / (1.0 - h) - i.var, u = 1.0 / (v * v);
    const double x1 = i.on * i.on, x2 = i.off * i.off;
    m.s11 += u * x1 * x1, m.s12 += u * x1 * x2, m.s22 += u * x2 * x2, m.t1 += u * x1 * z, m.t2 += u * x2 * z;
    m.sp += u * (x1 + x2) * (x1 + x2), m.tp += u * (x1 + x2) * z;
    const double f = x1 + x2 > 0 ? x2 / (x1 + x2) : 0.5;
    m.dof_on += (1.0 - h) * (1.0 - f), m.dof_off += (1.0 - h) * f;
    m.share_on += x1 / v * (w.q_on * x1 / v), m.weight_on += x1 / v;
    m.share_off += x2 / v * (w.q_off * x2 / v), m.weight_off += x2 / v;
  });
  return m;
}

// The non-negative (q_on, q_off) of one step, each drawn towards the pooled q.
Wander next_wander(const Moments& m, double physical_q) {
  const double physical_dof = physical_q > 0 ? kPhysicalWanderDof : 0.0;
  double q1 = 0, q2 = 0;
  const double det = m.s11 * m.s22 - m.s12 * m.s12;
  if (det > kMinRelativeDeterminant * m.s11 * m.s22) {
    q1 = (m.s22 * m.t1 - m.s12 * m.t2) / det, q2 = (m.s11 * m.t2 - m.s12 * m.t1) / det;
  }
  if (q1 < 0 || !(det > 0)) q1 = 0, q2 = m.s22 > 0 ? m.t2 / m.s22 : 0;
  if (q2 < 0) q2 = 0, q1 = m.s11 > 0 ? std::max(0.0, m.t1 / m.s11) : 0;
  const double data = m.sp > 0 ? std::max(0.0, m.tp / m.sp) : 0, data_dof = m.dof_on + m.dof_off;
  const double pooled = (data_dof * data + physical_dof * physical_q) / (data_dof + physical_dof);
  return {(m.dof_on * q1 + kWanderPriorDof * pooled) / (m.dof_on + kWanderPriorDof),
          (m.dof_off * q2 + kWanderPriorDof * pooled) / (m.dof_off + kWanderPriorDof)};
}

bool settled(const Wander& a, const Wander& b) {
  const auto close = [](double x, double y) { return std::fabs(x - y) <= kWanderTolerance * std::max({x, y, 1e-300}); };
  return close(a.q_on, b.q_on) && close(a.q_off, b.q_off);
}

// Welch-Satterthwaite: the dof of known + sum of estimated parts (0: infinite).
double satterthwaite(double known, double est_on, double dof_on, double est_off, double dof_off) {
  const double denom = (est_on > 0 && dof_on > 0 ? est_on * est_on / dof_on : 0) +
                       (est_off > 0 && dof_off > 0 ? est_off * est_off / dof_off : 0);
  if (!(denom > 0)) return 0.0;
  const double total = known + est_on + est_off;
  return total * total / denom;
}

double quantile95(double dof) {
  return dof > 0 ? student_t_quantile(0.95, std::max(1, static_cast<int>(std::floor(dof)))) : student_t_quantile(0.95, 0);
}

// The largest wander up to the crystal's typical one that the residuals of
// the stated-sigma fit `s` leave possible: chi2 under it not in its lower 5%
// tail (0 when even none is; 0 beyond kPhysicalWanderMaxDof, where the
// prior's one interval no longer counts).
double physical_wander_q(const std::vector<TwoRatePoint>& points, const Solved& s, int dof) {
  const double q0 = kPhysicalWanderSPerDay * kPhysicalWanderSPerDay;
  if (dof > kPhysicalWanderMaxDof) return 0.0;
  const auto chi2_at = [&](double q) {
    double chi2 = 0;
    for_each_interval(points, [&](const Interval& i) {
      const double r = i.change - s.rate_on * i.on - s.rate_off * i.off;
      chi2 += r * r / Wander{q, q}.total_var(i);
    });
    return chi2;
  };
  double lo = 0, hi = dof;  // the 5% quantile of chi2(dof), below its mean
  for (int k = 0; k < 60; ++k) {
    const double mid = 0.5 * (lo + hi);
    (chi2_lower_tail(mid, dof) < kPhysicalWanderRuledOut ? lo : hi) = mid;
  }
  const double floor_chi2 = hi;
  if (chi2_at(q0) >= floor_chi2) return q0;
  if (chi2_at(0.0) < floor_chi2) return 0.0;
  lo = 0, hi = q0;  // chi2_at(lo) >= floor_chi2 > chi2_at(hi)
  for (int k = 0; k < 40; ++k) {
    const double mid = 0.5 * (lo + hi);
    (chi2_at(mid) >= floor_chi2 ? lo : hi) = mid;
  }
  return lo;
}

std::string refusal(const TwoRateFit& fit) {
  if (fit.dof < 1) return "too few intervals between measurements: " + std::to_string(fit.n) + ", need at least 3";
  if (fit.off_days <= 0) return "no powered-off time between measurements";
  if (fit.on_days <= 0) return "no powered-on time between measurements";
  return "";
}

// The share of each rate's variance that rests on the estimated wander.
double estimated_share(double share, double weight) { return weight > 0 ? std::clamp(share / weight, 0.0, 1.0) : 0.0; }

}  // namespace

TwoRateFit fit_two_rates(const std::vector<TwoRatePoint>& points) {
  TwoRateFit fit;
  for_each_interval(points, [&](const Interval& i) { ++fit.n, fit.on_days += i.on, fit.off_days += i.off; });
  fit.dof = fit.n - 2;
  if (fit.problem = refusal(fit); !fit.problem.empty()) return fit;
  Wander w;
  Solved s = solve(points, w);
  if (!s.ok()) {
    fit.problem = "the on and off time grow in the same proportion everywhere: the two rates cannot be told apart";
    return fit;
  }
  for_each_interval(points, [&](const Interval& i) {
    const double r = i.change - s.rate_on * i.on - s.rate_off * i.off;
    fit.chi2 += r * r / i.var;
  });
  fit.scatter_scale = std::max(1.0, fit.chi2 / fit.dof);
  const double physical_q = physical_wander_q(points, s, fit.dof);
  const double physical_dof = physical_q > 0 ? kPhysicalWanderDof : 0.0;
  Moments m = moments(points, w, s);
  for (int round = 0; round < kMaxWanderRounds; ++round) {
    const Wander next = next_wander(m, physical_q);
    const bool done = settled(w, next);
    w = next, s = solve(points, w), m = moments(points, w, s);
    if (done) break;
  }
  fit.rate_on_s_per_day = s.rate_on, fit.rate_off_s_per_day = s.rate_off;
  const Wander typical{kPhysicalWanderSPerDay * kPhysicalWanderSPerDay, kPhysicalWanderSPerDay * kPhysicalWanderSPerDay};
  double typical_chi2 = 0;
  for_each_interval(points, [&](const Interval& i) {
    const double r = i.change - s.rate_on * i.on - s.rate_off * i.off;
    typical_chi2 += r * r / typical.total_var(i);
  });
  fit.typical_scatter_scale = typical_chi2 / fit.dof;
  fit.var_on = s.var_on, fit.var_off = s.var_off, fit.cov_on_off = s.cov;
  fit.wander_on_s_per_day = std::sqrt(w.q_on), fit.wander_off_s_per_day = std::sqrt(w.q_off);
  const double pooled_dof = m.dof_on + m.dof_off + physical_dof;
  fit.share_on = estimated_share(m.share_on, m.weight_on);
  fit.share_off = estimated_share(m.share_off, m.weight_off);
  // A squared residual scatters by its whole variance, of which q is a share:
  // q's estimate has that share² of the residual dof.
  fit.dof_on = std::min(m.dof_on + kWanderPriorDof, pooled_dof) * fit.share_on * fit.share_on;
  fit.dof_off = std::min(m.dof_off + kWanderPriorDof, pooled_dof) * fit.share_off * fit.share_off;
  const auto ci = [](double var, double share, double dof) {
    const double est = share * var;
    return quantile95(satterthwaite(var - est, est, dof, 0, 1)) * std::sqrt(var);
  };
  fit.ci95_on_s_per_day = ci(fit.var_on, fit.share_on, fit.dof_on);
  fit.ci95_off_s_per_day = ci(fit.var_off, fit.share_off, fit.dof_off);
  fit.ok = true;
  return fit;
}

double two_rate_sigma_s(const TwoRateFit& fit, double on_days, double off_days) {
  const double v = on_days * on_days * fit.var_on + off_days * off_days * fit.var_off +
                   2.0 * on_days * off_days * fit.cov_on_off;
  return std::sqrt(std::max(0.0, v));
}

TwoRatePrediction two_rate_prediction(const TwoRateFit& fit, double on_days, double off_days, double start_sigma_s,
                                      double end_sigma_s) {
  const double rates = two_rate_sigma_s(fit, on_days, off_days);
  const double on_part = on_days * on_days * fit.var_on, off_part = off_days * off_days * fit.var_off;
  const double on_fraction = on_part + off_part > 0 ? on_part / (on_part + off_part) : 0.0;
  const double est_on = fit.wander_on_s_per_day * fit.wander_on_s_per_day * on_days * on_days +
                        fit.share_on * on_fraction * rates * rates;
  const double est_off = fit.wander_off_s_per_day * fit.wander_off_s_per_day * off_days * off_days +
                         fit.share_off * (1.0 - on_fraction) * rates * rates;
  const double total = rates * rates + start_sigma_s * start_sigma_s + end_sigma_s * end_sigma_s +
                       fit.wander_on_s_per_day * fit.wander_on_s_per_day * on_days * on_days +
                       fit.wander_off_s_per_day * fit.wander_off_s_per_day * off_days * off_days;
  TwoRatePrediction p;
  p.sigma_s = std::sqrt(total);
  p.dof = satterthwaite(total - est_on - est_off, est_on, fit.dof_on, est_off, fit.dof_off);
  p.ci95_s = quantile95(p.dof) * p.sigma_s;
  return p;
}

double two_rate_prediction_sigma_s(const TwoRateFit& fit, double on_days, double off_days, double start_sigma_s,
                                   double end_sigma_s) {
  return two_rate_prediction(fit, on_days, off_days, start_sigma_s, end_sigma_s).sigma_s;
}

}  // namespace rtcal::calibration
