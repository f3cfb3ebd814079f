// The drift fit's second robust start (calibration/fit_detail.h): a least
// quantile of squares line over the slopes of every pair of readings, each
// residual in its own sigmas. The repeated median (fit_robust.cc) is
// unweighted: among few readings, two rough readings seconds apart give a
// slope thousands of s/day off, and with two gross typos beside them most
// points' median slopes are wrong and so is the line (issue 13: 7 readings,
// two typos of +-1e5 s, a pair of beep readings 14 s apart). A line through
// two readings that fits all but the gross ones within their sigmas is
// found here whatever the others do. O(n^3) over a few dozen points. Pure.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>

#include "calibration/apply_check.h"
#include "calibration/fit_detail.h"

namespace rtcal::calibration::detail {
namespace {

// The median of the values, each counted with its weight (the first value
// at which the running weight reaches half the total); reorders v.
double weighted_median(std::vector<std::pair<double, double>>& v) {
  std::sort(v.begin(), v.end());
  double total = 0.0;
  for (const auto& [x, w] : v) total += w;
  double running = 0.0;
  for (const auto& [x, w] : v) {
    running += w;
    if (running >= 0.5 * total) return x;
  }
  return v.empty() ? 0.0 : v.back().first;
}

}  // namespace

std::vector<size_t> lms_outliers(const std::vector<FitPoint>& points, const std::vector<bool>& used,
                                 double threshold, size_t max_flags) {
  std::vector<size_t> idx;
  for (size_t i = 0; i < points.size(); ++i)
    if (used[i]) idx.push_back(i);
  const size_t m = idx.size();
  if (max_flags == 0 || m < 3 || m > kLmsUpTo || max_flags >= m - 1) return {};
  const size_t h = m - max_flags;  // the readings the line must fit
  int segments = 0;
  for (size_t i : idx) segments = std::max(segments, points[i].segment + 1);
  const double origin = points[idx.front()].time_unix_s;

  // Scaled residuals of every used reading from the line of `rate` (s per
  // s) through `anchor` on its segment; each other segment's intercept the
  // weighted median of its residuals.
  std::vector<double> q(m), best_q;
  std::vector<std::pair<double, double>> seg_values;
  const auto residuals = [&](double rate, const FitPoint& anchor) {
    for (int g = 0; g < segments; ++g) {
      seg_values.clear();
      for (size_t k = 0; k < m; ++k) {
        const FitPoint& p = points[idx[k]];
        if (p.segment == g)
          seg_values.emplace_back(p.corrected_error_s - rate * (p.time_unix_s - origin), 1.0 / (p.sigma_s * p.sigma_s));
      }
      if (seg_values.empty()) continue;
      const double intercept = g == anchor.segment ? anchor.corrected_error_s - rate * (anchor.time_unix_s - origin)
                                                   : weighted_median(seg_values);
      for (size_t k = 0; k < m; ++k) {
        const FitPoint& p = points[idx[k]];
        if (p.segment == g)
          q[k] = std::fabs(p.corrected_error_s - intercept - rate * (p.time_unix_s - origin)) / p.sigma_s;
      }
    }
  };
  double best = std::numeric_limits<double>::infinity();
  std::vector<double> sorted(m);
  for (size_t a = 0; a < m; ++a) {
    for (size_t b = a + 1; b < m; ++b) {
      const FitPoint& pa = points[idx[a]];
      const FitPoint& pb = points[idx[b]];
      const double dt = pb.time_unix_s - pa.time_unix_s;
      if (pa.segment != pb.segment || dt == 0.0) continue;
      residuals((pb.corrected_error_s - pa.corrected_error_s) / dt, pa);
      sorted = q;
      std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(h - 1), sorted.end());
      const double criterion = sorted[h - 1];
      if (criterion < best) best = criterion, best_q = q;
    }
  }
  if (best_q.empty()) return {};
  // The h-th smallest |r|/sigma of standard normal residuals is about the
  // two-sided h/m quantile: the scale the sigmas are off by (never below 1).
  const double scale = std::max(1.0, best / normal_quantile(static_cast<double>(h) / static_cast<double>(m)));
  std::vector<std::pair<double, size_t>> over;
  for (size_t k = 0; k < m; ++k)
    if (best_q[k] > threshold * scale) over.emplace_back(best_q[k], idx[k]);
  std::sort(over.begin(), over.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
  if (over.size() > max_flags) over.resize(max_flags);
  std::vector<size_t> flagged;
  for (const auto& [v, i] : over) flagged.push_back(i);
  return flagged;
}

int lines_within_sigmas(const std::vector<FitPoint>& points, size_t size) {
  const size_t n = points.size();
  if (n > 20 || size < 3 || size > n) return 0;
  // Lax (1 - 1e-6): the good readings' line must pass whatever their draw (a
  // 4-sigma beep failed 99.9%); a line through a typo misses by 10^4 sigmas.
  const double limit = chi2_quantile(1.0 - 1e-6, static_cast<int>(size) - 2);
  const double origin = points.front().time_unix_s;
  int segments = 0;
  for (const auto& p : points) segments = std::max(segments, p.segment + 1);
  std::vector<bool> used(n);
  int count = 0;
  for (uint32_t mask = 0; mask < (1u << n); ++mask) {
    if (static_cast<size_t>(__builtin_popcount(mask)) != size) continue;
    for (size_t i = 0; i < n; ++i) used[i] = (mask >> i & 1u) != 0;
    const Solve s = solve(points, used, segments, origin);
    // A rate no RTC runs at (a typo pair seconds apart) is no answer.
    if (!s.ok || std::fabs(s.rate_s_per_s) * kSecondsPerDay > kPlausibleFactorSPerDay) continue;
    count += s.chi2 <= limit ? 1 : 0;
  }
  return count;
}

}  // namespace rtcal::calibration::detail
