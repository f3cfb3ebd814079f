// Does the straight line fit? (calibration/fit.h, ModelCheck.) After the
// drift fit, the residual structure is tested two ways: a quadratic term
// (a rate that changes: aging) by an F test at a conservative level, and the
// signs of the residuals by a runs test (long runs: a sawtooth, a machine
// that is on and off at different temperatures). A significant quadratic
// becomes the model: the rate is then the rate at the last reading, with the
// aging reported and the prediction widened by it. Pure.
#include <algorithm>
#include <cmath>

#include "calibration/fit.h"
#include "calibration/fit_detail.h"

namespace rtcal::calibration::detail {
namespace {

constexpr double kDayS = 86400.0;
// The runs test needs this many fitted points to say anything.
constexpr int kRunsFrom = 10;
// Positive lag-1 correlation of the residuals widens the interval by
// sqrt((1 + rho) / (1 - rho)) (AR(1) effective sample size), rho at most this.
constexpr double kMaxRho = 0.9;

// Weighted sums of the used points per segment (tau in days from the last
// used point), centred per segment so the intercepts drop out.
struct QuadSums {
  double s11 = 0, s12 = 0, s22 = 0, s1y = 0, s2y = 0, syy = 0;
  std::vector<double> m1, m2, my;  // per segment: weighted means of tau, tau^2, error
  std::vector<double> w;           // per segment: sum of weights
};

QuadSums quad_sums(const std::vector<FitPoint>& pts, const std::vector<bool>& used, int segments, double ref_s) {
  const size_t k = static_cast<size_t>(segments);
  std::vector<double> w(k, 0), m1(k, 0), m2(k, 0), my(k, 0);
  const auto tau = [&](const FitPoint& p) { return (p.time_unix_s - ref_s) / kDayS; };
  for (size_t i = 0; i < pts.size(); ++i) {
    if (!used[i]) continue;
    const auto g = static_cast<size_t>(pts[i].segment);
    const double wi = 1.0 / (pts[i].sigma_s * pts[i].sigma_s), t = tau(pts[i]);
    w[g] += wi, m1[g] += wi * t, m2[g] += wi * t * t, my[g] += wi * pts[i].corrected_error_s;
  }
  for (size_t g = 0; g < k; ++g)
    if (w[g] > 0) m1[g] /= w[g], m2[g] /= w[g], my[g] /= w[g];
  QuadSums q;
  for (size_t i = 0; i < pts.size(); ++i) {
    if (!used[i]) continue;
    const auto g = static_cast<size_t>(pts[i].segment);
    const double wi = 1.0 / (pts[i].sigma_s * pts[i].sigma_s), t = tau(pts[i]);
    const double x1 = t - m1[g], x2 = t * t - m2[g], y = pts[i].corrected_error_s - my[g];
    q.s11 += wi * x1 * x1, q.s12 += wi * x1 * x2, q.s22 += wi * x2 * x2;
    q.s1y += wi * x1 * y, q.s2y += wi * x2 * y, q.syy += wi * y * y;
  }
  q.m1 = std::move(m1), q.m2 = std::move(m2), q.my = std::move(my), q.w = std::move(w);
  return q;
}

// Runs of equal residual sign among the fitted points (time order within
// segments, segments in order): the z score of their count (Wald-Wolfowitz).
void runs_test(ModelCheck& m, const std::vector<FitPoint>& pts, const std::vector<double>& residual_s) {
  int plus = 0, minus = 0, runs = 0, last = 0;
  for (size_t i = 0; i < pts.size(); ++i) {
    if (pts[i].outlier || residual_s[i] == 0.0) continue;
    const int sign = residual_s[i] > 0 ? 1 : -1;
    (sign > 0 ? plus : minus)++;
    if (sign != last) ++runs;
    last = sign;
  }
  const double n = plus + minus;
  m.runs = runs;
  if (plus == 0 || minus == 0 || n < kRunsFrom) return;
  const double np = plus, nm = minus;
  m.runs_expected = 1.0 + 2.0 * np * nm / n;
  const double var = 2.0 * np * nm * (2.0 * np * nm - n) / (n * n * (n - 1.0));
  if (var > 0) m.runs_z = (runs - m.runs_expected) / std::sqrt(var);
}

// Lag-1 correlation of the normalized residuals of consecutive fitted points.
double lag1_correlation(const std::vector<FitPoint>& pts, const std::vector<double>& residual_s) {
  double num = 0, den = 0, prev = 0;
  bool have = false;
  for (size_t i = 0; i < pts.size(); ++i) {
    if (pts[i].outlier) continue;
    const double z = residual_s[i] / pts[i].sigma_s;
    den += z * z;
    if (have && pts[i].segment == pts[i - 1].segment) num += z * prev;
    prev = z, have = true;
  }
  return den > 0 ? num / den : 0.0;
}

}  // namespace

double curve_gain(const std::vector<FitPoint>& pts, const std::vector<bool>& used, int segments) {
  double ref_s = pts.front().time_unix_s;
  for (size_t i = 0; i < pts.size(); ++i)
    if (used[i]) ref_s = std::max(ref_s, pts[i].time_unix_s);
  const QuadSums q = quad_sums(pts, used, segments, ref_s);
  const double det = q.s11 * q.s22 - q.s12 * q.s12;
  if (!(det > 0) || !(q.s11 > 0)) return 0.0;
  const double b = (q.s22 * q.s1y - q.s12 * q.s2y) / det, c = (q.s11 * q.s2y - q.s12 * q.s1y) / det;
  return std::max(0.0, b * q.s1y + c * q.s2y - q.s1y * q.s1y / q.s11);  // chi2_lin - chi2_q
}

std::vector<size_t> explained_by_curve(const std::vector<FitPoint>& pts, int segments, double threshold) {
  std::vector<bool> used(pts.size());
  std::vector<int> per_segment(static_cast<size_t>(segments), 0);
  double ref_s = pts.front().time_unix_s;
  for (size_t i = 0; i < pts.size(); ++i) {
    used[i] = !pts[i].outlier;
    if (used[i]) ref_s = std::max(ref_s, pts[i].time_unix_s), ++per_segment[static_cast<size_t>(pts[i].segment)];
  }
  std::vector<size_t> back;
  for (int round = 0; round < 4; ++round) {
    int n = 0, parts = 2;
    for (int c : per_segment) n += c, parts += c > 0 ? 1 : 0;
    const QuadSums q = quad_sums(pts, used, segments, ref_s);
    const double det = q.s11 * q.s22 - q.s12 * q.s12;
    if (n - parts < 1 || !(det > 0)) break;
    const double b = (q.s22 * q.s1y - q.s12 * q.s2y) / det, c = (q.s11 * q.s2y - q.s12 * q.s1y) / det;
    const double chi2_q = std::max(0.0, q.syy - b * q.s1y - c * q.s2y);
    const double scale = std::sqrt(std::max(1.0, chi2_q / (n - parts)));
    bool any = false;
    for (size_t i = 0; i < pts.size(); ++i) {
      const auto g = static_cast<size_t>(pts[i].segment);
      if (used[i] || per_segment[g] == 0) continue;
      const double tau = (pts[i].time_unix_s - ref_s) / kDayS;
      const double r = pts[i].corrected_error_s - q.my[g] - b * (tau - q.m1[g]) - c * (tau * tau - q.m2[g]);
      // The curve's own variance at the point (in units of the scale^2).
      const double x1 = tau - q.m1[g], x2 = tau * tau - q.m2[g];
      const double curve_var = 1.0 / q.w[g] + (q.s22 * x1 * x1 - 2.0 * q.s12 * x1 * x2 + q.s11 * x2 * x2) / det;
      const double sd = std::sqrt(pts[i].sigma_s * pts[i].sigma_s + curve_var);
      if (std::fabs(r) < threshold * scale * sd) used[i] = true, ++per_segment[g], back.push_back(i), any = true;
    }
    if (!any) break;
  }
  std::sort(back.begin(), back.end());
  return back;
}

ModelCheck check_model(DriftFit& fit, double alpha, double confidence) {
  ModelCheck m;
  m.linear_rate_s_per_day = fit.rate_s_per_day;
  std::vector<bool> used(fit.points.size());
  std::vector<double> residual_s(fit.points.size());
  double ref_s = fit.points.front().time_unix_s;
  for (size_t i = 0; i < fit.points.size(); ++i) {  // one pass: the points are many and large
    used[i] = !fit.points[i].outlier;
    if (used[i]) ref_s = std::max(ref_s, fit.points[i].time_unix_s);
    residual_s[i] = fit.points[i].residual_s;
  }
  const int dof_q = fit.dof - 1;
  const QuadSums q = quad_sums(fit.points, used, static_cast<int>(fit.segments.size()), ref_s);
  const double det = q.s11 * q.s22 - q.s12 * q.s12;
  if (dof_q >= 2 && det > 0 && q.s11 > 0) {
    const double b = (q.s22 * q.s1y - q.s12 * q.s2y) / det, c = (q.s11 * q.s2y - q.s12 * q.s1y) / det;
    const double chi2_q = std::max(0.0, q.syy - b * q.s1y - c * q.s2y);
    const double chi2_lin = std::max(0.0, q.syy - q.s1y * q.s1y / q.s11);
    // The quadratic's scatter, but never below the stated sigmas (exact or
    // overstated data would make any rounding-level curvature "significant").
    const double scale2_q = std::max(chi2_q / dof_q, 1.0);
    m.f_statistic = (chi2_lin - chi2_q) / scale2_q;
    const double t = student_t_quantile(1.0 - alpha, dof_q);
    m.f_threshold = t * t;
    m.trend = m.f_statistic > m.f_threshold;
    if (m.trend) {
      // Sigmas scaled by the quadratic's own scatter only when it is larger
      // (the scatter of a curve fitted by a line says nothing of the sigmas).
      const double scale2 = std::max(1.0, chi2_q / dof_q);
      m.model = FitModel::quadratic;
      m.rate_now_s_per_day = b;
      m.rate_now_sigma_s_per_day = std::sqrt(scale2 * q.s22 / det);
      m.aging_s_per_day_per_year = 2.0 * c * 365.25;
      m.aging_sigma_s_per_day_per_year = 2.0 * 365.25 * std::sqrt(scale2 * q.s11 / det);
      m.curvature_s_per_day2 = c;
      m.curvature_sigma_s_per_day2 = std::sqrt(scale2 * q.s11 / det);
      m.quantile = scale2 > 1.0 ? student_t_quantile(confidence, dof_q) : normal_quantile(confidence);
      m.ref_unix_s = ref_s;
      m.sigma_scale = std::sqrt(scale2);
      m.sigmas_understated = chi2_q > chi2_quantile(0.95, dof_q);
      m.chi2 = chi2_q;
      m.rate_now_unit_sigma_s_per_day = std::sqrt(q.s22 / det);
      // Residuals against the curve for the runs test.
      for (size_t i = 0; i < fit.points.size(); ++i) {
        const auto& p = fit.points[i];
        const auto g = static_cast<size_t>(p.segment);
        const double tau = (p.time_unix_s - ref_s) / kDayS;
        residual_s[i] = p.corrected_error_s - q.my[g] - b * (tau - q.m1[g]) - c * (tau * tau - q.m2[g]);
      }
      m.segment_value_at_ref_s.clear();
      for (size_t g = 0; g < q.my.size(); ++g) {
        // The curve's value at each segment's reference time (fit.segments).
        const double tau = (fit.segments[g].ref_unix_s - ref_s) / kDayS;
        m.segment_value_at_ref_s.push_back(q.my[g] + b * (tau - q.m1[g]) + c * (tau * tau - q.m2[g]));
      }
    }
  }
  runs_test(m, fit.points, residual_s);
  m.too_few_runs = m.runs_z < -normal_quantile(1.0 - 2.0 * alpha);
  if (m.too_few_runs) {
    const double rho = std::clamp(lag1_correlation(fit.points, residual_s), 0.0, kMaxRho);
    m.widening = std::sqrt((1.0 + rho) / (1.0 - rho));
  }
  misfit_term(m, fit, residual_s, alpha);
  m.fits = !m.trend && !m.too_few_runs;
  return m;
}

}  // namespace rtcal::calibration::detail
