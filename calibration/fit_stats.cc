// Quantiles for the drift fit's intervals and thresholds: the normal and
// Student's t distributions (t through the regularized incomplete beta
// function, evaluated by its continued fraction). Pure.
#include <cmath>

#include "calibration/fit_detail.h"

namespace rtcal::calibration {
namespace {

// Continued fraction of the regularized incomplete beta (modified Lentz).
double beta_fraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  double c = 1.0;
  double d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= 300; ++m) {
    const double m2 = 2.0 * m;
    double num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
    for (int half = 0; half < 2; ++half) {
      d = 1.0 + num * d;
      if (std::fabs(d) < kTiny) d = kTiny;
      c = 1.0 + num / c;
      if (std::fabs(c) < kTiny) c = kTiny;
      d = 1.0 / d;
      h *= d * c;
      num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
    }
    if (std::fabs(d * c - 1.0) < 1e-15) break;
  }
  return h;
}

// I_x(a, b).
double incomplete_beta(double a, double b, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  if (x < (a + 1.0) / (a + b + 2.0)) return std::exp(log_front) * beta_fraction(a, b, x) / a;
  return 1.0 - std::exp(log_front) * beta_fraction(b, a, 1.0 - x) / b;
}

// P(|T| > t) for Student's t with dof degrees of freedom.
double t_two_sided_tail(double t, int dof) {
  const double v = dof;
  return incomplete_beta(v / 2.0, 0.5, v / (v + t * t));
}

}  // namespace

namespace detail {

double normal_quantile(double confidence) {
  const double tail = 1.0 - confidence;
  double lo = 0.0, hi = 40.0;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (std::erfc(mid / std::sqrt(2.0)) > tail ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace detail

double student_t_quantile(double confidence, int dof) {
  if (dof <= 0 || dof > 1000000) return detail::normal_quantile(confidence);
  const double tail = 1.0 - confidence;
  // Bisect on log t: the quantile spans 1 to ~1e10 for tiny tails and dof 1.
  double lo = std::log(1e-6), hi = std::log(1e12);
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (t_two_sided_tail(std::exp(mid), dof) > tail ? lo : hi) = mid;
  }
  return std::exp(0.5 * (lo + hi));
}

double chi2_quantile(double p, int dof) {
  if (dof <= 0) return 0.0;
  const double k = dof;
  // The normal p-quantile from the two-sided one: z = q(2p - 1) above 1/2.
  const double z = p >= 0.5 ? detail::normal_quantile(2.0 * p - 1.0) : -detail::normal_quantile(1.0 - 2.0 * p);
  const double c = 1.0 - 2.0 / (9.0 * k) + z * std::sqrt(2.0 / (9.0 * k));
  return c > 0.0 ? k * c * c * c : 0.0;
}

double chi2_lower_tail(double x, int dof) {
  if (dof <= 0 || !(x > 0.0)) return 0.0;
  // P(a, x/2) with a = dof/2 by its power series: x^a e^-x / Gamma(a + 1) *
  // sum x^n / ((a + 1)...(a + n)); fast below the mean, where it is used.
  const double a = 0.5 * dof, h = 0.5 * x;
  double term = 1.0, sum = 1.0;
  for (int n = 1; n < 2000 && term > 1e-16 * sum; ++n) {
    term *= h / (a + n);
    sum += term;
  }
  return std::min(1.0, std::exp(a * std::log(h) - h - std::lgamma(a + 1.0)) * sum);
}

const char* fit_model_name(FitModel m) { return m == FitModel::quadratic ? "quadratic" : "linear"; }

const char* misfit_evidence_name(MisfitEvidence e) {
  switch (e) {
    case MisfitEvidence::chi2: return "chi2";
    case MisfitEvidence::flagged_reading: return "flagged_reading";
    case MisfitEvidence::runs: return "runs";
    case MisfitEvidence::same_seconds: return "same_seconds";
    case MisfitEvidence::beyond_quadratic: return "beyond_quadratic";
    case MisfitEvidence::none: break;
  }
  return "none";
}

const char* sigma_check_name(SigmaCheck c) {
  switch (c) {
    case SigmaCheck::understated: return "understated";
    case SigmaCheck::overstated: return "overstated";
    case SigmaCheck::consistent: break;
  }
  return "consistent";
}

}  // namespace rtcal::calibration
