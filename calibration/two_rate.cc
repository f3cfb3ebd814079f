// The two-rate fit (see two_rate.h): each segment's constant is taken out by
// weighted centring, which leaves a 2x2 weighted least-squares problem.
#include "calibration/two_rate.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace rtcal::calibration {
namespace {

struct Sums {
  double w = 0, on = 0, off = 0, e = 0;
};

// A matrix this close to singular means the shares of on and off time did not vary.
constexpr double kMinRelativeDeterminant = 1e-9;

}  // namespace

TwoRateFit fit_two_rates(const std::vector<TwoRatePoint>& points) {
  TwoRateFit fit;
  fit.n = static_cast<int>(points.size());
  std::map<int, Sums> mean;
  std::map<int, std::pair<double, double>> span;  // per segment: max on, max off
  for (const auto& p : points) {
    const double w = 1.0 / (p.sigma_s * p.sigma_s);
    Sums& s = mean[p.segment];
    s.w += w, s.on += w * p.on_days, s.off += w * p.off_days, s.e += w * p.error_s;
    auto& [on, off] = span[p.segment];
    on = std::max(on, p.on_days), off = std::max(off, p.off_days);
  }
  for (const auto& [seg, s] : span) fit.on_days += s.first, fit.off_days += s.second;
  fit.dof = fit.n - static_cast<int>(mean.size()) - 2;
  if (fit.dof < 1) {
    fit.problem = "too few points: " + std::to_string(fit.n) + " in " + std::to_string(mean.size()) +
                  " segment(s), need at least 3 more than segments";
    return fit;
  }
  if (fit.on_days <= 0 || fit.off_days <= 0) {
    fit.problem = fit.off_days <= 0 ? "no powered-off time between measurements" : "no powered-on time between measurements";
    return fit;
  }
  double a = 0, b = 0, c = 0, ya = 0, yc = 0;  // [a b; b c] (rate_on, rate_off) = (ya, yc)
  for (const auto& p : points) {
    const Sums& s = mean[p.segment];
    const double w = 1.0 / (p.sigma_s * p.sigma_s);
    const double x1 = p.on_days - s.on / s.w, x2 = p.off_days - s.off / s.w, y = p.error_s - s.e / s.w;
    a += w * x1 * x1, b += w * x1 * x2, c += w * x2 * x2, ya += w * x1 * y, yc += w * x2 * y;
  }
  const double det = a * c - b * b;
  if (!(det > kMinRelativeDeterminant * a * c) || a <= 0 || c <= 0) {
    fit.problem = "the on and off time grow in the same proportion everywhere: the two rates cannot be told apart";
    return fit;
  }
  fit.rate_on_s_per_day = (c * ya - b * yc) / det;
  fit.rate_off_s_per_day = (a * yc - b * ya) / det;
  for (const auto& p : points) {
    const Sums& s = mean[p.segment];
    const double c0 = (s.e - fit.rate_on_s_per_day * s.on - fit.rate_off_s_per_day * s.off) / s.w;
    const double r = (p.error_s - c0 - fit.rate_on_s_per_day * p.on_days - fit.rate_off_s_per_day * p.off_days) / p.sigma_s;
    fit.chi2 += r * r;
  }
  const double scale = std::max(1.0, fit.chi2 / fit.dof);
  fit.var_on = scale * c / det;
  fit.var_off = scale * a / det;
  fit.cov_on_off = -scale * b / det;
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

}  // namespace rtcal::calibration
