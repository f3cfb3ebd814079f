// The two-rate fit (see two_rate.h): each segment's constant is taken out by
// weighted centring, which leaves a 2x2 weighted least-squares problem.
#include "calibration/two_rate.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace rtcal::calibration {
namespace {

// A matrix this close to singular means the shares of on and off time did not vary.
constexpr double kMinRelativeDeterminant = 1e-9;

struct Interval {
  double on = 0, off = 0, change = 0, var = 0;
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

}  // namespace

TwoRateFit fit_two_rates(const std::vector<TwoRatePoint>& points) {
  TwoRateFit fit;
  double a = 0, b = 0, c = 0, ya = 0, yc = 0;  // [a b; b c] (rate_on, rate_off) = (ya, yc)
  for_each_interval(points, [&](const Interval& i) {
    ++fit.n;
    fit.on_days += i.on, fit.off_days += i.off;
    const double w = 1.0 / i.var;
    a += w * i.on * i.on, b += w * i.on * i.off, c += w * i.off * i.off, ya += w * i.on * i.change,
        yc += w * i.off * i.change;
  });
  fit.dof = fit.n - 2;
  if (fit.dof < 1) {
    fit.problem = "too few intervals between measurements: " + std::to_string(fit.n) + ", need at least 3";
    return fit;
  }
  if (fit.on_days <= 0 || fit.off_days <= 0) {
    fit.problem = fit.off_days <= 0 ? "no powered-off time between measurements" : "no powered-on time between measurements";
    return fit;
  }
  const double det = a * c - b * b;
  if (!(det > kMinRelativeDeterminant * a * c) || a <= 0 || c <= 0) {
    fit.problem = "the on and off time grow in the same proportion everywhere: the two rates cannot be told apart";
    return fit;
  }
  fit.rate_on_s_per_day = (c * ya - b * yc) / det;
  fit.rate_off_s_per_day = (a * yc - b * ya) / det;
  for_each_interval(points, [&](const Interval& i) {
    const double r = i.change - fit.rate_on_s_per_day * i.on - fit.rate_off_s_per_day * i.off;
    fit.chi2 += r * r / i.var;
  });
  fit.scatter_scale = std::max(1.0, fit.chi2 / fit.dof);
  fit.var_on = fit.scatter_scale * c / det;
  fit.var_off = fit.scatter_scale * a / det;
  fit.cov_on_off = -fit.scatter_scale * b / det;
  fit.ci95_on_s_per_day = 1.96 * std::sqrt(fit.var_on);
  fit.ci95_off_s_per_day = 1.96 * std::sqrt(fit.var_off);
  fit.ok = true;
  return fit;
}

double two_rate_sigma_s(const TwoRateFit& fit, double on_days, double off_days) {
  const double v = on_days * on_days * fit.var_on + off_days * off_days * fit.var_off +
                   2.0 * on_days * off_days * fit.cov_on_off;
  return std::sqrt(std::max(0.0, v));
}

double two_rate_prediction_sigma_s(const TwoRateFit& fit, double on_days, double off_days, double start_sigma_s,
                                   double end_sigma_s) {
  const double rates = two_rate_sigma_s(fit, on_days, off_days);
  const double own = fit.scatter_scale * (start_sigma_s * start_sigma_s + end_sigma_s * end_sigma_s);
  return std::sqrt(rates * rates + own);
}

}  // namespace rtcal::calibration
