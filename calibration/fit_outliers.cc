// The outlier logic of the drift fit (calibration/fit.h): the leave-one-out
// test of each point against the others, rejection of the worst point while
// one exceeds its threshold (all at once beyond a thousand points), and the
// taking back of flagged points the line without them explains. Pure.
#include <algorithm>
#include <cmath>

#include "calibration/fit.h"
#include "calibration/fit_detail.h"

namespace rtcal::calibration::detail {
namespace {

// The prior weight (in degrees of freedom) of the stated sigmas when the
// outlier test scales them by the scatter of the other points.
constexpr double kPriorDof = 2.0;

// The 99% point of chi2 with `dof` degrees of freedom (Wilson-Hilferty
// approximation, within 1% of the exact value).
double chi2_99(int dof) {
  const double k = dof, z99 = 2.326348;
  return k * std::pow(1.0 - 2.0 / (9.0 * k) + z99 * std::sqrt(2.0 / (9.0 * k)), 3);
}

// The thresholds of one round of the test (they depend on the degrees of
// freedom only: computed once per round, not per point).
struct Thresholds {
  double t = 0.0;             // Student's t at the tail, dof - 1 (scaled sigmas)
  double shrunk_t = 0.0;      // the same with the prior's degrees of freedom added
  double others_chi2_99 = 0.0;  // the 99% point of the other points' chi2
};

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
// Student's t (`th.t`).
OutlierTest test_outlier(const Solve& s, const FitPoint& p, double origin, const FitOptions& o,
                         const Thresholds& th) {
  const int dof = s.used - s.parameters;
  const double h = leverage(s, p, origin);
  if (dof < 2 || h > 1.0 - 1e-9) return {};
  const double r = p.corrected_error_s - fitted_at(s, p, origin);
  const double t_int = r / (p.sigma_s * std::sqrt(1.0 - h));
  // The chi2 of the fit without this point (exact leave-one-out identity).
  const double others_chi2 = std::max(0.0, s.chi2 - t_int * t_int);
  const bool consistent = others_chi2 <= th.others_chi2_99;
  if (consistent || dof - 1 < 2) {
    // Scatter within chance may still say the sigmas are understated: scale
    // them up by it, shrunk towards 1 by a prior worth kPriorDof points (so
    // one large chance residual among few does not hide an outlier).
    // The threshold: Student's t at a 1e-3 tail with those degrees of
    // freedom, so a precise reading is not thrown out by chance at n = 4-8.
    const double shrunk2 = (kPriorDof + others_chi2) / (kPriorDof + dof - 1);
    return {std::fabs(t_int) / std::sqrt(std::max(1.0, shrunk2)) / std::max(o.outlier_threshold_sigma, th.shrunk_t),
            consistent};
  }
  const double scale2 = others_chi2 / (dof - 1);
  return {std::fabs(t_int) / std::sqrt(scale2) / std::max(o.outlier_threshold_sigma, th.t), false};
}

}  // namespace

// One at a time, the worst first (fit_detail.h).
Solve reject_outliers(std::vector<FitPoint>& pts, std::vector<bool>& used, int segments, double origin,
                      const FitOptions& o, size_t max_rejects, bool& ambiguous) {
  // With scaled sigmas: a 1-in-1000 false-alarm rate per point under t.
  constexpr double kTail = 1e-3;
  auto s = solve(pts, used, segments, origin);
  const bool batch = static_cast<size_t>(s.used) >= kBatchRejectFrom;
  size_t rejected = 0;
  for (int round = 0; s.ok && rejected < max_rejects && round < 64; ++round) {
    double worst = 1.0;
    size_t worst_i = pts.size();
    int explanations = 0;  // outliers whose removal leaves a consistent fit
    const int dof = s.used - s.parameters;
    Thresholds th;
    th.t = dof >= 3 ? student_t_quantile(1.0 - kTail, dof - 1) : 0.0;
    th.shrunk_t = dof >= 2 ? student_t_quantile(1.0 - kTail, static_cast<int>(kPriorDof) + dof - 1) : 0.0;
    th.others_chi2_99 = dof >= 2 ? chi2_99(dof - 1) : 0.0;
    std::vector<size_t> over;
    for (size_t i = 0; i < pts.size(); ++i) {
      if (!used[i]) continue;
      const OutlierTest t = test_outlier(s, pts[i], origin, o, th);
      if (t.excess > 1.0 && t.rest_consistent) ++explanations;
      if (batch && t.excess > 1.0) over.push_back(i);
      if (t.excess > worst) worst = t.excess, worst_i = i;
    }
    if (worst_i == pts.size()) break;
    if (!batch || over.size() + rejected > max_rejects) over = {worst_i};
    for (size_t i : over) used[i] = false;
    auto next = solve(pts, used, segments, origin);
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

double scatter_scale(const Solve& s) {
  const int dof = s.used - s.parameters;
  return dof > 0 ? std::max(1.0, std::sqrt(s.chi2 / dof)) : 1.0;
}

// A flagged point comes back when within the threshold of the line, its
// sigma scaled by the scatter and widened by the line's own uncertainty.
bool reinstate(std::vector<FitPoint>& pts, std::vector<bool>& used, const Solve& s, double origin,
               const FitOptions& o) {
  const double scale = scatter_scale(s);
  bool any = false;
  for (size_t i = 0; i < pts.size(); ++i) {
    if (used[i]) continue;
    const auto& p = pts[i];
    const double h = leverage(s, p, origin);
    const double r = p.corrected_error_s - fitted_at(s, p, origin);
    if (std::fabs(r) < o.outlier_threshold_sigma * scale * p.sigma_s * std::sqrt(1.0 + h)) {
      used[i] = true;
      pts[i].outlier = false;
      any = true;
    }
  }
  return any;
}

}  // namespace rtcal::calibration::detail
